"""Command line: `python -m hamfoot check [--root DIR]`.

Why: content editors need one command that says "all good" or lists every problem by file, entry
and field, without a traceback. New subcommands register themselves in `main` the same way.
"""

from __future__ import annotations

import argparse
import sys


def check(args: argparse.Namespace) -> int:
    from .check import run

    return run(root=args.root)


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
