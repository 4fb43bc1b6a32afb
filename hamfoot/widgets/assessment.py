"""Lesson 05: the test library, a result interpreter and a post-test probability calculator.

Why an interpreter that shows error bars in words: a single AKE or Silfverskiöld reading near a
cut-off says little, because a retest can land on the other side. Why a post-test calculator: the
windlass test's 100% specificity and 31.8% sensitivity mean a positive result rules plantar
fasciopathy in while a negative barely rules it out, and that asymmetry is easiest to feel with
numbers. Every number shown is read from data/assessments.yaml with its reference; the
arithmetic lives in hamfoot.assessment. Teaching only: nothing here diagnoses.
"""

from __future__ import annotations

import math

import ipywidgets as w

from hamfoot import assessment as calc
from hamfoot.plots.fagan import ProbabilityBars, pct
from hamfoot.widgets.common import (
    FULL,
    WIDE,
    KeyboardSafeBox,
    bullet_html,
    esc,
    note_html,
    slider_with_box,
)

__all__ = [
    "test_library",
    "test_card_html",
    "test_explorer",
    "TestInterpreter",
    "test_interpreter",
    "PostTestCalculator",
    "post_test_calculator",
    "accuracy_options",
]

AKE, SLR, LUNGE = "active-knee-extension", "straight-leg-raise", "weight-bearing-lunge"
DORSIFLEXION, SILFVERSKIOLD, FIRST = "non-weight-bearing-dorsiflexion", "silfverskiold", "windlass"
SEXES = (("Men", "men"), ("Women", "women"))
TEACHING = (
    "This is teaching material, not a diagnosis. A number past a cut-off does not explain "
    "anyone's pain on its own; red flags (lesson 04) always mean seeing a clinician."
)


# ---------------------------------------------------------------- formatting helpers
def _record(test_id: str):
    from hamfoot import content

    return content.get("assessments", test_id)


def short_ref(ref_id: str) -> str:
    """'Yıldırım 2018' from the bibliography (first author's surname and year)."""
    from hamfoot import content

    return content.author_year(ref_id)


def _unit(record) -> str:
    return "°" if record.unit == "degrees" else f" {record.unit}"


def _num(x: float, unit: str) -> str:
    return f"{x:g}{unit}"


def _norm_line(record, norm, value: float | None, mdd) -> str:
    """One norm in words, and where `value` (if given) falls against it."""
    u = _unit(record)
    src = (
        f"{short_ref(norm.reference)}; {norm.population}"
        if norm.population
        else short_ref(norm.reference)
    )
    who = {"men": "Men", "women": "Women", "all": "Everyone"}[norm.group]
    if norm.cutoff is None and norm.mean is None:
        return (
            f"<li>{esc(who)}: {esc(norm.population or '')} ({esc(short_ref(norm.reference))})</li>"
        )
    if norm.cutoff is None:
        spread = f" ± {_num(norm.sd, u)}" if norm.sd is not None else ""
        text = f"For comparison, group mean {_num(norm.mean, u)}{spread} ({src})."
        return f"<li>{esc(text)}</li>"
    way = "above" if norm.tight_when == "above" else "below"
    text = f"{who}: cut-off {_num(norm.cutoff, u)}; values {way} it count as tight or restricted ({src})."
    if value is not None:
        side = calc.side_of_cutoff(value, norm.cutoff, norm.tight_when)
        gap = abs(calc.margin(value, norm.cutoff, norm.tight_when))
        if side == "at":
            text += f" Your {_num(value, u)} sits exactly on the cut-off; papers differ on which side that counts."
        elif side == "beyond":
            text += f" Your {_num(value, u)} is past it by {gap:.1f}{u}: tight or restricted by this definition."
        else:
            text += (
                f" Your {_num(value, u)} is {gap:.1f}{u} short of it: not tight by this definition."
            )
        if mdd is not None:
            m, mref = mdd
            if calc.within_mdd(value, norm.cutoff, m):
                text += (
                    f" It is within one minimal detectable difference (MDD, {_num(m, u)}; "
                    f"{short_ref(mref)}) of the cut-off, so a retest could land on either side."
                )
            else:
                text += (
                    f" It is more than one MDD ({_num(m, u)}) from the cut-off, so measurement "
                    "error alone is unlikely to change the side."
                )
        if norm.mean is not None and norm.sd:
            text += f" Against this group's mean of {_num(norm.mean, u)} ± {_num(norm.sd, u)}, it is {_z_words(calc.z_score(value, norm.mean, norm.sd))}."
    return f"<li>{esc(text)}</li>"


def _z_words(z: float) -> str:
    if abs(z) < 0.05:
        return "at the mean"
    return f"{abs(z):.1f} standard deviations {'above' if z > 0 else 'below'} the mean"


def _first_mdd(record):
    """(MDD, reference) of the first reliability entry that reports one, else None."""
    return next(((r.mdd, r.reference) for r in record.reliability if r.mdd is not None), None)


def _reliability_html(record) -> str:
    if not record.reliability:
        return (
            "<p><strong>Measurement error:</strong> none reported in our sources for this test.</p>"
        )
    items = []
    u = _unit(record)
    for r in record.reliability:
        bits = [
            f"ICC {r.icc}" if r.icc else None,
            f"SEM {_num(r.sem, u)}" if r.sem is not None else None,
            f"MDD {_num(r.mdd, u)}" if r.mdd is not None else None,
        ]
        numbers = ", ".join(b for b in bits if b)
        where = f"{r.population}; " if r.population else ""
        items.append(f"{numbers + ' — ' if numbers else ''}{where}{short_ref(r.reference)}")
    return "<p><strong>Measurement error and reliability:</strong></p>" + bullet_html(items)


def _cautions_html(record) -> str:
    return (
        ("<p><strong>Keep in mind:</strong></p>" + bullet_html(record.cautions))
        if record.cautions
        else ""
    )


def _references_html(ids) -> str:
    from hamfoot import content

    ids = list(dict.fromkeys(ids))
    items = "".join(f"<li>{esc(c)}</li>" for c in content.reference_list(ids))
    return f"<details><summary>References ({len(ids)})</summary><ol>{items}</ol></details>"


def _norms_html(
    record, group: str | None, value: float | None, heading: str = "Norms and cut-offs"
) -> str:
    chosen = [n for n in record.norms if group is None or n.group in (group, "all")]
    chosen.sort(key=lambda n: n.group == "all")  # sex-specific values first
    if not chosen:
        return (
            f"<p><strong>{esc(heading)}:</strong> no validated norm in our sources for this test "
            "(see the cautions).</p>"
        )
    mdd = _first_mdd(record)
    note = ""
    if group is not None and not any(n.group == group for n in record.norms):
        note = " (no separate values for men and women in our sources)"
    return (
        f"<p><strong>{esc(heading)}{esc(note)}:</strong></p><ul>"
        + "".join(_norm_line(record, n, value, mdd) for n in chosen)
        + "</ul>"
    )


# ---------------------------------------------------------------- library and cards
def test_library():
    """The test library as a Markdown table: name, what it measures, how its number is read."""
    from IPython.display import Markdown

    from hamfoot import content

    cell = lambda text: " ".join(str(text).split()).replace("|", "\\|")  # noqa: E731
    rows = ["| Test | What it measures | How the number is read |", "|---|---|---|"]
    rows += [
        f"| {cell(r.name)} | {cell(r.measures)} | {cell(r.convention)} |"
        for r in content.assessments().itertuples()
    ]
    return Markdown("\n".join(rows))


def test_card_html(test_id: str) -> str:
    """Everything the data holds about one test: procedure, convention, norms, error, accuracy."""
    r = _record(test_id)
    parts = [
        f"<p style='margin:0.4em 0;font-size:1.1em'><strong>{esc(r.name)}</strong></p>",
        f"<p><strong>Procedure:</strong> {esc(r.procedure)}</p>",
        f"<p><strong>Measures:</strong> {esc(r.measures)}</p>",
        f"<p><strong>How the number is read:</strong> {esc(r.convention)}</p>",
        _norms_html(r, None, None),
        _reliability_html(r),
    ]
    if r.accuracy:
        parts.append(
            "<p><strong>Diagnostic accuracy:</strong></p>"
            + bullet_html(
                f"sensitivity {a.sensitivity:g}%, specificity {a.specificity:g}% — "
                f"{a.population + '; ' if a.population else ''}{short_ref(a.reference)}"
                for a in r.accuracy
                if a.sensitivity is not None and a.specificity is not None
            )
        )
    parts += [_cautions_html(r), _references_html(r.references)]
    return "".join(parts)


def test_explorer() -> KeyboardSafeBox:
    """Choose a test from the library and read its card."""
    from hamfoot import content

    tests = content.assessments()
    pick = w.Dropdown(
        options=list(zip(tests["name"], tests["id"])),
        description="Test",
        style=WIDE,
        layout=w.Layout(width="70%"),
    )
    out = w.HTML(test_card_html(pick.value), layout=FULL)
    pick.observe(lambda change: setattr(out, "value", test_card_html(change["new"])), "value")
    box = KeyboardSafeBox([pick, out], layout=FULL)
    box.controls, box.out = {"test": pick}, out
    return box


# ---------------------------------------------------------------- interpreter
class TestInterpreter(KeyboardSafeBox):
    """Enter results; each is read against its norms (by sex where the data has them), with its
    measurement error in words. `controls` holds the inputs, `out` the HTML answer."""

    __test__ = False  # not a pytest class

    def __init__(self):
        self.records = {k: _record(k) for k in (AKE, SLR, LUNGE, DORSIFLEXION, SILFVERSKIOLD)}
        self.factor = self.records[LUNGE].conversion.factor
        self.sex = w.ToggleButtons(
            options=SEXES, value="men", description="Sex (for the norms)", style=WIDE
        )
        ake, ake_box, ake_row = slider_with_box(
            "AKE deficit (knee short of straight, hip at 90°)", 28, 0, 90, 1, "°"
        )
        slr, slr_box, slr_row = slider_with_box(
            "Passive SLR (leg-to-table angle)", 75, 0, 120, 1, "°"
        )
        lunge, lunge_box, lunge_row = slider_with_box(
            "Weight-bearing lunge (toe-to-wall distance)", 10, 0, 20, 0.5, "cm"
        )
        ext, ext_box, ext_row = slider_with_box("Dorsiflexion, knee straight", 5, -20, 30, 1, "°")
        flex, flex_box, flex_row = slider_with_box("Dorsiflexion, knee bent", 15, -20, 40, 1, "°")
        self.controls = {
            "sex": self.sex,
            "ake": ake,
            "slr": slr,
            "lunge": lunge,
            "dorsiflexion_knee_extended": ext,
            "dorsiflexion_knee_flexed": flex,
            "ake_box": ake_box,
            "slr_box": slr_box,
            "lunge_box": lunge_box,
            "dorsiflexion_knee_extended_box": ext_box,
            "dorsiflexion_knee_flexed_box": flex_box,
        }
        self.out = w.HTML(layout=FULL)
        for c in (self.sex, ake, slr, lunge, ext, flex):
            c.observe(self.refresh, "value")
        super().__init__(
            [self.sex, ake_row, slr_row, lunge_row, ext_row, flex_row, self.out], layout=FULL
        )
        self.refresh()

    def refresh(self, change=None) -> None:
        c = self.controls
        self.out.value = interpretation_html(
            c["sex"].value,
            c["ake"].value,
            c["slr"].value,
            c["lunge"].value,
            c["dorsiflexion_knee_extended"].value,
            c["dorsiflexion_knee_flexed"].value,
            self.records,
            self.factor,
        )


def interpretation_html(
    sex: str,
    ake: float,
    slr: float,
    lunge_cm: float,
    df_extended: float,
    df_flexed: float,
    records: dict | None = None,
    factor: float | None = None,
) -> str:
    """The interpreter's answer for one set of results (pure formatting of data and arithmetic)."""
    records = records or {k: _record(k) for k in (AKE, SLR, LUNGE, DORSIFLEXION, SILFVERSKIOLD)}
    factor = factor if factor is not None else records[LUNGE].conversion.factor
    r = records
    blocks = [note_html("Teaching, not diagnosis", TEACHING)]

    def block(record, title: str, body: str, refs=()) -> str:
        return (
            f"<section style='margin-top:0.8em'><p style='margin:0.3em 0;font-size:1.1em'><strong>{esc(title)}</strong></p>"
            f"<p><em>How the number is read:</em> {esc(record.convention)}</p>{body}"
            f"{_cautions_html(record)}{_references_html([*record.references, *refs])}</section>"
        )

    ake_r = r[AKE]
    blocks.append(
        block(
            ake_r,
            f"{ake_r.name}: {ake:g}° deficit",
            _norms_html(ake_r, sex, ake) + _reliability_html(ake_r),
        )
    )
    slr_r = r[SLR]
    blocks.append(
        block(
            slr_r,
            f"{slr_r.name}: {slr:g}°",
            _norms_html(slr_r, sex, slr) + _reliability_html(slr_r),
        )
    )
    lunge_r = r[LUNGE]
    degrees = calc.lunge_degrees(lunge_cm, factor)
    conversion = (
        f"<p>{lunge_cm:g} cm is about {degrees:.1f}° of tibial inclination, at {factor:g}° "
        "per cm (the factor stated in the test's convention).</p>"
    )
    blocks.append(
        block(
            lunge_r,
            f"{lunge_r.name}: {lunge_cm:g} cm",
            conversion + _norms_html(lunge_r, sex, lunge_cm) + _reliability_html(lunge_r),
        )
    )
    silf, dorsi = r[SILFVERSKIOLD], r[DORSIFLEXION]
    gain = df_flexed - df_extended
    odd = (
        (
            "<p><strong>Check the readings:</strong> dorsiflexion with the knee bent is normally at "
            "least as large as with it straight (bending the knee slackens the gastrocnemius); a "
            "smaller knee-bent value suggests a measurement problem, so repeat both.</p>"
        )
        if gain < 0
        else ""
    )
    body = (
        f"<p>Knee straight {df_extended:g}°, knee bent {df_flexed:g}°: a gain of {gain:g}° when the "
        f"knee bends.</p>{odd}"
        + _norms_html(silf, sex, gain, "The gain, against the Silfverskiöld definitions")
        + _norms_html(
            dorsi,
            sex,
            df_extended,
            f"The knee-straight reading, against the definitions for {dorsi.name.lower()}",
        )
        + _reliability_html(silf)
    )
    blocks.append(
        block(silf, f"{silf.name}: gain {gain:g}° when the knee bends", body, refs=dorsi.references)
    )
    return "".join(blocks)


def test_interpreter() -> TestInterpreter:
    """Lesson 05: AKE, SLR, lunge and Silfverskiöld results read against their norms and error."""
    return TestInterpreter()


# ---------------------------------------------------------------- post-test probability
def accuracy_options() -> list[tuple[str, tuple[str, int]]]:
    """(label, (test id, accuracy index)) for every test with both sensitivity and specificity,
    the windlass test first."""
    from hamfoot import content

    options = []
    for test_id in content.assessments()["id"]:
        r = content.get("assessments", test_id)
        usable = [
            (i, a)
            for i, a in enumerate(r.accuracy)
            if a.sensitivity is not None and a.specificity is not None
        ]
        for i, a in usable:
            which = f" ({a.population.split(';')[0]})" if len(usable) > 1 and a.population else ""
            label = (
                f"{r.name}{which}: sensitivity {a.sensitivity:g}%, specificity "
                f"{a.specificity:g}% ({short_ref(a.reference)})"
            )
            options.append((label, (test_id, i)))
    options.sort(key=lambda o: o[1][0] != FIRST)
    return options


def _lr_words(lr: float, positive: bool) -> str:
    name = "LR+" if positive else "LR−"
    if math.isnan(lr):
        return f"{name} is undefined for this test."
    if math.isinf(lr):
        return (
            f"{name} = ∞ (infinite). The specificity is 100%: no false positives were seen, so "
            "the formula sensitivity ÷ (1 − specificity) divides by zero. Read it as 'in this "
            "study a positive result only ever came from people with the condition' — a perfect "
            "value from one small study, which a single false positive in a larger sample would "
            "make finite."
        )
    if lr == 0:
        return (
            f"{name} = 0. The sensitivity is 100%: no false negatives were seen, so a negative "
            "result would, taken at face value, rule the condition out completely — again a "
            "perfect value from one study."
        )
    return f"{name} = {lr:.2f}." if lr < 10 else f"{name} = {lr:.0f}."


def post_test_html(label: str, record, accuracy, pre: float, result: str) -> str:
    """The calculator's answer in words (pure formatting of data and hamfoot.assessment)."""
    se, sp = accuracy.sensitivity / 100, accuracy.specificity / 100
    lr_pos, lr_neg = calc.likelihood_ratios(se, sp)
    pos = calc.post_test_probability(pre, se, sp, True)
    neg = calc.post_test_probability(pre, se, sp, False)
    after = pos if result == "positive" else neg
    move = "rises" if after > pre else "falls" if after < pre else "stays"
    where = f" — {accuracy.population}" if accuracy.population else ""
    if after in (0.0, 1.0):
        share = f"taken at face value, {'everyone' if after else 'no one'} with this result would have the condition"
    else:
        share = (
            f"about {round(100 * after)} in 100 people with this result and this starting "
            "probability would have the condition"
        )
    parts = [
        f"<p><strong>{esc(label)}</strong>{esc(where)}.</p>",
        f"<p><strong>Likelihood ratios:</strong> {esc(_lr_words(lr_pos, True))} {esc(_lr_words(lr_neg, False))}</p>",
        f"<p><strong>Your result ({esc(result)}):</strong> the probability {move} from {pct(pre)} before "
        f"the test to <strong>{pct(after)}</strong> after it — {share}. (The other result would "
        f"give {pct(neg if result == 'positive' else pos)}.)</p>",
        "<p><strong>Rule in or rule out?</strong> A test with very high specificity (few false "
        "positives) is useful when positive: it rules the condition in. A test with very high "
        "sensitivity (few false negatives) is useful when negative: it rules the condition out. "
        f"This test: specificity {accuracy.specificity:g}% and sensitivity {accuracy.sensitivity:g}%, so "
        + (
            "a positive result moves the probability further than a negative one."
            if abs(pos - pre) > abs(pre - neg)
            else "a negative result moves the probability further than a positive one."
        )
        + " The starting (pre-test) probability is your clinical judgement from the history and "
        "examination; the same result means more when the starting probability is in the middle.</p>",
    ]
    return "".join(parts) + _cautions_html(record) + _references_html([accuracy.reference])


class PostTestCalculator(KeyboardSafeBox):
    """Choose a test, a pre-test probability and a result; read the post-test probability."""

    def __init__(self):
        from hamfoot import content

        self.options = accuracy_options()
        self.test = w.Dropdown(
            options=self.options,
            value=self.options[0][1],
            description="Test (accuracy from the data)",
            style=WIDE,
            layout=w.Layout(width="95%"),
        )
        self.pre, pre_box, pre_row = slider_with_box("Pre-test probability", 30, 1, 99, 1, "%")
        self.result = w.ToggleButtons(
            options=[("Positive", "positive"), ("Negative", "negative")],
            value="positive",
            description="Test result",
            style=WIDE,
        )
        self.controls = {
            "test": self.test,
            "pre_test": self.pre,
            "pre_test_box": pre_box,
            "result": self.result,
        }
        self.chart = ProbabilityBars()
        self.figure, self.out = w.HTML(), w.HTML(layout=FULL)
        self._content = content
        for c in (self.test, self.pre, self.result):
            c.observe(self.refresh, "value")
        super().__init__([self.test, pre_row, self.result, self.figure, self.out], layout=FULL)
        self.refresh()

    def refresh(self, change=None) -> None:
        test_id, i = self.test.value
        record = self._content.get("assessments", test_id)
        acc = record.accuracy[i]
        label = dict((v, k) for k, v in self.options)[self.test.value]
        pre = min(99.0, max(1.0, float(self.pre.value))) / 100
        se, sp = acc.sensitivity / 100, acc.specificity / 100
        self.chart.update(
            pre,
            calc.post_test_probability(pre, se, sp, True),
            calc.post_test_probability(pre, se, sp, False),
            self.result.value,
        )
        self.figure.value = self.chart.html()
        self.out.value = post_test_html(label, record, acc, pre, self.result.value)


def post_test_calculator() -> PostTestCalculator:
    """Lesson 05: Fagan-style post-test probability, starting with the windlass test."""
    return PostTestCalculator()


# Builder names start with "test" (the clinician's word); tell pytest they are not tests.
for _builder in (test_library, test_card_html, test_explorer, test_interpreter):
    _builder.__test__ = False  # type: ignore[attr-defined]
