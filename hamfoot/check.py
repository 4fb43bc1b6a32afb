"""`hamfoot check [--root DIR] [--references]`: validate the content and print what it holds.

Why a module of its own: content editors need one command that says "all good" or lists every
problem by file, entry and field, without a traceback; the command line only forwards to it.
`--references` adds the bibliography report editors work from: per entry its verification and
the fields still unchecked against the primary record, and an error for any entry that claims
`verified` while a field is unchecked or missing (students never see this detail).
"""

from __future__ import annotations

import sys


def run(root: str | None = None, references: bool = False) -> int:
    """Validate the content; print counts per kind and per verdict (0) or every problem (1).
    With `references`, also print the bibliography report (1 if an entry is wrongly verified)."""
    from .content import ContentError, load, summary

    try:
        counts = summary(root=root)
        c = load(root)
        counts["kinds"]["anatomy"] = len(c.anatomy.structures)
        counts["kinds"]["gait tables"] = len(c.gait or {})
    except ContentError as e:
        print(f"hamfoot check: {len(e.problems)} problem(s) in the content", file=sys.stderr)
        for problem in e.problems:
            print(f"  {problem}", file=sys.stderr)
        return 1
    print(
        "hamfoot check: content OK" + (f" (with local content from {c.local})" if c.local else "")
    )
    width = max(map(len, counts["kinds"]))
    for kind, n in counts["kinds"].items():
        print(f"  {kind:<{width}}  {n:>4}")
    for label, tally in [
        *counts["verdicts"].items(),
        ("treatments by grade", counts["grades"]),
        ("references by verification", counts["verification"]),
    ]:
        print(f"{label}: " + ", ".join(f"{k} {n}" for k, n in tally.items() if n))
    return bibliography(c) if references else 0


def bibliography(c) -> int:
    """Per reference: id, kind, verification and unchecked fields; then every entry whose
    `verified` status its fields do not bear out. Returns 1 if there is any."""
    from pathlib import Path

    from .schema import Problem

    file = Path(c.source).name  # as the loader labels it: data/references.yaml
    refs = c.entries["references"]
    width = max((len(r.id) for r in refs), default=2)
    print(f"\nreferences ({len(refs)}): id, kind, verification, unchecked fields")
    problems = []
    for r in refs:
        unchecked = f"  unchecked: {', '.join(r.unchecked)}" if r.unchecked else ""
        print(f"  {r.id:<{width}}  {r.kind:<9}  {r.verification:<10}{unchecked}")
        problems += [
            Problem(f"{file}/references.yaml", f"'{r.id}'", where, message)
            for where, message in r.bibliography_problems()
        ]
    if problems:
        print(f"hamfoot check --references: {len(problems)} problem(s)", file=sys.stderr)
        for p in problems:
            print(f"  {p}", file=sys.stderr)
        return 1
    print("hamfoot check --references: every verified entry is complete and fully checked")
    return 0
