"""One look for every figure: a colour-blind-safe palette, redundant line styles and markers,
and figures delivered as accessible HTML (an ``<img>`` with alt text plus a visible text summary).

Why HTML and not a plain PNG output: JupyterLab renders a PNG output without alt text, and a
widget needs a value it can swap in place. One function serves both the static cells and the
widgets, so every figure in the course gets the same accessible treatment.
"""

from __future__ import annotations

import base64
import html
import io
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.figure import Figure

# Okabe & Ito (2008) colours, safe for the common colour-vision deficiencies.
OKABE_ITO = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky blue": "#56B4E9",
    "bluish green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish purple": "#CC79A7",
}
# Series are told apart by colour AND line style AND marker, never by colour alone.
SERIES = [
    {"color": OKABE_ITO["blue"], "linestyle": "-", "marker": "o"},
    {"color": OKABE_ITO["vermillion"], "linestyle": "--", "marker": "s"},
    {"color": OKABE_ITO["bluish green"], "linestyle": "-.", "marker": "^"},
    {"color": OKABE_ITO["reddish purple"], "linestyle": ":", "marker": "D"},
    {"color": OKABE_ITO["orange"], "linestyle": (0, (5, 1)), "marker": "v"},
    {"color": OKABE_ITO["sky blue"], "linestyle": (0, (3, 1, 1, 1)), "marker": "P"},
]
HATCHES = ["", "//", "..", "xx", "\\\\", "++"]

_RC = {
    "font.size": 10,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "svg.hashsalt": "hamfoot",
}


def series(i: int) -> dict:
    """Style keywords for the i-th data series (cycles through :data:`SERIES`)."""
    return dict(SERIES[i % len(SERIES)])


def new_figure(width: float = 6.4, height: float = 3.6, nrows: int = 1, ncols: int = 1):
    """A fresh Figure and its axes, styled, detached from pyplot so repeated calls leak nothing."""
    import matplotlib
    from matplotlib.figure import Figure

    with matplotlib.rc_context(_RC):
        fig = Figure(figsize=(width, height), layout="constrained")
        axes = fig.subplots(nrows, ncols)
    return fig, axes


def freeze_layout(fig: Figure) -> None:
    """Solve the constrained layout once, then keep those positions on every redraw.

    Constrained layout costs ~40 ms per draw; a widget that only swaps line data keeps the
    first layout and so answers a slider move well inside 100 ms.
    """
    fig.draw_without_rendering()
    fig.set_layout_engine(None)  # not "none": its placeholder engine makes savefig draw twice


def figure_png(fig: Figure, dpi: int = 96) -> bytes:
    """PNG bytes of a figure, with no timestamp or version metadata, so output is reproducible."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi, metadata={"Software": None})
    return buf.getvalue()


def fast_png(rgb) -> bytes:
    """Encode an (h, w, 3) uint8 image as PNG: no row filters, zlib level 1.

    Why not PIL or savefig: their adaptive filtering costs about 3x more, and on a busy 2-core
    machine that alone ate a third of a widget's 100 ms budget; a plot on white compresses well.
    """
    import struct
    import zlib

    import numpy as np

    h, w, _ = rgb.shape
    rows = np.empty((h, 1 + 3 * w), dtype=np.uint8)
    rows[:, 0] = 0  # filter type "none" for every row
    rows[:, 1:] = rgb.reshape(h, -1)

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0)  # 8-bit RGB, no interlace
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows.tobytes(), 1))
        + chunk(b"IEND", b"")
    )


def canvas_png(fig: Figure, dpi: int = 96) -> bytes:
    """A figure drawn on its own Agg canvas at `dpi` and encoded with :func:`fast_png`.

    Why for widgets: savefig sets up a fresh render and its PNG writer filters every row; for a
    figure whose static layer is a cached picture that was most of a slider step (lesson 07's
    timeline: ~150 ms of a step down to ~25 ms on this machine)."""
    import numpy as np
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    if not isinstance(fig.canvas, FigureCanvasAgg):
        FigureCanvasAgg(fig)
    if fig.dpi != dpi:
        fig.set_dpi(dpi)
    fig.canvas.draw()
    return fast_png(np.asarray(fig.canvas.buffer_rgba())[..., :3])


def canvas_html(fig: Figure, alt: str, summary: str, dpi: int = 96) -> str:
    """A widget's live figure as accessible HTML (see :func:`canvas_png`, :func:`png_html`)."""
    return png_html(canvas_png(fig, dpi), alt, summary)


def png_html(png: bytes, alt: str, summary: str) -> str:
    """PNG bytes as an accessible HTML fragment: image with alt text, summary as a caption."""
    data = base64.b64encode(png).decode("ascii")
    return (
        '<figure class="hamfoot-figure" style="margin:0">'
        f'<img src="data:image/png;base64,{data}" alt="{html.escape(alt, quote=True)}" '
        'style="max-width:100%;height:auto"/>'
        f"<figcaption><strong>In words:</strong> {html.escape(summary)}</figcaption></figure>"
    )


def figure_html(fig: Figure, alt: str, summary: str, dpi: int = 96) -> str:
    """A matplotlib figure as accessible HTML (see :func:`png_html`)."""
    return png_html(figure_png(fig, dpi), alt, summary)


class Chart:
    """A finished figure with its alt text and one-line summary.

    Shown as the last expression of a cell it renders as accessible HTML; its plain-text form is
    the summary, so text-only readers (and nbval) see the words, not an object address.
    """

    def __init__(self, fig: Figure, alt: str, summary: str):
        self.fig, self.alt, self.summary = fig, alt, summary

    def _repr_html_(self) -> str:
        return figure_html(self.fig, self.alt, self.summary)

    def __repr__(self) -> str:
        return f"Figure: {self.summary}"
