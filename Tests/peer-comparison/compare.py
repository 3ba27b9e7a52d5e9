#!/usr/bin/env python3
"""Compare the ledger's screening with the peer (nomenklatura LogicV2).

Inputs
  labelled.csv       query,expected,kind           (make_labelled_set.py)
  peer_results.csv   query,kind,expected,best_id,best_score,expected_score,...
                     (peer_score.py)
  ledger CSV         output of
                       ledger screen --file queries.txt --threshold 0.50 --format csv
                     i.e. rows  line,query,designation,list,entity,matched_on,matched_value,score
                     (one row per match at/above 0.50; `line` is the 1-based
                     line of queries.txt; a header row is optional)

Metrics, for each tool at each of its thresholds:
  * recall: a positive is found when its expected designation is among the
    tool's rows with score >= threshold (peer: expected_score >= threshold);
  * false-positive rate: a negative is a false positive when the tool has
    any row with score >= threshold (peer: best_score >= threshold).
Printed as a Markdown table by kind, plus overall and per-list rows.

Usage
  python3 compare.py --write-queries [--labelled labelled.csv] [--queries queries.txt]
  python3 compare.py [--labelled ...] [--peer peer_results.csv] [--ledger ledger.csv]
                     [--ledger-thresholds 0.85,0.70,0.95] [--peer-thresholds 0.70,0.60,0.85]
Either of --peer / --ledger may be omitted (or point to a missing file) to
report one tool only. Stdlib only.
"""

from __future__ import annotations

import argparse
import csv
import os
import re
import sys
from collections import defaultdict

from peer_lists import NEGATIVE_KINDS, POSITIVE_KINDS  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))


LEDGER_FIELDS = ["line", "query", "designation", "list", "entity", "matched_on", "matched_value", "score"]


def read_labelled(path: str) -> list[dict]:
    with open(path, encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    for need in ("query", "expected", "kind"):
        if rows and need not in rows[0]:
            sys.exit(f"{path}: missing column {need!r}")
    return rows


def write_queries(labelled: list[dict], path: str) -> None:
    """queries.txt: the query column, one per line, in labelled.csv order."""
    with open(path, "w", encoding="utf-8", newline="\n") as fh:
        for i, row in enumerate(labelled, 1):
            q = row["query"]
            if "\n" in q or "\r" in q:
                sys.exit(f"labelled.csv row {i}: query contains a line break")
            if q != q.strip():
                print(f"warning: labelled row {i} has leading/trailing spaces: {q!r}", file=sys.stderr)
            fh.write(q + "\n")
    print(f"wrote {len(labelled)} queries to {path}")


def _ws(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def read_ledger(path: str, labelled: list[dict]) -> dict[int, list[tuple[str, float]]]:
    """line -> [(designation, score)], checked against labelled.csv."""
    hits: dict[int, list[tuple[str, float]]] = defaultdict(list)
    mismatches = 0
    with open(path, encoding="utf-8", newline="") as fh:
        reader = csv.reader(fh)
        for n, rec in enumerate(reader, 1):
            if not rec or all(not c.strip() for c in rec):
                continue
            if n == 1 and rec[0].strip().lower() == "line":
                continue  # header
            if len(rec) < len(LEDGER_FIELDS):
                sys.exit(f"{path}:{n}: expected {len(LEDGER_FIELDS)} fields, got {len(rec)}: {rec!r}")
            row = dict(zip(LEDGER_FIELDS, rec[:len(LEDGER_FIELDS)]))
            try:
                line = int(row["line"])
                score = float(row["score"])
            except ValueError:
                sys.exit(f"{path}:{n}: bad line or score: {rec!r}")
            if not 1 <= line <= len(labelled):
                sys.exit(f"{path}:{n}: line {line} outside 1..{len(labelled)}")
            if _ws(row["query"]) != _ws(labelled[line - 1]["query"]):
                mismatches += 1
                if mismatches <= 5:
                    print(f"warning: {path}:{n}: query {row['query']!r} != labelled line {line} "
                          f"{labelled[line - 1]['query']!r}", file=sys.stderr)
            hits[line].append((row["designation"].strip(), score))
    if mismatches:
        print(f"warning: {mismatches} ledger rows whose query differs from labelled.csv", file=sys.stderr)
    return hits


def read_peer(path: str, labelled: list[dict]) -> list[dict]:
    with open(path, encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    if len(rows) != len(labelled):
        sys.exit(f"{path}: {len(rows)} rows but labelled.csv has {len(labelled)}")
    for i, (p, lab) in enumerate(zip(rows, labelled), 1):
        if p["query"] != lab["query"] or p["expected"] != lab["expected"]:
            sys.exit(f"{path}: row {i} does not match labelled.csv ({p['query']!r} vs {lab['query']!r})")
    return rows


class Outcome:
    """Per-query decision function for one tool: found(i, t) / flagged(i, t)."""

    def __init__(self, name: str, thresholds: list[float], found, flagged):
        self.name, self.thresholds, self.found, self.flagged = name, thresholds, found, flagged


def ledger_outcome(hits: dict[int, list[tuple[str, float]]], labelled: list[dict],
                   thresholds: list[float]) -> Outcome:
    def found(i: int, t: float) -> bool:
        exp = labelled[i]["expected"]
        return any(d == exp and s >= t for d, s in hits.get(i + 1, []))

    def flagged(i: int, t: float) -> bool:
        return any(s >= t for _, s in hits.get(i + 1, []))
    return Outcome("ledger", thresholds, found, flagged)


def peer_outcome(peer: list[dict], thresholds: list[float], require_block: bool) -> Outcome:
    def found(i: int, t: float) -> bool:
        row = peer[i]
        if require_block and row.get("expected_in_block") == "0":
            return False
        return float(row["expected_score"] or 0) >= t

    def flagged(i: int, t: float) -> bool:
        return float(peer[i]["best_score"] or 0) >= t
    return Outcome("peer", thresholds, found, flagged)


def pct(num: int, den: int) -> str:
    return f"{100.0 * num / den:.1f}% ({num}/{den})" if den else "n/a"


def table(labelled: list[dict], outcomes: list[Outcome]) -> str:
    cols = [(o, t) for o in outcomes for t in o.thresholds]
    head = ["kind", "n"] + [f"{o.name} @{t:.2f}{' (default)' if t == o.thresholds[0] else ''}" for o, t in cols]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]

    def idx(pred) -> list[int]:
        return [i for i, r in enumerate(labelled) if pred(r)]

    def pos_row(label: str, ids: list[int]) -> None:
        cells = [label, str(len(ids))] + [pct(sum(o.found(i, t) for i in ids), len(ids)) for o, t in cols]
        lines.append("| " + " | ".join(cells) + " |")

    def neg_row(label: str, ids: list[int]) -> None:
        cells = [label, str(len(ids))] + [pct(sum(o.flagged(i, t) for i in ids), len(ids)) for o, t in cols]
        lines.append("| " + " | ".join(cells) + " |")

    kinds_present = {r["kind"] for r in labelled}
    lines.append("| **recall (positives)** | | " + " | ".join("" for _ in cols) + " |")
    for k in POSITIVE_KINDS + sorted(kinds_present - set(POSITIVE_KINDS) - set(NEGATIVE_KINDS)):
        ids = idx(lambda r, k=k: r["kind"] == k)
        if ids:
            pos_row(k, ids)
    pos_row("**all positives**", idx(lambda r: bool(r["expected"])))
    pos_row("positives, OFAC", idx(lambda r: r["expected"].startswith("designation/ofac-")))
    pos_row("positives, UN", idx(lambda r: r["expected"].startswith("designation/un-")))
    lines.append("| **false-positive rate (negatives)** | | " + " | ".join("" for _ in cols) + " |")
    for k in NEGATIVE_KINDS:
        ids = idx(lambda r, k=k: r["kind"] == k)
        if ids:
            neg_row(k, ids)
    neg_row("**all negatives**", idx(lambda r: not r["expected"]))
    return "\n".join(lines)


def parse_thresholds(text: str) -> list[float]:
    return [float(x) for x in text.split(",") if x.strip()]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--labelled", default=os.path.join(HERE, "labelled.csv"))
    ap.add_argument("--peer", default=os.path.join(HERE, "peer_results.csv"))
    ap.add_argument("--ledger", default=None, help="ledger screen --format csv output (threshold 0.50)")
    ap.add_argument("--write-queries", action="store_true", help="write queries.txt and exit")
    ap.add_argument("--queries", default=os.path.join(HERE, "queries.txt"))
    ap.add_argument("--ledger-thresholds", default="0.85,0.70,0.95", help="first = ledger default")
    ap.add_argument("--peer-thresholds", default="0.70,0.60,0.85", help="first = peer (yente) default")
    ap.add_argument("--peer-require-block", action="store_true",
                    help="count a peer positive as found only if the blocker retrieved it")
    args = ap.parse_args()

    labelled = read_labelled(args.labelled)
    if args.write_queries:
        write_queries(labelled, args.queries)
        return

    outcomes: list[Outcome] = []
    if args.ledger and os.path.exists(args.ledger):
        hits = read_ledger(args.ledger, labelled)
        lt = parse_thresholds(args.ledger_thresholds)
        if min(lt) < 0.50:
            print("warning: ledger output was produced at --threshold 0.50; lower thresholds are incomplete",
                  file=sys.stderr)
        outcomes.append(ledger_outcome(hits, labelled, lt))
    elif args.ledger:
        print(f"note: ledger output {args.ledger} not found; reporting the peer only", file=sys.stderr)
    if args.peer and os.path.exists(args.peer):
        outcomes.append(peer_outcome(read_peer(args.peer, labelled), parse_thresholds(args.peer_thresholds),
                                     args.peer_require_block))
    if not outcomes:
        sys.exit("nothing to compare: give --peer and/or --ledger")

    n_pos = sum(1 for r in labelled if r["expected"])
    print(f"labelled set: {len(labelled)} queries, {n_pos} positives, {len(labelled) - n_pos} negatives\n")
    print(table(labelled, outcomes))


if __name__ == "__main__":
    main()
