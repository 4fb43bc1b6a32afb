"""Run JupyterLab on a course folder: 127.0.0.1 only, a fresh token that never appears on a
command line, its own free port, and a clean stop.

Why each piece:
- The token goes into a 0600 config file in a private 0700 folder (deleted on exit), not onto
  the command line, which any local user can read with `ps` on a shared lab PC.
- Each start picks a free port and prints its URL only after the server on that port has answered
  with OUR token, so two courses at once never print a link to the other one.
- The server runs in its own session; Ctrl-C, SIGTERM or SIGHUP to this command asks it to shut
  down (it stops its kernels), and anything left after a grace period is killed.
- A home folder Jupyter cannot write to, or a read-only course folder, is one clear line.
"""

from __future__ import annotations

import http.client
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

FIRST_LESSON = "00-start-here.ipynb"
HOST = "127.0.0.1"


class StartError(Exception):
    """Something the learner can fix; printed as one line."""


def free_port(preferred: int = 8888, skip: set[int] | frozenset[int] = frozenset()) -> int:
    for port in [*range(preferred, preferred + 50), 0]:
        if port in skip:
            continue
        with socket.socket() as s:
            try:
                s.bind((HOST, port))
            except OSError:
                continue
            return s.getsockname()[1]
    raise StartError(f"no free port on {HOST}")


def writable(folder: Path) -> bool:
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=folder):
            pass
        return True
    except OSError:
        return False


def preflight(folder: Path) -> None:
    """Fail early, in words, where Jupyter would fail later with a traceback."""
    from jupyter_core.paths import jupyter_runtime_dir

    runtime = Path(jupyter_runtime_dir())
    if not writable(runtime):
        raise StartError(
            f"cannot write to {runtime} (Jupyter keeps its runtime files there; is your home "
            f"folder {Path.home()} writable?); set HOME or JUPYTER_RUNTIME_DIR to a writable folder"
        )
    if not writable(folder):
        raise StartError(
            f"the course folder {folder} is read-only; choose one you can write to, "
            "e.g. hamfoot start ~/hamfoot-course"
        )


def private_config(folder: Path, port: int, token: str, open_browser: bool) -> Path:
    """A Jupyter config file readable only by this user, holding the token and the settings."""
    private = Path(tempfile.mkdtemp(prefix="hamfoot-"))  # mode 0700
    config = private / "jupyter_server_config.json"
    settings = {
        "IdentityProvider": {"token": token},
        "ServerApp": {
            "ip": HOST,
            "port": port,
            "port_retries": 0,
            "root_dir": str(folder),
            "open_browser": open_browser,
            "allow_root": hasattr(os, "geteuid") and os.geteuid() == 0,
        },
        "LabApp": {"default_url": f"/lab/tree/{FIRST_LESSON}", "news_url": None},
    }
    fd = os.open(config, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        json.dump(settings, f)
    return config


def answers(port: int, token: str) -> bool:
    """True when the server on `port` accepts OUR token (so it is ours, and ready)."""
    try:
        conn = http.client.HTTPConnection(HOST, port, timeout=2)
        conn.request("GET", "/api/status", headers={"Authorization": f"token {token}"})
        ok = conn.getresponse().status == 200
        conn.close()
        return ok
    except OSError:
        return False


def descendants(pid: int) -> list[int]:
    """Every process below `pid` (kernels run in sessions of their own, so a process-group
    signal would miss them). Linux /proc; elsewhere an empty list."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
        except (OSError, IndexError, ValueError):
            continue
    found, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def stop(process: subprocess.Popen, grace: float = 15.0) -> None:
    """Ask the server to shut down (it stops its kernels); kill whatever is left after `grace`."""
    if process.poll() is not None:
        return
    below = descendants(process.pid)
    try:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        pass
    for pid in [process.pid, *below]:
        try:
            os.kill(pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
    process.poll()


def launch(config: Path, env: dict[str, str]) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "jupyterlab", f"--config={config}"],
        env=env,
        stdin=subprocess.DEVNULL,
        start_new_session=True,
    )


def serve(folder: Path, port: int | None = None, open_browser: bool = True) -> int:
    """Run JupyterLab on `folder` until Ctrl-C or SIGTERM; the exit code of the server."""
    folder = folder.resolve()
    preflight(folder)
    token = os.environ.get("HAMFOOT_TOKEN") or secrets.token_urlsafe(32)
    env = {k: v for k, v in os.environ.items() if k not in {"HAMFOOT_TOKEN", "JUPYTER_TOKEN"}}
    tried: set[int] = set()
    process = config = None

    def on_signal(signum, frame):
        raise KeyboardInterrupt

    previous = {s: signal.signal(s, on_signal) for s in (signal.SIGTERM, signal.SIGHUP)}
    try:
        for _attempt in range(5):
            chosen = port or free_port(skip=tried)
            tried.add(chosen)
            config = private_config(folder, chosen, token, open_browser)
            process = launch(config, env)
            deadline = time.monotonic() + 120
            while process.poll() is None and not answers(chosen, token):
                if time.monotonic() > deadline:
                    raise StartError("JupyterLab did not answer within 120 s")
                time.sleep(0.2)
            shutil.rmtree(config.parent, ignore_errors=True)  # read once at start-up
            if process.poll() is None:
                break
            if port:  # a port the user chose is taken: say so rather than move
                raise StartError(f"JupyterLab could not start on port {port} (in use?)")
        else:
            raise StartError("JupyterLab would not start (see its messages above)")
        print(
            f"\nhamfoot is running. Open this address in your browser:\n\n"
            f"    http://{HOST}:{chosen}/lab/tree/{FIRST_LESSON}?token={token}\n\n"
            f"Course folder: {folder}\nStop the course with Ctrl-C.\n",
            flush=True,
        )
        return process.wait()
    except KeyboardInterrupt:
        print("\nhamfoot: stopping the course server and its kernels ...", flush=True)
        return 0
    finally:
        if process is not None:
            stop(process)
        if config is not None:
            shutil.rmtree(config.parent, ignore_errors=True)
        for s, handler in previous.items():
            signal.signal(s, handler)
