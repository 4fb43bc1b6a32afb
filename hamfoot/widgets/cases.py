"""Clinical cases played step by step: choose the next question, test or treatment, hear why.

Why only a correct choice advances: the steps of a case build on each other; each prompt assumes
the right question was asked and reports its answer. Letting a wrong choice advance would hand the
learner findings they never asked for and hide the reasoning the case teaches. A wrong choice is
not wasted: it gets its own reason, stays on record, and the score counts the steps got right
first time, so guessing through a case shows in the score instead of in a false sense of success.
Progress is kept per case (switching cases and back resumes), and every choice is saved at once
in the course-wide store (hamfoot.progress), so re-running the lesson resumes each case where it
was. Choices are shown in data order, lettered A, B, C ...; marking lives in hamfoot.quiz.
"""

from __future__ import annotations

from collections.abc import Sequence

import ipywidgets as w

from hamfoot import content, progress
from hamfoot import quiz as marking
from hamfoot.widgets.common import WIDE, KeyboardSafeBox, esc, feedback_html, note_html
from hamfoot.widgets.progress_bar import ROW, forget_answers, progress_controls, save_answer
from hamfoot.widgets.quiz import WRAP_STYLE, references_html, wrapping

__all__ = ["case_player", "CasePlayer", "case_lesson"]

NOT_A_DIAGNOSIS = (
    "This is teaching material, not a diagnosis: a real patient with these findings "
    "needs a clinician's assessment, and red flags mean handing over at once."
)


def case_lesson() -> str:
    """The lesson that plays the cases (the toc entry showing `cases`); saved with each step."""
    for number, shows in zip(content.toc().index, content.toc()["shows"]):
        if any(getattr(s, "kind", None) == "cases" for s in shows or ()):
            return str(number)
    return "08"


def _paras(text: str) -> str:
    return "".join(f"<p>{esc(p.strip())}</p>" for p in str(text).split("\n\n") if p.strip())


class CasePlayer(KeyboardSafeBox):
    """Case chooser, vignette, the current step's choices, feedback, and the outcome at the end."""

    def __init__(self, cases: Sequence, first: str | None = None):
        self.cases = {c.id: c for c in cases}
        self.lesson = case_lesson()
        self.tries: dict[str, list[list[str]]] = {i: [] for i in self.cases}  # choice ids per step
        self.case = w.Dropdown(
            options=[(c.title, c.id) for c in cases],
            description="Case",
            style=WIDE,
            value=first or next(iter(self.cases), None),
            layout=w.Layout(width="auto", min_width="0", flex="1 1 32em"),  # titles fit unwrapped
        )
        self.restart = w.Button(
            description="Restart case",
            tooltip="Start this case again from step 1",
            layout=w.Layout(width="auto", flex="0 0 auto"),
        )
        self.vignette, self.trail, self.progress, self.prompt = (
            w.HTML(),
            w.HTML(),
            w.HTML(),
            w.HTML(),
        )
        self.saved = w.HTML()
        # own layouts (not shared): they are hidden when the case is complete
        self.choices = wrapping(
            w.RadioButtons(
                options=[],
                value=None,
                description="Your choice",
                style=WIDE,
                layout=w.Layout(width="auto"),
            )
        )
        self.choose = w.Button(
            description="Choose", tooltip="Commit to the selected choice", layout=w.Layout()
        )
        self.feedback, self.outcome = w.HTML(), w.HTML()
        self.bar = progress_controls(self.reapply, "case progress")
        self.case.observe(lambda _: self.show(), names="value")
        self.restart.on_click(lambda _: self.restart_case())
        self.choose.on_click(lambda _: self.pick())
        body = (
            [
                self.vignette,
                self.trail,
                self.progress,
                self.prompt,
                self.choices,
                self.choose,
                self.feedback,
                self.outcome,
                self.saved,
            ]
            if self.cases
            else [w.HTML(note_html("No cases", "There are no clinical cases in the course yet."))]
        )
        super().__init__(
            [w.HTML(WRAP_STYLE), w.HBox([self.case, self.restart], layout=ROW), *body, self.bar]
        )
        self.reapply()

    @property
    def current(self):
        return self.cases.get(self.case.value)

    def show(self, feedback: str = "") -> None:
        """Render the chosen case at the step it has reached; `feedback` goes under the choices."""
        case = self.current
        if case is None:
            return
        tries, n = self.tries[case.id], len(case.steps)
        k = marking.solved_steps(case, tries)
        done = k >= n
        solved = [(s, next(c for c in s.choices if c.correct)) for s in case.steps[:k]]
        first = sum(marking.first_try_right(s, t) for s, t in zip(case.steps[:k], tries))
        self.vignette.value = f"<p><strong>{esc(case.title)}</strong></p>{_paras(case.vignette)}"
        items = "".join(
            f"<li>{esc(s.prompt)} — <strong>{esc(c.label)}</strong></li>" for s, c in solved
        )
        self.trail.value = (
            items and f"<p><strong>Your reasoning so far:</strong></p><ol>{items}</ol>"
        )
        where = "Case complete" if done else f"Step {k + 1} of {n}"
        self.progress.value = (
            f'<p role="status"><strong>{where}</strong> · right first time: '
            f"{first} of {k} step{'s' * (k != 1)} so far.</p>"
        )
        step = None if done else case.steps[k]
        self.prompt.value = (
            "" if done else f"<p><strong>Step {k + 1}.</strong> {esc(step.prompt)}</p>"
        )
        self.choices.options = (
            []
            if done
            else [(marking.lettered(i, c.label), c.id) for i, c in enumerate(step.choices)]
        )
        self.choices.value = None
        for control in (self.choices, self.choose):
            control.disabled = done
            control.layout.display = "none" if done else None
        self.feedback.value = feedback
        self.outcome.value = (
            ""
            if not done
            else (
                f"<p><strong>Outcome:</strong></p>{_paras(case.outcome)}"
                + references_html(case.references)
                + note_html("Remember", NOT_A_DIAGNOSIS)
            )
        )

    def pick(self) -> bool | None:
        """Commit the selected choice: feedback with its reason; a correct choice moves on."""
        case, chosen = self.current, self.choices.value
        if case is None:
            return None
        tries = self.tries[case.id]
        k = marking.solved_steps(case, tries)
        step = case.steps[k] if k < len(case.steps) else None
        choice = next((c for c in step.choices if c.id == chosen), None) if step else None
        if choice is None:
            self.feedback.value = note_html(
                "Nothing chosen", "Select one of the options, then press Choose."
            )
            return None
        tries.extend([] for _ in range(k + 1 - len(tries)))
        if chosen not in tries[k]:
            tries[k].append(chosen)
        tried, right = marking.step_entry(step, tries[k])
        save_answer(self.saved, f"{case.id}/{step.id}", "case", self.lesson, tried, right)
        letter = marking.letter([c.id for c in step.choices].index(choice.id))
        self.show(
            f"<p>Step {k + 1} — you chose {letter}: <strong>{esc(choice.label)}</strong></p>"
            + feedback_html(choice.correct, choice.feedback)
        )
        return choice.correct

    def restart_case(self) -> None:
        case = self.current
        if case is not None:
            self.tries[case.id] = []
            forget_answers(self.saved, [f"{case.id}/{s.id}" for s in case.steps])
            self.show(note_html("Restarted", "the case starts again from step 1."))

    def reapply(self) -> str:
        """Resume every case from the stored steps that still fit it; says how many resumed."""
        stored = progress.answers()
        resumed = 0
        for cid, case in self.cases.items():
            saved = {
                s.id: stored[f"{cid}/{s.id}"]["chosen"]
                for s in case.steps
                if stored.get(f"{cid}/{s.id}", {}).get("kind") == "case"
            }
            tries = marking.usable_tries(case, saved)
            if tries:
                self.tries[cid] = tries
                resumed += 1
        self.show()
        return f"{resumed} case{'s' * (resumed != 1)} resumed from saved progress."


def case_player(case_id: str | None = None) -> CasePlayer:
    """The clinical cases of data/cases.yaml, starting at `case_id` (default: the first case)."""
    ids = list(content.cases()["id"])
    if case_id is not None and case_id not in ids:
        raise ValueError(f"no case {case_id!r} in data/cases.yaml; choose from {', '.join(ids)}")
    return CasePlayer([content.get("cases", i) for i in ids], case_id)
