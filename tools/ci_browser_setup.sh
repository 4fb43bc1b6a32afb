#!/usr/bin/env bash
# Install what the browser tests need that pip cannot: Debian's Chromium at /usr/bin/chromium, and
# Node.js + npm (tools/handouts.py installs the slide decks' reveal.js from the npm registry).
# Idempotent and quiet: does nothing when both are there. Never runs `playwright install`.
set -euo pipefail
need=()
[ -x /usr/bin/chromium ] || need+=(chromium)
command -v node >/dev/null 2>&1 || need+=(nodejs)
command -v npm >/dev/null 2>&1 || need+=(npm)
if [ ${#need[@]} -eq 0 ]; then
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "ci_browser_setup: missing ${need[*]} and this is not root; run as root:" >&2
  echo "  apt-get update && apt-get install -y ${need[*]}" >&2
  echo "(or skip the browser tests locally with: pytest -m 'not browser')" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null
apt-get install -y -qq "${need[@]}" >/dev/null
test -x /usr/bin/chromium || { echo "ci_browser_setup: chromium installed but /usr/bin/chromium is missing" >&2; exit 1; }
echo "ci_browser_setup: installed ${need[*]} ($(/usr/bin/chromium --version 2>/dev/null | head -1); node $(node --version 2>/dev/null))"
