"""A course folder copied or moved with its .venv must not run the old folder's code and data
(issue 10 point 3): `make` notices that .venv/.home names another folder and rebuilds the .venv
(tools/venv.py). The real copy-and-break check is measured by hand (see the issue's report); here
the decision is tested without installing anything."""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
_spec = importlib.util.spec_from_file_location("hamfoot_venv_tool", ROOT / "tools" / "venv.py")
venv_tool = importlib.util.module_from_spec(_spec)
sys.modules["hamfoot_venv_tool"] = venv_tool
_spec.loader.exec_module(venv_tool)


def fake_course(folder: Path, home: str | None) -> Path:
    """A course folder whose .venv looks installed and up to date, built for `home`."""
    (folder / "requirements").mkdir(parents=True)
    for name in ("Makefile", "pyproject.toml", "requirements/lock.txt"):
        shutil.copy(ROOT / name, folder / name)
    bin_ = folder / ".venv" / "bin"
    bin_.mkdir(parents=True)
    (bin_ / "python").touch(mode=0o755)
    if home is not None:
        (folder / ".venv" / ".home").write_text(home + "\n")
    for stamp in (".run-installed", ".test-installed"):
        (folder / ".venv" / stamp).touch()
    return folder


def planned(folder: Path, target: str = "check") -> str:
    if not shutil.which("make"):
        pytest.skip("needs make")
    return subprocess.run(
        ["make", "-n", target], cwd=folder, capture_output=True, text=True, timeout=60
    ).stdout


def test_make_keeps_a_venv_built_here(tmp_path):
    folder = fake_course(tmp_path / "course", home=None)
    (folder / ".venv" / ".home").write_text(f"{folder.resolve()}\n")
    assert "tools/venv.py" not in planned(folder)


@pytest.mark.parametrize("home", ["/somewhere/else/hamfoot", None])
def test_make_rebuilds_a_venv_from_another_folder(tmp_path, home):
    folder = fake_course(tmp_path / "course", home=home)
    assert "tools/venv.py" in planned(folder)
    assert "tools/venv.py" in planned(folder, "test")


def test_the_tool_discards_only_a_foreign_venv(tmp_path, capsys):
    ours = fake_course(tmp_path / "ours", home=None)
    (ours / ".venv" / ".home").write_text(f"{ours}\n")
    assert not venv_tool.discard_if_foreign(ours / ".venv", ours)
    assert (ours / ".venv").exists()
    copied = fake_course(tmp_path / "copy", home=str(ours))
    assert venv_tool.discard_if_foreign(copied / ".venv", copied)
    assert not (copied / ".venv").exists()
    assert f"built for {ours}" in capsys.readouterr().out
