"""Lesson 03: the cause walkthrough and the verdict chart, driven the way a learner drives them."""

from __future__ import annotations

import pandas as pd
import pytest
from conftest import shown

from hamfoot import content
from hamfoot.plots.verdicts import VERDICT_WORDS, claims_by_verdict, verdict_label
from hamfoot.schema import VERDICTS
from hamfoot.widgets.causes import article_causes, cause_walkthrough


def wrong_verdict(verdict: str) -> str:
    return next(v for v in VERDICTS if v != verdict)


@pytest.fixture
def walk():
    return cause_walkthrough()


def test_every_cause_claim_is_walked_in_article_order():
    causes = article_causes()
    assert sorted(c.claim.id for c in causes) == sorted(content.claims(section="causes")["id"])
    first_seen = {}
    for pos, item in enumerate(content.article_map().itertuples()):
        for target in item.maps_to:
            first_seen.setdefault(target, pos)
    positions = [first_seen.get(f"claims:{c.claim.id}") for c in causes]
    # within one article item, claims keep the order the item lists them in
    walked_ids = {c.claim.id for c in causes}
    for pos, item in enumerate(content.article_map().itertuples()):
        listed = [
            t.partition(":")[2]
            for t in item.maps_to
            if t.startswith("claims:") and first_seen[t] == pos and t[7:] in walked_ids
        ]
        walked = [c.claim.id for c in causes if c.claim.id in listed]
        assert walked == listed
    mapped = [p for p in positions if p is not None]
    assert mapped == sorted(mapped), "causes are not in the order the article makes them"
    assert all(p is not None for p in positions[: len(mapped)]), "unmapped claims should come last"


def test_the_claim_shows_before_the_verdict(walk):
    first = walk.causes[0].claim
    assert shown(first.statement) in walk.claim_out.value
    assert "Verdict:" not in walk.out.value and "Your turn" in walk.out.value


def test_next_moves_to_the_next_cause_and_reveal_shows_its_verdict(walk):
    walk.next.click()
    assert walk.choose.value == 1
    second = walk.causes[1].claim
    assert shown(second.statement) in walk.claim_out.value
    assert "Verdict:" not in walk.out.value
    walk.reveal.click()
    assert f"Verdict: {shown(verdict_label(second.verdict))}" in walk.out.value
    assert shown(second.reason) in walk.out.value
    walk.previous.click()
    assert walk.choose.value == 0 and shown(walk.causes[0].claim.statement) in walk.claim_out.value


def test_navigation_is_clamped_at_both_ends_and_says_so(walk):
    walk.previous.click()
    assert walk.choose.value == 0 and "first claim" in walk.nav_note.value
    walk.next.click()
    assert walk.nav_note.value == ""
    for _ in range(len(walk.causes) + 3):
        walk.next.click()
    assert walk.choose.value == len(walk.causes) - 1 and "last claim" in walk.nav_note.value
    walk.go(-5)
    assert walk.choose.value == len(walk.causes) - 6
    walk.show(10_000)  # out of range is clamped, not an error
    assert shown(walk.causes[-1].claim.statement) in walk.claim_out.value


def test_the_dropdown_jumps_to_any_cause(walk):
    last = len(walk.causes) - 1
    walk.choose.value = last
    assert shown(walk.causes[last].claim.statement) in walk.claim_out.value
    assert f"Claim {last + 1} of {last + 1}" in walk.claim_out.value


def test_a_wrong_prediction_gets_not_quite_then_the_evidence(walk):
    verdict = walk.causes[0].claim.verdict
    walk.prediction.value = wrong_verdict(verdict)
    walk.check.click()
    assert "Not quite" in walk.out.value and "Correct" not in walk.out.value
    assert shown(verdict_label(wrong_verdict(verdict))) in walk.out.value  # names what they chose
    assert f"Verdict: {shown(verdict_label(verdict))}" in walk.out.value


def test_a_right_prediction_gets_correct(walk):
    walk.prediction.value = walk.causes[0].claim.verdict
    walk.check.click()
    assert "Correct" in walk.out.value and "Not quite" not in walk.out.value


def test_checking_without_a_prediction_asks_for_one_and_reveals_nothing(walk):
    walk.check.click()
    assert "Choose a verdict first" in walk.out.value and "Verdict:" not in walk.out.value


def test_a_prediction_is_remembered_per_cause(walk):
    walk.prediction.value = wrong_verdict(walk.causes[0].claim.verdict)
    walk.check.click()
    walk.next.click()
    assert walk.prediction.value is None and "Your turn" in walk.out.value
    walk.previous.click()
    assert walk.prediction.value == wrong_verdict(walk.causes[0].claim.verdict)
    assert "Not quite" in walk.out.value


def test_revealed_evidence_has_mechanisms_believe_if_and_references(walk):
    for i, cause in enumerate(walk.causes):
        walk.choose.value = i
        walk.reveal.click()
        out = walk.out.value
        for m in content.mechanisms().itertuples():
            if cause.claim.id in m.claims:
                assert shown(m.link) in out and shown(m.known) in out and shown(m.claimed) in out
        if cause.claim.believe_if:
            assert shown(cause.claim.believe_if) in out
        for ref in cause.claim.references:
            assert shown(content.cite(ref)) in out


def test_content_text_is_escaped(monkeypatch):
    real_get = content.get

    def poisoned(kind, ident, **kw):
        record = real_get(kind, ident, **kw)
        if kind == "claims":
            return record.model_copy(
                update={"statement": "<script>alert(1)</script>", "reason": "<b>bold</b> reason"}
            )
        return record

    monkeypatch.setattr(content, "get", poisoned)
    walk = cause_walkthrough()
    walk.reveal.click()
    for value in (walk.claim_out.value, walk.out.value):
        assert "<script>" not in value and "<b>bold" not in value
    assert "&lt;script&gt;" in walk.claim_out.value and "&lt;b&gt;bold" in walk.out.value


def test_every_control_has_a_label(walk):
    for control in walk.controls.values():
        assert control.description.strip()


# ------------------------------------------------------------------ the verdict chart
def test_verdict_words_cover_every_verdict_with_distinct_symbols():
    assert tuple(VERDICT_WORDS) == VERDICTS
    assert len({symbol for symbol, _, _ in VERDICT_WORDS.values()}) == len(VERDICTS)


def test_chart_counts_come_from_the_data():
    claims = pd.DataFrame({"verdict": ["contradicted", "contradicted", "contested"]})
    chart = claims_by_verdict(claims)
    assert "Of the 3 claims" in chart.summary
    assert "2 contradicted" in chart.summary and "1 contested" in chart.summary
    assert "none supported" in chart.summary
    ax = chart.fig.axes[0]
    width_at = {round(bar.get_y() + bar.get_height() / 2): bar.get_width() for bar in ax.patches}
    widths = {
        label.get_text(): width_at[round(y)]
        for y, label in zip(ax.get_yticks(), ax.get_yticklabels())
    }
    assert widths["Contradicted"] == 2 and widths["Contested"] == 1 and widths["Supported"] == 0
    assert len({bar.get_hatch() for bar in ax.patches}) == len(VERDICTS)  # not colour alone


def test_chart_of_the_real_causes_matches_the_content():
    chart = claims_by_verdict()
    counts = content.claims(section="causes")["verdict"].value_counts()
    assert f"Of the {counts.sum()} claims" in chart.summary
    for verdict, n in counts.items():
        assert f"{n} {VERDICT_WORDS[verdict][1].lower()}" in chart.summary
    assert repr(chart) == f"Figure: {chart.summary}"
