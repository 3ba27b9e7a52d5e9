"""Shared loader for OFAC legacy CSV files (sdn.csv, alt.csv, add.csv, sdn_comments.csv).
Decodes bytes as latin-1 (files measured are pure ASCII, so any decoding works);
strips a trailing Ctrl-Z (0x1A); parses with Python csv (double-quote quoting)."""
import csv, io, os
NULL = '-0-'
SDN_COLS = ['ent_num', 'SDN_Name', 'SDN_Type', 'Program', 'Title', 'Call_Sign', 'Vess_type',
            'Tonnage', 'GRT', 'Vess_flag', 'Vess_owner', 'Remarks']
ALT_COLS = ['ent_num', 'alt_num', 'alt_type', 'alt_name', 'alt_remarks']
ADD_COLS = ['ent_num', 'add_num', 'Address', 'City/State/Province/Postal Code', 'Country', 'Add_remarks']
CMT_COLS = ['ent_num', 'Remarks_Extended']

def read_rows(path):
    b = open(path, 'rb').read()
    t = b.decode('latin-1')
    rows = []
    for r in csv.reader(io.StringIO(t, newline='')):
        if not r:
            continue
        if len(r) == 1 and r[0].strip() in ('\x1a', ''):
            continue
        rows.append(r)
    return rows

def val(x):
    x = x.strip()
    return None if x == NULL else x

def load_dir(d):
    out = {}
    for name in ('sdn', 'alt', 'add', 'sdn_comments'):
        p = os.path.join(d, name + '.csv')
        out[name] = read_rows(p) if os.path.exists(p) else None
    return out
