"""Command line: `python -m hamfoot check [--root DIR]`.

Why: content editors need one command that says "all good" or lists every problem by file, entry
and field, without a traceback. New subcommands register themselves in `main` the same way.
"""
from __future__ import annotations

import argparse
import sys


def check(args: argparse.Namespace) -> int:
    """Validate the content; print counts per kind and per verdict (0) or every problem (1)."""
    from . import anatomy
    from .content import ContentError, summary

    try:
        counts = summary(root=args.root)
        counts["kinds"]["anatomy"] = len(anatomy.structures(root=args.root))
    except ContentError as e:
        print(f"hamfoot check: {len(e.problems)} problem(s) in the content", file=sys.stderr)
        for problem in e.problems:
            print(f"  {problem}", file=sys.stderr)
        return 1
    print("hamfoot check: content OK")
    width = max(map(len, counts["kinds"]))
    for kind, n in counts["kinds"].items():
        print(f"  {kind:<{width}}  {n:>4}")
    for label, tally in [*counts["verdicts"].items(), ("treatments by grade", counts["grades"]),
                         ("references by verification", counts["verification"])]:
        print(f"{label}: " + ", ".join(f"{k} {n}" for k, n in tally.items() if n))
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m hamfoot", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    p = commands.add_parser("check", help="validate data/ and print counts")
    p.add_argument("--root", help="data directory to check (default: the installed hamfoot.data)")
    p.set_defaults(run=check)
    args = parser.parse_args(argv)
    return args.run(args)


if __name__ == "__main__":
    sys.exit(main())
