"""Check-your-understanding quizzes drawn from data/quiz.yaml, with worded feedback and a score.

Why this design: each question is marked once, when the learner presses "Check answer"; the
answer is then locked and the feedback shows the explanation, the right answer and the reference.
A score that could be improved by re-checking after seeing the answer would measure nothing, so a
fresh attempt is a deliberate act: "Try again" clears every answer and the score. Options are shown
in data order, lettered A, B, C ... (a class can vote "B"). Numeric answers are typed into a text
box, not a number box: a number box always holds a number (0), so an unanswered question would
look answered and be marked. Every marked answer is saved at once in the course-wide store
(hamfoot.progress), and a question built again (a lesson re-run) shows its stored answer.
Marking itself lives in hamfoot.quiz.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from typing import Any

import ipywidgets as w

from hamfoot import content, progress
from hamfoot import quiz as marking
from hamfoot.widgets.common import (
    WIDE,
    KeyboardSafeBox,
    bullet_html,
    esc,
    feedback_html,
    note_html,
)
from hamfoot.widgets.progress_bar import forget_answers, progress_controls, save_answer

__all__ = [
    "quiz",
    "Quiz",
    "Question",
    "references_html",
    "question_counts",
    "cited",
    "wrapping",
    "WRAP_STYLE",
    "FILL",
]

# Shared, never-mutated layouts and styles: a 50-question quiz builds ~600 widgets, and one shared
# style/layout model per kind instead of one each makes building it about three times faster.
_HTML, _BUTTON, _CHECK = w.HTML().style, w.Button().style, w.Checkbox().style
_LABELLED, _PLAIN = w.RadioButtons(style=WIDE).style, w.Layout()
# "auto", not "100%": ipywidgets adds a margin to each control, so 100% plus the margin is wider
# than the card and puts a horizontal scrollbar under every question.
FILL = w.Layout(width="auto")
_CARD = w.Layout(border_bottom="1px solid #ccc", padding="0 0 0.5em 0", overflow="visible")

# ipywidgets draws option labels on one fixed-height line: a long radio label overlaps the next
# option and a long checkbox label is cut off with "…". Answers are sentences, so option widgets
# carry this class and these rules let their labels wrap and the control shrink to its card
# (scoped: nothing else on the page changes).
WRAP = "hamfoot-wrap"
WRAP_STYLE = (
    "<style>"
    + " ".join(
        line.strip()
        for line in """
  .hamfoot-wrap {max-width: 100%; min-width: 0; box-sizing: border-box}
  .hamfoot-wrap .widget-radio-box, .hamfoot-wrap .jupyter-widget-radio-box {
    flex: 1 1 auto; min-width: 0}
  .hamfoot-wrap .widget-radio-box label, .hamfoot-wrap .jupyter-widget-radio-box label,
  .hamfoot-wrap label.widget-label-basic, .hamfoot-wrap label.jupyter-widget-label-basic {
    display: flex !important; align-items: flex-start; gap: 0.4em; height: auto !important;
    line-height: 1.35 !important; white-space: normal !important; overflow: visible !important;
    text-overflow: clip !important; margin-bottom: 0.35em; min-width: 0}
  .hamfoot-wrap label > span {white-space: normal !important; overflow: visible !important;
    overflow-wrap: anywhere}
  .hamfoot-wrap label > input {flex: none; float: none !important; margin-top: 0.15em !important}
  .hamfoot-wrap .widget-radio-box label, .hamfoot-wrap .jupyter-widget-radio-box label {
    flex-direction: row-reverse; justify-content: flex-end}
  .hamfoot-wrap.widget-checkbox, .hamfoot-wrap.jupyter-widget-checkbox {height: auto !important}
""".splitlines()
    )
    + "</style>"
)


def wrapping(widget: w.DOMWidget) -> w.DOMWidget:
    """Let an option widget's labels wrap (WRAP_STYLE must be shown in the same container)."""
    widget.add_class(WRAP)
    return widget


def references_html(ids: Sequence[str]) -> str:
    """Formatted, escaped references for feedback panels (shared with the case player)."""
    cites = [content.cite(r) for r in dict.fromkeys(ids)]
    if len(cites) == 1:
        return f"<p><small><strong>Reference:</strong> {esc(cites[0])}</small></p>"
    return f"<div><small><strong>References:</strong>{bullet_html(cites)}</small></div>"


# ---------------------------------------------------------------- widgets
class Question(w.VBox):
    """One question: prompt, lettered options, a "Check answer" button and feedback in `.out`."""

    def __init__(self, record, number: int, total: int, on_marked: Callable[[Question], None]):
        self.record, self.result = record, None  # result: None until marked, then True/False
        prompt = w.HTML(
            f"<p><strong>Question {number} of {total}.</strong> {esc(record.prompt)}</p>",
            layout=FILL,
            style=_HTML,
        )
        options = [(marking.lettered(i, o.text), o.id) for i, o in enumerate(record.options)]
        if record.type == "single":
            self.choices = wrapping(
                w.RadioButtons(
                    options=options,
                    value=None,
                    description="Your answer",
                    style=_LABELLED,
                    layout=FILL,
                )
            )
            self.controls = [self.choices]
            body = [self.choices]
        elif record.type == "multiple":
            self.controls = [
                wrapping(
                    w.Checkbox(
                        value=False, description=label, indent=False, layout=FILL, style=_CHECK
                    )
                )
                for label, _ in options
            ]
            body = [
                w.HTML("<p><em>Tick every option that applies.</em></p>", layout=FILL, style=_HTML),
                *self.controls,
            ]
        else:
            self.choices = w.Text(
                value="",
                placeholder="a number",
                description="Your answer (a number)",
                style=WIDE,
                layout=_PLAIN,
            )
            self.controls = [self.choices]
            body = [self.choices]
        self.check = w.Button(
            description="Check answer",
            tooltip=f"Mark your answer to question {number}",
            layout=_PLAIN,
            style=_BUTTON,
        )
        self.out = w.HTML(layout=FILL, style=_HTML)
        self._on_marked = on_marked
        self.check.on_click(lambda _: self.mark())
        super().__init__([prompt, *body, self.check, self.out], layout=_CARD)

    @property
    def answer(self) -> Any:
        """What the learner has entered: an option id, a list of option ids, or the typed text."""
        if self.record.type == "multiple":
            return [o.id for o, box in zip(self.record.options, self.controls) if box.value]
        return self.choices.value

    @answer.setter
    def answer(self, value: Any) -> None:
        if self.record.type == "multiple":
            for o, box in zip(self.record.options, self.controls):
                box.value = o.id in (value or ())
        elif self.record.type == "numeric":
            number = isinstance(value, (int, float)) and not isinstance(value, bool)
            self.choices.value = marking.fmt(value) if number else ("" if value is None else value)
        else:
            self.choices.value = value

    def mark(self, notify: bool = True) -> bool | None:
        """Mark the current answer once; returns True/False, or None if nothing was entered."""
        if self.result is not None:
            return self.result
        correct, detail = marking.mark(self.record, self.answer)
        if correct is None:
            self.out.value = note_html("Not marked yet", detail)
            return None
        self.result = correct
        self.out.value = (
            feedback_html(correct, self.record.explanation)
            + f"<p>{esc(detail)}</p>"
            + references_html(self.record.references)
        )
        self._lock(True)
        if notify:
            self._on_marked(self)
        return correct

    def show_saved(self, chosen: Any) -> bool:
        """Show a stored answer, marked, if it still fits this question; True if shown."""
        value = marking.usable(self.record, chosen)
        if value is None:
            return False
        self.reset()
        self.answer = value
        return self.mark(notify=False) is not None

    def reset(self) -> None:
        self._lock(False)
        self.result, self.answer, self.out.value = None, None, ""

    def _lock(self, locked: bool) -> None:
        for control in (*self.controls, self.check):
            control.disabled = locked


class Quiz(KeyboardSafeBox):
    """Questions with a running score at the top, saved answers shown again, and "Try again"."""

    def __init__(self, records: Sequence, empty_message: str = "There are no questions here yet."):
        n = len(records)
        self.questions = [Question(r, i, n, self._marked) for i, r in enumerate(records, 1)]
        self.by_id = {q.record.id: q for q in self.questions}
        self.score, self.score_end = w.HTML(layout=FILL), w.HTML(layout=FILL)
        self.saved = w.HTML(layout=FILL)
        self.retry = w.Button(
            description="Try again",
            tooltip="Clear every answer here, the score and their saved copies",
            layout=w.Layout(width="auto"),
        )
        self.retry.on_click(lambda _: self.reset())
        self.bar = progress_controls(self.reapply, "answers")
        self.reapply()
        body = self.questions or [w.HTML(note_html("No questions", empty_message))]
        super().__init__(
            [
                w.HTML(WRAP_STYLE),
                self.score,
                self.saved,
                *body,
                self.score_end,
                self.retry,
                self.bar,
            ]
        )

    def _marked(self, question: Question) -> None:
        q = question.record
        chosen = marking.chosen_of(q, question.answer)
        save_answer(self.saved, q.id, "quiz", q.lesson, chosen, bool(question.result))
        self._update()

    def _update(self) -> None:
        marked = [q.result for q in self.questions if q.result is not None]
        left, n = len(self.questions) - len(marked), len(self.questions)
        text = (
            f"<strong>Score: {sum(marked)} of {len(marked)} answered correctly</strong> · {left} of "
            f"{n} question{'s' * (n != 1)} still to answer."
        )
        lessons = {}
        for q in self.questions:
            lessons.setdefault(q.record.lesson, []).append(q.result)
        if len(lessons) > 1 and marked:  # the course quiz: where to go back to
            text += "<br>By lesson: " + " · ".join(
                f"{esc(k)}: {sum(r for r in v if r)} of {sum(r is not None for r in v)}"
                for k, v in sorted(lessons.items())
                if any(r is not None for r in v)
            )
        self.score.value = f'<p role="status">{text}</p>'
        self.score_end.value = f"<p>{text}</p>"

    def reapply(self) -> str:
        """Show every stored answer that still fits its question; says how many were shown."""
        stored = progress.answers()
        shown = 0
        for qid, q in self.by_id.items():
            entry = stored.get(qid)
            if entry and entry["kind"] == "quiz":
                shown += q.show_saved(entry["chosen"])
        self._update()  # once, not once per restored answer
        return f"{shown} saved answer{'s' * (shown != 1)} shown here."

    def reset(self) -> None:
        """Clear every answer, all feedback and the score, and forget their saved copies."""
        for q in self.questions:
            q.reset()
        forget_answers(self.saved, list(self.by_id))
        self._update()


def quiz(
    lesson: str | None = None, ids: Sequence[str] | None = None, shuffle: bool = False
) -> Quiz:
    """The quiz for one lesson ("03"), for chosen question ids, or (no arguments) for the course.

    `shuffle=True` presents the questions in a random order (saved answers follow the question
    ids, so they still load).
    """
    wanted = list(content.quiz(lesson=lesson)["id"])
    if ids is not None:
        unknown = [i for i in ids if i not in wanted]
        if unknown:
            raise ValueError(
                f"no quiz question {', '.join(map(repr, unknown))}"
                + (f" in lesson {lesson}" if lesson else "")
                + " in data/quiz.yaml"
            )
        wanted = list(dict.fromkeys(ids))
    if shuffle:
        random.shuffle(wanted)
    where = f"lesson {lesson}" if lesson else "this selection"
    return Quiz(
        [content.get("quiz", i) for i in wanted], f"There are no questions for {where} yet."
    )


def question_counts():
    """Questions per lesson and type, with lesson titles and a total row (a static table)."""
    import pandas as pd

    from hamfoot.schema import QUIZ_TYPES

    q, toc = content.quiz(), content.toc()
    table = pd.crosstab(q["lesson"], q["type"]).reindex(columns=list(QUIZ_TYPES), fill_value=0)
    table["total"] = table.sum(axis=1)
    table.insert(0, "lesson", toc.loc[table.index, "title"])
    table.loc["all"] = ["All lessons", *table[[*QUIZ_TYPES, "total"]].sum()]
    table.index.name, table.columns.name = None, None
    return table


def cited(lesson: str | None = None) -> list[str]:
    """Reference ids the questions of a lesson (or of the course) cite, in order of first use."""
    return list(
        dict.fromkeys(r for refs in content.quiz(lesson=lesson)["references"] for r in refs)
    )
