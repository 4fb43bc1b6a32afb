"""A first, low-stakes widget for the start lesson: learn how sliders, typed boxes and worded
feedback behave before any clinical content depends on them.

It also teaches the course's one angle convention for knee-extension tests, which every later
lesson relies on: the reading is the *deficit* from a straight knee, so 0° means fully straight.
"""

from __future__ import annotations

import ipywidgets as w

from hamfoot.widgets.common import KeyboardSafeBox, note_html, slider_with_box


def describe_deficit(deficit: float) -> str:
    """The knee-extension reading in plain words (0° = straight; larger = stops further short)."""
    d = round(float(deficit))
    if d == 0:
        return "0° deficit: the knee straightened fully with the hip held at 90°."
    return (
        f"{d}° deficit: with the hip held at 90°, the knee stopped {d}° short of straight "
        f"(the thigh-leg angle was {180 - d}° if you measure the included angle instead)."
    )


class PracticeSlider(KeyboardSafeBox):
    """A slider paired with a typed box; the sentence below answers every change."""

    def __init__(self, start: float = 20.0):
        self.slider, self.box, row = slider_with_box("Knee-extension deficit", start, 0, 90)
        self.out = w.HTML()
        self.slider.observe(lambda _change: self.update(), names="value")
        super().__init__([row, self.out])
        self.update()

    def update(self) -> None:
        self.out.value = note_html("Reading", describe_deficit(self.slider.value))


def practice_slider(start: float = 20.0) -> PracticeSlider:
    """Build the practice widget for the start lesson."""
    return PracticeSlider(start)
