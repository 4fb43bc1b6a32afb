"""Small pieces every lesson widget shares: labelled controls, worded feedback, safe HTML, and
the outer box that keeps the keyboard away from JupyterLab's notebook shortcuts.

Why: every control needs a visible label and keyboard use, feedback must be in words (never
colour alone), and text from content files must be escaped before it becomes HTML.
"""

from __future__ import annotations

import html
import math
from collections.abc import Iterable

import anywidget
import ipywidgets as w
import traitlets
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


# ---------------------------------------------------------------- keyboard
# Keep key presses inside a lesson widget away from JupyterLab's notebook shortcuts.
#
# Why: in command mode JupyterLab turns plain keys into notebook edits (ArrowDown moves to another
# cell, "m" makes the cell Markdown, "r" Raw, "dd" deletes it, Enter/Space act on the cell). The
# ipywidgets front end stops key events only in its text and number boxes; radio buttons,
# dropdowns, sliders, checkboxes and buttons let them bubble up to JupyterLab's shortcut handler.
# That handler (Lumino's command registry) ignores any key event whose target sits inside an
# element carrying ``data-lm-suppress-shortcuts``, counted from the key's target (the focused
# control) upwards, so the control itself must carry it. ipywidgets cannot set an HTML attribute
# from Python (``_dom_classes`` and ``layout`` only set classes and CSS), so a tiny invisible
# anywidget view, placed inside each lesson widget, sets the attribute on the box that holds it
# and on every control inside that box as it gains focus. The script
# travels inside the widget's own state: it works offline and needs no extra JupyterLab extension
# beyond anywidget's, installed by pip.
#
# Escape is the way back out: it moves focus to the widget's notebook cell (JupyterLab's command
# mode), as Escape leaves a cell's editor. Tab and Shift+Tab move between controls as usual.

SUPPRESS = "data-lm-suppress-shortcuts"

_ESM = """
const SUPPRESS = "__SUPPRESS__";

function protect(host) {
  if (host.dataset.hamfootKeyboard === "guarded") return;
  host.setAttribute(SUPPRESS, "true");
  host.dataset.hamfootKeyboard = "guarded";
  // JupyterLab's command-mode shortcuts match the focused element itself (":focus"), and
  // Lumino checks for the attribute only from the key's target upwards: the focused control
  // must carry it too. Focus comes before any key, so mark each control as it gains focus.
  host.addEventListener("focusin", (event) => event.target.setAttribute(SUPPRESS, "true"));
  host.addEventListener("keydown", (event) => {
    if (event.key !== "Escape" || event.defaultPrevented) return;
    const cell = host.closest(".jp-Cell");
    if (cell) { event.preventDefault(); cell.focus(); }
  });
}

function render({ el }) {
  el.style.display = "none";
  el.setAttribute("aria-hidden", "true");
  let frames = 0;
  const attach = () => {
    if (el.parentElement) protect(el.parentElement);
    else if (frames++ < 600) requestAnimationFrame(attach);
  };
  attach();
}

export default { render };
""".replace("__SUPPRESS__", SUPPRESS)


class KeyGuard(anywidget.AnyWidget):
    """Invisible: marks its parent box so JupyterLab's shortcuts skip keys pressed inside it."""

    _esm = traitlets.Unicode(_ESM).tag(sync=True)


class KeyboardSafeBox(w.VBox):
    """The outer box of every lesson widget: keys pressed inside it never reach JupyterLab.

    It always holds one invisible `KeyGuard` as its last child (kept there when `children` is
    reassigned), which tells JupyterLab's shortcut handler to skip key events from inside the
    box (see the keyboard notes above `KeyGuard`: radios, dropdowns, sliders, checkboxes and
    buttons need it; ipywidgets guards only its text and number boxes).
    """

    @validate("children")
    def _keep_guard(self, proposal):
        children = tuple(c for c in proposal["value"] if not isinstance(c, KeyGuard))
        guard = getattr(self, "_guard", None) or KeyGuard()
        self._guard = guard
        return (*children, guard)


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
