"""The keyboard inside every lesson widget (issue 12, item 1): no key a learner presses while a
control has focus reaches a JupyterLab shortcut, and every control answers the keys its role
implies.

Why in a real page: JupyterLab's command-mode shortcuts (arrows move between cells, "a"/"b"
insert one, "m"/"r"/"y" convert it, "dd" deletes it) act on key events that bubble out of a
widget, and only the page shows whether they do. For every widget cell of every lesson and each
control type in it (radio, dropdown, text or combobox, number box, slider, checkbox, toggle and
plain buttons): focus it, press what a keyboard user would, then compare the notebook's cells
(count, types, sources, execution counts), the active cell, the mode and the save count with
before, and check the control answered. Tab from the first control visits every control of the
widget in the order they are laid out.
"""

from __future__ import annotations

import pytest

from ._helpers import builder_call
from ._keyboard import ARM_QUIET_JS, CONTROLS_JS, COUNT_CLICKS_JS, QUIET_JS, SNAPSHOT_JS, STATE_JS

# Focus is on the control, or (radio) on another radio of its group.
IN_GROUP_JS = """(el) => { const a = document.activeElement, g = el.closest('.widget-radio-box');
  return a === el || el.contains(a) || !!(g && g.contains(a)); }"""
FOCUS_IN_CELL_JS = """(i) => { const n = window.jupyterapp.shell.currentWidget.content.widgets[i].node;
  const a = document.activeElement; return !!(a && a.closest('.jp-OutputArea-output') && n.contains(a)); }"""
# The tag of the focused control (a radio counts as its group's tagged radio).
FOCUSED_ID_JS = """() => { const a = document.activeElement; if (!a) return null;
  const g = a.closest('.widget-radio-box'); const t = g ? g.querySelector('[data-hf-control]') : a.closest('[data-hf-control]');
  return t ? t.getAttribute('data-hf-control') : null; }"""
# After Tab: did focus move, and is it still inside the same widget output?
MOVED_JS = """(el) => { const a = document.activeElement;
  const out = el.closest('.jp-OutputArea-output');
  return {moved: a !== el && a !== document.body && !el.contains(a),
          same_widget: !!(out && out.contains(a))}; }"""

pytestmark = pytest.mark.browser

# Keys that are JupyterLab command-mode shortcuts, pressed on every control.
LETTERS = ["a", "b", "m", "y", "r", "x", "c", "v", "z", "d", "d", "s", "l", "o"]
TYPED = "spectr"

# The key that must change each control type, the state field that shows it changed, and the key
# that undoes it at an end of the range (a slider at its maximum, the last option of a list).
ROLE_KEYS = {
    "radio": ("ArrowDown", "radio", "ArrowUp"),
    "dropdown": ("ArrowDown", "value", "ArrowUp"),
    "number": ("ArrowUp", "value", "ArrowDown"),
    "slider": ("ArrowRight", "now", "ArrowLeft"),
    "checkbox": ("Space", "checked", None),
    "toggle": ("Space", "active", None),
    "button": ("Enter", "clicks", None),
    "text": (None, "value", None),
    "combobox": (None, "value", None),
    "readout": (None, None, None),
}


# How long a cell must stay unchanged (kernel idle) after the keys before focus is judged.
QUIET_MS = 200


def _changes(snap0: dict, snap1: dict) -> list[str]:
    problems = []
    if len(snap0["cells"]) != len(snap1["cells"]):
        problems.append(f"cell count {len(snap0['cells'])} -> {len(snap1['cells'])}")
    else:
        for i, (a, b) in enumerate(zip(snap0["cells"], snap1["cells"])):
            if a[0] != b[0]:
                problems.append(f"cell {i} type {a[0]} -> {b[0]}")
            if a[1] != b[1]:
                problems.append(f"cell {i} source changed")
            if a[2] != b[2]:
                problems.append(f"cell {i} was run again ({a[2]} -> {b[2]})")
    for field, what in (("active", "active cell"), ("mode", "notebook mode"), ("saves", "saves")):
        if snap0[field] != snap1[field]:
            problems.append(f"{what} {snap0[field]} -> {snap1[field]}")
    return problems


def _next_untested(run, cell: dict, tested: set[str]) -> dict | None:
    """The first control of a type not tested yet in this widget cell, found afresh each time (a
    widget may rebuild its controls when a key presses one of its buttons). A box guards all its
    controls alike, so one control of each type shows whether keys escape from that type."""
    for control in run.page.evaluate(CONTROLS_JS, cell["index"]):
        if control["kind"] in tested:
            continue
        if control["kind"] == "toggle" and control["toggleActive"]:
            continue  # Space on the selected one changes nothing: test an unselected one
        return control
    return None


def _press_all(page, locator, control: dict) -> list[str]:
    """Press the keys a learner would on one control; return what went wrong."""
    el = locator.element_handle()
    problems = []
    kind = control["kind"]
    key, field, back = ROLE_KEYS.get(kind, (None, None, None))
    page.evaluate(COUNT_CLICKS_JS, el)
    page.evaluate(ARM_QUIET_JS, el)
    locator.scroll_into_view_if_needed()
    locator.focus()
    snap0 = page.evaluate(SNAPSHOT_JS)  # after focusing: focus itself makes its cell active
    before = page.evaluate(STATE_JS, el)
    if key:
        page.keyboard.press(key)
        after = page.evaluate(STATE_JS, el)
        if after[field] == before[field] and back:
            page.keyboard.press(back)  # at an end of its range: the other way must work
            after = page.evaluate(STATE_JS, el)
        if after[field] == before[field]:
            problems.append(f"{key} did not change it ({field} stayed {before[field]!r})")
    for letter in LETTERS:
        page.keyboard.press(letter)
    page.keyboard.type(TYPED)
    if kind in ("text", "combobox"):
        value = page.evaluate(STATE_JS, el)["value"] or ""
        if TYPED not in value:
            problems.append(f"typing {TYPED!r} did not reach the box (it holds {value!r})")
    for extra in ("ArrowDown", "ArrowUp", "ArrowLeft", "ArrowRight", "Space", "Enter"):
        page.keyboard.press(extra)
    page.keyboard.press("Shift+Enter")
    # Let the kernel's answer arrive before judging focus: a redrawn output can take the element
    # focus was on (or would Tab to) with it.
    try:
        page.wait_for_function(QUIET_JS, arg=QUIET_MS, timeout=20_000, polling=25)
    except Exception:  # noqa: BLE001 - reported in words
        last = page.evaluate("() => window.__hfLastWhat || 'the kernel stayed busy'")
        problems.append(f"the cell never settled after the keys (last change: {last})")
    state = page.evaluate(STATE_JS, el)
    if not state["connected"]:
        problems.append("the control vanished from the page")
    elif not state["focused"] and kind not in ("button", "toggle", "radio"):
        problems.append("focus left the control")
    elif kind == "radio" and not page.evaluate(IN_GROUP_JS, el):
        problems.append("focus left the radio group")
    if state["usable"]:  # (a button its own press disabled or hid has left the Tab order)
        # Tab moves on to another control; within the widget, Shift+Tab comes straight back.
        locator.focus()
        page.keyboard.press("Tab")
        moved = page.evaluate(MOVED_JS, el)
        if not moved["moved"]:
            problems.append("Tab did not move focus to another element")
        elif moved["same_widget"]:
            page.keyboard.press("Shift+Tab")
            back = page.evaluate(IN_GROUP_JS, el) or (
                # a button its own press replaced (e.g. "Check answer" -> "Try again")
                kind == "button" and page.evaluate(MOVED_JS, el)["same_widget"]
            )
            if not back:
                problems.append("Shift+Tab did not come back to it")
        locator.focus()
        page.keyboard.press("Escape")
        left = page.evaluate("(el) => document.activeElement !== el", el)
        if control["guarded"] and not left:
            problems.append("Escape did not hand focus back to the notebook cell")
    page.keyboard.press("Escape")  # a stray open popup must not swallow the next control's keys
    changed = _changes(snap0, page.evaluate(SNAPSHOT_JS))
    if changed:
        problems.append("the keys reached JupyterLab: " + "; ".join(changed))
    return problems


def test_no_key_reaches_a_notebook_shortcut(lesson_run):
    page = lesson_run.page
    failures, tested_any = [], False
    for cell in lesson_run.widget_cells():
        tested: set[str] = set()
        while (control := _next_untested(lesson_run, cell, tested)) is not None:
            tested.add(control["kind"])
            tested_any = True
            what = (
                f"cell {cell['index']} `{builder_call(cell['source'])}` "
                f"{control['kind']} {control['label']!r}"
            )
            locator = page.locator(f'[data-hf-control="{control["id"]}"]')
            problems = _press_all(page, locator, control)
            if problems:
                failures.append(f"{what}: " + "; ".join(problems))
    if not tested_any:
        pytest.skip(f"{lesson_run.lesson} shows no widget controls")
    assert not failures, f"{lesson_run.lesson}: " + " | ".join(failures)


def test_tab_visits_every_control_in_layout_order(lesson_run):
    """From a widget's first control, Tab reaches each of its controls once, top to bottom."""
    page = lesson_run.page
    problems = []
    for cell in lesson_run.widget_cells():
        controls = [c for c in page.evaluate(CONTROLS_JS, cell["index"])]
        if len(controls) < 2:
            continue
        ids = [c["id"] for c in controls]
        first = page.locator(f'[data-hf-control="{ids[0]}"]')
        first.scroll_into_view_if_needed()
        first.focus()
        visited = [ids[0]]
        for _ in range(len(ids) * 3 + 20):
            page.keyboard.press("Tab")
            now = page.evaluate(FOCUSED_ID_JS)
            if now is None:
                if not page.evaluate(FOCUS_IN_CELL_JS, cell["index"]):
                    break  # focus left the widget
                continue  # a link or a disclosure inside the widget's text
            if now not in ids:
                break
            if now != visited[-1]:
                visited.append(now)
        missing = [c for c in controls if c["id"] not in visited]
        order = [ids.index(v) for v in visited]
        where = f"cell {cell['index']} `{builder_call(cell['source'])}`"
        if missing:
            problems.append(
                f"{where}: Tab never reached "
                + ", ".join(f"{c['kind']} {c['label']!r}" for c in missing[:5])
            )
        if order != sorted(order):
            problems.append(f"{where}: Tab order {order} is not the layout order")
    assert not problems, f"{lesson_run.lesson}: " + " | ".join(problems)
