#!/usr/bin/env bash
# Fuzzes the running API from its own OpenAPI document with Schemathesis
# (from PyPI, in a local venv): every operation, with valid and invalid
# inputs, as the demo's admin (token), and fails on any 5xx. The admin's
# own erasure (DELETE /api/v1/auth/me) and token revocation are left out:
# they would end the run's sign-in (both are tested in
# crates/weaver-server/tests/api.rs).
#
#   bash scripts/fuzz-api.sh            # 30 examples per operation
#   bash scripts/fuzz-api.sh 200        # more
#
# Uses its own temporary register (the demo, 300 organizations) and port.
set -euo pipefail
cd "$(dirname "$0")/.."
EXAMPLES="${1:-30}"
PORT="${WEAVER_FUZZ_PORT:-18099}"
VENV="${WEAVER_FUZZ_VENV:-scripts/.fuzz-venv}"

if [ ! -x "$VENV/bin/schemathesis" ]; then
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install --quiet "schemathesis==4.32.5"
fi
cargo build --quiet -p weaver
BIN="${CARGO_TARGET_DIR:-target}/debug/weaver"
WORK="$(mktemp -d)"
trap 'kill "${SERVER:-0}" 2>/dev/null || true; rm -rf "$WORK"' EXIT
DB="sqlite://$WORK/fuzz.db"
"$BIN" --db "$DB" demo --organizations 300 --no-serve > "$WORK/demo.log"
TOKEN="$("$BIN" --db "$DB" user token --email admin@weaver.demo --name fuzz)"
WEAVER_LOG=warn "$BIN" --db "$DB" serve --addr "127.0.0.1:$PORT" > "$WORK/serve.log" 2>&1 &
SERVER=$!
for _ in $(seq 50); do
    curl -sf "http://127.0.0.1:$PORT/healthz" > /dev/null && break
    sleep 0.2
done
# On failure, show what the server logged about its errors (the register is temporary).
trap 'status=$?; if [ "$status" -ne 0 ]; then echo "== server errors:"; grep -iE "error|panic" "$WORK/serve.log" | tail -n 40 || true; fi; kill "${SERVER:-0}" 2>/dev/null || true; rm -rf "$WORK"' EXIT
"$VENV/bin/schemathesis" run "http://127.0.0.1:$PORT/api/v1/openapi.json" \
    --checks not_a_server_error \
    --max-examples "$EXAMPLES" \
    --generation-deterministic \
    --header "Authorization: Bearer $TOKEN" \
    --exclude-name "DELETE /api/v1/auth/me" \
    --exclude-name "DELETE /api/v1/auth/tokens/{id}" \
    --workers 1 \
    --suppress-health-check all
echo "fuzz: no server errors"
