"""The quiz widget, driven like a learner: answer, check, retry; answers saved by themselves and
shown again when the lesson is run again; copies for moving machines."""

from __future__ import annotations

import json

import pytest

from hamfoot import content, progress
from hamfoot.schema import QuizOption, QuizQuestion
from hamfoot.widgets.quiz import FILL, Quiz, cited, question_counts, quiz

REF = "li1996"


def opts(*texts: str) -> tuple[QuizOption, ...]:
    return tuple(QuizOption(id=t.lower().replace(" ", "-"), text=t) for t in texts)


def fake(type_="single", **kw) -> QuizQuestion:
    base = {
        "single": dict(options=opts("first", "second", "third"), answer="second"),
        "multiple": dict(options=opts("a", "b", "c", "d"), answer=("a", "c")),
        "numeric": dict(answer=10, tolerance=0.5),
    }[type_]
    return QuizQuestion(
        **{
            "id": f"fake-{type_}",
            "lesson": "01",
            "type": type_,
            "prompt": f"A {type_} question?",
            "explanation": "Because of a reason.",
            "references": (REF,),
            **base,
            **kw,
        }
    )


def give(question, right: bool) -> None:
    """Enter a right or a wrong answer to any question."""
    r = question.record
    ids = [o.id for o in r.options]
    if r.type == "single":
        question.answer = r.answer if right else next(i for i in ids if i != r.answer)
    elif r.type == "multiple":
        question.answer = (
            list(r.answer)
            if right
            else list(r.answer)[1:] or [i for i in ids if i not in r.answer][:1]
        )
    else:
        question.answer = r.answer if right else r.answer + (r.tolerance or 0) + 1


def html(widget) -> str:
    """All HTML text shown anywhere inside a widget tree."""
    out = [getattr(widget, "value", "")] if type(widget).__name__ == "HTML" else []
    for child in getattr(widget, "children", ()):
        out.append(html(child))
    return "\n".join(out)


@pytest.fixture(scope="module")
def course():
    return quiz()


def test_every_course_question_marks_a_right_and_a_wrong_answer():
    right, wrong = quiz(), quiz()
    assert len(right.questions) == len(content.quiz()) >= 30
    for q in right.questions:
        give(q, True)
        q.check.click()
        assert "Correct" in q.out.value and "Not quite" not in q.out.value, q.record.id
        assert "Reference" in q.out.value
    for q in wrong.questions:
        give(q, False)
        q.check.click()
        assert "Not quite" in q.out.value, q.record.id
    n = len(right.questions)
    assert f"Score: {n} of {n} answered correctly" in right.score.value
    assert f"Score: 0 of {n} answered correctly" in wrong.score.value


def test_feedback_gives_explanation_answer_and_formatted_reference():
    box = Quiz([fake()])
    q = box.questions[0]
    give(q, False)
    q.check.click()
    assert "Because of a reason." in q.out.value
    assert "The answer: B. second." in q.out.value
    assert content.cite(REF).split(".")[0] in q.out.value


@pytest.mark.parametrize(
    "typed, verdict",
    [
        ("10", "Correct"),
        ("10.5", "Correct"),
        ("9.5", "Correct"),
        ("10,5", "Correct"),
        (" 9.75 ", "Correct"),
        ("10.51", "Not quite"),
        ("9.49", "Not quite"),
        ("-10", "Not quite"),
        ("1e3", "Not quite"),
    ],
)
def test_numeric_tolerance_edges(typed, verdict):
    box = Quiz([fake("numeric")])
    q = box.questions[0]
    q.answer = typed
    q.check.click()
    assert verdict in q.out.value
    assert "anything from 9.5 to 10.5 counts" in q.out.value


@pytest.mark.parametrize(
    "typed", ["", "   ", "abc", "nan", "inf", "-Infinity", "1/2", "12 mm", "1e999"]
)
def test_numeric_non_numbers_are_not_marked(typed):
    box = Quiz([fake("numeric")])
    q = box.questions[0]
    q.answer = typed
    q.check.click()
    assert "Not marked yet" in q.out.value and q.result is None
    assert not q.check.disabled and "Score: 0 of 0" in box.score.value


def test_numeric_without_tolerance_needs_the_exact_value():
    q = Quiz([fake("numeric", tolerance=None)]).questions[0]
    q.answer = "10.01"
    q.check.click()
    assert "Not quite" in q.out.value and "counts" not in q.out.value


@pytest.mark.parametrize(
    "ticked, verdict",
    [
        (["a", "c"], "Correct"),
        (["a"], "Not quite"),
        (["a", "b", "c"], "Not quite"),
        (["b", "d"], "Not quite"),
    ],
)
def test_multiple_choice_needs_exactly_the_right_set(ticked, verdict):
    q = Quiz([fake("multiple")]).questions[0]
    q.answer = ticked
    q.check.click()
    assert verdict in q.out.value and "A. a; C. c" in q.out.value
    hits, extra = len(set(ticked) & {"a", "c"}), len(set(ticked) - {"a", "c"})
    assert f"You ticked {hits} of the 2 right options and {extra}" in q.out.value


def test_nothing_chosen_is_not_marked():
    box = Quiz([fake(), fake("multiple")])
    for q, words in zip(box.questions, ["Choose one option", "Tick at least one"]):
        q.check.click()
        assert words in q.out.value and q.result is None
    assert "Score: 0 of 0" in box.score.value


def test_marked_answer_is_locked_until_try_again_which_resets_everything():
    box = Quiz([fake(), fake("multiple"), fake("numeric")])
    for q, right in zip(box.questions, [True, False, True]):
        give(q, right)
        q.check.click()
    assert "Score: 2 of 3 answered correctly" in box.score.value
    single = box.questions[0]
    assert single.choices.disabled and single.check.disabled
    single.answer = "first"  # a learner cannot change a marked answer; re-checking changes nothing
    single.check.click()
    assert "Score: 2 of 3" in box.score.value
    box.retry.click()
    assert "Score: 0 of 0 answered correctly" in box.score.value
    assert "3 of 3 questions still" in box.score.value
    for q in box.questions:
        assert q.result is None and q.out.value == "" and not q.check.disabled
        assert q.answer in (None, [], "") and not any(c.disabled for c in q.controls)
    give(box.questions[1], True)
    box.questions[1].check.click()
    assert "Score: 1 of 1" in box.score.value


def test_content_text_is_escaped():
    evil = "<script>alert(1)</script>"
    box = Quiz(
        [
            fake(
                prompt=f"Which? {evil}",
                explanation=f"<b>bold</b> {evil}",
                options=(
                    QuizOption(id="evil", text="<img src=x onerror=alert(1)>"),
                    *opts("two", "three"),
                ),
                answer="evil",
            )
        ]
    )
    q = box.questions[0]
    give(q, False)
    q.check.click()
    shown = html(box)
    assert "<script>" not in shown and "<b>bold" not in shown and "<img" not in shown
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in shown and "&lt;img src=x" in q.out.value
    assert not q.choices.description_allow_html  # option labels are rendered as plain text


def test_selection_by_lesson_ids_and_shuffle():
    lesson = quiz(lesson="08")
    assert {q.record.lesson for q in lesson.questions} == {"08"}
    assert len(lesson.questions) == len(content.quiz(lesson="08"))
    ids = list(content.quiz()["id"])[:3][::-1]
    assert [q.record.id for q in quiz(ids=ids).questions] == ids
    assert sorted(q.record.id for q in quiz(shuffle=True).questions) == sorted(content.quiz()["id"])
    with pytest.raises(ValueError, match="no quiz question 'nope'"):
        quiz(ids=["nope"])
    empty = quiz(lesson="09")
    assert empty.questions == [] and "no questions for lesson 09" in html(empty)


def test_options_are_lettered_in_data_order(course):
    for q in course.questions:
        r = q.record
        if r.type == "single":
            shown = list(q.choices.options)
        elif r.type == "multiple":
            shown = [(box.description, o.id) for o, box in zip(r.options, q.controls)]
        else:
            continue
        assert shown == [(f"{chr(65 + i)}. {o.text}", o.id) for i, o in enumerate(r.options)]
    again = quiz()
    assert [q.choices.options for q in again.questions if q.record.type == "single"] == [
        q.choices.options for q in course.questions if q.record.type == "single"
    ]


def test_score_sits_at_the_top_and_follows_each_answer():
    box = Quiz([fake(), fake("numeric")])
    top = box.children.index(box.score)
    assert top < box.children.index(box.questions[0])
    assert "Score: 0 of 0" in box.score.value and 'role="status"' in box.score.value
    give(box.questions[0], True)
    box.questions[0].check.click()
    assert "Score: 1 of 1" in box.score.value and "1 of 2 questions still" in box.score.value
    assert "Score: 1 of 1" in box.score_end.value


def test_every_answer_is_saved_at_once_and_shown_again_on_rerun():
    a = Quiz([fake(), fake("multiple"), fake("numeric"), fake(id="fake-open")])
    give(a.questions[0], True)
    give(a.questions[1], False)
    give(a.questions[2], True)
    for q in a.questions[:3]:
        q.check.click()
    a.questions[3].answer = "third"  # chosen but never checked: not saved
    stored = progress.answers()
    assert stored["fake-single"]["chosen"] == ["second"] and stored["fake-single"]["correct"]
    assert stored["fake-multiple"]["chosen"] == ["c"] and not stored["fake-multiple"]["correct"]
    assert stored["fake-numeric"]["chosen"] == 10.0 and "fake-open" not in stored
    assert "saved automatically" in a.saved.value
    b = Quiz([fake(), fake("multiple"), fake("numeric"), fake(id="fake-open")])  # lesson re-run
    assert [q.answer for q in b.questions[:3]] == [q.answer for q in a.questions[:3]]
    assert [q.out.value for q in b.questions] == [q.out.value for q in a.questions[:3]] + [""]
    assert b.score.value == a.score.value and "Score: 2 of 3" in b.score.value
    assert b.questions[0].check.disabled and not b.questions[3].check.disabled


def test_editing_one_question_keeps_the_other_answers_and_never_ticks_a_wrong_box():
    a = Quiz([fake(), fake("multiple")])
    for q in a.questions:
        give(q, True)
        q.check.click()
    edited = fake(options=opts("first", "third", "fourth"), answer="third")  # "second" is gone
    renamed = fake("multiple", options=opts("a", "b", "c2", "d"), answer=("a", "c2"))
    b = Quiz([edited, renamed, fake("numeric")])
    assert b.questions[0].answer is None and b.questions[0].result is None
    assert b.questions[1].answer == [] and b.questions[1].result is None  # not a partial tick
    c = Quiz([fake(), fake("multiple", options=opts("a", "b", "c", "d", "e"))])
    assert c.questions[0].result is True and c.questions[1].answer == ["a", "c"]


def test_try_again_forgets_the_saved_answers_of_this_quiz_only():
    other = Quiz([fake(id="fake-elsewhere")])
    give(other.questions[0], True)
    other.questions[0].check.click()
    box = Quiz([fake(), fake("numeric")])
    for q in box.questions:
        give(q, True)
        q.check.click()
    box.retry.click()
    assert set(progress.answers()) == {"fake-elsewhere"}
    assert all(q.result is None for q in Quiz([fake(), fake("numeric")]).questions)


def test_an_unwritable_store_is_reported_in_words_and_the_answer_stays(tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    monkeypatch.setenv("HAMFOOT_PROGRESS", str(blocker / "progress.json"))
    progress._pending.clear()
    box = Quiz([fake()])
    q = box.questions[0]
    give(q, True)
    q.check.click()
    assert "Correct" in q.out.value and "Score: 1 of 1" in box.score.value
    assert "Not saved yet" in box.saved.value and "Traceback" not in box.saved.value
    assert "HAMFOOT_PROGRESS" in box.saved.value
    box.bar.file.value = str(tmp_path / "copy.json")
    box.bar.save.click()  # the answer is still offered to the copy
    assert "Copied" in box.bar.status.value
    assert "fake-single" in json.loads((tmp_path / "copy.json").read_text())["answers"]
    progress._pending.clear()


def test_save_a_copy_and_load_it_on_another_machine(tmp_path, monkeypatch):
    a = Quiz([fake(), fake("numeric")])
    for q in a.questions:
        give(q, True)
        q.check.click()
    a.bar.file.value = str(tmp_path / "usb.json")
    a.bar.save.click()
    assert "Copied" in a.bar.status.value and "2 saved answers" in a.bar.status.value
    monkeypatch.setenv("HAMFOOT_PROGRESS", str(tmp_path / "laptop" / "progress.json"))
    b = Quiz([fake(), fake("numeric")])
    assert "Score: 0 of 0" in b.score.value
    b.bar.file.value = a.bar.file.value
    b.bar.load.click()
    assert "Loaded" in b.bar.status.value and "2 saved answers shown here" in b.bar.status.value
    assert b.score.value == a.score.value


@pytest.mark.parametrize(
    "text", ["not json", '{"format": "something-else"}', '{"format": "hamfoot-progress"}', None]
)
def test_a_bad_copy_leaves_current_answers_untouched(tmp_path, text):
    box = Quiz([fake(), fake("numeric")])
    give(box.questions[0], True)
    box.questions[0].check.click()
    box.questions[1].answer = "9"
    bad = tmp_path / "p.json"
    if text is not None:
        bad.write_text(text)
    box.bar.file.value = str(bad)
    before = ([q.answer for q in box.questions], [q.out.value for q in box.questions])
    box.bar.load.click()
    assert "Could not load" in box.bar.status.value and "Traceback" not in box.bar.status.value
    assert ([q.answer for q in box.questions], [q.out.value for q in box.questions]) == before


def test_a_copy_never_overwrites_a_file_that_is_not_ours(tmp_path):
    box = Quiz([fake()])
    notebook = tmp_path / "p.json"
    notebook.write_text(json.dumps({"cells": [], "nbformat": 4}))
    box.bar.file.value = str(notebook)
    box.bar.save.click()
    assert "Could not save a copy" in box.bar.status.value
    assert json.loads(notebook.read_text()) == {"cells": [], "nbformat": 4}


def test_course_score_is_broken_down_by_lesson():
    box = Quiz([fake(), fake("numeric", lesson="02"), fake("multiple", lesson="02")])
    for q, right in zip(box.questions, [True, False]):
        give(q, right)
        q.check.click()
    assert "By lesson: 01: 1 of 1 · 02: 0 of 1" in box.score.value
    one_lesson = Quiz([fake(), fake("numeric")])
    give(one_lesson.questions[0], True)
    one_lesson.questions[0].check.click()
    assert "By lesson" not in one_lesson.score.value


def test_question_counts_and_citations_follow_the_content():
    table = question_counts()
    assert table.loc["all", "total"] == len(content.quiz())
    for lesson, row in table.drop(index="all").iterrows():
        kinds = row[["single", "multiple", "numeric"]].sum()
        assert row["total"] == len(content.quiz(lesson=lesson)) == kinds
        assert row["lesson"] == content.toc().loc[lesson, "title"]
    refs = cited("08")
    assert len(refs) == len(set(refs))
    assert set(refs) == {r for rs in content.quiz(lesson="08")["references"] for r in rs}


def test_long_option_labels_wrap_and_nothing_is_wider_than_its_card():
    box = Quiz([fake(), fake("multiple")])
    assert "hamfoot-wrap" in box.children[0].value  # the scoped style travels with the widget
    assert (
        "min-width: 0" in box.children[0].value and "white-space: normal" in box.children[0].value
    )
    options = [box.questions[0].choices, *box.questions[1].controls]
    assert all("hamfoot-wrap" in o._dom_classes for o in options)
    # width 100% plus ipywidgets' margin overflows the card (a horizontal scrollbar): never 100%
    for q in box.questions:
        for child in q.children:
            assert child.layout.width in (None, "auto"), child
    assert FILL.width == "auto"
