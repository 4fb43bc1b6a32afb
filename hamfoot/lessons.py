"""The ten lessons that ship with the package, and copying them into a learner's folder.

Why: a learner works in their own copy, so JupyterLab's autosave never edits the installed (or
the repository's tracked) notebooks, and an update never destroys their notes. A copy is replaced
only while it is still exactly what we wrote there (recorded in a small manifest); an edited copy
is kept, and lessons new in this version are added.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

MANIFEST = ".hamfoot-lessons.json"
PATTERN = "[0-9][0-9]-*.ipynb"


class LessonsError(Exception):
    """A problem a learner can fix (a folder they cannot write to); one line, no traceback."""


@dataclass
class Copied:
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)  # the learner's edited copies, left alone

    def summary(self) -> str:
        parts = [f"{len(v)} {k}" for k, v in vars(self).items() if v]
        return ", ".join(parts) or "nothing to do"


def source() -> Path:
    """The installed lessons: hamfoot/lessons (in the repository a link to notebooks/)."""
    return Path(__file__).resolve().parent / "lessons"


def shipped() -> list[Path]:
    return sorted(source().glob(PATTERN))


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def write_atomically(path: Path, data: bytes) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def copy_lessons(dest: Path) -> Copied:
    """Put every shipped lesson into `dest`, never overwriting a copy the learner has changed."""
    lessons = shipped()
    if not lessons:
        raise LessonsError(f"no lessons found in {source()} (the installation is incomplete)")
    done = Copied()
    try:
        dest.mkdir(parents=True, exist_ok=True)
        manifest_path = dest / MANIFEST
        try:
            written = json.loads(manifest_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            written = {}
        for lesson in lessons:
            data = lesson.read_bytes()
            target = dest / lesson.name
            if not target.exists():
                done.added.append(lesson.name)
            elif digest(target.read_bytes()) == digest(data):
                written[lesson.name] = digest(data)
                continue
            elif digest(target.read_bytes()) == written.get(lesson.name):
                done.updated.append(lesson.name)
            else:
                done.kept.append(lesson.name)
                continue
            write_atomically(target, data)
            written[lesson.name] = digest(data)
        write_atomically(manifest_path, json.dumps(written, indent=1, sort_keys=True).encode())
    except OSError as error:
        where = error.filename or dest
        raise LessonsError(
            f"cannot write the lessons into {where} ({error.strerror or error}); "
            "choose a folder you can write to, e.g. hamfoot start ~/hamfoot-course"
        ) from None
    return done
