"""What a bent knee does further down the chain: calf length, forefoot loading, windlass take-up.

Each function returns an :class:`Estimate` that carries its own honesty label – ``"measured"``
(read from a study) or ``"modelled"`` (computed from a formula or fit) – and the reference ids it
rests on, so a lesson can never show one of these numbers without saying where it came from.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass

import numpy as np

from . import _checks, _tables
from .gait import check_speed, first_mtp_table
from .muscles import CALF_MUSCLES, CALF_SOURCES, calf_length, knee_to_ankle_equivalent

HARTY_TABLE = "harty2005_forefoot.csv"
MEASURED, MODELLED = "measured", "modelled"
KNEE_RANGE = (0.0, 120.0)
KNEE_MEANING = "knee flexion, 0 = straight"
MTP_RANGE = (0.0, 100.0)
MTP_MEANING = "big-toe (first MTP) dorsiflexion"


@dataclass(frozen=True)
class Estimate:
    """A number with its unit, its basis (measured or modelled) and its sources."""

    name: str
    value: float
    unit: str
    label: str  # "measured" or "modelled"
    sources: tuple[str, ...]
    note: str = ""

    @property
    def source(self) -> str:
        """The main reference id."""
        return self.sources[0]

    def __str__(self) -> str:
        return (
            f"{self.name}: {self.value:.1f} {self.unit} ({self.label}; {', '.join(self.sources)})"
        )


def _knee(knee_flexion: object) -> float:
    return _checks.angle("knee_flexion", knee_flexion, *KNEE_RANGE, KNEE_MEANING)


def _calf_muscle(muscle: str) -> str:
    if muscle not in CALF_MUSCLES:
        raise ValueError(f"muscle must be one of {', '.join(CALF_MUSCLES)}; got {muscle!r}")
    return muscle


def gastrocnemius_length_change(
    knee_flexion: object, muscle: str = "gastrocnemius-medialis"
) -> Estimate:
    """Change in calf muscle–tendon length (% of its length with the knee straight, ankle neutral).

    Negative = shorter: bending the knee slackens the gastrocnemius, it does not stretch it.
    """
    k = _knee(knee_flexion)
    muscle = _calf_muscle(muscle)
    straight = float(calf_length(0.0, 90.0, muscle))
    change = (float(calf_length(k, 90.0, muscle)) - straight) / straight * 100.0
    return Estimate(
        name=f"{muscle.replace('-', ' ')} length change at {round(k, 1):g}° knee flexion",
        value=change,
        unit="% of length with knee straight",
        label=MODELLED,
        sources=CALF_SOURCES,
        note="Hawkins & Hull 1990 regression, ankle at neutral; negative means shorter",
    )


def plantarflexion_equivalent(
    knee_flexion: object, muscle: str = "gastrocnemius-medialis"
) -> Estimate:
    """Ankle plantarflexion (°) that shortens the calf muscle as much as ``knee_flexion`` does."""
    k = _knee(knee_flexion)
    muscle = _calf_muscle(muscle)
    return Estimate(
        name=f"plantarflexion with the same {muscle.replace('-', ' ')} shortening as {round(k, 1):g}° knee flexion",
        value=float(knee_to_ankle_equivalent(k, muscle)),
        unit="degrees",
        label=MODELLED,
        sources=CALF_SOURCES,
        note="ratio of the knee and ankle terms of Hawkins & Hull 1990",
    )


def harty_table() -> _tables.Table:
    """Harty 2005: loading phases of foot contact with the knee braced at 0, 20 and 40°."""
    return _tables.load(
        HARTY_TABLE, numeric=("knee_flexion_deg", "forefoot_phase_pct", "heel_contact_phase_pct")
    )


@functools.cache
def _harty_points(column: str) -> tuple[tuple[float, ...], tuple[float, ...], str]:
    table = harty_table()
    knots = tuple(float(x) for x in table["knee_flexion_deg"])
    if list(knots) != sorted(set(knots)):
        raise ValueError(
            f"data/gait/{HARTY_TABLE}: field 'knee_flexion_deg' must increase row by row"
        )
    meaning = (
        f"knee braced in flexion; Harty 2005 measured walking only at "
        f"{', '.join(f'{x:g}' for x in knots)}° and the model does not extrapolate"
    )
    return knots, tuple(float(x) for x in table[column]), meaning


def _harty(knee_flexion: object, column: str, what: str) -> Estimate:
    knots, values, meaning = _harty_points(column)
    k = _checks.angle("knee_flexion", knee_flexion, knots[0], knots[-1], meaning)
    at_knot = k in knots
    j = max(i for i in range(len(knots) - 1) if knots[i] <= k) if k < knots[-1] else len(knots) - 2
    w = (k - knots[j]) / (knots[j + 1] - knots[j])
    return Estimate(
        name=f"{what} at {round(k, 1):g}° knee flexion",
        value=values[j] + w * (values[j + 1] - values[j]),
        unit="% of foot-contact time",
        label=MEASURED if at_knot else MODELLED,
        sources=("harty2005",),
        note="measured value"
        if at_knot
        else "linear interpolation between Harty 2005's measured points",
    )


def forefoot_loading(knee_flexion: object) -> Estimate:
    """Forefoot-loading share of foot contact for walking with the knee kept bent (Harty 2005).

    Exact at the measured 0°, 20° and 40° (label ``measured``); linear in between (``modelled``);
    refused outside 0–40°.
    """
    return _harty(knee_flexion, "forefoot_phase_pct", "forefoot-loading phase")


def heel_loading(knee_flexion: object) -> Estimate:
    """Heel-contact share of foot contact for walking with the knee kept bent (Harty 2005)."""
    return _harty(knee_flexion, "heel_contact_phase_pct", "heel-contact phase")


def first_mtp_dorsiflexion(speed: str = "normal") -> Estimate:
    """Peak big-toe dorsiflexion in late stance (Caravaggi 2010: slow 52°, fast 64°).

    Caravaggi compared slow and fast walking only; ``"normal"`` uses the slow value, which gives
    the smaller (more conservative) windlass take-up.
    """
    speed = check_speed(speed)
    table = first_mtp_table()
    row = list(table["speed"]).index("fast" if speed == "fast" else "slow")
    return Estimate(
        name=f"peak first-MTP dorsiflexion, {'fast' if speed == 'fast' else 'slow'} walking",
        value=float(table["mean_deg"][row]),
        unit="degrees",
        label=MEASURED,
        sources=("caravaggi2010",),
        note=f"mean ± {table['sd_deg'][row]:g}° (SD)"
        + (
            "; the study had no 'normal' speed, the slow value stands in"
            if speed == "normal"
            else ""
        ),
    )


def windlass_drum_radius() -> float:
    """Default drum radius (mm): chosen so that r·θ gives Hicks's ≈ 1 cm at 90° (modelled)."""
    return _tables.parameter("windlass_drum_radius")


def windlass_take_up(
    mtp_dorsiflexion: object = None, *, speed: str = "normal", radius_mm: object = None
) -> Estimate:
    """Shortening of the plantar 'cable' as the big toe extends: ΔL ≈ r·θ (Hicks 1954 windlass).

    ``mtp_dorsiflexion`` in degrees; by default Caravaggi 2010's peak for the walking ``speed``.
    ``radius_mm`` is the metatarsal-head drum radius (default 6.4 mm). A teaching formula: in real
    walking the arch rises and the relation is not linear (Sichting 2021).
    """
    sources = ["hicks1954", "hamfoot-model"]
    if mtp_dorsiflexion is None:
        theta = first_mtp_dorsiflexion(speed).value
        sources.append("caravaggi2010")
    else:
        check_speed(speed)
        theta = _checks.angle("mtp_dorsiflexion", mtp_dorsiflexion, *MTP_RANGE, MTP_MEANING)
    r = windlass_drum_radius() if radius_mm is None else _checks_radius(radius_mm)
    return Estimate(
        name=f"windlass take-up at {round(theta, 1):g}° big-toe dorsiflexion",
        value=r * math.radians(theta),
        unit="mm",
        label=MODELLED,
        sources=tuple(sources),
        note=f"ΔL = r·θ with drum radius r = {r:g} mm; a teaching formula, not a measurement",
    )


def _checks_radius(radius_mm: object) -> float:
    message = (
        f"radius_mm must be between 1 and 20 mm (metatarsal-head drum radius); got {radius_mm!r}"
    )
    if isinstance(radius_mm, bool) or not isinstance(radius_mm, (int, float, np.number)):
        raise ValueError(message)
    r = float(radius_mm)
    if not (math.isfinite(r) and 1.0 <= r <= 20.0):
        raise ValueError(message)
    return r
