#!/usr/bin/env bash
# Mapping benchmark: weaver vs a plain pandas implementation (LQ + strong
# clusters, CSV to CSV) and vs Harvard Growth Lab's ecomplexity (ECI).
# Usage: bash bench/mapping/run.sh [--small] [--cmp-only]
# --small runs 300 regions x 100 industries x 5 years and a 100 x 1000 matrix.
# --cmp-only skips the ECI comparison (ecomplexity alone takes minutes).
set -euo pipefail
small=""; cmp_only=""
for arg in "$@"; do
  case "$arg" in
    --small) small=1 ;;
    --cmp-only) cmp_only=1 ;;
    *) echo "unknown option $arg" >&2; exit 2 ;;
  esac
done
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
out="$root/bench/out/mapping"
[ -n "$small" ] && out="$out-small"
mkdir -p "$out"
if [ ! -x "$here/.venv/bin/python" ]; then
  python3 -m venv "$here/.venv"
  "$here/.venv/bin/pip" install -q numpy pandas ecomplexity
fi
py="$here/.venv/bin/python"
"$py" -c "import numpy, pandas, importlib.metadata as m; print('numpy', numpy.__version__, 'pandas', pandas.__version__, 'ecomplexity', m.version('ecomplexity'))"
sizes=()
if [ -n "$small" ]; then
  sizes=(--regions 300 --industries 100 --eci-rows 100 --eci-cols 1000)
fi
[ -f "$out/activity.csv" ] && [ -z "${REGEN:-}" ] || "$py" "$here/gen_data.py" --out "$out" "${sizes[@]}"
target="${CARGO_TARGET_DIR:-$root/target}"
(cd "$root" && cargo build --release -q -p weaver --bin weaver)
[ -n "$cmp_only" ] || (cd "$root" && cargo build --release -q -p weaver-mapping --example eci_bench)
echo "== LQ + strong clusters, CSV to CSV ($(($(wc -l < "$out/activity.csv") - 1)) rows)"
/usr/bin/time -f "weaver_cmp_seconds %e (user %U sys %S, peak RSS %M KB)" \
  "$target/release/weaver" map clusters --activity "$out/activity.csv" --out "$out/weaver_cmp.csv"
/usr/bin/time -f "pandas_process_seconds %e (user %U sys %S, peak RSS %M KB)" \
  "$py" "$here/pandas_cmp.py" "$out/activity.csv" "$out/pandas_cmp.csv"
"$py" "$here/compare_cmp.py" "$out/weaver_cmp.csv" "$out/pandas_cmp.csv"
[ -z "$cmp_only" ] || exit 0
echo "== ECI on $(wc -l < "$out/matrix.csv") x $(head -1 "$out/matrix.csv" | tr ',' '\n' | wc -l) matrix"
"$target/release/examples/eci_bench" "$out/matrix.csv" "$out/weaver_eci.csv" --eci-only
"$py" "$here/eci_ecomplexity.py" "$out/matrix.csv" "$out/weaver_eci.csv"
