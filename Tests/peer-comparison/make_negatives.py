#!/usr/bin/env python3
"""Write derived/ one-name-per-line UTF-8 lists of candidate negative names, dropping any whose
normalised token multiset equals a name in SDN 2021-07, SDN 2019-01 or the UN list (see neg_analyze.norm).
Exact-token filtering only: fuzzy matchers may still score some of these highly."""
import os, sys, csv, gzip, io, json
HERE = os.path.dirname(os.path.abspath(__file__)); BASE = os.environ.get("PEER_LISTS_DIR", os.path.join(HERE, "lists")); sys.path.insert(0, HERE)
import contextlib
with contextlib.redirect_stdout(io.StringIO()):
    import neg_analyze as NA
csv.field_size_limit(10**8)
REF = NA.SDN | NA.SDN19 | NA.UN
os.makedirs(os.path.join(BASE, 'derived'), exist_ok=True)
def write(name, names):
    seen = set(); out = []
    for n in names:
        n = ' '.join(n.split()); k = NA.norm(n)
        if not k or k in seen or k in REF: continue
        seen.add(k); out.append(n)
    with open(os.path.join(BASE, 'derived', name), 'w', encoding='utf-8') as f:
        f.write('\n'.join(out) + '\n')
    print(name, len(out))
recs = [json.loads(l) for l in open(os.path.join(BASE, 'neg_opensanctions/us_congress_senzing.json'), encoding='utf-8') if l.strip()]
write('us_congress_persons.txt', [n['NAME_FULL'] for r in recs if r.get('RECORD_TYPE') == 'PERSON' for n in r['NAMES'] if n.get('NAME_TYPE') == 'PRIMARY'])
rows = list(csv.reader(open(os.path.join(BASE, 'neg_us_dpl/dpl.pr523-2023-11.txt'), encoding='utf-8', newline=''), delimiter='\t'))[1:]
write('us_dpl_2023-11_names.txt', [r[0] for r in rows])
rows = list(csv.reader(io.StringIO(gzip.open(os.path.join(BASE, 'neg_us_csl/consolidated.2022-05.csv.gz'), 'rt', encoding='utf-8', newline='').read())))
H = {h: i for i, h in enumerate(rows[0])}
write('bis_entity_list_2022-05_names.txt', [r[H['name']] for r in rows[1:] if r[H['source']].startswith('Entity List (EL)')])
write('csl_other_nonsdn_2022-05_names.txt', [r[H['name']] for r in rows[1:] if not r[H['source']].startswith(('Entity List (EL)', 'Specially Designated', 'Denied Persons'))])
write('ofac_sdn_designated_after_2021-07_per_csl_2022-05.txt', [r[H['name']] for r in rows[1:] if r[H['source']].startswith('Specially Designated') and r[H['entity_number']].isdigit() and int(r[H['entity_number']]) > 32391])
