"""Normal walking kinematics: Winter's tabulated gait cycle as a smooth periodic curve.

The course tabulates hip, thigh, knee and ankle angles every 5 % of one stride (Winter, Table A.1,
processed for this course). The model needs angles at any phase, so each joint gets a short Fourier
series (8 harmonics, least squares) – smooth, periodic, and within 1° of the table.

The table's 0 % and 100 % rows are two different heel strikes (they differ by up to 2° at the
ankle), so no periodic curve can pass through both; the fit is constrained to pass exactly halfway
between them at heel strike, the best any periodic curve can do.

Hip flexion for the hamstrings = thigh-vs-vertical + pelvic tilt offset (anterior tilt positive):
with the pelvis tipped forward, the ischial tuberosity moves up and back, which lengthens the
hamstrings as hip flexion would. The offset is an assumption, not a measurement.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np

from . import _checks, _tables

WINTER_TABLE = "winter_table_a1_processed.csv"
FIRST_MTP_TABLE = "first_mtp_dorsiflexion.csv"
PERRY_TABLE = "perry_phase_values.csv"

#: Angle columns of the Winter table, in degrees (flexion and dorsiflexion positive).
JOINT_COLUMNS = (
    "hip_trunk_ref_deg",
    "thigh_vs_vertical_deg",
    "knee_flexion_deg",
    "ankle_dorsiflexion_deg",
)
HARMONICS = 8
SPEEDS = ("normal", "fast")
PELVIC_TILT_RANGE = (-10.0, 25.0)
PELVIC_TILT_MEANING = "pelvic offset added to thigh-vs-vertical, anterior tilt positive"

#: The 101 phases (0, 1, …, 100 % of the gait cycle) at which the model evaluates walking.
PHASES = np.linspace(0.0, 100.0, 101)
PHASES.flags.writeable = False


def fourier_basis(phase: np.ndarray, harmonics: int = HARMONICS) -> np.ndarray:
    """Design matrix [1, cos(jω), sin(jω) …] for phases in % of the cycle (period 100)."""
    w = 2.0 * np.pi * np.asarray(phase, dtype=float)[..., None] / 100.0
    j = np.arange(1, harmonics + 1)
    cos, sin = np.cos(j * w), np.sin(j * w)
    out = np.empty(w.shape[:-1] + (1 + 2 * harmonics,))
    out[..., 0] = 1.0
    out[..., 1::2] = cos
    out[..., 2::2] = sin
    return out


def winter_table() -> _tables.Table:
    """The course's processed Winter Table A.1 (21 rows, 0–100 % in 5 % steps)."""
    return _tables.load(WINTER_TABLE, numeric=("percent_cycle",) + JOINT_COLUMNS)


@functools.cache
def _coefficients() -> np.ndarray:
    """Fourier coefficients, shape (n_basis, 4): one column per joint in ``JOINT_COLUMNS``.

    Least squares over the interior rows (5–95 %), with the value at heel strike fixed to the mean
    of the 0 % and 100 % rows (equality-constrained least squares, solved via its KKT system).
    """
    table = winter_table()
    phase = table["percent_cycle"]
    if not (phase[0] == 0 and phase[-1] == 100):
        raise ValueError(f"data/gait/{WINTER_TABLE}: rows must run from 0 to 100 % of the cycle")
    y = np.stack([table[c] for c in JOINT_COLUMNS], axis=-1)
    basis = fourier_basis(phase[1:-1])
    at_heel_strike = fourier_basis(np.array([0.0]))[0]
    n = basis.shape[1]
    kkt = np.zeros((n + 1, n + 1))
    kkt[:n, :n] = 2.0 * basis.T @ basis
    kkt[:n, n] = kkt[n, :n] = at_heel_strike
    rhs = np.vstack([2.0 * basis.T @ y[1:-1], (y[0] + y[-1]) / 2.0])
    coefficients = np.linalg.solve(kkt, rhs)[:n]
    coefficients.flags.writeable = False
    return coefficients


@functools.cache
def _basis_at_phases() -> np.ndarray:
    basis = fourier_basis(PHASES)
    basis.flags.writeable = False
    return basis


@functools.cache
def fast_walking_scale() -> float:
    """Factor applied to the thigh's swing about its mean for ``speed="fast"`` (modelled).

    No fast-walking hip or knee table was available. Agarwal-Harding 2010 report that peak
    hamstring length rises with walking speed, but give no number usable here. The model borrows
    the one fast/slow sagittal ratio at hand – Caravaggi 2010's peak first-MTP
    dorsiflexion, 64° vs 52° – and assumes the thigh's excursion grows in the same proportion.
    """
    mtp = first_mtp_table()
    speeds = list(mtp["speed"])
    return float(mtp["mean_deg"][speeds.index("fast")] / mtp["mean_deg"][speeds.index("slow")])


def check_speed(speed: object) -> str:
    return _checks.choice("speed", speed, SPEEDS)


def check_pelvic_tilt(pelvic_tilt: object) -> float:
    return _checks.angle("pelvic_tilt", pelvic_tilt, *PELVIC_TILT_RANGE, PELVIC_TILT_MEANING)


@dataclass(frozen=True)
class WalkingAngles:
    """Sagittal joint angles over the gait cycle, degrees (flexion and dorsiflexion positive)."""

    phase: np.ndarray
    thigh: np.ndarray  # thigh segment vs vertical
    hip_trunk: np.ndarray  # thigh vs trunk line, as processed for this course
    knee: np.ndarray
    ankle: np.ndarray  # initial contact = 0; absolute values approximate
    speed: str


def walking_angles(phase: object = None, speed: str = "normal") -> WalkingAngles:
    """Joint angles at ``phase`` (% of the cycle, any real number – it wraps), default 0…100 %.

    ``speed="fast"`` widens the thigh's swing by :func:`fast_walking_scale` (modelled, see there);
    knee and ankle stay as in the table.
    """
    speed = check_speed(speed)
    if phase is None:
        phases, basis = PHASES, _basis_at_phases()
    else:
        phases = np.asarray(phase, dtype=float)
        if not np.all(np.isfinite(phases)):
            raise ValueError(f"phase must be finite numbers (% of the gait cycle); got {phase!r}")
        basis = fourier_basis(phases % 100.0)
    values = basis @ _coefficients()
    hip_trunk, thigh, knee, ankle = (values[..., i] for i in range(4))
    if speed == "fast":
        scale = fast_walking_scale()
        mean = _coefficients()[0]
        hip_trunk = mean[0] + scale * (hip_trunk - mean[0])
        thigh = mean[1] + scale * (thigh - mean[1])
    return WalkingAngles(phases, thigh, hip_trunk, knee, ankle, speed)


def hamstring_hip_flexion(thigh: np.ndarray, pelvic_tilt: float) -> np.ndarray:
    """Hip flexion seen by the hamstrings: thigh-vs-vertical plus the anterior pelvic tilt offset."""
    return np.asarray(thigh) + pelvic_tilt


def fit_errors() -> dict[str, np.ndarray]:
    """Fit minus table at the 21 tabulated rows, per joint column (degrees)."""
    table = winter_table()
    fitted = fourier_basis(table["percent_cycle"]) @ _coefficients()
    return {c: fitted[:, i] - table[c] for i, c in enumerate(JOINT_COLUMNS)}


def first_mtp_table() -> _tables.Table:
    """Caravaggi 2010: peak first-MTP dorsiflexion in late stance, slow vs fast walking."""
    return _tables.load(FIRST_MTP_TABLE, numeric=("mean_deg", "sd_deg"))


def perry_reference_values() -> _tables.Table:
    """Textbook ranges for joint angles at gait events (secondary sources), for comparison."""
    return _tables.load(PERRY_TABLE, numeric=("min_deg", "max_deg"))
