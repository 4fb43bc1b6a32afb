"""No run of eight consecutive words of the source article appears in our content or lessons.
The package must say everything in its own words; facts carry over, sentences do not.

The article itself is not in the repository: tests/article_fingerprints.txt holds one-way hashes
of its 8-word runs (tools/fingerprint_article.py makes them), so a bare clone runs this test.
"""

from __future__ import annotations

import functools
import importlib.util
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
_spec = importlib.util.spec_from_file_location(
    "fingerprint_article", ROOT / "tools" / "fingerprint_article.py"
)
fp = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(fp)


@functools.cache
def article_prints() -> frozenset[str]:
    return frozenset(fp.read(fp.FINGERPRINTS))


def copied_runs(text: str, prints: frozenset[str] | set[str]) -> list[str]:
    """Our own 8-word runs whose hash is one of the article's (the runs, so a failure can show them)."""
    return sorted(r for r in fp.runs(text) if fp.fingerprint(r) in prints)


FILES = sorted(
    p
    for p in [*(ROOT / "hamfoot" / "data").rglob("*"), *(ROOT / "notebooks").glob("*.ipynb")]
    if p.is_file() and p.suffix in {".yaml", ".yml", ".csv", ".md", ".ipynb", ".txt"}
)


def test_the_committed_fingerprints_look_like_a_whole_article():
    prints = article_prints()
    assert len(prints) > 1000, "tests/article_fingerprints.txt is nearly empty: regenerate it"
    assert all(re.fullmatch(r"[0-9a-f]{16}", p) for p in prints)


def test_the_detector_finds_a_copied_paragraph(tmp_path):
    """The same pipeline as the real check (tool -> file -> comparison), on a stand-in article."""
    article = tmp_path / "article.txt"
    article.write_text(
        "Opening words of a stand-in article.\n\n"
        "The plantar fascia is a thick band of connective tissue that runs from the heel to the\n"
        "toes and it carries load in every step you take while walking or running.\n",
        encoding="utf-8",
    )
    out = tmp_path / "prints.txt"
    assert fp.main([str(article), "--out", str(out)]) == 0
    prints = fp.read(out)
    lesson = (
        "Some text of ours. Then a sentence lifted from the source: The plantar fascia is a\n"
        "THICK band of connective tissue that runs from the heel \u2014 and more of ours."
    )
    assert copied_runs(lesson, prints)
    assert not copied_runs("the fascia spans heel to toes and takes load with each stride", prints)


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_eight_word_run_from_the_article(path):
    copied = copied_runs(path.read_text(encoding="utf-8", errors="ignore"), article_prints())
    assert not copied, f"{path.relative_to(ROOT)} repeats the article word for word: {copied[:3]}"
