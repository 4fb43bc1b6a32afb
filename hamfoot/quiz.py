"""Marking quiz answers and case steps: pure functions, no widgets, no files.

Why here and not in the widgets: the quiz, the case player, the saved-progress store and the
class report must agree on what counts as right, and a marking rule is easiest to check by hand
when it is a plain function. Answers are option ids (single: one id, multiple: a list of ids,
numeric: a typed number); options are shown in data order and lettered A, B, C ..., so a class
can vote "B" and a printed handout matches the screen. Nothing here raises for learner input.
"""

from __future__ import annotations

import math
import string
from collections.abc import Sequence
from typing import Any

__all__ = [
    "letter",
    "lettered",
    "parse_number",
    "fmt",
    "mark",
    "chosen_of",
    "usable",
    "solved_steps",
    "first_try_right",
    "step_entry",
    "usable_tries",
]


def letter(i: int) -> str:
    """The letter of the i-th option (0 -> A); past Z: AA, AB, ... (no question has that many)."""
    letters, i = "", int(i)
    while True:
        letters = string.ascii_uppercase[i % 26] + letters
        i = i // 26 - 1
        if i < 0:
            return letters


def lettered(i: int, text: str) -> str:
    """An option label as shown: "B. Calf force passed on through the Achilles tendon"."""
    return f"{letter(i)}. {text}"


def parse_number(text: Any) -> float | str:
    """The learner's typed number, or a sentence saying why it is not one."""
    if isinstance(text, (int, float)) and not isinstance(text, bool):
        raw = repr(text)
    else:
        raw = "" if text is None else str(text).strip()
    if not raw:
        return "Type a number first."
    try:
        value = float(raw.replace(",", ".") if raw.count(",") == 1 and "." not in raw else raw)
    except ValueError:
        return f"“{raw[:40]}” is not a number; type digits only, for example 12.5."
    return value if math.isfinite(value) else "Type an ordinary, finite number."


def fmt(x: float) -> str:
    return f"{x:g}"


def _names(q, ids) -> str:
    index = {o.id: i for i, o in enumerate(q.options)}
    return "; ".join(
        lettered(index[i], q.options[index[i]].text) for i in sorted(ids, key=index.get)
    )


def mark(q, given: Any) -> tuple[bool | None, str]:
    """Mark one answer: (correct, a sentence naming the right answer); None = nothing to mark.

    `given` is an option id (single), a list of option ids (multiple), or typed text or a number
    (numeric). Ids the question does not have are ignored.
    """
    if q.type == "numeric":
        value = parse_number(given)
        if isinstance(value, str):
            return None, value
        tol = float(q.tolerance or 0.0)
        ok = abs(value - q.answer) <= tol + 1e-9 * max(1.0, abs(q.answer), tol)
        span = (
            f" (anything from {fmt(q.answer - tol)} to {fmt(q.answer + tol)} counts)" if tol else ""
        )
        return ok, f"The answer is {fmt(q.answer)}{span}; you typed {fmt(value)}."
    ids = {o.id for o in q.options}
    right = set(q.answer) if q.type == "multiple" else {q.answer}
    if q.type == "single":
        picked = {given} & ids if isinstance(given, str) else set()
    else:
        picked = (
            {g for g in given if isinstance(g, str)} & ids
            if isinstance(given, (list, tuple))
            else set()
        )
    if not picked:
        return None, (
            "Choose one option first." if q.type == "single" else "Tick at least one option first."
        )
    if q.type == "single":
        return picked == right, f"The answer: {_names(q, right)}."
    hits, extra = len(picked & right), len(picked - right)
    return picked == right, (
        f"The right options: {_names(q, right)}. You ticked {hits} of the {len(right)} "
        f"right option{'s' * (len(right) != 1)} and {extra} that "
        f"{'is' if extra == 1 else 'are'} not right."
    )


def chosen_of(q, given: Any) -> list[str] | float | None:
    """What is saved for an answer: option ids in data order, or the typed number; None if empty."""
    if q.type == "numeric":
        value = parse_number(given)
        return None if isinstance(value, str) else value
    picks = [given] if isinstance(given, str) else list(given or ())
    out = [o.id for o in q.options if o.id in picks]
    return out or None


def usable(q, chosen: Any) -> Any:
    """A saved answer as the question can take it now, or None to drop it.

    Why per question: editing one question's options must not discard other answers, and an id
    that no longer exists must never tick a box it did not mean. Single: the id if it still
    exists. Multiple: dropped whole if any id is gone (a partial set would be a different answer).
    Numeric: any finite number.
    """
    if q.type == "numeric":
        ok = (
            isinstance(chosen, (int, float))
            and not isinstance(chosen, bool)
            and math.isfinite(chosen)
        )
        return float(chosen) if ok else None
    if not isinstance(chosen, list) or not chosen or not all(isinstance(c, str) for c in chosen):
        return None
    ids = [o.id for o in q.options]
    if any(c not in ids for c in chosen) or len(set(chosen)) != len(chosen):
        return None
    if q.type == "single":
        return chosen[0] if len(chosen) == 1 else None
    return [i for i in ids if i in chosen]


# ---------------------------------------------------------------- cases
def _correct(step, choice_id: str) -> bool:
    return any(c.id == choice_id and c.correct for c in step.choices)


def solved_steps(case, tries: Sequence[Sequence[str]]) -> int:
    """How many steps, from the first, have been answered with the correct choice."""
    done = 0
    for step, tried in zip(case.steps, tries):
        if not any(_correct(step, c) for c in tried):
            break
        done += 1
    return done


def first_try_right(step, tried: Sequence[str]) -> bool:
    """A step counts as right when the first choice committed was the correct one."""
    return bool(tried) and _correct(step, tried[0])


def step_entry(step, tried: Sequence[str]) -> tuple[list[str], bool]:
    """What is saved for a case step: choice ids in the order tried, and right first time."""
    return list(tried), first_try_right(step, tried)


def usable_tries(case, saved: dict[str, Any]) -> list[list[str]]:
    """Tries per step rebuilt from saved step entries, keyed by step id; stops at the first gap.

    A step whose saved choices name ids the step no longer has is dropped with every later step
    (later steps assume the earlier ones were solved).
    """
    tries = []
    for step in case.steps:
        chosen = saved.get(step.id)
        ids = {c.id for c in step.choices}
        if (
            not isinstance(chosen, list)
            or not chosen
            or not all(isinstance(c, str) and c in ids for c in chosen)
            or len(set(chosen)) != len(chosen)
        ):
            break
        tries.append(list(chosen))
        if not any(_correct(step, c) for c in chosen):
            break
    return tries
