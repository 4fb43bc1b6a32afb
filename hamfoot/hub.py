"""nbgitpuller links: one click on a JupyterHub puts the lessons in a student's home and opens one.

Why a builder: the link has to name the hub, the repository, the branch, the folder the lessons
land in and the lesson's file inside it, each URL-encoded; a typo sends forty students to an error
page. The lesson number is looked up in the course's table of contents, so `--lesson 02` always
opens the file that lesson really has. The same pieces feed the tested local hub
(deploy/jupyterhub_config.py) and the Kubernetes config (deploy/config.yaml), so they agree.

Link format (nbgitpuller): ``<hub>/hub/user-redirect/git-pull?repo=…&branch=…&targetpath=…&
urlpath=lab/tree/<targetpath>/notebooks/<file>``. nbgitpuller merges on every later click: it keeps
a student's edited notebooks and brings in new files (its "automatic merging" rules).
"""

from __future__ import annotations

import argparse
import sys
from urllib.parse import quote, urlencode, urlsplit

__all__ = ["lesson_file", "pull_path", "pull_link", "link_main"]

NOTEBOOKS = "notebooks"  # the lessons' folder inside the course repository
DEFAULT_TARGET = "hamfoot"  # the folder the course lands in, in the student's home


def lesson_file(lesson: str | None) -> str | None:
    """The notebook file of lesson "02" (or "2") from the course's table of contents."""
    if lesson is None:
        return None
    from hamfoot import content

    number = str(lesson).strip()
    number = number.zfill(2) if number.isdigit() else number
    for entry in content.load().entries["toc"]:
        if str(entry.number) == number:
            return entry.file
    known = ", ".join(str(e.number) for e in content.load().entries["toc"])
    raise ValueError(f"there is no lesson {lesson!r} in the course; choose from {known}")


def _check_repo(repo: str) -> str:
    repo = repo.strip()
    if not repo:
        raise ValueError(
            "--repo is empty: give the course's git URL (https://…, file://… or a path)"
        )
    if any(c.isspace() for c in repo):
        raise ValueError(f"--repo {repo!r} contains spaces; a git URL has none")
    return repo


def pull_path(
    repo: str, branch: str = "main", lesson: str | None = None, target: str = DEFAULT_TARGET
) -> str:
    """The part after the hub: ``git-pull?…`` (also a spawner's default URL, which is relative)."""
    target = target.strip().strip("/")
    if not target or "/" in target or target in (".", ".."):
        raise ValueError(f"target folder {target!r} must be one plain folder name, e.g. hamfoot")
    if not branch.strip():
        raise ValueError("--branch is empty: give the branch to pull, e.g. main")
    file = lesson_file(lesson)
    where = f"{target}/{NOTEBOOKS}/{file}" if file else f"{target}/{NOTEBOOKS}"
    query = {
        "repo": _check_repo(repo),
        "branch": branch.strip(),
        "targetpath": target,
        "urlpath": f"lab/tree/{where}",
    }
    return "git-pull?" + urlencode(query, quote_via=quote, safe="")


def pull_link(
    hub: str,
    repo: str,
    branch: str = "main",
    lesson: str | None = None,
    target: str = DEFAULT_TARGET,
) -> str:
    """The full link to hand to students: through ``/hub/user-redirect/`` so it works for anyone."""
    parts = urlsplit(hub.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError(f"--hub {hub!r} is not a web address; give e.g. https://hub.example.edu")
    base = hub.strip().rstrip("/")
    return f"{base}/hub/user-redirect/{pull_path(repo, branch, lesson, target)}"


def link_main(argv: list[str] | None = None) -> int:
    """`hamfoot hub-link --hub URL --repo URL [--branch B] [--lesson NN] [--target DIR]`."""
    parser = argparse.ArgumentParser(
        prog="hamfoot hub-link",
        description="Print an nbgitpuller link that pulls the course into a student's home on a "
        "JupyterHub and opens a lesson.",
    )
    parser.add_argument("--hub", required=True, help="the hub's address, e.g. https://hub.uni.edu")
    parser.add_argument("--repo", required=True, help="git URL of the course repository")
    parser.add_argument("--branch", default="main", help="branch to pull (default: main)")
    parser.add_argument("--lesson", help="lesson number to open, e.g. 02 (default: the folder)")
    parser.add_argument(
        "--target", default=DEFAULT_TARGET, help="folder in the student's home (default: hamfoot)"
    )
    args = parser.parse_args(argv)
    try:
        print(pull_link(args.hub, args.repo, args.branch, args.lesson, args.target))
    except ValueError as e:
        print(f"hamfoot hub-link: {e}", file=sys.stderr)
        return 2
    return 0
