"""Browser tests: every lesson in a real JupyterLab, driven by Python Playwright and Debian Chromium.

Why a real browser: a widget can build fine in a kernel and still fail to render in the page (a
missing front-end model, an error in its view), and only the page shows what a student sees.

Shape (keeps the suite within a few minutes on two cores): ONE JupyterLab server per session over a
temporary copy of notebooks/ (JupyterLab autosaves outputs), ONE browser, and one fresh page per
lesson that every test of that lesson shares. Tests are re-ordered so that all tests of a lesson
run together; the previous lesson's page is closed and its kernel shut down in a background
thread while the next lesson's page loads. Waits poll the page every 25-50 ms; nothing sleeps.

Every request the browser makes is recorded, and any that would leave 127.0.0.1 is aborted and
reported as a failure. Timings (server start, time to kernel idle, key press to updated figure) go
to build/browser-timings.json for the benchmark.

This file holds hooks and fixtures only; the helpers live in _helpers.py (imported relatively, so
a tests/conftest.py can never shadow them). Needs /usr/bin/chromium (tools/ci_browser_setup.sh
installs it) and the `playwright` package; never `playwright install`. Deselect with
`-m "not browser"` on a machine without Chromium.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from ._helpers import (
    BUILD,
    CHROMIUM,
    CHROMIUM_ARGS,
    LAB_SETTINGS,
    NOTEBOOKS,
    ROOT,
    Browser,
    Lab,
    LessonPages,
    LessonRun,
    block_outside,
    free_port,
    is_local,
    lesson_files,
    stop_group,
)


# ---------------------------------------------------------------- collection: parametrize + order
def pytest_configure(config):
    # Also registered in pyproject.toml; repeating it here keeps `pytest tests/browser` warning-free.
    config.addinivalue_line(
        "markers", "browser: needs Chromium and JupyterLab (deselect: -m 'not browser')"
    )


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


# ---------------------------------------------------------------- fixtures
@pytest.fixture(scope="session")
def timings():
    """Collected timings; written to build/browser-timings.json when the session ends."""
    data: dict = {"lessons": {}, "slider": {}}
    yield data
    if not data["lessons"] and not data["slider"]:
        return
    presses = [t for s in data["slider"].values() for t in s.get("key_to_figure_s", [])]
    if presses:
        data["key_to_figure"] = {
            "median_s": round(statistics.median(presses), 3),
            "slowest_s": round(max(presses), 3),
            "presses": len(presses),
        }
    idles = [v["kernel_idle_s"] for v in data["lessons"].values() if "kernel_idle_s" in v]
    if idles:
        data["kernel_idle"] = {
            "median_s": round(statistics.median(idles), 3),
            "slowest_s": round(max(idles), 3),
        }
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
    env = {
        **os.environ,
        "JUPYTERLAB_SETTINGS_DIR": str(settings),
        "JUPYTERLAB_WORKSPACES_DIR": str(base / "workspaces"),
        "JUPYTER_RUNTIME_DIR": str(base / "runtime"),
        "IPYTHONDIR": str(base / "ipython"),
        "MATPLOTLIBRC": str(ROOT / "tests" / "mplrc"),
        "SOURCE_DATE_EPOCH": "0",
        "PYTHONDONTWRITEBYTECODE": "1",
        "HAMFOOT_PROGRESS": str(base / "progress.json"),  # answers save by themselves: not in ~
    }
    token, port = os.urandom(16).hex(), free_port()
    cmd = [
        sys.executable,
        "-m",
        "jupyterlab",
        "--no-browser",
        "--ip=127.0.0.1",
        f"--port={port}",
        f"--ServerApp.root_dir={root}",
        f"--IdentityProvider.token={token}",
        "--LabApp.expose_app_in_browser=True",
        "--LabApp.news_url=None",
        "--ServerApp.port_retries=0",
        "--ServerApp.open_browser=False",
    ]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        cmd.append("--allow-root")
    log = base / "server.log"
    previous = signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # so `finally` runs
    t0 = time.perf_counter()
    with open(log, "wb") as out:
        proc = subprocess.Popen(
            cmd, cwd=root, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
    lab = None
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
                pytest.fail(
                    f"JupyterLab did not answer /api/status in 90 s:\n{log.read_text()[-3000:]}"
                )
            time.sleep(0.05)
        timings["server_start_s"] = round(time.perf_counter() - t0, 3)
        lab = Lab(url, token, root, log, timings["server_start_s"])
        yield lab
    finally:
        if lab is not None:
            lab.join_reapers(10)
        stop_group(proc)
        signal.signal(signal.SIGTERM, previous)


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium; every request recorded, any non-local request aborted and listed."""
    if not Path(CHROMIUM).exists():
        pytest.fail(
            f"{CHROMIUM} is missing: run tools/ci_browser_setup.sh (as root), "
            "or deselect the browser tests with -m 'not browser'"
        )
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.fail("the `playwright` package is missing: pip install -e '.[test]'")
    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        context = chromium.new_context(viewport={"width": 1280, "height": 900})
        state = Browser(context)
        block_outside(context, state.blocked)
        context.on("request", lambda req: state.requests.append(req.url))
        context.on("requestfailed", lambda req: state.failed.append(f"{req.url} ({req.failure})"))
        try:
            yield state
        finally:
            context.close()
            chromium.close()
    outside = sorted({u for u in state.requests if not is_local(u)})
    assert not outside, f"requests left 127.0.0.1: {outside[:20]}"


@pytest.fixture(scope="session")
def lesson_pages(lab, browser, timings):
    pages = LessonPages(lab, browser, timings)
    yield pages
    pages.close(wait=True)


@pytest.fixture
def lesson_run(lesson, lesson_pages) -> LessonRun:
    """The lesson open in JupyterLab with every cell run (shared by that lesson's tests)."""
    return lesson_pages.get(lesson)


@pytest.fixture(scope="session")
def quiz_bank() -> list[dict]:
    import yaml

    return yaml.safe_load((ROOT / "data" / "quiz.yaml").read_text(encoding="utf-8"))
