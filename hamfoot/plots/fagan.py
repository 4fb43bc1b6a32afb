"""Probability before and after a test result, as three labelled bars (a Fagan nomogram in bars).

Why bars, not the nomogram's three log scales: learners read "30% → 100%" from bar lengths at a
glance, and an infinite likelihood ratio (specificity 100%) has no place on a log axis.
"""

from __future__ import annotations

from hamfoot.plots import style
from hamfoot.plots.style import HATCHES, canvas_html, freeze_layout, series

ROWS = ("Before the test", "After a positive result", "After a negative result")
# On the projector the row names take two lines, leaving room for the bars' 15 pt values.
PROJECTOR_ROWS = ("Before\nthe test", "After a positive\nresult", "After a negative\nresult")
STATIC_DPI = 96  # figure_html's resolution: the cached axes match it pixel for pixel


def pct(p: float) -> str:
    """A probability in words-friendly percent: whole numbers at the ends, one decimal otherwise."""
    if p >= 1:
        return "100%"
    if p <= 0:
        return "0%"
    v = 100 * p
    if v < 0.1:
        return "less than 0.1%"
    if v >= 99.95:
        return "more than 99.9%"
    return f"{v:.1f}".rstrip("0").rstrip(".") + "%"


class ProbabilityBars:
    """Built once; `update()` changes bar lengths, value labels and which bar is marked.

    A value with "◀ your result" that would run past the figure's edge (a bar near 100%) puts
    the marker on a second line.
    """

    def __init__(self):
        from hamfoot.plots import projector

        big = projector.active()
        # style.new_figure, looked up now: projector mode swaps it (hamfoot.plots.projector)
        self.fig, ax = style.new_figure(*((6.5, 3.0) if big else (5.8, 2.3)))
        self.ax = ax
        self.bars = ax.barh(range(3), [0, 0, 0], height=0.6, edgecolor="black", linewidth=1)
        for i, bar in enumerate(self.bars):
            bar.set_facecolor(series(i)["color"])
            bar.set_hatch(HATCHES[i])
        ax.set_yticks(range(3), PROJECTOR_ROWS if big else ROWS)
        ax.invert_yaxis()
        ax.set_xlim(0, 185 if big else 160)  # room right of the bars for the values
        ax.set_xticks(range(0, 101, 20))
        ax.set_xlabel("Probability of the condition (%)")
        ax.grid(axis="y", visible=False)
        self.values = [ax.text(0, i, "", va="center", fontsize=8.5) for i in range(3)]
        for label in self.values:  # placed by update(), not wrapped at the figure's edge
            label.set_wrap(False)
        self.state = (0.0, 0.0, 0.0, "positive")
        freeze_layout(self.fig)
        self._cache_axes()
        self.update(0.3, 0.5, 0.1, "positive")

    def _cache_axes(self) -> None:
        """Keep the axes, ticks and labels as a picture behind the bars: they never change, and
        their text is most of a frame's cost, so redraws stay well inside 100 ms."""
        import io

        import numpy as np

        buf = io.BytesIO()
        self.fig.savefig(buf, format="rgba", dpi=STATIC_DPI)
        height = int(self.fig.get_size_inches()[1] * STATIC_DPI)
        picture = np.frombuffer(buf.getvalue(), np.uint8).reshape(height, -1, 4)
        self.ax.axis("off")
        self.ax.patch.set_visible(False)
        back = self.fig.add_axes((0, 0, 1, 1), zorder=-1)
        back.imshow(picture, aspect="auto", interpolation="nearest")
        back.axis("off")

    def update(self, pre: float, post_positive: float, post_negative: float, chosen: str) -> None:
        """Set the three probabilities (0-1); `chosen` ('positive'/'negative') gets a thick edge
        and the words 'your result'."""
        probs = (pre, post_positive, post_negative)
        for i, (bar, p, label) in enumerate(zip(self.bars, probs, self.values)):
            bar.set_width(100 * p)
            mine = (i == 1 and chosen == "positive") or (i == 2 and chosen == "negative")
            bar.set_linewidth(2.5 if mine else 1)
            label.set_x(100 * p + 1.5)
            label.set_text(pct(p) + ("  ◀ your result" if mine else ""))
            label.set_fontweight("bold" if mine else "normal")
            if mine and label.get_window_extent().x1 > self.fig.bbox.x1:
                label.set_text(pct(p) + "\n◀ your result")
        self.state = (pre, post_positive, post_negative, chosen)

    def alt(self) -> str:
        pre, pos, neg, chosen = self.state
        return (
            f"Horizontal bar chart of the probability of the condition: {pct(pre)} before the "
            f"test, {pct(pos)} after a positive result and {pct(neg)} after a negative result; "
            f"the {chosen} result is marked with a thick outline and the words 'your result'."
        )

    def summary(self) -> str:
        pre, pos, neg, chosen = self.state
        after = pos if chosen == "positive" else neg
        return (
            f"A {chosen} result moves the probability from {pct(pre)} to {pct(after)} "
            f"(the other result would give {pct(neg if chosen == 'positive' else pos)})."
        )

    def html(self) -> str:
        return canvas_html(self.fig, self.alt(), self.summary(), STATIC_DPI)
