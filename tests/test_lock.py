"""requirements/lock.txt pins every dependency pyproject.toml declares (issue 10 point 7), so
`make start` and `make test` install tested versions. A dependency added to pyproject.toml without
refreshing the lock (`python tools/lock.py`) fails here rather than installing an untested one."""

from __future__ import annotations

import re
from pathlib import Path

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib

ROOT = Path(__file__).resolve().parents[1]
LOCK = ROOT / "requirements" / "lock.txt"


def normal(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def pins(text: str) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for line in text.splitlines():
        m = re.match(r"([A-Za-z0-9_.\-]+)==([^\s;]+)", line)
        if m:
            found.setdefault(normal(m.group(1)), set()).add(m.group(2))
    return found


def unpinned(pyproject: str, lock: str) -> list[str]:
    project = tomllib.loads(pyproject)["project"]
    specs = project["dependencies"] + project["optional-dependencies"]["test"]
    names = {normal(re.match(r"[A-Za-z0-9_.\-]+", s).group()) for s in specs}
    return sorted(names - pins(lock).keys())


def test_every_declared_dependency_is_pinned():
    missing = unpinned((ROOT / "pyproject.toml").read_text(), LOCK.read_text())
    assert not missing, f"not in requirements/lock.txt (run python tools/lock.py): {missing}"


def test_a_new_dependency_without_a_new_lock_is_caught():
    pyproject = (
        (ROOT / "pyproject.toml")
        .read_text()
        .replace('"pyyaml>=6.0",', '"pyyaml>=6.0",\n    "some-new-package>=1",')
    )
    assert unpinned(pyproject, LOCK.read_text()) == ["some-new-package"]


def test_make_installs_the_lock_by_default():
    tool = (ROOT / "tools" / "venv.py").read_text()
    assert '["-c", str(LOCK)' in tool, "tools/venv.py no longer installs with the lock"
    assert "requirements/lock.txt" in (ROOT / "Makefile").read_text()
