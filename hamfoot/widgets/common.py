"""Small pieces every lesson widget shares: labelled controls, worded feedback, safe HTML.

Why: every control needs a visible label and keyboard use, feedback must be in words (never
colour alone), and text from content files must be escaped before it becomes HTML.
"""

from __future__ import annotations

import html
import math
from collections.abc import Iterable

import ipywidgets as w
from traitlets import validate

WIDE = {"description_width": "initial"}
FULL = w.Layout(width="100%")


def esc(text: object) -> str:
    """HTML-escape any content text (a ``<script>`` in a content file shows as text)."""
    return html.escape("" if text is None else str(text))


def feedback_html(correct: bool, message: str) -> str:
    """Feedback in words first, with a symbol and colour only as extra cues."""
    word, mark, colour = ("Correct", "✔", "#009E73") if correct else ("Not quite", "✘", "#D55E00")
    return (
        f'<div role="status" style="border-left:4px solid {colour};padding:0.3em 0.6em">'
        f"<strong>{mark} {word}</strong> — {esc(message)}</div>"
    )


def note_html(title: str, body: str) -> str:
    """A neutral, worded panel (no colour meaning)."""
    return f'<div role="status" style="border-left:4px solid #0072B2;padding:0.3em 0.6em"><strong>{esc(title)}</strong> — {esc(body)}</div>'


def bullet_html(items: Iterable[str]) -> str:
    """Escaped bullet list."""
    return "<ul>" + "".join(f"<li>{esc(i)}</li>" for i in items) + "</ul>"


class _Finite:
    """Mixin: a typed NaN or infinity keeps the current value; anything else is clamped.

    ipywidgets' own validator clamps numbers but lets NaN through, and NaN never equals itself,
    so a linked slider and box would bounce it between them for ever ("Broken link").
    """

    @validate("value")
    def _validate_value(self, proposal):
        value = proposal["value"]
        if value is None or not math.isfinite(value):
            return self.value
        return min(max(value, self.min), self.max)


class FiniteSlider(_Finite, w.FloatSlider):
    """A float slider that never holds NaN or infinity."""


class FiniteBox(_Finite, w.BoundedFloatText):
    """A typed number box that never holds NaN or infinity."""


def slider_with_box(
    description: str, value: float, min: float, max: float, step: float = 1.0, unit: str = "°"
) -> tuple[FiniteSlider, FiniteBox, w.HBox]:
    """A slider paired with a typed number box (keyboard and screen-reader friendly).

    Both clamp to [min, max]; they are linked, so either drives the other.
    """
    slider = FiniteSlider(
        value=value,
        min=min,
        max=max,
        step=step,
        description=description,
        continuous_update=True,
        readout=True,
        readout_format=".0f",
        style=WIDE,
        layout=w.Layout(width="60%"),
    )
    box = FiniteBox(
        value=value,
        min=min,
        max=max,
        step=step,
        description=f"{description} (type a value, {unit})",
        style=WIDE,
        layout=w.Layout(width="40%"),
    )
    w.jslink((slider, "value"), (box, "value"))
    w.link((slider, "value"), (box, "value"))
    return slider, box, w.HBox([slider, box])
