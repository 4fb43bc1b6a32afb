"""Live slides: a lesson opens in RISE (jupyterlab-rise), steps with the keyboard, and its widget works.

Measured here (jupyterlab-rise 0.43.1, JupyterLab 4.6, ipywidgets 8.1 / jupyterlab_widgets 3.0):
the RISE page cannot load the widget manager — the console says "Failed to create module: package:
@jupyter-widgets/jupyterlab-manager ... Shared module @jupyterlab/console doesn't exist in shared
scope default" — so widget outputs show only their text fallback ("PracticeSlider(children=…")
on the slide, also after re-running the cell. The widget step is therefore a strict xfail: it
turns into a failure the day RISE renders widgets, so the mark gets removed then.
"""
from __future__ import annotations

import re

import pytest

from conftest import is_local, lesson_files, require_lesson, saved_widget_cells

pytestmark = pytest.mark.browser

PRESENT_JS = """() => Array.from(document.querySelectorAll('.reveal .slides section.present'))
  .map(s => s.innerText).join('\\n').slice(0, 2000)"""


class RiseWidgetMissing(AssertionError):
    """The widget did not render on its RISE slide."""


def _first_widget_lesson() -> str:
    for name in lesson_files():
        if saved_widget_cells(require_lesson(name)):
            return name
    return lesson_files()[0] if lesson_files() else "00-start-here.ipynb"


@pytest.fixture(scope="module")
def rise_deck(lab, browser):
    """One RISE deck per run, in its own context (its requests are checked here), on the widget slide."""
    ctx = browser.context.browser.new_context(viewport={"width": 1280, "height": 800})
    outside: list[str] = []

    def route(r):
        if is_local(r.request.url):
            r.continue_()
        else:
            outside.append(r.request.url)
            r.abort()

    ctx.route("**/*", route)
    page = ctx.new_page()
    try:
        lesson = _first_widget_lesson()
        path = require_lesson(lesson)
        index, call = next(iter(saved_widget_cells(path).items()))
        page.goto(f"{lab.url}/rise/{lesson}?token={lab.token}")
        page.wait_for_selector(".reveal.ready", timeout=60_000)
        page.wait_for_function("() => document.querySelector('.reveal section.present')", timeout=30_000)
        page.keyboard.press("Escape")  # command mode: Space and arrows drive the deck
        seen = [page.evaluate(PRESENT_JS)]
        reached = False
        for _ in range(60):
            if page.locator(".reveal section.present .jp-InputArea", has_text=call.rstrip("()")).count():
                reached = True
                break
            page.keyboard.press("Space")
            page.wait_for_timeout(150)
            seen.append(page.evaluate(PRESENT_JS))
        yield {"page": page, "lesson": lesson, "index": index, "call": call, "seen": seen,
               "reached": reached, "outside": outside}
    finally:
        ctx.close()
        lab.shutdown_kernels()


def test_rise_steps_with_the_keyboard(rise_deck):
    d = rise_deck
    assert len({s[:80] for s in d["seen"]}) > 1, f"RISE {d['lesson']}: Space did not change the slide"
    assert d["reached"], f"RISE {d['lesson']}: Space never reached the slide of cell {d['index']} `{d['call']}`"


def test_rise_needs_no_network(rise_deck):
    fonts = [u for u in rise_deck["outside"] if re.search(r"fonts\.(googleapis|gstatic)\.com", u)]
    other = [u for u in rise_deck["outside"] if u not in fonts]
    assert not other, f"RISE requested {other[:10]}"
    if fonts:
        pytest.xfail(f"RISE's default reveal theme imports web fonts ({fonts[0]}); text falls back to "
                     "local fonts offline. Fix: set the RISE theme to one without web fonts")


@pytest.mark.xfail(strict=True, raises=RiseWidgetMissing, reason=(
    "jupyterlab-rise 0.43.1 cannot load @jupyter-widgets/jupyterlab-manager (shared module "
    "@jupyterlab/console missing in its scope): widgets show as text on slides"))
def test_rise_widget_works_on_its_slide(rise_deck):
    d, page = rise_deck, rise_deck["page"]
    if not d["reached"]:
        pytest.fail(f"RISE {d['lesson']}: the widget slide was not reached")
    lesson, index, call = d["lesson"], d["index"], d["call"]
    cell = page.locator(".reveal section.present .jp-Cell", has_text=call.rstrip("()")).first
    cell.locator(".jp-InputArea").click()
    page.keyboard.press("Shift+Enter")
    try:
        page.wait_for_selector(".reveal section.present .jupyter-widgets", timeout=20_000)
    except Exception as e:  # noqa: BLE001
        shown = cell.locator(".jp-OutputArea-output").first
        text = shown.inner_text()[:120] if shown.count() else "<no output>"
        raise RiseWidgetMissing(f"RISE {lesson}: cell {index} `{call}` shows no widget on its slide; "
                                f"the slide shows {text!r}") from e
    handle = page.locator(".reveal section.present .widget-slider .noUi-handle").first
    if handle.count():
        before = handle.get_attribute("aria-valuenow")
        handle.focus()
        page.keyboard.press("ArrowRight")
        page.wait_for_timeout(300)
        assert handle.get_attribute("aria-valuenow") != before, f"RISE {lesson}: slider did not move"
