"""From a clinical hamstring test to the longest length each hamstring tolerates.

Conventions (state them wherever an angle is shown):

* Active knee extension (AKE): supine, hip held at 90° of flexion, the knee extended as far as
  it goes; the result is the **deficit from full knee extension** in degrees (0 = knee straight).
  Maximum length = L(hip 90°, knee = deficit).
* Passive straight-leg raise (SLR): knee straight, hip flexed passively; the result is the
  **leg-to-table angle**. Maximum length = L(hip = SLR, knee 0°).

The pelvis is held fixed in this model, so the SLR here is the pure hip angle; clinical SLR
readings run higher because the pelvis rotates backwards during the test. Treat the
conversions as an ordering device, not a conversion chart.
"""

from __future__ import annotations

import numpy as np

from . import _checks
from .muscles import hamstring_length, hip_flexion_for_length, knee_flexion_for_length

AKE_RANGE = (0.0, 120.0)
SLR_RANGE = (0.0, 120.0)
AKE_MEANING = "deficit from full knee extension, hip at 90°"
SLR_MEANING = "passive straight-leg raise, leg-to-table angle, knee straight"
AKE_HIP = 90.0


def check_ake(value: object, name: str = "ake_deficit") -> float:
    return _checks.angle(name, value, *AKE_RANGE, AKE_MEANING)


def check_slr(value: object, name: str = "slr") -> float:
    return _checks.angle(name, value, *SLR_RANGE, SLR_MEANING)


def max_length_from_ake(ake_deficit: object, muscle: str | None = None) -> np.ndarray:
    """Longest tolerated length (m) for an AKE deficit (degrees; arrays allowed).

    With ``muscle=None`` the result has a leading axis of 3 (semimembranosus, semitendinosus,
    biceps femoris long head).
    """
    d = _checks.angles("ake_deficit", ake_deficit, *AKE_RANGE, AKE_MEANING)
    return hamstring_length(AKE_HIP, d, muscle)


def max_length_from_slr(slr: object, muscle: str | None = None) -> np.ndarray:
    """Longest tolerated length (m) for a passive SLR angle (degrees; arrays allowed)."""
    s = _checks.angles("slr", slr, *SLR_RANGE, SLR_MEANING)
    return hamstring_length(s, 0.0, muscle)


def slr_equivalent(length: object, muscle: str | None = None) -> np.ndarray:
    """The SLR angle (°, pelvis fixed) that stretches the muscle to ``length`` (m).

    With ``muscle=None``, ``length`` has a leading axis of 3. Negative results mean the length is
    shorter than with the hip straight.
    """
    return hip_flexion_for_length(length, 0.0, muscle)


def ake_equivalent(length: object, muscle: str | None = None) -> np.ndarray:
    """The AKE deficit (°, hip at 90°) that leaves the muscle at ``length`` (m)."""
    return knee_flexion_for_length(length, AKE_HIP, muscle)


def slr_from_ake(ake_deficit: object, muscle: str | None = None) -> np.ndarray:
    """SLR giving the same hamstring length as an AKE deficit – the model's equivalence table."""
    return slr_equivalent(max_length_from_ake(ake_deficit, muscle), muscle)


def ake_from_slr(slr: object, muscle: str | None = None) -> np.ndarray:
    """AKE deficit giving the same hamstring length as an SLR angle (inverse of :func:`slr_from_ake`)."""
    return ake_equivalent(max_length_from_slr(slr, muscle), muscle)
