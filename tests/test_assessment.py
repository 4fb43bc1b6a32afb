"""Lesson 05: reading test results (pure arithmetic, checked by hand) and the three widgets."""

from __future__ import annotations

import itertools
import math

import pytest
from conftest import words

from hamfoot import assessment as calc
from hamfoot import content

AKE, SLR, LUNGE = "active-knee-extension", "straight-leg-raise", "weight-bearing-lunge"


# ---------------------------------------------------------------- arithmetic (hand-computed)
def test_likelihood_ratios_by_hand():
    lr_pos, lr_neg = calc.likelihood_ratios(0.8, 0.9)
    assert lr_pos == pytest.approx(8.0)  # 0.8 / 0.1
    assert lr_neg == pytest.approx(0.2 / 0.9)  # 0.2 / 0.9 = 0.2222…


def test_post_test_probability_by_hand():
    # pre 0.3: true positives 0.3·0.8 = 0.24, false positives 0.7·0.1 = 0.07 → 0.24/0.31
    assert calc.post_test_probability(0.3, 0.8, 0.9, True) == pytest.approx(0.7741935, abs=1e-7)
    # true negatives 0.7·0.9 = 0.63, false negatives 0.3·0.2 = 0.06 → 0.06/0.69
    assert calc.post_test_probability(0.3, 0.8, 0.9, False) == pytest.approx(0.0869565, abs=1e-7)


def test_odds_route_agrees_with_bayes():
    for pre, se, sp in itertools.product((0.01, 0.3, 0.99), (0.3, 0.8), (0.5, 0.9)):
        lr_pos, lr_neg = calc.likelihood_ratios(se, sp)
        assert calc.probability(calc.odds(pre) * lr_pos) == pytest.approx(
            calc.post_test_probability(pre, se, sp, True)
        )
        assert calc.probability(calc.odds(pre) * lr_neg) == pytest.approx(
            calc.post_test_probability(pre, se, sp, False)
        )


def test_specificity_of_one_gives_infinite_lr_and_certainty_without_dividing_by_zero():
    lr_pos, lr_neg = calc.likelihood_ratios(0.318, 1.0)
    assert lr_pos == math.inf
    assert lr_neg == pytest.approx(0.682)
    assert calc.post_test_probability(0.3, 0.318, 1.0, True) == 1.0
    assert calc.post_test_probability(0.3, 0.318, 1.0, False) == pytest.approx(
        0.3 * 0.682 / (0.3 * 0.682 + 0.7)
    )


def test_sensitivity_of_one_gives_zero_negative_lr():
    assert calc.likelihood_ratios(1.0, 0.96)[1] == 0
    assert calc.post_test_probability(0.3, 1.0, 0.96, False) == 0.0


def test_a_result_the_test_cannot_give_is_an_error_and_undefined_lr_is_nan():
    assert math.isnan(calc.likelihood_ratios(0.0, 1.0)[0])
    with pytest.raises(ValueError, match="positive result is impossible"):
        calc.post_test_probability(0.5, 0.0, 1.0, True)


def test_certain_pre_test_is_not_moved():
    assert calc.post_test_probability(0.0, 0.9, 0.1, True) == 0.0
    assert calc.post_test_probability(1.0, 0.1, 0.9, False) == 1.0


def test_odds_and_probability_round_trip_and_ends():
    assert calc.odds(0.2) == pytest.approx(0.25)
    assert calc.probability(0.25) == pytest.approx(0.2)
    assert calc.odds(1) == math.inf and calc.probability(math.inf) == 1.0


@pytest.mark.parametrize(
    "call, name",
    [
        (lambda: calc.likelihood_ratios(31.8, 1.0), "sensitivity must be a proportion"),
        (lambda: calc.likelihood_ratios(0.3, -0.1), "specificity must be a proportion"),
        (
            lambda: calc.post_test_probability(1.5, 0.5, 0.5, True),
            "pre_test must be a probability between 0 and 1",
        ),
        (
            lambda: calc.post_test_probability(0.5, 0.5, 0.5, "yes"),
            "positive must be True or False",
        ),
        (lambda: calc.post_test_probability(float("nan"), 0.5, 0.5, True), "pre_test"),
        (lambda: calc.side_of_cutoff(30, 33, "sideways"), "tight_when must be 'above' or 'below'"),
        (lambda: calc.within_mdd(30, 33, -1), "mdd must be .* at least 0"),
        (lambda: calc.z_score(30, 17.8, 0), "sd must be a positive"),
        (lambda: calc.lunge_degrees(-1, 3.6), "distance_cm must be .* between 0 and 30"),
        (lambda: calc.odds(True), "p must be a probability"),
    ],
)
def test_bad_input_names_the_parameter_and_range(call, name):
    with pytest.raises(ValueError, match=name):
        call()


@pytest.mark.parametrize(
    "value, cutoff, way, side",
    [
        (34, 33, "above", "beyond"),
        (33, 33, "above", "at"),
        (20, 33, "above", "inside"),
        (65, 70, "below", "beyond"),
        (70, 70, "below", "at"),
        (80, 70, "below", "inside"),
    ],
)
def test_side_of_cutoff(value, cutoff, way, side):
    assert calc.side_of_cutoff(value, cutoff, way) == side
    assert (calc.margin(value, cutoff, way) > 0) == (side == "beyond")


def test_mdd_band_edges():
    assert calc.within_mdd(28, 33, 15) and calc.within_mdd(48, 33, 15)
    assert not calc.within_mdd(48.5, 33, 15) and not calc.within_mdd(17, 33, 15)


def test_z_score_by_hand():
    assert calc.z_score(28, 17.8, 9.1) == pytest.approx(10.2 / 9.1)


def test_lunge_factor_comes_from_the_data_with_its_source():
    conversion = content.get("assessments", LUNGE).conversion
    assert conversion.from_unit == "cm" and conversion.reference
    assert calc.lunge_degrees(10, conversion.factor) == pytest.approx(10 * conversion.factor)


# ---------------------------------------------------------------- library
def test_library_lists_every_test():
    from hamfoot.widgets.assessment import test_explorer, test_library

    table = test_library().data
    for name in content.assessments()["name"]:
        assert name in table
    box = test_explorer()
    for test_id in content.assessments()["id"]:
        box.controls["test"].value = test_id
        record = content.get("assessments", test_id)
        assert " ".join(record.procedure.split()) in words(box.out.value)


# ---------------------------------------------------------------- interpreter
@pytest.fixture(scope="module")
def interpreter():
    from hamfoot.widgets.assessment import test_interpreter

    return test_interpreter()


def set_values(widget, **values):
    for key, value in values.items():
        widget.controls[key].value = value
    return words(widget.out.value)


def test_controls_before_output_and_labelled(interpreter):
    assert interpreter.children[-2:] == (interpreter.out, interpreter._guard)  # guard: keyboard
    assert all(c.description for c in interpreter.controls.values())


@pytest.mark.parametrize("sex", ["men", "women"])
def test_ake_is_read_against_the_sex_specific_cutoff_with_its_mdd(interpreter, sex):
    record = content.get("assessments", AKE)
    norm = next(n for n in record.norms if n.group == sex)
    mdd = next(r.mdd for r in record.reliability if r.mdd is not None)
    other = next(n for n in record.norms if n.group in {"men", "women"} - {sex})
    near = norm.cutoff - 5
    text = set_values(interpreter, sex=sex, ake=near)
    assert f"cut-off {norm.cutoff:g}°" in text and f"cut-off {other.cutoff:g}°" not in text
    assert f"Your {near:g}° is 5.0° short of it" in text
    assert f"within one minimal detectable difference (MDD, {mdd:g}°" in text
    assert "a retest could land on either side" in text
    far = norm.cutoff + mdd + 10
    text = set_values(interpreter, ake=far)
    assert f"past it by {mdd + 10:.1f}°" in text and f"more than one MDD ({mdd:g}°)" in text


def test_slr_uses_its_cutoff_and_says_no_sex_specific_values(interpreter):
    norm = next(n for n in content.get("assessments", SLR).norms if n.cutoff is not None)
    text = set_values(interpreter, slr=norm.cutoff - 10)
    assert f"cut-off {norm.cutoff:g}°" in text and "past it by 10.0°" in text
    assert "no separate values for men and women" in text


def test_lunge_is_converted_with_the_data_factor_and_no_norm_is_invented(interpreter):
    factor = content.get("assessments", LUNGE).conversion.factor
    text = set_values(interpreter, lunge=12.5)
    assert f"12.5 cm is about {12.5 * factor:.1f}° of tibial inclination" in text
    assert "no validated norm in our sources" in text


def test_silfverskiold_gain_its_cutoff_and_poor_reliability(interpreter):
    record = content.get("assessments", "silfverskiold")
    cutoff = next(n.cutoff for n in record.norms if n.cutoff is not None)
    icc = record.reliability[0].icc
    text = set_values(
        interpreter, dorsiflexion_knee_extended=0, dorsiflexion_knee_flexed=cutoff + 2
    )
    assert f"a gain of {cutoff + 2:g}°" in text and "past it by 2.0°" in text
    assert f"ICC {icc}" in text and "Reliability is poor" in text
    text = set_values(interpreter, dorsiflexion_knee_extended=10, dorsiflexion_knee_flexed=0)
    assert "a gain of -10°" in text and "Check the readings" in text


def test_every_citation_in_the_interpreter_resolves(interpreter):
    text = set_values(interpreter, sex="women", ake=20)
    assert "References (" in text and "Teaching, not diagnosis" in text


def test_no_combination_of_extreme_inputs_raises(interpreter):
    c = interpreter.controls
    names = ["ake", "slr", "lunge", "dorsiflexion_knee_extended", "dorsiflexion_knee_flexed"]
    ends = [(c[n].min, c[n].max) for n in names]
    for sex in ("men", "women"):
        for combo in itertools.product(*ends):
            text = set_values(interpreter, sex=sex, **dict(zip(names, combo)))
            assert "Silfverskiöld" in text
    c["ake_box"].value = 1000  # typed out of range: clamped
    assert c["ake"].value == c["ake"].max


# ---------------------------------------------------------------- post-test calculator
@pytest.fixture(scope="module")
def calculator():
    from hamfoot.widgets.assessment import post_test_calculator

    return post_test_calculator()


def test_windlass_weight_bearing_comes_first_with_infinite_lr_in_words(calculator):
    test_id, i = calculator.options[0][1]
    acc = content.get("assessments", test_id).accuracy[i]
    assert test_id == "windlass" and acc.specificity == 100
    calculator.test.value = (test_id, i)
    calculator.result.value = "positive"
    text = words(calculator.out.value)
    assert "LR+ = ∞" in text and "divides by zero" in text
    assert f"sensitivity {acc.sensitivity:g}%" in text and "to 100% after it" in text


@pytest.mark.parametrize("pre", [1, 99])
def test_every_test_and_result_at_the_pre_test_extremes(calculator, pre):
    from hamfoot.plots.fagan import pct

    for _, (test_id, i) in calculator.options:
        acc = content.get("assessments", test_id).accuracy[i]
        for result in ("positive", "negative"):
            calculator.test.value = (test_id, i)
            calculator.pre.value = pre
            calculator.result.value = result
            expected = calc.post_test_probability(
                pre / 100, acc.sensitivity / 100, acc.specificity / 100, result == "positive"
            )
            text = words(calculator.out.value)
            assert f"Your result ({result})" in text
            assert f"to {pct(expected)} after it" in text
            assert f"moves the probability from {pct(pre / 100)} to {pct(expected)}" in words(
                calculator.figure.value
            )


def test_changing_the_pre_test_probability_redraws_the_chart(calculator):
    calculator.test.value = calculator.options[2][1]
    calculator.pre.value = 20
    before = calculator.figure.value
    calculator.pre.value = 60
    assert calculator.figure.value != before
    calculator.controls["pre_test_box"].value = 150  # clamped, not raised
    assert calculator.pre.value == 99


def test_rule_in_explanation_follows_the_numbers(calculator):
    calculator.test.value = calculator.options[0][1]  # windlass: specific, insensitive
    calculator.pre.value = 50
    assert "a positive result moves the probability further" in words(calculator.out.value)


def test_your_result_goes_on_a_second_line_only_when_it_would_leave_the_figure():
    from hamfoot.plots.fagan import ProbabilityBars

    bars = ProbabilityBars()
    bars.update(0.3, 0.5, 0.1, "positive")
    assert bars.values[1].get_text() == "50%  ◀ your result"
    bars.update(0.99, 0.9999, 0.5, "positive")
    assert bars.values[1].get_text() == "more than 99.9%\n◀ your result"
    assert bars.values[2].get_text() == "50%"
