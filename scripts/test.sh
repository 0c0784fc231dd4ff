#!/usr/bin/env bash
# Runs every test: the workspace's (debug profile), then the web UI's — its
# build, its unit tests (Vitest) and its browser tests (Debian's Chromium
# driven by playwright-core against a demo `weaver serve`; without
# /usr/bin/chromium they say SKIPPED, unless WEAVER_REQUIRE_BROWSER=1). The
# store's suite runs against SQLite and against PostgreSQL at $WEAVER_TEST_PG
# (default postgres://postgres@127.0.0.1:5432/test); without a server it says
# SKIPPED.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo test --workspace --quiet

echo "== web UI: npm ci, npm run build"
(cd web && npm ci --no-audit --no-fund --loglevel=error && npm run build)
# The browser tests serve the UI from the binary: build it with this build.
cargo build -p weaver --quiet
echo "== web UI: unit tests (Vitest)"
(cd web && npx vitest run --config vitest.config.ts)
echo "== web UI: browser tests (Chromium, playwright-core, axe-core)"
started=$(date +%s)
(cd web && npx vitest run --config vitest.browser.config.ts)
took=$(( $(date +%s) - started ))
printf 'browser tests took %d min %02d s (screenshots in web/test-results/screenshots/)\n' $(( took / 60 )) $(( took % 60 ))
