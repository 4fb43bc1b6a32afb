"""Execute lessons in place so their stored outputs are produced by the code (``make notebooks``).

Why a script and not ``jupyter nbconvert --execute``: we also drop per-run noise (timings, kernel
start times) so that re-executing an unchanged lesson leaves git with nothing to commit.
Usage: python tools/execute_notebooks.py [NOTEBOOK ...]   (default: every notebooks/*.ipynb)
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]


def client(nb, path: Path) -> NotebookClient:
    """How a lesson is run for its stored outputs; tests/test_offline_and_reproducible.py runs
    lessons the same way, so "reproduces its outputs" compares like with like."""
    return NotebookClient(
        nb,
        timeout=300,
        kernel_name="python3",
        record_timing=False,
        resources={"metadata": {"path": str(path.parent)}},
    )


def execute(path: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    client(nb, path).execute()
    for cell in nb.cells:
        cell.get("metadata", {}).pop("execution", None)
    nb.metadata.pop("widgets", None)  # widget state is volatile; the course re-renders live widgets
    nbformat.write(nb, path)
    print(f"executed {path.relative_to(ROOT)}")


def main(argv: list[str]) -> int:
    os.environ.setdefault("MATPLOTLIBRC", str(ROOT / "tests" / "mplrc"))
    os.environ.setdefault("SOURCE_DATE_EPOCH", "0")
    paths = [Path(p).resolve() for p in argv] or sorted((ROOT / "notebooks").glob("*.ipynb"))
    for path in paths:
        execute(path)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
