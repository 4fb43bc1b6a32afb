"""What a printed page shows in place of a live widget: a static figure for a typical setting with
its "in words" text, the quiz as numbered questions, a case as its steps.

Why one module: the handouts and the offline decks (tools/handouts.py) share it, and the quiz and
case text comes from hamfoot.content (the same records the widgets use), so paper and screen
match: options lettered A, B, C in data order, as the class sees them on the projector.

Works with both option shapes of data/quiz.yaml: plain strings (answer = index) and mappings
`{id, text}` (answer = option id), see COMMON interface 1.
"""

from __future__ import annotations

import ast
import contextlib
import html
import io
import re
import string
from collections.abc import Iterable, Sequence

WIDGET_MIME = "application/vnd.jupyter.widget-view+json"
LETTERS = string.ascii_uppercase


def esc(text: object) -> str:
    return html.escape("" if text is None else str(text))


# ---------------------------------------------------------------- quiz
def _get(obj, name: str, default=None):
    return obj.get(name, default) if isinstance(obj, dict) else getattr(obj, name, default)


def options(question) -> list[tuple[str, str, str]]:
    """(letter, option id, text) in data order; a plain-string option's id is its index."""
    out = []
    for i, opt in enumerate(_get(question, "options", ()) or ()):
        if isinstance(opt, str):
            out.append((LETTERS[i], str(i), opt))
        else:
            out.append((LETTERS[i], str(_get(opt, "id")), str(_get(opt, "text"))))
    return out


def answer_ids(question) -> list[str]:
    """The right option ids (as strings), or [number] for a numeric question."""
    a = _get(question, "answer")
    if _get(question, "type") == "numeric":
        return [f"{a:g}" if isinstance(a, float) else str(a)]
    picks = list(a) if isinstance(a, (list, tuple)) else [a]
    return [str(p) for p in picks]


def answer_text(question) -> str:
    """The answer in words: "B — text" (single), "A, C — …" (multiple), "155 (± 0.5)" (numeric)."""
    if _get(question, "type") == "numeric":
        tol = _get(question, "tolerance")
        return answer_ids(question)[0] + (f" (± {tol:g})" if tol else "")
    wanted = answer_ids(question)
    chosen = [(letter, text) for letter, oid, text in options(question) if oid in wanted]
    return "; ".join(f"{letter} — {text}" for letter, text in chosen)


def question_html(question, number: int, educator: bool) -> str:
    kind = _get(question, "type")
    how = {
        "single": "Choose one.",
        "multiple": "Choose all that apply.",
        "numeric": "Write a number.",
    }.get(kind, "")
    parts = [
        f'<li class="hf-question" id="q-{esc(_get(question, "id"))}" value="{number}">',
        f'<p class="hf-prompt">{esc(_get(question, "prompt"))} <em>{how}</em></p>',
    ]
    if kind == "numeric":
        parts.append('<p class="hf-blank">Answer: ____________</p>')
    else:
        parts.append('<ol class="hf-options" type="A">')
        parts += [f"<li>{esc(text)}</li>" for _, _, text in options(question)]
        parts.append("</ol>")
    if educator:
        parts.append(
            f'<div class="hf-answer"><p><strong>Answer:</strong> {esc(answer_text(question))}</p>'
            f"<p>{esc(_get(question, 'explanation'))}</p>{_refs(_get(question, 'references', ()))}</div>"
        )
    parts.append("</li>")
    return "".join(parts)


def quiz_html(questions: Sequence, educator: bool) -> str:
    if not questions:
        return "<p>There are no questions for this lesson yet.</p>"
    items = "".join(question_html(q, i, educator) for i, q in enumerate(questions, 1))
    note = (
        "Answers with their explanations follow each question."
        if educator
        else "Answer on paper; the answers are in the educator edition and in the lesson's quiz."
    )
    return f'<section class="hf-quiz"><p class="hf-how">{note}</p><ol class="hf-questions">{items}</ol></section>'


def _refs(ids: Iterable[str]) -> str:
    ids = list(ids or ())
    if not ids:
        return ""
    from hamfoot import content

    items = "".join(f"<li>{esc(content.cite(i))}</li>" for i in ids)
    return f'<ul class="hf-refs">{items}</ul>'


# ---------------------------------------------------------------- cases
def case_html(case, educator: bool) -> str:
    parts = [
        f'<section class="hf-case" id="case-{esc(case.id)}"><h3>{esc(case.title)}</h3>',
        f'<p class="hf-vignette">{esc(case.vignette)}</p><ol class="hf-steps">',
    ]
    for step in case.steps:
        parts.append(f'<li class="hf-step"><p class="hf-prompt">{esc(step.prompt)}</p>')
        parts.append('<ol class="hf-options" type="A">')
        for choice in step.choices:
            mark = ' class="hf-correct"' if educator and choice.correct else ""
            parts.append(f"<li{mark}>{esc(choice.label)}")
            if educator:
                verdict = "Best choice." if choice.correct else "Not the best choice."
                parts.append(
                    f'<p class="hf-feedback"><strong>{verdict}</strong> {esc(choice.feedback)}</p>'
                )
            parts.append("</li>")
        parts.append("</ol></li>")
    parts.append("</ol>")
    if educator:
        parts.append(f'<div class="hf-answer"><p><strong>Outcome:</strong> {esc(case.outcome)}</p>')
        parts.append(_refs(case.references) + "</div>")
    parts.append("</section>")
    return "".join(parts)


# ---------------------------------------------------------------- other widgets: a static figure
CONTROL_TYPES = (
    "FloatSlider",
    "IntSlider",
    "FloatText",
    "BoundedFloatText",
    "IntText",
    "BoundedIntText",
    "Dropdown",
    "ToggleButtons",
    "RadioButtons",
    "Checkbox",
    "SelectMultiple",
    "Select",
    "Text",
    "Combobox",
)


def _controls_and_html(widget, seen: set) -> tuple[list[str], list[str]]:
    """Settings (label = value) of the controls, and the HTML the widget shows, in tree order."""
    import ipywidgets as w

    settings, shown = [], []
    if id(widget) in seen:
        return settings, shown
    seen.add(id(widget))
    kinds = tuple(getattr(w, n) for n in CONTROL_TYPES if hasattr(w, n))
    if isinstance(widget, kinds) and not isinstance(widget, (w.Text, w.Combobox)):
        label = getattr(widget, "description", "") or widget.__class__.__name__
        value = getattr(widget, "label", None) or widget.value
        if isinstance(widget, (w.FloatText, w.BoundedFloatText, w.IntText, w.BoundedIntText)):
            return settings, shown  # the typed box repeats its slider
        if isinstance(value, (list, tuple)):
            value = ", ".join(map(str, value)) or "none"
        settings.append(f"{label}: {value}")
    elif isinstance(widget, w.HTML) and widget.value.strip():
        shown.append(widget.value)
    elif isinstance(widget, w.Image) and widget.value:
        import base64

        data = base64.b64encode(bytes(widget.value)).decode("ascii")
        shown.append(f'<img src="data:image/{widget.format};base64,{data}" alt="figure"/>')
    elif isinstance(widget, w.Output):
        for out in widget.outputs:
            data = out.get("data", {})
            if "text/html" in data:
                shown.append("".join(data["text/html"]))
            elif "text/plain" in data:
                shown.append(f"<pre>{esc(''.join(data['text/plain']))}</pre>")
    for child in getattr(widget, "children", ()) or ():
        s, h = _controls_and_html(child, seen)
        settings += s
        shown += h
    return settings, shown


def widget_html(widget, educator: bool) -> str:
    """A widget as paper: quiz -> questions, case player -> the case, else its default view."""
    from hamfoot import content

    name = type(widget).__name__
    if name == "Quiz":
        return quiz_html([q.record for q in widget.questions], educator)
    if name == "CasePlayer":
        return case_html(content.get("cases", widget.case.value), educator)
    settings, shown = _controls_and_html(widget, set())
    figures = [h for h in shown if "<img" in h or "<table" in h]
    words = [h for h in shown if h not in figures and re.search(r"\w", re.sub("<[^>]+>", "", h))]
    body = "".join(figures) or "".join(words[:2])
    rest = "".join(words[:3]) if figures else ""
    setting = (
        f'<p class="hf-setting"><strong>Shown for a typical setting:</strong> {esc("; ".join(settings))}.</p>'
        if settings
        else ""
    )
    return (
        f'<div class="hf-static-widget">{setting}{body}{rest}'
        '<p class="hf-widget-note"><em>Interactive in the lesson: change the settings there '
        "(<code>make start</code>) or on the live slides (<code>hamfoot present</code>).</em></p></div>"
    )


# ---------------------------------------------------------------- running the lesson's cells
class Runner:
    """Runs a lesson's code cells in order in this process (cells only call hamfoot), keeping the
    value of each cell's last expression, so widgets can be drawn in their default state."""

    def __init__(self):
        self.namespace: dict = {"__name__": "__hamfoot_handout__"}

    def run(self, source: str):
        tree = ast.parse(source)
        last = None
        if tree.body and isinstance(tree.body[-1], ast.Expr):
            last = ast.Expression(tree.body.pop().value)
        with contextlib.redirect_stdout(io.StringIO()):
            exec(compile(tree, "<lesson cell>", "exec"), self.namespace)
            if last is not None:
                return eval(compile(last, "<lesson cell>", "eval"), self.namespace)
        return None
