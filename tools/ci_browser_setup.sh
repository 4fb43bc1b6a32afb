#!/usr/bin/env bash
# Install what the browser tests need that pip cannot: Debian's Chromium at /usr/bin/chromium.
# Idempotent and quiet: does nothing when it is already there. Never runs `playwright install`.
set -euo pipefail
if [ -x /usr/bin/chromium ]; then
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "ci_browser_setup: /usr/bin/chromium is missing and this is not root; run as root:" >&2
  echo "  apt-get update && apt-get install -y chromium" >&2
  echo "(or skip the browser tests locally with: pytest -m 'not browser')" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null
apt-get install -y -qq chromium >/dev/null
test -x /usr/bin/chromium || { echo "ci_browser_setup: chromium installed but /usr/bin/chromium is missing" >&2; exit 1; }
echo "ci_browser_setup: installed $(/usr/bin/chromium --version 2>/dev/null | head -1)"
