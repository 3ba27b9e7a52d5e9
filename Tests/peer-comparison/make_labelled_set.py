#!/usr/bin/env python3
"""Build a labelled screening test set from the REAL sanctions lists.

Reads the OFAC SDN 2021-07 legacy CSV and the UN consolidated XML (through
peer_lists.py), plus real unrelated names for negatives, and writes:

* labelled.csv        query,expected,kind   (expected = designation id or empty)
* labelled-notes.csv  the same rows with the list, the base name and what was done
* labelled-stats.txt  counts by kind and list

Every positive query is derived from a real list entry; every negative comes
from a real name list (or, for neg_same_surname, a real listed surname paired
with a real unrelated given name). Nothing is taken from any screening tool's
output. The run is deterministic (fixed seed, sorted inputs).

Usage: python3 make_labelled_set.py [--out DIR] [--seed N]
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import re
import sys
import unicodedata
from collections import Counter, defaultdict

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import peer_lists  # noqa: E402
from peer_lists import NEGATIVE_KINDS, POSITIVE_KINDS, Record, fold, natural_order  # noqa: E402
from translit_ru_ko import korean_to_cyrillic, russian_to_cyrillic  # noqa: E402

SEED = 20260227
PER_KIND = 35  # target positives per kind (≈ 600 in total over 17 kinds)
PER_NEG_KIND = 120  # target negatives per negative kind (600 in total)

DERIVED = os.path.join(peer_lists.LISTS_DIR, "derived")
NEG_FILES = {
    "neg_legislator": "us_congress_persons.txt",
    "neg_denied_person": "us_dpl_2023-11_names.txt",
    "neg_later_designation": "ofac_sdn_designated_after_2021-07_per_csl_2022-05.txt",
    "neg_entity_list": "bis_entity_list_2022-05_names.txt",
}

# Name particles that are not names on their own (not dropped / initialled).
PARTICLES = {
    "AL", "EL", "BIN", "BEN", "IBN", "BINT", "ABU", "ABOU", "ABD", "ABDUL", "ABDEL",
    "UMM", "DE", "DEL", "DA", "DI", "DOS", "DAS", "DO", "LA", "LAS", "LOS", "VAN",
    "VON", "DER", "Y", "E", "MC", "MAC", "OULD", "WAD", "BA", "HAJI", "HAJJI", "MULLAH",
    "MAULAVI", "MAWLAWI", "QARI", "SHEIKH", "SAYED", "SAYYID", "SYED",
}

# Legal-form and filler words ignored when comparing names for near-duplicates.
LEGAL_WORDS = {
    "LTD", "LIMITED", "LLC", "INC", "INCORPORATED", "CO", "COMPANY", "CORP",
    "CORPORATION", "SA", "S", "A", "DE", "CV", "SRL", "GMBH", "AG", "BV", "NV",
    "PLC", "JSC", "OJSC", "CJSC", "PJSC", "OOO", "OAO", "ZAO", "AO", "PAO", "THE",
    "OF", "AND", "FZE", "FZCO", "LLP", "LP", "PTE", "PVT", "SAS", "SL", "SPA",
    "KG", "SARL", "EIRL", "TOO", "TRADING", "GROUP", "HOLDING", "HOLDINGS",
    "INTERNATIONAL", "GENERAL",
}

# Given-name spelling variants (word level). Every member maps to its group.
TRANSLIT_GROUPS = [
    ["MOHAMMAD", "MUHAMMAD", "MOHAMED", "MOHAMMED", "MUHAMMED", "MOHAMAD", "MUHAMAD"],
    ["AHMAD", "AHMED"], ["ALI", "ALY"], ["OMAR", "UMAR"],
    ["YUSUF", "YOUSEF", "YOUSSEF", "YUSEF", "YOUSSOUF"],
    ["HUSSEIN", "HUSAYN", "HUSSAIN", "HUSAIN", "HOSSEIN"], ["HASSAN", "HASAN"],
    ["ABDULLAH", "ABDALLAH", "ABDALLA"], ["OSAMA", "USAMA"], ["MAHMOUD", "MAHMUD"],
    ["MUSTAFA", "MOSTAFA", "MUSTAPHA"], ["KHALID", "KHALED"], ["SAID", "SAEED", "SAYED"],
    ["SALIH", "SALEH"], ["IBRAHIM", "EBRAHIM"], ["ISMAIL", "ISMAEL", "ESMAIL"],
    ["YAHYA", "YEHIA"], ["YASIN", "YASSIN", "YASEEN"], ["HAMID", "HAMED"],
    ["JAMAL", "GAMAL"], ["FAISAL", "FAYSAL", "FEISAL"], ["SULEIMAN", "SULAYMAN", "SOLIMAN"],
    ["QASIM", "QASEM", "KASSEM", "QASSEM"], ["NASSER", "NASIR", "NASER"],
    ["RAHMAN", "REHMAN"], ["MANSOUR", "MANSUR"], ["JAFAR", "JAAFAR"], ["AZIZ", "AZEEZ"],
    ["ZAKARIA", "ZAKARIYA", "ZAKARIYYA"], ["BILAL", "BELAL"], ["HISHAM", "HESHAM"],
    ["TARIQ", "TAREK", "TARIK"], ["WALID", "WALEED"], ["RASHID", "RASHEED", "RACHID"],
    ["MAJID", "MAJED", "MAGED"], ["KARIM", "KAREEM"], ["NUR", "NOOR", "NOUR"],
    ["YUNUS", "YOUNES", "YOUNIS"], ["MUSA", "MOUSSA"], ["ISA", "ISSA"], ["IDRIS", "IDRISS"],
    ["SHARIF", "SHERIF"], ["AMIN", "AMEEN"], ["HAKIM", "HAKEEM"], ["SALIM", "SALEEM", "SELIM"],
    ["KHALIL", "KHALEEL"], ["AYMAN", "AIMAN"], ["OSMAN", "UTHMAN", "OTHMAN"],
    ["HAFIZ", "HAFEZ"], ["ABDUL", "ABDEL", "ABDOUL"], ["ABU", "ABOU"],
    ["SERGEY", "SERGEI"], ["YEVGENIY", "EVGENY", "YEVGENY"], ["ALEKSANDR", "ALEXANDER"],
    ["ANDREY", "ANDREI"], ["DMITRIY", "DMITRY", "DMITRI"], ["YURIY", "YURI", "YURY"],
    ["ALEKSEY", "ALEXEI", "ALEXEY"], ["VASILIY", "VASILY"], ["NIKOLAY", "NIKOLAI"],
    ["GENNADIY", "GENNADY"], ["ANATOLIY", "ANATOLY"], ["VITALIY", "VITALY"],
    ["VALERIY", "VALERY"], ["GRIGORIY", "GRIGORY"], ["VIKTOR", "VICTOR"],
    ["YELENA", "ELENA"], ["NATALYA", "NATALIA"], ["TATYANA", "TATIANA"],
]
TRANSLIT = {w: g for g in TRANSLIT_GROUPS for w in g}

# Hangul names of DPRK organisations, keyed by an English list name. Only
# names whose Hangul form is certain are included; a pair is used only when
# the English name is found (after fold()) among a listed entry's names.
KOREAN_ORGS = {
    "KOREA DAESONG BANK": "조선대성은행",
    "FOREIGN TRADE BANK": "조선무역은행",
    "FOREIGN TRADE BANK OF THE DEMOCRATIC PEOPLE'S REPUBLIC OF KOREA": "조선무역은행",
    "TANCHON COMMERCIAL BANK": "단천상업은행",
    "KOREA MINING DEVELOPMENT TRADING CORPORATION": "조선광업개발무역회사",
    "KOREA RYONBONG GENERAL CORPORATION": "조선련봉총회사",
    "DAEDONG CREDIT BANK": "대동신용은행",
    "RECONNAISSANCE GENERAL BUREAU": "정찰총국",
    "MUNITIONS INDUSTRY DEPARTMENT": "군수공업부",
    "SECOND ECONOMIC COMMITTEE": "제2경제위원회",
    "GENERAL BUREAU OF ATOMIC ENERGY": "원자력총국",
    "AIR KORYO": "고려항공",
    "MINISTRY OF STATE SECURITY": "국가보위성",
    "STATE SECURITY DEPARTMENT": "국가안전보위부",
    "KOREAN WORKERS' PARTY": "조선로동당",
    "WORKERS' PARTY OF KOREA": "조선로동당",
    "AMROGGANG DEVELOPMENT BANKING CORPORATION": "압록강개발은행",
    "ILSIM INTERNATIONAL BANK": "일심국제은행",
    "FIRST CREDIT BANK": "제일신용은행",
    "KOREA COMPUTER CENTER": "조선콤퓨터쎈터",
    "GREEN PINE ASSOCIATED CORPORATION": "청송련합",
    "KOREA NATIONAL INSURANCE CORPORATION": "조선민족보험총회사",
    "KOREAN NATIONAL INSURANCE COMPANY": "조선민족보험총회사",
    "BANK OF EAST LAND": "동방은행",
    "KORYO BANK": "고려은행",
    "HANA BANKING CORPORATION": "하나은행",
    "KUMGANG BANK": "금강은행",
    "AGRICULTURAL DEVELOPMENT BANK": "농업개발은행",
    "KOREAN PEOPLE'S ARMY": "조선인민군",
    "ORGANIZATION AND GUIDANCE DEPARTMENT": "조직지도부",
    "PROPAGANDA AND AGITATION DEPARTMENT": "선전선동부",
    "MINISTRY OF PEOPLE'S ARMED FORCES": "인민무력성",
    "MINISTRY OF PEOPLE'S SECURITY": "인민보안성",
    "KOREA HYOKSIN TRADING CORPORATION": "조선혁신무역회사",
    "KOREA HEUNGJIN TRADING COMPANY": "조선흥진무역회사",
    "KOREAN TANGUN TRADING CORPORATION": "조선단군무역회사",
    "KOREA TANGUN TRADING CORPORATION": "조선단군무역회사",
    "NAMCHONGANG TRADING CORPORATION": "남천강무역회사",
    "KOREA RYONHA MACHINERY JOINT VENTURE CORPORATION": "조선련하기계합영회사",
    "KOREA UNITED DEVELOPMENT BANK": "조선통일발전은행",
    "OCEAN MARITIME MANAGEMENT COMPANY, LIMITED": "원양해운관리회사",
    "OCEAN MARITIME MANAGEMENT COMPANY LIMITED": "원양해운관리회사",
    "KOREA KUMRYONG TRADING CORPORATION": "조선금룡무역회사",
    "KANGBONG TRADING CORPORATION": "강봉무역회사",
    "KOREA ZINC INDUSTRIAL GROUP": "조선아연공업총회사",
    "KOREA NATURAL RESOURCES TRADING CORPORATION": "조선천연자원무역회사",
    "JINMYONG JOINT BANK": "진명합영은행",
    "KORYO CREDIT DEVELOPMENT BANK": "고려신용개발은행",
    "NORTH EAST ASIA BANK": "동북아시아은행",
    "KOREAN COMMITTEE FOR SPACE TECHNOLOGY": "조선우주공간기술위원회",
    "NATIONAL AEROSPACE DEVELOPMENT ADMINISTRATION": "국가우주개발국",
    "KOREA PUGANG TRADING CORPORATION": "조선부강무역회사",
    "KOREA PAEKHO TRADING CORPORATION": "조선백호무역회사",
    "KOREA SOBAEKSU TRADING COMPANY": "조선소백수무역회사",
    "KOREA TAESONG TRADING COMPANY": "조선대성무역회사",
    "KOREA KUMSAN TRADING CORPORATION": "조선금산무역회사",
    "KOREA KWANGSON BANKING CORP": "조선광선은행",
    "KOREA KWANGSON BANKING CORPORATION": "조선광선은행",
    "STRATEGIC ROCKET FORCE OF THE KOREAN PEOPLE'S ARMY": "조선인민군 전략로케트군",
    "STATE AFFAIRS COMMISSION": "국무위원회",
    "CENTRAL MILITARY COMMISSION OF THE WORKERS' PARTY OF KOREA": "조선로동당 중앙군사위원회",
    "KOREA TONGHAE SHIPPING COMPANY": "조선동해해운회사",
}

# Legal-form spelling variants for the `decorated` kind (regex, replacement).
LEGAL_VARIANTS = [
    (r"\bS\.A\.(?=\s|$|,)", "SA"), (r"\bSA\b", "S.A."), (r"\bLTD\.", "LTD"),
    (r"\bLTD\b(?!\.)", "LIMITED"), (r"\bLIMITED\b", "LTD."), (r"\bCO\.(?=\s|,|$)", "COMPANY"),
    (r"\bCOMPANY\b", "CO."), (r"\bLLC\b", "L.L.C."), (r"\bINC\.", "INCORPORATED"),
    (r"\bINC\b", "INC."), (r"\bCORPORATION\b", "CORP."), (r"\bCORP\.", "CORPORATION"),
    (r"\bS\.A\. DE C\.V\.", "SA DE CV"), (r"\bGMBH\b", "G.M.B.H."), (r"\bJSC\b", "J.S.C."),
    (r"\bS\.R\.L\.", "SRL"), (r"\bS\.A\.S\.", "SAS"), (r"\bL\.L\.C\.", "LLC"),
]

ACCENTS = {"A": "ÁÀÂÄ", "E": "ÉÈÊË", "I": "ÍÎÏ", "O": "ÓÔÖ", "U": "ÚÛÜ", "N": "Ñ", "C": "Ç"}

# Words added for the `added_words` kind.
ADDED_ORG_WORDS = ["NOVA", "GROUP", "HOLDING", "GLOBAL", "INTERNATIONAL", "TRADING",
                   "SERVICES", "PLUS", "NEW", "ONE", "MARINE", "ENTERPRISES"]
ADDED_PERSON_WORDS = ["Dr.", "Sheikh", "Haji", "Mr.", "Jr.", "Mohammed", "Jose", "Ali", "Maria"]
ADDED_VESSEL_WORDS = ["M/V", "MV", "TANKER", "I", "STAR"]

KEYBOARD = {
    "a": "qwsz", "b": "vghn", "c": "xdfv", "d": "serfcx", "e": "wsdr", "f": "drtgvc",
    "g": "ftyhbv", "h": "gyujnb", "i": "ujko", "j": "huikmn", "k": "jiolm", "l": "kop",
    "m": "njk", "n": "bhjm", "o": "iklp", "p": "ol", "q": "wa", "r": "edft", "s": "awedxz",
    "t": "rfgy", "u": "yhji", "v": "cfgb", "w": "qase", "x": "zsdc", "y": "tghu", "z": "asx",
}

RNG = random.Random(SEED)


# ---------------------------------------------------------------------------
# helpers
# ---------------------------------------------------------------------------

def tokens(name: str) -> list[str]:
    return fold(name).split()


def distinctive(name: str) -> frozenset[str]:
    return frozenset(t for t in tokens(name) if t not in LEGAL_WORDS)


def smart_title(text: str) -> str:
    """'AL-ZAWAHIRI' -> 'Al-Zawahiri' (capitalise after space, '-' and "'")."""
    out, cap = [], True
    for ch in text:
        out.append(ch.upper() if cap else ch.lower())
        cap = ch in " -'’("
    return "".join(out)


def match_case(template: str, word: str) -> str:
    if template.isupper():
        return word.upper()
    if template[:1].isupper():
        return word.capitalize()
    return word.lower()


def person_forms(rec: Record) -> tuple[list[str], list[str]] | None:
    """(given words, family words) for a person, or None if unknown.
    OFAC: from 'SURNAME, Given'. UN: everything but the last word is given
    (UN individuals are written given-first, except DPRK names)."""
    if rec.source == "ofac":
        if not rec.first_name or not rec.last_name:
            return None
        return rec.first_name.split(), rec.last_name.split()
    words = rec.name.split()
    if len(words) < 2:
        return None
    return words[:-1], words[-1:]


def display_name(rec: Record) -> str:
    """Name a user would type: OFAC individuals in natural order (list
    casing kept, e.g. 'Joaquin VALENCIA TRUJILLO'), everything else as listed."""
    if rec.source == "ofac" and rec.etype == "person":
        return natural_order(rec.name)
    return rec.name


class Builder:
    """Collects rows and enforces the global de-duplication rules."""

    def __init__(self, records: list[Record]):
        self.records = records
        self.by_designation = {r.designation: r for r in records}
        # fold(name) -> designations that carry it (strong names incl. natural order)
        self.strong_keys: dict[str, set[str]] = defaultdict(set)
        self.all_keys: dict[str, set[str]] = defaultdict(set)  # plus weak aliases
        self.distinct_sets: dict[frozenset[str], set[str]] = defaultdict(set)
        self.token_index: dict[str, set[int]] = defaultdict(set)
        self.listed_sets: list[frozenset[str]] = []
        for r in records:
            for n in r.all_names():
                self.strong_keys[fold(n)].add(r.designation)
                self.all_keys[fold(n)].add(r.designation)
            for n in r.weak_aliases:
                self.all_keys[fold(n)].add(r.designation)
            for n in r.all_names() + r.weak_aliases:
                ds = distinctive(n)
                if ds:
                    self.distinct_sets[ds].add(r.designation)
                    idx = len(self.listed_sets)
                    self.listed_sets.append(ds)
                    for t in ds:
                        self.token_index[t].add(idx)
        self.rows: list[dict] = []
        self.used_queries: set[str] = set()
        self.used_designations: Counter = Counter()

    # -- positive rows ----------------------------------------------------
    def own_keys(self, rec: Record) -> set[str]:
        return {fold(n) for n in rec.all_names() + rec.weak_aliases}

    def add(self, query: str, rec: Record | None, kind: str, base: str, detail: str,
            check_own: bool = True, check_other: bool = True, source: str | None = None) -> bool:
        query = query.strip()
        if kind != "decorated":
            query = re.sub(r"\s+", " ", query)
        if not query or fold(query) == "" and kind != "identifier":
            return False
        key = query.casefold()
        if key in self.used_queries:
            return False
        if rec is not None:
            fq = fold(query)
            if check_own and fq in self.own_keys(rec):
                return False  # would just be an exact (alias) hit, not this kind
            if check_other and fq in self.all_keys and rec.designation not in self.all_keys[fq]:
                return False  # query is literally another entry's name: ambiguous
        self.used_queries.add(key)
        self.rows.append({
            "query": query,
            "expected": rec.designation if rec else "",
            "kind": kind,
            "list": rec.source if rec else (source or ""),
            "base": base,
            "detail": detail,
        })
        if rec is not None:
            self.used_designations[rec.designation] += 1
        return True

    def run_kind(self, kind: str, pools: dict[str, list], make, target: int = PER_KIND,
                 **add_kw) -> int:
        """Draw from each pool (e.g. {'ofac': [...], 'un': [...]}) in turn,
        half the target each, topping up from the other pool if one runs dry.
        `make(item)` returns (query, record, base, detail) or None."""
        shuffled = {}
        for name, pool in pools.items():
            items = list(pool)
            RNG.shuffle(items)
            # prefer entries not used by any other kind yet (diversity)
            items.sort(key=lambda it: self.used_designations[it.designation] if isinstance(it, Record) else 0)
            shuffled[name] = items
        quota = {name: target // len(pools) + (1 if i < target % len(pools) else 0)
                 for i, name in enumerate(pools)}
        got = Counter()
        positions = Counter()

        def draw(name: str, limit: int) -> None:
            items = shuffled[name]
            while got[name] < limit and positions[name] < len(items):
                item = items[positions[name]]
                positions[name] += 1
                made = make(item)
                if made is None:
                    continue
                query, rec, base, detail = made
                if self.add(query, rec, kind, base, detail, **add_kw):
                    got[name] += 1

        for name in pools:
            draw(name, quota[name])
        for name in pools:  # top up from whichever pool still has items
            missing = target - sum(got.values())
            if missing <= 0:
                break
            draw(name, got[name] + missing)
        return sum(got.values())

    # -- negative rows ----------------------------------------------------
    def is_listed_exact(self, name: str) -> bool:
        return fold(name) in self.all_keys

    def is_near_listed(self, name: str) -> bool:
        """Token-set equality (ignoring legal forms) with a listed name, or
        one name's distinctive tokens (>= 2) all contained in the other's."""
        ds = distinctive(name)
        if not ds:
            return True
        if ds in self.distinct_sets:
            return True
        if len(ds) >= 2:
            cands = None
            for t in ds:
                cands = set(self.token_index.get(t, set())) if cands is None else cands & self.token_index.get(t, set())
                if not cands:
                    break
            if cands:
                return True  # all our tokens inside one listed name
        # a listed name (>= 2 tokens) whose tokens are all in ours
        counts = Counter()
        for t in ds:
            for idx in self.token_index.get(t, ()):
                counts[idx] += 1
        for idx, c in counts.items():
            if c == len(self.listed_sets[idx]) and c >= 2:
                return True
        return False


# ---------------------------------------------------------------------------
# positive generators
# ---------------------------------------------------------------------------

def persons_and_others(ofac, un) -> dict[str, list]:
    """The pools of kinds drawn half from persons, half from organisations and vessels,
    from both lists."""
    return {
        "ofac_person": [r for r in ofac if r.etype == "person"],
        "un_person": [r for r in un if r.etype == "person"],
        "ofac_other": [r for r in ofac if r.etype != "person"],
        "un_other": [r for r in un if r.etype != "person"],
    }


def gen_exact(b: Builder, ofac, un):
    def make(r: Record):
        if len(fold(r.name)) < 4:
            return None
        return r.name, r, r.name, "primary name as listed"
    return b.run_kind("exact", {"ofac": ofac, "un": un}, make, check_own=False, check_other=False)


def gen_alias(b: Builder, ofac, un):
    def make(r: Record):
        cands = [a for a in r.aliases if fold(a) != fold(r.name) and len(fold(a)) >= 4]
        if not cands:
            return None
        a = RNG.choice(sorted(cands))
        return a, r, r.name, "strong alias as listed"
    return b.run_kind("alias", {"ofac": [r for r in ofac if r.aliases], "un": [r for r in un if r.aliases]},
                      make, check_own=False)


def gen_weak_alias(b: Builder, ofac, un):
    def make(r: Record):
        cands = [w for w in r.weak_aliases if len(fold(w)) >= 3 and fold(w) not in b.strong_keys]
        if not cands:
            return None
        w = RNG.choice(sorted(cands))
        src = "OFAC Remarks a.k.a." if r.source == "ofac" else "UN alias QUALITY=Low"
        return w, r, r.name, src
    return b.run_kind("weak_alias", {"ofac": [r for r in ofac if r.weak_aliases],
                                     "un": [r for r in un if r.weak_aliases]}, make, check_own=False)


def gen_natural_order(b: Builder, ofac, un):
    def make(r: Record):
        if not (r.first_name and r.last_name):
            return None
        q = smart_title(f"{r.first_name} {r.last_name}")
        return q, r, r.name, "OFAC 'SURNAME, Given' -> 'Given Surname'"
    return b.run_kind("natural_order", {"ofac": [r for r in ofac if r.etype == "person"]}, make,
                      check_own=False)


def _middle_positions(words: list[str], rec: Record) -> list[int]:
    """Indices of droppable middle words (not first/last, not particles, not
    the word after a particle)."""
    if rec.source == "ofac":
        pf = person_forms(rec)
        if not pf or len(pf[0]) < 2:
            return []
        given = pf[0]
        idxs = range(1, len(given))
    else:
        idxs = range(1, len(words) - 1)
    out = []
    for i in idxs:
        w = words[i].upper().strip(".,")
        if w in PARTICLES or words[i - 1].upper() in PARTICLES or len(w) < 2 or "-" in w:
            continue
        out.append(i)
    return out


def gen_dropped_word(b: Builder, ofac, un):
    def make(r: Record):
        words = display_name(r).split()
        if len(words) < 3:
            return None
        pos = _middle_positions(words, r)
        if not pos:
            return None
        i = RNG.choice(pos)
        q = " ".join(words[:i] + words[i + 1:])
        return q, r, display_name(r), f"dropped '{words[i]}'"
    return b.run_kind("dropped_word", {"ofac": [r for r in ofac if r.etype == "person"],
                                       "un": [r for r in un if r.etype == "person"]}, make)


def gen_initials(b: Builder, ofac, un):
    def make(r: Record):
        words = display_name(r).split()
        if len(words) < 3:
            return None
        pos = [i for i in _middle_positions(words, r) if words[i][:1].isalpha() and len(words[i]) > 2]
        if not pos:
            return None
        i = RNG.choice(pos)
        q = " ".join(words[:i] + [words[i][0].upper() + "."] + words[i + 1:])
        return q, r, display_name(r), f"'{words[i]}' -> initial"
    return b.run_kind("initials", {"ofac": [r for r in ofac if r.etype == "person"],
                                   "un": [r for r in un if r.etype == "person"]}, make)


def gen_swapped_words(b: Builder, ofac, un):
    def make(r: Record):
        words = display_name(r).replace(",", "").split()
        if len(words) < 2 or len(words) > 6:
            return None
        i = RNG.randrange(len(words) - 1)
        if words[i].upper() == words[i + 1].upper():
            return None
        sw = words[:i] + [words[i + 1], words[i]] + words[i + 2:]
        return " ".join(sw), r, display_name(r), f"swapped '{words[i]}' and '{words[i + 1]}'"
    # half persons, half organisations/vessels, from both lists
    pools = persons_and_others(ofac, un)
    return b.run_kind("swapped_words", pools, make)


def _typo(word: str) -> str:
    """One keyboard-style edit, never at the first character."""
    lower = word.lower()
    i = RNG.randrange(1, len(word))
    op = RNG.choice(["sub", "del", "ins", "swap"])
    if op == "swap" and i < len(word) - 1 and lower[i] != lower[i + 1]:
        new = word[:i] + word[i + 1] + word[i] + word[i + 2:]
    elif op == "del":
        new = word[:i] + word[i + 1:]
    elif op == "ins":
        new = word[:i] + word[i - 1] + word[i:]
    else:
        ch = lower[i]
        repl = RNG.choice(KEYBOARD.get(ch, "aeiou"))
        repl = repl.upper() if word[i].isupper() else repl
        new = word[:i] + repl + word[i + 1:]
    return new


def _typo_candidates(words: list[str]) -> list[int]:
    return [i for i, w in enumerate(words) if len(w) >= 5 and w.isalpha()]


def gen_typos(b: Builder, ofac, un, n_typos: int):
    kind = "one_typo" if n_typos == 1 else "two_typos"

    def make(r: Record):
        base = display_name(r)
        words = base.split()
        if len(fold(base)) < 8:
            return None
        cands = _typo_candidates(words)
        if not cands:
            return None
        if n_typos == 1:
            i = RNG.choice(cands)
            words[i] = _typo(words[i])
            detail = f"typo in word {i + 1}"
        else:
            if len(cands) >= 2:
                i, j = RNG.sample(cands, 2)
                words[i] = _typo(words[i])
                words[j] = _typo(words[j])
                detail = f"typos in words {i + 1} and {j + 1}"
            else:
                i = cands[0]
                if len(words[i]) < 8:
                    return None
                w = _typo(words[i])
                w2 = _typo(w)
                if w2 == words[i]:
                    return None
                words[i] = w2
                detail = f"two typos in word {i + 1}"
        q = " ".join(words)
        if q == base:
            return None
        return q, r, base, detail
    pools = persons_and_others(ofac, un)
    return b.run_kind(kind, pools, make)


def gen_transliteration(b: Builder, ofac, un):
    def make(r: Record):
        base = display_name(r)
        words = base.split()
        spots = []
        for i, w in enumerate(words):
            parts = w.split("-")
            for j, p in enumerate(parts):
                up = p.upper()
                if up in TRANSLIT:
                    spots.append((i, j, "group"))
                elif up in ("AL", "EL") and j == 0 and len(parts) > 1:
                    spots.append((i, j, "al"))
        if not spots:
            return None
        i, j, how = RNG.choice(spots)
        parts = words[i].split("-")
        old = parts[j]
        if how == "al":
            new = "EL" if old.upper() == "AL" else "AL"
        else:
            new = RNG.choice([v for v in TRANSLIT[old.upper()] if v != old.upper()])
        parts[j] = match_case(old, new)
        words[i] = "-".join(parts)
        return " ".join(words), r, base, f"{old} -> {parts[j]}"
    pools = {
        "ofac": [r for r in ofac if r.etype == "person"],
        "un": [r for r in un if r.etype == "person"],
    }
    return b.run_kind("transliteration", pools, make)


RU_PROGRAMS = ("UKRAINE", "RUSSIA", "CYBER", "MAGNIT", "ELECTION", "CAATSA")


def gen_cyrillic(b: Builder, ofac, un):
    n_before = len(b.rows)
    # (a) UN NAME_ORIGINAL_SCRIPT / aliases in Cyrillic (Russian-language names).
    un_cyr = [(r, n) for r in un for n in r.original_script if re.search("[А-яЁё]", n)]
    RNG.shuffle(un_cyr)
    for r, n in un_cyr[:12]:
        b.add(n, r, "cyrillic", r.name, "UN original-script (Cyrillic)", check_own=False)

    # (b) Korean names (DPRK) written in Russian Cyrillic, family name first.
    def make_ko(r: Record):
        pf = person_forms(r)
        if r.source == "un":
            parts = r.name_parts
            if len(parts) != 2:
                return None
            fam, giv = parts[0], parts[1]
        else:
            if not pf:
                return None
            fam, giv = " ".join(pf[1]), " ".join(pf[0])
        cyr = korean_to_cyrillic(fam, giv)
        if cyr is None:
            return None
        if RNG.random() < 0.4:
            cyr = cyr.upper()
        return cyr, r, r.name, "Korean name in Russian Cyrillic (Kontsevich)"
    ko_ofac = [r for r in ofac if r.etype == "person" and any("DPRK" in p or "NKOREA" in p for p in r.programs)]
    ko_un = [r for r in un if r.etype == "person" and r.ref.startswith("KP")]
    b.run_kind("cyrillic", {"ofac": ko_ofac, "un": ko_un}, make_ko, target=12, check_own=False)

    # (c) Russian names romanised by OFAC, written back in Cyrillic.
    def make_ru(r: Record):
        pf = person_forms(r)
        if not pf:
            return None
        given, family = pf
        if len(given) != 2 or not re.search(r"(ovich|evich|ovna|evna)$", given[1]):
            return None
        if re.search(r"(ENKA|SHVILI|DZE|IAN|YAN|OGLU|ZADE|ULY|KYZY)$", family[-1].upper()):
            return None  # Belarusian, Georgian, Armenian, Turkic surnames
        cyr = russian_to_cyrillic(given + family)
        if cyr is None:
            return None
        if RNG.random() < 0.5:
            cyr = [cyr[-1]] + cyr[:-1]  # 'Фамилия Имя Отчество'
        return " ".join(cyr), r, r.name, "Russian name back in Cyrillic"
    ru = [r for r in ofac if r.etype == "person" and any(p.startswith(RU_PROGRAMS) for p in r.programs)]
    b.run_kind("cyrillic", {"ofac": ru}, make_ru, target=PER_KIND - (len(b.rows) - n_before), check_own=False)
    return len(b.rows) - n_before


def gen_original_script(b: Builder, ofac, un):
    items = [(r, n) for r in un for n in r.original_script
             if not re.search("[А-яЁё]", n) and "\ufffd" not in n]

    class Item:  # carry designation for the diversity sort
        def __init__(self, r, n):
            self.r, self.n, self.designation = r, n, r.designation
    pool = [Item(r, n) for r, n in items]

    def make(it):
        return it.n, it.r, it.r.name, "UN NAME_ORIGINAL_SCRIPT / native-script alias"
    return b.run_kind("original_script", {"un": pool}, make, check_own=False)


def gen_korean_org(b: Builder, ofac, un):
    by_key = {fold(k): v for k, v in KOREAN_ORGS.items()}
    found = []  # (hangul, record, english)
    for r in ofac + un:
        if r.etype != "organization":
            continue
        for n in [r.name, *r.aliases, *r.previous_names]:
            hangul = by_key.get(fold(re.sub(r"\s*\([^)]*\)\s*$", "", n)))
            if hangul:
                found.append((hangul, r, n))
                break
    # one query per Hangul string; alternate OFAC / UN where both list it
    by_hangul: dict[str, list] = defaultdict(list)
    for h, r, n in found:
        by_hangul[h].append((r, n))
    n_added = 0
    for i, h in enumerate(sorted(by_hangul)):
        cands = sorted(by_hangul[h], key=lambda x: x[0].source)
        pick = cands[i % len(cands)]
        if b.add(h, pick[0], "korean_org", pick[1], "Hangul name of a DPRK organisation", check_own=False):
            n_added += 1
    return n_added


def gen_decorated(b: Builder, ofac, un):
    def decorate(text: str) -> tuple[str, str]:
        ops = []
        # legal-form variant if applicable (preferred for organisations)
        variants = [(pat, rep) for pat, rep in LEGAL_VARIANTS if re.search(pat, text, flags=re.I)]
        if variants and RNG.random() < 0.7:
            pat, rep = RNG.choice(variants)
            text = re.sub(pat, rep, text, count=1, flags=re.I)
            ops.append(f"legal form {rep}")
        choices = ["case", "spaces", "punct", "accent"]
        for op in RNG.sample(choices, RNG.choice([1, 2])):
            if op == "case":
                text = RNG.choice([text.lower(), smart_title(text), text.upper()])
            elif op == "spaces":
                words = text.split()
                i = RNG.randrange(max(1, len(words) - 1))
                text = " ".join(words[:i + 1]) + RNG.choice(["  ", "   "]) + " ".join(words[i + 1:])
            elif op == "punct":
                words = text.split()
                i = RNG.randrange(len(words))
                words[i] = words[i] + RNG.choice([",", ".", ";"])
                text = " ".join(words)
                if RNG.random() < 0.5:
                    text = f'"{text}"'
            elif op == "accent":
                idx = [i for i, c in enumerate(text) if c.upper() in ACCENTS and i > 0]
                if idx:
                    i = RNG.choice(idx)
                    acc = RNG.choice(ACCENTS[text[i].upper()])
                    text = text[:i] + (acc if text[i].isupper() else acc.lower()) + text[i + 1:]
            ops.append(op)
        return text, "+".join(ops)

    def make(r: Record):
        base = display_name(r)
        q, how = decorate(base)
        if q.strip() == base:
            return None
        return q, r, base, how
    pools = persons_and_others(ofac, un)
    # the query may equal the base name after fold(): that is the point here
    return b.run_kind("decorated", pools, make, check_own=False)


def gen_hyphen_space(b: Builder, ofac, un):
    def make(r: Record):
        base = display_name(r)
        if "-" in base and RNG.random() < 0.7:
            q = base.replace("-", RNG.choice([" ", ""]), 1)
            how = "hyphen removed/spaced"
        else:
            words = base.split()
            if r.source == "ofac" and r.etype == "person":
                n_given = len((r.first_name or "").split())
                same_part = lambda i: (i + 1 < n_given) or (i >= n_given)  # noqa: E731
            else:
                same_part = lambda i: True  # noqa: E731
            pairs = [i for i in range(len(words) - 1)
                     if words[i].isalpha() and words[i + 1].isalpha() and same_part(i)
                     and words[i].upper() not in LEGAL_WORDS and words[i + 1].upper() not in LEGAL_WORDS]
            if not pairs:
                return None
            i = RNG.choice(pairs)
            sep = RNG.choice(["-", ""])
            q = " ".join(words[:i] + [words[i] + sep + words[i + 1]] + words[i + 2:])
            how = f"'{words[i]} {words[i + 1]}' joined with {sep!r}"
        if q == base:
            return None
        return q, r, base, how
    return b.run_kind("hyphen_space", {"ofac": ofac, "un": un}, make, check_own=False)


def gen_added_words(b: Builder, ofac, un):
    def make(r: Record):
        base = display_name(r)
        n = RNG.choice([1, 1, 2])
        if r.etype == "person":
            words = RNG.sample(ADDED_PERSON_WORDS, n)
            pos = RNG.choice(["front", "middle"])
            parts = base.split()
            if pos == "front" or len(parts) < 2:
                q = " ".join(words + parts)
            else:
                q = " ".join(parts[:1] + words + parts[1:])
        else:
            pool = ADDED_VESSEL_WORDS if r.etype == "vessel" else ADDED_ORG_WORDS
            words = RNG.sample(pool, n)
            q = f"{base} {' '.join(words)}" if r.etype != "vessel" or RNG.random() < 0.5 else f"{' '.join(words)} {base}"
        return q, r, base, f"added {words}"
    pools = {
        "ofac_other": [r for r in ofac if r.etype != "person"],
        "un_other": [r for r in un if r.etype != "person"],
        "ofac_person": [r for r in ofac if r.etype == "person"],
        "un_person": [r for r in un if r.etype == "person"],
    }
    return b.run_kind("added_words", pools, make)


def gen_identifier(b: Builder, ofac, un):
    # identifier value -> designations (skip values shared by several entries)
    owners: dict[str, set[str]] = defaultdict(set)
    for r in ofac + un:
        for kind, value, _ in r.identifiers:
            owners[re.sub(r"[^A-Z0-9]", "", value.upper())].add(r.designation)

    def unique(value: str) -> bool:
        return len(owners[re.sub(r"[^A-Z0-9]", "", value.upper())]) == 1

    class Item:
        def __init__(self, r, kind, value):
            self.r, self.kind, self.value, self.designation = r, kind, value, r.designation

    def items(recs, kinds):
        out = []
        for r in recs:
            for kind, value, _ in r.identifiers:
                if kind in kinds and unique(value):
                    out.append(Item(r, kind, value))
        return out

    def make(it):
        v = it.value.strip()
        if it.kind == "imo":
            digits = re.sub(r"\D", "", v)
            if len(digits) != 7:
                return None
            q = RNG.choice([f"IMO {digits}", f"IMO {digits}", f"IMO{digits}"])
        elif it.kind == "crypto:ETH":
            if not re.fullmatch(r"0x[0-9a-fA-F]{40}", v):
                return None
            q = f"ethereum:{v}"
        elif it.kind == "crypto:XBT":
            q = RNG.choice([v, f"bitcoin:{v}"])
        elif it.kind in ("passport", "national_id"):
            if len(re.sub(r"\W", "", v)) < 6 or not re.search(r"\d{4}", v):
                return None
            q = v
        elif it.kind == "bic":
            q = v
        else:
            return None
        return q, it.r, it.r.name, f"{it.kind} {v}"

    n = 0
    n += b.run_kind("identifier", {"ofac": items([r for r in ofac if r.etype == "vessel"], {"imo"})},
                    make, target=10, check_own=False, check_other=False)
    n += b.run_kind("identifier", {"ofac": items(ofac, {"crypto:ETH"})}, make, target=5,
                    check_own=False, check_other=False)
    n += b.run_kind("identifier", {"ofac": items(ofac, {"crypto:XBT"})}, make, target=3,
                    check_own=False, check_other=False)
    n += b.run_kind("identifier", {"ofac": items(ofac, {"bic"})}, make, target=3,
                    check_own=False, check_other=False)
    n += b.run_kind("identifier", {"ofac": items([r for r in ofac if r.etype == "person"], {"passport", "national_id"}),
                                   "un": items(un, {"passport", "national_id"})},
                    make, target=PER_KIND - n, check_own=False, check_other=False)
    return n


# ---------------------------------------------------------------------------
# negatives
# ---------------------------------------------------------------------------

def read_names(path: str) -> list[str]:
    with open(path, encoding="utf-8") as fh:
        return sorted({ln.strip() for ln in fh if ln.strip()})


def gen_negatives(b: Builder, stats: dict) -> None:
    for kind, fname in NEG_FILES.items():
        names = read_names(os.path.join(DERIVED, fname))
        RNG.shuffle(names)
        added = exact = near = 0
        for n in names:
            if added >= PER_NEG_KIND:
                break
            if b.is_listed_exact(n):
                exact += 1
                continue
            # legislators are clean (not sanctions-related): exact test only
            if kind != "neg_legislator" and b.is_near_listed(n):
                near += 1
                continue
            if b.add(n, None, kind, n, fname, source="neg"):
                added += 1
        stats[kind] = (added, exact, near)

    # neg_same_surname: a common listed surname + an unrelated real given name
    surnames = Counter()
    for r in b.records:
        if r.etype != "person":
            continue
        pf = person_forms(r)
        if pf and len(pf[1]) == 1 and len(pf[1][0]) >= 3 and pf[1][0].isalpha():
            surnames[pf[1][0].upper()] += 1
    common = sorted(s for s, c in surnames.items() if c >= 3)
    given = sorted({ln.split()[0] for ln in read_names(os.path.join(DERIVED, NEG_FILES["neg_legislator"]))
                    if ln.split()[0].isalpha() and len(ln.split()[0]) >= 3})
    # designations per (surname) to check the pair is not a listed person
    added = rejected = 0
    attempts = 0
    while added < PER_NEG_KIND and attempts < 20000:
        attempts += 1
        s = RNG.choice(common)
        g = RNG.choice(given)
        q = f"{g} {smart_title(s)}" if RNG.random() < 0.6 else f"{s}, {g}"
        # reject if any listed name holds both tokens
        toks = {fold(g), fold(s)}
        idxs = None
        for t in toks:
            idxs = set(b.token_index.get(t, set())) if idxs is None else idxs & b.token_index.get(t, set())
        if b.is_listed_exact(q) or idxs:
            rejected += 1
            continue
        if b.add(q, None, "neg_same_surname", s, f"listed surname {s} ({surnames[s]}x) + given {g}", source="neg"):
            added += 1
    stats["neg_same_surname"] = (added, rejected, 0)


# ---------------------------------------------------------------------------
# main
# ---------------------------------------------------------------------------



def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", default=os.path.dirname(os.path.abspath(__file__)))
    ap.add_argument("--seed", type=int, default=SEED)
    args = ap.parse_args()
    RNG.seed(args.seed)

    ofac = sorted(peer_lists.load_ofac(), key=lambda r: int(r.ref))
    un = sorted(peer_lists.load_un(), key=lambda r: r.ref)
    b = Builder(ofac + un)

    # The order matters only for the diversity preference (later kinds prefer
    # entries not used yet); it is fixed, so the output is deterministic.
    gen_korean_org(b, ofac, un)
    gen_identifier(b, ofac, un)
    gen_cyrillic(b, ofac, un)
    gen_original_script(b, ofac, un)
    gen_weak_alias(b, ofac, un)
    gen_exact(b, ofac, un)
    gen_alias(b, ofac, un)
    gen_natural_order(b, ofac, un)
    gen_dropped_word(b, ofac, un)
    gen_initials(b, ofac, un)
    gen_swapped_words(b, ofac, un)
    gen_typos(b, ofac, un, 1)
    gen_typos(b, ofac, un, 2)
    gen_transliteration(b, ofac, un)
    gen_decorated(b, ofac, un)
    gen_hyphen_space(b, ofac, un)
    gen_added_words(b, ofac, un)
    neg_stats: dict = {}
    gen_negatives(b, neg_stats)

    order = {k: i for i, k in enumerate(POSITIVE_KINDS + NEGATIVE_KINDS)}
    rows = sorted(b.rows, key=lambda r: order[r["kind"]])  # stable within a kind

    with open(os.path.join(args.out, "labelled.csv"), "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(["query", "expected", "kind"])
        for r in rows:
            w.writerow([r["query"], r["expected"], r["kind"]])
    with open(os.path.join(args.out, "labelled-notes.csv"), "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(["line", "query", "expected", "kind", "list", "base", "detail"])
        for i, r in enumerate(rows, 1):
            w.writerow([i, r["query"], r["expected"], r["kind"], r["list"], r["base"], r["detail"]])

    by_kind = Counter(r["kind"] for r in rows)
    by_kind_list = Counter((r["kind"], r["list"]) for r in rows)
    lines = [f"labelled.csv: {len(rows)} rows (seed {args.seed})",
             f"positives: {sum(by_kind[k] for k in POSITIVE_KINDS)}, negatives: {sum(by_kind[k] for k in NEGATIVE_KINDS)}",
             "", f"{'kind':24} {'total':>5} {'ofac':>5} {'un':>5}"]
    for k in POSITIVE_KINDS + NEGATIVE_KINDS:
        lines.append(f"{k:24} {by_kind[k]:5d} {by_kind_list[(k, 'ofac')]:5d} {by_kind_list[(k, 'un')]:5d}")
    lines.append("")
    lines.append("negatives skipped (kind: added, exact-listed skipped, near-listed skipped):")
    for k, v in neg_stats.items():
        lines.append(f"  {k}: {v[0]} added, {v[1]} exact/pair-listed skipped, {v[2]} near-listed skipped")
    text = "\n".join(lines) + "\n"
    with open(os.path.join(args.out, "labelled-stats.txt"), "w", encoding="utf-8") as fh:
        fh.write(text)
    print(text)


if __name__ == "__main__":
    main()
