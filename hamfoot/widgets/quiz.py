"""Check-your-understanding quizzes drawn from data/quiz.yaml, with worded feedback and a score.

Why this design: each question is marked once, when the learner presses "Check answer"; the
answer is then locked and the feedback shows the explanation, the right answer and the reference.
A score that could be improved by re-checking after seeing the answer would measure nothing, so a
fresh attempt is a deliberate act: "Try again" clears every answer and the score. Numeric answers
are typed into a text box, not a number box: a number box always holds a number (0), so an
unanswered question would look answered and be marked. Answers can be saved to and loaded from a
file (hamfoot.progress), so a kernel restart does not lose them.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Sequence
from typing import Any

import ipywidgets as w

from hamfoot import content, progress
from hamfoot.progress import ProgressError
from hamfoot.widgets.common import FULL, WIDE, bullet_html, esc, feedback_html, note_html

__all__ = [
    "quiz",
    "Quiz",
    "Question",
    "mark",
    "display_order",
    "references_html",
    "progress_controls",
    "question_counts",
    "cited",
    "wrapping",
    "WRAP_STYLE",
]

# Shared, never-mutated layouts and styles: a 50-question quiz builds ~600 widgets, and one shared
# style/layout model per kind instead of one each makes building it about three times faster.
_HTML, _BUTTON, _CHECK = w.HTML().style, w.Button().style, w.Checkbox().style
_LABELLED, _PLAIN = w.RadioButtons(style=WIDE).style, w.Layout()
_CARD = w.Layout(border_bottom="1px solid #ccc", padding="0 0 0.5em 0")

# ipywidgets draws option labels on one fixed-height line: a long radio label overlaps the next
# option and a long checkbox label is cut off with "…". Answers are sentences, so option widgets
# carry this class and these rules let their labels wrap (scoped: nothing else on the page changes).
WRAP = "hamfoot-wrap"
WRAP_STYLE = (
    "<style>"
    + " ".join(
        line.strip()
        for line in """
  .hamfoot-wrap .widget-radio-box label, .hamfoot-wrap .jupyter-widget-radio-box label,
  .hamfoot-wrap label.widget-label-basic, .hamfoot-wrap label.jupyter-widget-label-basic {
    display: flex !important; align-items: flex-start; gap: 0.4em; height: auto !important;
    line-height: 1.35 !important; white-space: normal !important; overflow: visible !important;
    margin-bottom: 0.35em}
  .hamfoot-wrap label > span {white-space: normal !important; overflow: visible !important}
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


# ---------------------------------------------------------------- marking (no widgets)
def _number(text: Any) -> float | str:
    """The learner's typed number, or a sentence saying why it is not one."""
    raw = "" if text is None else str(text).strip()
    if not raw:
        return "Type a number first."
    try:
        value = float(raw.replace(",", ".") if raw.count(",") == 1 and "." not in raw else raw)
    except ValueError:
        return f"“{raw[:40]}” is not a number; type digits only, for example 12.5."
    return value if math.isfinite(value) else "Type an ordinary, finite number."


def _fmt(x: float) -> str:
    return f"{x:g}"


def mark(q, given: Any) -> tuple[bool | None, str]:
    """Mark one answer: (correct, a sentence on the right answer); None = nothing to mark yet.

    `given` is an option index (single), a list of option indices (multiple) or typed text or a
    number (numeric). Never raises for any learner input.
    """
    if q.type == "numeric":
        value = _number(given)
        if isinstance(value, str):
            return None, value
        tol = float(q.tolerance or 0.0)
        ok = abs(value - q.answer) <= tol + 1e-9 * max(1.0, abs(q.answer), tol)
        span = (
            f" (anything from {_fmt(q.answer - tol)} to {_fmt(q.answer + tol)} counts)"
            if tol
            else ""
        )
        return ok, f"The answer is {_fmt(q.answer)}{span}; you typed {_fmt(value)}."
    ids = [o.id for o in q.options]  # answers are option ids; controls work by position
    right = {ids.index(a) for a in (q.answer if q.type == "multiple" else (q.answer,))}
    if q.type == "single":
        picked = set() if given is None else {given}
    else:
        picked = set(given or ())
    if not picked:
        return (
            None,
            "Choose one option first." if q.type == "single" else "Tick at least one option first.",
        )
    names = "; ".join(q.options[i].text for i in sorted(right))
    if q.type == "single":
        return picked == right, f"The answer: {names}."
    hits, extra = len(picked & right), len(picked - right)
    return picked == right, (
        f"The right options: {names}. You ticked {hits} of the {len(right)} "
        f"right option{'s' * (len(right) != 1)} and {extra} that "
        f"{'is' if extra == 1 else 'are'} not right."
    )


def display_order(key: str, n: int) -> list[int]:
    """A fixed, shuffled order of n options, seeded by the question or step id.

    Why: authors tend to list the right answer first; shown in file order, "always pick the first"
    would score well. The order is stable between sessions (no surprise on reload) and answers are
    stored as indices into the file's order, so saved progress does not depend on it.
    """
    order = list(range(n))
    random.Random(key).shuffle(order)
    return order


def references_html(ids: Sequence[str]) -> str:
    """Formatted, escaped references for feedback panels (shared with the case player)."""
    cites = [content.cite(r) for r in dict.fromkeys(ids)]
    if len(cites) == 1:
        return f"<p><small><strong>Reference:</strong> {esc(cites[0])}</small></p>"
    return f"<div><small><strong>References:</strong>{bullet_html(cites)}</small></div>"


# ---------------------------------------------------------------- save / load bar (shared)
def progress_controls(
    section: str, snapshot: Callable[[], dict], restore: Callable[[dict], str], what: str
) -> w.VBox:
    """A file-name box with Save and Load buttons; the result is reported in words in `.status`.

    `snapshot()` gives this widget's entries; `restore(entries)` validates ALL of them first and
    raises ProgressError before changing anything, then applies them and says what it did.
    """
    file = w.Text(
        value=progress.DEFAULT_FILE,
        description="Progress file",
        style=WIDE,
        tooltip="A file name; saved beside this notebook unless you give a folder",
    )
    save = w.Button(
        description="Save progress", tooltip=f"Save your {what} to the file named on the left"
    )
    load = w.Button(
        description="Load progress", tooltip=f"Replace your {what} with those saved in the file"
    )
    status = w.HTML()

    def on_save(_=None) -> None:
        try:
            entries = snapshot()
            path = progress.save(section, entries, file.value)
            n = len(entries)
            status.value = note_html(
                "Saved",
                f"your {what} ({n} item{'s' * (n != 1)}) to {path.resolve()}. "
                "Anything not started here keeps what was saved before.",
            )
        except ProgressError as e:
            status.value = note_html("Could not save", str(e))

    def on_load(_=None) -> None:
        try:
            status.value = note_html("Loaded", restore(progress.load(section, file.value)))
        except ProgressError as e:
            status.value = note_html("Could not load", str(e))

    save.on_click(on_save)
    load.on_click(on_load)
    box = w.VBox([w.HBox([file, save, load]), status])
    box.file, box.save, box.load, box.status = file, save, load, status
    return box


def is_index(i: Any, n: int) -> bool:
    """A saved option index that exists (JSON true/false are not indices)."""
    return isinstance(i, int) and not isinstance(i, bool) and 0 <= i < n


def require(ok: bool, message: str) -> None:
    """Refuse a saved entry that cannot be applied; restores check everything before applying."""
    if not ok:
        raise ProgressError(f"{message} Nothing was loaded; your current work is unchanged.")


# ---------------------------------------------------------------- widgets
class Question(w.VBox):
    """One question: prompt, answer control(s), a "Check answer" button and feedback in `.out`."""

    def __init__(self, record, number: int, total: int, on_marked: Callable[[], None]):
        self.record, self.result = record, None  # result: None until marked, then True/False
        self.order = display_order(record.id, len(record.options))
        prompt = w.HTML(
            f"<p><strong>Question {number} of {total}.</strong> {esc(record.prompt)}</p>",
            layout=FULL,
            style=_HTML,
        )
        if record.type == "single":
            self.choices = wrapping(
                w.RadioButtons(
                    options=[(record.options[i].text, i) for i in self.order],
                    value=None,
                    description="Your answer",
                    style=_LABELLED,
                    layout=FULL,
                )
            )
            self.controls = [self.choices]
            body = [self.choices]
        elif record.type == "multiple":
            self.controls = [
                wrapping(
                    w.Checkbox(
                        value=False,
                        description=record.options[i].text,
                        indent=False,
                        layout=FULL,
                        style=_CHECK,
                    )
                )
                for i in self.order
            ]
            body = [
                w.HTML("<p><em>Tick every option that applies.</em></p>", layout=FULL, style=_HTML),
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
        self.out = w.HTML(layout=FULL, style=_HTML)
        self._on_marked = on_marked
        self.check.on_click(lambda _: self.mark())
        super().__init__([prompt, *body, self.check, self.out], layout=_CARD)

    @property
    def answer(self) -> Any:
        """What the learner has entered: index, list of indices, or the typed text."""
        if self.record.type == "multiple":
            return sorted(i for i, box in zip(self.order, self.controls) if box.value)
        return self.choices.value

    @answer.setter
    def answer(self, value: Any) -> None:
        if self.record.type == "multiple":
            for i, box in zip(self.order, self.controls):
                box.value = i in (value or ())
        else:
            self.choices.value = (
                ("" if value is None else value) if self.record.type == "numeric" else value
            )

    def mark(self, notify: bool = True) -> bool | None:
        """Mark the current answer once; returns True/False, or None if nothing was entered."""
        if self.result is not None:
            return self.result
        correct, detail = mark(self.record, self.answer)
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
            self._on_marked()
        return correct

    def reset(self) -> None:
        self._lock(False)
        self.result, self.answer, self.out.value = None, None, ""

    def _lock(self, locked: bool) -> None:
        for control in (*self.controls, self.check):
            control.disabled = locked

    def saved(self) -> dict:
        return {"answer": self.answer, "checked": self.result is not None}

    def validate(self, entry: Any) -> tuple[Any, bool]:
        """A saved entry checked against this question; ProgressError if it cannot be applied."""
        q, where = self.record, f"The saved answer to question “{self.record.id}”"
        require(
            isinstance(entry, dict)
            and isinstance(entry.get("checked"), bool)
            and "answer" in entry,
            f"{where} is damaged (it needs an answer and a checked flag).",
        )
        answer, n = entry["answer"], len(q.options)
        if q.type == "single":
            require(
                answer is None or is_index(answer, n), f"{where} is not one of its {n} options."
            )
        elif q.type == "multiple":
            require(
                isinstance(answer, list)
                and all(is_index(i, n) for i in answer)
                and len(set(answer)) == len(answer),
                f"{where} is not a list of its {n} options.",
            )
        else:
            require(
                answer is None or isinstance(answer, str) and len(answer) <= 100,
                f"{where} is not typed text.",
            )
        require(
            not entry["checked"] or mark(q, answer)[0] is not None,
            f"{where} is marked as checked but has no answer.",
        )
        return answer, entry["checked"]


class Quiz(w.VBox):
    """A list of questions with a running score, "Try again", and Save/Load of the answers."""

    def __init__(self, records: Sequence, empty_message: str = "There are no questions here yet."):
        n = len(records)
        self.questions = [Question(r, i, n, self._update) for i, r in enumerate(records, 1)]
        self.by_id = {q.record.id: q for q in self.questions}
        self.score = w.HTML()
        self.retry = w.Button(description="Try again", tooltip="Clear every answer and the score")
        self.retry.on_click(lambda _: self.reset())
        self.bar = progress_controls("quiz", self.snapshot, self.restore, "quiz answers")
        self._update()
        body = self.questions or [w.HTML(note_html("No questions", empty_message))]
        super().__init__([w.HTML(WRAP_STYLE), *body, self.score, self.retry, self.bar])

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

    def reset(self) -> None:
        """Clear every answer, all feedback and the score."""
        for q in self.questions:
            q.reset()
        self._update()

    def snapshot(self) -> dict:
        """Answered questions only: a save after a restart must not erase answers saved earlier."""
        return {q.record.id: q.saved() for q in self.questions if q.answer not in (None, "", [])}

    def restore(self, saved: dict) -> str:
        """Apply saved answers to the questions shown here; all are validated before any is set."""
        plan = [(q, q.validate(saved[i])) for i, q in self.by_id.items() if i in saved]
        if not plan:
            return "The file has no saved answers for these questions; nothing changed."
        for q, (answer, checked) in plan:
            q.reset()
            q.answer = answer
            if checked:
                q.mark(notify=False)
        self._update()  # once, not once per restored answer
        return f"{len(plan)} saved answer{'s' * (len(plan) != 1)} restored."


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
