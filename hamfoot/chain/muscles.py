"""Muscle–tendon lengths from joint angles: the hamstrings and the calf.

Hamstrings: quadratic fits in hip and knee flexion, fitted for this course to the OpenSim
Rajagopal 2016 geometry. They are NOT a published regression – label them modelled.
Calf: Hawkins & Hull 1990's published regression, in shank lengths.

Everything is vectorised: pass arrays of angles, get arrays of lengths (numpy broadcasting).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np

from . import _tables

HAMSTRING_TABLE = "hamstring_length_fit.csv"
CALF_TABLE = "hawkins_hull1990.csv"

#: Hamstring ids, in the order used by every (3, …) array in hamfoot.
HAMSTRINGS = ("semimembranosus", "semitendinosus", "biceps-femoris-long-head")
CALF_MUSCLES = ("gastrocnemius-medialis", "gastrocnemius-lateralis", "soleus")
HAMSTRING_SOURCES = ("rajagopal2016", "hamfoot-model")
CALF_SOURCES = ("hawkins-hull1990", "moltubakk-mtu-code")


def _coefficients(
    name: str, muscles: tuple[str, ...], columns: tuple[str, ...], numeric: tuple[str, ...]
):
    """A coefficient table, checked to list `muscles` in order; its coefficients as a read-only
    (muscles x columns) array."""
    table = _tables.load(name, numeric=numeric)
    names = tuple(table["muscle"])
    if names != muscles:
        raise ValueError(f"data/gait/{name}: field 'muscle' must list {muscles}, got {names}")
    c = np.stack([table[k] for k in columns], axis=-1)
    c.flags.writeable = False
    return table, names, c


@dataclass(frozen=True)
class HamstringFit:
    """Coefficients c0…c5 (shape (3, 6)) of L = c0 + c1·h + c2·k + c3·h² + c4·k² + c5·h·k, metres."""

    muscles: tuple[str, ...]
    labels: tuple[str, ...]
    c: np.ndarray
    rmse_mm: np.ndarray
    hip_range: tuple[float, float]
    knee_range: tuple[float, float]


@functools.cache
def hamstring_fit() -> HamstringFit:
    columns = ("c0", "c1", "c2", "c3", "c4", "c5")
    numeric = columns + ("rmse_mm", "hip_min_deg", "hip_max_deg", "knee_min_deg", "knee_max_deg")
    table, names, c = _coefficients(HAMSTRING_TABLE, HAMSTRINGS, columns, numeric)
    return HamstringFit(
        muscles=names,
        labels=tuple(table["label"]),
        c=c,
        rmse_mm=table["rmse_mm"],
        hip_range=(float(table["hip_min_deg"].min()), float(table["hip_max_deg"].max())),
        knee_range=(float(table["knee_min_deg"].min()), float(table["knee_max_deg"].max())),
    )


def _rows(muscle: str | None) -> np.ndarray:
    """Coefficients of one hamstring (shape (6,)) or all three (shape (3, 6))."""
    c = hamstring_fit().c
    if muscle is None:
        return c
    if muscle not in HAMSTRINGS:
        raise ValueError(f"muscle must be one of {', '.join(HAMSTRINGS)}; got {muscle!r}")
    return c[HAMSTRINGS.index(muscle)]


@functools.cache
def _columns(muscle: str | None, ndim: int) -> tuple[np.ndarray, ...]:
    """Coefficients split into c0…c5, shaped to broadcast against ``ndim``-dimensional angles.

    Cached because ``walk`` calls this on every slider move and small-array numpy calls cost
    microseconds each.
    """
    c = _rows(muscle)
    shape = c.shape[:-1] + (1,) * ndim
    columns = tuple(np.ascontiguousarray(c[..., i]).reshape(shape) for i in range(c.shape[-1]))
    for column in columns:
        column.flags.writeable = False
    return columns


def _expand_for_target(muscle: str | None, target: np.ndarray) -> tuple[np.ndarray, ...]:
    """Coefficients for inverse problems: with ``muscle=None`` the target's FIRST axis is the muscle."""
    if muscle is not None:
        return _columns(muscle, target.ndim)
    if target.ndim == 0 or target.shape[0] != len(HAMSTRINGS):
        raise ValueError(
            f"with muscle=None, length must have a leading axis of {len(HAMSTRINGS)} "
            f"(one row per hamstring: {', '.join(HAMSTRINGS)}); got shape {target.shape}"
        )
    return _columns(None, target.ndim - 1)


def hamstring_length(hip: object, knee: object, muscle: str | None = None) -> np.ndarray:
    """Muscle–tendon length (m) at hip and knee flexion (degrees).

    With ``muscle=None`` the result has a leading axis of 3 (``HAMSTRINGS`` order).
    """
    h, k = np.asarray(hip, dtype=float), np.asarray(knee, dtype=float)
    c0, c1, c2, c3, c4, c5 = _columns(muscle, max(h.ndim, k.ndim))
    return c0 + c1 * h + c2 * k + c3 * h * h + c4 * k * k + c5 * h * k


def resting_length(muscle: str | None = None) -> np.ndarray:
    """Length with hip and knee at 0° (L0 = c0): the reference for "% of resting length"."""
    return np.array(_rows(muscle)[..., 0])


def knee_flexion_for_length(length: object, hip: object, muscle: str | None = None) -> np.ndarray:
    """Knee flexion (°) that brings the muscle to ``length`` at hip flexion ``hip`` (smaller root).

    With ``muscle=None``, ``length`` has a leading axis of 3 (one row per hamstring) and ``hip``
    broadcasts against it. Solves c4·k² + (c2 + c5·h)·k + (c0 + c1·h + c3·h² − L) = 0 in closed form. Length falls with
    knee flexion over the whole fitted range, so the smaller root is the one that matters; the
    numerically stable form 2c / (−b + √D) avoids cancellation. Where no real root exists (the
    target is shorter than the muscle can get at this hip angle), the knee angle of minimum
    length (the parabola's vertex) is returned.
    """
    target, h = np.asarray(length, dtype=float), np.asarray(hip, dtype=float)
    if h.ndim > target.ndim:
        target = np.broadcast_to(target, np.broadcast_shapes(target.shape, h.shape))
    c0, c1, c2, c3, c4, c5 = _expand_for_target(muscle, target)
    a = c4
    b = c2 + c5 * h
    cc = c0 + c1 * h + c3 * h * h - target
    disc = b * b - 4.0 * a * cc
    root = 2.0 * cc / (-b + np.sqrt(np.maximum(disc, 0.0)))
    return np.where(disc >= 0.0, root, -b / (2.0 * a))


def hip_flexion_for_length(
    length: object, knee: object = 0.0, muscle: str | None = None
) -> np.ndarray:
    """Hip flexion (°) that brings the muscle to ``length`` at knee flexion ``knee`` (larger root).

    With ``knee=0`` this is the straight-leg-raise angle that produces the same length (for a
    target below the parabola's minimum, the vertex is returned). With
    ``muscle=None``, ``length`` has a leading axis of 3 and ``knee`` broadcasts against it.
    """
    target, k = np.asarray(length, dtype=float), np.asarray(knee, dtype=float)
    if k.ndim > target.ndim:
        target = np.broadcast_to(target, np.broadcast_shapes(target.shape, k.shape))
    c0, c1, c2, c3, c4, c5 = _expand_for_target(muscle, target)
    a = c3
    b = c1 + c5 * k
    cc = c0 + c2 * k + c4 * k * k - target
    disc = b * b - 4.0 * a * cc
    root = -2.0 * cc / (b + np.sqrt(np.maximum(disc, 0.0)))
    return np.where(disc >= 0.0, root, -b / (2.0 * a))


@dataclass(frozen=True)
class CalfFit:
    """Hawkins & Hull coefficients (shape (3, 5)) of L/L_shank = c0 + c1·H + c2·K + c3·K² + c4·A."""

    muscles: tuple[str, ...]
    labels: tuple[str, ...]
    c: np.ndarray
    ankle_range: tuple[float, float]


@functools.cache
def calf_fit() -> CalfFit:
    columns = ("c0", "c1", "c2", "c3", "c4")
    table, names, c = _coefficients(
        CALF_TABLE, CALF_MUSCLES, columns, columns + ("ankle_min_deg", "ankle_max_deg")
    )
    return CalfFit(
        muscles=names,
        labels=tuple(table["label"]),
        c=c,
        ankle_range=(float(table["ankle_min_deg"].min()), float(table["ankle_max_deg"].max())),
    )


def _calf_row(muscle: str) -> np.ndarray:
    if muscle not in CALF_MUSCLES:
        raise ValueError(f"muscle must be one of {', '.join(CALF_MUSCLES)}; got {muscle!r}")
    return calf_fit().c[CALF_MUSCLES.index(muscle)]


def calf_length(
    knee: object, ankle: object = 90.0, muscle: str = "gastrocnemius-medialis", hip: object = 0.0
) -> np.ndarray:
    """Calf muscle–tendon length in shank lengths (Hawkins & Hull 1990).

    Angles in degrees: ``knee`` flexion (0 = straight), ``ankle`` with 90 = neutral (larger =
    dorsiflexion, Hawkins & Hull's own convention). Hip has coefficient 0 for these muscles.
    """
    c0, c1, c2, c3, c4 = _calf_row(muscle)
    k = np.asarray(knee, dtype=float)
    return (
        c0
        + c1 * np.asarray(hip, dtype=float)
        + c2 * k
        + c3 * k * k
        + c4 * np.asarray(ankle, dtype=float)
    )


def knee_to_ankle_equivalent(
    knee_flexion: object, muscle: str = "gastrocnemius-medialis"
) -> np.ndarray:
    """Degrees of ankle plantarflexion that shorten the muscle as much as ``knee_flexion`` does.

    Ratio of the knee and ankle terms: (c2·K + c3·K²) / c4. For the medial gastrocnemius 20° of
    knee flexion ≈ 5.8° of plantarflexion.
    """
    _, _, c2, c3, c4 = _calf_row(muscle)
    k = np.asarray(knee_flexion, dtype=float)
    return -(c2 * k + c3 * k * k) / c4
