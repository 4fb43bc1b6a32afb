"""Every lesson has the shape students and screen readers rely on, and is committed executed."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
TOC = yaml.safe_load((ROOT / "data" / "toc.yaml").read_text(encoding="utf-8"))
HEADING = re.compile(r"^(#{1,6})\s+\S")
MD_IMAGE = re.compile(r"!\[([^\]]*)\]\(")
HTML_IMG = re.compile(r"<img\b(?![^>]*\balt=\"[^\"]+\")[^>]*>", re.I)


def cells(path: Path) -> list[dict]:
    return json.loads(path.read_text(encoding="utf-8"))["cells"]


def headings(path: Path) -> list[int]:
    levels = []
    for cell in cells(path):
        if cell["cell_type"] != "markdown":
            continue
        fenced = False
        for line in "".join(cell["source"]).splitlines():
            if line.lstrip().startswith("```"):
                fenced = not fenced
            elif not fenced and (m := HEADING.match(line)):
                levels.append(len(m.group(1)))
    return levels


def heading_problems(levels: list[int]) -> list[str]:
    problems = []
    if levels.count(1) != 1:
        problems.append(f"{levels.count(1)} H1 headings (want exactly one)")
    if levels and levels[0] != 1:
        problems.append("the first heading is not the H1")
    problems += [
        f"heading jumps from H{a} to H{b}" for a, b in zip(levels, levels[1:]) if b > a + 1
    ]
    return problems


def test_every_lesson_in_the_table_of_contents_exists():
    assert [p.name for p in NOTEBOOKS] == sorted(lesson["file"] for lesson in TOC)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_kernel_is_python3(path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    assert nb["metadata"]["kernelspec"]["name"] == "python3"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_headings_are_ordered(path):
    assert heading_problems(headings(path)) == []


def test_heading_check_catches_bad_structure():
    assert heading_problems([1, 2, 3, 2]) == []
    assert heading_problems([1, 3])
    assert heading_problems([1, 2, 1])
    assert heading_problems([2, 1])


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_images_have_alt_text(path):
    for cell in cells(path):
        if cell["cell_type"] == "markdown":
            text = "".join(cell["source"])
            assert all(alt.strip() for alt in MD_IMAGE.findall(text)), (
                f"image without alt text in {path.name}"
            )
            assert not HTML_IMG.search(text), f"<img> without alt in {path.name}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_committed_executed_and_import_the_installed_package(path):
    code = [c for c in cells(path) if c["cell_type"] == "code"]
    assert code and all(c["execution_count"] for c in code), f"{path.name}: run `make notebooks`"
    assert not any("sys.path" in "".join(c["source"]) for c in code)


def test_navigation_is_generated_from_the_table_of_contents():
    result = subprocess.run(
        [sys.executable, "tools/sync_nav.py", "--check"], cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout
