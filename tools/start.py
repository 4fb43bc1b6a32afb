"""Start JupyterLab on the course, bound to 127.0.0.1 with a fresh token, and say where to go.

Why a script: the URL with its token must be printed before the server takes over the terminal,
and the process replaces this one (``exec``) so Ctrl-C stops the server and leaves nothing behind.
"""

from __future__ import annotations

import os
import secrets
import socket
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
START = "lab/tree/notebooks/00-start-here.ipynb"


def free_port(preferred: int = 8888) -> int:
    for port in [preferred, *range(preferred + 1, preferred + 50), 0]:
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return s.getsockname()[1]
    raise RuntimeError("no free port on 127.0.0.1")


def command(port: int, token: str) -> list[str]:
    args = [
        sys.executable,
        "-m",
        "jupyterlab",
        "--ip=127.0.0.1",
        f"--port={port}",
        "--ServerApp.port_retries=0",
        f"--ServerApp.root_dir={ROOT}",
        f"--IdentityProvider.token={token}",
        f"--LabApp.default_url=/{START}",
        "--LabApp.news_url=None",
    ]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        args.append("--allow-root")
    return args


def main() -> None:
    port = int(os.environ.get("HAMFOOT_PORT", 0)) or free_port()
    token = os.environ.get("HAMFOOT_TOKEN") or secrets.token_hex(24)
    print(
        f"\nhamfoot is starting. Open this address in your browser:\n\n"
        f"    http://127.0.0.1:{port}/{START}?token={token}\n\n"
        f"Stop the course with Ctrl-C (twice if JupyterLab asks).\n",
        flush=True,
    )
    os.execv(sys.executable, command(port, token))


if __name__ == "__main__":
    main()
