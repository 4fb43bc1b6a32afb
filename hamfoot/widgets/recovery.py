"""The care pathway, week by week: the article's plan beside the evidence-based decision points.

Why a week slider: a learner who drags to week 6, sees the article expect marked improvement, and
then sees that the evidence pathway has only just added a second-line treatment (and refers at
about three months) feels the gap between the two timescales instead of just being told about it.
"""

from __future__ import annotations

import ipywidgets as w

from hamfoot.plots.recovery import (
    ARTICLE,
    EVIDENCE,
    PathwayTimeline,
    at_week,
    clamp_week,
    fmt,
    next_step,
    plan_end,
)
from hamfoot.plots.verdicts import verdict_label
from hamfoot.widgets.common import FULL, KeyboardSafeBox, esc, note_html, slider_with_box

HORIZON = 26  # weeks: half a year, well past the usual referral point
TEACHING_ONLY = (
    "Teaching material, not a treatment plan for a patient. Red flags (lesson 04) go "
    "to a clinician straight away, whatever the week."
)


def _column(title: str, body: str) -> str:
    return f'<div style="flex:1 1 18em;min-width:0"><h4>{esc(title)}</h4>{body}</div>'


def article_html(entries, week: float) -> str:
    """What the article's plan says at `week`, each step with the evidence's answer and a verdict."""
    steps = at_week(entries, ARTICLE, week)
    if steps:
        return "".join(
            f"<p><strong>{esc(e.label)}</strong></p>"
            f"<p><em>The article says:</em> {esc(e.article_says)}</p>"
            f"<p><em>The evidence says:</em> {esc(e.evidence_says)}</p>"
            f"<p>Verdict on the article's step: <strong>{esc(verdict_label(e.verdict))}</strong></p>"
            for e in steps
        )
    end = plan_end(entries)
    overall = [e for e in entries if e.kind == ARTICLE and e.weeks_from is None]
    text = (
        f"<p><strong>The article's plan has ended</strong>: it stops at week {fmt(end)}, by which "
        "time it expects marked improvement, and gives no steps after that.</p>"
        if end is not None
        else "<p>The article gives no week-by-week plan.</p>"
    )
    return text + "".join(
        f"<p><strong>{esc(e.label)}</strong> — <em>the article says:</em> {esc(e.article_says)} "
        f"<em>The evidence says:</em> {esc(e.evidence_says)} Verdict: "
        f"<strong>{esc(verdict_label(e.verdict))}</strong></p>"
        for e in overall
    )


def evidence_html(entries, week: float) -> str:
    """The decision points that apply at `week`, and the next one coming up."""
    points = at_week(entries, EVIDENCE, week)
    body = (
        "".join(
            f"<p><strong>{esc(e.label)}</strong></p><p>{esc(e.evidence_says)}</p>" for e in points
        )
        or "<p>No decision point is recorded for this week.</p>"
    )
    upcoming = next_step(entries, EVIDENCE, week)
    if upcoming is not None:
        wait = upcoming.weeks_from - week
        body += (
            f"<p><strong>Next decision point:</strong> {esc(upcoming.label)}, from week "
            f"{fmt(upcoming.weeks_from)} (in {fmt(wait)} week{'s' * (wait != 1)}).</p>"
        )
    else:
        body += "<p>No further decision point follows: this is the end of the pathway.</p>"
    return body


def week_html(entries, week: float) -> str:
    """The whole text panel for one week: two columns, then references and the teaching note."""
    from hamfoot import content

    shown = [*at_week(entries, ARTICLE, week), *at_week(entries, EVIDENCE, week)]
    if not at_week(entries, ARTICLE, week):
        shown += [e for e in entries if e.kind == ARTICLE and e.weeks_from is None]
    refs = dict.fromkeys(r for e in shown for r in e.references)
    months = week / (365.25 / 12 / 7)
    return (
        f"<h3>Week {fmt(week)} (about {months:.1f} months)</h3>"
        '<div style="display:flex;flex-wrap:wrap;gap:1em">'
        + _column("What the article's plan says", article_html(entries, week))
        + _column("Evidence-based decision points", evidence_html(entries, week))
        + "</div>"
        + "<p><strong>References</strong></p><ol>"
        + "".join(f"<li>{esc(content.cite(r))}</li>" for r in refs)
        + "</ol>"
        + note_html("Teaching only", TEACHING_ONLY)
    )


class CarePathway(KeyboardSafeBox):
    """A week slider with a typed box; the text panel and the timeline follow the chosen week."""

    def __init__(self, entries: list, horizon: float = HORIZON):
        from hamfoot.plots.style import png_html

        self._png_html = png_html
        self.entries, self.horizon = entries, float(horizon)
        self.slider, self.box, row = slider_with_box("Week of care", 0, 0, self.horizon, 1, "weeks")
        self.out = w.HTML(layout=FULL)
        self.figure = w.HTML(layout=FULL)
        self.timeline = PathwayTimeline(entries, self.horizon)
        self.controls = {"week": self.slider, "box": self.box}
        self.slider.observe(lambda change: self.update(change["new"]), names="value")
        super().__init__([row, self.figure, self.out])  # the timeline right under its slider
        self.update(self.slider.value)

    @property
    def week(self) -> float:
        return clamp_week(self.slider.value, self.horizon)

    def update(self, week: float) -> None:
        """Redraw text and timeline for `week` (clamped to the slider's range)."""
        week = clamp_week(week, self.horizon)
        self.out.value = week_html(self.entries, week)
        alt, summary = self.timeline.update(week)
        self.figure.value = self._png_html(self.timeline.png(), alt, summary)


def care_pathway() -> CarePathway:
    """Move through weeks 0-26 of care: the article's plan for that week (if any) beside the
    evidence-based decision points (core care, shockwave, custom orthoses, referral), with a
    timeline marking the week."""
    from hamfoot import content

    return CarePathway([content.get("recovery", i) for i in content.recovery()["id"]])
