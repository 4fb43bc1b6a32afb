"""Input checks that turn bad angles into errors a student can act on.

Every message names the parameter, its valid range and what the angle means, because a bare
"invalid value" teaches nothing and angle conventions differ between clinics.
"""

from __future__ import annotations

import math
import numbers

import numpy as np


def _describe(value: object) -> str:
    return repr(value) if isinstance(value, str) else str(value)


def angle(name: str, value: object, low: float, high: float, meaning: str) -> float:
    """Return ``value`` as a float, or raise ``ValueError`` naming ``name`` and its range."""
    kind = type(value)
    if kind is float or kind is int:  # fast path: slider values
        number = float(value)
    elif isinstance(value, bool) or not isinstance(value, numbers.Real):
        number = math.nan
    else:
        number = float(value)
    if not (math.isfinite(number) and low <= number <= high):
        raise ValueError(
            f"{name} must be between {low:g} and {high:g} degrees ({meaning}); got {_describe(value)}"
        )
    return number


def angles(name: str, values: object, low: float, high: float, meaning: str) -> np.ndarray:
    """Array version of :func:`angle`: every element must be a finite number inside the range."""
    raw = np.asarray(values) if values is not None else np.asarray(None, dtype=object)
    if raw.dtype.kind not in "iuf":  # rejects strings, booleans, None and mixed objects
        raise ValueError(
            f"{name} must be numbers between {low:g} and {high:g} degrees ({meaning}); got {_describe(values)}"
        )
    array = raw.astype(float, copy=False)
    bad = ~np.isfinite(array) | (array < low) | (array > high)
    if bad.any():
        first = array[bad].ravel()[0]
        raise ValueError(
            f"{name} must be between {low:g} and {high:g} degrees ({meaning}); "
            f"got {first:g} ({int(bad.sum())} value(s) out of range)"
        )
    return array


def choice(name: str, value: object, options: tuple[str, ...]) -> str:
    """Return ``value`` if it is one of ``options``; otherwise raise ``ValueError`` listing them."""
    if not isinstance(value, str) or value not in options:
        allowed = ", ".join(repr(o) for o in options)
        raise ValueError(f"{name} must be one of {allowed}; got {_describe(value)}")
    return value
