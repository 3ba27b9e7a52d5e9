#!/usr/bin/env python3
"""Score the labelled queries with OpenSanctions' LogicV2 matcher (nomenklatura).

This is the "peer" side of the comparison: it does what yente's /match
endpoint does with its default algorithm, without Elasticsearch.

* yente's default algorithm is "best", which yente/settings.py resolves to
  BEST_ALGORITHM = "logic-v2" (nomenklatura.matching.LogicV2); its default
  match threshold is SCORE_THRESHOLD = 0.70 (a result "matches" when
  score >= threshold). yente scores every candidate with
  ``algorithm.compare(query=entity, result=candidate,
  config=ScoringConfig(weights={}, config={}))``; with empty dicts
  nomenklatura fills in LogicV2.CONFIG defaults and the feature weights.
* The query entity is built as yente's Entity.from_example does: a
  followthemoney entity of the requested schema whose properties are added
  with ``unsafe_add(prop, value, cleaned=False, fuzzy=True)``.
* The list entries are turned into followthemoney entities the way
  OpenSanctions models them: Person / Organization / Vessel / Airplane with
  name, alias, previousName, weakAlias, firstName/lastName and identifier
  properties; each crypto address becomes a CryptoWallet entity whose hits
  are credited to its holder.

Because a bare name carries no type, each query is issued as a LegalEntity
query (matches Person, Organization, Company) and, against vessels and
aircraft, as a Vessel / Airplane query -- as a yente user screening an
untyped name would have to do. Queries that look like identifiers (IMO
numbers, crypto addresses, passport-like numbers, BICs) also get the value
in the matching identifier property (yente itself does not parse strings;
a client would fill the property).

Candidate retrieval replaces yente's Elasticsearch query with a cheap
blocker (character 3-grams and tokens of an ASCII-folded name, plus
identifier equality). The expected entity is always scored directly, so the
recorded expected_score never depends on the blocker; the column
expected_in_block says whether the blocker would have found it.

Output: peer_results.csv with
query,kind,expected,best_id,best_score,expected_score,expected_in_block,n_candidates,best_name,hits
where hits lists every entity scoring >= --hits-floor (default 0.5) as
"designation=score" joined by ';' (the same cut-off the ledger run uses).

Usage: venv/bin/python peer_score.py [--labelled labelled.csv] [--out peer_results.csv]
"""

from __future__ import annotations

import argparse
import csv
import math
import os
import re
import sys
import time
from collections import Counter, defaultdict

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from importlib.metadata import version  # noqa: E402

from followthemoney import ValueEntity, model  # noqa: E402
from nomenklatura.matching import get_algorithm  # noqa: E402
from nomenklatura.matching.types import ScoringConfig  # noqa: E402
from normality import ascii_text  # noqa: E402

import peer_lists  # noqa: E402
from peer_lists import Record, natural_order  # noqa: E402

ALGORITHM_NAME = "logic-v2"  # yente BEST_ALGORITHM; DEFAULT_ALGORITHM = "best"
YENTE_THRESHOLD = 0.70  # yente settings.SCORE_THRESHOLD

SCHEMA_OF = {"person": "Person", "organization": "Organization", "vessel": "Vessel", "aircraft": "Airplane"}

# Identifier kinds from peer_lists -> followthemoney property per schema.
ID_PROPS = {
    "Person": {"passport": "passportNumber", "national_id": "idNumber", "tax": "taxNumber",
               "reg": "registrationNumber", "bic": "swiftBic"},
    "Organization": {"passport": "idNumber", "national_id": "idNumber", "tax": "taxNumber",
                     "reg": "registrationNumber", "bic": "swiftBic", "company_imo": "imoNumber"},
    "Vessel": {"imo": "imoNumber", "mmsi": "mmsi", "call_sign": "callSign", "reg": "registrationNumber"},
    "Airplane": {"msn": "serialNumber", "tail": "registrationNumber", "reg": "registrationNumber"},
}


def vid(designation: str) -> str:
    """Entity id for a designation (ids stay readable; map back by prefix)."""
    return designation.replace("designation/", "")


# ---------------------------------------------------------------------------
# list entries -> followthemoney entities
# ---------------------------------------------------------------------------

def build_entities(records: list[Record]) -> tuple[list[ValueEntity], dict[str, str]]:
    """Return entities and entity-id -> designation (wallets map to holders)."""
    entities: list[ValueEntity] = []
    owner: dict[str, str] = {}
    for rec in records:
        schema = SCHEMA_OF[rec.etype]
        ent = ValueEntity(model.get(schema), {"id": vid(rec.designation)})
        is_ofac_person = rec.source == "ofac" and rec.etype == "person"
        # OpenSanctions writes OFAC individuals given-name first.
        ent.add("name", natural_order(rec.name) if is_ofac_person else rec.name)
        if is_ofac_person and rec.first_name and rec.last_name:
            ent.add("firstName", rec.first_name)
            ent.add("lastName", rec.last_name)
        for a in rec.aliases:
            ent.add("alias", natural_order(a) if is_ofac_person else a)
        for a in rec.original_script:
            ent.add("alias", a)
        for a in rec.previous_names:
            ent.add("previousName", natural_order(a) if is_ofac_person else a)
        for a in rec.weak_aliases:
            ent.add("weakAlias", a)
        wallet_n = 0
        for kind, value, _country in rec.identifiers:
            if kind.startswith("crypto:"):
                wallet_n += 1
                w = ValueEntity(model.get("CryptoWallet"), {"id": f"{vid(rec.designation)}-wallet-{wallet_n}"})
                w.add("publicKey", value)
                w.add("currency", kind.split(":", 1)[1])
                w.add("holder", ent.id)
                entities.append(w)
                owner[w.id] = rec.designation
                continue
            prop = ID_PROPS[schema].get(kind)
            if prop:
                if prop == "imoNumber":
                    value = "IMO" + re.sub(r"\D", "", value)
                ent.add(prop, value)
        entities.append(ent)
        owner[ent.id] = rec.designation
    return entities, owner


# ---------------------------------------------------------------------------
# query entity (as yente's Entity.from_example)
# ---------------------------------------------------------------------------

_ETH = re.compile(r"^(?:ethereum:)?(0x[0-9a-fA-F]{40})(?:@\d+)?$")
_BTC = re.compile(r"^(?:bitcoin:)?((?:bc1|[13])[a-zA-HJ-NP-Z0-9]{25,62})$")
_IMO = re.compile(r"^IMO[\s:#-]*(\d{7})$", re.I)
_BIC = re.compile(r"^[A-Z]{6}[A-Z0-9]{2}(?:[A-Z0-9]{3})?$")


def parse_identifier(query: str) -> tuple[str, str] | None:
    """Recognise identifier-looking queries: ('crypto'|'imo'|'bic'|'id', value)."""
    q = query.strip()
    for pattern, kind in ((_ETH, "crypto"), (_BTC, "crypto"), (_IMO, "imo")):
        m = pattern.match(q)
        if m:
            return kind, m.group(1)
    if _BIC.match(q):
        return "bic", q
    compact = re.sub(r"[\s./-]", "", q)
    if len(q.split()) <= 3 and len(compact) >= 5 and sum(c.isdigit() for c in compact) >= 4 and compact.isalnum():
        return "id", q
    return None


def make_query(qid: str, schema: str, query: str, ident: tuple[str, str] | None) -> ValueEntity:
    ent = ValueEntity(model.get(schema), {})
    props: dict[str, list[str]] = {"name": [query]} if schema != "CryptoWallet" else {}
    if ident:
        kind, value = ident
        if schema == "CryptoWallet" and kind == "crypto":
            props["publicKey"] = [value]
        elif schema == "Vessel" and kind == "imo":
            props["imoNumber"] = [value]
        elif schema == "Vessel" and kind == "id":
            props["registrationNumber"] = [value]
        elif schema == "Airplane" and kind == "id":
            props["serialNumber"] = [value]
            props["registrationNumber"] = [value]
        elif schema == "LegalEntity" and kind == "bic":
            props["swiftBic"] = [value]
        elif schema == "LegalEntity" and kind == "id":
            props["idNumber"] = [value]
    for prop_name, values in props.items():
        prop = ent.schema.get(prop_name)
        for value in values:
            ent.unsafe_add(prop, value, cleaned=False, fuzzy=True)
    ent.id = qid  # unique per query/schema (nomenklatura caches names by entity id)
    return ent


# Query schema used against each candidate schema.
QUERY_SCHEMA_FOR = {"Person": "LegalEntity", "Organization": "LegalEntity",
                    "Vessel": "Vessel", "Airplane": "Airplane", "CryptoWallet": "CryptoWallet"}


# ---------------------------------------------------------------------------
# blocking
# ---------------------------------------------------------------------------

def block_key(text: str) -> str:
    return re.sub(r"[^a-z0-9 ]+", " ", (ascii_text(text) or "").lower()).strip()


def grams(text: str) -> set[str]:
    out = set()
    for tok in text.split():
        t = f" {tok} "
        out.update(t[i:i + 3] for i in range(len(t) - 2))
    return out


class Blocker:
    """Candidate retrieval: IDF-weighted character 3-gram overlap over the
    ASCII-folded names (top N), every entity sharing a rare token, and every
    entity with an equal identifier (alphanumerics only)."""

    def __init__(self, entities: list[ValueEntity], top_n: int, rare_df: int):
        self.entities = entities
        self.top_n = top_n
        self.rare_df = rare_df
        self.gram_index: dict[str, list[int]] = defaultdict(list)
        self.token_index: dict[str, list[int]] = defaultdict(list)
        self.id_index: dict[str, list[int]] = defaultdict(list)
        for i, ent in enumerate(entities):
            gset, tset = set(), set()
            for prop, value in ent.itervalues():
                if prop.type.name == "name":
                    key = block_key(value)
                    gset |= grams(key)
                    tset |= set(key.split())
                elif prop.type.name == "identifier":
                    self.id_index[re.sub(r"[^A-Z0-9]", "", value.upper())].append(i)
            for g in gset:
                self.gram_index[g].append(i)
            for t in tset:
                self.token_index[t].append(i)
        n = len(entities)
        self.idf = {g: math.log(n / len(p)) for g, p in self.gram_index.items()}

    def candidates(self, query: str, ident: tuple[str, str] | None) -> set[int]:
        key = block_key(query)
        scores: Counter = Counter()
        for g in grams(key):
            w = self.idf.get(g)
            if w is None:
                continue
            for i in self.gram_index[g]:
                scores[i] += w
        found = {i for i, _ in scores.most_common(self.top_n)}
        for tok in key.split():
            postings = self.token_index.get(tok, [])
            if len(postings) <= self.rare_df:
                found.update(postings)
        if ident:
            value = ident[1]
            compact = re.sub(r"[^A-Z0-9]", "", value.upper())
            for k in {compact, "IMO" + compact}:
                found.update(self.id_index.get(k, []))
        return found


# ---------------------------------------------------------------------------
# main
# ---------------------------------------------------------------------------

def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    here = os.path.dirname(os.path.abspath(__file__))
    ap.add_argument("--labelled", default=os.path.join(here, "labelled.csv"))
    ap.add_argument("--out", default=os.path.join(here, "peer_results.csv"))
    ap.add_argument("--top-n", type=int, default=250, help="3-gram candidates per query")
    ap.add_argument("--rare-df", type=int, default=40, help="also take every entity sharing a token this rare")
    ap.add_argument("--hits-floor", type=float, default=0.50, help="record hits at/above this score")
    ap.add_argument("--limit", type=int, default=0, help="score only the first N queries (testing)")
    args = ap.parse_args()

    algorithm = get_algorithm(ALGORITHM_NAME)
    assert algorithm is not None
    print(f"nomenklatura {version('nomenklatura')}, followthemoney {version('followthemoney')}, "
          f"rigour {version('rigour')}; "
          f"algorithm {algorithm.NAME} ({algorithm.__name__}), yente threshold {YENTE_THRESHOLD}", file=sys.stderr)

    t0 = time.perf_counter()
    records = peer_lists.load_all()
    entities, owner = build_entities(records)
    by_designation: dict[str, list[int]] = defaultdict(list)
    for i, e in enumerate(entities):
        by_designation[owner[e.id]].append(i)
    blocker = Blocker(entities, args.top_n, args.rare_df)
    t_load = time.perf_counter() - t0
    print(f"{len(records)} records -> {len(entities)} entities; index built in {t_load:.1f}s", file=sys.stderr)

    with open(args.labelled, encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    if args.limit:
        rows = rows[:args.limit]

    out_fields = ["query", "kind", "expected", "best_id", "best_score", "expected_score",
                  "expected_in_block", "n_candidates", "best_name", "hits"]
    t1 = time.perf_counter()
    n_compare = 0
    missed_block = Counter()
    with open(args.out, "w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=out_fields, lineterminator="\n")
        w.writeheader()
        for line, row in enumerate(rows, 1):
            query, expected = row["query"], row["expected"]
            ident = parse_identifier(query)
            cand = blocker.candidates(query, ident)
            exp_idx = set(by_designation.get(expected, [])) if expected else set()
            in_block = bool(exp_idx & cand) if expected else None
            if expected and not in_block:
                missed_block[row["kind"]] += 1
            queries: dict[str, ValueEntity] = {}
            best: dict[str, float] = {}  # designation -> best score
            best_entity: dict[str, str] = {}
            for i in sorted(cand | exp_idx):
                ent = entities[i]
                qschema = QUERY_SCHEMA_FOR[ent.schema.name]
                if qschema == "CryptoWallet" and not (ident and ident[0] == "crypto"):
                    continue
                if qschema not in queries:
                    queries[qschema] = make_query(f"q{line}-{qschema}", qschema, query, ident)
                config = ScoringConfig(weights={}, config={})  # as yente: defaults filled in by compare()
                result = algorithm.compare(query=queries[qschema], result=ent, config=config)
                n_compare += 1
                d = owner[ent.id]
                # only blocked candidates compete for "best" (expected is scored regardless)
                if i in cand or d == expected:
                    if result.score > best.get(d, -1.0):
                        best[d] = result.score
                        best_entity[d] = ent.caption
            ranked = sorted(best.items(), key=lambda kv: (-kv[1], kv[0]))
            # best over what the blocker found (the expected entity is added
            # only to measure its score, not to help the "best" column)
            blocked_designations = {owner[entities[i].id] for i in cand}
            ranked_blocked = [kv for kv in ranked if kv[0] in blocked_designations]
            best_id, best_score = ranked_blocked[0] if ranked_blocked else ("", 0.0)
            hits = [f"{d}={s:.4f}" for d, s in ranked if s >= args.hits_floor
                    and (d in blocked_designations or d == expected)]
            w.writerow({
                "query": query,
                "kind": row["kind"],
                "expected": expected,
                "best_id": best_id,
                "best_score": f"{best_score:.4f}",
                "expected_score": f"{best.get(expected, 0.0):.4f}" if expected else "",
                "expected_in_block": "" if in_block is None else int(in_block),
                "n_candidates": len(cand),
                "best_name": best_entity.get(best_id, ""),
                "hits": ";".join(hits),
            })
            if line % 100 == 0:
                el = time.perf_counter() - t1
                print(f"  {line}/{len(rows)} queries, {n_compare} comparisons, {el:.0f}s", file=sys.stderr)
    t_score = time.perf_counter() - t1
    n_pos = sum(1 for r in rows if r["expected"])
    print(f"scored {len(rows)} queries ({n_compare} comparisons) in {t_score:.0f}s "
          f"({1000 * t_score / max(1, n_compare):.2f} ms/comparison); total {time.perf_counter() - t0:.0f}s",
          file=sys.stderr)
    print(f"blocking missed the expected entity for {sum(missed_block.values())} of {n_pos} positives"
          + (f": {dict(sorted(missed_block.items()))}" if missed_block else ""), file=sys.stderr)


if __name__ == "__main__":
    main()
