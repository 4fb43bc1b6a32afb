"""Shared helpers of the browser suite: paths, page scripts, the JupyterLab server and one page per lesson.

Kept out of conftest.py so test modules import them as `from ._helpers import …` (tests/browser is a
package): a plain `from conftest import …` would pick up whichever conftest.py pytest loaded first,
e.g. a top-level tests/conftest.py. conftest.py holds only hooks and fixtures.
"""

from __future__ import annotations

import http.server
import json
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from urllib.parse import urlsplit

import pytest

ROOT = Path(__file__).resolve().parents[2]
# Appended, not prepended: tools/ holds names (venv, lock) that must not shadow the stdlib.
sys.path.append(str(ROOT / "tools"))
from chromium import CHROMIUM, CHROMIUM_ARGS  # noqa: E402, F401 - re-exported to the suite

# HAMFOOT_BROWSER_NOTEBOOKS points the suite at another folder (e.g. a deliberately broken copy).
NOTEBOOKS = Path(os.environ.get("HAMFOOT_BROWSER_NOTEBOOKS", ROOT / "notebooks")).resolve()
BUILD = ROOT / "build"
WIDGET_MIME = "application/vnd.jupyter.widget-view+json"
LOCAL_HOSTS = {"127.0.0.1"}

# JupyterLab settings for the test server: render every cell (no windowing, so every output is in
# the DOM), no autosave noise, no news or update checks.
LAB_SETTINGS = {
    "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {"windowingMode": "none"},
    "@jupyterlab/docmanager-extension/plugin.jupyterlab-settings": {"autosave": False},
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {
        "fetchNews": "false",
        "checkForUpdates": False,
    },
}

# Wait on the kernel itself, not on CSS (CSS can pass while the notebook says "No Kernel").
# The result lands in window.__hfReady so Python can wait on it with a timeout.
READY_JS = """
() => { window.__hfReady = null; (async () => {
  const app = window.jupyterapp; await app.started; await app.restored;
  window.__hfRestoredMs = performance.now();  // since navigation started
  let nb = app.shell.currentWidget;
  while (!nb || !nb.sessionContext) { await new Promise(r => setTimeout(r, 25)); nb = app.shell.currentWidget; }
  await nb.context.ready; await nb.sessionContext.ready;
  const k = () => nb.sessionContext.session && nb.sessionContext.session.kernel;
  while (!k() || k().status !== 'idle' || k().connectionStatus !== 'connected')
    await new Promise(r => setTimeout(r, 25));
  window.__hfReady = k().name; })().catch(e => { window.__hfReady = 'ERROR: ' + e; }); }
"""

RUN_ALL_JS = """
() => { window.__hfRan = null; (async () => {
  const app = window.jupyterapp; const nb = app.shell.currentWidget;
  await app.commands.execute('notebook:run-all-cells');
  const k = () => nb.sessionContext.session && nb.sessionContext.session.kernel;
  const done = () => nb.content.widgets.every(c => c.model.type !== 'code'
      || !c.model.sharedModel.getSource().trim()
      || (c.model.executionCount !== null && c.model.executionState !== 'running'));
  while (!done() || !k() || k().status !== 'idle') await new Promise(r => setTimeout(r, 25));
  window.__hfRan = 'ok'; })().catch(e => { window.__hfRan = 'ERROR: ' + e; }); }
"""

# One record per cell: its outputs as the kernel sent them, and what the page shows for each.
# Each cell node is tagged data-hamfoot-cell=<index> so tests can find it with a locator.
CELLS_JS = r"""
() => {
  const nb = window.jupyterapp.shell.currentWidget;
  return nb.content.widgets.map((cell, i) => {
    cell.node.setAttribute('data-hamfoot-cell', String(i));
    const m = cell.model;
    const info = {index: i, type: m.type, source: m.sharedModel.getSource(), execution_count: null, outputs: []};
    if (m.type !== 'code') return info;
    info.execution_count = m.executionCount;
    const nodes = cell.node.querySelectorAll('.jp-OutputArea-child');
    for (let j = 0; j < m.outputs.length; j++) {
      const o = m.outputs.get(j).toJSON();
      const out = nodes[j] ? nodes[j].querySelector('.jp-OutputArea-output') : null;
      const text = [].concat(o.text || o.traceback || []).join('');
      info.outputs.push({
        output_type: o.output_type, name: o.name || null, ename: o.ename || null,
        evalue: o.evalue || null, mimes: Object.keys(o.data || {}), text: text.slice(0, 800),
        widget_rendered: !!(out && (out.classList.contains('jupyter-widgets')
                                    || out.querySelector('.jupyter-widgets, [class*="widget-"]'))),
        // ipywidgets shows a failed view as an error icon ("Click to show javascript error."),
        // a missing model as "Error displaying widget: model not found".
        widget_error: !!(out && (out.querySelector('.jupyter-widgets-error-widget')
                                 || /Error displaying widget|model not found|Failed to (load|create)/i.test(out.textContent))),
        dom_text: out ? out.innerText.slice(0, 300) : null,
      });
    }
    return info;
  });
}
"""

# The same check CELLS_JS makes, as one boolean, so Python can wait on it inside the page.
WIDGETS_SETTLED_JS = r"""
() => {
  const nb = window.jupyterapp.shell.currentWidget;
  const mime = 'application/vnd.jupyter.widget-view+json';
  return nb.content.widgets.every(cell => {
    if (cell.model.type !== 'code') return true;
    const nodes = cell.node.querySelectorAll('.jp-OutputArea-child');
    for (let j = 0; j < cell.model.outputs.length; j++) {
      const o = cell.model.outputs.get(j).toJSON();
      if (!(o.data && mime in o.data)) continue;
      const out = nodes[j] ? nodes[j].querySelector('.jp-OutputArea-output') : null;
      if (!out) return false;
      const shown = out.classList.contains('jupyter-widgets') || out.querySelector('.jupyter-widgets, [class*="widget-"]')
        || out.querySelector('.jupyter-widgets-error-widget')
        || /Error displaying widget|model not found|Failed to (load|create)/i.test(out.textContent);
      if (!shown) return false;
    }
    return true;
  });
}
"""


# ---------------------------------------------------------------- lessons
def lesson_files() -> list[str]:
    """Every lesson notebook, by file name (new lessons are picked up automatically)."""
    return sorted(p.name for p in NOTEBOOKS.glob("*.ipynb"))


def toc_file(number: str) -> str:
    """The file name data/toc.yaml gives a lesson number (the lesson may not be written yet)."""
    import yaml

    toc = yaml.safe_load((ROOT / "data" / "toc.yaml").read_text(encoding="utf-8"))
    for entry in toc:
        if str(entry["number"]) == number:
            return entry["file"]
    raise LookupError(f"lesson {number} is not in data/toc.yaml")


def require_lesson(lesson: str) -> Path:
    path = NOTEBOOKS / lesson
    if not path.exists():
        pytest.skip(f"{lesson} does not exist yet (file absent in notebooks/)")
    return path


def builder_call(source: str) -> str:
    """The widget builder call of a cell: its last non-empty line (what failure messages name)."""
    lines = [
        ln.strip()
        for ln in source.strip().splitlines()
        if ln.strip() and not ln.strip().startswith("#")
    ]
    calls = [ln for ln in lines if re.search(r"\w\(", ln)]
    if lines and calls and calls[-1] != lines[-1]:
        return f"{calls[-1]} … {lines[-1]}"  # e.g. `box = quiz(...) … box`
    return lines[-1] if lines else "<empty cell>"


def saved_widget_cells(path: Path) -> dict[int, str]:
    """Cells whose committed outputs include a widget view: index -> builder call text."""
    import nbformat

    nb = nbformat.read(path, as_version=4)
    return {
        i: builder_call(c.source)
        for i, c in enumerate(nb.cells)
        if c.cell_type == "code"
        and any(WIDGET_MIME in o.get("data", {}) for o in c.get("outputs", []))
    }


def is_local(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme in ("data", "blob", "about", "file") or parts.hostname in LOCAL_HOSTS


def block_outside(context, blocked: list[str]) -> list[str]:
    """Route a browser context so only local requests go through; others are aborted and listed.

    Why: "nothing leaves 127.0.0.1" is checked, not assumed: the test asserts `blocked` is empty.
    """

    def route(r):
        if is_local(r.request.url):
            r.continue_()
        else:
            blocked.append(r.request.url)
            r.abort()

    context.route("**/*", route)
    return blocked


def stop_group(proc: subprocess.Popen, timeout: float = 10) -> None:
    """SIGTERM a server started with start_new_session=True, SIGKILL if it lingers.

    The whole process group, so the kernels it started go too (no orphans between tests).
    """
    try:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=timeout)
    except ProcessLookupError:
        pass
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# ---------------------------------------------------------------- a static server for build/
class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:  # noqa: D102 - keep pytest output clean
        pass


@dataclass
class StaticServer:
    """build/ served on http://127.0.0.1:<port> from a thread (decks need http, not file://)."""

    url: str
    server: http.server.ThreadingHTTPServer

    @classmethod
    def start(cls, directory: Path) -> StaticServer:
        httpd = http.server.ThreadingHTTPServer(
            ("127.0.0.1", 0), partial(_QuietHandler, directory=str(directory))
        )
        httpd.daemon_threads = True
        threading.Thread(
            target=httpd.serve_forever, name="hamfoot-build-server", daemon=True
        ).start()
        return cls(f"http://127.0.0.1:{httpd.server_address[1]}", httpd)

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


# ---------------------------------------------------------------- the JupyterLab server
@dataclass
class Lab:
    url: str
    token: str
    root: Path
    log: Path
    start_s: float
    _reapers: list[threading.Thread] = field(default_factory=list)

    def api(self, method: str, path: str, timeout: float = 30) -> object:
        req = urllib.request.Request(
            f"{self.url}{path}", method=method, headers={"Authorization": f"token {self.token}"}
        )
        with urllib.request.urlopen(req, timeout=timeout) as r:
            raw = r.read()
        return json.loads(raw) if raw else None

    def session_ids(self) -> list[str]:
        try:
            return [s["id"] for s in self.api("GET", "/api/sessions")]
        except (urllib.error.URLError, OSError):
            return []

    def shutdown_sessions(self, ids: list[str], wait: bool = False) -> None:
        """End these sessions (and kernels) in a background thread, so the next lesson need not wait."""

        def reap() -> None:
            for sid in ids:
                try:
                    self.api("DELETE", f"/api/sessions/{sid}")
                except (urllib.error.URLError, OSError):
                    pass

        if not ids:
            return
        t = threading.Thread(target=reap, name="hamfoot-reaper", daemon=True)
        t.start()
        self._reapers.append(t)
        if wait:
            self.join_reapers()

    def join_reapers(self, timeout: float = 30) -> None:
        for t in self._reapers:
            t.join(timeout)
        self._reapers.clear()


# ---------------------------------------------------------------- the browser
@dataclass
class Browser:
    context: object
    requests: list[str] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)


# ---------------------------------------------------------------- one page per lesson
@dataclass
class LessonRun:
    lesson: str
    page: object
    cells: list[dict]
    expected_widgets: dict[int, str]
    requests: list[str]
    error: str | None = None
    companions: dict = field(default_factory=dict)  # e.g. a RISE page on the same kernel

    def cell(self, index: int):
        return self.page.locator(f'[data-hamfoot-cell="{index}"]')

    def widget_cells(self) -> list[dict]:
        return [c for c in self.cells if any(WIDGET_MIME in o["mimes"] for o in c["outputs"])]

    def find_cell(self, needle: str) -> dict:
        for c in self.cells:
            if c["type"] == "code" and needle in c["source"]:
                return c
        pytest.fail(f"{self.lesson}: no code cell contains {needle!r}")

    def key_widget_cell(self) -> dict | None:
        """The lesson's main interactive: its first widget that is not the quiz."""
        cells = self.widget_cells()
        main = [c for c in cells if "quiz(" not in c["source"]]
        return (main or cells or [None])[0]


class LessonPages:
    """Opens a lesson once, runs it, and keeps it open while that lesson's tests run."""

    def __init__(self, lab: Lab, browser: Browser, timings: dict):
        self.lab, self.browser, self.timings = lab, browser, timings
        self.current: LessonRun | None = None

    def close(self, wait: bool = False) -> None:
        """Close the lesson's page; its kernel is shut down in the background (or waited for)."""
        ids = self.lab.session_ids()
        if self.current is not None:
            for other in self.current.companions.values():
                if hasattr(other, "close"):
                    other.close()
            self.current.page.close()
            self.current = None
        self.lab.shutdown_sessions(ids, wait=wait)

    def get(self, lesson: str) -> LessonRun:
        path = require_lesson(lesson)
        if self.current is None or self.current.lesson != lesson:
            self.close()
            self.current = self._open(lesson, path)
        if self.current.error:
            pytest.fail(self.current.error)
        return self.current

    def _open(self, lesson: str, path: Path) -> LessonRun:
        page = self.browser.context.new_page()
        start = len(self.browser.requests)
        run = LessonRun(lesson, page, [], saved_widget_cells(path), [])
        stats: dict = {}
        self.timings["lessons"][Path(lesson).stem] = stats
        t0 = time.perf_counter()
        workspace = re.sub(r"[^a-z0-9]+", "-", Path(lesson).stem.lower())
        try:
            page.goto(
                f"{self.lab.url}/lab/workspaces/{workspace}/tree/{lesson}?reset&token={self.lab.token}",
                wait_until="commit",
            )
            page.wait_for_function(
                "() => window.jupyterapp !== undefined", timeout=60_000, polling=50
            )
            page.evaluate(READY_JS)
            _await_flag(page, "__hfReady", 90_000, "kernel readiness")
            stats["kernel_idle_s"] = round(time.perf_counter() - t0, 3)
            stats["lab_restored_s"] = round(page.evaluate("() => window.__hfRestoredMs") / 1000, 3)
            t1 = time.perf_counter()
            page.evaluate(RUN_ALL_JS)
            _await_flag(page, "__hfRan", 180_000, "run all cells")
            stats["run_all_s"] = round(time.perf_counter() - t1, 3)
            # Widget views render after the kernel replies; wait until each has rendered or failed
            # (on timeout the tests report which widget did not render).
            try:
                page.wait_for_function(WIDGETS_SETTLED_JS, timeout=30_000, polling=50)
            except Exception:  # noqa: BLE001 - the per-widget report below is more useful
                pass
            run.cells = page.evaluate(CELLS_JS)
            stats["widgets_rendered_s"] = round(time.perf_counter() - t1, 3)
        except Exception as e:  # noqa: BLE001 - reported as the lesson's failure, with context
            run.error = f"{lesson}: could not open and run the lesson in JupyterLab: {e}"
        run.requests = self.browser.requests[start:]
        return run


def _await_flag(page, flag: str, timeout_ms: int, what: str) -> None:
    """Wait for a page-side script to set `window.<flag>`; a value starting ERROR fails the lesson."""
    page.wait_for_function(f"() => window.{flag}", timeout=timeout_ms, polling=25)
    value = page.evaluate(f"() => window.{flag}")
    if str(value).startswith("ERROR"):
        raise RuntimeError(f"{what} failed: {value}")
