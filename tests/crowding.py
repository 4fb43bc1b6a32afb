"""Crowded figure text: two texts painted on top of each other (a legend counts as one block of
text), or a text running off the canvas.

Why it watches the painting instead of walking a figure's artists: the widgets paint their fixed
text once into a background picture and then remove or hide those artists (a redraw is then
fast), so only what was painted says where that text is. A figure's first picture is therefore
its background when it has one, and its last picture is what the learner sees now: the texts of
the two together are the texts of the image. Layout passes (``draw_without_rendering``) paint
nothing and are not counted: with drawing switched off, the renderer carries its own no-op
``draw_text``.
"""

from __future__ import annotations

from contextlib import contextmanager
from itertools import combinations

TOLERANCE_PX = 2.0  # anti-aliasing and rounding: texts may touch by this much
DPI = 96  # the figures are shown at 96 dpi; distances are reported in those pixels


@contextmanager
def watching():
    """Record, for every figure painted inside the block, the texts of each picture of it."""
    from matplotlib.figure import Figure
    from matplotlib.legend import Legend
    from matplotlib.text import Text

    figure_draw, text_draw, legend_draw = Figure.draw, Text.draw, Legend.draw

    def watched_figure_draw(self, renderer):
        if "draw_text" not in vars(renderer):
            self._hf_pictures = [*getattr(self, "_hf_pictures", []), {}]
            self._hf_size_in = tuple(self.get_size_inches())
        return figure_draw(self, renderer)

    def record(artist, renderer, words: str, box, members=()):
        fig = artist.get_figure(root=True)
        pictures = getattr(fig, "_hf_pictures", None)
        if pictures and "draw_text" not in vars(renderer) and artist.get_visible():
            pictures[-1][artist] = (words, box.transformed(_scale(1 / fig.dpi)), set(members))

    def watched_text_draw(self, renderer):
        text_draw(self, renderer)
        if self.get_text().strip():  # the text alone, without an annotation's arrow
            record(self, renderer, self.get_text(), Text.get_window_extent(self, renderer))

    def watched_legend_draw(self, renderer):
        legend_draw(self, renderer)
        texts = [t for t in [*self.get_texts(), self.get_title()] if t.get_text().strip()]
        words = f"the legend ({texts[0].get_text()} …)" if texts else "the legend"
        record(self, renderer, words, self.get_window_extent(renderer), texts)

    for hook in (watched_text_draw, watched_legend_draw):
        hook._supports_rasterization = True  # as matplotlib marks the methods they wrap
    Figure.draw, Text.draw, Legend.draw = (
        watched_figure_draw,
        watched_text_draw,
        watched_legend_draw,
    )
    try:
        yield
    finally:
        Figure.draw, Text.draw, Legend.draw = figure_draw, text_draw, legend_draw


def _scale(k: float):
    from matplotlib.transforms import Affine2D

    return Affine2D().scale(k)


def crowding(fig, name: str = "figure", tolerance: float = TOLERANCE_PX) -> list[str]:
    """Every pair of overlapping texts and every text off the canvas in `fig`'s current image,
    in words. The figure must have been painted inside :func:`watching`."""
    pictures = getattr(fig, "_hf_pictures", None)
    if not pictures:
        raise ValueError(f"{name}: not painted while watching(); nothing to check")
    texts = {**pictures[0], **pictures[-1]}  # background picture, then what was painted last
    boxes = [(a, s, b.transformed(_scale(DPI)), m) for a, (s, b, m) in texts.items()]
    width, height = (v * DPI for v in fig._hf_size_in)
    problems = []
    for _, s, b, _ in boxes:
        off = {
            "left": -b.x0,
            "right": b.x1 - width,
            "bottom": -b.y0,
            "top": b.y1 - height,
        }
        for side, px in off.items():
            if px > tolerance:
                problems.append(f"{name}: {_quote(s)} runs {px:.0f} px off the {side} edge")
    for (a1, s1, b1, m1), (a2, s2, b2, m2) in combinations(boxes, 2):
        if a1 in m2 or a2 in m1:  # a legend's own entries
            continue
        w = min(b1.x1, b2.x1) - max(b1.x0, b2.x0)
        h = min(b1.y1, b2.y1) - max(b1.y0, b2.y0)
        if w > tolerance and h > tolerance:
            problems.append(f"{name}: {_quote(s1)} overlaps {_quote(s2)} by {w:.0f}×{h:.0f} px")
    return problems


def _quote(text: str) -> str:
    flat = " ".join(text.split())
    return repr(flat if len(flat) <= 50 else flat[:47] + "...")
