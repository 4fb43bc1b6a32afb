"""Content that loads but would crash or misgrade a lesson is refused (issue 10, point 5).

Each case edits a copy of the REAL data the way a typo would (sensitivity 318 for 31.8, a negative
sd or quiz tolerance, a key written twice, NaN or a lost column in a gait table) and asserts one
problem naming the file, the entry and the field. Nested YAML aliases ("billion laughs") are
refused within 2 s, both through `content.load` and through `hamfoot check` in a fresh process.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from hamfoot import content
from hamfoot.chain import _tables
from hamfoot.content import ContentError

DATA = Path(__file__).resolve().parents[1] / "hamfoot" / "data"


@pytest.fixture
def data(tmp_path) -> Path:
    root = tmp_path / "data"
    shutil.copytree(DATA, root)
    return root


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path.name}: the real data changed, update the test"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def problems(root: Path) -> list[str]:
    content.load.cache_clear()
    with pytest.raises(ContentError) as caught:
        content.load(root)
    return [str(p) for p in caught.value.problems]


def first_id_before(path: Path, marker: str) -> str:
    """The id of the entry that holds `marker` (the last '- id:' line above it)."""
    text = path.read_text(encoding="utf-8")
    head = text[: text.index(marker)]
    return head.rsplit("\n- id: ", 1)[1].split("\n", 1)[0].strip()


@pytest.mark.parametrize(
    "file, old, new, field, says",
    [
        (
            "assessments.yaml",
            "sensitivity: 31.8,",
            "sensitivity: 318,",
            "sensitivity",
            "at most 100",
        ),
        ("assessments.yaml", "sd: 9.1,", "sd: -9.1,", "sd", "more than 0"),
        ("quiz.yaml", "tolerance: 0.5", "tolerance: -0.5", "tolerance", "at least 0"),
    ],
)
def test_numbers_out_of_range_name_file_entry_and_field(data, file, old, new, field, says):
    entry = first_id_before(data / file, old)
    edit(data / file, old, new)
    found = problems(data)
    assert len(found) == 1, found
    (line,) = found
    assert line.startswith(f"data/{file}: entry '{entry}', field '"), line
    assert f".{field}'" in line or f"'{field}'" in line, line
    assert says in line, line


def test_a_key_written_twice_is_an_error_with_its_line(data):
    path = data / "quiz.yaml"
    text = path.read_text(encoding="utf-8")
    entry = first_id_before(path, "\n  answer: ")
    at = text.index("\n  answer: ") + 1
    line_no = text[:at].count("\n") + 2  # the inserted line comes right after the first one
    path.write_text(text[:at] + text[at:].replace("\n", "\n  answer: 0\n", 1), encoding="utf-8")
    (found,) = problems(data)
    assert found.startswith(f"data/quiz.yaml: entry '{entry}', field 'answer': duplicate key"), (
        found
    )
    assert f"at line {line_no}" in found


def test_a_nested_key_written_twice_names_the_entry(data):
    edit(
        data / "cases.yaml",
        "          correct: true\n",
        "          correct: true\n          correct: false\n",
    )
    (found,) = problems(data)
    assert found.startswith("data/cases.yaml: entry 's1-radiculopathy', field 'correct': duplicate")


@pytest.mark.parametrize(
    "table, old, new, where",
    [
        (
            "winter_table_a1_processed.csv",
            "\n50,-5.8,",
            "\n50,nan,",
            "line 20, field 'hip_trunk_ref_deg': expected a finite number, got nan",
        ),
        ("first_mtp_dorsiflexion.csv", "slow,52,5", "slow,52,-5", "line 6, field 'sd_deg'"),
        ("harty2005_forefoot.csv", "20,55.6,", "20,155.6,", "line 7, field 'forefoot_phase_pct'"),
        (
            "perry_phase_values.csv",
            "event,percent_cycle,joint,",
            "event,percent_cycle,",
            "field 'header.joint': missing column",
        ),
    ],
)
def test_gait_tables_are_validated(data, table, old, new, where):
    edit(data / "gait" / table, old, new)
    found = problems(data)
    assert any(p.startswith(f"data/gait/{table}: entry ") and where in p for p in found), found


def test_the_chain_model_refuses_a_nan_table(data, monkeypatch):
    """The chain explorer once printed "at least nan mm": the model's loader now refuses it."""
    edit(data / "gait" / "harty2005_forefoot.csv", "\n20,55.6,", "\n20,nan,")
    monkeypatch.setattr(_tables, "files", lambda package: data)
    _tables.load.cache_clear()
    try:
        with pytest.raises(ValueError, match=r"harty2005_forefoot.csv: entry line 7, field "):
            _tables.load("harty2005_forefoot.csv")
    finally:
        _tables.load.cache_clear()


def test_a_gait_table_nobody_described_is_an_error(data):
    (data / "gait" / "new_table.csv").write_text("# references: harty2005\na,b\n1,2\n")
    assert problems(data) == [
        "data/gait/new_table.csv: no schema for this table; add its row model to "
        "hamfoot.schema.GAIT_TABLES"
    ]


# ---------------------------------------------------------------- alias bombs
def cases_bomb() -> str:
    """About 2.7 KB of cases.yaml: five cases whose texts and steps are nested aliases, each
    anchor repeating the previous one 9 times (9**10 strings per case)."""
    parts = []
    for c in range(5):
        parts += [f"- id: bomb-{c}", f"  l0: &c{c}l0 [{', '.join(['lol'] * 9)}]"]
        parts += [f"  l{d}: &c{c}l{d} [{', '.join([f'*c{c}l{d - 1}'] * 9)}]" for d in range(1, 10)]
        top = f"*c{c}l9"
        parts += [
            f"  title: {top}",
            f"  vignette: {top}",
            f"  steps: [{{id: s, prompt: {top}, choices: [{top}, {top}]}}]",
            f"  outcome: {top}",
            f"  references: {top}",
        ]
    return "\n".join(parts) + "\n"


def quiz_bomb() -> str:
    """About 27 KB of quiz.yaml: fifty questions, each a nest of aliases."""
    parts = []
    for q in range(50):
        parts.append(
            f"- id: q{q}\n  lesson: '09'\n  type: multiple\n"
            f"  a0: &q{q}a0 [x, x, x, x, x, x, x, x, x, x]\n"
            + "".join(
                f"  a{d}: &q{q}a{d} [{', '.join([f'*q{q}a{d - 1}'] * 10)}]\n" for d in range(1, 5)
            )
            + f"  prompt: *q{q}a4\n  options: *q{q}a4\n  answer: *q{q}a4\n"
            f"  explanation: x\n  references: *q{q}a4\n"
        )
    return "".join(parts)


@pytest.mark.parametrize("file, make", [("cases.yaml", cases_bomb), ("quiz.yaml", quiz_bomb)])
def test_nested_aliases_are_refused_quickly(data, file, make):
    text = make()
    assert 2_000 < len(text.encode()) < 40_000
    (data / file).write_text(text, encoding="utf-8")
    start = time.perf_counter()
    found = problems(data)
    seconds = time.perf_counter() - start
    assert seconds < 2, f"{seconds:.1f} s"
    assert found == [
        next(p for p in found if p.startswith(f"data/{file}: is refused: its YAML aliases"))
    ], found
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "hamfoot", "check", "--root", str(data)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    seconds = time.perf_counter() - start
    assert done.returncode == 1 and f"data/{file}: is refused" in done.stderr, done.stderr[-500:]
    assert "Traceback" not in done.stderr
    assert seconds < 2 + 3, f"hamfoot check took {seconds:.1f} s (budget: 2 s + interpreter start)"


def test_an_alias_that_contains_itself_is_refused(data):
    (data / "glossary.yaml").write_text("- &a {id: loop, term: x, definition: x, see: [*a]}\n")
    found = problems(data)
    assert any("glossary.yaml: is refused: a YAML alias refers to itself" in p for p in found)


def test_honest_reuse_of_an_alias_is_fine(data):
    path = data / "glossary.yaml"
    text = path.read_text(encoding="utf-8")
    first = text.index("\n  references: [") + 1
    end = text.index("\n", first)
    refs = text[first:end].split(":", 1)[1]
    path.write_text(
        text[:first] + f"  references: &shared{refs}" + text[end:], encoding="utf-8"
    )  # an anchor nobody reuses is harmless
    content.load.cache_clear()
    content.load(data)
