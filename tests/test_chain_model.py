"""The kinetic-chain model's building blocks, pinned to the evidence brief (§C.1, §D.1, §D.2).

Expected numbers below were copied from the published sources the model cites (via the course's research notes), not from the code.
Where the brief's own numbers came from the full OpenSim geometry rather than from the quadratic
fit the package uses, the tolerance says so.
"""

from __future__ import annotations

import numpy as np
import pytest

import hamfoot.chain as chain
from hamfoot.chain import _tables, gait, muscles

SM, ST, BF = chain.HAMSTRINGS


# --- gait: Winter's table and its Fourier fit -------------------------------------------------


def test_fourier_fit_within_one_degree_of_every_tabulated_point():
    errors = gait.fit_errors()
    assert set(errors) == set(gait.JOINT_COLUMNS)
    for column, error in errors.items():
        assert error.shape == (21,)
        assert np.abs(error).max() <= 1.0 + 1e-9, column
        # away from heel strike the fit is far tighter than the 1° requirement
        assert np.abs(error[1:-1]).max() < 0.6, column


def test_fit_passes_halfway_between_the_two_heel_strikes():
    """The 0 % and 100 % rows are different heel strikes; a periodic curve can at best split them."""
    table = gait.winter_table()
    at_heel_strike = gait.walking_angles([0.0, 100.0])
    expected_knee = (table["knee_flexion_deg"][0] + table["knee_flexion_deg"][-1]) / 2
    expected_ankle = (table["ankle_dorsiflexion_deg"][0] + table["ankle_dorsiflexion_deg"][-1]) / 2
    assert at_heel_strike.knee == pytest.approx([expected_knee] * 2, abs=1e-9)
    assert at_heel_strike.ankle == pytest.approx([expected_ankle] * 2, abs=1e-9)


def test_gait_curve_is_periodic_and_vectorised():
    phases = np.array([3.3, 47.0, 96.5])
    a, b = gait.walking_angles(phases), gait.walking_angles(phases + 100.0)
    np.testing.assert_allclose(a.knee, b.knee, atol=1e-9)
    np.testing.assert_allclose(a.thigh, b.thigh, atol=1e-9)
    assert gait.walking_angles().knee.shape == (101,)


def test_gait_extremes_match_the_brief():
    angles = gait.walking_angles()
    # brief §D.2a: knee peak swing flexion 59.6° at 71 %; thigh peak 25.6° (86 %), trough −16.6° (49 %)
    assert angles.knee.max() == pytest.approx(59.6, abs=1.0)
    assert angles.phase[angles.knee.argmax()] == pytest.approx(71, abs=2)
    assert angles.thigh.max() == pytest.approx(25.6, abs=1.0)
    assert angles.phase[angles.thigh.argmax()] == pytest.approx(86, abs=2)
    assert angles.thigh.min() == pytest.approx(-16.6, abs=1.0)
    assert angles.phase[angles.thigh.argmin()] == pytest.approx(49, abs=2)


def test_swing_peaks_agree_with_textbook_ranges():
    """Perry-style values [V2]: knee 60–70° at ~70 %; hip 30–35° at ~85 % (with the typical 10° tilt)."""
    perry = gait.perry_reference_values()
    angles = gait.walking_angles()
    hip = gait.hamstring_hip_flexion(angles.thigh, 10.0)
    rows = {(e, j): i for i, (e, j) in enumerate(zip(perry["event"], perry["joint"]))}
    knee_row, hip_row = rows[("swing", "knee")], rows[("swing", "hip")]
    assert perry["min_deg"][knee_row] - 1 <= angles.knee.max() <= perry["max_deg"][knee_row]
    assert perry["min_deg"][hip_row] <= hip.max() <= perry["max_deg"][hip_row] + 1


def test_fast_walking_widens_the_thigh_swing_by_caravaggis_ratio_only():
    normal, fast = gait.walking_angles(speed="normal"), gait.walking_angles(speed="fast")
    ratio = np.ptp(fast.thigh) / np.ptp(normal.thigh)
    assert ratio == pytest.approx(64 / 52, rel=1e-9)  # Caravaggi 2010: 64° fast vs 52° slow
    np.testing.assert_array_equal(fast.knee, normal.knee)


@pytest.mark.parametrize("bad", [np.nan, np.inf, [1.0, np.nan]])
def test_gait_rejects_non_finite_phase(bad):
    with pytest.raises(ValueError, match="phase"):
        gait.walking_angles(bad)


@pytest.mark.parametrize("bad", ["slow", "FAST", None, 1])
def test_gait_rejects_unknown_speed(bad):
    with pytest.raises(ValueError, match="speed must be one of 'normal', 'fast'"):
        gait.walking_angles(speed=bad)


# --- muscle–tendon lengths -------------------------------------------------------------------


def test_hamstring_coefficients_are_the_briefs():
    fit = muscles.hamstring_fit()
    assert fit.muscles == (SM, ST, BF)
    np.testing.assert_array_equal(
        fit.c[0], [0.41540, 8.1897e-4, -8.0929e-4, 5.9656e-7, 8.3566e-7, 1.5246e-8]
    )
    np.testing.assert_array_equal(fit.c[2, [0, 5]], [0.41715, -3.1222e-9])


def test_hamstring_length_vectorises_over_angles():
    hip, knee = np.linspace(-20, 90, 5), np.linspace(0, 120, 5)
    all_three = chain.hamstring_length(hip, knee)
    assert all_three.shape == (3, 5)
    np.testing.assert_allclose(chain.hamstring_length(hip, knee, ST), all_three[1])
    assert chain.hamstring_length(hip[:, None], knee[None, :]).shape == (3, 5, 5)
    # longer with hip flexion, shorter with knee flexion: the two-joint signature
    assert np.all(np.diff(chain.hamstring_length(hip, 0.0), axis=-1) > 0)
    assert np.all(np.diff(chain.hamstring_length(45.0, knee), axis=-1) < 0)


@pytest.mark.parametrize(
    ("hip", "knee", "expected", "tolerance"),
    [
        (90, 0, (18.9, 20.8, 21.2), 0.15),  # SLR 90° / AKE 0°
        # the brief's % come from the full geometry; the quadratic fit (RMSE ≈ 2 mm) differs
        # from it by up to ≈ 1.1 % of L0 (≈ 4.5 mm) at these positions
        (70, 0, (15.4, 16.7, 17.3), 1.1),
        (30, 0, (6.4, 6.8, 7.2), 1.1),
        (90, 20, (16.0, 17.6, 18.6), 1.1),
        (90, 40, (12.4, 13.8, 15.8), 1.1),
    ],
)
def test_relative_length_at_clinical_positions(hip, knee, expected, tolerance):
    """Brief §D.1d: length at test positions as % above L0 (pelvis fixed)."""
    percent = (chain.hamstring_length(hip, knee) / chain.resting_length() - 1) * 100
    np.testing.assert_allclose(percent, expected, atol=tolerance)


def test_inverse_solutions_recover_the_angles():
    hip, knee = np.meshgrid(np.linspace(-20, 90, 12), np.linspace(0, 120, 13))
    for muscle in chain.HAMSTRINGS:
        length = chain.hamstring_length(hip, knee, muscle)
        np.testing.assert_allclose(
            muscles.knee_flexion_for_length(length, hip, muscle), knee, atol=1e-6
        )
        np.testing.assert_allclose(
            muscles.hip_flexion_for_length(length, knee, muscle), hip, atol=1e-6
        )


def test_inverse_with_all_muscles_needs_a_muscle_axis():
    with pytest.raises(ValueError, match="leading axis of 3"):
        muscles.hip_flexion_for_length(np.ones(4) * 0.45)


def test_hawkins_hull_knee_flexion_equals_plantarflexion():
    """Brief §D.1b: 20° knee flexion ≈ 5.8° ankle plantarflexion; 40° ≈ 11.6° (medial gastrocnemius)."""
    assert muscles.knee_to_ankle_equivalent(20.0) == pytest.approx(5.8, abs=0.05)
    assert muscles.knee_to_ankle_equivalent(40.0) == pytest.approx(11.6, abs=0.05)
    # soleus crosses only the ankle: knee flexion cannot slacken it
    assert muscles.knee_to_ankle_equivalent(40.0, "soleus") == 0.0


@pytest.mark.parametrize(
    ("knee", "expected"), [(0, 1.0926), (20, 1.0802), (40, 1.0678), (90, 1.0368)]
)
def test_hawkins_hull_medial_gastrocnemius_lengths(knee, expected):
    assert muscles.calf_length(knee, 90.0) == pytest.approx(expected, abs=1e-4)


# --- clinical tests → maximum length ----------------------------------------------------------

# Brief §C.1, model-based equivalence (AKE deficit → SLR per muscle).
EQUIVALENCE = [
    (10, 81, 82, 83),
    (20, 73, 74, 76),
    (30, 64, 66, 70),
    (40, 56, 58, 64),
    (50, 47, 49, 57),
    (60, 39, 41, 51),
    (70, 31, 33, 45),
    (85, 19, 21, 37),
]


@pytest.mark.parametrize(("ake", "sm", "st", "bf"), EQUIVALENCE)
def test_ake_to_slr_equivalence_table(ake, sm, st, bf):
    slr = chain.slr_from_ake(ake)
    # the table is rounded to whole degrees and the fit carries ≈ 2 mm error: 1.5° tolerance
    assert slr[0] == pytest.approx(sm, abs=1.5)
    assert slr[1] == pytest.approx(st, abs=1.5)
    # biceps femoris: the brief's table came from the full geometry; the fit runs up to 2.5° higher
    assert slr[2] == pytest.approx(bf, abs=3.0)


def test_ake_and_slr_conversions_are_inverse_and_ordered():
    ake = np.linspace(0, 120, 25)
    slr = chain.slr_from_ake(ake)
    assert np.all(np.diff(slr, axis=-1) < 0)  # a bigger deficit means a shorter muscle
    for m, muscle in enumerate(chain.HAMSTRINGS):
        reachable = slr[m] >= 0  # very large deficits map below SLR 0°, outside the SLR range
        back = chain.ake_from_slr(slr[m][reachable], muscle)
        np.testing.assert_allclose(back, ake[reachable], atol=1e-6)
    assert chain.max_length_from_ake(0.0) == pytest.approx(chain.max_length_from_slr(90.0))


@pytest.mark.parametrize("bad", [-5, 121, np.nan, np.inf, "40", True, None, [10, -1]])
def test_max_length_from_ake_rejects_bad_input(bad):
    with pytest.raises(
        ValueError,
        match=r"ake_deficit must be .*between 0 and 120 degrees.*deficit from full knee extension",
    ):
        chain.max_length_from_ake(bad)


# --- data files -------------------------------------------------------------------------------


def test_table_parser_skips_comments_and_names_file_row_and_field():
    table = _tables.parse("# references: a, b\n# more\nx,y\n1,2\n3,4\n", "t.csv", numeric=("x",))
    assert table.references == ("a", "b")
    np.testing.assert_array_equal(table["x"], [1, 3])
    with pytest.raises(
        ValueError, match=r"data/gait/t.csv, row 2, field 'x': 'oops' is not a number"
    ):
        _tables.parse("x,y\n1,2\noops,4\n", "t.csv", numeric=("x",))
    with pytest.raises(ValueError, match=r"t.csv, row 1: expected 2 fields, found 3"):
        _tables.parse("x,y\n1,2,3\n", "t.csv")


def test_every_gait_table_cites_known_references():
    yaml = pytest.importorskip("yaml")
    from importlib.resources import files

    known = {
        entry["id"]
        for entry in yaml.safe_load((files("hamfoot.data") / "references.yaml").read_text())
    }
    names = [p.name for p in (files("hamfoot.data") / "gait").iterdir() if p.name.endswith(".csv")]
    assert len(names) >= 6
    for name in names:
        cited = _tables.load(name).references
        assert cited, f"data/gait/{name} has no '# references:' line"
        assert set(cited) <= known, f"data/gait/{name}: unknown ids {set(cited) - known}"
