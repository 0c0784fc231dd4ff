#!/usr/bin/env bash
# Runs every test: the workspace's (debug profile), then the web UI's — its
# build, its unit tests (Vitest) and its browser tests (Debian's Chromium
# driven by playwright-core against a demo `weaver serve`; without
# /usr/bin/chromium they say SKIPPED, unless WEAVER_REQUIRE_BROWSER=1). The
# store's suite runs against SQLite and against PostgreSQL at $WEAVER_TEST_PG
# (default postgres://postgres@127.0.0.1:5432/test); without a server it says
# SKIPPED. The mail tests run a local SMTP server (aiosmtpd, pinned, in a venv
# made by scripts/smtp-venv.sh); when the venv cannot be made they say SKIPPED.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -z "${WEAVER_SMTP_PYTHON:-}" ]; then
    if WEAVER_SMTP_PYTHON="$(bash scripts/smtp-venv.sh)"; then
        export WEAVER_SMTP_PYTHON
    else
        echo "scripts/test.sh: no SMTP test server (python3 -m venv or pip failed); the mail tests will say SKIPPED" >&2
        unset WEAVER_SMTP_PYTHON
    fi
fi
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
