"""Every package the code imports is declared in pyproject.toml (issue 10 point 8): the package's
own code needs it in `dependencies`, tests, tools and the benchmark in the `test` extra. An
undeclared import works on the machine that happened to have it and breaks on the next one."""

from __future__ import annotations

import ast
import re
import sys
from importlib.metadata import packages_distributions
from pathlib import Path

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib

ROOT = Path(__file__).resolve().parents[1]
# The project's own modules: the package and every script or helper module that tests, tools,
# the benchmark and the hub deployment import by file name.
OURS = {"hamfoot"} | {
    p.stem
    for folder in ("tests", "tools", "bench", "deploy")
    for p in (ROOT / folder).rglob("*.py")
}


def normal(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def declared() -> tuple[set[str], set[str]]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    names = lambda specs: {normal(re.match(r"[A-Za-z0-9_.\-]+", s).group()) for s in specs}  # noqa: E731
    runtime = names(project["dependencies"])
    return runtime, runtime | names(project["optional-dependencies"]["test"])


def imported(folders: list[str]) -> set[str]:
    """Top-level modules imported anywhere under `folders` (absolute imports only)."""
    found = set()
    for folder in folders:
        for path in (ROOT / folder).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Import):
                    found |= {a.name.split(".")[0] for a in node.names}
                elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                    found.add(node.module.split(".")[0])
    return found - set(sys.stdlib_module_names) - OURS - {"__future__"}


def undeclared(folders: list[str], allowed: set[str]) -> dict[str, list[str]]:
    dists = packages_distributions()
    problems = {}
    for module in sorted(imported(folders)):
        # a dependency for other Pythons only (tomli on 3.10) is not installed here
        owners = {normal(d) for d in dists.get(module, [])} or {normal(module)}
        if not owners & allowed:
            problems[module] = sorted(owners)
    return problems


def test_the_package_declares_what_it_imports():
    runtime, _ = declared()
    assert undeclared(["hamfoot"], runtime) == {}, "add to [project] dependencies"


def test_tests_tools_and_bench_declare_what_they_import():
    _, everything = declared()
    assert undeclared(["tests", "tools", "bench"], everything) == {}, "add to the test extra"


def test_the_check_catches_a_missing_declaration():
    runtime, _ = declared()
    assert "yaml" in undeclared(["hamfoot"], runtime - {"pyyaml"})
