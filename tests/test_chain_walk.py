"""Demand against reserve, the `walk`/`sweep` entry points and the downstream numbers.

Pinned to the evidence brief §D.3–D.4 and to issue 4, point 6. Expected values are the brief's.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

import hamfoot.chain as chain
from hamfoot.chain import muscles

TILTS = (0, 5, 10, 15)


# --- peak demand ------------------------------------------------------------------------------


@pytest.mark.parametrize(("tilt", "slr"), [(0, 21), (5, 26), (10, 31), (15, 36)])
def test_peak_walking_demand_equals_a_small_slr(tilt, slr):
    """Brief §D.4: peak demand ≈ SLR 21–36° depending on the pelvic offset, in terminal swing."""
    result = chain.walk(20, pelvic_tilt=tilt)
    assert result.peak_demand_slr == pytest.approx(slr, abs=2.0)
    assert 90 <= result.peak_demand_phase <= 98  # terminal swing (brief: 94 %)
    assert result.peak_demand_phase == pytest.approx(94, abs=3)


@pytest.mark.parametrize(
    ("tilt", "expected"),
    [(0, (4.4, 4.6, 5.0)), (5, (5.5, 5.8, 6.2)), (10, (6.7, 7.1, 7.5)), (15, (7.9, 8.3, 8.8))],
)
def test_peak_demand_as_percent_of_resting_length(tilt, expected):
    result = chain.walk(40, pelvic_tilt=tilt)
    percent = [m.peak_demand_mm / m.resting_length_mm * 100 - 100 for m in result.muscles]
    np.testing.assert_allclose(percent, expected, atol=0.6)  # brief: full geometry; here: the fit


def test_peak_demand_does_not_depend_on_tightness():
    loose, tight = chain.walk(0), chain.walk(100)
    np.testing.assert_array_equal(loose.demand_mm, tight.demand_mm)
    assert loose.reserve_mm > tight.reserve_mm


def test_more_anterior_tilt_and_faster_walking_use_up_reserve():
    reserves = [chain.walk(30, pelvic_tilt=t).reserve_mm for t in (-10, 0, 10, 25)]
    assert np.all(np.diff(reserves) < 0)
    normal, fast = chain.walk(30), chain.walk(30, speed="fast")
    assert fast.peak_demand_slr > normal.peak_demand_slr
    assert fast.reserve_mm < normal.reserve_mm


# --- forced knee flexion ----------------------------------------------------------------------


@pytest.mark.parametrize("speed", ["normal", "fast"])
@pytest.mark.parametrize("tilt", [-10, 0, 5, 10, 15, 25])
@pytest.mark.parametrize("ake", [20, 23.4, 25, 30, 33])
def test_typical_clinical_tightness_forces_no_knee_flexion(ake, tilt, speed):
    """Clinical cut-offs (AKE deficit 20–33°, Yıldırım 2018) leave walking untouched."""
    result = chain.walk(ake, pelvic_tilt=tilt, speed=speed)
    assert result.forced_knee_flexion == 0.0
    assert result.reserve_mm > 0
    assert result.forefoot_loading.label == "measured"  # Harty's 0° point applies


@pytest.mark.parametrize("tilt", TILTS)
def test_extreme_shortening_forces_knee_flexion(tilt):
    """Deficit ≈ 85° – where Whitehead 2007 first saw gait changes – does force knee flexion."""
    result = chain.walk(85, pelvic_tilt=tilt)
    assert result.forced_knee_flexion > 0
    assert result.reserve_mm < 0
    assert result.gastrocnemius_change.value < 0  # the bent knee slackens the calf


def test_threshold_of_forced_knee_flexion_sits_where_the_brief_puts_it():
    """Brief §D.4: initial-contact knee extension is affected only above an AKE deficit of ~60–85°."""
    result = chain.sweep(np.arange(0, 120.01, 0.1), pelvic_tilt=10)
    first = result.test_values[np.argmax(result.forced_knee_flexion > 0)]
    assert 60 <= first <= 85
    assert np.all(result.forced_knee_flexion[result.test_values < first] == 0)
    assert np.all(np.diff(result.forced_knee_flexion) >= 0)


# Brief §D.4: knee flexion forced in terminal swing if max length = SLR 20° / 30° / 40°, per tilt.
# (low, high) over the three hamstrings; None = 0.
BRIEF_FORCED = {
    0: [(2, 3), None, None],
    5: [(10, 13), None, None],
    10: [(17, 22), (2, 3), None],
    15: [(24, 32), (10, 13), None],
}


@pytest.mark.parametrize("tilt", TILTS)
def test_forced_knee_flexion_pattern_matches_the_brief(tilt):
    """Zero exactly where the brief has zero. Where it is positive, the fit's larger knee moment arm
    near extension gives 60–80 % of the brief's full-geometry values, never more than the brief."""
    result = chain.sweep(slr=[20, 30, 40], pelvic_tilt=tilt)
    for j, expected in enumerate(BRIEF_FORCED[tilt]):
        values = result.muscle_forced_knee_flexion[:, j]
        if expected is None:
            assert np.all(values == 0)
        else:
            low, high = expected
            assert values.min() >= 0.5 * low
            assert values.max() <= high


@pytest.mark.parametrize("speed", ["normal", "fast"])
def test_negative_reserve_and_forced_knee_flexion_go_together(speed):
    for tilt in (-10, 0, 12.5, 25):
        swept = chain.sweep(np.linspace(0, 120, 2401), pelvic_tilt=tilt, speed=speed)
        np.testing.assert_array_equal(
            swept.muscle_reserve_mm < 0, swept.muscle_forced_knee_flexion > 0
        )


def test_forced_knee_flexion_exactly_fits_the_max_length():
    result = chain.walk(100, pelvic_tilt=15)
    for m, muscle in zip(result.muscles, chain.HAMSTRINGS):
        assert m.forced_knee_flexion > 0
        length = chain.hamstring_length(m.hip_at_peak, m.forced_knee_flexion, muscle)
        assert length * 1000 == pytest.approx(m.max_length_mm, abs=1e-6)
        # and any less flexion would not fit
        assert (
            chain.hamstring_length(m.hip_at_peak, m.forced_knee_flexion - 0.5, muscle) * 1000
            > m.max_length_mm
        )


# --- the result object and its consistency ----------------------------------------------------


def test_walk_result_fields_are_consistent():
    result = chain.walk(85, pelvic_tilt=10)
    by_pct = min(result.muscles, key=lambda m: m.reserve_pct)
    assert result.critical_muscle == by_pct.muscle
    assert result.reserve_pct == by_pct.reserve_pct
    assert result.reserve_mm == min(m.reserve_mm for m in result.muscles)
    assert result.forced_knee_flexion == max(m.forced_knee_flexion for m in result.muscles)
    for m in result.muscles:
        assert m.reserve_mm == pytest.approx(m.max_length_mm - m.peak_demand_mm)
        assert m.reserve_pct == pytest.approx(m.reserve_mm / m.resting_length_mm * 100)
        assert m.max_length_ake == pytest.approx(85)
    assert result.demand_mm.shape == (3, 101)
    assert result.phase.shape == result.hip_flexion.shape == result.knee_flexion.shape == (101,)
    np.testing.assert_allclose(result.hip_flexion, result.thigh + 10)
    np.testing.assert_allclose(
        result.demand_mm.max(axis=1), [m.peak_demand_mm for m in result.muscles]
    )


def test_walk_result_is_immutable():
    result = chain.walk(30)
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.reserve_mm = 0  # type: ignore[misc]
    with pytest.raises(ValueError):
        result.demand_mm[0, 0] = 0


def test_tightness_by_slr_matches_the_equivalent_ake():
    slr = float(chain.slr_from_ake(40.0, "semimembranosus"))
    by_slr, by_ake = chain.walk(slr=slr), chain.walk(40.0)
    assert by_slr.test == "slr" and by_ake.test == "ake"
    assert by_slr.muscle("semimembranosus").max_length_mm == pytest.approx(
        by_ake.muscle("semimembranosus").max_length_mm
    )
    assert by_slr.muscle("semimembranosus").max_length_slr == pytest.approx(slr)


def test_sweep_agrees_with_walk_point_by_point():
    values = [0, 22.5, 60, 85, 120]
    swept = chain.sweep(values, pelvic_tilt=12, speed="fast")
    for j, ake in enumerate(values):
        single = chain.walk(ake, pelvic_tilt=12, speed="fast")
        assert swept.reserve_mm[j] == pytest.approx(single.reserve_mm)
        assert swept.reserve_pct[j] == pytest.approx(single.reserve_pct)
        assert swept.forced_knee_flexion[j] == pytest.approx(single.forced_knee_flexion)
    by_slr = chain.sweep(slr=[25.0, 70.0])
    assert by_slr.forced_knee_flexion[0] > 0 == by_slr.forced_knee_flexion[1]


def test_assumptions_and_sources_travel_with_the_result():
    normal, fast = chain.walk(30, pelvic_tilt=7), chain.walk(30, speed="fast")
    text = " ".join(normal.assumptions)
    assert "not a published regression" in text and "7°" in text and "assumed" in text
    assert not any("Fast walking" in a for a in normal.assumptions)
    assert any("Fast walking is modelled" in a for a in fast.assumptions)
    assert "agarwal-harding2010" in fast.sources and "agarwal-harding2010" not in normal.sources
    assert {"rajagopal2016", "hamfoot-model", "winter-biomechanics"} <= set(normal.sources)
    assert any("90°" in a for a in chain.walk(slr=100).assumptions)
    assert "reserve" in normal.summary and "knee must stay bent" in chain.walk(100).summary


# --- input validation -------------------------------------------------------------------------


@pytest.mark.parametrize("bad", [-5, -0.1, 120.5, 500, np.nan, np.inf, -np.inf, "30", True, [30]])
def test_walk_rejects_bad_ake_deficit(bad):
    with pytest.raises(ValueError) as info:
        chain.walk(bad)
    message = str(info.value)
    assert message.startswith("ake_deficit must be between 0 and 120 degrees")
    assert "deficit from full knee extension" in message and "got" in message


def test_error_message_shows_the_offending_value():
    with pytest.raises(ValueError, match=r"hip at 90°\); got -5$"):
        chain.walk(-5)


@pytest.mark.parametrize("bad", [-10.5, 26, np.nan, "10", None])
def test_walk_rejects_bad_pelvic_tilt(bad):
    with pytest.raises(
        ValueError, match=r"pelvic_tilt must be between -10 and 25 degrees .*anterior tilt positive"
    ):
        chain.walk(30, pelvic_tilt=bad)


@pytest.mark.parametrize("bad", ["slow", "Normal", "", None, 2])
def test_walk_rejects_bad_speed(bad):
    with pytest.raises(ValueError, match="speed must be one of 'normal', 'fast'"):
        chain.walk(30, speed=bad)


@pytest.mark.parametrize("bad", [-1, 121, np.nan])
def test_walk_rejects_bad_slr(bad):
    with pytest.raises(
        ValueError, match=r"slr must be between 0 and 120 degrees .*straight-leg raise"
    ):
        chain.walk(slr=bad)


def test_walk_needs_exactly_one_test_result():
    with pytest.raises(ValueError, match="exactly one"):
        chain.walk()
    with pytest.raises(ValueError, match="exactly one"):
        chain.walk(30, slr=60)


@pytest.mark.parametrize("bad", [[10, -1], [10, np.nan], [[10, 20]], "abc"])
def test_sweep_rejects_bad_values(bad):
    with pytest.raises(ValueError, match="ake_deficits"):
        chain.sweep(bad)


# --- downstream -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("knee", "forefoot", "heel"), [(0, 46.6, 35.37), (20, 55.6, 30.87), (40, 61.25, 26.37)]
)
def test_harty_points_are_reproduced_exactly(knee, forefoot, heel):
    estimate = chain.forefoot_loading(knee)
    assert estimate.value == forefoot
    assert estimate.label == "measured" and estimate.source == "harty2005"
    assert chain.heel_loading(knee).value == heel


def test_harty_interpolates_between_points_and_says_so():
    estimate = chain.forefoot_loading(10)
    assert estimate.value == pytest.approx((46.6 + 55.6) / 2)
    assert estimate.label == "modelled"
    assert chain.forefoot_loading(30).value == pytest.approx((55.6 + 61.25) / 2)


@pytest.mark.parametrize("bad", [-1, 40.01, 60, np.nan])
def test_harty_refuses_to_extrapolate(bad):
    with pytest.raises(
        ValueError, match=r"knee_flexion must be between 0 and 40 degrees .*Harty 2005 measured"
    ):
        chain.forefoot_loading(bad)


def test_walk_leaves_forefoot_empty_beyond_hartys_range():
    result = chain.walk(120, pelvic_tilt=25)
    assert result.forced_knee_flexion > 40
    assert result.forefoot_loading is None


def test_gastrocnemius_slackens_with_knee_flexion():
    estimate = chain.plantarflexion_equivalent(20)
    assert estimate.value == pytest.approx(5.8, abs=0.05)
    assert estimate.label == "modelled" and estimate.source == "hawkins-hull1990"
    change = chain.gastrocnemius_length_change(20)
    assert change.value == pytest.approx((1.0802 - 1.0926) / 1.0926 * 100, abs=0.01)
    assert chain.gastrocnemius_length_change(0).value == 0.0


def test_windlass_take_up():
    hicks = chain.windlass_take_up(90)
    assert hicks.value == pytest.approx(10.0, abs=0.1)  # Hicks 1954: ≈ 1 cm at 90°
    assert hicks.label == "modelled" and hicks.source == "hicks1954"
    assert chain.windlass_take_up(45, radius_mm=8).value == pytest.approx(
        6.3, abs=0.05
    )  # brief §D.3
    assert chain.windlass_take_up(60, radius_mm=10).value == pytest.approx(10.5, abs=0.05)
    normal, fast = chain.windlass_take_up(), chain.windlass_take_up(speed="fast")
    assert normal.value == pytest.approx(6.4 * np.radians(52))  # Caravaggi 2010 slow: 52°
    assert fast.value == pytest.approx(6.4 * np.radians(64))  # fast: 64°
    assert "caravaggi2010" in normal.sources
    assert chain.first_mtp_dorsiflexion("fast").label == "measured"


@pytest.mark.parametrize(
    ("kwargs", "name"),
    [
        ({"mtp_dorsiflexion": -5}, "mtp_dorsiflexion"),
        ({"radius_mm": 0}, "radius_mm"),
        ({"speed": "run"}, "speed"),
    ],
)
def test_windlass_rejects_bad_input(kwargs, name):
    with pytest.raises(ValueError, match=name):
        chain.windlass_take_up(**kwargs)


def test_chain_does_not_import_heavy_libraries():
    import subprocess
    import sys

    code = "import sys, hamfoot.chain; print(any(m in sys.modules for m in ('pandas', 'matplotlib', 'ipywidgets')))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_muscle_lookup_names_the_choices():
    with pytest.raises(KeyError, match="semimembranosus"):
        chain.walk(30).muscle("gracilis")
    with pytest.raises(ValueError, match="muscle must be one of"):
        muscles.hamstring_length(0, 0, "gracilis")
