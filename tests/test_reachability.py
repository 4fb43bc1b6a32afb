"""Nothing of the source article is silently dropped: every item of the article (data/article_map.yaml)
maps to content entries, and every one of those entries is presented by some lesson, through a
call that the lesson really makes (data/toc.yaml `shows`)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from hamfoot import content

ROOT = Path(__file__).resolve().parents[1]


def lesson_code(file: str) -> str:
    cells = json.loads((ROOT / "notebooks" / file).read_text(encoding="utf-8"))["cells"]
    return "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "code")


def presented(show) -> set[str]:
    """Ids of the entries one `shows` line covers."""
    frame = content.load()
    rows = frame.entries[show.kind]
    if not show.where:
        return {r.id for r in rows}
    column, _, values = show.where.partition("=")
    wanted = set(values.split(","))
    return {r.id for r in rows if str(getattr(r, column)) in wanted}


def shown_by_lessons() -> dict[str, set[str]]:
    """'kind:id' -> the lessons that present it."""
    where: dict[str, set[str]] = {}
    for lesson in content.load().entries["toc"]:
        for show in lesson.shows:
            for ident in presented(show):
                where.setdefault(f"{show.kind}:{ident}", set()).add(lesson.number)
    return where


def test_every_article_item_reaches_a_lesson():
    shown = shown_by_lessons()
    unreached = [
        f"{item.id} -> {target}"
        for item in content.load().entries["article_map"]
        for target in item.maps_to
        if target not in shown
    ]
    assert not unreached, "article items no lesson presents:\n" + "\n".join(unreached)


@pytest.mark.parametrize("lesson", content.load().entries["toc"], ids=lambda lesson: lesson.number)
def test_each_declared_presentation_is_really_called_in_the_lesson(lesson):
    code = lesson_code(lesson.file)
    for show in lesson.shows:
        assert show.kind in content.FILES, f"{lesson.file}: unknown kind {show.kind!r}"
        assert presented(show), f"{lesson.file}: `{show.kind} {show.where}` matches nothing"
        assert show.via in code, f"{lesson.file} declares {show.via!r} but never calls it"


def test_the_walkthrough_presents_every_cause_and_every_mechanism_it_is_credited_with():
    from hamfoot.widgets.causes import cause_walkthrough

    walk = cause_walkthrough()
    assert {c.claim.id for c in walk.causes} == set(content.claims(section="causes")["id"])
    assert {m.id for c in walk.causes for m in c.mechanisms} == set(content.mechanisms()["id"])


def test_the_symptom_explorer_reaches_the_differentials_it_is_credited_with():
    linked = {d for ds in content.symptoms()["differentials"] for d in ds}
    targets = {
        t.partition(":")[2]
        for ts in content.article_map()["maps_to"]
        for t in ts
        if t.startswith("differentials:")
    }
    assert targets <= linked


def test_a_dropped_item_is_caught(monkeypatch):
    """Take one lesson's presentation away and the reachability test must fail."""
    from dataclasses import replace

    real = content.load()
    toc = tuple(
        lesson.model_copy(
            update={"shows": tuple(s for s in lesson.shows if s.kind != "treatments")}
        )
        for lesson in real.entries["toc"]
    )
    fake = replace(real, entries={**real.entries, "toc": toc})
    monkeypatch.setattr(content, "load", lambda root=None: fake)
    with pytest.raises(AssertionError, match="treatments:"):
        test_every_article_item_reaches_a_lesson()
