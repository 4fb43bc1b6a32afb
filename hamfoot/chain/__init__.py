"""The kinetic-chain model: hamstring length, walking demand, and what tightness can do to the foot.

A small sagittal-plane model, pinned to published values, that lets a student
test the claim "tight hamstrings cause foot pain" with numbers:

* :mod:`.gait` – normal walking angles over the cycle (Winter, Table A.1; Fourier fit);
* :mod:`.muscles` – hamstring (Rajagopal 2016 geometry fit, modelled) and calf (Hawkins & Hull
  1990) muscle–tendon lengths;
* :mod:`.clinical_tests` – from an AKE deficit or SLR angle to the longest tolerated length;
* :mod:`.demand` – demand against reserve over the gait cycle: :func:`walk` and :func:`sweep`;
* :mod:`.downstream` – calf slack, forefoot loading (Harty 2005) and windlass take-up, each
  labelled measured or modelled with its source.

Angles are in degrees; flexion and dorsiflexion are positive. The AKE result is the deficit from
full knee extension with the hip at 90°. Only numpy is needed.
"""

from .clinical_tests import (
    ake_equivalent,
    ake_from_slr,
    max_length_from_ake,
    max_length_from_slr,
    slr_equivalent,
    slr_from_ake,
)
from .demand import MuscleDemand, SweepResult, WalkResult, sweep, walk
from .downstream import (
    Estimate,
    first_mtp_dorsiflexion,
    forefoot_loading,
    gastrocnemius_length_change,
    heel_loading,
    plantarflexion_equivalent,
    windlass_take_up,
)
from .gait import PHASES, SPEEDS, WalkingAngles, walking_angles
from .muscles import CALF_MUSCLES, HAMSTRINGS, calf_length, hamstring_length, resting_length

__all__ = [
    "CALF_MUSCLES",
    "Estimate",
    "HAMSTRINGS",
    "MuscleDemand",
    "PHASES",
    "SPEEDS",
    "SweepResult",
    "WalkResult",
    "WalkingAngles",
    "ake_equivalent",
    "ake_from_slr",
    "calf_length",
    "first_mtp_dorsiflexion",
    "forefoot_loading",
    "gastrocnemius_length_change",
    "hamstring_length",
    "heel_loading",
    "max_length_from_ake",
    "max_length_from_slr",
    "plantarflexion_equivalent",
    "resting_length",
    "slr_equivalent",
    "slr_from_ake",
    "sweep",
    "walk",
    "walking_angles",
    "windlass_take_up",
]
