"""One verdict per claim, and one rule for verdicts (issue 11, fix 3).

Lesson 00 defines the five verdicts. A student who learns that rubric must not meet a claim judged
one way in one file and another way in the next, nor a verdict whose own reason describes a
different verdict ("supported ... with conflicting studies"). Two checks:

1. **One verdict per statement.** The article map groups, under one item of the source article,
   every entry that answers it. Entries that rate the *article's* statement (claims, symptoms,
   the article's red flags, its recovery steps and tips, the treatments it recommends) are the
   same statement judged in different files: each must share the verdict of a claim in its
   group (of *the* claim when the group has one).
2. **The reason agrees with the rubric.** Each verdict has words that its reason must, or must
   not, contain. The rules are deliberately few and follow lesson 00's table:
   - *supported* = good studies agree, so its reason may not speak of conflicting or disagreeing
     studies;
   - *contested* = studies disagree or an association lacks a shown cause, so its reason must
     say one of those things;
   - *unsupported* = no evidence was found, so its reason must say what is missing;
   - *contradicted* = good evidence points the other way, so its reason must name that evidence
     as against the claim;
   - *plausible-but-weak* = sensible but thin or indirect, so its reason must say so.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from hamfoot import content

DATA = Path(content.__file__).parent / "data"
ROOT = Path(__file__).resolve().parents[1]


# entries that rate the article's own statement, by kind (evidence and decision entries rate
# their own `evidence_says`, and guideline options the article never mentions rate the option)
def rates_article(kind: str, entry) -> bool:
    if kind in ("claims", "symptoms"):
        return True
    if kind == "red_flags":
        return entry.source == "article"
    if kind == "recovery":
        return entry.kind.startswith("article-")
    if kind == "treatments":
        return entry.category != "missing-from-article"
    return False


def reason_of(kind: str, entry) -> str:
    text = {"recovery": "evidence_says", "treatments": "evidence"}.get(kind, "reason")
    return " ".join((getattr(entry, text) or "").split())


# ---------------------------------------------------------------- the rubric as words
CONFLICT = r"conflict|disagree|do(es)? not confirm|not confirmed by|inconsisten|against it|mixed"
ASSOCIATION = r"associat|cannot show (the )?direction|without (a )?(shown )?(mechanism|cause)"
ABSENCE = (
    r"\bno (study|studies|trial|evidence|data|source|guideline|plantar|result)|not (been )?"
    r"(tested|found|shown|studied)|untested|none of|nothing (shows|supports)|no .{0,60}(found|"
    r"shows|links|exists|turned up)|too vague|names no|has no"
)
AGAINST = (
    r"\bwrong\b|backwards|opposite|contradict|did not|does not|do not|far more optimistic|"
    r"not support|rather than|instead"
)
WEAK = (
    r"indirect|weak|thin|sparse|small|low(-| )quality|sensible|reasonable|plausib|no (specific|"
    r"direct) evidence|not tested|untested|no evidence base|not settled|at best|modest|"
    r"in the spirit|no study (here )?tests|no trial|short[- ]term|has not been tested|"
    r"little|limited|secondary|unverified|promising|low to moderate"
)
RULES = {
    "supported": (None, CONFLICT),
    "contested": (rf"{CONFLICT}|{ASSOCIATION}", None),
    "unsupported": (ABSENCE, None),
    "contradicted": (AGAINST, None),
    "plausible-but-weak": (WEAK, None),
}


def rubric_problems(c: content.Content) -> list[str]:
    """Every verdict whose reason breaks lesson 00's rubric, as 'file: entry: why'."""
    problems = []
    for kind in ("claims", "symptoms", "red_flags", "recovery", "treatments"):
        for e in c.entries[kind]:
            verdict = getattr(e, "verdict", None)
            if verdict is None:
                continue
            text = reason_of(kind, e).lower()
            must, must_not = RULES[verdict]
            if must and not re.search(must, text):
                problems.append(f"{kind}.yaml: {e.id}: '{verdict}' but its reason never says why")
            if must_not and (hit := re.search(must_not, text)):
                problems.append(
                    f"{kind}.yaml: {e.id}: '{verdict}' but its reason says '{hit.group(0)}'"
                )
    return problems


def verdict_conflicts(c: content.Content) -> list[str]:
    """Every article statement that carries two verdicts in different files."""
    problems = []
    for item in c.entries["article_map"]:
        rated = []
        for ref in item.maps_to:
            kind, _, ident = ref.partition(":")
            entry = c.index.get(kind, {}).get(ident)
            if entry is not None and getattr(entry, "verdict", None) and rates_article(kind, entry):
                rated.append((kind, ident, entry.verdict))
        claim_verdicts = {v for k, _, v in rated if k == "claims"}
        claims = [(i, v) for k, i, v in rated if k == "claims"]
        for kind, ident, verdict in rated:
            if kind == "claims":
                continue
            allowed = claim_verdicts or {verdict}
            if verdict not in allowed:
                said = ", ".join(f"claims:{i} = {v}" for i, v in claims)
                problems.append(f"article item {item.id}: {kind}:{ident} = {verdict}, but {said}")
    return problems


# ---------------------------------------------------------------- the shipped data
def test_each_article_statement_has_one_verdict():
    assert verdict_conflicts(content.load()) == []


def test_every_reason_agrees_with_the_rubric():
    assert rubric_problems(content.load()) == []


def test_the_rules_cover_the_verdicts_lesson_00_teaches():
    """One rule per row of lesson 00's verdict table, no more and no fewer."""
    nb = json.loads((ROOT / "notebooks" / "00-start-here.ipynb").read_text(encoding="utf-8"))
    text = "".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown")
    taught = set(re.findall(r"^\| ([a-z-]+) \| ", text, flags=re.M)) - {"verdict"}
    assert taught == set(RULES)


# ---------------------------------------------------------------- proven on broken copies
@pytest.fixture
def copy(tmp_path) -> Path:
    shutil.copytree(DATA, tmp_path / "data", ignore=shutil.ignore_patterns("__pycache__"))
    return tmp_path / "data"


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_a_second_verdict_for_the_same_statement_is_caught(copy):
    """The bug the review found: the recovery timescale rated in two files, two ways."""
    block = (copy / "recovery.yaml").read_text(encoding="utf-8")
    start = block.index("- id: article-overall")
    end = block.index("- id:", start + 1)
    entry = block[start:end].replace("verdict: contested", "verdict: contradicted")
    (copy / "recovery.yaml").write_text(block[:start] + entry + block[end:], encoding="utf-8")
    found = verdict_conflicts(content.load(copy))
    assert found == [
        "article item recovery.intro: recovery:article-overall = contradicted, but "
        "claims:recovery-range = contested"
    ]


def test_supported_with_conflicting_studies_is_caught(copy):
    """The other bug: calf-tightness-foot-pain 'supported' while its reason reports conflict."""
    edit(
        copy / "claims.yaml",
        "  verdict: contested\n  reason: >-\n    Contested: an association",
        "  verdict: supported\n  reason: >-\n    Contested: an association",
    )
    found = rubric_problems(content.load(copy))
    assert found == [
        "claims.yaml: calf-tightness-foot-pain: 'supported' but its reason says 'conflict'"
    ]


def test_contested_without_disagreement_or_association_is_caught(copy):
    edit(
        copy / "claims.yaml",
        "  verdict: contradicted\n  reason: >-\n    The direction is wrong.",
        "  verdict: contested\n  reason: >-\n    The direction is wrong.",
    )
    found = rubric_problems(content.load(copy))
    assert found == ["claims.yaml: anterior-pelvic-tilt: 'contested' but its reason never says why"]
