"""Regenerate navigation from data/toc.yaml: each lesson's previous/next footer and the README's
lesson table, plus each lesson's slide settings (RISE's offline "white" theme: its default theme
loads web fonts). Idempotent; ``--check`` changes nothing and exits 1 if anything is out of date.

Why generated: a hand-kept footer or table drifts as soon as a lesson is renamed or added.
"""

from __future__ import annotations

import sys
from pathlib import Path

import nbformat
import yaml

ROOT = Path(__file__).resolve().parents[1]
FOOTER_TAG = "hamfoot-footer"
START, END = "<!-- lessons:start -->", "<!-- lessons:end -->"
RISE = {"theme": "white"}


def toc() -> list[dict]:
    return yaml.safe_load((ROOT / "data" / "toc.yaml").read_text(encoding="utf-8"))


def footer(lessons: list[dict], i: int) -> str:
    parts = []
    if i > 0:
        prev = lessons[i - 1]
        parts.append(f"← Previous: [{prev['number']} · {prev['title']}]({prev['file']})")
    parts.append("[Course map](00-start-here.ipynb)" if i > 0 else "Course map: you are here")
    if i + 1 < len(lessons):
        nxt = lessons[i + 1]
        parts.append(f"Next: [{nxt['number']} · {nxt['title']}]({nxt['file']}) →")
    return (
        "---\n"
        + " | ".join(parts)
        + "\n\n*hamfoot is teaching material, not a diagnosis or a treatment plan.*"
    )


def readme_table(lessons: list[dict]) -> str:
    rows = ["| Lesson | Title | Time | What it covers |", "|---|---|---|---|"]
    rows += [
        f"| {s['number']} | [{s['title']}](notebooks/{s['file']}) | {s['minutes']} min | {s['summary']} |"
        for s in lessons
    ]
    return "\n".join(rows)


def sync(check: bool) -> list[str]:
    """Bring footers and README up to date; return the list of files that were (or would be) changed."""
    lessons, stale = toc(), []
    for i, lesson in enumerate(lessons):
        path = ROOT / "notebooks" / lesson["file"]
        if not path.exists():
            continue
        nb = nbformat.read(path, as_version=4)
        cells = [c for c in nb.cells if FOOTER_TAG in c.get("metadata", {}).get("tags", [])]
        want = footer(lessons, i)
        if len(cells) != 1 or cells[0].source != want or nb.metadata.get("rise") != RISE:
            stale.append(str(path.relative_to(ROOT)))
            if not check:
                if not cells:
                    nb.cells.append(nbformat.v4.new_markdown_cell(metadata={"tags": [FOOTER_TAG]}))
                    cells = [nb.cells[-1]]
                cells[0].source = want
                nb.metadata["rise"] = RISE
                nbformat.write(nb, path)
    readme = ROOT / "README.md"
    text = readme.read_text(encoding="utf-8")
    head, _, rest = text.partition(START)
    _, _, tail = rest.partition(END)
    new = f"{head}{START}\n{readme_table(lessons)}\n{END}{tail}"
    if START in text and new != text:
        stale.append("README.md")
        if not check:
            readme.write_text(new, encoding="utf-8")
    return stale


if __name__ == "__main__":
    check = "--check" in sys.argv
    stale = sync(check)
    for name in stale:
        print(("out of date: " if check else "updated: ") + name)
    sys.exit(1 if (check and stale) else 0)
