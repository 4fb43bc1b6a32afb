"""Anatomy of the posterior chain (lesson 01), read from ``data/anatomy.yaml`` and validated.

Why a loader of its own: the diagram needs facts (origin, insertion, joints crossed, role) that are
content, so they live in data/ with their references; ``hamfoot.content`` does not read this file,
so it is checked here with the same validator (`hamfoot.schema.parse`) and the same errors
(`ContentError` naming file, entry and field), and its reference ids are resolved against the
validated content. No widgets or plotting here.
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from types import MappingProxyType
from typing import Literal

from hamfoot import schema as s
from hamfoot.schema import ContentError, Texts, frozen, ref, refs

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
Kind = Literal["muscle", "tendon", "ligament", "fascia", "landmark"]
Direction = Literal["posterior", "neutral", "anterior"]
#: Tilts smaller than this (degrees) read as neutral, so a typed 0.2 does not flip the wording.
NEUTRAL_BAND = 0.5
_ID = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


@frozen
class Structure:
    """One selectable part of the diagram: where it starts and ends, what it crosses, what it does."""

    id: str
    name: str
    kind: Kind
    group: str | None = None
    origin: str | None = None
    insertion: str | None = None
    joints: Texts
    biarticular: bool | None
    role: str
    relevance: str | None = None
    references: Texts = refs()

    def check(self):
        if self.kind != "landmark":
            for name in ("origin", "insertion"):
                if getattr(self, name) is None:
                    yield name, f"is required for a {self.kind}"
        if self.kind == "muscle" and self.biarticular is None:
            yield "biarticular", "a muscle is either true (crosses two joints) or false"
        if self.kind != "muscle" and self.biarticular is not None:
            yield "biarticular", f"must be null for a {self.kind} (only muscles are classed)"
        if self.biarticular and len(self.joints) < 2:
            yield "joints", "a biarticular muscle crosses at least two joints"
        if self.biarticular is False and len(self.joints) != 1:
            yield "joints", "a one-joint muscle lists exactly one joint"


@frozen
class Statement:
    """A sentence or two the widget shows, with its references."""

    text: str
    references: Texts = refs()


@frozen
class PelvicTilt:
    """What the tilt slider says: the pull, when it shows, each direction, and the article's claim."""

    claim: str = ref("claims")
    mechanism: str = ref("mechanisms")
    pull: Statement
    when: Statement
    posterior: Statement
    neutral: Statement
    anterior: Statement


@dataclass(frozen=True)
class Anatomy:
    """The validated file: structures in file order, an index by id, and the tilt texts."""

    structures: tuple[Structure, ...]
    index: Mapping[str, Structure]
    tilt: PelvicTilt


def load(root: str | Path | None = None) -> Anatomy:
    """The validated anatomy: the shipped package data, or the data directory `root` (tests)."""
    return _load(None if root is None else str(Path(root).resolve()))


@functools.lru_cache(maxsize=8)
def _load(root: str | None) -> Anatomy:
    from hamfoot import content  # the references, claims and mechanisms we resolve against

    base = resources.files("hamfoot.data") if root is None else Path(root)
    file = f"{'data' if root is None else Path(root).name}/{FILE}"
    out = s.Collector()
    raw = content.read_yaml(
        base / FILE, file, out, dict, "a mapping with 'structures' and 'pelvic_tilt'"
    )
    items, tilt = [], None
    if isinstance(raw, dict):
        for key in raw:
            if key not in ("structures", "pelvic_tilt"):
                out.add(file, None, key, "unknown section; expected structures, pelvic_tilt")
        listed = raw.get("structures")
        if not isinstance(listed, list) or not listed:
            out.add(file, None, "structures", "expected a non-empty list of '- id: ...' entries")
            listed = []
        seen: set[str] = set()
        for i, item in enumerate(listed):
            name = item.get("id") if isinstance(item, dict) else None
            entry = f"'{name}'" if isinstance(name, str) else f"#{i}"
            record = s.parse(Structure, item, out, file, entry)
            if record is None:
                continue
            if not _ID.fullmatch(record.id):
                out.add(file, entry, "id", "ids are lowercase kebab-case, e.g. 'soleus'")
            elif record.id in seen:
                out.add(file, entry, "id", "duplicate id; it is already used by an earlier entry")
            seen.add(record.id)
            items.append(record)
        if "pelvic_tilt" in raw:
            tilt = s.parse(PelvicTilt, raw["pelvic_tilt"], out, file, "'pelvic_tilt'")
        else:
            out.add(file, "'pelvic_tilt'", None, "missing (required)")
    known = content.load(root).index
    for kind, ident, f, entry, where in out.refs:
        if ident not in known[kind]:
            out.add(f, entry, where, f"{ident!r} is not an id in {content.FILES[kind][0]}")
    if out.problems:
        raise ContentError(out.problems)
    return Anatomy(tuple(items), MappingProxyType({r.id: r for r in items}), tilt)


load.cache_clear = _load.cache_clear  # type: ignore[attr-defined]


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
