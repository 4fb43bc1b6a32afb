"""The installed package must carry all of its code and all of its content, wherever it runs."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib

ROOT = Path(__file__).resolve().parents[1]


def test_every_subpackage_is_listed_for_the_wheel():
    listed = set(
        tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"]
    )
    on_disk = {
        ".".join(p.parent.relative_to(ROOT).parts) for p in (ROOT / "hamfoot").rglob("__init__.py")
    }
    assert on_disk <= listed, f"add to [tool.setuptools] packages: {sorted(on_disk - listed)}"
    assert "hamfoot.data" in listed


def test_content_is_found_from_any_working_directory(tmp_path):
    code = (
        "import hamfoot, importlib.resources as r; from hamfoot import content; "
        "print(len(content.claims()), r.files('hamfoot.data').joinpath('claims.yaml').is_file())"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, timeout=120
    )
    assert out.returncode == 0, out.stderr
    count, found = out.stdout.split()
    assert int(count) > 0 and found == "True"


def test_the_lessons_live_in_notebooks_and_ship_in_the_package():
    """notebooks/ is where people look; hamfoot/lessons links to it, so editable installs read the
    tracked lessons and wheels carry real copies (tests/test_cli.py builds one)."""
    link = ROOT / "hamfoot" / "lessons"
    assert link.is_symlink() and link.resolve() == (ROOT / "notebooks").resolve()
    package_data = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"][
        "package-data"
    ]
    assert "lessons/*.ipynb" in package_data["hamfoot"]


def test_one_version_number():
    import hamfoot

    project = tomllib.loads((ROOT / "pyproject.toml").read_text())
    assert "version" in project["project"]["dynamic"]
    assert project["tool"]["setuptools"]["dynamic"]["version"] == {"attr": "hamfoot.__version__"}
    from importlib.metadata import version

    assert version("hamfoot") == hamfoot.__version__
