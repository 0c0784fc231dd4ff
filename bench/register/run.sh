#!/usr/bin/env bash
# Register import benchmark: 100,000 organizations and 1,000,000 ties into SQLite,
# side by side with the sqlite3 shell's .import of the same CSV files (the floor).
# Usage: bash bench/register/run.sh [N_ORGS] [N_TIES]
set -euo pipefail
cd "$(dirname "$0")/../.."
n=${1:-100000}; m=${2:-1000000}
out=bench/out/register
mkdir -p "$out"
command -v sqlite3 >/dev/null || { apt-get update -qq && apt-get install -y -qq sqlite3; }
cargo build --release -p weaver --quiet
bin=${CARGO_TARGET_DIR:-target}/release/weaver
[ -f "$out/pkg-$n-$m/ties.csv" ] || python3 bench/register/gen.py "$out/pkg-$n-$m" "$n" "$m"
pkg="$out/pkg-$n-$m"

echo "machine: $(nproc) cores, $(free -g | awk '/Mem/{print $2}') GiB; sqlite3 $(sqlite3 --version | cut -d' ' -f1)"
for run in 1 2 3; do
  echo "run $run: $(uptime)"
  rm -f "$out/floor.db" "$out/weaver.db" "$out/weaver.db-wal" "$out/weaver.db-shm"
  /usr/bin/time -f "sqlite3 .import: %e s wall, %U user %S sys, peak %M KiB" sqlite3 "$out/floor.db" <<SQL
CREATE TABLE organizations (id TEXT PRIMARY KEY, name TEXT NOT NULL, actor_type TEXT NOT NULL, size TEXT, region TEXT, industry TEXT, employees INTEGER);
CREATE TABLE ties (source TEXT NOT NULL, target TEXT NOT NULL, kind TEXT NOT NULL, start TEXT, weight REAL);
.import --csv --skip 1 $pkg/organizations.csv organizations
.import --csv --skip 1 $pkg/ties.csv ties
SQL
  /usr/bin/time -f "weaver import:   %e s wall, %U user %S sys, peak %M KiB" "$bin" --db "sqlite://$out/weaver.db" import "$pkg" >/dev/null
done
"$bin" --db "sqlite://$out/weaver.db" stats | grep -E "organizations|ties"
