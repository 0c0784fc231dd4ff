#!/usr/bin/env bash
# Platform server load benchmark (issue #6, "Speed"): the demo register scaled to
# 100,000 organizations and 1,000,000 ties on SQLite, `weaver serve` on loopback, and
# wrk (200 connections, 2 threads, DURATION each) against the cluster list, a cluster
# profile (the cluster row, and its first 50 memberships) and an organization search,
# each anonymous and with an admin API token; then the search with a different term on
# every request (answers the page cache cannot hold).
#
# Usage (from anywhere): bash bench/server/run.sh [DURATION] [CONNECTIONS]
#   defaults: 60s 200. Needs wrk (apt-get install -y wrk) and curl.
# Writes bench/out/server/: bench.db (kept between runs; delete it to rebuild),
# one wrk-*.txt per run, serve.log, and summary.md (the table for bench/RESULTS.md).
set -euo pipefail
cd "$(dirname "$0")/../.."
duration=${1:-60s}
conns=${2:-200}
orgs=100000
ties=1000000
port=18080
out=bench/out/server
mkdir -p "$out"
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk; }

cargo build --release -p weaver --quiet
bin=${CARGO_TARGET_DIR:-target}/release/weaver
db="sqlite://$out/bench.db"

if [ ! -f "$out/bench.db" ]; then
  /usr/bin/time -f "demo register built in %e s, peak %M KiB" \
    "$bin" --db "$db" demo --organizations "$orgs" --ties "$ties" --no-serve >"$out/demo.log"
fi
"$bin" --db "$db" stats | grep -E "^(clusters|organizations|memberships|ties) "

token=$("$bin" --db "$db" user token --email admin@weaver.demo --name "bench-$$")

"$bin" --db "$db" serve --addr "127.0.0.1:$port" >"$out/serve.log" 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null || true' EXIT
base="http://127.0.0.1:$port/api/v1"
for _ in $(seq 100); do
  curl -fs "$base/tables" >/dev/null && break
  sleep 0.2
done

# The cluster profiled: the first of the list (as the demo's own accounts use it).
cluster=$(curl -fs "$base/clusters?limit=1" | python3 -c 'import json,sys; print(json.load(sys.stdin)["rows"][0]["id"])')
search=Software
echo "cluster profiled: $cluster; search text: $search"
declare -A urls=(
  [list]="$base/clusters"
  [profile]="$base/clusters/$cluster"
  [memberships]="$base/memberships?cluster=$cluster&limit=50"
  [search]="$base/organizations?q=$search&limit=20"
)
# What each answers (status, rows, total) anonymously and with the token.
for name in list profile memberships search; do
  for who in anonymous token; do
    auth=()
    [ "$who" = token ] && auth=(-H "Authorization: Bearer $token")
    printf '%-12s %-9s ' "$name" "$who"
    curl -s -o "$out/answer-$name-$who.json" -w '%{http_code} ' "${auth[@]}" "${urls[$name]}"
    python3 -c 'import json,sys; v=json.load(open(sys.argv[1])); print("total", v.get("total"), "rows", len(v["rows"])) if "rows" in v else print(str(v)[:100])' \
      "$out/answer-$name-$who.json"
  done
done

# The largest cluster's network: first answer (computed) and second (from the cache), and
# the sampled betweenness (issue #6: under 1 s the first time for 10,000 organizations).
largest=""; most=0
for c in $(curl -fs -H "Authorization: Bearer $token" "$base/clusters?limit=1000" \
    | python3 -c 'import json,sys; print(" ".join(r["id"] for r in json.load(sys.stdin)["rows"]))'); do
  n=$(curl -fs -H "Authorization: Bearer $token" "$base/memberships?cluster=$c&limit=1" \
    | python3 -c 'import json,sys; print(json.load(sys.stdin)["total"])')
  if [ "$n" -gt "$most" ]; then most=$n; largest=$c; fi
done
{
  echo "largest cluster: $largest ($most memberships); load: $(uptime)"
  for what in "network (first)" "network (cached)" "paths sampled eps=0.05"; do
    case "$what" in
      network*) url="$base/clusters/$largest/network" ;;
      paths*) url="$base/clusters/$largest/paths?epsilon=0.05" ;;
    esac
    curl -s -o "$out/answer-engine.json" -w "$what: HTTP %{http_code} in %{time_total} s" \
      -H "Authorization: Bearer $token" "$url"
    python3 -c 'import json,sys; v=json.load(open(sys.argv[1])); s=v.get("summary",{}); print(";", "nodes", s.get("nodes", len(v.get("nodes",[]))), "edges", s.get("edges","-"), "samples", v.get("samples","-"))' "$out/answer-engine.json"
  done
} | tee "$out/engines.txt"

# wrk counts a request slower than --timeout (default 2 s) as an error and leaves it out of
# the latency figures; 30 s (sqlx's pool acquire timeout) keeps slow answers in the p99.
for name in list profile memberships search; do
  for who in anonymous token; do
    auth=()
    [ "$who" = token ] && auth=(-H "Authorization: Bearer $token")
    echo "load before $name/$who: $(uptime)" >"$out/wrk-$name-$who.txt"
    wrk -t2 -c"$conns" -d"$duration" --timeout 30s --latency "${auth[@]}" "${urls[$name]}" \
      | tee -a "$out/wrk-$name-$who.txt"
    echo "load after: $(uptime)" >>"$out/wrk-$name-$who.txt"
  done
done

# The same search with a different term on every request (5,000 words and three-character
# runs of the register's names), so that no answer comes from the server's page cache: what a
# stream of people each searching for something else costs.
python3 bench/server/distinct_terms.py "$out/bench.db" "$out/distinct.lua"
echo "load before search-distinct/anonymous: $(uptime)" >"$out/wrk-search-distinct-anonymous.txt"
wrk -t2 -c"$conns" -d"$duration" --timeout 30s --latency -s "$out/distinct.lua" "http://127.0.0.1:$port" \
  | tee -a "$out/wrk-search-distinct-anonymous.txt"
echo "load after: $(uptime)" >>"$out/wrk-search-distinct-anonymous.txt"

kill "$server"
wait "$server" 2>/dev/null || true
trap - EXIT
python3 bench/server/summary.py "$out" | tee "$out/summary.md"
