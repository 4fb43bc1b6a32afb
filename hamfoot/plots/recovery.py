"""Recovery figures: how long plantar heel pain lasts (cohort data) and where a week falls on the
care pathway, beside the article's six-week plan.

Why the timeline is drawn on a linear axis of weeks or years: the article's plan and the cohort data
differ by more than an order of magnitude, and a linear axis shows that gap as it is — six weeks is
a thin sliver at the left edge of a fifteen-year follow-up.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from hamfoot.plots.treatment import author_year
from hamfoot.plots.words import join_words

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from hamfoot.plots.style import Chart

WEEKS_PER_YEAR = 365.25 / 7
ARTICLE, EVIDENCE = "article-phase", "decision-point"
KIND_WORDS = {ARTICLE: "Article", EVIDENCE: "Evidence"}


def fmt(x: float) -> str:
    """Numbers as people write them: 6 not 6.0, 4.5 stays 4.5."""
    return f"{x:g}"


def plan_end(phases: Sequence) -> float | None:
    """The last week the article's timed plan covers (None when the plan has no timed phase)."""
    ends = [p.weeks_to for p in phases if p.kind == ARTICLE and p.weeks_to is not None]
    return max(ends) if ends else None


def timed(entries: Sequence, kind: str) -> list:
    """Entries of one kind that have a start week, in the order of their start."""
    return sorted(
        (e for e in entries if e.kind == kind and e.weeks_from is not None),
        key=lambda e: (e.weeks_from, e.weeks_to if e.weeks_to is not None else math.inf),
    )


def at_week(entries: Sequence, kind: str, week: float) -> list:
    """Entries of `kind` that apply at `week`.

    Each runs from weeks_from up to (not including) weeks_to, or with no end when weeks_to is
    empty; so week 4 belongs to "4-12", not to "0-4". When nothing runs on, a phase ending exactly
    at `week` still applies (week 6 is the last week of a "4-6" phase).
    """
    rows = timed(entries, kind)
    now = [e for e in rows if e.weeks_from <= week and (e.weeks_to is None or week < e.weeks_to)]
    return now or [e for e in rows if e.weeks_to == week]


def next_step(entries: Sequence, kind: str, week: float):
    """The next entry of `kind` to start after `week`, or None."""
    return next((e for e in timed(entries, kind) if e.weeks_from > week), None)


# ---------------------------------------------------------------- cohort chart
def cohort_chart(cohort: pd.DataFrame | None = None, plan: Sequence | None = None) -> Chart:
    """Share of a cohort still symptomatic at each follow-up, beside the end of the article's plan.

    `cohort` defaults to ``content.cohort()`` and `plan` to the recovery entries; the alt text and
    the summary are computed from them. On the projector the key goes under the axes (inside, at
    15 pt, it covered the values) and names the article's line, which then needs no note.
    """
    from hamfoot import content
    from hamfoot.plots import projector
    from hamfoot.plots.style import OKABE_ITO, Chart, new_figure, series

    big = projector.active()
    if cohort is None:
        cohort = content.cohort()
    if plan is None:
        plan = [content.get("recovery", i) for i in content.recovery()["id"]]
    cohort = cohort.sort_values("years")
    years = [float(y) for y in cohort["years"]]
    pct = [float(p) for p in cohort["still_symptomatic_pct"]]
    source = (
        join_words([author_year(r) for r in dict.fromkeys(cohort["reference"])]) or "the cohort"
    )
    end = plan_end(plan)

    fig, ax = new_figure(6.8, 3.4)
    ax.plot(
        years,
        pct,
        markersize=7,
        linewidth=2,
        label=f"{source}: estimated % still symptomatic",
        **series(0),
    )
    for x, y in zip(years, pct):
        ax.annotate(
            f"{y:.1f}%",
            (x, y),
            xytext=(0, 9),
            textcoords="offset points",
            ha="center",
            fontsize=9,
            fontweight="bold",
        )
    if end is not None:
        x_end = end / WEEKS_PER_YEAR
        ax.axvline(
            x_end,
            color=OKABE_ITO["vermillion"],
            linestyle=(0, (1, 2)),
            linewidth=2.5,
            label=f"Article: marked improvement expected by week {fmt(end)}",
        )
    if end is not None and not big:
        # A line and a worded arrow, not a point: the article gives no percentage to plot.
        ax.annotate(
            f"Article's plan: marked improvement\nby week {fmt(end)} "
            f"({end / WEEKS_PER_YEAR:.2f} years)",
            (x_end, 0.95),
            xytext=(60, 0),
            xycoords=("data", "axes fraction"),
            textcoords="offset points",
            va="top",
            fontsize=9,
            color=OKABE_ITO["vermillion"],
            arrowprops={"arrowstyle": "->", "color": OKABE_ITO["vermillion"]},
        )
    ax.set_xlim(0, max(years + [1.0]) + 1)
    ax.set_ylim(0, 105)
    ax.set_xlabel("Years since diagnosis")
    ax.set_ylabel("% still symptomatic")
    ax.set_title(f"How long symptoms lasted in {source}, beside the article's plan", fontsize=10)
    if big:
        fig.legend(loc="outside lower center", frameon=False)
    else:
        ax.legend(loc="lower left", fontsize=8)

    points = join_words([f"{y:.1f}% at {fmt(x)} year{'s' * (x != 1)}" for x, y in zip(years, pct)])
    summary = (
        f"In {source}, the estimated share still symptomatic was {points}."
        if years
        else f"No follow-up points are recorded for {source}."
    )
    if end is not None and years:
        when = "before" if end / WEEKS_PER_YEAR < years[0] else "after"
        summary += (
            f" The article's plan expects marked improvement by week {fmt(end)} "
            f"({end / WEEKS_PER_YEAR:.2f} years), {when} the first follow-up, at which "
            f"{pct[0]:.1f}% still had symptoms."
        )
    note = "named in the key below" if big else "with an arrowed note"
    alt = (
        "Line chart with a marker at each follow-up, years on the horizontal axis and percentage "
        "still symptomatic on the vertical axis, each point labelled with its value; a dotted "
        f"vertical line {note} marks the end of the article's plan. " + summary
    )
    return Chart(fig, alt, summary)


# ---------------------------------------------------------------- care pathway timeline
class PathwayTimeline:
    """A Gantt-style chart of the article's timed phases and the evidence decision points, with a
    movable week marker that highlights the steps applying at that week.

    Why it is built in two layers: on a slow machine redrawing the axis text costs well over
    100 ms, so the static chart is drawn once, laid out and frozen, and kept as a background image
    (``figimage``); `update` then only moves the marker and shows the highlighted bars, and
    ``figure_html`` re-encodes a figure with a handful of artists.

    On the projector the step names do not fit beside the axis (at 15 pt the longest is wider
    than the figure), so each is written in its row, after a bar that ends early or before one
    that starts late (without its timing in brackets, which the bar's start shows), and a key
    under the axis says which hatch is which.
    """

    def __init__(self, entries: Sequence, horizon: float = 26, dpi: int = 96):
        import numpy as np
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.patches import Patch

        from hamfoot.plots import projector
        from hamfoot.plots.style import HATCHES, OKABE_ITO, freeze_layout, new_figure

        big = projector.active()
        self.entries, self.horizon, self.dpi = list(entries), float(horizon), dpi
        self.rows = timed(self.entries, ARTICLE) + timed(self.entries, EVIDENCE)
        right = self.horizon + 0.6  # a margin so a marker at the last week stays whole
        style = {
            ARTICLE: (OKABE_ITO["vermillion"], HATCHES[2]),
            EVIDENCE: (OKABE_ITO["bluish green"], HATCHES[1]),
        }
        self.fig, ax = (
            new_figure(6.5, 3.4) if big else new_figure(6.8, 0.9 + 0.32 * max(len(self.rows), 1))
        )
        self.ax = ax
        ys = list(range(len(self.rows)))[::-1]
        static, self.bars, onward = [], [], []
        for y, e in zip(ys, self.rows):
            colour, hatch = style[e.kind]
            stop = right if e.weeks_to is None else min(e.weeks_to, right)
            kw = dict(left=e.weeks_from, height=0.6, color=colour, hatch=hatch, edgecolor="black")
            width = max(stop - e.weeks_from, 0.15)
            static.append(ax.barh(y, width, alpha=0.3, linewidth=0.8, **kw)[0])
            self.bars.append(ax.barh(y, width, linewidth=2.5, **kw)[0])  # shown when it applies
            if big and stop <= self.horizon / 2:
                static.append(ax.text(stop + 0.3, y, e.label, va="center", ha="left"))
            elif big:
                name = re.sub(r"\s*\([^()]*\)$", "", e.label)
                static.append(ax.text(e.weeks_from - 0.3, y, name, va="center", ha="right"))
            if e.weeks_to is None and big:  # a text box would hide weeks of the bar at 15 pt
                onward += ax.plot(right, y, ">", ms=11, color="black", clip_on=False)
            elif e.weeks_to is None:
                onward.append(
                    ax.text(
                        right - 0.2,
                        y,
                        "onward →",
                        va="center",
                        ha="right",
                        fontsize=8,
                        zorder=5,
                        bbox={"facecolor": "white", "edgecolor": "none", "pad": 1},
                    )
                )
        ax.set_xlim(-0.3, right)
        ax.set_ylim(-0.7, len(self.rows) - 0.3)
        if big:
            ax.set_yticks([])
            ax.spines["left"].set_visible(False)
            goes_on = any(e.weeks_to is None for e in self.rows)
            ax.set_xlabel(
                "Weeks since care started"
                + (f" (▶: goes on after week {fmt(self.horizon)})" if goes_on else "")
            )
            key = [
                Patch(facecolor=colour, alpha=0.3, hatch=hatch, edgecolor="black", label=words)
                for (colour, hatch), words in zip(style.values(), ("article's plan", "evidence"))
            ]
            key.append(Patch(facecolor="white", edgecolor="black", lw=2.5, label="applies now"))
            static.append(
                self.fig.legend(
                    handles=key,
                    loc="outside lower center",
                    ncols=3,
                    frameon=False,
                    handlelength=1.4,
                    columnspacing=1.2,
                )
            )
        else:
            ax.set_yticks(ys, [f"{KIND_WORDS[e.kind]}: {e.label}" for e in self.rows], fontsize=8)
            ax.set_xlabel(
                "Weeks since care started\ndotted: article's plan · diagonal: evidence\n"
                "solid, thick outline: applies at the chosen week",
                fontsize=8,
            )
        ax.grid(axis="y", visible=False)
        self.line = ax.axvline(0, color="black", linestyle="--", linewidth=1.5)
        self.marker = ax.plot(
            [0],
            [len(self.rows) - 0.3],
            marker="v",
            markersize=10,
            color="black",
            clip_on=False,
            linestyle="none",
        )[0]
        self.label = ax.text(
            0, len(self.rows) - 0.2, "", ha="center", va="bottom", fontsize=9, fontweight="bold"
        )
        dynamic = [*self.bars, *onward, self.line, self.marker, self.label]

        # Lay out once with the widest marker label showing, so the layout leaves room for it;
        # then draw the static layer alone, at the resolution the figure is shown at (self.dpi),
        # as the background.
        self.fig.set_dpi(dpi)
        FigureCanvasAgg(self.fig)
        self.label.set_text(f"week {fmt(self.horizon)}")
        freeze_layout(self.fig)
        for artist in dynamic:
            artist.set_visible(False)
        self.fig.canvas.draw()
        background = np.asarray(self.fig.canvas.buffer_rgba()).copy()
        for artist in static:
            artist.set_visible(False)
        ax.set_axis_off()
        self.fig.figimage(background, zorder=-10)
        for artist in dynamic:
            artist.set_visible(True)
        self.update(0)

    def png(self) -> bytes:
        """The figure as it stands (drawn on its canvas, not through savefig: see canvas_png)."""
        from hamfoot.plots.style import canvas_png

        return canvas_png(self.fig, self.dpi)

    def update(self, week: float) -> tuple[str, str]:
        """Move the marker to `week` (clamped), highlight what applies there; return (alt, summary)."""
        week = clamp_week(week, self.horizon)
        self.line.set_xdata([week, week])
        self.marker.set_xdata([week])
        self.label.set_x(week)
        self.label.set_text(f"week {fmt(week)}")
        self.label.set_ha("left" if week < 2 else "right" if week > self.horizon - 2 else "center")
        active = {id(e) for kind in (ARTICLE, EVIDENCE) for e in at_week(self.entries, kind, week)}
        for bar, e in zip(self.bars, self.rows):
            bar.set_visible(id(e) in active)
        summary = timeline_summary(self.entries, week)
        alt = (
            f"Timeline of weeks 0 to {fmt(self.horizon)}: one bar per step of the article's plan "
            "(dotted hatch) and per decision point of the evidence-based pathway (diagonal "
            "hatch); a dashed line marks the chosen week and the steps that apply are drawn "
            "solid with a thick outline. " + summary
        )
        return alt, summary


def clamp_week(week: float, horizon: float) -> float:
    """Any input to a week in [0, horizon]; not-a-number falls back to 0."""
    try:
        week = float(week)
    except (TypeError, ValueError):
        return 0.0
    return 0.0 if math.isnan(week) else min(max(week, 0.0), float(horizon))


def timeline_summary(entries: Sequence, week: float) -> str:
    """One sentence: which of the article's phases and which decision points apply at `week`."""
    article = [e.label for e in at_week(entries, ARTICLE, week)]
    evidence = [e.label for e in at_week(entries, EVIDENCE, week)]
    end = plan_end(entries)
    a = (
        f"the article's plan is at “{join_words(article)}”"
        if article
        else f"the article's plan has ended (it stops at week {fmt(end)})"
        if end is not None
        else "the article's plan says nothing"
    )
    b = (
        f"the evidence-based pathway is at “{join_words(evidence)}”"
        if evidence
        else "no evidence-based decision point applies"
    )
    return f"Week {fmt(week)}: {a}; {b}."
