"""`make test` prepares its own browser (tools/browser_setup.py): finds Chromium, installs it as
root with apt-get, or stops with one line that says what to install and how to skip. The decision
is tested on a missing path; the machine's real Chromium is never removed."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
_spec = importlib.util.spec_from_file_location("browser_setup", ROOT / "tools" / "browser_setup.py")
bs = importlib.util.module_from_spec(_spec)
sys.modules["browser_setup"] = bs  # dataclasses look their module up there
_spec.loader.exec_module(bs)


def everything(tool):
    return f"/usr/bin/{tool}"


def test_a_missing_chromium_is_noticed(tmp_path):
    assert bs.missing(tmp_path / "chromium", which=everything) == ("chromium",)
    present = tmp_path / "present"
    present.touch()
    assert bs.missing(present, which=everything) == ()
    assert bs.missing(present, which=lambda tool: None) == ("nodejs", "npm")


def test_root_on_debian_installs():
    d = bs.decide(("chromium",), skipping=False, ci=False, root=True, apt=True)
    assert d.action == "install" and d.packages == ("chromium",)


def test_without_root_it_stops_with_one_line_saying_what_to_do():
    d = bs.decide(("chromium",), skipping=False, ci=False, root=False, apt=True)
    assert d.action == "stop"
    assert "\n" not in d.message
    assert "apt-get install -y chromium" in d.message
    assert "PYTEST_ARGS='-m \"not browser\"'" in d.message


def test_skipping_the_browser_tests_needs_no_browser_but_ci_never_skips():
    assert bs.skips_browser('-m "not browser"') and not bs.skips_browser("-k quiz")
    assert bs.decide(("chromium",), skipping=True, ci=False, root=False, apt=True).action == "skip"
    assert bs.decide((), skipping=True, ci=True, root=True, apt=True).action == "stop"
    assert bs.decide((), skipping=False, ci=True, root=True, apt=True).action == "ready"


def test_the_script_stops_at_once_as_one_line(tmp_path):
    """End to end, as `make test` runs it, on a path where no Chromium is (not root: simulated by
    a missing apt-get when this runs as root would install; so only the non-root case is run)."""
    missing = tmp_path / "no-chromium"
    cmd = [sys.executable, str(ROOT / "tools" / "browser_setup.py"), "--chromium", str(missing)]
    skip = {"PATH": str(tmp_path), "PYTEST_ARGS": '-m "not browser"'}  # as `make test` exports it
    skipped = subprocess.run(cmd, capture_output=True, text=True, env=skip)
    assert skipped.returncode == 0 and skipped.stderr == ""
    env = {"PATH": str(tmp_path), "HOME": str(tmp_path)}  # no apt-get, node or npm on PATH
    stopped = subprocess.run(cmd, capture_output=True, text=True, env=env)
    assert stopped.returncode == 1
    assert len(stopped.stderr.strip().splitlines()) == 1, stopped.stderr
    assert "chromium" in stopped.stderr and "not browser" in stopped.stderr
