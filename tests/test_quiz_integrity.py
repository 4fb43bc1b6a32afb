"""Quizzes and cases that test knowledge, not test-taking: the right option's length and position
carry no signal (issue 12, item 2).

Why these rules: a learner who always picks the longest option (or the shortest, or always "A")
without reading should score no better than chance. Chance for an item with n options of which
k are right is k/n, so for each group of items (single-choice questions, multiple-choice
questions, case steps) the share that the longest option would win must stay within 10
percentage points of the group's chance share, above or below (a right answer that is never the
longest is a signal too: "cross out the longest"); the same for the shortest option; ties are
shared out evenly. For positions (one right answer per item), each position may hold
the right answer in at most its chance share + 10 points of the items. Options are shown in data
order, so the data is what a student sees. Each rule is also shown to fail on a copy of the data
where the right options are made the longest, or all put first.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml

DATA = Path(__file__).resolve().parents[1] / "hamfoot" / "data"
SLACK = 0.10


def items(root: Path) -> dict[str, list[tuple[str, list[int], set[int]]]]:
    """(where, option lengths, right positions) per group, read straight from the YAML."""
    quiz = yaml.safe_load((root / "quiz.yaml").read_text(encoding="utf-8"))
    cases = yaml.safe_load((root / "cases.yaml").read_text(encoding="utf-8"))
    groups = {"single": [], "multiple": [], "case": []}
    for q in quiz:
        if q["type"] == "numeric":
            continue
        ids = [o["id"] for o in q["options"]]
        answer = q["answer"] if isinstance(q["answer"], list) else [q["answer"]]
        groups[q["type"]].append(
            (q["id"], [len(o["text"]) for o in q["options"]], {ids.index(a) for a in answer})
        )
    for case in cases:
        for step in case["steps"]:
            groups["case"].append(
                (
                    f"{case['id']}/{step['id']}",
                    [len(c["label"]) for c in step["choices"]],
                    {i for i, c in enumerate(step["choices"]) if c["correct"]},
                )
            )
    return groups


def pick_share(group, pick=max) -> tuple[float, float]:
    """(share a learner picking the longest/shortest would get right, chance share)."""
    won = chance = 0.0
    for _, lengths, right in group:
        extreme = pick(lengths)
        tied = [i for i, n in enumerate(lengths) if n == extreme]
        won += len(right & set(tied)) / len(tied)
        chance += len(right) / len(lengths)
    return won / len(group), chance / len(group)


def position_excess(group) -> dict[int, tuple[float, float]]:
    """Per position: (share of items with the right answer there, chance share)."""
    singles = [(lengths, right) for _, lengths, right in group if len(right) == 1]
    most = max(len(lengths) for lengths, _ in singles)
    out = {}
    for pos in range(most):
        seen = sum(pos in right for _, right in singles) / len(singles)
        chance = sum(1 / len(lengths) for lengths, _ in singles if pos < len(lengths)) / len(
            singles
        )
        out[pos] = (seen, chance)
    return out


def problems(root: Path) -> list[str]:
    found = []
    for name, group in items(root).items():
        for word, pick in (("longest", max), ("shortest", min)):
            share, chance = pick_share(group, pick)
            if abs(share - chance) > SLACK:
                found.append(
                    f"{name}: picking the {word} option is right in {share:.0%} of "
                    f"{len(group)} items (chance {chance:.0%})"
                )
        if name == "multiple":
            continue
        for pos, (seen, chance) in position_excess(group).items():
            if seen > chance + SLACK:
                found.append(
                    f"{name}: the right answer is option {chr(65 + pos)} in {seen:.0%} of items "
                    f"(chance {chance:.0%})"
                )
    return found


def test_shipped_quiz_and_cases_give_nothing_away():
    assert problems(DATA) == []


def test_every_group_is_big_enough_to_judge():
    groups = items(DATA)
    assert len(groups["single"]) >= 30 and len(groups["case"]) >= 15
    assert len(groups["multiple"]) >= 5


@pytest.fixture
def copy(tmp_path) -> Path:
    for name in ("quiz.yaml", "cases.yaml"):
        shutil.copy(DATA / name, tmp_path / name)
    return tmp_path


def _edit(root: Path, change_question, change_step) -> None:
    quiz = yaml.safe_load((root / "quiz.yaml").read_text(encoding="utf-8"))
    cases = yaml.safe_load((root / "cases.yaml").read_text(encoding="utf-8"))
    for q in quiz:
        if q["type"] != "numeric":
            change_question(q)
    for case in cases:
        for step in case["steps"]:
            change_step(step)
    (root / "quiz.yaml").write_text(yaml.safe_dump(quiz, allow_unicode=True), encoding="utf-8")
    (root / "cases.yaml").write_text(yaml.safe_dump(cases, allow_unicode=True), encoding="utf-8")


def test_fails_when_the_right_options_are_made_the_longest(copy):
    pad = ", as the best evidence from several trials and the guidelines makes clear"

    def question(q):
        right = q["answer"] if isinstance(q["answer"], list) else [q["answer"]]
        for o in q["options"]:
            if o["id"] in right:
                o["text"] += pad

    def step(s):
        for c in s["choices"]:
            if c["correct"]:
                c["label"] += pad

    _edit(copy, question, step)
    found = problems(copy)
    assert any(p.startswith("single: picking the longest") for p in found), found
    assert any(p.startswith("case: picking the longest") for p in found), found
    assert any(p.startswith("multiple: picking the longest") for p in found), found


def test_fails_when_the_right_answer_is_always_first(copy):
    def question(q):
        if q["type"] == "single":
            q["options"].sort(key=lambda o: o["id"] != q["answer"])

    def step(s):
        s["choices"].sort(key=lambda c: not c["correct"])

    _edit(copy, question, step)
    found = problems(copy)
    assert any(p.startswith("single: the right answer is option A") for p in found), found
    assert any(p.startswith("case: the right answer is option A") for p in found), found


def test_fails_when_the_right_options_are_made_the_shortest(copy):
    def question(q):
        if q["type"] == "single":
            for o in q["options"]:
                if o["id"] == q["answer"]:
                    o["text"] = o["text"][:5]

    _edit(copy, question, lambda s: None)
    found = problems(copy)
    assert any(p.startswith("single: picking the shortest") for p in found), found
    assert any(p.startswith("single: picking the longest") for p in found), found  # never longest


def test_feedback_never_points_at_an_option_by_position():
    """Options are lettered in data order; text saying "the first option" would go stale when an
    author reorders them, so explanations name the option instead."""
    pattern = re.compile(
        r"\b(the (first|second|third|fourth|last) (option|choice|answer)|option [A-E]\b)", re.I
    )
    texts = [q["explanation"] for q in yaml.safe_load((DATA / "quiz.yaml").read_text("utf-8"))]
    texts += [
        c["feedback"]
        for case in yaml.safe_load((DATA / "cases.yaml").read_text("utf-8"))
        for s in case["steps"]
        for c in s["choices"]
    ]
    assert [t for t in texts if pattern.search(t)] == []
