"""The quiz and the case player as a student sees them: lettered options that wrap instead of
being cut, no horizontal scrollbar under a question, and the score at the top of the quiz."""

from __future__ import annotations

import pytest

from ._helpers import toc_file

pytestmark = pytest.mark.browser

# Elements inside the widget whose content is wider than their box: a scrollbar or cut text. A
# text box scrolls what was typed into it by design (the keyboard test types into them first).
OVERFLOW_JS = """(root) => [...root.querySelectorAll('*')]
  .filter(el => !el.matches('input, textarea'))
  .filter(el => el.clientWidth > 0 && el.scrollWidth > el.clientWidth + 1)
  .map(el => `${el.tagName.toLowerCase()}.${[...el.classList].join('.')}: ` +
              `${el.scrollWidth} > ${el.clientWidth} "${(el.innerText || '').slice(0, 60)}"`)"""


def _output(run, needle):
    cell = run.find_cell(needle)
    return run.cell(cell["index"]).locator(".jp-OutputArea-output").first


@pytest.mark.parametrize("width", [1366, 820])
@pytest.mark.parametrize(
    "lesson, needle",
    [(toc_file("09"), "quiz()"), (toc_file("08"), 'case_player("s1-radiculopathy")')],
    ids=["09-quiz", "08-case"],
)
def test_options_wrap_and_nothing_scrolls_sideways(lesson_run, needle, width):
    lesson_run.page.set_viewport_size({"width": width, "height": 900})
    output = _output(lesson_run, needle)
    output.scroll_into_view_if_needed()
    labels = output.locator(".widget-radio-box label, label.widget-label-basic")
    assert labels.count() >= 3
    texts = [labels.nth(i).inner_text().strip() for i in range(min(labels.count(), 8))]
    assert texts[0].startswith("A. ") and texts[1].startswith("B. "), texts
    over = lesson_run.page.evaluate(OVERFLOW_JS, output.element_handle())
    assert over == [], f"{lesson_run.lesson} at {width} px: {over[:5]}"


@pytest.mark.parametrize("lesson", [toc_file("09")], ids=["09"])
def test_quiz_score_is_above_the_first_question(lesson_run):
    output = _output(lesson_run, "quiz()")
    score = output.get_by_role("status").filter(has_text="Score:").first
    first = output.locator(".widget-radio-box").first
    assert score.bounding_box()["y"] < first.bounding_box()["y"]
