"""No run of eight consecutive words of the source article appears in our content or lessons.
The package must say everything in its own words; facts carry over, sentences do not."""

from __future__ import annotations

import functools
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SEED_DIR = ROOT.parent / "shared" / "seed"
WORD = re.compile(r"[a-z0-9']+")
N = 8


def grams(text: str) -> set[str]:
    words = WORD.findall(text.lower().replace("\u2019", "'"))
    return {" ".join(words[i : i + N]) for i in range(len(words) - N + 1)}


@functools.cache
def article_grams() -> set[str]:
    seeds = sorted(SEED_DIR.glob("*.txt"))
    if not seeds:
        pytest.fail(f"the source article is missing from {SEED_DIR}")
    return grams(seeds[0].read_text(encoding="utf-8"))


FILES = sorted(
    p
    for p in [*(ROOT / "data").rglob("*"), *(ROOT / "notebooks").glob("*.ipynb")]
    if p.is_file() and p.suffix in {".yaml", ".yml", ".csv", ".md", ".ipynb", ".txt"}
)


def test_the_detector_finds_a_copied_sentence():
    seed = sorted(SEED_DIR.glob("*.txt"))[0].read_text(encoding="utf-8")
    sentence = seed.split("\n\n")[3]
    assert grams(sentence) & article_grams()
    assert (
        not grams("hamstrings attach to the ischial tuberosity and tilt the pelvis back")
        & article_grams()
    )


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_eight_word_run_from_the_article(path):
    copied = grams(path.read_text(encoding="utf-8", errors="ignore")) & article_grams()
    assert not copied, (
        f"{path.relative_to(ROOT)} repeats the article word for word: {sorted(copied)[:3]}"
    )
