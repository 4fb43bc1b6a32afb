"""Layout that fits (issue 12, item 3), checked in the page at a laptop (1366×768) and a tablet
(820×1180) size: nothing inside a widget is cut off or scrolls sideways, each widget's controls
and its figure fit in one viewport height, and no output shows a raw Python value or a content
id. A screenshot of every widget at both sizes goes to build/screenshots/.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from ._helpers import BUILD, ROOT, builder_call
from ._keyboard import CONTROLS_JS, OVERFLOW_JS

pytestmark = pytest.mark.browser

SIZES = {"1366x768": (1366, 768), "820x1180": (820, 1180)}
DEFAULT = {"width": 1280, "height": 900}  # the suite's viewport (tests/browser/conftest.py)

# The vertical span of a widget's controls and its figure (page coordinates).
SPAN_JS = r"""
(cellIndex) => {
  const cell = window.jupyterapp.shell.currentWidget.content.widgets[cellIndex].node;
  const boxes = [];
  cell.querySelectorAll('[data-hf-control]').forEach(el => boxes.push(el.getBoundingClientRect()));
  const figs = Array.from(cell.querySelectorAll('.jp-OutputArea-output .jupyter-widgets img'))
    .map(i => i.getBoundingClientRect()).filter(r => r.height > 0);
  if (!boxes.length || !figs.length) return null;
  const all = boxes.concat(figs);
  return {top: Math.min(...all.map(r => r.top)), bottom: Math.max(...all.map(r => r.bottom)),
          figure: Math.max(...figs.map(r => r.height))};
}
"""

# What a learner reads in each output: its whole text, its table headers (a data frame's index
# shows there) and every short piece of text that stands alone in an element.
TEXTS_JS = r"""
() => Array.from(document.querySelectorAll('.jp-Notebook .jp-OutputArea-output')).map(o => ({
  cell: o.closest('.jp-Cell').getAttribute('data-hamfoot-cell'), text: o.innerText.trim(),
  plain: !!o.querySelector(':scope > pre') && !o.querySelector('table, .jupyter-widgets'),
  cells: Array.from(o.querySelectorAll('th, td, option, label, button, .widget-readout'))
    .map(e => e.innerText.trim()).filter(t => t && t.length <= 80),
  leaves: Array.from(o.querySelectorAll('*')).filter(e => !e.children.length)
    .map(e => e.innerText.trim()).filter(t => t && t.length <= 80) }))
"""

# Python's own spelling of a value, never meant for a learner.
REPR_ANYWHERE = re.compile(r"\bobject at 0x|<[a-z_.]+ object|\bdtype: \w+|\bName: \w+, dtype")
REPR_WHOLE = re.compile(
    r"^(?:'[^']*'|\"[^\"]*\"|\[.*\]|\{.*\}|\(.*\)|None|nan|NaN|True|False)$", re.S
)


def content_ids() -> set[str]:
    """Hyphenated ids from the content files: a learner should meet names, never these."""
    ids = set()
    for path in (ROOT / "hamfoot" / "data").rglob("*.yaml"):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for entry in data if isinstance(data, list) else []:
            if isinstance(entry, dict) and "-" in str(entry.get("id", "")):
                ids.add(str(entry["id"]))
    return ids


IDS = content_ids()


@pytest.fixture
def sized(lesson_run, request):
    page = lesson_run.page
    width, height = SIZES[request.param]
    page.set_viewport_size({"width": width, "height": height})
    page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
    yield request.param, height
    page.set_viewport_size(DEFAULT)


@pytest.mark.parametrize("sized", list(SIZES), indirect=True)
def test_widgets_fit(lesson_run, sized):
    size, height = sized
    page = lesson_run.page
    problems = []
    shots = BUILD / "screenshots" / size
    shots.mkdir(parents=True, exist_ok=True)
    for cell in lesson_run.widget_cells():
        page.evaluate(CONTROLS_JS, cell["index"])  # tags the controls SPAN_JS measures
        where = f"cell {cell['index']} `{builder_call(cell['source'])}`"
        for el in page.evaluate(OVERFLOW_JS, cell["index"])[:6]:
            problems.append(
                f"{where}: <{el['tag']} class={el['cls']!r}> {el['text']!r} is cut or scrolls "
                f"sideways ({el['scroll']} px of content in {el['client']} px)"
            )
        span = page.evaluate(SPAN_JS, cell["index"])
        if span and span["bottom"] - span["top"] > height:
            problems.append(
                f"{where}: controls and figure span {span['bottom'] - span['top']:.0f} px, "
                f"more than the {height} px window"
            )
        out = lesson_run.cell(cell["index"]).locator(".jp-OutputArea-output").first
        if out.count():
            out.scroll_into_view_if_needed()
            out.screenshot(
                path=str(shots / f"{Path(lesson_run.lesson).stem}-cell{cell['index']}.png")
            )
    assert not problems, f"{lesson_run.lesson} at {size}: " + " | ".join(problems)


def test_no_raw_python_or_content_id_shown(lesson_run):
    """A bare repr ('unverified', None, a list) or a content id (causes-intro) standing where a
    learner expects words: as a whole output, a table header or cell, an option, a label."""
    problems = []
    for o in lesson_run.page.evaluate(TEXTS_JS):
        where = f"cell {o['cell']} `{builder_call(lesson_run.cells[int(o['cell'])]['source'])}`"
        m = REPR_ANYWHERE.search(o["text"])
        if m or REPR_WHOLE.match(o["text"]):
            problems.append(f"{where} shows {(m.group(0) if m else o['text'])[:60]!r}")
        pieces = set(o["cells"]) | set(o["leaves"])
        reprs = sorted(t for t in pieces if REPR_WHOLE.match(t) and not t.startswith(("(", "[")))
        if reprs:
            problems.append(f"{where} shows {reprs[:5]}")
        lines = [ln.split()[0] for ln in o["text"].splitlines() if ln.split()] if o["plain"] else []
        ids = sorted(IDS & (pieces | set(lines)))
        if ids:
            problems.append(f"{where} shows content id(s) {ids[:5]}")
    assert not problems, f"{lesson_run.lesson}: " + " | ".join(problems)
