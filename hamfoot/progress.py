"""Save and restore a learner's quiz answers and case progress in a JSON file they choose.

Why: a kernel restart or a closed laptop must not cost a student an hour of work. The file is
plain JSON so it can be read, mailed to a tutor or deleted. A save is atomic (a temporary file in
the same folder, flushed to disk, then renamed over the old one), so a crash mid-save leaves the
previous file whole. Anything wrong with a file (missing, truncated, not JSON, not UTF-8, not ours)
raises `ProgressError` with a message in words, before anything in memory is changed.

Layout: ``{"format": "hamfoot-progress", "version": 1, "quiz": {question id: ...},
"cases": {case id: ...}}``. Each widget saves only its own entries and merges them into the file,
so lesson quizzes and the case player can share one file. This module knows nothing of widgets.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

__all__ = ["DEFAULT_FILE", "ProgressError", "read", "load", "save"]

DEFAULT_FILE = "hamfoot-progress.json"  # relative: lands beside the running notebook
FORMAT, VERSION, SECTIONS = "hamfoot-progress", 1, ("quiz", "cases")
MAX_BYTES = 5_000_000  # a real progress file is a few kB; anything bigger is the wrong file


class ProgressError(ValueError):
    """A progress file could not be read or written; str() is a sentence for the learner."""


def _path(path: str | os.PathLike | None) -> Path:
    text = str(DEFAULT_FILE if path is None else path).strip()
    if not text or "\0" in text:
        raise ProgressError("Type a file name first, for example hamfoot-progress.json.")
    return Path(text).expanduser()


def _section(section: str) -> str:
    if section not in SECTIONS:
        raise ValueError(f"unknown progress section {section!r}; choose from {', '.join(SECTIONS)}")
    return section


def read(path: str | os.PathLike | None = DEFAULT_FILE) -> dict[str, Any]:
    """The whole validated document; `ProgressError` if the file is missing or not a progress file."""
    p = _path(path)
    try:
        if p.stat().st_size > MAX_BYTES:
            raise ProgressError(
                f"{p} is {p.stat().st_size:,} bytes, far too large to be a hamfoot "
                "progress file. Check the file name."
            )
        text = p.read_bytes().decode("utf-8")
    except FileNotFoundError:
        raise ProgressError(
            f"There is no file {p} yet. Save your progress first, or check the file name."
        ) from None
    except IsADirectoryError:
        raise ProgressError(f"{p} is a folder, not a file. Type a file name.") from None
    except UnicodeDecodeError as e:
        raise ProgressError(
            f"{p} is not a text file (bad byte at position {e.start}), so it is not "
            "a hamfoot progress file."
        ) from None
    except OSError as e:
        raise ProgressError(f"Could not read {p}: {e.strerror or e}.") from None
    try:
        doc = json.loads(text)
    except (json.JSONDecodeError, RecursionError) as e:
        where = (
            f" (line {e.lineno}, column {e.colno})" if isinstance(e, json.JSONDecodeError) else ""
        )
        raise ProgressError(
            f"{p} is damaged or incomplete{where}: it is not valid JSON, perhaps "
            "because a save was interrupted. Your current answers are unchanged."
        ) from None
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise ProgressError(
            f"{p} is not a hamfoot progress file. Your current answers are unchanged."
        )
    if doc.get("version") != VERSION:
        raise ProgressError(
            f"{p} has progress format version {doc.get('version')!r}; this hamfoot "
            f"reads version {VERSION}. Your current answers are unchanged."
        )
    for name in SECTIONS:
        if not isinstance(doc.setdefault(name, {}), dict):
            raise ProgressError(
                f"{p} is damaged: its {name!r} part is not a mapping. Your current "
                "answers are unchanged."
            )
    return doc


def load(section: str, path: str | os.PathLike | None = DEFAULT_FILE) -> dict[str, Any]:
    """The saved entries of one section ("quiz" or "cases"), keyed by question or case id."""
    section = _section(section)
    return read(path)[section]


def save(
    section: str, entries: dict[str, Any], path: str | os.PathLike | None = DEFAULT_FILE
) -> Path:
    """Merge `entries` into `section` of the file and write it atomically; returns the path.

    An existing file that is not a hamfoot progress file is never overwritten (a typo such as
    ``08-clinical-cases.ipynb`` must not destroy a notebook). If the write fails, the old file is
    left as it was and no temporary file is left behind.
    """
    p, section = _path(path), _section(section)
    try:
        doc = read(p)
    except ProgressError:
        if os.path.lexists(p):
            raise ProgressError(
                f"{p} already exists and is not a readable hamfoot progress file, so "
                "it was not overwritten. Choose another file name."
            ) from None
        doc = {"format": FORMAT, "version": VERSION, **{name: {} for name in SECTIONS}}
    doc[section].update(entries)
    tmp = None
    try:
        with tempfile.NamedTemporaryFile(
            "w", encoding="utf-8", dir=p.parent, prefix=f".{p.name}.", suffix=".tmp", delete=False
        ) as f:
            tmp = f.name
            json.dump(doc, f, indent=1, sort_keys=True, ensure_ascii=False, allow_nan=False)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, p)
        tmp = None
        _sync_folder(p.parent)
    except OSError as e:
        raise ProgressError(
            f"Could not save to {p}: {e.strerror or e}. Any earlier file there is unchanged."
        ) from None
    except (TypeError, ValueError) as e:
        raise ProgressError(f"Could not save: {e}. Any earlier file at {p} is unchanged.") from None
    finally:
        if tmp is not None:
            Path(tmp).unlink(missing_ok=True)
    return p


def _sync_folder(folder: Path) -> None:
    """Flush the rename itself to disk where the platform allows it (POSIX); best effort."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
