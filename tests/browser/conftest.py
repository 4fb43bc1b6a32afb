"""Browser tests: every lesson in a real JupyterLab, driven by Python Playwright and Debian Chromium.

Why a real browser: a widget can build fine in a kernel and still fail to render in the page (a
missing front-end model, an error in its view), and only the page shows what a student sees.

Shape (keeps the suite within a few minutes on two cores): ONE JupyterLab server per session over a
temporary copy of notebooks/ (JupyterLab autosaves outputs), ONE browser, and one fresh page per
lesson that every test of that lesson shares. Tests are re-ordered so that all tests of a lesson
run together; the previous lesson's page and kernel are closed before the next one opens.

Every request the browser makes is recorded, and any that would leave 127.0.0.1 is aborted and
reported as a failure. Timings (server start, time to kernel idle, key press to updated figure) go
to build/browser-timings.json for the benchmark.

Needs /usr/bin/chromium (tools/ci_browser_setup.sh installs it) and the `playwright` package; never
`playwright install`. Deselect with `-m "not browser"` on a machine without Chromium.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest

ROOT = Path(__file__).resolve().parents[2]
# HAMFOOT_BROWSER_NOTEBOOKS points the suite at another folder (e.g. a deliberately broken copy).
NOTEBOOKS = Path(os.environ.get("HAMFOOT_BROWSER_NOTEBOOKS", ROOT / "notebooks")).resolve()
BUILD = ROOT / "build"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]
WIDGET_MIME = "application/vnd.jupyter.widget-view+json"
LOCAL_HOSTS = {"127.0.0.1"}

# JupyterLab settings for the test server: render every cell (no windowing, so every output is in
# the DOM), no autosave noise, no news or update checks.
LAB_SETTINGS = {
    "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {"windowingMode": "none"},
    "@jupyterlab/docmanager-extension/plugin.jupyterlab-settings": {"autosave": False},
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings":
        {"fetchNews": "false", "checkForUpdates": False},
}

# Wait on the kernel itself, not on CSS (CSS can pass while the notebook says "No Kernel").
# The result lands in window.__hfReady so Python can wait on it with a timeout.
READY_JS = """
() => { window.__hfReady = null; (async () => {
  const app = window.jupyterapp; await app.started; await app.restored;
  let nb = app.shell.currentWidget;
  while (!nb || !nb.sessionContext) { await new Promise(r => setTimeout(r, 50)); nb = app.shell.currentWidget; }
  await nb.context.ready; await nb.sessionContext.ready;
  const k = () => nb.sessionContext.session && nb.sessionContext.session.kernel;
  while (!k() || k().status !== 'idle' || k().connectionStatus !== 'connected')
    await new Promise(r => setTimeout(r, 50));
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
  while (!done() || !k() || k().status !== 'idle') await new Promise(r => setTimeout(r, 50));
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
    lines = [ln.strip() for ln in source.strip().splitlines() if ln.strip() and not ln.strip().startswith("#")]
    calls = [ln for ln in lines if re.search(r"\w\(", ln)]
    if lines and calls and calls[-1] != lines[-1]:
        return f"{calls[-1]} … {lines[-1]}"  # e.g. `box = quiz(...) … box`
    return lines[-1] if lines else "<empty cell>"


def saved_widget_cells(path: Path) -> dict[int, str]:
    """Cells whose committed outputs include a widget view: index -> builder call text."""
    import nbformat

    nb = nbformat.read(path, as_version=4)
    return {i: builder_call(c.source) for i, c in enumerate(nb.cells) if c.cell_type == "code"
            and any(WIDGET_MIME in o.get("data", {}) for o in c.get("outputs", []))}


# ---------------------------------------------------------------- collection: parametrize + order
def pytest_generate_tests(metafunc):
    """`lesson` = every notebook in notebooks/, unless a test names its lessons itself."""
    if "lesson" not in metafunc.fixturenames:
        return
    for mark in metafunc.definition.iter_markers("parametrize"):
        names = mark.args[0]
        if "lesson" in (names.replace(" ", "").split(",") if isinstance(names, str) else names):
            return
    files = lesson_files()
    metafunc.parametrize("lesson", files, ids=[Path(f).stem for f in files])


_MODULE_RANK = {"test_lessons": 0, "test_a11y": 1, "test_handouts": 2, "test_rise": 3}


def pytest_collection_modifyitems(config, items):
    """Run all tests of one lesson together, so each lesson's page is opened and run once."""
    here = Path(__file__).parent
    slots = [i for i, it in enumerate(items) if Path(str(it.fspath)).parent == here]
    if not slots:
        return

    def key(it):
        module = Path(str(it.fspath)).stem
        lesson = getattr(it, "callspec", None) and it.callspec.params.get("lesson")
        uses_page = "lesson_run" in getattr(it, "fixturenames", ())
        group = 0 if uses_page else 1 + _MODULE_RANK.get(module, 9)
        return (group, lesson or "", _MODULE_RANK.get(module, 9))

    ordered = sorted((items[i] for i in slots), key=key)
    for slot, it in zip(slots, ordered):
        items[slot] = it


# ---------------------------------------------------------------- the JupyterLab server
def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Lab:
    url: str
    token: str
    root: Path
    log: Path
    start_s: float

    def api(self, method: str, path: str) -> object:
        req = urllib.request.Request(f"{self.url}{path}", method=method,
                                     headers={"Authorization": f"token {self.token}"})
        with urllib.request.urlopen(req, timeout=10) as r:
            body = r.read()
        return json.loads(body) if body else None

    def shutdown_kernels(self) -> None:
        """End every session (and its kernel), so lessons do not pile up kernels in memory."""
        try:
            for s in self.api("GET", "/api/sessions"):
                self.api("DELETE", f"/api/sessions/{s['id']}")
        except (urllib.error.URLError, OSError):
            pass


@pytest.fixture(scope="session")
def timings():
    """Collected timings; written to build/browser-timings.json when the session ends."""
    data: dict = {"lessons": {}, "slider": {}}
    yield data
    if not data["lessons"] and not data["slider"]:
        return
    presses = [t for s in data["slider"].values() for t in s.get("key_to_figure_s", [])]
    if presses:
        data["key_to_figure"] = {"median_s": round(statistics.median(presses), 3),
                                 "slowest_s": round(max(presses), 3), "presses": len(presses)}
    idles = [v["kernel_idle_s"] for v in data["lessons"].values() if "kernel_idle_s" in v]
    if idles:
        data["kernel_idle"] = {"median_s": round(statistics.median(idles), 3),
                               "slowest_s": round(max(idles), 3)}
    data["generated"] = time.strftime("%Y-%m-%dT%H:%M:%S")
    BUILD.mkdir(exist_ok=True)
    (BUILD / "browser-timings.json").write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")


@pytest.fixture(scope="session")
def lab(tmp_path_factory, timings):
    """JupyterLab on 127.0.0.1 with a token, over a temporary copy of notebooks/, always stopped."""
    base = tmp_path_factory.mktemp("lab")
    root = base / "notebooks"
    shutil.copytree(NOTEBOOKS, root, ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    settings = base / "settings"
    for name, value in LAB_SETTINGS.items():
        path = settings / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(value), encoding="utf-8")
    env = {**os.environ, "JUPYTERLAB_SETTINGS_DIR": str(settings),
           "JUPYTERLAB_WORKSPACES_DIR": str(base / "workspaces"),
           "JUPYTER_RUNTIME_DIR": str(base / "runtime"), "IPYTHONDIR": str(base / "ipython"),
           "MATPLOTLIBRC": str(ROOT / "tests" / "mplrc"), "SOURCE_DATE_EPOCH": "0",
           "PYTHONDONTWRITEBYTECODE": "1"}
    token, port = os.urandom(16).hex(), _free_port()
    cmd = [sys.executable, "-m", "jupyterlab", "--no-browser", "--ip=127.0.0.1", f"--port={port}",
           f"--ServerApp.root_dir={root}", f"--IdentityProvider.token={token}",
           "--LabApp.expose_app_in_browser=True", "--LabApp.news_url=None",
           "--ServerApp.port_retries=0", "--ServerApp.open_browser=False"]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        cmd.append("--allow-root")
    log = base / "server.log"
    previous = signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # so `finally` runs
    t0 = time.perf_counter()
    with open(log, "wb") as out:
        proc = subprocess.Popen(cmd, cwd=root, env=env, stdout=out, stderr=subprocess.STDOUT,
                                start_new_session=True)
    try:
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 90
        while True:
            if proc.poll() is not None:
                pytest.fail(f"JupyterLab exited with {proc.returncode}:\n{log.read_text()[-3000:]}")
            try:
                with urllib.request.urlopen(f"{url}/api/status?token={token}", timeout=2) as r:
                    if r.status == 200:
                        break
            except (urllib.error.URLError, OSError):
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"JupyterLab did not answer /api/status in 90 s:\n{log.read_text()[-3000:]}")
            time.sleep(0.1)
        timings["server_start_s"] = round(time.perf_counter() - t0, 3)
        yield Lab(url, token, root, log, timings["server_start_s"])
    finally:
        try:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(timeout=10)
        except ProcessLookupError:
            pass
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
        signal.signal(signal.SIGTERM, previous)


# ---------------------------------------------------------------- the browser
@dataclass
class Browser:
    context: object
    requests: list[str] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)


def is_local(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme in ("data", "blob", "about", "file") or parts.hostname in LOCAL_HOSTS


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium; every request recorded, any non-local request aborted and listed."""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: run tools/ci_browser_setup.sh (as root), "
                    "or deselect the browser tests with -m 'not browser'")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.fail("the `playwright` package is missing: pip install -e '.[test]'")
    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        context = chromium.new_context(viewport={"width": 1280, "height": 900})
        state = Browser(context)

        def route(r):
            if is_local(r.request.url):
                r.continue_()
            else:
                state.blocked.append(r.request.url)
                r.abort()

        context.route("**/*", route)
        context.on("request", lambda req: state.requests.append(req.url))
        context.on("requestfailed", lambda req: state.failed.append(f"{req.url} ({req.failure})"))
        try:
            yield state
        finally:
            context.close()
            chromium.close()
    outside = sorted({u for u in state.requests if not is_local(u)})
    assert not outside, f"requests left 127.0.0.1: {outside[:20]}"


# ---------------------------------------------------------------- one page per lesson
@dataclass
class LessonRun:
    lesson: str
    page: object
    cells: list[dict]
    expected_widgets: dict[int, str]
    requests: list[str]
    error: str | None = None

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

    def close(self) -> None:
        if self.current is not None:
            self.current.page.close()
            self.current = None
        self.lab.shutdown_kernels()

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
            page.goto(f"{self.lab.url}/lab/workspaces/{workspace}/tree/{lesson}?reset&token={self.lab.token}")
            page.wait_for_function("() => window.jupyterapp !== undefined", timeout=60_000)
            page.evaluate(READY_JS)
            page.wait_for_function("() => window.__hfReady", timeout=90_000)
            ready = page.evaluate("() => window.__hfReady")
            if str(ready).startswith("ERROR"):
                raise RuntimeError(f"kernel readiness failed: {ready}")
            stats["kernel_idle_s"] = round(time.perf_counter() - t0, 3)
            t1 = time.perf_counter()
            page.evaluate(RUN_ALL_JS)
            page.wait_for_function("() => window.__hfRan", timeout=180_000)
            ran = page.evaluate("() => window.__hfRan")
            if str(ran).startswith("ERROR"):
                raise RuntimeError(f"run all cells failed: {ran}")
            stats["run_all_s"] = round(time.perf_counter() - t1, 3)
            # Widget views render after the kernel replies; wait until each has rendered or failed.
            deadline = time.monotonic() + 30
            while True:
                run.cells = page.evaluate(CELLS_JS)
                pending = [o for c in run.cells for o in c["outputs"] if WIDGET_MIME in o["mimes"]
                           and not (o["widget_rendered"] or o["widget_error"])]
                if not pending or time.monotonic() > deadline:
                    break
                page.wait_for_timeout(100)
            stats["widgets_rendered_s"] = round(time.perf_counter() - t1, 3)
        except Exception as e:  # noqa: BLE001 - reported as the lesson's failure, with context
            run.error = f"{lesson}: could not open and run the lesson in JupyterLab: {e}"
        run.requests = self.browser.requests[start:]
        return run


@pytest.fixture(scope="session")
def lesson_pages(lab, browser, timings):
    pages = LessonPages(lab, browser, timings)
    yield pages
    pages.close()


@pytest.fixture
def lesson_run(lesson, lesson_pages) -> LessonRun:
    """The lesson open in JupyterLab with every cell run (shared by that lesson's tests)."""
    return lesson_pages.get(lesson)


@pytest.fixture(scope="session")
def quiz_bank() -> list[dict]:
    import yaml

    return yaml.safe_load((ROOT / "data" / "quiz.yaml").read_text(encoding="utf-8"))


def pytest_configure(config):
    # Also registered in pyproject.toml; repeating it here keeps `pytest tests/browser` warning-free.
    config.addinivalue_line("markers", "browser: needs Chromium and JupyterLab (deselect: -m 'not browser')")
