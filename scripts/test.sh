#!/usr/bin/env bash
# Runs every test of the workspace (debug profile). The store's suite runs
# against SQLite and against PostgreSQL at $WEAVER_TEST_PG (default
# postgres://postgres@127.0.0.1:5432/test); without a server it says SKIPPED.
# The mail tests run a local SMTP server (aiosmtpd, pinned, in a venv made by
# scripts/smtp-venv.sh); when the venv cannot be made they say SKIPPED.
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
