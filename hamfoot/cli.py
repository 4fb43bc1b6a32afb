"""The `hamfoot` command: start the course, copy the lessons, check the content, and the
educators' tools (present, hub-link, class-report).

Why one entry point: students, educators and `make` run the same code path. Each subcommand's
module is imported only when that subcommand runs, so `hamfoot --version` stays instant and a tool
that another part of the package provides can arrive later without touching this file's logic.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from pathlib import Path

# subcommand -> (module, function, help): each function takes the remaining argv, returns a code
PASS_THROUGH = {
    "present": ("hamfoot.present", "main", "show a lesson as slides for a class"),
    "hub-link": ("hamfoot.hub", "link_main", "make a JupyterHub link that opens a lesson"),
    "class-report": ("hamfoot.classroom", "report_main", "summarise a class's answers"),
}
DEFAULT_FOLDER = "hamfoot-course"


def version() -> str:
    from . import __version__

    return __version__


def copy(folder: Path) -> int:
    from .lessons import LessonsError, copy_lessons

    try:
        done = copy_lessons(folder)
    except LessonsError as error:
        print(f"hamfoot: {error}", file=sys.stderr)
        return 1
    print(f"hamfoot: lessons in {folder.resolve()}: {done.summary()}")
    if done.kept:
        print(f"  kept your edited copies: {', '.join(done.kept)}")
    return 0


def start(args: argparse.Namespace) -> int:
    code = copy(args.folder)
    if code:
        return code
    from .server import StartError, serve

    try:
        return serve(args.folder, port=args.port, open_browser=not args.no_browser)
    except StartError as error:
        print(f"hamfoot: {error}", file=sys.stderr)
        return 1


def lessons(args: argparse.Namespace) -> int:
    return copy(args.folder)


def check(args: argparse.Namespace) -> int:
    from .check import run

    args.root = args.root or args.dir

    if args.references:  # only then: keeps working with a check.run() that has no references=
        code = run(root=args.root, references=True)
    else:
        code = run(root=args.root)
    if code:  # say which copy of the content failed: a course folder may have been copied
        print(f"  (content folder: {content_folder(args.root)})", file=sys.stderr)
    return code


def content_folder(root: str | None) -> Path:
    if root:
        return Path(root).resolve()
    from importlib.resources import files

    return Path(str(files("hamfoot.data"))).resolve()


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="hamfoot", description="Interactive lessons on the posterior kinetic chain."
    )
    p.add_argument("--version", action="version", version=f"hamfoot {version()}")
    commands = p.add_subparsers(dest="command", metavar="COMMAND", required=True)

    s = commands.add_parser("start", help="copy the lessons into a folder and open JupyterLab")
    s.add_argument(
        "folder", nargs="?", type=Path, default=Path(DEFAULT_FOLDER), help="default: %(default)s"
    )
    s.add_argument("--port", type=int, help="port on 127.0.0.1 (default: the first free from 8888)")
    s.add_argument("--no-browser", action="store_true", help="do not open a browser window")
    s.set_defaults(run=start)

    s = commands.add_parser("lessons", help="copy the lessons into a folder (no server)")
    s.add_argument("folder", type=Path)
    s.set_defaults(run=lessons)

    s = commands.add_parser("check", help="validate the content files and print counts")
    s.add_argument("--root", help="data directory to check (default: the installed hamfoot.data)")
    s.add_argument("dir", nargs="?", help="the same as --root DIR")
    s.add_argument("--references", action="store_true", help="report each reference's checks")
    s.set_defaults(run=check)

    for name, (_module, _func, text) in PASS_THROUGH.items():
        commands.add_parser(name, help=text, add_help=False)
    return p


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    if argv and argv[0] in PASS_THROUGH:  # its own parser reads the rest, --help included
        module, func, _text = PASS_THROUGH[argv[0]]
        try:
            tool = importlib.import_module(module)
        except ModuleNotFoundError as error:
            if error.name != module:
                raise
            print(f"hamfoot: `{argv[0]}` is not part of this installation", file=sys.stderr)
            return 2
        return getattr(tool, func)(argv[1:])
    args = parser().parse_args(argv)
    return args.run(args)


if __name__ == "__main__":
    sys.exit(main())
