"""Build an offline, static HTML handout of every lesson into build/handouts/ (``make handouts``).

Why: a student without Python, or a lecture hall without internet, still gets the lesson text,
its tables, its figures (inline images with alt text and their "In words:" summary) and its
references. nbconvert's default page loads require.js, MathJax, mermaid and the widget manager
from CDNs; the template in tools/handout_templates/handout/ drops all of them. Live widgets cannot
run in a static page, so each widget output becomes one sentence saying where to use it.

Built from the committed, executed notebooks; nothing is executed here.
Usage: python tools/handouts.py [NOTEBOOK ...]   (default: every notebooks/*.ipynb)
"""
from __future__ import annotations

import re
import sys
from pathlib import Path

import nbformat
from nbconvert import HTMLExporter
from nbconvert.preprocessors import Preprocessor

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "build" / "handouts"
TEMPLATES = Path(__file__).resolve().parent / "handout_templates"
WIDGET_MIME = "application/vnd.jupyter.widget-view+json"
WIDGET_NOTE = ('<p class="hamfoot-widget-note"><em>Interactive widget: run this lesson in JupyterLab '
               "(<code>make start</code>) to use it.</em></p>")
LESSON_LINK = re.compile(r"\]\((\d\d-[\w-]+)\.ipynb(#[^)\s]*)?\)")
LESSON_HREF = re.compile(r'href="(\d\d-[\w-]+)\.ipynb(#[^"]*)?"')


def relink(text: str) -> str:
    """Links between lessons point at the sibling handout pages instead of the notebooks."""
    text = LESSON_LINK.sub(lambda m: f"]({m.group(1)}.html{m.group(2) or ''})", text)
    return LESSON_HREF.sub(lambda m: f'href="{m.group(1)}.html{m.group(2) or ""}"', text)


class StaticHandout(Preprocessor):
    """Widget outputs -> a worded note; links between lessons -> the sibling handout pages."""

    def preprocess_cell(self, cell, resources, index):
        if cell.cell_type == "markdown":
            cell.source = relink(cell.source)
        for out in cell.get("outputs", []):
            data = out.get("data", {})
            if WIDGET_MIME in data:
                out["data"] = {"text/html": WIDGET_NOTE, "text/plain": "Interactive widget: run this lesson in JupyterLab."}
                continue
            for mime in ("text/markdown", "text/html"):
                if mime in data:
                    data[mime] = relink("".join(data[mime]))
        return cell, resources


def lesson_title(nb) -> str | None:
    """The lesson's H1 (`# 03 · …`), used as the page title."""
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            m = re.search(r"^# (.+)$", cell.source, re.M)
            if m:
                return m.group(1).strip()
    return None


def exporter() -> HTMLExporter:
    exp = HTMLExporter(template_name="handout", extra_template_basedirs=[str(TEMPLATES)],
                       exclude_input_prompt=True, exclude_output_prompt=True,
                       require_js_url="", mathjax_url="", embed_images=True)
    exp.register_preprocessor(StaticHandout(), enabled=True)
    return exp


def build(path: Path, exp: HTMLExporter | None = None) -> Path:
    nb = nbformat.read(path, as_version=4)
    nb.metadata.pop("widgets", None)  # no widget state: the page would load the widget manager
    title = lesson_title(nb)
    if title:
        nb.metadata["title"] = title
    body, _ = (exp or exporter()).from_notebook_node(nb, resources={"metadata": {"name": path.stem}})
    OUT.mkdir(parents=True, exist_ok=True)
    target = OUT / f"{path.stem}.html"
    target.write_text(body, encoding="utf-8")
    return target


def main(argv: list[str]) -> int:
    paths = [Path(p).resolve() for p in argv] or sorted((ROOT / "notebooks").glob("*.ipynb"))
    exp = exporter()
    for path in paths:
        target = build(path, exp)
        print(f"handout {target.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
