#!/usr/bin/env bash
# Multi-instance delay (issue 13, item 10): two `weaver serve` processes on one
# PostgreSQL database; how long a change made through server A takes to be seen
# through server B (a new organization read as a row; a new name read through a
# search, a cached list page). Each server trusts the register version it read
# for at most weaver_store::VERSION_TRUSTED_FOR (50 ms) before asking again.
#
# Usage (from anywhere): bash bench/multi/run.sh [SAMPLES]   (default 1000 of each)
#   PG=URL       the PostgreSQL server (default $WEAVER_TEST_PG, else
#                postgres://postgres@127.0.0.1:5432/test); a database
#                weaver_bench_multi_PID is made on it and dropped afterwards.
#   BIN=PATH     the weaver binary to use (default: built with cargo in release mode).
# Needs psql and python3 (standard library only). Writes bench/out/multi/
# (serve-a.log, serve-b.log, summary.md).
set -euo pipefail
cd "$(dirname "$0")/../.."
samples=${1:-1000}
pg=${PG:-${WEAVER_TEST_PG:-postgres://postgres@127.0.0.1:5432/test}}
out=bench/out/multi
mkdir -p "$out"

if [ -z "${BIN:-}" ]; then
  cargo build --release -p weaver --quiet
  BIN=${CARGO_TARGET_DIR:-target}/release/weaver
fi

name=weaver_bench_multi_$$
psql -q "$pg" -c "CREATE DATABASE $name"
db="${pg%/*}/$name"
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  psql -q "$pg" -c "DROP DATABASE IF EXISTS $name WITH (FORCE)" || true
}
trap cleanup EXIT

"$BIN" --db "$db" user add --email bench@example.org --role admin >/dev/null
token=$("$BIN" --db "$db" user token --email bench@example.org --name bench-multi)

url_of() { # url_of LOG: waits for the server writing LOG to say its address
  for _ in $(seq 200); do
    url=$(grep -o 'http://[0-9.:]*' "$1" | head -1 || true)
    [ -n "$url" ] && { echo "$url"; return; }
    sleep 0.05
  done
  echo "the server did not start; see $1" >&2
  exit 1
}
"$BIN" --db "$db" serve --addr 127.0.0.1:0 >"$out/serve-a.log" 2>&1 &
pids+=($!)
"$BIN" --db "$db" serve --addr 127.0.0.1:0 >"$out/serve-b.log" 2>&1 &
pids+=($!)
a=$(url_of "$out/serve-a.log")
b=$(url_of "$out/serve-b.log")
echo "A: $a  B: $b  database: $db  binary: $BIN"

{
  echo "Run of $(date -u '+%d %b %Y, %H:%M UTC'); load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo
  python3 bench/multi/delay.py "$a" "$b" "$token" "$samples"
  echo
  echo "Load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
} | tee "$out/summary.md"
