#!/usr/bin/env bash
# Runs every test of the workspace (debug profile). The store's suite runs
# against SQLite and against PostgreSQL at $WEAVER_TEST_PG (default
# postgres://postgres@127.0.0.1:5432/test); without a server it says SKIPPED.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo test --workspace --quiet
