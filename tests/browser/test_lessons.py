"""Every lesson runs in JupyterLab without an error and every widget it shows renders in the page.

Plus the three interactions a student meets first: the chain explorer's slider (lesson 02), the
red-flag checklist (lesson 04) and the quiz feedback (lesson 09).
"""

from __future__ import annotations

import re
import statistics
import time
from pathlib import Path

import pytest

from ._helpers import BUILD, WIDGET_MIME, builder_call, is_local, toc_file

pytestmark = pytest.mark.browser


def test_lesson_runs_without_errors(lesson_run):
    problems = []
    for c in lesson_run.cells:
        for o in c["outputs"]:
            if o["output_type"] == "error":
                problems.append(
                    f"cell {c['index']} `{builder_call(c['source'])}` raised "
                    f"{o['ename']}: {o['evalue']}"
                )
            elif o["output_type"] == "stream" and o["name"] == "stderr":
                problems.append(
                    f"cell {c['index']} `{builder_call(c['source'])}` wrote to stderr: "
                    f"{o['text'][:300]!r}"
                )
        if c["type"] == "code" and c["source"].strip() and c["execution_count"] is None:
            problems.append(f"cell {c['index']} `{builder_call(c['source'])}` was not executed")
    assert not problems, f"{lesson_run.lesson}: " + "; ".join(problems)


def test_every_widget_renders(lesson_run):
    """Each widget output renders a widget view; each cell that saved one still shows one."""
    problems = []
    by_index = {c["index"]: c for c in lesson_run.cells}
    for c in lesson_run.widget_cells():
        for o in c["outputs"]:
            if WIDGET_MIME not in o["mimes"]:
                continue
            what = f"cell {c['index']} `{builder_call(c['source'])}`"
            if o["widget_error"]:
                problems.append(f"{what}: the page shows {o['dom_text']!r}")
            elif not o["widget_rendered"]:
                problems.append(f"{what}: no widget view rendered (page shows {o['dom_text']!r})")
    for index, call in lesson_run.expected_widgets.items():
        c = by_index.get(index)
        if c is None or not any(WIDGET_MIME in o["mimes"] for o in c["outputs"]):
            problems.append(
                f"cell {index} `{call}`: the committed notebook shows a widget here, "
                "the browser run produced none"
            )
    assert not problems, f"{lesson_run.lesson}: widget failed to render — " + "; ".join(problems)

    # Screenshot of the key widget (or the first output) for reviewers and the README.
    key = lesson_run.key_widget_cell()
    target = (
        lesson_run.cell(key["index"]).locator(".jp-OutputArea-output").first
        if key
        else lesson_run.page.locator(".jp-OutputArea-output").first
    )
    if target.count():
        (BUILD / "screenshots").mkdir(parents=True, exist_ok=True)
        target.scroll_into_view_if_needed()
        target.screenshot(path=str(BUILD / "screenshots" / f"{Path(lesson_run.lesson).stem}.png"))


def test_no_request_left_localhost(lesson_run):
    outside = sorted({u for u in lesson_run.requests if not is_local(u)})
    assert not outside, f"{lesson_run.lesson}: the page requested {outside[:10]}"


# ---------------------------------------------------------------- lesson 02: chain explorer slider
def figure_state(output) -> tuple[str, str]:
    img = output.locator("img").first
    caption = output.locator("figcaption").first
    return (img.get_attribute("src") or "", caption.inner_text() if caption.count() else "")


@pytest.mark.parametrize("lesson", [toc_file("02")], ids=["02"])
def test_chain_explorer_slider_moves_the_figure(lesson_run, timings):
    key = lesson_run.key_widget_cell()
    assert key, f"{lesson_run.lesson}: no widget found for the chain explorer"
    output = lesson_run.cell(key["index"]).locator(".jp-OutputArea-output").first
    what = f"{lesson_run.lesson}: cell {key['index']} `{builder_call(key['source'])}`"
    handle = output.locator(".widget-slider .noUi-handle").first
    assert handle.count(), f"{what}: no slider handle (.widget-slider .noUi-handle)"
    assert output.locator("img").count(), f"{what}: no figure (img) in the widget"
    page = lesson_run.page
    handle.scroll_into_view_if_needed()
    handle.focus()
    first = figure_state(output)
    before, presses = first, []
    for _ in range(4):
        old_src = before[0]
        handle.focus()  # a notification or a late layout must not leave the key unheard
        t0 = time.perf_counter()
        page.keyboard.press("ArrowRight")
        try:
            page.wait_for_function(
                "([el, old]) => { const i = el.querySelector('img'); return i && i.getAttribute('src') !== old; }",
                arg=[output.element_handle(), old_src],
                timeout=10_000,
                polling="raf",
            )
        except Exception:  # noqa: BLE001
            seen = page.evaluate(
                """(h) => { const nb = window.jupyterapp.shell.currentWidget;
                  const k = nb.sessionContext.session && nb.sessionContext.session.kernel;
                  const a = document.activeElement;
                  return {slider: h.getAttribute('aria-valuenow'), kernel: k ? k.status : null,
                          focus: a ? a.tagName + '.' + a.className : null}; }""",
                handle.element_handle(),
            )
            pytest.fail(
                f"{what}: figure did not change within 10 s of pressing ArrowRight on the slider "
                f"(after the press: {seen})"
            )
        presses.append(time.perf_counter() - t0)
        before = figure_state(output)
    after = figure_state(output)
    assert after[0] != first[0], f"{what}: the figure did not change after 4 ArrowRight presses"
    assert after[1] and after[1] != first[1], (
        f"{what}: the text summary (figcaption) did not change: {first[1]!r} -> {after[1]!r}"
    )
    timings["slider"][lesson_run.lesson] = {
        "key_to_figure_s": [round(t, 3) for t in presses],
        "median_s": round(statistics.median(presses), 3),
        "slowest_s": round(max(presses), 3),
    }


# ---------------------------------------------------------------- lesson 04: red-flag checklist
@pytest.mark.parametrize("lesson", [toc_file("04")], ids=["04"])
def test_ticking_a_red_flag_gives_advice(lesson_run):
    cell = lesson_run.find_cell("red_flag_checklist(")
    output = lesson_run.cell(cell["index"]).locator(".jp-OutputArea-output").first
    what = f"{lesson_run.lesson}: cell {cell['index']} `{builder_call(cell['source'])}`"
    box = output.locator(".widget-checkbox input[type=checkbox]").first
    assert box.count(), f"{what}: no checkbox rendered"
    assert "Urgency:" not in output.inner_text(), f"{what}: advice shown before anything was ticked"
    box.scroll_into_view_if_needed()
    box.focus()
    lesson_run.page.keyboard.press("Space")  # keyboard, as a keyboard-only user would
    try:
        lesson_run.page.wait_for_function(
            "(el) => el.innerText.includes('Urgency:')", arg=output.element_handle(), timeout=10_000
        )
    except Exception:  # noqa: BLE001
        pytest.fail(f"{what}: ticking a red flag showed no advice within 10 s")
    text = output.inner_text()
    assert re.search(r"\b(emergency|urgent|routine referral)\b", text), (
        f"{what}: no urgency words in {text[:300]!r}"
    )
    assert "clinician" in text, f"{what}: the advice does not point to a clinician"


# ---------------------------------------------------------------- lesson 09: quiz feedback
def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


@pytest.mark.parametrize("lesson", [toc_file("09")], ids=["09"])
def test_quiz_marks_right_and_wrong(lesson_run, quiz_bank):
    cell = lesson_run.find_cell("quiz(")
    output = lesson_run.cell(cell["index"]).locator(".jp-OutputArea-output").first
    what = f"{lesson_run.lesson}: cell {cell['index']} `{builder_call(cell['source'])}`"
    by_prompt = {_norm(q["prompt"]): q for q in quiz_bank if q.get("type") == "single"}
    # Answers saved by another lesson's quiz (the course store) come back marked and locked, as
    # they should: start afresh the way a learner does, with "Try again".
    if output.locator(".widget-radio-box input:disabled").count():
        output.get_by_role("button", name="Try again").click()
        lesson_run.page.wait_for_function(
            "(el) => !el.querySelector('.widget-radio-box input:disabled')",
            arg=output.element_handle(),
            timeout=10_000,
        )
    cards = output.locator(".widget-vbox:has(> .widget-radio)")
    found = []
    for i in range(cards.count()):
        card = cards.nth(i)
        prompt = _norm(card.locator(":scope > .widget-html").first.inner_text())
        prompt = re.sub(r"^Question \d+ of \d+\.\s*", "", prompt)
        if prompt in by_prompt:
            found.append((card, by_prompt[prompt]))
        if len(found) == 2:
            break
    assert len(found) == 2, (
        f"{what}: fewer than two single-choice questions from data/quiz.yaml on the page"
    )
    for (card, q), right in zip(found, (True, False)):
        labels = card.locator(".widget-radio-box label")
        texts = [_norm(labels.nth(j).inner_text()) for j in range(labels.count())]
        ids = [o["id"] for o in q["options"]]  # options are lettered A, B, C ... in data order
        i = ids.index(q["answer"])
        answer = _norm(f"{chr(65 + i)}. {q['options'][i]['text']}")
        pick = answer if right else next(t for t in texts if t != answer)
        assert pick in texts, f"{what}: option {pick!r} of {q['id']} not shown (shown: {texts})"
        labels.nth(texts.index(pick)).click()
        card.get_by_role("button", name="Check answer").click()
        word = "Correct" if right else "Not quite"
        try:
            lesson_run.page.wait_for_function(
                "([el, w]) => el.innerText.includes(w)",
                arg=[card.element_handle(), word],
                timeout=10_000,
            )
        except Exception:  # noqa: BLE001
            pytest.fail(
                f"{what}: answering {q['id']} {'right' if right else 'wrong'} did not show "
                f"{word!r}; the card shows {card.inner_text()[:300]!r}"
            )
