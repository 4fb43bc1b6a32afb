"""The printed forms of the quiz and the cases (tools/printed.py) and the session plans.

Both option shapes of data/quiz.yaml are checked: plain strings with an index answer, and
`{id, text}` mappings with an option-id answer (COMMON interface 1), lettered A, B, C in data order.
"""

from __future__ import annotations

import html
import importlib.util
import re
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _tool(name: str):
    sys.path.insert(0, str(ROOT / "tools"))
    spec = importlib.util.spec_from_file_location(f"hamfoot_{name}", ROOT / "tools" / f"{name}.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


printed = _tool("printed")

OLD = {
    "id": "q-old",
    "type": "single",
    "prompt": "Which way?",
    "options": ["forward", "backward", "sideways"],
    "answer": 1,
    "explanation": "Because the pull is backward.",
    "references": [],
}
NEW = {
    "id": "q-new",
    "type": "multiple",
    "prompt": "Which cross two joints?",
    "options": [
        {"id": "soleus", "text": "Soleus"},
        {"id": "gastrocnemius", "text": "Gastrocnemius"},
        {"id": "semitendinosus", "text": "Semitendinosus"},
    ],
    "answer": ["gastrocnemius", "semitendinosus"],
    "explanation": "Both cross the knee and one more joint.",
    "references": [],
}
NUMERIC = {
    "id": "q-num",
    "type": "numeric",
    "prompt": "Included angle?",
    "options": [],
    "answer": 155,
    "tolerance": 0.5,
    "explanation": "180 minus 25.",
    "references": [],
}


def text(page: str) -> str:
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", page)))


@pytest.mark.parametrize("q", [OLD, NEW], ids=["strings", "id-text"])
def test_options_are_lettered_in_data_order(q):
    letters = [letter for letter, _, _ in printed.options(q)]
    assert letters == ["A", "B", "C"]
    texts = [t for _, _, t in printed.options(q)]
    assert texts == [o if isinstance(o, str) else o["text"] for o in q["options"]]


def test_answers_in_both_shapes():
    assert printed.answer_text(OLD) == "B — backward"
    assert printed.answer_text(NEW) == "B — Gastrocnemius; C — Semitendinosus"
    assert printed.answer_text(NUMERIC) == "155 (± 0.5)"


@pytest.mark.parametrize("q", [OLD, NEW, NUMERIC], ids=["strings", "id-text", "numeric"])
def test_student_edition_has_the_question_but_no_answer(q):
    student = text(printed.quiz_html([q], educator=False))
    educator = text(printed.quiz_html([q], educator=True))
    assert q["prompt"] in student and q["prompt"] in educator
    assert q["explanation"] not in student
    assert "Answer:" not in student.replace("Answer: ____________", "")
    assert q["explanation"] in educator
    assert printed.answer_text(q) in educator


def test_case_student_edition_hides_feedback_and_outcome():
    from hamfoot import content

    case = content.get("cases", content.cases().index[0])
    student = text(printed.case_html(case, educator=False))
    educator = text(printed.case_html(case, educator=True))
    for step in case.steps:
        assert re.sub(r"\s+", " ", step.prompt.strip()) in student
        for choice in step.choices:
            assert re.sub(r"\s+", " ", choice.label.strip()) in student
            assert re.sub(r"\s+", " ", choice.feedback.strip())[:60] not in student
            assert re.sub(r"\s+", " ", choice.feedback.strip())[:60] in educator
    assert re.sub(r"\s+", " ", case.outcome.strip())[:60] not in student
    assert "(best choice)" not in student


# ---------------------------------------------------------------- session plans (EDUCATORS.md)
def test_session_plans_add_up(tmp_path):
    handouts = _tool("handouts")
    rows = handouts.session_plans()
    plans = {r["plan"] for r in rows}
    assert {"A 1-hour session", "A 2-hour session"} <= plans, plans
    lessons = {p.name[:2] for p in (ROOT / "notebooks").glob("[0-9][0-9]-*.ipynb")}
    for plan, length in (("A 1-hour session", 60), ("A 2-hour session", 120)):
        items = [r for r in rows if r["plan"] == plan and not r["total"]]
        total = [r for r in rows if r["plan"] == plan and r["total"]]
        assert sum(r["minutes"] for r in items) == length, (plan, [r["minutes"] for r in items])
        assert total and total[0]["minutes"] == length, f"{plan}: the Total row says otherwise"
        unknown = [r["lesson"] for r in items if r["lesson"] not in lessons | {"—"}]
        assert not unknown, f"{plan}: unknown lessons {unknown}"
    # the cases the plans play exist
    from hamfoot import content

    ids = set(content.cases().index)
    played = {c for r in rows for c in re.findall(r"`([a-z0-9-]+)`", r["poll"])}
    assert played and played <= ids, played - ids
    # the checker catches a plan that does not add up
    broken = tmp_path / "EDUCATORS.md"
    broken.write_text(
        (ROOT / "EDUCATORS.md").read_text(encoding="utf-8").replace("| 5 | 04 |", "| 9 | 04 |", 1),
        encoding="utf-8",
    )
    rows = handouts.session_plans(broken)
    items = [r for r in rows if r["plan"] == "A 1-hour session" and not r["total"]]
    assert sum(r["minutes"] for r in items) != 60
