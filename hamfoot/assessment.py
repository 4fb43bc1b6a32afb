"""Reading a clinical test result: against a cut-off, against its measurement error, and as a
change in probability (Fagan's nomogram in arithmetic form).

Why pure functions: the interpreter and the post-test calculator in lesson 05 only format what
these return, so the numbers can be checked by hand in tests. Proportions are 0-1 here (the data
files store percentages; callers divide by 100). Bad input raises ValueError naming the parameter
and its allowed range. No content, widgets or plotting here.
"""

from __future__ import annotations

import math
from typing import Literal

__all__ = [
    "Side",
    "side_of_cutoff",
    "margin",
    "within_mdd",
    "z_score",
    "lunge_degrees",
    "odds",
    "probability",
    "likelihood_ratios",
    "post_test_probability",
]

#: Where a value lies relative to a cut-off: past it (counted as tight/restricted by that
#: definition), exactly on it, or on the other side.
Side = Literal["beyond", "at", "inside"]


def _number(
    name: str, value: object, low: float = -math.inf, high: float = math.inf, what: str = "a number"
) -> float:
    """`value` as a float in [low, high], else a ValueError naming `name` and the range."""
    ok = isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)
    if not ok or not low <= value <= high:
        lo, hi = math.isfinite(low), math.isfinite(high)
        span = (
            f"between {low:g} and {high:g}"
            if lo and hi
            else f"at least {low:g}"
            if lo
            else f"at most {high:g}"
            if hi
            else "and finite"
        )
        raise ValueError(f"{name} must be {what} {span}; got {value!r}")
    return float(value)


def _direction(tight_when: str) -> int:
    if tight_when not in ("above", "below"):
        raise ValueError(f"tight_when must be 'above' or 'below'; got {tight_when!r}")
    return 1 if tight_when == "above" else -1


def margin(value: float, cutoff: float, tight_when: str) -> float:
    """How far past the cut-off the value lies, in the test's unit (positive = past it)."""
    v, c = _number("value", value), _number("cutoff", cutoff)
    return (v - c) * _direction(tight_when)


def side_of_cutoff(value: float, cutoff: float, tight_when: str) -> Side:
    """Past the cut-off, on it, or inside it. Papers differ on whether the cut-off value itself
    counts (">33°" vs "≤70°"), so a value exactly on it is reported as such, not forced to a side."""
    m = margin(value, cutoff, tight_when)
    return "beyond" if m > 0 else "at" if m == 0 else "inside"


def within_mdd(value: float, cutoff: float, mdd: float) -> bool:
    """True when the value is no further than one minimal detectable difference from the cut-off:
    a retest could then land on the other side by measurement error alone."""
    v, c = _number("value", value), _number("cutoff", cutoff)
    d = _number("mdd", mdd, 0, math.inf, "a number in the test's unit,")
    return abs(v - c) <= d


def z_score(value: float, mean: float, sd: float) -> float:
    """Standard deviations from a reference mean (positive = above the mean)."""
    v, m = _number("value", value), _number("mean", mean)
    if not (
        isinstance(sd, (int, float)) and not isinstance(sd, bool) and math.isfinite(sd) and sd > 0
    ):
        raise ValueError(f"sd must be a positive finite number; got {sd!r}")
    return (v - m) / sd


def lunge_degrees(distance_cm: float, factor: float) -> float:
    """Toe-to-wall distance (cm) as tibial inclination (degrees), at `factor` degrees per cm."""
    d = _number("distance_cm", distance_cm, 0, 30, "a toe-to-wall distance in cm")
    f = _number("factor", factor, 0, 10, "degrees per cm")
    return d * f


def odds(p: float) -> float:
    """Probability to odds (p = 1 gives infinite odds)."""
    p = _number("p", p, 0, 1, "a probability")
    return math.inf if p == 1 else p / (1 - p)


def probability(o: float) -> float:
    """Odds to probability (infinite odds give 1)."""
    if isinstance(o, (int, float)) and not isinstance(o, bool) and o == math.inf:
        return 1.0
    o = _number("odds", o, 0, math.inf, "odds")
    return o / (1 + o)


def _proportion(name: str, value: object) -> float:
    return _number(name, value, 0, 1, "a proportion (e.g. 0.318 for 31.8%)")


def likelihood_ratios(sensitivity: float, specificity: float) -> tuple[float, float]:
    """(LR+, LR−). A specificity of 1 makes LR+ infinite (no false positives were seen); a
    sensitivity of 1 makes LR− zero. 0/0 cases (a test that is never or always positive) are NaN."""
    se, sp = _proportion("sensitivity", sensitivity), _proportion("specificity", specificity)

    def ratio(a: float, b: float) -> float:
        if b == 0:
            return math.nan if a == 0 else math.inf
        return a / b

    return ratio(se, 1 - sp), ratio(1 - se, sp)


def post_test_probability(
    pre_test: float, sensitivity: float, specificity: float, positive: bool
) -> float:
    """Probability of the condition after a positive or negative result (Bayes' rule).

    Computed from the 2×2 proportions rather than odds × LR, so an infinite LR+ (specificity 1)
    gives exactly 1 with no division by zero. Raises ValueError for a result the test can never
    give (e.g. a positive from a test with sensitivity 0 and specificity 1).
    """
    p = _number("pre_test", pre_test, 0, 1, "a probability")
    se, sp = _proportion("sensitivity", sensitivity), _proportion("specificity", specificity)
    if not isinstance(positive, bool):
        raise ValueError(f"positive must be True or False; got {positive!r}")
    if p in (0.0, 1.0):
        return p  # certainty is not moved by any result
    true_, false_ = (se * p, (1 - sp) * (1 - p)) if positive else ((1 - se) * p, sp * (1 - p))
    if true_ + false_ == 0:
        result = "positive" if positive else "negative"
        raise ValueError(
            f"a {result} result is impossible with sensitivity {se:g} and specificity {sp:g}"
        )
    return true_ / (true_ + false_)
