"""An educator's own questions, cases and glossary terms (issue 14, point 4): a local folder
($HAMFOOT_LOCAL, or local/ beside the lessons) merged into the course, validated like the rest,
never written to, and never touched by a course update."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from hamfoot import check, content
from hamfoot.content import ContentError

QUESTION = """\
- id: local-heel-squeeze
  lesson: "09"
  type: single
  prompt: In our clinic, which test do we use first for a suspected calcaneal stress fracture?
  options:
    - {id: squeeze, text: The calcaneal squeeze test}
    - {id: slr, text: The straight-leg raise}
  answer: squeeze
  explanation: Pain on squeezing the heel from both sides points to a stress fracture.
  references: [martin2014]
"""
CASE = """\
- id: local-runner
  title: A runner from our clinic
  vignette: Teaching scenario, not a real patient. A runner has morning heel pain.
  steps:
    - id: first-question
      prompt: What do you ask first?
      choices:
        - {id: load, label: About recent changes in running load, correct: true, feedback: Yes.}
        - {id: stretch, label: How often she stretches, correct: false, feedback: Not yet.}
  outcome: Settles with load advice.
  references: [martin2014]
"""
TERM = """\
- id: local-windlass-test
  term: Windlass test (our handout)
  definition: Extending the big toe while standing, to see whether it reproduces heel pain.
"""


@pytest.fixture
def local(tmp_path, monkeypatch) -> Path:
    folder = tmp_path / "my-questions"
    folder.mkdir()
    (folder / "quiz.yaml").write_text(QUESTION, encoding="utf-8")
    (folder / "cases.yaml").write_text(CASE, encoding="utf-8")
    (folder / "glossary.yaml").write_text(TERM, encoding="utf-8")
    monkeypatch.setenv("HAMFOOT_LOCAL", str(folder))
    content.load.cache_clear()
    yield folder
    content.load.cache_clear()


def digest(folder: Path) -> dict:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in folder.rglob("*")}


def test_a_local_question_joins_lesson_09s_quiz(local):
    from hamfoot.widgets.quiz import quiz

    assert "local-heel-squeeze" in content.quiz(lesson="09").index
    assert "local-heel-squeeze" in [q.record.id for q in quiz().questions]  # lesson 09's quiz
    assert "local-heel-squeeze" in [q.record.id for q in quiz(lesson="09").questions]
    assert "local-runner" in content.cases().index
    assert "local-windlass-test" in content.glossary().index
    assert content.load().local == str(local.resolve())


def test_local_folder_beside_the_lessons(tmp_path, monkeypatch):
    monkeypatch.delenv("HAMFOOT_LOCAL", raising=False)
    (tmp_path / "local").mkdir()
    (tmp_path / "local" / "quiz.yaml").write_text(QUESTION, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    content.load.cache_clear()
    try:
        assert "local-heel-squeeze" in content.quiz(lesson="09").index
        assert "local-heel-squeeze" not in content.load(local=False).index["quiz"]
    finally:
        content.load.cache_clear()


def test_the_course_alone_has_no_local_entries(monkeypatch, tmp_path):
    monkeypatch.delenv("HAMFOOT_LOCAL", raising=False)
    monkeypatch.chdir(tmp_path)
    content.load.cache_clear()
    assert "local-heel-squeeze" not in content.load().index["quiz"]
    assert content.load().local is None


def test_loading_never_writes_to_the_local_folder(local):
    before = digest(local)
    content.load()
    content.quiz()
    assert digest(local) == before


@pytest.mark.parametrize(
    "old, new, where",
    [
        ("answer: squeeze", "answer: sqeeze", "entry 'local-heel-squeeze', field 'answer'"),
        ('lesson: "09"', 'lesson: "19"', "entry 'local-heel-squeeze', field 'lesson'"),
        ("references: [martin2014]", "references: [nobody2020]", "field 'references[0]'"),
        ("  type: single\n", "  type: single\n  type: multiple\n", "field 'type': duplicate key"),
        ("id: local-heel-squeeze", "id: q00-verdict-meaning", "field 'id': the course already"),
    ],
)
def test_a_broken_local_question_names_the_local_file_entry_and_field(
    local, capsys, old, new, where
):
    path = local / "quiz.yaml"
    path.write_text(QUESTION.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        content.load()
    assert any(
        str(p).startswith("my-questions/quiz.yaml: ") and where in str(p)
        for p in caught.value.problems
    ), [str(p) for p in caught.value.problems]
    assert check.run() == 1
    assert "my-questions/quiz.yaml: " in capsys.readouterr().err


def test_check_says_which_local_folder_it_included(local, capsys):
    assert check.run() == 0
    assert f"with local content from {local.resolve()}" in capsys.readouterr().out


def test_a_missing_local_folder_is_named(tmp_path, monkeypatch):
    monkeypatch.setenv("HAMFOOT_LOCAL", str(tmp_path / "nowhere"))
    content.load.cache_clear()
    try:
        with pytest.raises(ContentError, match="local content folder is missing"):
            content.load()
    finally:
        content.load.cache_clear()
