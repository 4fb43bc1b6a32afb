"""Figures for a projector: every text in a figure large enough for the back row, used by
`hamfoot present` in its kernel.

Why a separate switch (and not a change to style.py or the plots): in JupyterLab at 100 % a
student reads a figure up close, while on a projector the back row needs larger type. The
presenter kernel calls :func:`use` once before the lesson runs (an IPython start-up file written
by hamfoot.present); from then on every font size matplotlib is given — the defaults AND the
sizes a plot sets itself with ``fontsize=`` — is scaled by :data:`SCALE` and raised to at least
:data:`MIN_PT`, long text wraps inside the figure instead of running off it, and a figure
taller or wider than a widget slide can show is drawn at that size (same shape) rather than
shrunk on screen. The lesson notebooks and their stored outputs stay as they are.

Larger text in a smaller figure crowds it, so each plot asks :func:`active` and, on the projector,
takes a layout of its own: fewer or shorter labels, legends beside or below the axes, long names
on two lines (tests/test_crowding.py checks that no text overlaps another or leaves the canvas).
Tick labels and legend entries are not wrapped: the layout makes room for them, and wrapping them
at their first, cramped position only folds them onto their neighbours.

So the slide test can measure it, each figure's HTML carries ``data-hf-text-px``: the height in
image pixels of the smallest text drawn in that figure (tests/browser/test_slides.py turns it
into on-screen pixels with the scale at which the slide shows the image).
"""

from __future__ import annotations

import weakref

from . import style

# 15 pt at 96 dpi is 20 px at natural size, still 18 px when a slide shows the figure at 0.9x.
SCALE = 1.5
MIN_PT = 15.0
# A widget slide at 1280x720 shows a figure at most ~330 px high: a taller figure is drawn at this
# height (same shape), so its text is not shrunk on screen below the size it was drawn at.
MAX_HEIGHT_IN = 3.4
# ... and beside its controls a figure gets ~630 px of width: a wider one is drawn at this width.
MAX_WIDTH_IN = 6.5
DPI = 96  # hamfoot.plots.style.figure_png's resolution: 1 inch of figure = 96 px at natural size

_state: dict = {}
_last_drawn: list = [None]  # weak reference to the figure whose text was drawn last


def projected(points: float) -> float:
    """The projector size of a text of `points` (what the back row needs)."""
    return max(points * SCALE, MIN_PT)


def active() -> bool:
    """True between :func:`use` and :func:`undo`: plots then lay themselves out for the projector."""
    return bool(_state)


def use() -> None:
    """Switch matplotlib to projector text (idempotent; :func:`undo` restores it)."""
    if _state:
        return
    from matplotlib.axis import Tick
    from matplotlib.font_manager import FontProperties
    from matplotlib.legend import Legend
    from matplotlib.text import Text

    set_size, text_init, text_draw, png_html, new_figure, wrapped = (
        FontProperties.set_size,
        Text.__init__,
        Text.draw,
        style.png_html,
        style.new_figure,
        Text._get_wrapped_text,
    )
    tick_init, legend_init = Tick.__init__, Legend.__init__

    def tick_unwrapped(self, *args, **kwargs):
        tick_init(self, *args, **kwargs)
        self.label1.set_wrap(False)
        self.label2.set_wrap(False)

    def legend_unwrapped(self, *args, **kwargs):
        legend_init(self, *args, **kwargs)
        for text in [*self.texts, self.get_title()]:
            text.set_wrap(False)

    def projector_wrapped(self):
        # Wrapping measures text with the figure's renderer; a text measured before there is
        # one (a legend entry, at layout time) keeps its lines as they are.
        try:
            return wrapped(self)
        except (TypeError, AttributeError):
            return self.get_text()

    def projector_new_figure(
        width: float = 6.4, height: float = 3.6, nrows: int = 1, ncols: int = 1
    ):
        k = min(1.0, MAX_HEIGHT_IN / height, MAX_WIDTH_IN / width)
        return new_figure(width * k, height * k, nrows, ncols)

    def projector_set_size(self, size):
        set_size(self, size)
        self._size = projected(self._size)

    def projector_init(self, *args, **kwargs):
        text_init(self, *args, **kwargs)
        self.set_wrap(True)

    def projector_draw(self, renderer):
        text_draw(self, renderer)
        fig = self.get_figure(root=True)
        if fig is None or not self.get_visible() or not self.get_text().strip():
            return
        px = renderer.points_to_pixels(self.get_fontsize())
        fig._hf_min_text_px = min(getattr(fig, "_hf_min_text_px", px), px)
        _last_drawn[0] = weakref.ref(fig)

    def projector_png_html(png: bytes, alt: str, summary: str) -> str:
        out = png_html(png, alt, summary)
        fig = _last_drawn[0]() if _last_drawn[0] else None
        px = getattr(fig, "_hf_min_text_px", None)
        if px is None:
            return out
        return out.replace(
            '<figure class="hamfoot-figure"',
            f'<figure class="hamfoot-figure" data-hf-text-px="{px:.2f}"',
            1,
        )

    projector_draw._supports_rasterization = True  # as matplotlib marks Text.draw
    FontProperties.set_size = projector_set_size
    Text.__init__ = projector_init
    Text.draw = projector_draw
    Text._get_wrapped_text = projector_wrapped
    Tick.__init__ = tick_unwrapped
    Legend.__init__ = legend_unwrapped
    style.png_html = projector_png_html
    style.new_figure = projector_new_figure
    _state.update(
        set_size=set_size,
        text_init=text_init,
        text_draw=text_draw,
        png_html=png_html,
        new_figure=new_figure,
        wrapped=wrapped,
        tick_init=tick_init,
        legend_init=legend_init,
    )


def undo() -> None:
    """Back to the student (JupyterLab) sizes."""
    if not _state:
        return
    from matplotlib.axis import Tick
    from matplotlib.font_manager import FontProperties
    from matplotlib.legend import Legend
    from matplotlib.text import Text

    FontProperties.set_size = _state["set_size"]
    Text.__init__ = _state["text_init"]
    Text.draw = _state["text_draw"]
    Text._get_wrapped_text = _state["wrapped"]
    Tick.__init__ = _state["tick_init"]
    Legend.__init__ = _state["legend_init"]
    style.png_html = _state["png_html"]
    style.new_figure = _state["new_figure"]
    _state.clear()


def text_px(image_px: float, shown_width_px: float, natural_width_px: float) -> float:
    """On-screen height in CSS px of text `image_px` high in a PNG shown scaled on the slide."""
    return image_px * shown_width_px / natural_width_px
