"""No figure a lesson shows has crowded text, on a student's screen or on the projector.

Every figure is built the way its lesson builds it (chart functions as the cells call them,
widgets through their controls), at its first setting and at settings that stress it (every
structure, test or week where that is cheap; the ends of every slider), then painted as the lesson
paints it. The check (tests/crowding.py) fails on two texts drawn over each other or a text
running off the canvas. Projector mode is `hamfoot present`'s (hamfoot.plots.projector.use).
"""

from __future__ import annotations

from contextlib import nullcontext

import pytest
from conftest import projecting
from crowding import crowding, watching


# ---------------------------------------------------------------- the figures, as lessons show them
def anatomy_diagram():
    """Lesson 01's widget: every structure, the pelvis at both ends of its range, claim on/off."""
    from hamfoot import anatomy
    from hamfoot.plots.anatomy import TILT_LIMIT
    from hamfoot.widgets.anatomy import posterior_chain_diagram

    d = posterior_chain_diagram()
    yield "first setting", d.diagram.fig
    for s in anatomy.structures():
        d.claim.value = True
        d.tilt.value = -TILT_LIMIT
        d.structure.value = s.id
        yield f"{s.id}, tilt -{TILT_LIMIT:g}°, claim shown", d.diagram.fig
        d.claim.value = False
        d.tilt.value = TILT_LIMIT
        yield f"{s.id}, tilt +{TILT_LIMIT:g}°, no claim", d.diagram.fig


def anatomy_static():
    """Lesson 01's still picture, with the lesson's arguments."""
    from hamfoot.plots.anatomy import posterior_chain

    chart = posterior_chain("ischial-tuberosity", tilt=-10, show_claim=True)
    chart._repr_html_()
    yield "lesson 01's cell", chart.fig


def chain_explorer():
    """Lesson 02's explorer: both tests at both ends, the tilt's range, both speeds."""
    from hamfoot.chain import gait
    from hamfoot.widgets.chain_explorer import TEST_RANGE
    from hamfoot.widgets.chain_explorer import chain_explorer as build

    e = build()
    fig = e.chain_figure.fig
    yield "first setting", fig
    for test in ("ake", "slr"):
        e.test.value = test
        for value in TEST_RANGE[test]:
            for tilt in gait.PELVIC_TILT_RANGE:
                for speed in gait.SPEEDS:
                    e.value.value, e.tilt.value, e.speed.value = value, tilt, speed
                    yield f"{test} {value:g}°, tilt {tilt:g}°, {speed}", fig


def charts(*calls):
    """Chart functions, each painted as a cell's output is."""

    def build():
        for label, make in calls:
            chart = make()
            chart._repr_html_()
            yield label, chart.fig

    return build


def post_test():
    """Lesson 05's calculator: every test, the pre-test probability's ends, both results."""
    from hamfoot.widgets.assessment import post_test_calculator

    c = post_test_calculator()
    yield "first setting", c.chart.fig
    for label, value in c.options:
        c.test.value = value
        for pre in (c.pre.min, c.pre.max):
            for result in ("positive", "negative"):
                c.pre.value, c.result.value = pre, result
                yield f"{label[:30]}…, pre-test {pre}%, {result}", c.chart.fig


def care_pathway():
    """Lesson 07's timeline: every week of the slider."""
    from hamfoot.widgets.recovery import care_pathway as build

    p = build()
    yield "first setting", p.timeline.fig
    for week in range(int(p.slider.min), int(p.slider.max) + 1):
        p.slider.value = week
        yield f"week {week}", p.timeline.fig


def _claims(section):
    from hamfoot.plots.verdicts import claims_by_verdict

    return lambda: claims_by_verdict(section=section)


def _chain(name, **kw):
    from hamfoot.plots import chain

    return lambda: getattr(chain, name)(**kw)


def _grades(by):
    from hamfoot.plots.treatment import grade_chart

    return lambda: grade_chart(by)


def _cohort():
    from hamfoot.plots.recovery import cohort_chart

    return cohort_chart()


FIGURES = {
    "01 anatomy diagram": anatomy_diagram,
    "01 anatomy picture": anatomy_static,
    "02 gait chart": charts(("lesson 02's cell", _chain("gait_chart"))),
    "02 chain explorer": chain_explorer,
    "02 tightness chart": charts(
        ("lesson 02's cell", _chain("tightness_chart")),
        ("fast walking", _chain("tightness_chart", speed="fast")),
    ),
    "03 claims by verdict": charts(
        ("lesson 03's cell (causes)", _claims("causes")),
        ("every section", _claims(None)),
    ),
    "05 post-test bars": post_test,
    "06 grade chart": charts(("lesson 06's cell", _grades("grade"))),
    "06 verdict chart": charts(("lesson 06's cell", _grades("verdict"))),
    "07 cohort chart": charts(("lesson 07's cell", _cohort)),
    "07 care pathway timeline": care_pathway,
}


@pytest.mark.parametrize("screen", ["student", "projector"])
@pytest.mark.parametrize("figure", list(FIGURES))
def test_no_figure_text_is_crowded(figure, screen):
    problems: list[str] = []
    settings = 0
    with watching(), projecting() if screen == "projector" else nullcontext():
        for setting, fig in FIGURES[figure]():
            problems += crowding(fig, f"{figure} ({screen}; {setting})")
            settings += 1
    assert settings, f"{figure}: no setting was drawn"
    assert not problems, f"{len(problems)} crowded:\n" + "\n".join(problems)


# ---------------------------------------------------------------- the check itself
def test_the_check_reports_overlapping_text_and_text_off_the_canvas():
    from hamfoot.plots.style import figure_png, new_figure

    with watching():
        fig, ax = new_figure(4, 2)
        ax.text(0.1, 0.5, "first label", transform=ax.transAxes)
        ax.text(0.2, 0.5, "second label", transform=ax.transAxes)  # on top of the first
        ax.text(0.1, 0.1, "a label with room", transform=ax.transAxes)
        fig.text(0.8, 0.9, "too long for the canvas")
        figure_png(fig)
        problems = crowding(fig, "made up")
    assert len(problems) == 2, problems
    assert "made up: 'first label' overlaps 'second label'" in problems[1]
    assert "made up: 'too long for the canvas' runs" in problems[0]
    assert "off the right edge" in problems[0]


def test_the_check_sees_text_kept_in_a_background_picture_and_skips_layout_passes():
    """As the widgets do: paint the fixed text once, remove it, draw the rest on top."""
    from hamfoot.plots.style import figure_png, new_figure

    with watching():
        fig, ax = new_figure(4, 2)
        fixed = ax.text(0.1, 0.5, "painted once", transform=ax.transAxes)
        layout_only = ax.text(0.6, 0.5, "only in a layout pass", transform=ax.transAxes)
        fig.draw_without_rendering()  # paints nothing: not the background
        layout_only.remove()
        figure_png(fig)  # the background picture
        fixed.remove()
        assert crowding(fig, "cached") == []
        ax.text(0.15, 0.5, "drawn over it", transform=ax.transAxes)
        figure_png(fig)
        problems = crowding(fig, "cached")
    assert len(problems) == 1 and "'painted once' overlaps 'drawn over it'" in problems[0]
