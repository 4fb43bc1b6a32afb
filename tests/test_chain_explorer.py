"""Lesson 02: the chain explorer and its figures, driven the way a learner drives them.

Each test sets a control and checks that the words and numbers on screen change as the model
(hamfoot.chain.walk) says they should.
"""

from __future__ import annotations

import base64
import html
import itertools
import re

import numpy as np
import pytest

import hamfoot.chain as chain
from hamfoot.plots import chain as plots
from hamfoot.widgets.chain_explorer import ChainExplorer, chain_explorer, clamp

SM = "semimembranosus"


@pytest.fixture(scope="module")
def explorer() -> ChainExplorer:
    return chain_explorer()


@pytest.fixture(autouse=True)
def reset(explorer):
    explorer.test.value = "ake"
    explorer.speed.value = "normal"
    explorer.tilt.value = 10
    explorer.value.value = 20
    yield


def caption(explorer: ChainExplorer) -> str:
    match = re.search(
        r"<figcaption><strong>In words:</strong> (.*?)</figcaption>", explorer.figure.value
    )
    assert match, "figure has no text summary"
    return html.unescape(match.group(1))


def test_every_control_has_a_visible_description(explorer):
    for name, control in explorer.controls.items():
        assert control.description.strip(), name
    # controls come before the output (natural tab order)
    children = list(explorer.children)
    assert (
        children.index(explorer.test)
        < children.index(explorer.figure)
        < children.index(explorer.out)
    )


def test_typical_tightness_reads_as_walking_fits(explorer):
    expected = chain.walk(20, 10)
    assert "Walking fits" in explorer.headline.value
    assert f"{expected.muscle(SM).reserve_mm:.1f} mm" in explorer.headline.value
    assert caption(explorer) == plots.chain_summary(expected)
    assert (
        '<img src="data:image/png;base64,' in explorer.figure.value
        and 'alt="' in explorer.figure.value
    )


def test_extreme_shortening_forces_the_knee_to_stay_bent(explorer):
    explorer.value.value = 85
    expected = chain.walk(85, 10)
    assert expected.forced_knee_flexion > 0
    assert "Walking does not fit" in explorer.headline.value
    assert (
        f"knee must stay bent about {expected.forced_knee_flexion:.0f}°" in explorer.headline.value
    )
    assert f"{expected.forced_knee_flexion:.0f}° at that moment" in caption(explorer)
    # downstream: the bent knee slackens the calf and lengthens forefoot loading
    calf = expected.gastrocnemius_change.value
    assert f"{calf:+.1f} % of length" in explorer.out.value
    assert f"{expected.forefoot_loading.value:.1f} % of foot-contact time" in explorer.out.value


def test_the_figure_changes_with_the_result(explorer):
    before = explorer.figure.value
    explorer.value.value = 100
    assert explorer.figure.value != before
    png = base64.b64decode(re.search(r"base64,([A-Za-z0-9+/=]+)", explorer.figure.value).group(1))
    assert png.startswith(b"\x89PNG\r\n\x1a\n")


def test_more_anterior_tilt_raises_the_peak_demand(explorer):
    explorer.tilt.value = 0
    low = explorer.result.peak_demand_slr
    explorer.tilt.value = 15
    high = explorer.result.peak_demand_slr
    assert low == pytest.approx(chain.walk(20, 0).peak_demand_slr)
    assert high == pytest.approx(chain.walk(20, 15).peak_demand_slr)
    assert high > low
    assert f"the length of a {high:.0f}° SLR" in caption(explorer)


def test_fast_walking_is_labelled_modelled_and_uses_the_fast_toe_angle(explorer):
    explorer.speed.value = "fast"
    assert "Fast walking is modelled" in html.unescape(explorer.notes.value)
    assert "64 degrees" in explorer.out.value  # Caravaggi 2010 fast walking
    assert f"{chain.windlass_take_up(speed='fast').value:.1f} mm" in explorer.out.value
    explorer.speed.value = "normal"
    assert "Fast walking" not in explorer.notes.value and "52 degrees" in explorer.out.value


def test_switching_the_test_keeps_the_same_tightness(explorer):
    explorer.value.value = 40
    limit = explorer.result.muscle(SM).max_length_mm
    explorer.test.value = "slr"
    assert explorer.value.description == "SLR angle"
    assert explorer.value.value == round(float(chain.slr_from_ake(40, SM)))
    assert explorer.result.test == "slr"
    assert explorer.result.muscle(SM).max_length_mm == pytest.approx(
        limit, abs=1.0
    )  # rounded to 1°
    assert "straight-leg raise" in explorer.convention.value
    explorer.test.value = "ake"
    assert explorer.value.value == pytest.approx(40, abs=1)
    assert "short of full knee extension" in explorer.convention.value


def test_harty_range_is_respected(explorer):
    explorer.tilt.value = 25
    explorer.value.value = 120
    assert explorer.result.forced_knee_flexion > 40
    assert "not estimated: Harty 2005 measured only 0–40°" in explorer.out.value


def test_typed_values_are_clamped(explorer):
    explorer.value_box.value = 500
    assert explorer.value.value == 120
    explorer.tilt_box.value = -99
    assert explorer.tilt.value == -10
    assert explorer.result.test_value == 120 and explorer.result.pelvic_tilt == -10


def test_no_combination_of_controls_raises(explorer):
    for test, value, tilt, speed in itertools.product(
        ("ake", "slr"), (0, 60, 120), (-10, 25), ("normal", "fast")
    ):
        explorer.test.value = test
        explorer.value.value = value
        explorer.tilt.value = tilt
        explorer.speed.value = speed
        assert explorer.result is not None and "Teaching only" in explorer.notes.value
        assert np.isfinite(explorer.result.reserve_mm)


def test_clamp_handles_anything():
    assert clamp("abc", 0, 120, 20) == 20
    assert clamp(float("nan"), 0, 120, 20) == 20
    assert clamp(None, 0, 120, 20) == 20
    assert (
        clamp(-5, 0, 120, 20) == 0
        and clamp(130, 0, 120, 20) == 120
        and clamp("33", 0, 120, 20) == 33
    )


def test_assumptions_and_teaching_note_are_shown(explorer):
    notes = html.unescape(explorer.notes.value)
    assert "<details>" in notes and "not a published regression" in notes
    assert "clinician" in notes


# --- static figures and tables of the lesson ----------------------------------------------------


def test_gait_chart_summary_comes_from_the_data():
    chart = plots.gait_chart()
    angles = chain.walking_angles()
    assert f"bends to {angles.knee.max():.0f}°" in chart.summary
    assert chart.summary in chart.alt and repr(chart).startswith("Figure: ")


def test_tightness_chart_names_the_thresholds():
    chart = plots.tightness_chart((0, 10))
    swept = chain.sweep(np.arange(0, 120.01, 0.05), pelvic_tilt=10)
    first = swept.test_values[np.argmax(swept.forced_knee_flexion > 0)]
    assert f"{first:.0f}° at a pelvic tilt of 10°" in chart.summary
    assert "85°" in chart.summary


def test_equivalence_table_matches_the_model():
    table = plots.equivalence_table((20, 85))
    assert list(table.index) == [20, 85]
    assert table.iloc[1, 0] == round(float(chain.slr_from_ake(85, SM)))
    assert table.shape == (2, 3)


def test_downstream_table_labels_measured_and_modelled():
    table = plots.downstream_table((0, 10, 20))
    assert list(table["forefoot basis"]) == [
        "measured: Harty 2005",
        "modelled: Harty 2005",
        "measured: Harty 2005",
    ]
    assert table.loc[20, "same as plantarflexion (°)"] == pytest.approx(5.8, abs=0.05)


def test_fast_png_is_a_valid_image():
    from io import BytesIO

    from PIL import Image

    rgb = np.zeros((3, 5, 3), dtype=np.uint8)
    rgb[1, 2] = (10, 20, 30)
    from hamfoot.plots.style import fast_png

    image = Image.open(BytesIO(fast_png(rgb)))
    assert image.size == (5, 3)
    assert image.getpixel((2, 1)) == (10, 20, 30)
