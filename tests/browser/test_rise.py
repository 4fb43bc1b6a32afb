"""Live slides: a lesson opens in RISE (jupyterlab-rise), steps with the keyboard, needs no network,
and its main widget works on its slide.

How an educator uses it, and so how this runs: the lesson is open and run in JupyterLab (the
lesson page every other test of that lesson shares), then /rise/<lesson> opens in a second page;
RISE joins the same kernel, so Shift+Enter on the widget's cell re-displays the live widget.

Measured here (2026-11, Chromium headless, JupyterLab 4.6.6, jupyterlab-rise 0.43.1 — the newest
on PyPI):
- Widgets render in RISE only with jupyterlab_widgets <= 3.0.10 (ipywidgets 8.1.2). From
  jupyterlab_widgets 3.0.11 (ipywidgets 8.1.3) on, @jupyter-widgets/jupyterlab-manager consumes
  the shared module @jupyterlab/console, which the RISE app does not provide, and the RISE page
  logs "Failed to create module: package: @jupyter-widgets/jupyterlab-manager; module:
  ./extension" / "Error: Shared module @jupyterlab/console doesn't exist in shared scope
  default"; every widget output then shows only its text repr ("ChainExplorer(children=…").
  With ipywidgets 8.1.9 / jupyterlab_widgets 3.0.17 this is what happens, so the widget test is a
  strict xfail exactly while the installed manager needs @jupyterlab/console: it fails loudly the
  day that combination renders, and it must pass on a 3.0.10 install. Upstream:
  jupyterlab-contrib/rise issues 119 and 126 (open).
- RISE's default reveal theme `simple` imports Google Fonts; notebook metadata
  `"rise": {"theme": "white"}` (or the JupyterLab setting jupyterlab-rise:plugin
  {"theme": "white"}) selects the bundled `white` theme, which needs no web font.
- On a slide, an arrow key on a focused slider handle moves reveal.js to the next slide and not
  the slider: present the sliders with the mouse.

For presenting, `hamfoot present LESSON` (hamfoot/present.py, Voilà with hamfoot's own slide
template, current ipywidgets) is the supported route; tests/browser/test_slides.py tests it and
records the comparison. This file keeps RISE honest for those who prefer it.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from ._helpers import block_outside, builder_call, toc_file

pytestmark = pytest.mark.browser

RISE_LESSON = toc_file("02")  # the chain explorer: the course's main slider and figure

# The slide on screen: the innermost present section (a vertical stack is .present too).
SLIDE = ".reveal .slides section.present:not(.stack)"
PRESENT_JS = """() => Array.from(document.querySelectorAll('.reveal .slides section.present'))
  .map(s => s.innerText).join('\\n').slice(0, 2000)"""


def widget_manager_needs_console() -> bool:
    """Does the served @jupyter-widgets/jupyterlab-manager consume @jupyterlab/console (RISE lacks it)?"""
    from jupyter_core.paths import jupyter_path

    for base in jupyter_path("labextensions"):  # JupyterLab serves the first one found
        pkg = Path(base) / "@jupyter-widgets" / "jupyterlab-manager" / "package.json"
        if pkg.exists():
            return "@jupyterlab/console" in json.loads(pkg.read_text(encoding="utf-8")).get(
                "dependencies", {}
            )
    return False


class RiseWidgetMissing(AssertionError):
    """The widget did not render on its RISE slide."""


@pytest.fixture
def rise_deck(lesson_run, lab, browser):
    """/rise/<lesson> beside the run lesson page (same kernel), stepped to the widget's slide.

    Opened once per lesson and closed with the lesson page (LessonRun.companions).
    """
    if "rise" in lesson_run.companions:
        return lesson_run.companions["rise"]
    key = lesson_run.key_widget_cell()
    assert key, f"{lesson_run.lesson}: no widget cell to present in RISE"
    call = builder_call(key["source"])
    ctx = browser.context.browser.new_context(viewport={"width": 1280, "height": 800})
    outside = block_outside(ctx, [])
    lesson_run.companions["rise_context"] = ctx
    page = ctx.new_page()
    console: list[str] = []
    page.on("console", lambda m: m.type == "error" and console.append(m.text[:300]))
    page.goto(f"{lab.url}/rise/{lesson_run.lesson}?token={lab.token}")
    page.wait_for_selector(".reveal.ready", timeout=60_000)
    page.wait_for_function(
        "() => document.querySelector('.reveal section.present')", timeout=30_000
    )
    page.keyboard.press("Escape")  # command mode: Space and arrows drive the deck
    seen = [page.evaluate(PRESENT_JS)]
    target = page.locator(f"{SLIDE} .jp-CodeCell", has_text=key["source"].strip()).first
    reached = False
    for _ in range(60):
        if target.count() and target.is_visible():
            reached = True
            break
        page.keyboard.press("Space")
        try:  # wait for the slide (or fragment) to change, not for a fixed time
            page.wait_for_function(
                f"(old) => ({PRESENT_JS})() !== old", arg=seen[-1], timeout=1_000, polling="raf"
            )
        except Exception:  # noqa: BLE001 - a step that changes no text (an image fragment) is fine
            pass
        seen.append(page.evaluate(PRESENT_JS))
    deck = {
        "page": page,
        "lesson": lesson_run.lesson,
        "index": key["index"],
        "call": call,
        "source": key["source"].strip(),
        "seen": seen,
        "reached": reached,
        "outside": outside,
        "console": console,
    }
    lesson_run.companions["rise"] = deck
    return deck


@pytest.mark.parametrize("lesson", [RISE_LESSON], ids=["02"])
def test_rise_steps_with_the_keyboard(rise_deck):
    d = rise_deck
    assert len({s[:80] for s in d["seen"]}) > 1, (
        f"RISE {d['lesson']}: Space did not change the slide"
    )
    assert d["reached"], (
        f"RISE {d['lesson']}: Space never reached the slide of cell {d['index']} `{d['call']}`"
    )


@pytest.mark.parametrize("lesson", [RISE_LESSON], ids=["02"])
def test_rise_needs_no_network(rise_deck):
    fonts = [u for u in rise_deck["outside"] if re.search(r"fonts\.(googleapis|gstatic)\.com", u)]
    assert not fonts, (
        f"RISE {rise_deck['lesson']}: the slide theme loads web fonts ({fonts[0]}); add "
        '"rise": {"theme": "white"} to the notebook metadata'
    )
    assert not rise_deck["outside"], f"RISE requested {rise_deck['outside'][:10]}"


@pytest.mark.xfail(
    widget_manager_needs_console(),
    strict=True,
    raises=RiseWidgetMissing,
    reason=(
        "jupyterlab-rise 0.43.1 lacks the shared module @jupyterlab/console that jupyterlab_widgets "
        ">= 3.0.11 needs: 'Failed to create module: package: @jupyter-widgets/jupyterlab-manager'; "
        "widgets show as text on slides (works with jupyterlab_widgets 3.0.10 / ipywidgets 8.1.2)"
    ),
)
@pytest.mark.parametrize("lesson", [RISE_LESSON], ids=["02"])
def test_rise_widget_works_on_its_slide(rise_deck):
    d, page = rise_deck, rise_deck["page"]
    if not d["reached"]:
        pytest.fail(f"RISE {d['lesson']}: the widget slide was not reached")
    lesson, index, call = d["lesson"], d["index"], d["call"]
    what = f"RISE {lesson}: cell {index} `{call}`"
    cell = page.locator(f"{SLIDE} .jp-CodeCell", has_text=d["source"]).first
    prompt = cell.locator(".jp-InputPrompt").first.inner_text()
    cell.locator(".jp-InputArea").click()
    page.keyboard.press("Shift+Enter")  # re-display the widget from the kernel the lesson page ran
    # Done when a widget view renders, or when the new output fell back to its text repr (what a
    # page without a working widget manager shows): no need to sit out a timeout.
    try:
        page.wait_for_function(
            """([c, old]) => c.querySelector('.jupyter-widgets') || (
                 c.querySelector('.jp-InputPrompt').innerText !== old && !c.querySelector('.jp-InputPrompt').innerText.includes('*')
                 && c.querySelector('.jp-OutputArea-output[data-mime-type="text/plain"]'))""",
            arg=[cell.element_handle(), prompt],
            timeout=20_000,
            polling=50,
        )
    except Exception:  # noqa: BLE001 - reported below with what the slide shows
        pass
    if not cell.locator(".jupyter-widgets").count():
        shown = cell.locator(".jp-OutputArea-output").first
        text = shown.inner_text()[:120] if shown.count() else "<no output>"
        manager = [m for m in d["console"] if "jupyterlab-manager" in m or "shared scope" in m]
        raise RiseWidgetMissing(
            f"{what} shows no widget on its slide; the slide shows {text!r}; console: {manager[:2]}"
        )
    handle = cell.locator(".widget-slider .noUi-handle").first
    assert handle.count(), f"{what}: the widget rendered without its slider"
    img = cell.locator(".jupyter-widgets img").first
    before_img = img.get_attribute("src") if img.count() else None
    # Drag with the mouse, as a presenter does. On a RISE slide an arrow key on the focused handle
    # goes to reveal.js (next slide) and the slider stays put.
    h = handle.element_handle()
    before_value = h.get_attribute("aria-valuenow")
    h.scroll_into_view_if_needed()
    box = h.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] / 2 + 60, box["y"] + box["height"] / 2, steps=5)
    page.mouse.up()
    try:
        page.wait_for_function(
            "([h, v]) => h.getAttribute('aria-valuenow') !== v",
            arg=[h, before_value],
            timeout=5_000,
        )
    except Exception:  # noqa: BLE001
        pytest.fail(f"{what}: dragging the slider on the slide did not move it")
    if before_img is not None:
        try:
            page.wait_for_function(
                "([c, old]) => { const i = c.querySelector('.jupyter-widgets img');"
                " return i && i.getAttribute('src') !== old; }",
                arg=[cell.element_handle(), before_img],
                timeout=10_000,
            )
        except Exception:  # noqa: BLE001
            pytest.fail(f"{what}: the figure did not change after moving the slider on the slide")
