#!/usr/bin/env bash
# Network benchmark: weaver-network against python-igraph, NetworKit and
# NetworkX on the same seeded collaboration-like graphs, one tool at a time.
# Results: bench/out/network_results.jsonl (one JSON object per run, with the
# peak resident memory from /usr/bin/time).
#
# usage (from the repository root):  bash bench/network/run.sh [--only net_100k|net_20k|sweep]
#   --only ROWS   run only those rows (the 100k metrics and Leiden rows, the
#                 20k metrics and betweenness rows, or the Cowan–Jonard sweep)
#   VENV=DIR      use (or create) the Python environment there instead of
#                 bench/network/.venv
set -euo pipefail
cd "$(dirname "$0")/../.."
ONLY=all
if [ "${1:-}" = "--only" ]; then
  ONLY=${2:?"--only needs net_100k, net_20k or sweep"}
fi
HERE=bench/network
OUT=bench/out
mkdir -p "$OUT"
VENV=${VENV:-$HERE/.venv}
if [ ! -x "$VENV/bin/python" ]; then
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install -q igraph networkit networkx scipy numpy matplotlib
fi
PY="$VENV/bin/python"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-/work/target-network}"
cargo build --release -q -p weaver-network --example bench_network
BIN="$CARGO_TARGET_DIR/release/examples/bench_network"

[ -f "$OUT/net_100k.csv" ] || "$PY" "$HERE/gen.py" 100000 500000 1 "$OUT/net_100k.csv"
[ -f "$OUT/net_20k.csv" ] || "$PY" "$HERE/gen.py" 20000 100000 2 "$OUT/net_20k.csv"

RES="$OUT/network_results.jsonl"
[ "$ONLY" = all ] && : > "$RES"
measure() {  # measure FILE CMD...  (adds peak RSS, wall, user and system CPU)
  local file=$1; shift
  /usr/bin/time -f "%M %e %U %S" -o "$OUT/.mem" "$@" > "$OUT/.last.json" 2>/dev/null
  read -r mem wall user sys < "$OUT/.mem"
  "$PY" -c "import json,sys; d=json.load(open('$OUT/.last.json')); d['file']='$file'; d['max_rss_mb']=round($mem/1024,1); d['wall_s']=$wall; d['user_s']=$user; d['sys_s']=$sys; print(json.dumps(d))" | tee -a "$RES"
}

if [ "$ONLY" = all ] || [ "$ONLY" = net_100k ]; then
  uptime | tee -a "$OUT/network_load.txt"
  for task in metrics leiden; do
    measure net_100k "$BIN" "$OUT/net_100k.csv" $task
    measure net_100k "$PY" "$HERE/peers.py" igraph "$OUT/net_100k.csv" $task
    measure net_100k "$PY" "$HERE/peers.py" networkit "$OUT/net_100k.csv" $task
  done
  uptime | tee -a "$OUT/network_load.txt"
fi
if [ "$ONLY" = all ] || [ "$ONLY" = net_20k ]; then
  uptime | tee -a "$OUT/network_load.txt"
  measure net_20k "$BIN" "$OUT/net_20k.csv" metrics
  measure net_20k "$PY" "$HERE/peers.py" networkx "$OUT/net_20k.csv" metrics
  measure net_20k "$BIN" "$OUT/net_20k.csv" betweenness
  measure net_20k "$PY" "$HERE/peers.py" igraph "$OUT/net_20k.csv" betweenness
  measure net_20k "$PY" "$HERE/peers.py" networkit "$OUT/net_20k.csv" betweenness
  uptime | tee -a "$OUT/network_load.txt"
fi
[ "$ONLY" = all ] || [ "$ONLY" = sweep ] || exit 0

# Cowan–Jonard sweep over the rewiring probability (mean over seeds).
cargo build --release -q -p weaver-network --example cowan_jonard_sweep
"$CARGO_TARGET_DIR/release/examples/cowan_jonard_sweep" 500 10 0.5 50 | tee "$OUT/cowan_jonard_sweep_500.csv"
"$CARGO_TARGET_DIR/release/examples/cowan_jonard_sweep" 100 10 0.5 200 | tee "$OUT/cowan_jonard_sweep_100.csv"
