#!/usr/bin/env bash
# CI: install what the browser tests need (Debian Chromium, Node.js, npm) and refuse to skip them.
# One implementation: tools/browser_setup.py (also run by `make test`).
set -euo pipefail
exec python3 "$(dirname "$0")/browser_setup.py" --ci "$@"
