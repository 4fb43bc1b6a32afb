"""Figures for a projector: larger default text, used by `hamfoot present` in its kernel.

Why a separate switch (and not a change to style.py): in JupyterLab at 100 % a student reads a
figure up close, while on a projector the back row needs larger type. The presenter kernel calls
:func:`use` once before the lesson runs (an IPython start-up file written by hamfoot.present), so
every figure made afterwards through :func:`hamfoot.plots.style.new_figure` gets the larger
defaults; the lesson notebooks and their stored outputs stay as they are.

Text sized explicitly in points by a plot (labels set with ``fontsize=``) is not changed here;
the slide theme scales figures up to the width it has, and tests/browser/test_slides.py measures
the smallest default text on screen.
"""

from __future__ import annotations

from . import style

# 16 pt at 96 dpi is 21.3 px at natural size, still 18 px when a slide shows the figure at 0.85x.
PROJECTOR_RC = {"font.size": 16}
DPI = 96  # hamfoot.plots.style.figure_png's resolution: 1 inch of figure = 96 px at natural size


def use() -> dict:
    """Switch new figures to the projector defaults; returns the previous values (for undo)."""
    previous = {k: style._RC.get(k) for k in PROJECTOR_RC}
    style._RC.update(PROJECTOR_RC)
    return previous


def undo(previous: dict) -> None:
    for k, v in previous.items():
        if v is None:
            style._RC.pop(k, None)
        else:
            style._RC[k] = v


def text_px(points: float, shown_width_px: float, natural_width_px: float) -> float:
    """On-screen height in CSS px of text of `points` in a PNG figure drawn at DPI and shown scaled."""
    return points * DPI / 72 * shown_width_px / natural_width_px
