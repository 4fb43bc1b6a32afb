"""Every kind of bad content gives a ContentError naming file, entry and field (issue 3, point 4).

tests/content_broken/ holds one broken file per error kind. `<target>--<case>.<ext>` replaces
`<target>.<ext>` in a copy of tests/content_fixture/; its `# expect:` lines are the problems
(one per line, relative to the target file unless they start with `data/`) it must produce.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from hamfoot import content
from hamfoot.content import ContentError

HERE = Path(__file__).parent
FIXTURE, BROKEN = HERE / "content_fixture", HERE / "content_broken"
CASES = sorted(p.name for p in BROKEN.iterdir() if "--" in p.name)


def copy_fixture(tmp_path: Path) -> Path:
    root = tmp_path / "data"
    shutil.copytree(FIXTURE, root)
    return root


def expectations(path: Path) -> list[str]:
    target = path.name.split("--")[0] + path.suffix
    lines = path.read_bytes().decode("utf-8", "replace").splitlines()
    wanted = [line.split("# expect: ", 1)[1] for line in lines if line.startswith("# expect: ")]
    return [w if w.startswith("data/") else f"data/{target}: {w}" for w in wanted]


def test_corpus_covers_every_error_kind():
    """The corpus is not empty and every file states what it proves."""
    assert len(CASES) >= 30
    assert all(expectations(BROKEN / name) for name in CASES)


@pytest.mark.parametrize("name", CASES)
def test_broken_file_names_file_entry_and_field(tmp_path, name):
    root = copy_fixture(tmp_path)
    broken = BROKEN / name
    shutil.copyfile(broken, root / (name.split("--")[0] + broken.suffix))
    with pytest.raises(ContentError) as caught:
        content.load(root)
    problems = [str(p) for p in caught.value.problems]
    wanted = expectations(broken)
    for want in wanted:
        assert any(p.startswith(want) for p in problems), f"{want!r} not in {problems}"
    assert len(problems) == len(wanted), problems
    assert str(caught.value).splitlines() == problems


def test_missing_file_is_named(tmp_path):
    root = copy_fixture(tmp_path)
    (root / "symptoms.yaml").unlink()
    with pytest.raises(ContentError) as caught:
        content.load(root)
    assert str(caught.value) == "data/symptoms.yaml: file is missing"


def test_all_problems_are_collected_before_raising(tmp_path):
    root = copy_fixture(tmp_path)
    for name in (
        "claims--bad-verdict.yaml",
        "red_flags--bad-urgency.yaml",
        "references--orphan.yaml",
    ):
        shutil.copyfile(BROKEN / name, root / (name.split("--")[0] + ".yaml"))
    with pytest.raises(ContentError) as caught:
        content.load(root)
    files = {p.file for p in caught.value.problems}
    assert files == {"data/claims.yaml", "data/red_flags.yaml", "data/references.yaml"}
    assert {p.field for p in caught.value.problems} == {"verdict", "urgency", "id"}


def test_problem_records_are_structured(tmp_path):
    root = copy_fixture(tmp_path)
    shutil.copyfile(BROKEN / "treatments--unresolved-guideline.yaml", root / "treatments.yaml")
    with pytest.raises(ContentError) as caught:
        content.load(root)
    (p,) = caught.value.problems
    assert (p.file, p.entry, p.field) == (
        "data/treatments.yaml",
        "'stretching'",
        "grades[0].guideline",
    )
    assert isinstance(caught.value, ValueError)


@pytest.mark.parametrize(
    "other, ref_id", [("gait/harty2005_forefoot.csv", "gaitdata"), ("extra.yaml", "diagram2016")]
)
def test_references_cited_only_by_other_modules_files_are_not_orphans(tmp_path, other, ref_id):
    root = copy_fixture(tmp_path)
    content.load(root)  # ref_id is cited only by `other` (a gait CSV comment, another YAML)
    (root / other).unlink()
    content.load.cache_clear()  # the first load is cached; edits need a fresh one
    with pytest.raises(ContentError, match=rf"entry '{ref_id}', field 'id': orphan reference"):
        content.load(root)


def run_check(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "hamfoot", "check", *args],
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_cli_exits_1_on_a_broken_cross_reference(tmp_path):
    root = copy_fixture(tmp_path)
    text = (root / "symptoms.yaml").read_text()
    (root / "symptoms.yaml").write_text(text.replace("[stress-fracture]", "[stress-fractur]"))
    result = run_check("--root", str(root))
    assert result.returncode == 1
    assert (
        "data/symptoms.yaml: entry 'first-step-pain', field 'differentials[0]': "
        "'stress-fractur' is not an id in differentials.yaml"
    ) in result.stderr
    assert "Traceback" not in result.stderr + result.stdout


def test_check_cli_lists_every_problem(tmp_path):
    root = copy_fixture(tmp_path)
    for name in ("claims--bad-verdict.yaml", "quiz--unknown-lesson.yaml"):
        shutil.copyfile(BROKEN / name, root / (name.split("--")[0] + ".yaml"))
    result = run_check("--root", str(root))
    assert result.returncode == 1
    assert "2 problem(s)" in result.stderr
    assert "field 'verdict'" in result.stderr and "field 'lesson'" in result.stderr


def test_check_cli_prints_counts_on_valid_content(tmp_path):
    root = copy_fixture(tmp_path)
    result = run_check("--root", str(root))
    assert result.returncode == 0, result.stderr
    counts = content.summary(root=root)
    for kind, n in counts["kinds"].items():
        assert any(line.split() == [kind, str(n)] for line in result.stdout.splitlines()), kind
    assert "claims: contradicted 1, unsupported 1" in result.stdout
