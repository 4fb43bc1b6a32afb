"""The course as `pip install hamfoot` delivers it (issue 10 point 4): a wheel built from this
repository, installed into a fresh venv outside it, ships the ten lessons and the `hamfoot`
command: `lessons DIR` copies them, `check` passes on the installed content, `start DIR` serves on
127.0.0.1 with a token no `ps` can show.

Why from a wheel: an editable install reads the repository, so it cannot show that the wheel is
missing something. The fresh venv borrows the test venv's dependencies through a .pth file
(installing them again would take a minute and test pip, not us); the hamfoot it imports is the
wheel's, which the test checks.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import sysconfig
import time
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LESSONS = sorted(p.name for p in (ROOT / "notebooks").glob("[0-9][0-9]-*.ipynb"))
URL = re.compile(r"http://127\.0\.0\.1:(\d+)/lab/tree/00-start-here\.ipynb\?token=([\w-]{16,})")
UV = Path(sys.prefix) / "bin" / "uv"


def run(*cmd, **kw) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("UV_")}
    env["UV_INDEX_URL"] = "https://pypi.org/simple"
    done = subprocess.run(
        [str(c) for c in cmd], capture_output=True, text=True, timeout=300, env=env, **kw
    )
    assert done.returncode == 0, f"{cmd}: {done.stdout[-2000:]}{done.stderr[-2000:]}"
    return done


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """bin/ of a fresh venv in /tmp with the wheel built from a copy of this repository."""
    if not UV.exists():
        pytest.skip("needs uv in the test venv (the test extra installs it)")
    tmp = tmp_path_factory.mktemp("wheel")
    src = tmp / "src"
    shutil.copytree(
        ROOT,
        src,
        symlinks=True,  # hamfoot/lessons -> ../notebooks stays a link, as in a clone
        ignore=shutil.ignore_patterns(".venv*", ".git", "build", "*.egg-info", "__pycache__"),
    )
    run(UV, "build", "--quiet", "--wheel", "--out-dir", tmp / "dist", src)
    (wheel,) = (tmp / "dist").glob("hamfoot-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert sorted(n.rsplit("/", 1)[1] for n in names if n.startswith("hamfoot/lessons/")) == LESSONS
    venv = tmp / "venv"
    run(UV, "venv", "--quiet", "--python", sys.executable, venv)
    site = next(venv.glob("lib/python*/site-packages"))
    (site / "borrowed-dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    run(UV, "pip", "install", "--quiet", "--no-deps", "--python", venv / "bin" / "python", wheel)
    where = run(venv / "bin" / "python", "-c", "import hamfoot; print(hamfoot.__file__)", cwd=tmp)
    assert where.stdout.strip().startswith(str(site)), "the venv imports hamfoot from elsewhere"
    return venv / "bin"


def test_the_wheel_copies_the_ten_lessons_and_checks_its_content(installed, tmp_path):
    done = run(installed / "hamfoot", "lessons", tmp_path / "x", cwd=tmp_path)
    copied = sorted(p.name for p in (tmp_path / "x").glob("*.ipynb"))
    assert copied == LESSONS and len(copied) == 10, done.stdout
    for name in copied:
        json.loads((tmp_path / "x" / name).read_text(encoding="utf-8"))  # whole notebooks
    check = run(installed / "hamfoot", "check", cwd=tmp_path)
    assert "content OK" in check.stdout
    assert run(installed / "hamfoot", "--version").stdout.startswith("hamfoot ")


def test_the_wheel_serves_on_loopback_with_a_token_ps_cannot_see(installed, tmp_path):
    log = tmp_path / "start.log"
    env = {**os.environ, "JUPYTER_RUNTIME_DIR": str(tmp_path / "runtime")}
    env.pop("HAMFOOT_TOKEN", None)
    process = subprocess.Popen(
        [installed / "hamfoot", "start", tmp_path / "x", "--no-browser"],
        cwd=tmp_path,
        env=env,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 180
        while not (found := URL.search(log.read_text())):
            assert process.poll() is None, log.read_text()[-3000:]
            assert time.monotonic() < deadline, log.read_text()[-3000:]
            time.sleep(0.3)
        port, token = int(found.group(1)), found.group(2)
        assert sorted(p.name for p in (tmp_path / "x").glob("*.ipynb")) == LESSONS
        ps = subprocess.run(["ps", "-ww", "-eo", "pid,args"], capture_output=True, text=True).stdout
        assert re.search(r"jupyterlab --config=", ps), "the server is not in ps at all"
        assert token not in ps, "the token is visible in ps"
        from test_server_safety import get, listening

        assert get(port, "/api/status", token).status == 200
        assert get(port, "/api/status").status == 403
        assert listening(port) == {"127.0.0.1"}
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=60)
