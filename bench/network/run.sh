#!/usr/bin/env bash
# Network benchmark: weaver-network against python-igraph, NetworKit and
# NetworkX on the same seeded collaboration-like graphs, one tool at a time.
# Results: bench/out/network_results.jsonl (one JSON object per run, with the
# peak resident memory from /usr/bin/time).
#
# usage (from the repository root):  bash bench/network/run.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
HERE=bench/network
OUT=bench/out
mkdir -p "$OUT"
if [ ! -x "$HERE/.venv/bin/python" ]; then
  python3 -m venv "$HERE/.venv"
  "$HERE/.venv/bin/pip" install -q igraph networkit networkx scipy numpy
fi
PY="$HERE/.venv/bin/python"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-/work/target-network}"
cargo build --release -q -p weaver-network --example bench_network
BIN="$CARGO_TARGET_DIR/release/examples/bench_network"

[ -f "$OUT/net_100k.csv" ] || "$PY" "$HERE/gen.py" 100000 500000 1 "$OUT/net_100k.csv"
[ -f "$OUT/net_20k.csv" ] || "$PY" "$HERE/gen.py" 20000 100000 2 "$OUT/net_20k.csv"

RES="$OUT/network_results.jsonl"
: > "$RES"
measure() {  # measure FILE CMD...
  local file=$1; shift
  local mem
  /usr/bin/time -f "%M" -o "$OUT/.mem" "$@" > "$OUT/.last.json" 2>/dev/null
  mem=$(cat "$OUT/.mem")
  "$PY" -c "import json,sys; d=json.load(open('$OUT/.last.json')); d['file']='$file'; d['max_rss_mb']=round($mem/1024,1); print(json.dumps(d))" | tee -a "$RES"
}

for task in metrics leiden; do
  measure net_100k "$BIN" "$OUT/net_100k.csv" $task
  measure net_100k "$PY" "$HERE/peers.py" igraph "$OUT/net_100k.csv" $task
  measure net_100k "$PY" "$HERE/peers.py" networkit "$OUT/net_100k.csv" $task
done
measure net_20k "$BIN" "$OUT/net_20k.csv" metrics
measure net_20k "$PY" "$HERE/peers.py" networkx "$OUT/net_20k.csv" metrics
measure net_20k "$BIN" "$OUT/net_20k.csv" betweenness
measure net_20k "$PY" "$HERE/peers.py" igraph "$OUT/net_20k.csv" betweenness
measure net_20k "$PY" "$HERE/peers.py" networkit "$OUT/net_20k.csv" betweenness

# Cowan–Jonard sweep over the rewiring probability (mean over seeds).
cargo build --release -q -p weaver-network --example cowan_jonard_sweep
"$CARGO_TARGET_DIR/release/examples/cowan_jonard_sweep" 500 10 0.5 50 | tee "$OUT/cowan_jonard_sweep_500.csv"
"$CARGO_TARGET_DIR/release/examples/cowan_jonard_sweep" 100 10 0.5 200 | tee "$OUT/cowan_jonard_sweep_100.csv"
