#!/usr/bin/env bash
# The ledger's screening beside OpenSanctions' LogicV2 (yente's default) on a labelled set built
# from the real OFAC SDN (2021-07) and UN (2026-02-27) lists: see README.md for the list files.
# Usage: Tests/peer-comparison/run.sh [LEDGER] [OUT]   (defaults: .build/release/ledger, .build/peer-comparison)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
ledger="${1:-$here/../../.build/release/ledger}"
out="${2:-$here/../../.build/peer-comparison}"
export PEER_LISTS_DIR="${PEER_LISTS_DIR:-$here/lists}"
mkdir -p "$out"
cd "$here"
[ -d "$PEER_LISTS_DIR/derived" ] || python3 make_negatives.py
python3 make_labelled_set.py --out "$out"
python3 compare.py --labelled "$out/labelled.csv" --queries "$out/queries.txt" --write-queries
rm -f "$out/lists.sqlite"*
"$ledger" import ofac-csv "$PEER_LISTS_DIR"/ofac_sdn_2021-07/{sdn,alt,add,sdn_comments}.csv \
  --published-on 2021-07-01 --db "$out/lists.sqlite" --quiet > /dev/null 2>&1
"$ledger" import un-xml "$PEER_LISTS_DIR/un/UN_consolidated.xml" --db "$out/lists.sqlite" --quiet > /dev/null 2>&1
"$ledger" screen --file "$out/queries.txt" --threshold 0.50 --format csv --as-of 2026-03-01 \
  --db "$out/lists.sqlite" > "$out/ledger.csv"
# The peer needs a virtual environment with requirements-peer.txt (a few minutes to score).
if [ ! -f "$out/peer_results.csv" ]; then
  if [ ! -x "$out/venv/bin/python" ]; then
    python3 -m venv "$out/venv" && "$out/venv/bin/pip" install -q -r requirements-peer.txt
  fi
  "$out/venv/bin/python" peer_score.py --labelled "$out/labelled.csv" --out "$out/peer_results.csv"
fi
python3 compare.py --labelled "$out/labelled.csv" --ledger "$out/ledger.csv" --peer "$out/peer_results.csv"
