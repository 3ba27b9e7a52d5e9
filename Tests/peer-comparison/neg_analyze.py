#!/usr/bin/env python3
"""Count names in candidate negative sources and measure overlap with the 2021-07 OFAC SDN snapshot
(primary names + alt.csv aliases + a.k.a./f.k.a. names quoted in Remarks) and the 2026-02-27 UN list
(FIRST..FOURTH_NAME joined + ALIAS_NAME). Overlap = equal token multiset after normalisation
(NFKD, strip accents, uppercase, non-alphanumerics -> space, tokens sorted)."""
import sys, os, re, csv, io, gzip, json, zipfile, collections, unicodedata
import xml.etree.ElementTree as ET
HERE = os.path.dirname(os.path.abspath(__file__)); BASE = os.environ.get("PEER_LISTS_DIR", os.path.join(HERE, "lists"))
sys.path.insert(0, HERE)
from ofac_common import *
csv.field_size_limit(10**8)

def norm(s):
    s = unicodedata.normalize('NFKD', s)
    s = ''.join(c for c in s if not unicodedata.combining(c)).upper()
    toks = re.sub(r'[^0-9A-Z\u0080-\uffff]+', ' ', s).split()
    return ' '.join(sorted(toks))

def sdn_names(d):
    x = load_dir(os.path.join(BASE, d)); names = set()
    cm = {r[0]: r[1] for r in x['sdn_comments'] or []}
    for r in x['sdn']:
        names.add(norm(r[1]))
        rem = (val(r[11]) or '') + cm.get(r[0], '')
        for m in re.finditer(r"[afn]\.k\.a\. '(.*?)'(?=;|\.?$|\.\s)", rem): names.add(norm(m.group(1)))
    for r in x['alt']: names.add(norm(r[3]))
    names.discard(''); return names

def un_names():
    root = ET.parse(os.path.join(BASE, 'un/UN_consolidated.xml')).getroot(); names = set()
    for e in list(root.iter('INDIVIDUAL')) + list(root.iter('ENTITY')):
        names.add(norm(' '.join(e.findtext(f) or '' for f in ('FIRST_NAME', 'SECOND_NAME', 'THIRD_NAME', 'FOURTH_NAME'))))
        for a in e.iter('ALIAS_NAME'):
            if a.text: names.add(norm(a.text))
    names.discard(''); return names

SDN = sdn_names('ofac_sdn_2021-07'); SDN19 = sdn_names('ofac_sdn_2019-01'); UN = un_names()
print('reference name sets: SDN 2021-07 %d, SDN 2019-01 %d, UN %d normalised names' % (len(SDN), len(SDN19), len(UN)))

def report(label, names, extra=''):
    names = [n for n in names if n and n.strip()]
    N = {norm(n): n for n in names}
    hit_sdn = [N[k] for k in N if k in SDN]; hit_un = [N[k] for k in N if k in UN]
    print('\n## %s %s' % (label, extra))
    print('  names: %d (distinct normalised %d); equal to an SDN-2021-07 name: %d %s; equal to a UN name: %d %s; neither: %d' % (
        len(names), len(N), len(hit_sdn), hit_sdn[:5], len(hit_un), hit_un[:5],
        sum(1 for k in N if k not in SDN and k not in UN)))
    print('  examples:', [n for n in names[:5]])

# DPL
for f in sorted(os.listdir(os.path.join(BASE, 'neg_us_dpl'))):
    rows = list(csv.reader(open(os.path.join(BASE, 'neg_us_dpl', f), encoding='utf-8', newline=''), delimiter='\t'))
    hdr, body = rows[0], rows[1:]
    print('\n# neg_us_dpl/%s: tab-separated, quoted; columns %s; data rows %d; field counts %s; latest Last_Update %s' % (
        f, hdr, len(body), dict(collections.Counter(len(r) for r in body)), max(r[9] for r in body)))
    print('  names with leading/trailing space:', sum(1 for r in body if r[0] != r[0].strip()))
    report('DPL ' + f, [r[0].strip() for r in body])

# CSL
def csl_rows(path):
    if path.endswith('.gz'): t = gzip.open(path, 'rt', encoding='utf-8', newline='').read()
    else: t = open(path, encoding='utf-8', newline='').read()
    rows = list(csv.reader(io.StringIO(t)))
    return rows
for f in ('csl.2019-12.csv', 'consolidated.2022-05.csv.gz', 'csl.pr523-2023-11.csv', 'cslustest_consolidated.csv'):
    rows = csl_rows(os.path.join(BASE, 'neg_us_csl', f))
    hdr = rows[0]; body = [r for r in rows[1:] if r != hdr]
    ncol = len(hdr)
    short = [r for r in body if len(r) != ncol]
    body = [r for r in body if len(r) == ncol]
    H = {h: i for i, h in enumerate(hdr)}
    print('\n# neg_us_csl/%s: %d columns; data rows %d (+%d malformed/truncated rows, %d repeated header rows)' % (
        f, ncol, len(body), len(short), sum(1 for r in rows[1:] if r == hdr)))
    src = collections.Counter(r[H['source']] for r in body)
    for s, n in src.most_common(): print('   %5d  %s' % (n, s))
    nonsdn = [r for r in body if not r[H['source']].startswith('Specially Designated Nationals')]
    aliases = [a.strip() for r in nonsdn for a in r[H['alt_names']].split(';') if a.strip()]
    report('CSL %s non-SDN sources primary names' % f, [r[H['name']] for r in nonsdn])
    report('CSL %s non-SDN sources alt_names' % f, aliases)
    for s in ('Entity List (EL) - Bureau of Industry and Security', 'Denied Persons List (DPL) - Bureau of Industry and Security'):
        sub = [r[H['name']] for r in body if r[H['source']] == s]
        if sub: report('CSL %s only %s' % (f, s), sub)
    sdnrows = [r for r in body if r[H['source']].startswith('Specially Designated Nationals')]
    if sdnrows:
        new = [r for r in sdnrows if r[H['entity_number']].isdigit() and int(r[H['entity_number']]) > 32391]
        report('CSL %s SDN rows with entity_number > 32391 (designated after the 2021-07 snapshot)' % f, [r[H['name']] for r in new])

# OFAC consolidated non-SDN (legacy CSV)
rows = read_rows(os.path.join(BASE, 'ofac_consolidated_nonsdn_2025-12/cons_prim.csv'))
alt = read_rows(os.path.join(BASE, 'ofac_consolidated_nonsdn_2025-12/cons_alt.csv'))
print('\n# OFAC consolidated (non-SDN) legacy CSV 2025-12: cons_prim rows %d, cons_alt rows %d; programs %s' % (
    len(rows), len(alt), collections.Counter(p for r in rows for p in re.split(r'\]\s*\[', r[3].strip('[] '))).most_common()))
print('  SDN_Type:', collections.Counter(val(r[2]) or '(entity)' for r in rows))
report('cons_prim primary names', [r[1] for r in rows])
report('cons_alt alias names', [r[3] for r in alt])

# Newer OFAC alt.csv: aliases of ent_nums above the 2021-07 maximum
for d in ('ofac_static_2024-01_alt_add_only', 'ofac_2025-01_no_sdn', 'ofac_2025-12_no_sdn'):
    a = read_rows(os.path.join(BASE, d, 'alt.csv'))
    new = [r for r in a if int(r[0]) > 32391]
    print('\n# %s/alt.csv: rows %d, max ent_num %d, rows with ent_num > 32391: %d (distinct ent_nums %d)' % (
        d, len(a), max(int(r[0]) for r in a), len(new), len({r[0] for r in new})))
    report('%s aliases of post-2021-07 ent_nums' % d, [r[3] for r in new])

# US Congress (OpenSanctions Senzing JSONL)
recs = [json.loads(l) for l in open(os.path.join(BASE, 'neg_opensanctions/us_congress_senzing.json'), encoding='utf-8') if l.strip()]
print('\n# neg_opensanctions/us_congress_senzing.json: JSON Lines, %d records; RECORD_TYPE %s; NAME_TYPE %s; RISKS %s' % (
    len(recs), collections.Counter(r.get('RECORD_TYPE') for r in recs),
    collections.Counter(n.get('NAME_TYPE') for r in recs for n in r.get('NAMES', [])),
    collections.Counter(k.get('TOPIC') for r in recs for k in r.get('RISKS', []))))
print('  LAST_CHANGE range:', min(r.get('LAST_CHANGE', '') for r in recs), max(r.get('LAST_CHANGE', '') for r in recs))
report('US Congress NAME_FULL (all name types)', [n.get('NAME_FULL', '') for r in recs for n in r.get('NAMES', [])])
report('US Congress PRIMARY names', [n.get('NAME_FULL', '') for r in recs for n in r.get('NAMES', []) if n.get('NAME_TYPE') == 'PRIMARY'])

# CONS_ENHANCED.XML (OFAC consolidated non-SDN, enhanced XML)
z = zipfile.ZipFile(os.path.join(BASE, 'neg_us_csl/CONS_ENHANCED.2025-01.ZIP'))
x = ET.fromstring(z.read('CONS_ENHANCED.XML'))
ns = {'e': x.tag.split('}')[0][1:]}
ents = x.findall('.//e:entities/e:entity', ns)
names = []; prim = []
for en in ents:
    for nm in en.findall('.//e:names/e:name', ns):
        full = [t.text for t in nm.findall('.//e:translation/e:formattedFullName', ns) if t.text]
        if full:
            names.append(full[0])
            if (nm.findtext('e:isPrimary', namespaces=ns) or '') == 'true': prim.append(full[0])
print('\n# CONS_ENHANCED.XML (in ZIP): dataAsOf %s; entities %d; name records %d; primary %d' % (
    x.findtext('.//e:publicationInfo/e:dataAsOf', namespaces=ns), len(ents), len(names), len(prim)))
report('CONS_ENHANCED primary names', prim)
