"""The local class hub for the hub tests: started once per module in a temporary folder, with a
temporary course repository; stopped afterwards, and nothing of it may be left running."""

from __future__ import annotations

import shutil
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "deploy"))


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "hub: starts a local JupyterHub with students (deselect: -m 'not hub')"
    )
    config.addinivalue_line(
        "markers", "browser: needs Chromium and JupyterLab (deselect: -m 'not browser')"
    )


@pytest.fixture(scope="module")
def class_hub(tmp_path_factory):
    import localhub

    if not localhub.PROXY.exists():
        pytest.fail(f"{localhub.PROXY} is missing: run `npm ci --prefix deploy` (make test does)")
    if shutil.which("git") is None:
        pytest.fail("git is needed to pull the course with nbgitpuller")
    where = tmp_path_factory.mktemp("class-hub")
    bare = localhub.make_course_repo(ROOT, ROOT / "notebooks", where)
    hub = localhub.Hub(where / "state", repo=f"file://{bare}")
    hub.start()
    try:
        yield {"hub": hub, "where": where, "bare": bare}
    finally:
        leftovers = hub.stop()
        assert hub.proc.poll() is not None, "the hub is still running after stop()"
        assert not leftovers, f"student processes outlived the hub: {leftovers}"
        time.sleep(0.5)  # a killed helper is gone a moment later
        assert not hub.helpers(), f"the hub's proxy or services outlived it: {hub.helpers()}"
