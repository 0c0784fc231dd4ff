#!/usr/bin/env bash
# Makes the Python environment of the mail tests' SMTP server
# (scripts/smtp-sink.py: aiosmtpd from PyPI, pinned) and prints its python.
#
#   export WEAVER_SMTP_PYTHON="$(bash scripts/smtp-venv.sh)"
set -euo pipefail
cd "$(dirname "$0")/.."
VENV="${WEAVER_SMTP_VENV:-scripts/.smtp-venv}"
if [ ! -x "$VENV/bin/python" ] || ! "$VENV/bin/python" -c "import aiosmtpd" 2>/dev/null; then
    python3 -m venv "$VENV" >&2
    "$VENV/bin/pip" install --quiet "aiosmtpd==1.4.6" >&2
fi
echo "$(cd "$VENV" && pwd)/bin/python"
