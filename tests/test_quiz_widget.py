"""The quiz widget, driven like a learner: answer, check, retry, save and load."""

from __future__ import annotations

import json

import pytest

from hamfoot import content
from hamfoot.schema import QuizQuestion
from hamfoot.widgets.quiz import Quiz, cited, display_order, question_counts, quiz

REF = "li1996"


def fake(type_="single", **kw) -> QuizQuestion:
    base = {
        "single": dict(options=("first", "second", "third"), answer=1),
        "multiple": dict(options=("a", "b", "c", "d"), answer=(0, 2)),
        "numeric": dict(answer=10, tolerance=0.5),
    }[type_]
    fields = {**base, **kw}
    if "options" in fields:  # written as texts and indices; the data holds {id, text} and ids
        ids = [f"option-{i}" for i in range(len(fields["options"]))]
        fields["options"] = [{"id": i, "text": t} for i, t in zip(ids, fields["options"])]
        a = fields["answer"]
        fields["answer"] = tuple(ids[x] for x in a) if isinstance(a, tuple) else ids[a]
    return QuizQuestion(
        **{
            "id": f"fake-{type_}",
            "lesson": "01",
            "type": type_,
            "prompt": f"A {type_} question?",
            "explanation": "Because of a reason.",
            "references": (REF,),
            **fields,
        }
    )


def index(r, answer):
    """Option positions (what the controls hold) of an answer given as option ids."""
    ids = [o.id for o in r.options]
    return [ids.index(a) for a in answer] if isinstance(answer, tuple) else ids.index(answer)


def give(question, right: bool) -> None:
    """Enter a right or a wrong answer to any question."""
    r = question.record
    if r.type == "single":
        a = index(r, r.answer)
        question.answer = a if right else (a + 1) % len(r.options)
    elif r.type == "multiple":
        a = index(r, r.answer)
        question.answer = (
            a if right else a[1:] or [i for i in range(len(r.options)) if i not in a][:1]
        )
    else:
        question.answer = str(r.answer if right else r.answer + (r.tolerance or 0) + 1)


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
    assert "The answer: second." in q.out.value
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
    [([0, 2], "Correct"), ([0], "Not quite"), ([0, 1, 2], "Not quite"), ([1, 3], "Not quite")],
)
def test_multiple_choice_needs_exactly_the_right_set(ticked, verdict):
    q = Quiz([fake("multiple")]).questions[0]
    q.answer = ticked
    q.check.click()
    assert verdict in q.out.value
    hits, extra = len(set(ticked) & {0, 2}), len(set(ticked) - {0, 2})
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
    single.answer = 0  # a learner cannot change a marked answer; re-checking changes nothing
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
                options=("<img src=x onerror=alert(1)>", "two", "three"),
                answer=0,
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


def test_right_option_is_not_always_shown_first(course):
    singles = [q for q in course.questions if q.record.type == "single"]
    first_right = sum(q.choices.options[0][1] == index(q.record, q.record.answer) for q in singles)
    assert first_right < len(singles) / 2
    again = quiz()
    assert [q.choices.options for q in singles] == [
        q.choices.options for q in again.questions if q.record.type == "single"
    ]
    assert sorted(display_order("x", 5)) == list(range(5))


def test_save_and_load_round_trip_through_the_widget(tmp_path):
    path = str(tmp_path / "progress.json")
    a = Quiz([fake(), fake("multiple"), fake("numeric"), fake(id="fake-open")])
    give(a.questions[0], True)
    give(a.questions[1], False)
    give(a.questions[2], True)
    a.questions[3].answer = 2  # answered but not yet checked
    for q in a.questions[:3]:
        q.check.click()
    a.bar.file.value = path
    a.bar.save.click()
    assert "Saved" in a.bar.status.value and "progress.json" in a.bar.status.value
    b = Quiz([fake(), fake("multiple"), fake("numeric"), fake(id="fake-open")])
    b.bar.file.value = path
    b.bar.load.click()
    assert "4 saved answers restored" in b.bar.status.value
    assert [q.answer for q in b.questions] == [q.answer for q in a.questions]
    assert [q.out.value for q in b.questions] == [q.out.value for q in a.questions]
    assert b.score.value == a.score.value and "Score: 2 of 3" in b.score.value
    assert b.questions[0].check.disabled and not b.questions[3].check.disabled


def _answered(tmp_path):
    box = Quiz([fake(), fake("numeric")])
    give(box.questions[0], True)
    box.questions[0].check.click()
    box.questions[1].answer = "9"
    box.bar.file.value = str(tmp_path / "p.json")
    return box


@pytest.mark.parametrize(
    "damage",
    [
        lambda p: p.write_bytes(p.read_bytes()[:30]),  # truncated
        lambda p: p.write_bytes(b"\xff\xfe\x00garbage"),  # not UTF-8
        lambda p: p.write_text("not json at all"),
        lambda p: p.write_text('{"format": "something-else"}'),
        lambda p: p.unlink(),
        lambda p: p.write_text(
            p.read_text().replace('"answer": 1', '"answer": 7')
        ),  # no such option
        lambda p: p.write_text(p.read_text().replace('"answer": "9"', '"answer": 9')),  # wrong type
        lambda p: p.write_text(p.read_text().replace('"checked": true', '"checked": "yes"')),
    ],
)
def test_bad_file_leaves_current_answers_untouched(tmp_path, damage):
    box = _answered(tmp_path)
    box.bar.save.click()
    damage(tmp_path / "p.json")
    box.questions[1].answer = "10"  # the learner keeps working after saving

    def state():
        return (
            [q.answer for q in box.questions],
            [q.out.value for q in box.questions],
            box.score.value,
        )

    before = state()
    box.bar.load.click()
    assert "Could not load" in box.bar.status.value and "Traceback" not in box.bar.status.value
    assert state() == before


def test_saving_never_overwrites_a_file_that_is_not_ours(tmp_path):
    box = _answered(tmp_path)
    notebook = tmp_path / "p.json"
    notebook.write_text(json.dumps({"cells": [], "nbformat": 4}))
    box.bar.save.click()
    assert "Could not save" in box.bar.status.value
    assert json.loads(notebook.read_text()) == {"cells": [], "nbformat": 4}


def test_answers_to_other_lessons_in_the_file_are_kept(tmp_path):
    path = str(tmp_path / "p.json")
    one, other = Quiz([fake()]), Quiz([fake("numeric")])
    for box in (one, other):
        give(box.questions[0], True)
        box.questions[0].check.click()
        box.bar.file.value = path
        box.bar.save.click()
    fresh = Quiz([fake(), fake("numeric")])
    fresh.bar.file.value = path
    fresh.bar.load.click()
    assert "Score: 2 of 2" in fresh.score.value
    nothing = Quiz([fake(id="fake-elsewhere")])
    nothing.bar.file.value = path
    nothing.bar.load.click()
    assert "no saved answers for these questions" in nothing.bar.status.value


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


def test_a_save_never_erases_answers_saved_earlier(tmp_path):
    path = str(tmp_path / "p.json")
    first, after_restart, later = (Quiz([fake(), fake("numeric")]) for _ in range(3))
    give(first.questions[0], True)
    give(after_restart.questions[1], False)  # a fresh session that forgot to load first
    for box in (first, after_restart):
        box.bar.file.value = path
        box.bar.save.click()
    later.bar.file.value = path
    later.bar.load.click()
    assert later.questions[0].answer == 1 and later.questions[1].answer == "11.5"


def test_long_option_labels_are_allowed_to_wrap():
    box = Quiz([fake(), fake("multiple")])
    assert "hamfoot-wrap" in box.children[0].value  # the scoped style travels with the widget
    options = [box.questions[0].choices, *box.questions[1].controls]
    assert all("hamfoot-wrap" in o._dom_classes for o in options)
