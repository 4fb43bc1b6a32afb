"""Lesson 06: the treatment explorer and the grade chart, driven the way a learner drives them."""

from __future__ import annotations

import itertools
import re

import pytest
from conftest import shown

from hamfoot import content
from hamfoot.plots.treatment import (
    VERIFICATION_WORDS,
    author_year,
    grade_chart,
    grade_entry,
    grades_table,
    guidelines,
)
from hamfoot.plots.verdicts import verdict_label
from hamfoot.widgets.treatment import (
    ANY,
    TreatmentExplorer,
    latest_grade,
    matches,
    treatment_explorer,
)


def records() -> list:
    return [content.get("treatments", i) for i in content.treatments()["id"]]


def listed_names(explorer) -> list[str]:
    return [name for name, _ in explorer.choice.options]


def grade_items(explorer) -> list[str]:
    """The <li> items of the 'Guideline grades' list in the detail panel."""
    block = explorer.out.value.split("Guideline grades", 1)[1].split("</ul>", 1)[0]
    return re.findall(r"<li>(.*?)</li>", block)


@pytest.fixture
def explorer():
    return treatment_explorer()


def test_every_control_is_labelled(explorer):
    assert all(c.description for c in explorer.controls.values())


def test_no_filter_lists_every_treatment(explorer):
    assert listed_names(explorer) == [t.name for t in records()]
    assert f"{len(records())} of {len(records())} treatments match" in explorer.listing.value


def test_category_filter_changes_the_listing(explorer):
    expected = [t.name for t in records() if t.category == "missing-from-article"]
    assert expected and len(expected) < len(records())
    explorer.category.value = "missing-from-article"
    assert listed_names(explorer) == expected
    assert all(shown(name) in explorer.listing.value for name in expected)
    left_out = [t.name for t in records() if t.category != "missing-from-article"]
    assert not any(f"<li>{shown(name)} —" in explorer.listing.value for name in left_out)


def test_grade_filter_uses_the_latest_grade(explorer):
    for grade in [v for _, v in explorer.grade.options if v != ANY]:
        explorer.grade.value = grade
        expected = [
            t.name
            for t in records()
            if (latest_grade(t).grade if latest_grade(t) else "no grade recorded") == grade
        ]
        assert listed_names(explorer) == expected, grade


def test_verdict_filter_combines_with_category(explorer):
    explorer.category.value = "home"
    explorer.verdict.value = "unsupported"
    expected = [t.name for t in records() if t.category == "home" and t.verdict == "unsupported"]
    assert listed_names(explorer) == expected


def test_choosing_a_treatment_shows_the_article_beside_the_evidence(explorer):
    t = next(t for t in records() if t.article_says)
    explorer.choice.value = t.id
    out = explorer.out.value
    assert "What the article says" in out and "What the evidence says" in out
    assert shown(t.article_says) in out and shown(t.evidence) in out
    assert shown(verdict_label(t.verdict)) in out
    for ref in t.references:
        assert shown(content.cite(ref)) in out
    for caution in t.cautions:
        assert shown(caution) in out


def test_an_option_the_article_left_out_says_so(explorer):
    t = next(t for t in records() if t.article_says is None)
    explorer.choice.value = t.id
    assert "The article does not mention this option" in explorer.out.value
    assert shown(t.evidence) in explorer.out.value


def test_choice_follows_the_filters(explorer):
    keep = next(t for t in records() if t.category == "missing-from-article")
    explorer.choice.value = keep.id
    explorer.category.value = "missing-from-article"
    assert explorer.choice.value == keep.id, "a chosen treatment that still matches stays chosen"
    explorer.category.value = "home"
    first_home = next(t for t in records() if t.category == "home")
    assert explorer.choice.value == first_home.id
    assert shown(first_home.name) in explorer.out.value


def test_a_filter_with_no_match_says_so_in_words(explorer):
    combos = itertools.product(
        *(
            [v for _, v in c.options if v != ANY]
            for c in (explorer.category, explorer.grade, explorer.verdict)
        )
    )
    empty = next(
        ((c, g, v) for c, g, v in combos if not any(matches(t, c, g, v) for t in records())), None
    )
    assert empty is not None, "the content has no empty combination to try"
    explorer.category.value, explorer.grade.value, explorer.verdict.value = empty
    assert "No treatment matches" in explorer.listing.value
    assert explorer.choice.options == () and explorer.choice.disabled
    assert explorer.out.value == ""
    explorer.verdict.value = ANY  # widening again brings a list back (or another worded message)
    assert explorer.listing.value


def test_no_combination_of_filters_raises(explorer):
    options = [
        [v for _, v in c.options] for c in (explorer.category, explorer.grade, explorer.verdict)
    ]
    for c, g, v in itertools.product(*options):
        explorer.category.value, explorer.grade.value, explorer.verdict.value = c, g, v
        n = sum(matches(t, c, g, v) for t in records())
        assert len(explorer.choice.options) == n
        assert ("No treatment matches" in explorer.listing.value) == (n == 0)


def test_unverified_grades_are_labelled_and_others_are_not(explorer):
    graded = [t for t in records() if t.grades]
    assert any(g.verification == "unverified" for t in graded for g in t.grades)
    for t in graded:
        explorer.choice.value = t.id
        items = grade_items(explorer)
        assert len(items) == len(t.grades)
        for g in t.grades:
            item = next(i for i in items if f"{author_year(g.guideline)} guideline" in i)
            assert str(g.year) in item
            assert (f"grade {g.grade}" if g.grade != "not graded" else "not graded") in item
            assert ("Unverified" in item) == (g.verification == "unverified"), (t.id, item)
            assert VERIFICATION_WORDS[g.verification][2] in item


def test_ungraded_treatment_says_no_grade(explorer):
    t = next((t for t in records() if not t.grades), None)
    if t is None:
        pytest.skip("every treatment has a grade")
    explorer.choice.value = t.id
    assert "No guideline grade is recorded" in explorer.out.value


def test_content_text_is_escaped():
    t = records()[0].model_copy(
        update={"name": "<script>alert(1)</script>", "evidence": "a < b & c"}
    )
    box = TreatmentExplorer([t])
    assert "<script>" not in box.out.value and "&lt;script&gt;" in box.out.value
    assert "a &lt; b &amp; c" in box.out.value


# ---------------------------------------------------------------- grade chart
def count_grades(frame, guideline: str) -> dict[str, int]:
    counts: dict[str, int] = {}
    for gs in frame["grades"]:
        g = grade_entry(gs, guideline)
        if g is not None:
            counts[g["grade"]] = counts.get(g["grade"], 0) + 1
    return counts


def test_grade_chart_summary_counts_the_data():
    frame = content.treatments()
    chart = grade_chart()
    assert f"Grades of {len(frame)} treatment options" in chart.summary
    for guideline, _ in guidelines(frame):
        for grade, n in count_grades(frame, guideline).items():
            phrase = (
                f"{n} explicitly not graded" if grade == "not graded" else f"{n} graded {grade}"
            )
            assert phrase in chart.summary, phrase
    assert chart.summary in chart.alt and repr(chart) == f"Figure: {chart.summary}"


def test_grade_chart_summary_follows_changed_data(monkeypatch):
    frame = content.treatments()
    a_2023 = count_grades(frame, "koc2023").get("A", 0)
    assert a_2023 >= 2
    changed = frame[
        [
            not (grade_entry(gs, "koc2023") and grade_entry(gs, "koc2023")["grade"] == "A")
            for gs in frame["grades"]
        ]
    ].iloc[:-1]
    monkeypatch.setattr(content, "treatments", lambda *a, **k: changed.copy())
    chart = grade_chart()
    assert f"Grades of {len(changed)} treatment options" in chart.summary
    sentence = next(s for s in chart.summary.split(". ") if s.startswith(author_year("koc2023")))
    assert "graded A" not in sentence and "graded B" in sentence


def test_unverified_grades_are_hatched_and_worded_on_the_chart():
    chart = grade_chart()
    hatch = VERIFICATION_WORDS["unverified"][0]
    for ax in chart.fig.axes:
        title = ax.get_title(loc="left")
        texts = [t.get_text() for t in ax.texts]
        hatched = [p for p in ax.patches if p.get_hatch() == hatch]
        worded = [t for t in texts if "(unverified)" in t]
        assert bool(hatched) == bool(worded) == ("unverified" in title), title
    assert any("unverified" in ax.get_title(loc="left") for ax in chart.fig.axes)
    assert "unverified" in chart.summary and "crosses for unverified" in chart.alt


def test_on_the_projector_a_key_names_each_checking_level_in_words():
    """The projector's grade chart labels bars with counts only; its key carries the words."""
    from conftest import projecting

    with projecting():
        chart = grade_chart()
    (key,) = chart.fig.legends
    shown_levels = dict(
        zip([t.get_text() for t in key.get_texts()], [h.get_hatch() for h in key.legend_handles])
    )
    used = {g["verification"] for gs in content.treatments()["grades"] for g in gs}
    assert shown_levels == {VERIFICATION_WORDS[v][1]: VERIFICATION_WORDS[v][0] for v in used}
    assert "a key above the panels names the checking level" in chart.alt


def test_verdict_chart_summary_counts_both_groups(monkeypatch):
    frame = content.treatments()
    chart = grade_chart(by="verdict")
    in_article = frame[frame["category"] != "missing-from-article"]
    assert f"Of the {len(in_article)} options the article lists" in chart.summary
    changed = frame.copy()
    changed.loc[changed.index[0], "verdict"] = "contradicted"
    monkeypatch.setattr(content, "treatments", lambda *a, **k: changed.copy())
    assert "1 contradicted" in grade_chart(by="verdict").summary


def test_grade_chart_rejects_an_unknown_mode():
    with pytest.raises(ValueError, match="by must be"):
        grade_chart(by="colour")


def test_grades_table_names_the_check_for_every_grade():
    table = grades_table()
    assert list(table.index) == list(content.treatments()["id"])
    for t in records():
        for g in t.grades:
            cell = table.loc[t.id, f"{author_year(g.guideline)} grade"]
            assert cell.startswith(g.grade) and VERIFICATION_WORDS[g.verification][1] in cell
