"""Regenerate tests/article_fingerprints.txt from a copy of the source article.

Why: the own-words test (tests/test_own_words.py) must run in a clone that has no copy of the
article beside it, and the repository must never hold the article's sentences. So we commit only
a one-way hash of every normalised 8-word run; the test hashes our own 8-word runs the same way
and compares. Run this when the article changes:

    python tools/fingerprint_article.py path/to/article.txt

The normalisation and the hash live here and nowhere else; the test imports them.
"""

from __future__ import annotations

import argparse
import hashlib
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FINGERPRINTS = ROOT / "tests" / "article_fingerprints.txt"
WORD = re.compile(r"[a-z0-9']+")
N = 8
FORMAT = "hamfoot-fingerprints/1"
HEADER = (
    f"# {FORMAT}: sha256 (first 16 hex digits) of every run of {N} consecutive words of the\n"
    "# source article, lower-cased, curly apostrophes straightened, words = [a-z0-9']+ joined by\n"
    "# one space. Hashes only: the article's text is not in this repository.\n"
    "# Regenerate: python tools/fingerprint_article.py ARTICLE.txt\n"
)


def runs(text: str) -> set[str]:
    """Every normalised run of N consecutive words in `text`."""
    words = WORD.findall(text.lower().replace("\u2019", "'"))
    return {" ".join(words[i : i + N]) for i in range(len(words) - N + 1)}


def fingerprint(run: str) -> str:
    return hashlib.sha256(run.encode("utf-8")).hexdigest()[:16]


def fingerprints(text: str) -> set[str]:
    return {fingerprint(r) for r in runs(text)}


def write(prints: set[str], path: Path = FINGERPRINTS) -> None:
    """Sorted, one a line, written atomically (a half-written file would hide copied text)."""
    tmp = path.with_suffix(".tmp")
    tmp.write_text(HEADER + "".join(f"{p}\n" for p in sorted(prints)), encoding="utf-8")
    tmp.replace(path)


def read(path: Path = FINGERPRINTS) -> set[str]:
    lines = path.read_text(encoding="utf-8").splitlines()
    if not lines or FORMAT not in lines[0]:
        raise ValueError(f"{path}: first line must name the format {FORMAT}")
    return {line for line in lines if line and not line.startswith("#")}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("article", type=Path, help="plain-text copy of the source article")
    parser.add_argument("--out", type=Path, default=FINGERPRINTS)
    args = parser.parse_args(argv)
    try:
        text = args.article.read_text(encoding="utf-8")
    except OSError as error:
        print(f"fingerprint_article: cannot read {args.article}: {error.strerror}", file=sys.stderr)
        return 1
    prints = fingerprints(text)
    if not prints:
        print(f"fingerprint_article: {args.article} has fewer than {N} words", file=sys.stderr)
        return 1
    write(prints, args.out)
    print(f"fingerprint_article: {len(prints)} fingerprints -> {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
