"""`hamfoot check`: validate the content and print what it holds.

Why a module of its own: content editors need one command that says "all good" or lists every
problem by file, entry and field, without a traceback; the command line only forwards to it.
"""

from __future__ import annotations

import sys


def run(root: str | None = None) -> int:
    """Validate the content; print counts per kind and per verdict (0) or every problem (1)."""
    from . import anatomy
    from .content import ContentError, summary

    try:
        counts = summary(root=root)
        counts["kinds"]["anatomy"] = len(anatomy.structures(root=root))
    except ContentError as e:
        print(f"hamfoot check: {len(e.problems)} problem(s) in the content", file=sys.stderr)
        for problem in e.problems:
            print(f"  {problem}", file=sys.stderr)
        return 1
    print("hamfoot check: content OK")
    width = max(map(len, counts["kinds"]))
    for kind, n in counts["kinds"].items():
        print(f"  {kind:<{width}}  {n:>4}")
    for label, tally in [
        *counts["verdicts"].items(),
        ("treatments by grade", counts["grades"]),
        ("references by verification", counts["verification"]),
    ]:
        print(f"{label}: " + ", ".join(f"{k} {n}" for k, n in tally.items() if n))
    return 0
