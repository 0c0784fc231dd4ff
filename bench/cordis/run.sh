#!/usr/bin/env bash
# CORDIS import benchmark: a synthetic dump of the full Horizon 2020 size
# (31,000 projects, 35,000 organizations, 145,000 participation rows, with gaps
# and multi-line quoted objectives; bench/cordis/gen.py) through
# `weaver import-cordis` into an empty SQLite register, beside the plain
# `weaver import` of the same rows as a data package (the register the CORDIS
# import made, exported, imported into another empty register).
# Usage: bash bench/cordis/run.sh [PROJECTS ORGANIZATIONS PARTICIPATIONS]
# The release build goes to $CARGO_TARGET_DIR (default /work/target-release-cordis).
set -euo pipefail
cd "$(dirname "$0")/../.."
np=${1:-31000}; no=${2:-35000}; nr=${3:-145000}
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-/work/target-release-cordis}
out=bench/out/cordis
mkdir -p "$out"
nice -n 10 cargo build --release -p weaver --quiet
bin=$CARGO_TARGET_DIR/release/weaver
dump="$out/dump-$np-$no-$nr"
[ -f "$dump/organization.csv" ] || python3 bench/cordis/gen.py "$dump" "$np" "$no" "$nr"
echo "machine: $(nproc) cores, $(free -g | awk '/Mem/{print $2}') GiB; dump $(du -sh "$dump" | cut -f1)"
clean() { rm -f "$1" "$1-wal" "$1-shm"; }
for run in 1 2 3; do
  echo "run $run: $(uptime)"
  clean "$out/cordis.db"
  /usr/bin/time -f "weaver import-cordis: %e s wall, %U user %S sys, peak %M KiB" \
    "$bin" --db "sqlite://$out/cordis.db" import-cordis "$dump" >/dev/null 2>"$out/warnings.txt" \
    || { cat "$out/warnings.txt"; exit 1; }
  tail -2 "$out/warnings.txt"
  if [ "$run" = 1 ]; then
    rm -rf "$out/pkg"
    "$bin" --db "sqlite://$out/cordis.db" export "$out/pkg" >/dev/null
  fi
  clean "$out/plain.db"
  /usr/bin/time -f "weaver import (package): %e s wall, %U user %S sys, peak %M KiB" \
    "$bin" --db "sqlite://$out/plain.db" import "$out/pkg" >/dev/null
done
grep -c '^warning:' "$out/warnings.txt" | sed 's/^/kinds of gap warned about: /'
echo "register from import-cordis:"; "$bin" --db "sqlite://$out/cordis.db" stats
echo "register from the package:";   "$bin" --db "sqlite://$out/plain.db" stats
