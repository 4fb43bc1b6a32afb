"""Lesson 07: the cohort chart and the care-pathway widget, driven the way a learner drives them."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from conftest import shown

from hamfoot import content
from hamfoot.plots.recovery import (
    ARTICLE,
    EVIDENCE,
    PathwayTimeline,
    at_week,
    clamp_week,
    cohort_chart,
    next_step,
    plan_end,
)
from hamfoot.widgets.recovery import CarePathway, care_pathway


def recovery(id_: str):
    return content.get("recovery", id_)


def entries() -> list:
    return [content.get("recovery", i) for i in content.recovery()["id"]]


@pytest.fixture(scope="module")
def pathway():
    return care_pathway()


def decision_column(p) -> str:
    return p.out.value.split("Evidence-based decision points", 1)[1]


def article_column(p) -> str:
    return p.out.value.split("What the article", 1)[1].split("Evidence-based decision points", 1)[0]


# ---------------------------------------------------------------- which step applies when
def test_steps_run_from_their_start_up_to_but_not_including_their_end():
    rows = [
        SimpleNamespace(kind=EVIDENCE, label=name, weeks_from=a, weeks_to=b)
        for name, a, b in [("first", 0, 4), ("second", 4, 12), ("third", 12, None)]
    ]
    assert [e.label for e in at_week(rows, EVIDENCE, 3.9)] == ["first"]
    assert [e.label for e in at_week(rows, EVIDENCE, 4)] == ["second"]
    assert [e.label for e in at_week(rows, EVIDENCE, 100)] == ["third"]
    assert next_step(rows, EVIDENCE, 4).label == "third" and next_step(rows, EVIDENCE, 12) is None


def test_a_phase_ending_with_nothing_after_it_still_covers_its_last_week():
    rows = [
        SimpleNamespace(kind=ARTICLE, label=name, weeks_from=a, weeks_to=b)
        for name, a, b in [("early", 0, 2), ("late", 2, 6)]
    ]
    assert [e.label for e in at_week(rows, ARTICLE, 6)] == ["late"]
    assert at_week(rows, ARTICLE, 6.5) == [] and plan_end(rows) == 6


@pytest.mark.parametrize(
    "value, expected", [(-3, 0), (40, 26), (float("nan"), 0), ("x", 0), (12.5, 12.5)]
)
def test_clamp_week(value, expected):
    assert clamp_week(value, 26) == expected


# ---------------------------------------------------------------- the widget at the decision points
@pytest.mark.parametrize(
    "week, now, not_now",
    [
        (
            0,
            ["decision-core-care"],
            ["decision-shockwave", "decision-orthoses", "decision-referral"],
        ),
        (
            4,
            ["decision-shockwave"],
            ["decision-core-care", "decision-orthoses", "decision-referral"],
        ),
        (
            12,
            ["decision-orthoses"],
            ["decision-core-care", "decision-shockwave", "decision-referral"],
        ),
        (
            13,
            ["decision-orthoses", "decision-referral"],
            ["decision-core-care", "decision-shockwave"],
        ),
        (
            26,
            ["decision-orthoses", "decision-referral"],
            ["decision-core-care", "decision-shockwave"],
        ),
    ],
)
def test_the_week_shows_the_right_decision_points(pathway, week, now, not_now):
    pathway.slider.value = week
    column = decision_column(pathway)
    for id_ in now:
        assert shown(recovery(id_).evidence_says) in column, (week, id_)
    for id_ in not_now:
        assert shown(recovery(id_).evidence_says) not in column, (week, id_)
    assert f"Week {week} " in pathway.out.value


def test_the_next_decision_point_is_announced(pathway):
    pathway.slider.value = 2
    nxt = recovery("decision-shockwave")
    gap = nxt.weeks_from - 2
    assert f"Next decision point:</strong> {shown(nxt.label)}" in pathway.out.value
    assert f"in {gap:g} weeks" in pathway.out.value
    pathway.slider.value = 26
    assert "end of the pathway" in pathway.out.value


def test_the_article_plan_shows_while_it_lasts_then_says_it_has_ended(pathway):
    end = plan_end(entries())
    last = [e for e in entries() if e.kind == ARTICLE and e.weeks_to == end]
    pathway.slider.value = end
    for e in last:
        assert shown(e.article_says) in article_column(pathway)
    pathway.slider.value = end + 1
    column = article_column(pathway)
    assert "plan has ended" in column and f"stops at week {end:g}" in column
    assert not any(shown(e.article_says) in column for e in last)
    pathway.slider.value = 0
    first = [e for e in entries() if e.kind == ARTICLE and e.weeks_from == 0]
    assert first and all(shown(e.article_says) in article_column(pathway) for e in first)


def test_every_week_points_red_flags_to_a_clinician(pathway):
    for week in (0, 6, 13, 26):
        pathway.slider.value = week
        assert "Teaching only" in pathway.out.value and "clinician" in pathway.out.value


def test_references_follow_what_is_shown(pathway):
    pathway.slider.value = 13
    for id_ in ("decision-referral", "decision-orthoses"):
        for ref in recovery(id_).references:
            assert shown(content.cite(ref)) in pathway.out.value


def test_typed_and_extreme_values_clamp(pathway):
    pathway.box.value = 999
    assert pathway.slider.value == 26 and "Week 26 " in pathway.out.value
    pathway.box.value = -5
    assert pathway.slider.value == 0 and "Week 0 " in pathway.out.value
    pathway.box.value = 12.5
    assert pathway.slider.value == 12.5 and "Week 12.5 " in pathway.out.value
    assert shown(recovery("decision-orthoses").evidence_says) in decision_column(pathway)
    pathway.update(float("nan"))  # a value that slips past the controls is answered, not raised
    assert "Week 0 " in pathway.out.value


def test_every_control_is_labelled(pathway):
    assert all(c.description for c in pathway.controls.values())


def test_the_timeline_marker_and_caption_follow_the_week(pathway):
    pathway.slider.value = 13
    assert list(pathway.timeline.line.get_xdata()) == [13, 13]
    assert "In words:</strong> Week 13:" in pathway.figure.value
    lit = {
        e.id for e, bar in zip(pathway.timeline.rows, pathway.timeline.bars) if bar.get_visible()
    }
    assert lit == {e.id for kind in (ARTICLE, EVIDENCE) for e in at_week(entries(), kind, 13)}
    assert "decision-referral" in lit
    caption = pathway.figure.value
    pathway.slider.value = 3
    assert pathway.figure.value != caption and "Week 3:" in pathway.figure.value


def test_the_widget_follows_the_content():
    moved = [
        e.model_copy(update={"weeks_from": 20}) if e.id == "decision-referral" else e
        for e in entries()
    ]
    p = CarePathway(moved)
    p.slider.value = 13
    assert shown(recovery("decision-referral").evidence_says) not in decision_column(p)
    p.slider.value = 20
    assert shown(recovery("decision-referral").evidence_says) in decision_column(p)


# ---------------------------------------------------------------- cohort chart
def test_cohort_summary_is_computed_from_the_data():
    chart = cohort_chart()
    cohort = content.cohort()
    for row in cohort.itertuples():
        assert f"{row.still_symptomatic_pct:.1f}% at {row.years:g} year" in chart.summary
    assert f"by week {plan_end(entries()):g}" in chart.summary
    assert chart.summary in chart.alt and repr(chart) == f"Figure: {chart.summary}"


def test_cohort_summary_follows_changed_data(monkeypatch):
    changed = content.cohort()
    changed.loc[changed.index[0], "still_symptomatic_pct"] = 12.3
    monkeypatch.setattr(content, "cohort", lambda *a, **k: changed.copy())
    plan = [
        e.model_copy(update={"weeks_to": 8}) if e.weeks_to == plan_end(entries()) else e
        for e in entries()
    ]
    chart = cohort_chart(plan=plan)
    assert "12.3% at" in chart.summary and "12.3% still had symptoms" in chart.summary
    assert "by week 8" in chart.summary


def test_cohort_chart_labels_every_point_and_the_plan_line():
    chart = cohort_chart()
    ax = chart.fig.axes[0]
    labels = [t.get_text() for t in ax.texts]
    for pct in content.cohort()["still_symptomatic_pct"]:
        assert f"{pct:.1f}%" in labels
    assert any("Article's plan" in t for t in labels)
    styles = {line.get_linestyle() for line in ax.lines}
    assert len(styles) == 2, "the cohort and the article's plan must differ in line style"


def test_on_the_projector_each_step_is_named_in_its_row_beside_its_bar():
    """Only a name written before its bar drops its bracketed timing: the bar's start shows it."""
    from conftest import projecting

    with projecting():
        t = PathwayTimeline(entries())
    ys = range(len(t.rows))[::-1]
    names = {round(x.get_position()[1]): x for x in t.ax.texts if x.get_text() != "week 0"}
    for y, e in zip(ys, t.rows):
        name = names[y]
        x, text = name.get_position()[0], name.get_text()
        if name.get_ha() == "left":
            assert text == e.label and x > e.weeks_to
        else:
            assert x < e.weeks_from and e.label.startswith(text)
            assert e.label[len(text) :] in ("", f" ({e.label.rsplit(' (', 1)[-1]}")
    key = [x.get_text() for x in t.fig.legends[0].get_texts()]
    assert key == ["article's plan", "evidence", "applies now"]
