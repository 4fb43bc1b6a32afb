"""Demand against reserve: how much hamstring length walking needs, and how much a person has.

Demand: the hamstring length at each of 101 phases of normal walking (hip = thigh-vs-vertical +
pelvic tilt, knee from the same table). Reserve: the longest length the clinical test allows minus
the peak demand. Where the reserve is negative, the knee cannot straighten at that moment; the
smallest knee flexion that fits is solved in closed form. This is the number that tests the
article's claim that tight hamstrings force a bent-knee gait.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np

from . import _checks
from . import clinical_tests as ct
from . import downstream as ds
from .gait import (
    HARMONICS,
    check_pelvic_tilt,
    check_speed,
    fast_walking_scale,
    hamstring_hip_flexion,
    walking_angles,
)
from .muscles import (
    HAMSTRING_SOURCES,
    HAMSTRINGS,
    hamstring_fit,
    hamstring_length,
    knee_flexion_for_length,
    resting_length,
)

KINEMATICS_SOURCES = ("winter-biomechanics", "bmc-repository")
WALK_SOURCES = (
    KINEMATICS_SOURCES
    + HAMSTRING_SOURCES
    + (
        "hawkins-hull1990",
        "moltubakk-mtu-code",
        "harty2005",
        "hicks1954",
        "caravaggi2010",
    )
)
TOE_OFF_PCT = 61.0  # Winter's trial as processed for this course


def phase_name(percent: float) -> str:
    """Words for a phase of the cycle, using the toe-off of the Winter trial (≈ 61 %)."""
    if percent < TOE_OFF_PCT:
        return "stance"
    return "late swing, just before heel strike" if percent >= 85 else "swing"


@dataclass(frozen=True)
class MuscleDemand:
    """One hamstring's numbers. Lengths in mm, angles in degrees, phase in % of the gait cycle."""

    muscle: str
    label: str
    resting_length_mm: float  # L0: hip and knee at 0°
    max_length_mm: float  # longest length the clinical test allows
    peak_demand_mm: float  # longest length normal walking needs
    peak_demand_phase: float
    hip_at_peak: float  # hip flexion incl. pelvic tilt
    knee_at_peak: float
    reserve_mm: float  # max length − peak demand (negative = demand exceeds supply)
    reserve_pct: float  # reserve as % of L0
    forced_knee_flexion: float  # knee flexion needed at the peak phase; 0 when reserve ≥ 0
    peak_demand_slr: float  # SLR (pelvis fixed) that stretches the muscle as far as walking does
    max_length_slr: float  # SLR-equivalent of the max length
    max_length_ake: float  # AKE-equivalent of the max length


@dataclass(frozen=True)
class WalkResult:
    """One gait cycle for one tightness. See ``assumptions`` before quoting any number."""

    test: str  # "ake" or "slr"
    test_value: float  # degrees, in that test's convention
    pelvic_tilt: float
    speed: str
    muscles: tuple[MuscleDemand, ...]
    critical_muscle: str  # the hamstring with the smallest reserve (% of L0)
    peak_demand_phase: float  # of the critical muscle, % of the cycle
    reserve_mm: float  # smallest over the three hamstrings
    reserve_pct: float  # smallest over the three hamstrings
    forced_knee_flexion: float  # largest over the three hamstrings, degrees
    peak_demand_slr: float  # largest SLR-equivalent of peak walking demand over the hamstrings
    phase: np.ndarray  # (101,) % of the cycle
    hip_flexion: np.ndarray  # (101,) as seen by the hamstrings (thigh + pelvic tilt)
    thigh: np.ndarray  # (101,) thigh vs vertical
    knee_flexion: np.ndarray  # (101,)
    ankle_dorsiflexion: np.ndarray  # (101,) initial contact = 0
    demand_mm: np.ndarray  # (3, 101) hamstring length over the cycle
    max_length_mm: np.ndarray  # (3,)
    resting_length_mm: np.ndarray  # (3,)
    gastrocnemius_change: (
        ds.Estimate
    )  # medial gastrocnemius length change at the forced knee flexion
    plantarflexion_equivalent: ds.Estimate
    forefoot_loading: ds.Estimate | None  # None when the forced knee flexion exceeds Harty's 40°
    windlass: ds.Estimate
    assumptions: tuple[str, ...]
    sources: tuple[str, ...]

    def muscle(self, name: str) -> MuscleDemand:
        """The :class:`MuscleDemand` of one hamstring, by id (e.g. ``"semimembranosus"``)."""
        for m in self.muscles:
            if m.muscle == name:
                return m
        raise KeyError(f"no hamstring {name!r}; choose from {', '.join(HAMSTRINGS)}")

    @property
    def summary(self) -> str:
        """One sentence in words, for screen readers and the lesson's text summaries."""
        test = (
            f"AKE deficit {self.test_value:g}°"
            if self.test == "ake"
            else f"SLR {self.test_value:g}°"
        )
        peak = f"peak walking demand at {self.peak_demand_phase:.0f}% of the cycle ({phase_name(self.peak_demand_phase)})"
        if self.forced_knee_flexion > 0:
            fit = (
                f"demand exceeds the available length by {-self.reserve_mm:.1f} mm, so the knee "
                f"must stay bent about {self.forced_knee_flexion:.0f}° at that moment"
            )
        else:
            fit = (
                f"at least {self.reserve_mm:.1f} mm ({self.reserve_pct:.1f}% of resting length) "
                f"is left in reserve, so walking needs no extra knee flexion"
            )
        return f"{test}, pelvic tilt {self.pelvic_tilt:g}°, {self.speed} walking: {peak}; {fit} (modelled)."


@dataclass(frozen=True)
class SweepResult:
    """Many tightness values at one pelvic tilt and speed; arrays have N = number of values."""

    test: str
    test_values: np.ndarray  # (N,)
    pelvic_tilt: float
    speed: str
    max_length_mm: np.ndarray  # (3, N)
    muscle_reserve_mm: np.ndarray  # (3, N)
    muscle_reserve_pct: np.ndarray  # (3, N)
    muscle_forced_knee_flexion: np.ndarray  # (3, N)
    reserve_mm: np.ndarray  # (N,) smallest over the hamstrings
    reserve_pct: np.ndarray  # (N,)
    forced_knee_flexion: np.ndarray  # (N,) largest over the hamstrings
    peak_demand_mm: np.ndarray  # (3,)
    peak_demand_phase: np.ndarray  # (3,)
    peak_demand_slr: np.ndarray  # (3,)


def _resolve_test(ake_deficit: object, slr: object) -> tuple[str, object]:
    if (ake_deficit is None) == (slr is None):
        raise ValueError(
            "give exactly one hamstring test result: ake_deficit (degrees, deficit from full knee "
            "extension with the hip at 90°) or slr (degrees, passive straight-leg raise)"
        )
    return ("ake", ake_deficit) if slr is None else ("slr", slr)


def _walking_demand(pelvic_tilt: float, speed: str):
    """Angles over the cycle, the knee angles used for length, and the (3, 101) lengths (m).

    The table's knee dips to −0.4° (slight hyperextension) near 95 %; the length fit covers knee
    0–120°, so the model uses 0° there. That also keeps "reserve < 0" and "forced knee flexion
    > 0" exactly equivalent.
    """
    angles = walking_angles(None, speed)
    hip = hamstring_hip_flexion(angles.thigh, pelvic_tilt)
    knee = np.maximum(angles.knee, 0.0)
    return angles, hip, knee, hamstring_length(hip, knee)


_MUSCLE_ROWS = np.arange(len(HAMSTRINGS))


def _peak(demand: np.ndarray, hip: np.ndarray, knee: np.ndarray):
    """Per-muscle peak demand (m), its phase index, and hip/knee angles there."""
    i = demand.argmax(axis=-1)
    return demand[_MUSCLE_ROWS, i], i, hip[i], knee[i]


def _forced_knee(max_len: np.ndarray, peak: np.ndarray, hip_peak: np.ndarray) -> np.ndarray:
    """Smallest knee flexion k ≥ 0 with L(hip_peak, k) ≤ max length; 0 where the reserve is ≥ 0.

    ``max_len`` has shape (3, …); ``peak`` and ``hip_peak`` shape (3,).
    """
    extra = (max_len.ndim - 1) * (None,)
    needed = knee_flexion_for_length(max_len, hip_peak[(slice(None),) + extra])
    short = max_len < peak[(slice(None),) + extra]
    return np.where(short, np.maximum(needed, 0.0), 0.0)


@functools.lru_cache(maxsize=256)
def _assumptions(pelvic_tilt: float, speed: str, slr_beyond_fit: bool) -> tuple[str, ...]:
    """Every modelling assumption behind a ``walk`` result, in words (cached: strings only)."""
    fit = hamstring_fit()
    knee = walking_angles(None, speed).knee
    out = [
        "Hamstring lengths come from quadratic fits to the OpenSim Rajagopal 2016 geometry, computed "
        "for this course (the course's own calculation) – not a published regression (fit error "
        f"{fit.rmse_mm.min():g}–{fit.rmse_mm.max():g} mm RMSE).",
        f"Walking angles: one adult from Winter's Table A.1, processed for this course and smoothed "
        f"with a {HARMONICS}-harmonic Fourier series (normal speed ≈ 1.46 m/s).",
        f"Hip flexion for the hamstrings = thigh-vs-vertical + a pelvic tilt offset of {pelvic_tilt:g}° "
        "(anterior tilt positive); the offset is assumed, not measured.",
        "The clinical test's end point is taken as the longest length the muscle allows; passive "
        "tension starts before that end range, so real reserves are smaller.",
        "The pelvis is fixed in the test conversions: the SLR here is the pure hip angle, while "
        "clinical SLR readings run higher because the pelvis tilts backwards during the test.",
        "Muscles are treated as passive cables; the hamstrings are also active in terminal swing, "
        "which the model ignores.",
        "Forced knee flexion is solved at the phase of peak demand in normal walking; the rest of "
        "the gait is not re-simulated.",
        "Downstream numbers treat the forced knee flexion as if the knee stayed bent that much "
        "through stance, as in Harty 2005's braced-knee walking.",
        "Single subject (Winter's); running and sprinting need far more hamstring length than walking.",
    ]
    if speed == "fast":
        out.append(
            f"Fast walking is modelled, not measured: the thigh's swing about its mean is widened "
            f"×{fast_walking_scale():.2f}, the fast/slow ratio of Caravaggi 2010's big-toe "
            "dorsiflexion (64°/52°). Agarwal-Harding 2010 found that peak hamstring length rises "
            "with walking speed, but no fast-walking hip angle table was available."
        )
    if slr_beyond_fit:
        out.append(
            "An SLR above 90° lies beyond the hip range the length fit was made for (−20…90°)."
        )
    if knee.min() < 0:
        out.append(
            f"The walking knee dips to {knee.min():.1f}° (slight hyperextension) near the end of "
            "swing; the length fit covers 0–120°, so the model uses 0° there."
        )
    return tuple(out)


def walk(
    ake_deficit: float | None = None,
    pelvic_tilt: float = 10.0,
    speed: str = "normal",
    *,
    slr: float | None = None,
) -> WalkResult:
    """One gait cycle against one hamstring test result.

    Parameters (degrees): ``ake_deficit`` – active knee extension deficit from full extension with
    the hip at 90° (0–120); or, instead, keyword ``slr`` – passive straight-leg raise (0–120).
    ``pelvic_tilt`` – anterior pelvic offset added to the thigh angle (−10 to 25; default 10, the
    typical value assumed by the model). ``speed`` – ``"normal"`` or ``"fast"`` (fast is modelled).
    """
    test, raw = _resolve_test(ake_deficit, slr)
    value = ct.check_ake(raw) if test == "ake" else ct.check_slr(raw)
    pelvic_tilt = check_pelvic_tilt(pelvic_tilt)
    speed = check_speed(speed)

    angles, hip, knee, demand = _walking_demand(pelvic_tilt, speed)
    # value is already checked, so go straight to the length fit (the slider path must be quick)
    max_len = hamstring_length(ct.AKE_HIP, value) if test == "ake" else hamstring_length(value, 0.0)
    peak, i, hip_peak, knee_peak = _peak(demand, hip, knee)
    l0 = resting_length()
    reserve = max_len - peak
    reserve_pct = reserve / l0 * 100
    # one call per inverse: column 0 = the max length, column 1 = the peak demand
    lengths = np.stack([max_len, peak], axis=1)
    slr_eq = ct.slr_equivalent(lengths)
    ake_eq = ct.ake_equivalent(max_len)
    forced = _forced_knee(max_len, peak, hip_peak)

    fit = hamstring_fit()
    rows = zip(
        HAMSTRINGS,
        fit.labels,
        (l0 * 1000).tolist(),
        (max_len * 1000).tolist(),
        (peak * 1000).tolist(),
        angles.phase[i].tolist(),
        hip_peak.tolist(),
        knee_peak.tolist(),
        (reserve * 1000).tolist(),
        reserve_pct.tolist(),
        forced.tolist(),
        slr_eq[:, 1].tolist(),
        slr_eq[:, 0].tolist(),
        ake_eq.tolist(),
    )
    muscles = tuple(MuscleDemand(*row) for row in rows)
    critical = min(range(len(muscles)), key=lambda m: muscles[m].reserve_pct)
    knee_forced = max(m.forced_knee_flexion for m in muscles)
    forefoot = ds.forefoot_loading(knee_forced) if knee_forced <= 40 else None
    sources = WALK_SOURCES + (("agarwal-harding2010",) if speed == "fast" else ())
    return WalkResult(
        test=test,
        test_value=value,
        pelvic_tilt=pelvic_tilt,
        speed=speed,
        muscles=muscles,
        critical_muscle=HAMSTRINGS[critical],
        peak_demand_phase=muscles[critical].peak_demand_phase,
        reserve_mm=min(m.reserve_mm for m in muscles),
        reserve_pct=muscles[critical].reserve_pct,
        forced_knee_flexion=knee_forced,
        peak_demand_slr=max(m.peak_demand_slr for m in muscles),
        phase=angles.phase,
        hip_flexion=_frozen(hip),
        thigh=_frozen(angles.thigh),
        knee_flexion=_frozen(angles.knee),
        ankle_dorsiflexion=_frozen(angles.ankle),
        demand_mm=_frozen(demand * 1000),
        max_length_mm=_frozen(max_len * 1000),
        resting_length_mm=_frozen(l0 * 1000),
        gastrocnemius_change=ds.gastrocnemius_length_change(knee_forced),
        plantarflexion_equivalent=ds.plantarflexion_equivalent(knee_forced),
        forefoot_loading=forefoot,
        windlass=ds.windlass_take_up(speed=speed),
        assumptions=_assumptions(pelvic_tilt, speed, test == "slr" and value > 90),
        sources=sources,
    )


def sweep(
    ake_deficits: object = None,
    pelvic_tilt: float = 10.0,
    speed: str = "normal",
    *,
    slr: object = None,
) -> SweepResult:
    """Reserve and forced knee flexion for many tightness values at once (vectorised).

    Walking demand does not depend on tightness, so it is computed once; each tightness value
    then costs a handful of array operations.
    """
    test, raw = _resolve_test(ake_deficits, slr)
    name = "ake_deficits" if test == "ake" else "slr"
    if test == "ake":
        values = _checks.angles(name, raw, *ct.AKE_RANGE, ct.AKE_MEANING)
    else:
        values = _checks.angles(name, raw, *ct.SLR_RANGE, ct.SLR_MEANING)
    values = np.atleast_1d(values)
    if values.ndim != 1:
        raise ValueError(f"{name} must be a 1-D sequence of angles; got shape {values.shape}")
    pelvic_tilt = check_pelvic_tilt(pelvic_tilt)
    speed = check_speed(speed)

    angles, hip, knee, demand = _walking_demand(pelvic_tilt, speed)
    peak, i, hip_peak, _ = _peak(demand, hip, knee)
    max_len = (
        hamstring_length(ct.AKE_HIP, values) if test == "ake" else hamstring_length(values, 0.0)
    )
    l0 = resting_length()[:, None]
    reserve = max_len - peak[:, None]
    reserve_pct = reserve / l0 * 100
    forced = _forced_knee(max_len, peak, hip_peak)
    return SweepResult(
        test=test,
        test_values=_frozen(values),
        pelvic_tilt=pelvic_tilt,
        speed=speed,
        max_length_mm=_frozen(max_len * 1000),
        muscle_reserve_mm=_frozen(reserve * 1000),
        muscle_reserve_pct=_frozen(reserve_pct),
        muscle_forced_knee_flexion=_frozen(forced),
        reserve_mm=_frozen(reserve.min(axis=0) * 1000),
        reserve_pct=_frozen(reserve_pct.min(axis=0)),
        forced_knee_flexion=_frozen(forced.max(axis=0)),
        peak_demand_mm=_frozen(peak * 1000),
        peak_demand_phase=_frozen(angles.phase[i]),
        peak_demand_slr=_frozen(ct.slr_equivalent(peak)),
    )


def _frozen(array: np.ndarray) -> np.ndarray:
    array = np.asarray(array)
    array.flags.writeable = False
    return array
