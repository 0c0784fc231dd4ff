#!/usr/bin/env bash
# Benchmark of the evaluation pipeline: Rust (weaver-evaluation) vs a plain
# numpy/pandas implementation, on the same generated data in the same run.
# Usage: bash bench/evaluation/run.sh [UNITS] [INDICATORS] [RUNS]
# Environment: VENV (default bench/evaluation/.venv, created with numpy and
# pandas when missing), CARGO_TARGET_DIR (default /work/target-evaluation).
# Prints the load average, then each side's timings (JSON) and its wall,
# user and system CPU time for the whole process (/usr/bin/time).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
units="${1:-1000}"; inds="${2:-60}"; runs="${3:-10000}"
venv="${VENV:-$here/.venv}"
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q numpy pandas
fi
out="$(mktemp -d)"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-/work/target-evaluation}"
(cd "$root" && cargo build -q --release -p weaver-evaluation --example bench_pipeline)
timed() { /usr/bin/time -f "  process: wall %e s, user %U s, sys %S s" "$@"; }
echo "load: $(uptime | sed 's/.*load average: //')"
echo "rust:  $(timed "$CARGO_TARGET_DIR/release/examples/bench_pipeline" "$units" "$inds" "$runs" 1 "$out" 2>"$out/time_rust")"
cat "$out/time_rust"
echo "load: $(uptime | sed 's/.*load average: //')"
echo "numpy: $(timed "$venv/bin/python" "$here/bench.py" "$out" "$runs" 2>"$out/time_numpy")"
cat "$out/time_numpy"
rm -rf "$out"
