"""Readers for the real sanctions list files used by the peer comparison.

Stdlib only, so that both the labelled-set generator (plain python3) and the
peer scorer (venv with nomenklatura) can share it.

Two sources are read:

* OFAC SDN legacy CSV (sdn.csv, alt.csv, sdn_comments.csv; no header row,
  ``-0-`` means empty, Remarks cut at 1,000 characters and continued without
  a separator in sdn_comments.csv).
* UN Security Council consolidated list XML.

Each entry becomes a :class:`Record` carrying the designation id in the form
the ledger uses (``designation/ofac-<ent_num>``, ``designation/un-<slug>``),
the entry type, the names by role, and the identifiers found.
"""

from __future__ import annotations

import csv
import io
import os
import re
import unicodedata
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field

# Where the real list files are: PEER_LISTS_DIR (see README.md for the layout).
LISTS_DIR = os.environ.get("PEER_LISTS_DIR", os.path.join(os.path.dirname(os.path.abspath(__file__)), "lists"))
OFAC_DIR = os.path.join(LISTS_DIR, "ofac_sdn_2021-07")
UN_XML = os.path.join(LISTS_DIR, "un", "UN_consolidated.xml")

NULL = "-0-"


@dataclass
class Record:
    """One listed party, normalised just enough for both scripts."""

    designation: str  # e.g. designation/ofac-24187, designation/un-kpi.033
    source: str  # "ofac" or "un"
    ref: str  # ent_num or UN reference number (trimmed)
    etype: str  # person | organization | vessel | aircraft
    name: str  # primary name as written in the list
    # Person name parts (OFAC "SURNAME, Given" or UN FIRST..FOURTH_NAME).
    first_name: str | None = None
    last_name: str | None = None
    name_parts: list[str] = field(default_factory=list)  # UN name parts, in order
    aliases: list[str] = field(default_factory=list)  # strong a.k.a. (alt.csv aka/nka, UN Good / entity a.k.a.)
    previous_names: list[str] = field(default_factory=list)  # f.k.a.
    weak_aliases: list[str] = field(default_factory=list)  # OFAC Remarks a.k.a., UN Low
    original_script: list[str] = field(default_factory=list)  # UN NAME_ORIGINAL_SCRIPT
    # Identifiers as (kind, value, country or None); kind is one of the
    # keys of IDENTIFIER_PROPS below, or "crypto:<CUR>".
    identifiers: list[tuple[str, str, str | None]] = field(default_factory=list)
    programs: list[str] = field(default_factory=list)

    def all_names(self) -> list[str]:
        """Every name string of the entry (not weak aliases)."""
        out = [self.name, *self.aliases, *self.previous_names, *self.original_script]
        if self.etype == "person" and self.source == "ofac":
            out.extend(natural_order(n) for n in [self.name, *self.aliases, *self.previous_names])
        return [n for n in out if n]


def slug(ref: str) -> str:
    """Designation slug as the ledger makes it: lower-case, every char outside
    [a-z0-9._-] replaced by '-', after trimming."""
    return re.sub(r"[^a-z0-9._-]", "-", ref.strip().lower())


def collapse_ws(text: str) -> str:
    return re.sub(r"\s+", " ", text or "").strip()


def natural_order(name: str) -> str:
    """OFAC individual 'SURNAME, Given Names' -> 'Given Names SURNAME'.
    Names without a comma are returned unchanged."""
    if ", " in name:
        last, first = name.split(", ", 1)
        return f"{first.strip()} {last.strip()}"
    return name


def fold(text: str) -> str:
    """Case/punctuation/diacritic-insensitive key used to test whether two
    names are 'the same' (for excluding negatives and de-duplicating)."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = re.sub(r"[\W_]+", " ", text.upper())
    return " ".join(text.split())


# --------------------------------------------------------------------------
# OFAC legacy CSV
# --------------------------------------------------------------------------

def _read_csv(path: str) -> list[list[str]]:
    with open(path, "rb") as fh:
        text = fh.read().decode("latin-1")  # pure ASCII in practice
    rows = []
    for row in csv.reader(io.StringIO(text, newline="")):
        if not row or (len(row) == 1 and row[0].strip() in ("\x1a", "")):
            continue
        rows.append(row)
    return rows


def _val(x: str) -> str | None:
    x = x.strip()
    return None if x in (NULL, "") else x


# Identifier kinds in OFAC Remarks, longest prefix first. The value maps to
# the generic kind used by both scripts (passport, national_id, tax, reg,
# imo, mmsi, bic, msn, tail, other_id).
OFAC_ID_PREFIXES: list[tuple[str, str]] = sorted(
    [
        ("Passport", "passport"),
        ("Diplomatic Passport", "passport"),
        ("Passport Booklet", "passport"),
        ("Stateless Person Passport", "passport"),
        ("British National Overseas Passport", "passport"),
        ("National ID No.", "national_id"),
        ("Cedula No.", "national_id"),
        ("D.N.I.", "national_id"),
        ("Personal ID Card", "national_id"),
        ("Identification Number", "national_id"),
        ("C.U.R.P.", "national_id"),
        ("C.U.R.P. #", "national_id"),
        ("Kenyan ID No.", "national_id"),
        ("Turkish Identification Number", "national_id"),
        ("Citizen's Card Number", "national_id"),
        ("National Foreign ID Number", "national_id"),
        ("Electoral Registry No.", "national_id"),
        ("Credencial electoral", "national_id"),
        ("SSN", "national_id"),
        ("Tax ID No.", "tax"),
        ("R.F.C.", "tax"),
        ("R.F.C. #", "tax"),
        ("RFC", "tax"),
        ("NIT #", "tax"),
        ("RUC #", "tax"),
        ("RIF #", "tax"),
        ("C.U.I.T.", "tax"),
        ("V.A.T. Number", "tax"),
        ("Italian Fiscal Code", "tax"),
        ("US FEIN", "tax"),
        ("Registration ID", "reg"),
        ("Registration Number", "reg"),
        ("Company Number", "reg"),
        ("UK Company Number", "reg"),
        ("Commercial Registry Number", "reg"),
        ("Business Registration Document #", "reg"),
        ("Business Registration Number", "reg"),
        ("Matricula Mercantil No", "reg"),
        ("Folio Mercantil No.", "reg"),
        ("Government Gazette Number", "reg"),
        ("C.R. No.", "reg"),
        ("Chamber of Commerce Number", "reg"),
        ("Certificate of Incorporation Number", "reg"),
        ("Public Registration Number", "reg"),
        ("Legal Entity Number", "reg"),
        ("Trade License No.", "reg"),
        ("D-U-N-S Number", "reg"),
        ("United Social Credit Code Certificate (USCCC)", "reg"),
        ("Unified Social Credit Code (USCC)", "reg"),
        ("Vessel Registration Identification IMO", "imo"),
        ("Identification Number IMO", "imo"),
        ("International Maritime Organization No.", "imo"),
        ("Company Number IMO", "company_imo"),
        ("MMSI", "mmsi"),
        ("SWIFT/BIC", "bic"),
        ("Aircraft Manufacturer's Serial Number (MSN)", "msn"),
        ("Aircraft Serial Identification", "msn"),
        ("Aircraft Tail Number", "tail"),
        ("Previous Aircraft Tail Number", "tail"),
    ],
    key=lambda kv: -len(kv[0]),
)

_CRYPTO_RE = re.compile(r"^Digital Currency Address - ([A-Z]{3,4}) (\S+)$")
_TRAIL_RE = re.compile(
    r"\s*(\((?P<country>[^)]*)\))?(\s+(issued|expires)\b.*)?$"
)


def _parse_id_item(item: str) -> tuple[str, str, str | None] | None:
    """Parse one Remarks item such as 'Passport 1084010 (Egypt) issued ...'."""
    item = item.strip().rstrip(".").strip()
    if item.startswith("alt. "):
        item = item[5:].strip()
    m = _CRYPTO_RE.match(item)
    if m:
        return (f"crypto:{m.group(1)}", m.group(2), None)
    for prefix, kind in OFAC_ID_PREFIXES:
        if item.startswith(prefix + " ") or item.startswith(prefix + ":"):
            rest = item[len(prefix):].strip(" :")
            # Value runs up to an optional '(Country)' and issued/expires dates.
            m2 = re.match(r"^(?P<value>.*?)(?P<trail>\s*\([^)]*\).*|\s+(issued|expires)\b.*)?$", rest)
            value = (m2.group("value") if m2 else rest).strip().strip("()")
            country = None
            if m2 and m2.group("trail"):
                mc = re.search(r"\(([^)]*)\)", m2.group("trail"))
                country = mc.group(1) if mc else None
            if not value or len(value) > 40:
                return None
            return (kind, value, country)
    return None


def _quoted_aliases(remarks: str) -> list[tuple[str, str]]:
    """Extract `a.k.a. 'NAME'` / `f.k.a. 'NAME'` items from OFAC Remarks.
    Quoted names may contain apostrophes; a name ends at `';`, `'.` or the
    end of the text."""
    out = []
    for m in re.finditer(r"\b([afn])\.k\.a\. '", remarks):
        start = m.end()
        end = None
        i = start
        while i < len(remarks):
            if remarks[i] == "'":
                nxt = remarks[i + 1:i + 2]
                if nxt in (";", ".") and (i + 2 >= len(remarks) or remarks[i + 2] == " ") or nxt == "":
                    end = i
                    break
            i += 1
        if end is None:
            continue
        name = remarks[start:end].strip()
        if name.startswith("'") and name.endswith("'") and len(name) > 2:
            name = name[1:-1]
        if name:
            out.append((m.group(1) + "ka", name))
    return out


def _strip_quoted(remarks: str) -> str:
    """Remarks with the quoted alias items removed (so that their content is
    not mistaken for identifiers when splitting on '; ')."""
    return re.sub(r"\b[afn]\.k\.a\. '.*?'(?=[;.](\s|$)|$)", "", remarks)


def load_ofac(directory: str = OFAC_DIR) -> list[Record]:
    sdn = _read_csv(os.path.join(directory, "sdn.csv"))
    alt = _read_csv(os.path.join(directory, "alt.csv"))
    cpath = os.path.join(directory, "sdn_comments.csv")
    comments = {r[0].strip(): r[1] for r in _read_csv(cpath)} if os.path.exists(cpath) else {}
    alts: dict[str, list[tuple[str, str]]] = {}
    for r in alt:
        name = _val(r[3])
        if name:
            alts.setdefault(r[0].strip(), []).append(((_val(r[2]) or "aka").lower(), name))
    records = []
    for r in sdn:
        ent = r[0].strip()
        raw_type = (_val(r[2]) or "").lower()
        etype = {"individual": "person", "vessel": "vessel", "aircraft": "aircraft"}.get(raw_type, "organization")
        name = collapse_ws(r[1])
        rec = Record(
            designation=f"designation/ofac-{ent}",
            source="ofac",
            ref=ent,
            etype=etype,
            name=name,
            programs=[p.strip() for p in (r[3] or "").split("] [") if p.strip()],
        )
        if etype == "person" and ", " in name:
            rec.last_name, rec.first_name = [p.strip() for p in name.split(", ", 1)]
        for alt_type, alt_name in alts.get(ent, []):
            alt_name = collapse_ws(alt_name)
            (rec.previous_names if alt_type == "fka" else rec.aliases).append(alt_name)
        remarks = (_val(r[11]) or "") + comments.get(ent, "")
        for kind, qname in _quoted_aliases(remarks):
            qname = collapse_ws(qname)
            (rec.previous_names if kind == "fka" else rec.weak_aliases).append(qname)
        for item in _strip_quoted(remarks).split(";"):
            parsed = _parse_id_item(item)
            if parsed:
                rec.identifiers.append(parsed)
        call_sign = _val(r[5])
        if call_sign:
            rec.identifiers.append(("call_sign", call_sign, None))
        records.append(rec)
    return records


# --------------------------------------------------------------------------
# UN consolidated XML
# --------------------------------------------------------------------------

def _split_top(text: str, sep: str = ";") -> list[str]:
    """Split on `sep` outside parentheses."""
    parts, depth, cur = [], 0, []
    for ch in text:
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth = max(0, depth - 1)
        if ch == sep and depth == 0:
            parts.append("".join(cur))
            cur = []
        else:
            cur.append(ch)
    parts.append("".join(cur))
    return [p.strip(" ,") for p in parts if p.strip(" ,")]


def _paren_groups(text: str) -> tuple[str, list[str]]:
    """'Head (A) (B; C)' -> ('Head', ['A', 'B; C']) for top-level groups."""
    head, groups, depth, cur = [], [], 0, []
    for ch in text:
        if ch == "(":
            if depth > 0:
                cur.append(ch)
            depth += 1
        elif ch == ")" and depth > 0:
            depth -= 1
            if depth == 0:
                groups.append("".join(cur))
                cur = []
            else:
                cur.append(ch)
        elif depth > 0:
            cur.append(ch)
        else:
            head.append(ch)
    if cur:
        groups.append("".join(cur))
    return collapse_ws("".join(head)).strip(" ,."), groups


# Parenthesised remarks in UN ALIAS_NAME values that are notes, not names.
_ALIAS_NOTES = re.compile(
    r"born|passport|identity|listed|birth name|combat name|^third$|^original script$", re.I
)


def _has_latin(text: str) -> bool:
    return any("a" <= c.lower() <= "z" for c in text)


def _split_alias(alias: str) -> tuple[list[str], list[str], list[str]]:
    """UN ALIAS_NAME values sometimes hold several names ('A; B'), a
    native-script form in brackets ('Amir Khazmat (original script: Амир
    Хазмат)', 'حسن غول (Hassan Ghul; Hassan Gul)'), an abbreviation
    ('Al-Qaida in Yemen (AQY)') or a note ('Encep Nurjaman (birth name)').
    Returns (names, original_script_names, abbreviations)."""
    alias = collapse_ws(alias)
    if not _has_latin(alias):  # e.g. '華信船務(香港)有限公司' is one name
        return [], [alias], []
    alias = re.sub(r",\s*born\b.*$", "", alias)  # 'NAME, born 1 Jan. 1953 (...)'
    names: list[str] = []
    abbrevs: list[str] = []
    for seg in _split_top(alias):
        for sub in re.split(r"\s[a-z]\)\s", seg):  # 'A b) B' enumerations
            head, groups = _paren_groups(sub)
            if head:
                names.append(head)
            for group in groups:
                for part in _split_top(group):
                    part = re.sub(r"^original script:\s*", "", part, flags=re.I)
                    part = re.sub(r"\s*\((original script)\)$", "", part, flags=re.I)
                    part = re.sub(r"\s*-\s*sub-unit name$", "", part).strip(" ,")
                    part, nested = _paren_groups(part)
                    if not part or _ALIAS_NOTES.search(part):
                        continue
                    if re.fullmatch(r"[A-Z][A-Z/\-]{1,9}", part):
                        abbrevs.append(part)
                    else:
                        names.append(part)
                    for n in nested:
                        if re.fullmatch(r"[A-Z][A-Z/\-]{1,9}", n.strip()):
                            abbrevs.append(n.strip())
    latin = [n for n in names if _has_latin(n)]
    script = [n for n in names if not _has_latin(n)]
    return latin, script, abbrevs


def load_un(path: str = UN_XML) -> list[Record]:
    root = ET.parse(path).getroot()
    records = []
    for node in list(root.find("INDIVIDUALS")) + list(root.find("ENTITIES")):
        ref = (node.findtext("REFERENCE_NUMBER") or "").strip()
        is_person = node.tag == "INDIVIDUAL"
        parts = [collapse_ws(node.findtext(t) or "") for t in ("FIRST_NAME", "SECOND_NAME", "THIRD_NAME", "FOURTH_NAME")]
        parts = [p for p in parts if p]
        rec = Record(
            designation=f"designation/un-{slug(ref)}",
            source="un",
            ref=ref,
            etype="person" if is_person else "organization",
            name=" ".join(parts),
            name_parts=parts,
            programs=[(node.findtext("UN_LIST_TYPE") or "").strip()],
        )
        for a in node.findall("INDIVIDUAL_ALIAS") + node.findall("ENTITY_ALIAS"):
            quality = (a.findtext("QUALITY") or "").strip()
            alias = collapse_ws(a.findtext("ALIAS_NAME") or "")
            if not alias:
                continue
            names, scripts, abbrevs = _split_alias(alias)
            rec.original_script.extend(s for s in scripts if s not in rec.original_script)
            rec.weak_aliases.extend(abbrevs)  # abbreviations are weak, like FtM's `abbreviation`
            for n in names:
                if quality == "Low":
                    rec.weak_aliases.append(n)
                elif quality == "f.k.a.":
                    rec.previous_names.append(n)
                else:
                    rec.aliases.append(n)
        for osn in node.findall("NAME_ORIGINAL_SCRIPT"):
            v = collapse_ws(osn.text or "")
            if v and v not in rec.original_script:
                rec.original_script.append(v)
        for doc in node.findall("INDIVIDUAL_DOCUMENT"):
            number = collapse_ws(doc.findtext("NUMBER") or "")
            dtype = collapse_ws(doc.findtext("TYPE_OF_DOCUMENT") or "").lower()
            if not number or len(number.split()) > 3:
                continue  # free-text numbers are not usable identifiers
            kind = "passport" if "pass" in dtype else "national_id"
            country = collapse_ws(doc.findtext("ISSUING_COUNTRY") or doc.findtext("COUNTRY_OF_ISSUE") or "") or None
            rec.identifiers.append((kind, number, country))
        records.append(rec)
    return records


def load_all() -> list[Record]:
    return load_ofac() + load_un()


if __name__ == "__main__":  # quick self-check
    recs = load_all()
    from collections import Counter

    print(Counter((r.source, r.etype) for r in recs))
    print(Counter(k.split(":")[0] for r in recs for k, _, _ in r.identifiers))
    print(sum(len(r.weak_aliases) for r in recs if r.source == "ofac"), "OFAC weak aliases")
    print(sum(len(r.weak_aliases) for r in recs if r.source == "un"), "UN weak aliases")


# The kinds of the labelled set, in the order the tables print them.
POSITIVE_KINDS = [
    "exact", "alias", "weak_alias", "natural_order", "dropped_word", "swapped_words",
    "one_typo", "two_typos", "initials", "transliteration", "cyrillic", "original_script",
    "korean_org", "decorated", "hyphen_space", "added_words", "identifier",
]
NEGATIVE_KINDS = ["neg_legislator", "neg_denied_person", "neg_later_designation",
                  "neg_same_surname", "neg_entity_list"]
