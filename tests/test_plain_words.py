"""Plain words: no abbreviation reaches a student unexplained (issue 12, point 4).

A student working alone meets "SMD", "ICC(2,1)" or "MTP" in a lesson or in a widget's text. Each
upper-case abbreviation must be spelled out in that lesson, as "words (ABBR)" or "ABBR (words)",
or be a glossary term (the glossary is one click away in lesson 00 and printed in lesson 09).
Content text shown by the widgets comes from the data files; an abbreviation there must be in the
glossary or spelled out in the same text.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "hamfoot" / "data"
NOTEBOOKS = ROOT / "notebooks"

# two or more capitals (digits may follow: "DASS21"), a capital-lower-capital form ("SpA"), or a
# capital and digits ("S1"); not part of a longer word or a hyphenated code ("HLA-B27" is one term)
ABBR = re.compile(
    r"(?<![\w-])(?:[A-Z]{2,}[0-9]*|[A-Z][a-z][A-Z]+|[A-Z][0-9]+)(?:-[A-Z0-9]+)*(?![\w])"
)
CODE = re.compile(r"[A-Z]+[0-9]{2,}")  # registry or guideline numbers (NCT06139822, NG19): names
ROMAN = {"II", "III", "IV", "VI"}
# fields that are identifiers, vocabularies or bibliographic data, not prose a student reads
NOT_PROSE = {
    "id",
    "references",
    "differentials",
    "claims",
    "maps_to",
    "lesson",
    "kind",
    "verdict",
    "section",
    "category",
    "source",
    "urgency",
    "frequency",
    "evidence_level",
    "basis",
    "group",
    "tight_when",
    "reference",
    "guideline",
    "verification",
    "file",
    "number",
    "via",
    "where",
    "answer",
    "type",
    "grade",
    "level",
}
SKIP_FILES = {"references.yaml", "toc.yaml", "article_map.yaml"}


def abbreviations(text: str) -> set[str]:
    text = re.sub(r"`[^`]*`", " ", text)  # code
    text = re.sub(r"\]\([^)]*\)", "]", text)  # link targets
    text = re.sub(r"https?://\S+", " ", text)
    return {a for a in ABBR.findall(text) if a not in ROMAN and not CODE.fullmatch(a)}


def defined_in(text: str) -> set[str]:
    """Abbreviations spelled out in `text`: 'words (ABBR)' or 'ABBR (words …)'."""
    inside = set(re.findall(r"\(([A-Z][A-Za-z0-9-]*[A-Z0-9])\)", text))
    before = set(re.findall(r"\b([A-Z][A-Za-z0-9-]*[A-Z0-9]) \([A-Z]?[a-z]", text))
    return inside | before


def glossary_terms(data: Path) -> set[str]:
    entries = yaml.safe_load((data / "glossary.yaml").read_text(encoding="utf-8"))
    found = set()
    for e in entries:
        found |= defined_in(e["term"]) | defined_in(e["definition"])
        if ABBR.fullmatch(e["term"].split(" (")[0]):
            found.add(e["term"].split(" (")[0])
        for group in re.findall(r"\(([^()]*)\)", e["term"]):
            found |= {p.strip() for p in re.split(r"[,;]", group) if ABBR.fullmatch(p.strip())}
    return found


def markdown_of(notebook: Path) -> str:
    nb = json.loads(notebook.read_text(encoding="utf-8"))
    return "\n\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown")


def prose(node, key=None):
    """Every string a student can read in a content file, with the field it came from."""
    if isinstance(node, dict):
        for k, v in node.items():
            if k not in NOT_PROSE:
                yield from prose(v, k)
    elif isinstance(node, list):
        for v in node:
            yield from prose(v, key)
    elif isinstance(node, str) and key is not None:
        yield key, node


def undefined_in_lessons(notebooks: Path, data: Path) -> list[str]:
    known = glossary_terms(data)
    problems = []
    for nb in sorted(notebooks.glob("[0-9][0-9]-*.ipynb")):
        text = markdown_of(nb)
        missing = sorted(abbreviations(text) - defined_in(text) - known)
        problems += [f"{nb.name}: {a}" for a in missing]
    return problems


def undefined_in_content(data: Path) -> list[str]:
    known = glossary_terms(data)
    problems = set()
    for path in sorted(data.glob("*.yaml")):
        if path.name in SKIP_FILES:
            continue
        for field, text in prose(yaml.safe_load(path.read_text(encoding="utf-8"))):
            for a in sorted(abbreviations(text) - defined_in(text) - known):
                problems.add(f"{path.name} ({field}): {a}")
    return sorted(problems)


# ---------------------------------------------------------------- the shipped course
def test_every_abbreviation_in_a_lesson_is_explained():
    assert undefined_in_lessons(NOTEBOOKS, DATA) == []


def test_every_abbreviation_in_widget_content_is_in_the_glossary():
    assert undefined_in_content(DATA) == []


def test_the_terms_students_asked_about_are_in_the_glossary():
    """Issue 12 names these; each needs its own glossary entry."""
    terms = {
        e["term"].lower()
        for e in yaml.safe_load((DATA / "glossary.yaml").read_text(encoding="utf-8"))
    }
    wanted = [
        "confidence interval",
        "standardised mean difference",
        "meta-analysis",
        "network meta-analysis",
        "intraclass correlation coefficient",
        "likelihood ratio",
        "tinel sign",
        "spearman's rho",
        "fagan's nomogram",
        "enthesitis",
        "uveitis",
        "metatarsophalangeal",
    ]
    for word in wanted:
        assert any(word in t for t in terms), word


def test_the_detector_sees_abbreviations_and_their_definitions():
    assert abbreviations("an SLR, HLA-B27, SpA, S1 and ICC(2,1); level II; NG19") == {
        "SLR",
        "HLA-B27",
        "SpA",
        "S1",
        "ICC",
    }
    assert defined_in("the straight-leg raise (SLR) and JOSPT (Journal of …)") == {
        "SLR",
        "JOSPT",
    }
    assert "ICC" not in defined_in("reliability was poor (ICC 0.230 to 0.791)")


# ---------------------------------------------------------------- proven on broken copies
@pytest.fixture
def course(tmp_path) -> tuple[Path, Path]:
    data = tmp_path / "data"
    shutil.copytree(DATA, data, ignore=shutil.ignore_patterns("__pycache__", "*.py"))
    shutil.copytree(NOTEBOOKS, tmp_path / "notebooks", ignore=shutil.ignore_patterns(".*"))
    return tmp_path / "notebooks", data


def add_to_first_markdown(notebook: Path, text: str) -> None:
    nb = json.loads(notebook.read_text(encoding="utf-8"))
    cell = next(c for c in nb["cells"] if c["cell_type"] == "markdown")
    cell["source"] = ["".join(cell["source"]) + text]
    notebook.write_text(json.dumps(nb), encoding="utf-8")


def test_an_unexplained_abbreviation_in_a_lesson_fails(course):
    notebooks, data = course
    add_to_first_markdown(notebooks / "05-assessment.ipynb", "\n\nMeasure the QZX first.")
    assert undefined_in_lessons(notebooks, data) == ["05-assessment.ipynb: QZX"]
    add_to_first_markdown(notebooks / "05-assessment.ipynb", " A quick zig test (QZX).")
    assert undefined_in_lessons(notebooks, data) == []


def test_an_unexplained_abbreviation_in_content_fails_until_the_glossary_has_it(course):
    _, data = course
    path = data / "differentials.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace(
            "Pain under the ball of the foot:", "Pain under the ball of the foot (see QZX):", 1
        ),
        encoding="utf-8",
    )
    assert undefined_in_content(data) == ["differentials.yaml (features): QZX"]
    with (data / "glossary.yaml").open("a", encoding="utf-8") as f:
        f.write("\n- id: qzx\n  term: Quick zig test (QZX)\n  definition: A made-up test.\n")
    assert undefined_in_content(data) == []
