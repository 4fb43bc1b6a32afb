"""Live slides for a room (`hamfoot present LESSON`): every slide of every lesson, at 1280×720 and
1920×1080, fits the screen, shows no code, and each widget on a slide renders and answers a key.

How it runs: one presenter server (the same command, environment and template as
`hamfoot present`, over a temporary copy of the lessons) for the session; one page per lesson and
screen size (Voilà runs the lesson in a fresh kernel per page). The test steps through the deck
with the keyboard (→), as a presenter does, and saves a screenshot of each slide to
build/slides/<lesson>/<size>/NN.png (NN-pK.png for page K of a widget's text panel that the deck
shows a page at a time). Figure text is measured from what the presenter kernel drew: each figure
carries the pixel height of its smallest text (hamfoot.plots.projector), scaled as shown. Every request that would leave 127.0.0.1 is aborted and fails
the test.

Routes compared for live presenting (2026-12, this machine shared by 8 jobs, lesson 02, Chromium
headless, network blocked):
- RISE (jupyterlab-rise 0.43.1, JupyterLab 4.6.6) in a presenter venv pinned to ipywidgets 8.1.2 /
  jupyterlab_widgets 3.0.10 / widgetsnbextension 4.0.10: server 4.7-8.2 s, first slide 7.4-11.1 s
  after it. The widget slide shows the stored text repr until the presenter runs the import cell
  and then the widget cell by hand (Shift+Enter); then the explorer renders in 2.0 s. Code cells
  are visible on every slide; an arrow key on the focused slider turns the slide (12 -> 15) and
  leaves the slider; the import cell's slide overflows the screen. No request left 127.0.0.1.
- Voila 0.5.13 `--template=reveal`, ipywidgets 8.1.9: server 2.3 s, page 4.7 s; widgets are built
  (57 widget nodes, 2 sliders) but reveal.js, Font Awesome and friends come from cdnjs, unpkg and
  jsdelivr: offline the deck never starts (no Reveal object, the page is cut off at the left).
- Voila 0.5.13 with hamfoot's own slide template (chosen; hamfoot/present_assets), ipywidgets
  8.1.9 / jupyterlab_widgets 3.0.17: server 4.8-11.7 s, page to deck ready 3.6-8.5 s with every
  widget live; no code reaches the page; keys inside a widget stay with the widget; nothing
  leaves 127.0.0.1. Per-lesson numbers: build/slides/timings.json.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import time
from pathlib import Path

import pytest

from hamfoot.plots import projector

from ._helpers import BUILD, NOTEBOOKS, block_outside, free_port, lesson_files, stop_group

pytestmark = pytest.mark.browser

# Figure text: the smallest text drawn in each figure (data-hf-text-px, written by the presenter
# kernel's projector mode, in image pixels), as high as the slide shows it on screen.
MIN_TEXT_PX = 18
# Content may be scaled down to fit, but not below this (past it, text is too small for a room).
MIN_ZOOM = 0.7
SIZES = {"720p": (1280, 720), "1080p": (1920, 1080)}
SHOTS = BUILD / "slides"

# The slide on screen, measured: overflow, visible code, widget state, figure scale.
SLIDE_JS = r"""
() => {
  const d = window.hamfootSlides, e = d.slides[d.index], s = e.el;
  const visible = el => !!(el.offsetParent || el.getClientRects().length) && getComputedStyle(el).visibility !== 'hidden';
  const code = Array.from(s.querySelectorAll('.jp-CodeCell .jp-InputArea, .jp-InputArea-editor, .cm-editor'))
    .filter(visible).length;
  const widgets = Array.from(s.querySelectorAll('.jp-OutputArea-output .jupyter-widgets')).filter(visible);
  const errors = s.querySelectorAll('.jupyter-widgets-error-widget').length
    + (/Error displaying widget|model not found/i.test(s.innerText) ? 1 : 0);
  const imgs = Array.from(s.querySelectorAll('figure.hamfoot-figure img')).filter(visible)
    .map(i => ({shown: i.getBoundingClientRect().width, natural: i.naturalWidth,
                text: +(i.closest('figure').dataset.hfTextPx || 0)}));
  const zooms = Array.from(s.querySelectorAll('[data-hf-zoom]')).filter(visible).map(z => +z.dataset.hfZoom);
  const paged = s.querySelector('.hf-paged');
  return {zoom: zooms.length ? Math.min(...zooms) : 1, index: d.index, step: d.step, part: e.part, parts: e.parts, source: s.dataset.source,
          page: d.page || 0, pages: paged ? +paged.dataset.hfPages : 1,
          scroll: s.scrollHeight, client: s.clientHeight, code, widgets: widgets.length, errors, imgs,
          text: s.innerText.slice(0, 300)};
}
"""

PAGES_JS = """() => { const p = window.hamfootSlides.current().querySelector('.hf-paged');
  return p ? +p.dataset.hfPages : 1; }"""

# The first control of the visible part of the slide's widget, tagged so Python can focus it.
CONTROL_JS = r"""
() => {
  const s = window.hamfootSlides.current();
  const visible = el => !!(el.offsetParent || el.getClientRects().length);
  // A presenter's first move: the slider, else a menu, a choice, a box, a button.
  const order = ['.noUi-handle', 'input[type=radio]', 'input[type=checkbox]', 'input[type=number]', 'select', 'button'];
  let c = null;
  for (const sel of order) {
    // a button already pressed (the chosen toggle) would not change anything
    c = Array.from(s.querySelectorAll(`.jupyter-widgets ${sel}`))
      .find(el => visible(el) && !el.classList.contains('mod-active') && !el.disabled);
    if (c) break;
  }
  document.querySelectorAll('[data-hf-control]').forEach(x => x.removeAttribute('data-hf-control'));
  if (!c) return null;
  c.setAttribute('data-hf-control', '1');
  if (c.matches('.noUi-handle')) return 'slider';
  // a menu answers ArrowDown, or ArrowUp when its last choice is already chosen
  if (c.matches('select') && c.selectedIndex === c.options.length - 1) return 'select:last';
  return c.tagName.toLowerCase() + ':' + (c.type || '');
}
"""

STATE_JS = r"""
() => { const s = window.hamfootSlides.current();
  const box = s.querySelector('.jp-OutputArea-output .jupyter-widgets');
  if (!box) return '';
  const inputs = Array.from(box.querySelectorAll('input, select')).map(i => `${i.checked}|${i.value}`);
  return box.outerHTML.length + ':' + box.innerText + ':' + inputs.join(',')
    + Array.from(box.querySelectorAll('img')).map(i => i.src.length + i.src.slice(-40)).join(','); }
"""

# The key each control's role answers (a listbox/combobox moves its choice with ArrowDown).
KEYS = {
    "slider": "ArrowRight",
    "select:select-one": "ArrowDown",
    "select:last": "ArrowUp",
    "input:number": "ArrowUp",
}


@pytest.fixture(scope="session")
def presenter(tmp_path_factory):
    """The `hamfoot present` server over a temporary copy of the lessons, always stopped."""
    from hamfoot import present

    base = tmp_path_factory.mktemp("present")
    root = base / "notebooks"
    shutil.copytree(NOTEBOOKS, root, ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    token, port = os.urandom(16).hex(), free_port()
    env = present.server_env(token, base)
    env["MATPLOTLIBRC"] = str(Path(__file__).resolve().parents[1] / "mplrc")
    log = base / "server.log"
    with open(log, "wb") as out:
        proc = subprocess.Popen(
            present.server_command(root, port),
            env=env,
            cwd=root,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        try:
            present.wait_ready(url, token, proc, timeout=90)
        except present.PresentError as e:
            pytest.fail(f"{e}:\n{log.read_text()[-3000:]}")
        yield {"url": url, "token": token, "root": root, "present": present}
    finally:
        stop_group(proc)


def open_deck(presenter, browser, lesson: str, size: tuple[int, int]):
    ctx = browser.context.browser.new_context(viewport={"width": size[0], "height": size[1]})
    outside = block_outside(ctx, [])
    page = ctx.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)[:300]))
    nb = presenter["root"] / lesson
    url = presenter["present"].lesson_url(presenter["url"], nb, presenter["root"])
    t0 = time.perf_counter()
    page.goto(f"{url}?token={presenter['token']}", timeout=120_000)
    page.wait_for_function(
        "() => document.body && document.body.dataset.hfReady === 'true'", timeout=120_000
    )
    return ctx, page, outside, errors, time.perf_counter() - t0


def walk_deck(presenter, browser, lesson: str, size: str, record: bool = True) -> list[str]:
    """Step through the deck as a presenter does; every problem found, in words."""
    w, h = SIZES[size]
    ctx, page, outside, errors, first_s = open_deck(presenter, browser, lesson, (w, h))
    shots = SHOTS / Path(lesson).stem / size
    shutil.rmtree(shots, ignore_errors=True)
    shots.mkdir(parents=True)
    problems: list[str] = []
    widget_slides = answered = 0
    smallest: list[float] = []  # on-screen px of the figures' default text
    widget_groups: set[str] = set()  # source slides holding a widget
    answering: set[str] = set()  # ... whose widget answered a key press
    try:
        complete = page.evaluate("() => document.body.dataset.hfComplete")
        if complete != "true":
            problems.append(f"{lesson} {size}: the deck was built before every output rendered")
        total = page.evaluate("() => window.hamfootSlides.slides.length")
        assert total >= 3, f"{lesson}: only {total} slides"
        seen, seen_page, paged_pages = -1, None, 0
        for _ in range(total * 12):
            info = page.evaluate(SLIDE_JS)
            # A text panel too tall for the screen is shown a page at a time (→ turns it):
            # every page is checked like a slide.
            if (info["index"], info["page"]) != seen_page:
                seen_page = (info["index"], info["page"])
                name = f"{info['index'] + 1:02d}" + (
                    f"-p{info['page'] + 1}" if info["page"] else ""
                )
                where = f"{lesson} {size} slide {name}/{total} ({info['text'][:60]!r})"
                page.screenshot(path=str(shots / f"{name}.png"))
                paged_pages += info["page"] > 0
                if info["scroll"] > info["client"] + 1:
                    problems.append(f"{where}: overflows ({info['scroll']} > {info['client']} px)")
                if info["zoom"] < MIN_ZOOM:
                    problems.append(
                        f"{where}: more than a screenful, scaled to {info['zoom']:.0%} to fit"
                    )
                for img in info["imgs"]:
                    if not img["text"]:
                        problems.append(f"{where}: a figure without its text size (projector off?)")
                    elif img["natural"]:
                        px = projector.text_px(img["text"], img["shown"], img["natural"])
                        smallest.append(px)
                        if px < MIN_TEXT_PX:
                            problems.append(
                                f"{where}: figure text {px:.1f} px on screen (< {MIN_TEXT_PX})"
                            )
                if info["code"]:
                    problems.append(f"{where}: {info['code']} code input(s) visible")
                if info["errors"]:
                    problems.append(f"{where}: a widget failed to render")
                if info["widgets"] and info["index"] != seen:
                    widget_slides += 1
                    widget_groups.add(info["source"])
                    kind = page.evaluate(CONTROL_JS)
                    if kind:
                        before = page.evaluate(STATE_JS)
                        control = page.locator("[data-hf-control]")
                        control.focus()
                        page.keyboard.press(KEYS.get(kind, "Space"))
                        try:
                            page.wait_for_function(
                                f"(old) => ({STATE_JS})() !== old", arg=before, timeout=10_000
                            )
                            answered += 1
                            answering.add(info["source"])
                        except Exception:  # noqa: BLE001 - reported below
                            problems.append(f"{where}: the widget did not answer {kind} key")
                        now = page.evaluate("() => window.hamfootSlides.index")
                        if now != info["index"]:
                            problems.append(f"{where}: the key on the widget changed the slide")
                        page.keyboard.press("Escape")  # back to the deck
                seen = info["index"]
                pages = page.evaluate(PAGES_JS)  # after the key press (the panel may have grown)
                if seen == total - 1 and info["page"] == pages - 1:
                    break
            before_step = [info["index"], info["step"], info["page"]]
            page.keyboard.press("ArrowRight")
            page.wait_for_function(
                "(old) => { const d = window.hamfootSlides;"
                " return d.index !== old[0] || d.step !== old[1] || (d.page || 0) !== old[2]; }",
                arg=before_step,
                timeout=5_000,
            )
        else:
            problems.append(f"{lesson} {size}: → never reached the last slide")
    finally:
        ctx.close()
    for src in sorted(widget_groups - answering):
        problems.append(f"{lesson} {size}: the widget of slide group {src} answered no key press")
    timings = BUILD / "slides" / "timings.json"
    data = json.loads(timings.read_text()) if timings.exists() and record else {}
    data[f"{Path(lesson).stem[:2]}-{size}"] = {
        "first_slide_s": round(first_s, 2),
        "slides": total,
        "widget_slides": widget_slides,
        "text_panel_pages": paged_pages,
        "figure_text_px_min": round(min(smallest), 2) if smallest else None,
    }
    if record:
        timings.write_text(json.dumps(data, indent=1, sort_keys=True) + "\n")
    if outside:
        problems.append(f"{lesson}: requests left 127.0.0.1: {outside[:5]}")
    if errors:
        problems.append(f"{lesson}: script errors {errors[:3]}")
    return problems


@pytest.mark.parametrize("size", list(SIZES), ids=list(SIZES))
@pytest.mark.parametrize("lesson", lesson_files(), ids=[Path(f).stem[:2] for f in lesson_files()])
def test_every_slide_fits_and_its_widgets_answer(presenter, browser, lesson, size):
    problems = walk_deck(presenter, browser, lesson, size)
    assert not problems, "\n".join(problems)


def test_a_slide_too_long_for_the_screen_fails(presenter, browser):
    """The checker catches what it should: a copy of lesson 00 whose first slide gains one
    paragraph too long to continue on the next slide (a single block) fails at 720p."""
    first = sorted(presenter["root"].glob("00-*.ipynb"))[0]
    nb = json.loads(first.read_text(encoding="utf-8"))
    long_text = " ".join(["The back row cannot read a paragraph this long on one slide."] * 160)
    nb["cells"].insert(
        1,
        {"cell_type": "markdown", "metadata": {}, "source": long_text, "id": "too-long"},
    )
    broken = presenter["root"] / "00-zz-too-long.ipynb"
    broken.write_text(json.dumps(nb, indent=1, ensure_ascii=False), encoding="utf-8")
    try:
        problems = walk_deck(presenter, browser, broken.name, "720p", record=False)
    finally:
        broken.unlink()
    assert any("overflows" in p or "more than a screenful" in p for p in problems), problems
