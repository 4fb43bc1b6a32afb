"""Accessibility of each lesson as rendered in JupyterLab (after all cells ran).

Checked in the page, not in the .ipynb, because that is what a screen reader and a keyboard meet:
one H1, heading levels in order without skips, alt text on every image, a visible label (or an
aria-label) on every widget control, and the main slider movable with the keyboard.
(`jupyterlab-a11y-checker` installs, but is an interactive side panel with no scriptable check,
so these checks are written here.)
"""

from __future__ import annotations

import pytest

from ._helpers import builder_call

pytestmark = pytest.mark.browser

HEADINGS_JS = """
() => Array.from(document.querySelector('.jp-Notebook').querySelectorAll('h1,h2,h3,h4,h5,h6'))
  .filter(h => h.closest('.jp-Cell'))
  .map(h => ({level: +h.tagName[1], text: h.innerText.replace(/¶$/, '').trim().slice(0, 80),
              cell: h.closest('.jp-Cell').getAttribute('data-hamfoot-cell')}))
"""

IMAGES_JS = """
() => Array.from(document.querySelector('.jp-Notebook').querySelectorAll('img'))
  .map(i => ({alt: (i.getAttribute('alt') || '').trim(), src: (i.getAttribute('src') || '').slice(0, 60),
              cell: i.closest('.jp-Cell') && i.closest('.jp-Cell').getAttribute('data-hamfoot-cell')}))
"""

# The accessible, visible name of every control inside a rendered widget.
CONTROLS_JS = r"""
() => {
  const visible = el => !!(el.offsetWidth || el.offsetHeight || el.getClientRects().length);
  const text = el => (el && el.innerText || '').trim();
  const name = el => {
    const aria = (el.getAttribute('aria-label') || '').trim(); if (aria) return aria;
    const by = el.getAttribute('aria-labelledby');
    if (by) { const t = by.split(/\s+/).map(id => text(document.getElementById(id))).join(' ').trim(); if (t) return t; }
    if (el.labels && el.labels.length) { const t = Array.from(el.labels).map(text).join(' ').trim(); if (t) return t; }
    const lab = el.closest('label'); if (text(lab)) return text(lab);
    if (el.tagName === 'BUTTON') { const t = text(el) || (el.title || '').trim(); if (t) return t; }
    // ipywidgets: the description is a .widget-label beside the control in its container.
    const box = el.closest('.widget-inline-hbox, .widget-inline-vbox, .widget-checkbox');
    if (box) { const l = box.querySelector(':scope > .widget-label, :scope > label'); if (text(l)) return text(l); }
    return '';
  };
  const out = [];
  document.querySelectorAll('.jp-Notebook .jupyter-widgets').forEach(root => {
    root.querySelectorAll('input:not([type=hidden]), select, textarea, button, [role=slider]').forEach(el => {
      if (el.__hfSeen || !visible(el)) return; el.__hfSeen = true;
      const cell = el.closest('.jp-Cell');
      out.push({tag: el.tagName.toLowerCase(), type: el.type || el.getAttribute('role') || '',
                name: name(el), cell: cell && cell.getAttribute('data-hamfoot-cell')});
    });
  });
  document.querySelectorAll('.jp-Notebook *').forEach(el => { delete el.__hfSeen; });
  return out;
}
"""


def _where(run, cell) -> str:
    if cell is None:
        return "outside any cell"
    c = run.cells[int(cell)]
    return f"cell {cell} `{builder_call(c['source'])[:60]}`"


def test_headings_one_h1_no_skipped_levels(lesson_run):
    heads = lesson_run.page.evaluate(HEADINGS_JS)
    h1 = [h for h in heads if h["level"] == 1]
    assert len(h1) == 1, (
        f"{lesson_run.lesson}: expected exactly one H1, found {[h['text'] for h in h1]}"
    )
    assert heads[0]["level"] == 1, (
        f"{lesson_run.lesson}: the first heading is not the H1: {heads[0]}"
    )
    skips = [
        f"H{a['level']} {a['text']!r} -> H{b['level']} {b['text']!r} ({_where(lesson_run, b['cell'])})"
        for a, b in zip(heads, heads[1:])
        if b["level"] > a["level"] + 1
    ]
    assert not skips, f"{lesson_run.lesson}: skipped heading levels: " + "; ".join(skips)


def test_every_image_has_alt_text(lesson_run):
    missing = [
        f"{_where(lesson_run, i['cell'])} img {i['src']!r}"
        for i in lesson_run.page.evaluate(IMAGES_JS)
        if not i["alt"]
    ]
    assert not missing, f"{lesson_run.lesson}: images without alt text: " + "; ".join(missing)


def test_every_control_has_a_label(lesson_run):
    controls = lesson_run.page.evaluate(CONTROLS_JS)
    unlabelled = [
        f"{_where(lesson_run, c['cell'])}: <{c['tag']} {c['type']}>"
        for c in controls
        if not c["name"]
    ]
    assert not unlabelled, f"{lesson_run.lesson}: controls without a visible label: " + "; ".join(
        unlabelled
    )


def test_main_slider_works_from_the_keyboard(lesson_run):
    key = lesson_run.key_widget_cell()
    scope = lesson_run.cell(key["index"]) if key else lesson_run.page
    handle = scope.locator(".widget-slider .noUi-handle").first
    if not handle.count():
        handle = lesson_run.page.locator(".widget-slider .noUi-handle").first
    if not handle.count():
        pytest.skip(f"{lesson_run.lesson} shows no slider")
    cell = handle.evaluate("h => h.closest('.jp-Cell').getAttribute('data-hamfoot-cell')")
    what = f"{lesson_run.lesson}: slider in {_where(lesson_run, cell)}"
    tabindex = handle.get_attribute("tabindex")
    assert tabindex is not None and int(tabindex) >= 0, (
        f"{what}: the handle is not in the Tab order"
    )
    handle.scroll_into_view_if_needed()
    handle.focus()
    before = handle.get_attribute("aria-valuenow")
    at_max = before is not None and before == handle.get_attribute("aria-valuemax")
    lesson_run.page.keyboard.press("ArrowLeft" if at_max else "ArrowRight")
    try:
        lesson_run.page.wait_for_function(
            "([h, v]) => h.getAttribute('aria-valuenow') !== v",
            arg=[handle.element_handle(), before],
            timeout=5_000,
        )
    except Exception:  # noqa: BLE001
        pytest.fail(f"{what}: an arrow key did not move it (aria-valuenow stayed {before})")
