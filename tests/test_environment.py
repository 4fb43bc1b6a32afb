"""environment.yml (conda, Binder) must list the same dependencies as pyproject.toml, with the
same lower bounds: pyproject is the source of truth and this test keeps the copy honest."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10: the test extra installs tomli
    import tomli as tomllib

ROOT = Path(__file__).resolve().parents[1]
CONDA_NAMES = {"matplotlib": "matplotlib-base"}  # pip name -> conda-forge name
REQ = re.compile(r"^\s*([A-Za-z0-9_.\-]+)\s*(?:\[[^\]]*\])?\s*(?:>=\s*([0-9][^,;\s]*))?")


def parse(spec: str) -> tuple[str, str | None]:
    m = REQ.match(spec)
    if not m:
        raise ValueError(f"cannot read requirement {spec!r}")
    return m.group(1).lower().replace("_", "-"), m.group(2)


def pyproject_requirements(path: Path) -> dict[str, str | None]:
    text = path.read_text(encoding="utf-8")
    project = tomllib.loads(text)["project"]
    specs = list(project["dependencies"])
    for extra in project.get("optional-dependencies", {}).values():
        specs += extra
    reqs = dict(parse(s) for s in specs)
    reqs["python"] = project["requires-python"].removeprefix(">=")
    return {CONDA_NAMES.get(k, k): v for k, v in reqs.items()}


def environment_problems(pyproject: Path, environment: Path) -> list[str]:
    """Every way the two files disagree, in words; empty when they agree."""
    env = yaml.safe_load(environment.read_text(encoding="utf-8"))
    problems = []
    if env.get("name") != "hamfoot":
        problems.append("environment.yml: name must be 'hamfoot'")
    if env.get("channels") != ["conda-forge"]:
        problems.append("environment.yml: channels must be exactly [conda-forge]")
    conda, pip = {}, []
    for dep in env.get("dependencies", []):
        if isinstance(dep, dict):
            pip += dep.get("pip", [])
        else:
            name, floor = parse(dep)
            conda[name] = floor
    if "-e ." not in pip:
        problems.append("environment.yml: the package itself ('-e .') is missing from the pip list")
    conda.pop("pip", None)
    want = pyproject_requirements(pyproject)
    for name, floor in want.items():
        if name not in conda:
            problems.append(f"environment.yml: {name} is in pyproject.toml but missing here")
        elif conda[name] != floor:
            problems.append(
                f"environment.yml: {name} floor {conda[name]} != pyproject.toml {floor}"
            )
    for name in conda.keys() - want.keys():
        problems.append(f"environment.yml: {name} is not in pyproject.toml")
    return problems


def test_environment_matches_pyproject():
    assert environment_problems(ROOT / "pyproject.toml", ROOT / "environment.yml") == []


@pytest.mark.parametrize(
    "edit",
    [
        lambda t: t.replace("  - nbval>=0.11\n", ""),  # dependency removed
        lambda t: t.replace("pandas>=2.1", "pandas>=1.5"),  # conflicting floor
        lambda t: t.replace("  - pip:\n", "  - requests>=2\n  - pip:\n"),  # extra dependency
    ],
)
def test_a_drifted_copy_is_caught(tmp_path, edit):
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    env = (ROOT / "environment.yml").read_text(encoding="utf-8")
    changed = edit(env)
    assert changed != env, "the edit did not apply; update this test"
    (tmp_path / "environment.yml").write_text(changed, encoding="utf-8")
    assert environment_problems(tmp_path / "pyproject.toml", tmp_path / "environment.yml")


def test_binder_installs_the_package():
    post = (ROOT / "postBuild").read_text(encoding="utf-8")
    assert "pip install" in post and "-e ." in post
    assert (ROOT / "postBuild").stat().st_mode & 0o111, "postBuild must be executable"
