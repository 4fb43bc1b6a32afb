"""The chain explorer: set a hamstring test result, pelvic tilt and walking speed, and see whether
walking still fits inside the hamstrings' available length – and what happens downstream if not.

Why an explorer and not a table: the article's chain (tight hamstrings → bent knee → overloaded
calf and forefoot) only works if walking needs more length than a tight muscle has. Dragging the
test result from "clinically tight" to "extremely short" and watching the reserve run out only
near Whitehead's 85° lets a learner find the size of the effect instead of being told it.
"""

from __future__ import annotations

import functools
import math

import ipywidgets as w

from hamfoot import chain
from hamfoot.chain import clinical_tests, gait
from hamfoot.plots.chain import MUSCLE_WORDS, ChainFigure, short_source
from hamfoot.widgets.common import (
    FULL,
    WIDE,
    KeyboardSafeBox,
    box_label,
    bullet_html,
    esc,
    note_html,
    slider_with_box,
)

TEST_LABELS = {
    "ake": (
        "AKE deficit",
        "active knee extension deficit, degrees short of full knee extension with the hip held at 90°",
    ),
    "slr": (
        "SLR angle",
        "passive straight-leg raise, degrees between the leg and the table with the knee straight",
    ),
}
TEST_RANGE = {"ake": clinical_tests.AKE_RANGE, "slr": clinical_tests.SLR_RANGE}
REFERENCE_MUSCLE = "semimembranosus"  # switching tests keeps this muscle's limit unchanged
TEACHING_ONLY = (
    "This is a teaching model built from published averages and one walker, not an assessment of a "
    "person. Foot or heel pain that follows injury, comes with swelling, numbness, fever or night "
    "pain, or does not settle needs a clinician."
)


def clamp(value: object, low: float, high: float, default: float) -> float:
    """Any input to a number in [low, high]; anything that is not a finite number → ``default``."""
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return default
    if not math.isfinite(number):
        return default
    return min(max(number, low), high)


@functools.cache
def _source_words(ref_id: str) -> str:
    return short_source(ref_id)


def _sources(ids: tuple[str, ...]) -> str:
    return "; ".join(_source_words(i) for i in ids)


def _tidy(value: float) -> float:
    """Drop the sign of values that round to zero, so the table never shows '-0.0'."""
    return 0.0 if abs(value) < 0.05 else value


def muscles_html(result: chain.WalkResult) -> str:
    """Per-muscle table: limit, peak walking demand, reserve and knee flexion needed."""
    head = (
        "<tr><th scope='col'>Hamstring</th><th scope='col'>Limit from the test, as an SLR (°)</th>"
        "<th scope='col'>Peak walking demand, as an SLR (°)</th><th scope='col'>Reserve (mm)</th>"
        "<th scope='col'>Reserve (% of resting length)</th><th scope='col'>Knee flexion walking must keep (°)</th></tr>"
    )
    rows = "".join(
        f"<tr><th scope='row'>{esc(MUSCLE_WORDS[m.muscle])}</th><td>{m.max_length_slr:.0f}</td>"
        f"<td>{m.peak_demand_slr:.0f}</td><td>{m.reserve_mm:+.1f}</td><td>{m.reserve_pct:+.1f}</td>"
        f"<td>{m.forced_knee_flexion:.0f}</td></tr>"
        for m in result.muscles
    )
    return f"<table><caption>Each hamstring (modelled; pelvis fixed in the test)</caption>{head}{rows}</table>"


def downstream_html(result: chain.WalkResult) -> str:
    """The downstream numbers, each with its basis (measured or modelled) and its sources."""
    knee = result.forced_knee_flexion
    items = [result.gastrocnemius_change, result.plantarflexion_equivalent]
    rows = [
        (
            e.name,
            f"{_tidy(e.value):+.1f} {e.unit}"
            if e.unit.startswith("%")
            else f"{_tidy(e.value):.1f} {e.unit}",
            e.label,
            _sources(e.sources),
        )
        for e in items
    ]
    if result.forefoot_loading is not None:
        f = result.forefoot_loading
        rows.append(
            (
                f.name + " (if the knee stayed bent through stance)",
                f"{f.value:.1f} {f.unit}",
                f.label,
                _sources(f.sources),
            )
        )
    else:
        rows.append(
            (
                f"forefoot-loading phase at {knee:.0f}° knee flexion",
                "not estimated: Harty 2005 measured only 0–40°",
                "—",
                _source_words("harty2005"),
            )
        )
    mtp = chain.first_mtp_dorsiflexion(result.speed)
    rows.append((mtp.name, f"{mtp.value:.0f} {mtp.unit}", mtp.label, _sources(mtp.sources)))
    rows.append(
        (
            result.windlass.name,
            f"{result.windlass.value:.1f} {result.windlass.unit}",
            result.windlass.label,
            _sources(result.windlass.sources),
        )
    )
    head = (
        "<tr><th scope='col'>Quantity</th><th scope='col'>Value</th><th scope='col'>Basis</th>"
        "<th scope='col'>Sources</th></tr>"
    )
    body = "".join(
        f"<tr><td>{esc(a)}</td><td>{esc(b)}</td><td>{esc(c)}</td><td>{esc(d)}</td></tr>"
        for a, b, c, d in rows
    )
    return f"<table><caption>Downstream: calf, forefoot and windlass</caption>{head}{body}</table>"


def verdict_html(result: chain.WalkResult) -> str:
    """The headline in words: does walking still fit inside the available length?"""
    m = result.muscle(result.critical_muscle)
    if result.forced_knee_flexion > 0:
        return note_html(
            "Walking does not fit",
            f"at {m.peak_demand_phase:.0f}% of the cycle the {MUSCLE_WORDS[m.muscle]} is "
            f"{-m.reserve_mm:.1f} mm too short, so the knee must stay bent about "
            f"{result.forced_knee_flexion:.0f}° instead of straightening before heel strike (modelled).",
        )
    return note_html(
        "Walking fits",
        f"even the tightest hamstring, the {MUSCLE_WORDS[m.muscle]}, keeps {m.reserve_mm:.1f} mm "
        f"({m.reserve_pct:.1f}% of its resting length) in reserve at peak demand, so walking needs "
        "no extra knee flexion (modelled).",
    )


def assumptions_html(result: chain.WalkResult) -> str:
    """The model's assumptions and sources, folded away but one keypress from view."""
    return (
        f"<details><summary>What this model assumes ({len(result.assumptions)} points) and its sources</summary>"
        + bullet_html(result.assumptions)
        + f"<p><strong>Sources:</strong> {esc(_sources(result.sources))}.</p></details>"
    )


class ChainExplorer(KeyboardSafeBox):
    """Controls first (test, result, pelvic tilt, speed), then the figure and the numbers."""

    def __init__(self, ake_deficit: float = 20.0, pelvic_tilt: float = 10.0, speed: str = "normal"):
        self._busy = False
        self.test = w.ToggleButtons(
            options=[("Active knee extension (AKE)", "ake"), ("Straight-leg raise (SLR)", "slr")],
            value="ake",
            description="Hamstring test",
            style=WIDE,
            tooltips=[TEST_LABELS["ake"][1], TEST_LABELS["slr"][1]],
        )
        low, high = TEST_RANGE["ake"]
        start = clamp(ake_deficit, low, high, 20.0)
        self.value, self.value_box, value_row = slider_with_box(
            TEST_LABELS["ake"][0], start, low, high, 1, "°"
        )
        self.convention = w.HTML(layout=FULL)
        tilt_low, tilt_high = gait.PELVIC_TILT_RANGE
        self.tilt, self.tilt_box, tilt_row = slider_with_box(
            "Pelvic tilt (anterior +)",
            clamp(pelvic_tilt, tilt_low, tilt_high, 10.0),
            tilt_low,
            tilt_high,
            1,
            "°",
        )
        self.speed = w.ToggleButtons(
            options=[("Normal", "normal"), ("Fast (modelled)", "fast")],
            value=speed if speed in gait.SPEEDS else "normal",
            description="Walking speed",
            style=WIDE,
        )
        self.headline = w.HTML(layout=FULL)
        self.figure = w.HTML(layout=FULL)
        self.out = w.HTML(layout=FULL)
        self.notes = w.HTML(layout=FULL)
        self.controls = {
            "test": self.test,
            "value": self.value,
            "value_box": self.value_box,
            "pelvic_tilt": self.tilt,
            "pelvic_tilt_box": self.tilt_box,
            "speed": self.speed,
        }
        self.chain_figure = ChainFigure()
        self.result: chain.WalkResult | None = None

        self.test.observe(self._on_test, names="value")
        for control in (self.value, self.tilt, self.speed):
            control.observe(lambda change: self.update(), names="value")
        super().__init__(
            [
                self.test,
                value_row,
                self.convention,
                tilt_row,
                self.speed,
                self.headline,
                self.figure,
                self.out,
                self.notes,
            ]
        )
        self.update()

    def _on_test(self, change: dict) -> None:
        """Switch tests but keep the same tightness: convert the value via the semimembranosus."""
        new, old = change["new"], change["old"]
        label = TEST_LABELS.get(new, TEST_LABELS["ake"])[0]
        low, high = TEST_RANGE.get(new, TEST_RANGE["ake"])
        value = clamp(self.value.value, *TEST_RANGE.get(old, TEST_RANGE["ake"]), 20.0)
        convert = clinical_tests.slr_from_ake if new == "slr" else clinical_tests.ake_from_slr
        try:
            converted = round(float(convert(value, REFERENCE_MUSCLE)))
        except ValueError:
            converted = value
        self._busy = True
        try:
            self.value.description = label
            self.value_box.description = box_label(label, "°")
            self.value.value = clamp(converted, low, high, value)
        finally:
            self._busy = False
        self.update()

    def update(self) -> None:
        """Recompute the model for the current controls and redraw figure and text."""
        if self._busy:
            return
        test = self.test.value if self.test.value in TEST_RANGE else "ake"
        value = clamp(self.value.value, *TEST_RANGE[test], 20.0)
        tilt = clamp(self.tilt.value, *gait.PELVIC_TILT_RANGE, 10.0)
        speed = self.speed.value if self.speed.value in gait.SPEEDS else "normal"
        try:
            result = (
                chain.walk(value, tilt, speed)
                if test == "ake"
                else chain.walk(slr=value, pelvic_tilt=tilt, speed=speed)
            )
        except ValueError as error:  # not reachable with clamped controls; answer in words anyway
            self.headline.value = note_html("Cannot compute", str(error))
            return
        self.result = result
        self.convention.value = f"<p><em>Convention:</em> {esc(TEST_LABELS[test][1])}.</p>"
        self.headline.value = verdict_html(result)
        self.figure.value = self.chain_figure.html(result)
        self.out.value = muscles_html(result) + downstream_html(result)
        self.notes.value = assumptions_html(result) + note_html("Teaching only", TEACHING_ONLY)


def chain_explorer(
    ake_deficit: float = 20.0, pelvic_tilt: float = 10.0, speed: str = "normal"
) -> ChainExplorer:
    """Explore hamstring demand against reserve in walking: choose the test (AKE deficit or SLR)
    and its result, the pelvic tilt and the walking speed; the figure, the per-muscle reserve and
    the downstream numbers follow."""
    return ChainExplorer(ake_deficit, pelvic_tilt, speed)
