"""Lesson 04: the symptom explorer and the red-flag checklist, driven the way a learner drives them."""

from __future__ import annotations

import itertools

import pytest
from conftest import shown

from hamfoot import content
from hamfoot.plots.verdicts import verdict_label
from hamfoot.widgets.symptoms import URGENCY_WORDS, red_flag_checklist, symptom_explorer

RANK = {u: r for r, u in enumerate(["emergency", "urgent", "routine"])}


# ------------------------------------------------------------------ symptom explorer
def test_explorer_lists_every_symptom_common_first():
    explorer = symptom_explorer()
    ids = [value for _, value in explorer.choose.options]
    assert sorted(ids) == sorted(content.symptoms()["id"])
    frequencies = [content.get("symptoms", i).frequency for i in ids]
    assert frequencies == sorted(frequencies, key=["common", "less-common"].index)
    labels = [label for label, _ in explorer.choose.options]
    assert all(label.startswith(("Common ·", "Less common ·")) for label in labels)


def test_choosing_a_symptom_shows_its_appraisal_and_differentials():
    explorer = symptom_explorer()
    before = explorer.out.value
    for symptom_id in content.symptoms()["id"]:
        explorer.choose.value = symptom_id
        s = content.get("symptoms", symptom_id)
        out = explorer.out.value
        for text in (s.name, s.article_says, s.suggests, s.reason, verdict_label(s.verdict)):
            assert shown(text) in out
        for d in s.differentials:
            diff = content.get("differentials", d)
            assert shown(diff.name) in out and shown(diff.features) in out
            if diff.tests:
                assert shown(diff.tests) in out
        for ref in s.references:
            assert shown(content.cite(ref)) in out
    assert explorer.out.value != before  # the last symptom replaced the first one's text


def test_explorer_escapes_content(monkeypatch):
    real_get = content.get

    def poisoned(kind, ident, **kw):
        record = real_get(kind, ident, **kw)
        if kind in ("symptoms", "differentials"):
            return record.model_copy(update={"name": "<script>x</script>"})
        return record

    monkeypatch.setattr(content, "get", poisoned)
    out = symptom_explorer().out.value
    assert "<script>" not in out and "&lt;script&gt;" in out


# ------------------------------------------------------------------ red-flag checklist
@pytest.fixture
def checklist():
    return red_flag_checklist()


def flags():
    return [content.get("red_flags", i) for i in content.red_flags(source="evidence")["id"]]


def starts_with_teaching_statement(out: str) -> bool:
    return out.find("not a diagnosis") != -1 and out.find("not a diagnosis") < min(
        (out.find(k) for k in ("Nothing ticked", "Most urgent") if k in out), default=len(out)
    )


def test_nothing_ticked_says_so_after_the_teaching_statement(checklist):
    assert "Nothing ticked" in checklist.out.value
    assert starts_with_teaching_statement(checklist.out.value)
    assert "Most urgent" not in checklist.out.value


def test_one_checkbox_per_evidence_red_flag(checklist):
    assert list(checklist.checkboxes) == list(content.red_flags(source="evidence")["id"])
    for flag_id, box in checklist.checkboxes.items():
        assert box.description == content.get("red_flags", flag_id).finding


def test_an_emergency_finding_comes_first_and_sets_the_top_urgency(checklist):
    by_urgency = {}
    for f in flags():
        by_urgency.setdefault(f.urgency, f)
    assert "emergency" in by_urgency and len(by_urgency) > 1, (
        "content needs an emergency and another level"
    )
    lesser = next(f for u, f in by_urgency.items() if u != "emergency")
    checklist.checkboxes[lesser.id].value = True
    assert f"Most urgent: {shown(URGENCY_WORDS[lesser.urgency])}" in checklist.out.value
    emergency = by_urgency["emergency"]
    checklist.checkboxes[emergency.id].value = True
    out = checklist.out.value
    assert "Most urgent: emergency" in out
    assert out.index(shown(emergency.finding)) < out.index(shown(lesser.finding))
    for f in (emergency, lesser):
        assert shown(f.action) in out and shown("; ".join(f.suspect)) in out
    checklist.checkboxes[emergency.id].value = False
    checklist.checkboxes[lesser.id].value = False
    assert "Nothing ticked" in checklist.out.value


def test_every_combination_of_the_first_six_findings(checklist):
    boxes = list(checklist.checkboxes.items())[:6]
    for ticks in itertools.product([False, True], repeat=len(boxes)):
        for (_, box), tick in zip(boxes, ticks):
            box.value = tick
        out = checklist.out.value
        assert starts_with_teaching_statement(out)
        chosen = [content.get("red_flags", fid) for (fid, _), tick in zip(boxes, ticks) if tick]
        if not chosen:
            assert "Nothing ticked" in out
            continue
        top = min(chosen, key=lambda f: RANK[f.urgency]).urgency
        assert f"Most urgent: {shown(URGENCY_WORDS[top])}" in out
        ordered = sorted(chosen, key=lambda f: out.index(shown(f.finding)))
        assert [RANK[f.urgency] for f in ordered] == sorted(RANK[f.urgency] for f in ordered)
        assert f"{len(chosen)} finding" in out


def test_article_list_toggle_shows_its_items_with_verdicts(checklist):
    assert checklist.article_out.value == ""
    checklist.show_article.value = True
    for flag_id in content.red_flags(source="article")["id"]:
        f = content.get("red_flags", flag_id)
        assert shown(f.finding) in checklist.article_out.value
        assert shown(verdict_label(f.verdict)) in checklist.article_out.value
    checklist.show_article.value = False
    assert checklist.article_out.value == ""


def test_checklist_escapes_content(monkeypatch):
    real_get = content.get

    def poisoned(kind, ident, **kw):
        record = real_get(kind, ident, **kw)
        if kind == "red_flags":
            return record.model_copy(update={"action": "<script>x</script>"})
        return record

    monkeypatch.setattr(content, "get", poisoned)
    checklist = red_flag_checklist()
    next(iter(checklist.checkboxes.values())).value = True
    assert "<script>" not in checklist.out.value and "&lt;script&gt;" in checklist.out.value


def test_every_control_has_a_label(checklist):
    for control in checklist.controls.values():
        assert control.description.strip()
    assert symptom_explorer().choose.description.strip()
