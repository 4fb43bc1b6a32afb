"""`hamfoot present LESSON`: one lesson as projector slides whose widgets work.

Why Voilà with a slide layout of hamfoot's own (and not RISE): on jupyterlab-rise 0.43.1 widgets
only render with ipywidgets 8.1.2 (the RISE page lacks a module newer widget managers need), and
an arrow key on a focused slider turns the slide instead of moving the slider. Voilà runs every
cell in a fresh kernel with the current ipywidgets, shows outputs only (no code), and our template
(present_assets/voila/templates/hamfoot-slides) cuts the page into slides from the cells' slide
metadata: fragments for the predictions, speaker notes from the educator notes, long text and
tables continued on the next slide so nothing scrolls, and keys that leave a focused widget
alone. The comparison of the routes that were tried is in tests/browser/test_slides.py.

The server is jupyter_server with the Voilà extension, on 127.0.0.1, with a fresh token that is
passed through the environment (JUPYTER_TOKEN), never on the command line, so other users of the
machine cannot read it from the process list.
"""

from __future__ import annotations

import argparse
import os
import secrets
import signal
import socket
import sys
import tempfile
import time
import urllib.error
import urllib.request
import webbrowser
from pathlib import Path

ASSETS = Path(__file__).resolve().parent / "present_assets"
TEMPLATE = "hamfoot-slides"
# Run in the kernel before the lesson's first cell (an IPython startup file): the projector style.
STARTUP = (
    "import hamfoot.plots.projector as _hf_projector\n_hf_projector.use()\ndel _hf_projector\n"
)


class PresentError(RuntimeError):
    """The lesson cannot be presented (unknown lesson, server did not start)."""


def notebooks_dir(folder: str | None) -> Path:
    """Where the lessons are: --dir, else ./notebooks, else the source checkout's notebooks/."""
    candidates = [Path(folder)] if folder else [Path.cwd() / "notebooks", Path.cwd()]
    candidates.append(Path(__file__).resolve().parents[1] / "notebooks")
    for c in candidates:
        if c.is_dir() and any(c.glob("[0-9][0-9]-*.ipynb")):
            return c.resolve()
    where = ", ".join(str(c) for c in candidates)
    raise PresentError(f"no lesson notebooks (NN-*.ipynb) found in {where}; pass --dir FOLDER")


def find_lesson(lesson: str, folder: Path) -> Path:
    """'02', '2', '02-chain-model' or '02-chain-model.ipynb' -> the notebook file."""
    name = Path(lesson).name.removesuffix(".ipynb")
    if name.isdigit():
        name = f"{int(name):02d}"
    matches = sorted(folder.glob(f"{name}*.ipynb")) if name else []
    exact = [m for m in matches if m.name in (name, f"{name}.ipynb") or m.stem == name]
    if exact:
        return exact[0]
    if len(matches) == 1 and (name.isdigit() or "-" in name):
        return matches[0]
    known = ", ".join(p.stem for p in sorted(folder.glob("[0-9][0-9]-*.ipynb")))
    raise PresentError(f"lesson {lesson!r} not found in {folder}; lessons: {known}")


def free_port(preferred: int = 8866) -> int:
    for port in [preferred, *range(preferred + 1, preferred + 30), 0]:
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return s.getsockname()[1]
    raise PresentError("no free port on 127.0.0.1")


def server_command(root: Path, port: int) -> list[str]:
    """jupyter_server with Voilà as an extension; the token comes from JUPYTER_TOKEN."""
    args = [
        sys.executable,
        "-m",
        "jupyter_server",
        "--no-browser",
        "--ip=127.0.0.1",
        f"--port={port}",
        "--ServerApp.port_retries=0",
        f"--ServerApp.root_dir={root}",
        "--ServerApp.jpserver_extensions=voila=True",
        f"--VoilaConfiguration.template={TEMPLATE}",
        "--VoilaConfiguration.show_tracebacks=True",
        "--VoilaConfiguration.file_allowlist=['.*\\.(png|jpg|svg|css)']",
    ]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        args.append("--allow-root")
    return args


def server_env(token: str, state: Path) -> dict[str, str]:
    """The server's environment: token, our template on JUPYTER_PATH, projector start-up code."""
    ipython = state / "ipython"
    startup = ipython / "profile_default" / "startup"
    startup.mkdir(parents=True, exist_ok=True)
    (startup / "00-hamfoot-projector.py").write_text(STARTUP, encoding="utf-8")
    paths = [str(ASSETS), *filter(None, os.environ.get("JUPYTER_PATH", "").split(os.pathsep))]
    return {
        **os.environ,
        "JUPYTER_TOKEN": token,
        "JUPYTER_PATH": os.pathsep.join(paths),
        "JUPYTER_RUNTIME_DIR": str(state / "runtime"),
        "IPYTHONDIR": str(ipython),
        "PYTHONDONTWRITEBYTECODE": "1",
    }


def lesson_url(base: str, notebook: Path, root: Path) -> str:
    return f"{base}/voila/render/{notebook.relative_to(root).as_posix()}"


def wait_ready(base: str, token: str, proc, timeout: float = 60) -> float:
    """Seconds until the server answers /api/status (fails if it exits first)."""
    t0 = time.monotonic()
    while time.monotonic() - t0 < timeout:
        if proc.poll() is not None:
            raise PresentError(f"the slide server exited with code {proc.returncode}")
        req = urllib.request.Request(
            f"{base}/api/status", headers={"Authorization": f"token {token}"}
        )
        try:
            with urllib.request.urlopen(req, timeout=2) as r:
                if r.status == 200:
                    return time.monotonic() - t0
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.1)
    raise PresentError(f"the slide server did not answer within {timeout:.0f} s")


def redirect_page(state: Path, url: str) -> Path:
    """A private page that forwards the browser to the slides, so the token is never on a command
    line (opening the address directly would put it on the browser's)."""
    page = state / "open-slides.html"
    page.touch(mode=0o600)
    page.write_text(
        f'<!doctype html><meta charset="utf-8"><meta http-equiv="refresh" content="0;url={url}">'
        f'<title>hamfoot slides</title><a href="{url}">Open the slides</a>\n',
        encoding="utf-8",
    )
    return page


def parse(argv: list[str]) -> argparse.Namespace:
    p = argparse.ArgumentParser(
        prog="hamfoot present",
        description="Present a lesson as slides with live widgets (on 127.0.0.1, with a token).",
    )
    p.add_argument("lesson", help="lesson number or file name, e.g. 02")
    p.add_argument("--dir", help="folder with the lesson notebooks (default: ./notebooks)")
    p.add_argument("--port", type=int, default=0, help="port on 127.0.0.1 (default: a free one)")
    p.add_argument("--no-browser", action="store_true", help="print the address, open nothing")
    return p.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    import subprocess

    args = parse(sys.argv[1:] if argv is None else argv)
    try:
        root = notebooks_dir(args.dir)
        notebook = find_lesson(args.lesson, root)
        port = args.port or free_port()
    except PresentError as e:
        print(f"hamfoot present: {e}", file=sys.stderr)
        return 2
    token = secrets.token_hex(24)
    base = f"http://127.0.0.1:{port}"
    url = f"{lesson_url(base, notebook, root)}?token={token}"
    with tempfile.TemporaryDirectory(prefix="hamfoot-present-") as state:
        proc = subprocess.Popen(
            server_command(root, port),
            env=server_env(token, Path(state)),
            cwd=root,
            start_new_session=True,
        )
        previous = signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
        try:
            wait_ready(base, token, proc)
            print(
                f"\nPresenting {notebook.name}. Open (first load runs the lesson, ~10 s):\n\n"
                f"    {url}\n\n"
                "Keys: → Space next, ← back, N speaker notes, Esc leaves a widget.\n"
                "Stop with Ctrl-C.\n",
                flush=True,
            )
            if not args.no_browser:
                webbrowser.open(redirect_page(Path(state), url).as_uri())
            return proc.wait()
        except PresentError as e:
            print(f"hamfoot present: {e}", file=sys.stderr)
            return 1
        except KeyboardInterrupt:
            return 0
        finally:
            signal.signal(signal.SIGTERM, previous)
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
                try:
                    proc.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    os.killpg(proc.pid, signal.SIGKILL)
                    proc.wait()


if __name__ == "__main__":
    sys.exit(main())
