"""Small pieces every lesson widget shares: labelled controls, worded feedback, safe HTML, and
the outer box that keeps the keyboard away from JupyterLab's notebook shortcuts.

Why: every control needs a visible label and keyboard use, feedback must be in words (never
colour alone), and text from content files must be escaped before it becomes HTML.
"""

from __future__ import annotations

import html
import math
from collections.abc import Iterable
from decimal import Decimal

import anywidget
import ipywidgets as w
import traitlets
from traitlets import validate

WIDE = {"description_width": "initial"}
# The whole width of the enclosing box. "auto", not "100%": a stretched child fills the line
# inside its margins, while 100% plus ipywidgets' 2 px margins overflowed by 4 px (a stray
# horizontal scrollbar).
FULL = w.Layout(width="auto")


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
  // Capture phase: ipywidgets' text and number boxes stop key events from bubbling.
  host.addEventListener("keydown", (event) => {
    if (event.key !== "Escape" || event.defaultPrevented) return;
    const cell = host.closest(".jp-Cell");
    if (cell) { event.preventDefault(); cell.focus(); }
  }, true);
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


# ---------------------------------------------------------------- layout
# ipywidgets draws every label, button and option on one fixed-height line cut with "…", gives
# each inline control a fixed width, and lets a row of controls run off the right edge. These
# rules, scoped to the class every lesson widget's outer box carries, let text wrap, size buttons
# to their words, wrap rows onto the next line, and keep sliders long enough to use at tablet
# width. The guard below ships them (anywidget adds them to the page once): one stylesheet for
# every lesson widget, no script and no network.
SCOPE = "hamfoot-widget"
STYLE = """
.hamfoot-widget .widget-hbox { flex-wrap: wrap; column-gap: 0.5em; max-width: calc(100% - 4px); }
.hamfoot-widget .widget-label, .hamfoot-widget .widget-label-basic,
.hamfoot-widget .widget-radio-box label, .hamfoot-widget label > span {
  white-space: normal !important; overflow: visible !important; text-overflow: clip !important;
  height: auto !important; line-height: 1.35 !important; }
.hamfoot-widget .widget-inline-hbox .widget-label { max-width: 100%; }
.hamfoot-widget .widget-radio-box label, .hamfoot-widget label.widget-label-basic {
  display: flex !important; align-items: flex-start; gap: 0.4em; margin-bottom: 0.35em; }
.hamfoot-widget .widget-radio-box label { flex-direction: row-reverse; justify-content: flex-end; }
.hamfoot-widget label > input { flex: none; float: none !important; margin-top: 0.15em !important; }
.hamfoot-widget .widget-checkbox, .hamfoot-widget .widget-radio,
.hamfoot-widget .widget-radio-box { height: auto !important; max-width: 100%; }
.hamfoot-widget .widget-button, .hamfoot-widget .widget-toggle-button {
  width: auto !important; max-width: 100%; height: auto !important;
  min-height: var(--jp-widgets-inline-height, 28px); white-space: normal !important;
  overflow: visible !important; text-overflow: clip !important; line-height: 1.3; }
.hamfoot-widget .widget-toggle-buttons { flex-wrap: wrap; height: auto !important; max-width: 100%; }
.hamfoot-widget .widget-toggle-buttons .widget-toggle-button { margin-bottom: 2px; }
.hamfoot-widget .widget-dropdown { max-width: calc(100% - 4px); flex-wrap: wrap; height: auto; }
.hamfoot-widget .widget-dropdown > select { min-width: 0; max-width: 100%; flex: 1 1 12em; }
.hamfoot-widget .hamfoot-slider { flex: 1 1 24em; min-width: min(100%, 18em); max-width: 100%;
  flex-wrap: wrap; height: auto; row-gap: 2px; }
.hamfoot-widget .hamfoot-slider .slider-container { flex: 1 1 10em; min-width: 8em; }
.hamfoot-widget .hamfoot-number { flex: 0 1 auto; max-width: 100%; }
.hamfoot-widget .hamfoot-number input { width: 6em; flex: 0 0 6em; min-width: 6em; }
.hamfoot-widget .widget-html-content { max-width: 100%; overflow-wrap: anywhere; }
.hamfoot-widget .widget-html-content img { max-width: 100%; height: auto; }
.hamfoot-widget .widget-html-content table { display: block; max-width: 100%; overflow-x: auto; }
"""


class KeyGuard(anywidget.AnyWidget):
    """Invisible: marks its parent box so JupyterLab's shortcuts skip keys pressed inside it, and
    brings the lesson widgets' shared stylesheet."""

    _esm = traitlets.Unicode(_ESM).tag(sync=True)
    _css = traitlets.Unicode(STYLE).tag(sync=True)


class KeyboardSafeBox(w.VBox):
    """The outer box of every lesson widget: keys pressed inside it never reach JupyterLab.

    It always holds one invisible `KeyGuard` as its last child (kept there when `children` is
    reassigned), which tells JupyterLab's shortcut handler to skip key events from inside the
    box (see the keyboard notes above `KeyGuard`: radios, dropdowns, sliders, checkboxes and
    buttons need it; ipywidgets guards only its text and number boxes).
    """

    def __init__(self, children=(), **kwargs):
        super().__init__(children, **kwargs)
        self.add_class(SCOPE)

    @validate("children")
    def _keep_guard(self, proposal):
        children = tuple(c for c in proposal["value"] if not isinstance(c, KeyGuard))
        guard = getattr(self, "_guard", None) or KeyGuard()
        self._guard = guard
        return (*children, guard)


def tidy(value: float, step: float | None) -> float:
    """`value` without float noise: rounded to two decimals finer than the control's step, so a
    computed 20.000000000000004 shows as 20 on a 1° control while a typed 18.4 stays 18.4."""
    decimals = 2 + (max(0, -Decimal(str(step)).normalize().as_tuple().exponent) if step else 0)
    return round(value, decimals)


def step_format(step: float) -> str:
    """A readout format with as many decimals as the step has (0.5 cm shows 10.5, not 10)."""
    return f".{max(0, -Decimal(str(step)).normalize().as_tuple().exponent)}f"


def box_label(description: str, unit: str) -> str:
    """The typed box's label: the slider's name without its explanation, and the unit."""
    return f"{description.split(' (')[0]} ({unit.strip()})"


class _Finite:
    """Mixin: a typed NaN or infinity keeps the current value; anything else is clamped to the
    range and rounded just finer than the step (no float noise such as 20.000000000000004).

    ipywidgets' own validator clamps numbers but lets NaN through, and NaN never equals itself,
    so a linked slider and box would bounce it between them for ever ("Broken link").
    """

    @validate("value")
    def _validate_value(self, proposal):
        value = proposal["value"]
        if value is None or not math.isfinite(value):
            return self.value
        return tidy(min(max(value, self.min), self.max), self.step)


class FiniteSlider(_Finite, w.FloatSlider):
    """A float slider that never holds NaN or infinity."""


class FiniteBox(_Finite, w.BoundedFloatText):
    """A typed number box that never holds NaN or infinity."""


def slider_with_box(
    description: str, value: float, min: float, max: float, step: float = 1.0, unit: str = "°"
) -> tuple[FiniteSlider, FiniteBox, w.HBox]:
    """A slider paired with a typed number box (keyboard and screen-reader friendly).

    Both clamp to [min, max] and drop float noise; they are linked, so either drives the other. The
    row wraps: at tablet width the box moves under the slider instead of squeezing it.

    One link, in the kernel: the box follows the slider in the same round trip that redraws the
    figure. A second, page-side link (jslink) as well made two paths that could answer each
    other's stale values, so rapid keys on a busy machine could set the pair bouncing.
    """
    slider = FiniteSlider(
        value=value,
        min=min,
        max=max,
        step=step,
        description=description,
        continuous_update=True,
        readout=True,
        readout_format=step_format(step),
        style=WIDE,
        layout=w.Layout(width="auto"),
    )
    slider.add_class("hamfoot-slider")
    box = FiniteBox(
        value=value,
        min=min,
        max=max,
        step=step,
        description=box_label(description, unit),
        style=WIDE,
        layout=w.Layout(width="auto"),
    )
    box.add_class("hamfoot-number")
    w.link((slider, "value"), (box, "value"))
    return slider, box, w.HBox([slider, box], layout=w.Layout(width="auto"))
