"""Clinical cases played step by step: choose the next question, test or treatment, hear why.

Why only a correct choice advances: the steps of a case build on each other; each prompt assumes
the right question was asked and reports its answer. Letting a wrong choice advance would hand the
learner findings they never asked for and hide the reasoning the case teaches. A wrong choice is
not wasted: it gets its own reason, stays on record, and the score counts the steps got right
first time, so guessing through a case shows in the score instead of in a false sense of success.
Progress is kept per case (switching cases and back resumes), and can be saved to a file.
"""

from __future__ import annotations

from collections.abc import Sequence

import ipywidgets as w

from hamfoot import content
from hamfoot.widgets.common import WIDE, esc, feedback_html, note_html
from hamfoot.widgets.quiz import (
    WRAP_STYLE,
    display_order,
    is_index,
    progress_controls,
    references_html,
    require,
    wrapping,
)

__all__ = ["case_player", "CasePlayer", "solved_steps"]

NOT_A_DIAGNOSIS = (
    "This is teaching material, not a diagnosis: a real patient with these findings "
    "needs a clinician's assessment, and red flags mean handing over at once."
)


def solved_steps(case, tries: list[list[int]]) -> int:
    """How many steps, from the first, have been answered with a correct choice."""
    done = 0
    for step, tried in zip(case.steps, tries):
        if not any(step.choices[i].correct for i in tried):
            break
        done += 1
    return done


def _paras(text: str) -> str:
    return "".join(f"<p>{esc(p.strip())}</p>" for p in str(text).split("\n\n") if p.strip())


class CasePlayer(w.VBox):
    """Case chooser, vignette, the current step's choices, feedback, and the outcome at the end."""

    def __init__(self, cases: Sequence, first: str | None = None):
        self.cases = {c.id: c for c in cases}
        self.tries: dict[str, list[list[int]]] = {
            i: [] for i in self.cases
        }  # choices tried per step
        self.case = w.Dropdown(
            options=[(c.title, c.id) for c in cases],
            description="Case",
            style=WIDE,
            value=first or next(iter(self.cases), None),
            layout=w.Layout(width="70%"),
        )
        self.restart = w.Button(
            description="Restart case", tooltip="Start this case again from step 1"
        )
        self.vignette, self.trail, self.progress, self.prompt = (
            w.HTML(),
            w.HTML(),
            w.HTML(),
            w.HTML(),
        )
        # own layouts (not common.FULL): they are hidden when the case is complete
        self.choices = wrapping(
            w.RadioButtons(
                options=[],
                value=None,
                description="Your choice",
                style=WIDE,
                layout=w.Layout(width="100%"),
            )
        )
        self.choose = w.Button(
            description="Choose", tooltip="Commit to the selected choice", layout=w.Layout()
        )
        self.feedback, self.outcome = w.HTML(), w.HTML()
        self.bar = progress_controls("cases", self.snapshot, self.restore, "case progress")
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
            ]
            if self.cases
            else [w.HTML(note_html("No cases", "There are no clinical cases in the course yet."))]
        )
        super().__init__([w.HTML(WRAP_STYLE), w.HBox([self.case, self.restart]), *body, self.bar])
        self.show()

    @property
    def current(self):
        return self.cases.get(self.case.value)

    def show(self, feedback: str = "") -> None:
        """Render the chosen case at the step it has reached; `feedback` goes under the choices."""
        case = self.current
        if case is None:
            return
        tries, n = self.tries[case.id], len(case.steps)
        k = solved_steps(case, tries)
        done = k >= n
        solved = [
            (s, s.choices[next(i for i in tried if s.choices[i].correct)])
            for s, tried in zip(case.steps[:k], tries)
        ]
        first = sum(1 for s, tried in zip(case.steps[:k], tries) if s.choices[tried[0]].correct)
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
            else [
                (step.choices[i].label, i)
                for i in display_order(f"{case.id}/{k}", len(step.choices))
            ]
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
        case, index = self.current, self.choices.value
        if case is None:
            return None
        tries = self.tries[case.id]
        k = solved_steps(case, tries)
        if k >= len(case.steps) or index is None or not 0 <= index < len(case.steps[k].choices):
            self.feedback.value = note_html(
                "Nothing chosen", "Select one of the options, then press Choose."
            )
            return None
        tries.extend([] for _ in range(k + 1 - len(tries)))
        if index not in tries[k]:
            tries[k].append(index)
        choice = case.steps[k].choices[index]
        self.show(
            f"<p>Step {k + 1} — you chose: <strong>{esc(choice.label)}</strong></p>"
            + feedback_html(choice.correct, choice.feedback)
        )
        return choice.correct

    def restart_case(self) -> None:
        if self.current is not None:
            self.tries[self.current.id] = []
            self.show(note_html("Restarted", "the case starts again from step 1."))

    def snapshot(self) -> dict:
        """Started cases only: a save after a restart must not erase progress saved earlier."""
        return {i: {"tries": [list(t) for t in tries]} for i, tries in self.tries.items() if tries}

    def restore(self, saved: dict) -> str:
        """Apply saved progress to the cases shown here; all are validated before any is set."""
        plan = {}
        for cid, entry in saved.items():
            case = self.cases.get(cid)
            if case is None:
                continue
            where = f"The saved progress for case “{cid}”"
            tries = entry.get("tries") if isinstance(entry, dict) else None
            require(
                isinstance(tries, list) and len(tries) <= len(case.steps), f"{where} is damaged."
            )
            for step, tried in zip(case.steps, tries):
                require(
                    isinstance(tried, list)
                    and all(is_index(i, len(step.choices)) for i in tried)
                    and len(set(tried)) == len(tried),
                    f"{where} names a choice the case does not have.",
                )
            require(solved_steps(case, tries) >= len(tries) - 1, f"{where} skips a step.")
            plan[cid] = [list(t) for t in tries]
        if not plan:
            return "The file has no saved progress for these cases; nothing changed."
        self.tries.update(plan)
        self.show()
        return f"Progress restored for {len(plan)} case{'s' * (len(plan) != 1)}."


def case_player(case_id: str | None = None) -> CasePlayer:
    """The clinical cases of data/cases.yaml, starting at `case_id` (default: the first case)."""
    ids = list(content.cases()["id"])
    if case_id is not None and case_id not in ids:
        raise ValueError(f"no case {case_id!r} in data/cases.yaml; choose from {', '.join(ids)}")
    return CasePlayer([content.get("cases", i) for i in ids], case_id)
