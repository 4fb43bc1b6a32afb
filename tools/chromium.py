"""Debian's Chromium as the project launches it: the browser tests, handout PDFs, the class bench.

Why one place: the flags decide what the browser may do on its own (update checks, sync, QUIC),
and "nothing leaves 127.0.0.1" holds only if every launch uses the same ones. Never a downloaded
browser: Playwright gets this path as `executable_path`. Standard library only (tools/ is not a
package; import it with tools/ on sys.path).
"""

from __future__ import annotations

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
