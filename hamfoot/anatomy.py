"""Anatomy of the posterior chain (lesson 01), read from ``data/anatomy.yaml`` and validated.

Why no loader of its own: the diagram's facts (origin, insertion, joints crossed, role) are content
like any other, so ``hamfoot.content`` validates this file with the same pydantic models
(``hamfoot.schema.Structure``, ``PelvicTilt``) and the same errors (`ContentError` naming file,
entry and field), in the same load that resolves its references. This module serves the result
and words it for the widget. No widgets or plotting here.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from hamfoot.schema import ContentError, PelvicTilt, Statement, Structure

__all__ = [
    "ContentError",
    "Structure",
    "Statement",
    "PelvicTilt",
    "Anatomy",
    "load",
    "structures",
    "get",
    "pelvic_tilt",
    "crossing",
    "tilt_direction",
    "tilt_statement",
    "FILE",
]

FILE = "anatomy.yaml"
Direction = Literal["posterior", "neutral", "anterior"]
#: Tilts smaller than this (degrees) read as neutral, so a typed 0.2 does not flip the wording.
NEUTRAL_BAND = 0.5


@dataclass(frozen=True)
class Anatomy:
    """The validated file: structures in file order, an index by id, and the tilt texts."""

    structures: tuple[Structure, ...]
    index: Mapping[str, Structure]
    tilt: PelvicTilt


def load(root: str | Path | None = None) -> Anatomy:
    """The validated anatomy: the shipped package data, or the data directory `root` (tests)."""
    from hamfoot import content

    return content.load(root).anatomy


def _cache_clear() -> None:
    from hamfoot import content

    content.load.cache_clear()


load.cache_clear = _cache_clear  # type: ignore[attr-defined]


def structures(*, root=None) -> tuple[Structure, ...]:
    """Every structure, in the order the file (and the diagram's menu) lists them."""
    return load(root).structures


def get(structure_id: str, *, root=None) -> Structure:
    """One structure by id; a clear error lists the ids that exist."""
    index = load(root).index
    if structure_id not in index:
        raise ValueError(f"no structure {structure_id!r} in {FILE}; choose from {', '.join(index)}")
    return index[structure_id]


def pelvic_tilt(*, root=None) -> PelvicTilt:
    return load(root).tilt


def _and(items) -> str:
    items = list(items)
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def crossing(structure: Structure) -> str:
    """Joints crossed and the one-/two-joint class, in words (the key idea of biarticular muscles)."""
    joints = _and(structure.joints) if structure.joints else "no joint"
    if structure.biarticular:
        return (
            f"Two-joint (biarticular) muscle: it crosses the {joints}, so its length depends on "
            "both angles at once."
        )
    if structure.biarticular is False:
        return (
            f"One-joint muscle: it crosses only the {joints}, so other joints do not change "
            "its length."
        )
    what = {
        "landmark": "A bony landmark, not a muscle",
        "tendon": "A tendon, not a muscle",
        "ligament": "A ligament, not a muscle",
        "fascia": "A fascia, not a muscle",
    }[structure.kind]
    return f"{what}; it spans the {joints}." if structure.joints else f"{what}."


def tilt_direction(degrees: float) -> Direction:
    """Which way a pelvic tilt angle points (anterior positive, posterior negative)."""
    if (
        isinstance(degrees, bool)
        or not isinstance(degrees, (int, float))
        or not math.isfinite(degrees)
    ):
        raise ValueError(
            f"degrees must be a finite number of degrees of pelvic tilt "
            f"(negative = posterior, positive = anterior); got {degrees!r}"
        )
    if abs(degrees) < NEUTRAL_BAND:
        return "neutral"
    return "anterior" if degrees > 0 else "posterior"


def tilt_statement(degrees: float, *, root=None) -> Statement:
    """The data's description of the current tilt direction."""
    return getattr(pelvic_tilt(root=root), tilt_direction(degrees))
