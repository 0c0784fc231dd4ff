#!/usr/bin/env bash
# Benchmark of the evaluation pipeline: Rust (weaver-evaluation) vs a plain
# numpy/pandas implementation, on the same generated data in the same run.
# Usage: bash bench/evaluation/run.sh [UNITS] [INDICATORS] [RUNS]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
units="${1:-1000}"; inds="${2:-60}"; runs="${3:-10000}"
if [ ! -x "$here/.venv/bin/python" ]; then
  python3 -m venv "$here/.venv"
  "$here/.venv/bin/pip" install -q numpy pandas
fi
out="$(mktemp -d)"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-/work/target-evaluation}"
(cd "$root" && cargo build -q --release -p weaver-evaluation --example bench_pipeline)
echo "rust:  $("$CARGO_TARGET_DIR/release/examples/bench_pipeline" "$units" "$inds" "$runs" 1 "$out")"
echo "numpy: $("$here/.venv/bin/python" "$here/bench.py" "$out" "$runs")"
rm -rf "$out"
