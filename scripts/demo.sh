#!/usr/bin/env bash
# The one command to try Weaver: builds the web UI (npm ci && npm run build in
# web/) and the `weaver` binary with it, creates the demo register in
# ./weaver-demo.db (replaced on each run; your ./weaver.db is never touched)
# and serves it with the UI, printing the address and the demo accounts.
# WEAVER_ADDR picks another address (default 127.0.0.1:8080).
set -euo pipefail
cd "$(dirname "$0")/.."
addr="${WEAVER_ADDR:-127.0.0.1:8080}"
started=$(date +%s)
command -v npm >/dev/null || { echo "npm is missing: install Node.js 20 or newer (apt-get install -y nodejs npm)" >&2; exit 1; }
echo "== building the web UI (web/: npm ci, npm run build)"
(cd web && npm ci --no-audit --no-fund --loglevel=error && npm run build)
echo "== building weaver (cargo build -p weaver; the UI is embedded)"
cargo build -p weaver
echo "== built in $(( $(date +%s) - started )) s"
echo
echo "Weaver with its web UI: http://${addr}/   (stop with Ctrl-C)"
echo
exec target/debug/weaver --db sqlite://weaver-demo.db demo --force --addr "$addr"
