"""nbval really compares stored outputs: a lesson whose stored output no longer matches what the
code produces must fail. Proven on a temporary copy of the start lesson."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LESSON = ROOT / "notebooks" / "00-start-here.ipynb"


def run_nbval(path: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "--nbval",
            "--nbval-current-env",
            "-p",
            "no:cacheprovider",
            "--nbval-sanitize-with",
            str(ROOT / "tests" / "nbval_sanitize.cfg"),
            "-q",
            str(path),
        ],
        cwd=path.parent,
        capture_output=True,
        text=True,
        timeout=300,
    )


def alter_first_checked_text_output(nb: dict) -> str:
    """Change one character of the first stored text output that nbval checks; return the cell source."""
    for cell in nb["cells"]:
        tags = cell.get("metadata", {}).get("tags", [])
        if cell["cell_type"] != "code" or "nbval-ignore-output" in tags:
            continue
        for out in cell.get("outputs", []):
            data = out.get("data", {})
            if "text/plain" in data:
                text = "".join(data["text/plain"])
                data["text/plain"] = text + " (edited by hand)"
                return "".join(cell["source"])
    raise AssertionError("the start lesson has no checked text output to alter")


def test_an_altered_stored_output_fails_nbval(tmp_path):
    copy = tmp_path / LESSON.name
    nb = json.loads(LESSON.read_text(encoding="utf-8"))
    alter_first_checked_text_output(nb)
    copy.write_text(json.dumps(nb), encoding="utf-8")
    result = run_nbval(copy)
    assert result.returncode != 0, result.stdout[-2000:]
    assert "edited by hand" in result.stdout


def test_an_untouched_copy_passes(tmp_path):
    shutil.copy(LESSON, tmp_path / LESSON.name)
    result = run_nbval(tmp_path / LESSON.name)
    assert result.returncode == 0, result.stdout[-3000:]
