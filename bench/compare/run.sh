#!/usr/bin/env bash
# Before/after: weaver's own rows of the network, mapping, register and server
# benchmarks, for two builds side by side on the same inputs, each measurement
# taken for both builds in turn (alternating which goes first), so that a change
# that must leave speed alone (a refactoring) can be checked against noise.
# The peers' rows (igraph, NetworKit, NetworkX, pandas, ecomplexity, sqlite3) do
# not change with weaver's code: run the benchmarks' own run.sh for them.
#
# usage (from the repository root):
#   bash bench/compare/run.sh BEFORE_RELEASE_DIR AFTER_RELEASE_DIR [RUNS] [WRK_DURATION]
# Each directory is a cargo release directory holding `weaver`,
# `examples/bench_network` and `examples/eci_bench`, built from the two commits, e.g.
#   git worktree add --detach /tmp/before COMMIT
#   (cd /tmp/before && CARGO_TARGET_DIR=/tmp/t-before cargo build --release -p weaver \
#      --bin weaver && CARGO_TARGET_DIR=/tmp/t-before cargo build --release \
#      -p weaver-network --example bench_network && CARGO_TARGET_DIR=/tmp/t-before \
#      cargo build --release -p weaver-mapping --example eci_bench)
# (never reuse one target directory for two commits: cargo may link a stale crate).
# RUNS (default 3) per build and task; WRK_DURATION (default 20s) per server load run;
# SERVER_ROUNDS (default 1) rounds of the server runs, the first build alternating
# (FIRST_ROUND=2 starts with the after build); SERVER_ONLY=1 runs only the server part
# (results.tsv is then left as it is).
# PY=python with numpy and pandas (for the network and mapping inputs; default python3).
# Writes bench/out/compare/: results.tsv (one line per measurement), server.tsv (one line
# per load run: requests/s, p50, p99, non-2xx answers) and summary.md.
set -euo pipefail
cd "$(dirname "$0")/../.."
before=$(cd "${1:?BEFORE_RELEASE_DIR}" && pwd)
after=$(cd "${2:?AFTER_RELEASE_DIR}" && pwd)
runs=${3:-3}
duration=${4:-20s}
py=${PY:-python3}
out=bench/out/compare
mkdir -p "$out" bench/out/register bench/out/mapping
for d in "$before" "$after"; do
  for f in weaver examples/bench_network examples/eci_bench; do
    [ -x "$d/$f" ] || { echo "missing $d/$f (build it first, see the usage)" >&2; exit 2; }
  done
done
command -v wrk >/dev/null || { echo "needs wrk (apt-get install -y wrk)" >&2; exit 2; }
res="$out/results.tsv"
[ -n "${SERVER_ONLY:-}" ] && [ -f "$res" ] || printf 'benchmark\ttask\tbuild\trun\twall_s\tuser_s\tsys_s\tpeak_kib\n' > "$res"

# Inputs: the same generators and seeds as the benchmarks' own scripts.
[ -f bench/out/net_100k.csv ] || "$py" bench/network/gen.py 100000 500000 1 bench/out/net_100k.csv
[ -f bench/out/net_20k.csv ] || "$py" bench/network/gen.py 20000 100000 2 bench/out/net_20k.csv
pkg=bench/out/register/pkg-100000-1000000
[ -f "$pkg/ties.csv" ] || python3 bench/register/gen.py "$pkg" 100000 1000000
[ -f bench/out/mapping/activity.csv ] || "$py" bench/mapping/gen_data.py --out bench/out/mapping

# measure BENCHMARK TASK BUILD RUN CMD...: wall, user and system time and peak memory.
measure() {
  local bench=$1 task=$2 build=$3 run=$4; shift 4
  /usr/bin/time -f "%e %U %S %M" -o "$out/.time" "$@" > "$out/.stdout" 2> "$out/.stderr" || {
    echo "failed: $*" >&2; cat "$out/.stderr" >&2; exit 1; }
  read -r wall user sys mem < "$out/.time"
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$bench" "$task" "$build" "$run" "$wall" "$user" "$sys" "$mem" | tee -a "$res"
}
# both BENCHMARK TASK CMD-WITH-@BIN@...: the command for each build, alternating the order.
both() {
  local bench=$1 task=$2; shift 2
  for run in $(seq "$runs"); do
    local order=(before after)
    [ $((run % 2)) -eq 0 ] && order=(after before)
    for build in "${order[@]}"; do
      local dir=$before; [ "$build" = after ] && dir=$after
      local cmd=()
      for a in "$@"; do cmd+=("${a//@BIN@/$dir}"); done
      [ -n "${PREP:-}" ] && eval "$PREP"
      measure "$bench" "$task" "$build" "$run" "${cmd[@]}"
    done
  done
}

echo "load at start: $(uptime)" | tee "$out/load.txt"
if [ -z "${SERVER_ONLY:-}" ]; then
both network "net_100k metrics" @BIN@/examples/bench_network bench/out/net_100k.csv metrics
both network "net_100k leiden" @BIN@/examples/bench_network bench/out/net_100k.csv leiden
both network "net_20k metrics" @BIN@/examples/bench_network bench/out/net_20k.csv metrics
both network "net_20k betweenness" @BIN@/examples/bench_network bench/out/net_20k.csv betweenness
both mapping "LQ + strong clusters" @BIN@/weaver map clusters --activity bench/out/mapping/activity.csv --out "$out/map.csv"
both mapping "ECI" @BIN@/examples/eci_bench bench/out/mapping/matrix.csv "$out/eci.csv" --eci-only
PREP='rm -f "$out"/import.db*' both register "import 100k orgs, 1M ties" \
  @BIN@/weaver --db "sqlite://$out/import.db" import "$pkg"
echo "load after the batch tasks: $(uptime)" | tee -a "$out/load.txt"
fi

# The server: one demo register (100,000 organizations, 1,000,000 ties) made by the
# before build, copied for each build (the after build migrates its copy forward).
if [ ! -f "$out/server-base.db" ]; then
  "$before/weaver" --db "sqlite://$out/server-base.db" demo --organizations 100000 --ties 1000000 --no-serve > "$out/demo.log"
fi
port=18090
serve() {  # serve BUILD: start that build's server on its copy; sets $server and $token
  local dir=$1 db="$out/server-$2.db"
  rm -f "$db" "$db-wal" "$db-shm"
  cp "$out/server-base.db" "$db"
  token=$("$dir/weaver" --db "sqlite://$db" user token --email admin@weaver.demo --name "compare-$$")
  "$dir/weaver" --db "sqlite://$db" serve --addr "127.0.0.1:$port" > "$out/serve-$2.log" 2>&1 &
  server=$!
  for _ in $(seq 300); do curl -fs "http://127.0.0.1:$port/api/v1/tables" >/dev/null && return; sleep 0.2; done
  echo "the $2 server did not start" >&2; exit 1
}
base="http://127.0.0.1:$port/api/v1"
srv="$out/server.tsv"
[ -n "${SERVER_ONLY:-}" ] && [ -f "$srv" ] || printf 'endpoint\tbuild\tround\trequests_per_s\tp50_ms\tp99_ms\tnon_2xx\n' > "$srv"
# Rounds of the server runs (SERVER_ROUNDS, default 1): odd rounds serve the before build
# first, even rounds the after build first.
for round in $(seq "${FIRST_ROUND:-1}" $((${FIRST_ROUND:-1} + ${SERVER_ROUNDS:-1} - 1))); do
 order=(before after); [ $((round % 2)) -eq 0 ] && order=(after before)
 for build in "${order[@]}"; do
  dir=$before; [ "$build" = after ] && dir=$after
  serve "$dir" "$build"
  cluster=$(curl -fs "$base/clusters?limit=1" | python3 -c 'import json,sys; print(json.load(sys.stdin)["rows"][0]["id"])')
  for name in list profile memberships search; do
    case $name in
      list) url="$base/clusters" ;;
      profile) url="$base/clusters/$cluster" ;;
      memberships) url="$base/memberships?cluster=$cluster&limit=50" ;;
      search) url="$base/organizations?q=Software&limit=20" ;;
    esac
    for who in anonymous token; do
      auth=(); [ "$who" = token ] && auth=(-H "Authorization: Bearer $token")
      wrk -t2 -c200 -d"$duration" --timeout 30s --latency "${auth[@]}" "$url" > "$out/wrk-$build-$round-$name-$who.txt"
      python3 - "$out/wrk-$build-$round-$name-$who.txt" "$name/$who" "$build" "$round" >> "$srv" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
rps = re.search(r"Requests/sec:\s+([\d.]+)", text).group(1)
def ms(label):
    m = re.search(r"\s%s\s+([\d.]+)(us|ms|s)\b" % label, text)
    v = float(m.group(1))
    return v / 1000 if m.group(2) == "us" else v * 1000 if m.group(2) == "s" else v
errors = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
print(f"{sys.argv[2]}\t{sys.argv[3]}\t{sys.argv[4]}\t{rps}\t{ms('50%')}\t{ms('99%')}\t{errors.group(1) if errors else 0}")
PY
      tail -n 1 "$srv"
    done
  done
  kill "$server"; wait "$server" 2>/dev/null || true
 done
done
echo "load at the end: $(uptime)" | tee -a "$out/load.txt"
python3 bench/compare/summary.py "$res" "$srv" | tee "$out/summary.md"
