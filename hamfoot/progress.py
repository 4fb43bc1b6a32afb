"""One course-wide store of a learner's answers, saved by itself on every answer.

Why: a student who never pressed a save button must still reach lesson 09 with lessons 01-08
recorded, and a kernel restart or a second notebook open at the same time must not cost an answer.
So every quiz answer and every case step is written at once to one JSON file outside the lessons
(``$HAMFOOT_PROGRESS``, else the user's data folder, never the tracked notebooks, so `git status`
stays clean). Each write takes a lock file (fcntl, where the platform has it), re-reads the file,
changes only its own entries and replaces the file atomically (temporary file, fsync, rename): two
kernels writing at once both keep their answers, and a crash mid-write leaves the old file whole.

Answers are keyed by question id (or "<case id>/<step id>") and hold option *ids*, so editing one
question's options never touches the others. When ``$HAMFOOT_CLASS_DIR`` is set, each save also
writes ``<class dir>/<pseudonym>.json`` in the same format for the educator's class report; the
pseudonym is a hash of the login name salted with the class's own salt (``.hamfoot-salt`` in the
class folder, made once by the first save), so it cannot be recomputed from a class list alone.

Format (``FORMAT``)::

    {"format": "hamfoot-progress/1", "student": "<pseudonym>",
     "answers": {"q03-labovitz-limits": {"kind": "quiz", "lesson": "03",
                 "chosen": ["calf-left-out"], "correct": true, "at": "2026-12-02T02:10:00Z"},
                 "s1-radiculopathy/examination": {"kind": "case", "lesson": "08",
                 "chosen": ["ake", "slr-remote"], "correct": false, "at": "..."}}}

For a case step, `chosen` lists the choices in the order tried and `correct` says whether the
first one was right. Anything wrong with a file raises `ProgressError` with a sentence for the
learner; this module knows nothing of widgets.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import getpass
import hashlib
import json
import math
import os
import re
import secrets
import sys
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

try:  # POSIX; elsewhere writes are still atomic, only the cross-process lock is missing
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None

__all__ = [
    "FORMAT",
    "DEFAULT_COPY",
    "ProgressError",
    "store_path",
    "class_dir",
    "pseudonym",
    "class_salt",
    "read",
    "answers",
    "record",
    "forget",
    "export",
    "import_file",
    "summary",
    "check_entry",
]

FORMAT = "hamfoot-progress/1"
OLD_FORMAT = "hamfoot-progress"  # hamfoot before option ids: answers by position, not importable
DEFAULT_COPY = "hamfoot-progress.json"  # a copy for moving machines; relative = beside the notebook
MAX_BYTES = 5_000_000  # a real progress file is a few kB; anything bigger is the wrong file
KINDS = ("quiz", "case")

_pending: dict[str, dict] = {}  # answers not yet written (unwritable store); retried on every save
SALT_FILE = ".hamfoot-salt"  # in the class folder: the class's secret salt for pseudonyms
_salts: dict[str, str] = {}  # class folder → its salt, read once per kernel


class ProgressError(ValueError):
    """A progress file could not be read or written; str() is a sentence for the learner."""


# ---------------------------------------------------------------- where
def _user_data_dir() -> Path:
    """The per-user data folder, as platformdirs would choose it (stdlib only)."""
    home = Path.home()
    if sys.platform == "win32":
        base = Path(os.environ.get("APPDATA") or home / "AppData" / "Roaming")
    elif sys.platform == "darwin":
        base = home / "Library" / "Application Support"
    else:
        base = Path(os.environ.get("XDG_DATA_HOME") or home / ".local" / "share")
    return base / "hamfoot"


def store_path() -> Path:
    """The course-wide store: ``$HAMFOOT_PROGRESS`` if set, else ``<user data>/progress.json``."""
    given = os.environ.get("HAMFOOT_PROGRESS", "").strip()
    return Path(given).expanduser() if given else _user_data_dir() / "progress.json"


def class_dir() -> Path | None:
    """The class session folder (``$HAMFOOT_CLASS_DIR``), or None when there is none."""
    given = os.environ.get("HAMFOOT_CLASS_DIR", "").strip()
    return Path(given).expanduser() if given else None


def pseudonym() -> str:
    """``$HAMFOOT_STUDENT`` (made file-name safe) if set, else a hash of the login name, salted
    with the class's secret salt when there is a class folder.

    Why a hash: the class folder must not carry names unless the educator chooses to; the same
    login gives the same id every time, so one student's answers land in one file. Why a salt: a
    plain hash of a login can be recomputed by anyone holding a class list; with the class's salt
    (a file in the class folder, `SALT_FILE`) only someone who can read that folder can.
    """
    given = os.environ.get("HAMFOOT_STUDENT", "").strip()
    if given:
        safe = re.sub(r"[^A-Za-z0-9._-]+", "-", given).strip(".-")[:64]
        if safe:
            return safe
    try:
        login = getpass.getuser()
    except Exception:  # noqa: BLE001 - no login name in some containers
        login = "unknown"
    folder = class_dir()
    salt = class_salt(folder) if folder is not None else None
    text = f"hamfoot-student:{login}" if salt is None else f"hamfoot-student:{salt}:{login}"
    return "s-" + hashlib.sha256(text.encode()).hexdigest()[:12]


def class_salt(folder: Path) -> str | None:
    """The class's salt for pseudonyms: made once, by the first student to save, read by all after;
    None when the folder can neither give nor take one.

    Made atomically: the whole file is written under a temporary name and then hard-linked to
    `SALT_FILE`, which fails if another student got there first; then theirs is read. So two
    students saving at the same moment still share one salt, and no one reads half a file.
    """
    key = str(folder)
    if key in _salts:
        return _salts[key]
    path = folder / SALT_FILE
    for _ in range(2):
        try:
            salt = path.read_text(encoding="ascii").strip()
        except FileNotFoundError:
            salt = None
        except (OSError, UnicodeDecodeError):
            return None
        if salt:
            _salts[key] = salt
            return salt
        if salt is not None:  # an empty salt file is not ours to replace
            return None
        try:
            fd, tmp = tempfile.mkstemp(dir=folder, prefix=f"{SALT_FILE}.", suffix=".tmp")
        except OSError:
            return None
        try:
            with os.fdopen(fd, "w", encoding="ascii") as f:
                f.write(secrets.token_hex(16) + "\n")
                f.flush()
                os.fsync(f.fileno())
            os.chmod(tmp, 0o644)  # every student's server reads it
            os.link(tmp, path)
        except FileExistsError:
            pass  # another student made it first: read theirs
        except OSError:
            return None
        finally:
            Path(tmp).unlink(missing_ok=True)
    return None


def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


# ---------------------------------------------------------------- reading
def check_entry(entry: Any) -> str | None:
    """Why a stored answer is unusable, or None if it has the agreed shape."""
    if not isinstance(entry, dict):
        return "is not a mapping"
    if entry.get("kind") not in KINDS:
        return "has no kind (quiz or case)"
    if not isinstance(entry.get("lesson"), str):
        return "has no lesson"
    chosen = entry.get("chosen")
    number = isinstance(chosen, (int, float)) and not isinstance(chosen, bool)
    if not (number and math.isfinite(chosen)) and not (
        isinstance(chosen, list) and all(isinstance(c, str) for c in chosen)
    ):
        return "has no chosen option ids or number"
    if not isinstance(entry.get("correct"), bool):
        return "has no correct flag"
    if not isinstance(entry.get("at"), str):
        return "has no time"
    return None


def _parse(p: Path, text: str) -> dict:
    try:
        doc = json.loads(text)
    except (json.JSONDecodeError, RecursionError) as e:
        where = (
            f" (line {e.lineno}, column {e.colno})" if isinstance(e, json.JSONDecodeError) else ""
        )
        raise ProgressError(f"{p} is damaged or incomplete{where}: it is not valid JSON.") from None
    if isinstance(doc, dict) and doc.get("format") == OLD_FORMAT:
        raise ProgressError(
            f"{p} was saved by an older hamfoot, which recorded answers by their position in the "
            "list. The questions have been rewritten since, so those answers cannot be matched "
            "safely; please answer again (your new answers are saved by themselves)."
        )
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise ProgressError(f"{p} is not a hamfoot progress file.")
    if not isinstance(doc.get("answers", {}), dict):
        raise ProgressError(f"{p} is damaged: its 'answers' part is not a mapping.")
    doc.setdefault("answers", {})
    return doc


def _read_text(p: Path) -> str | None:
    """The file's text, None if there is no file; ProgressError if it cannot be read as text."""
    try:
        size = p.stat().st_size
        if size > MAX_BYTES:
            raise ProgressError(
                f"{p} is {size:,} bytes, far too large to be a hamfoot progress file."
            )
        return p.read_bytes().decode("utf-8")
    except FileNotFoundError:
        return None
    except IsADirectoryError:
        raise ProgressError(f"{p} is a folder, not a file.") from None
    except UnicodeDecodeError as e:
        raise ProgressError(
            f"{p} is not a text file (bad byte at position {e.start}), so it is not a hamfoot "
            "progress file."
        ) from None
    except OSError as e:
        raise ProgressError(f"Could not read {p}: {e.strerror or e}.") from None


def _empty() -> dict:
    return {"format": FORMAT, "student": pseudonym(), "answers": {}}


def read(path: str | os.PathLike | None = None) -> dict:
    """The whole document (the store unless `path` is given); an empty one if there is no file."""
    p = Path(path).expanduser() if path is not None else store_path()
    text = _read_text(p)
    return _empty() if text is None else _parse(p, text)


def answers(path: str | os.PathLike | None = None) -> dict[str, dict]:
    """Every usable stored answer by key, including any not yet written; never raises.

    Why never: a lesson must open even when the store is damaged or unreadable; the widget that
    saves next reports the problem in words.
    """
    try:
        stored = read(path)["answers"]
    except ProgressError:
        stored = {}
    merged = {**stored, **(_pending if path is None else {})}
    return {k: v for k, v in merged.items() if isinstance(k, str) and check_entry(v) is None}


# ---------------------------------------------------------------- writing
@contextlib.contextmanager
def _locked(p: Path) -> Iterator[None]:
    """Hold an exclusive lock on ``<file>.lock`` while re-reading and replacing the file."""
    try:
        p.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(p.with_name(p.name + ".lock"), os.O_RDWR | os.O_CREAT, 0o600)
    except OSError as e:
        raise ProgressError(f"Could not save to {p}: {e.strerror or e}.") from None
    try:
        if fcntl is not None:
            fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing releases the lock


def _write(p: Path, doc: dict) -> None:
    """Replace `p` atomically with `doc`; the old file stays whole if anything fails."""
    tmp = None
    try:
        with tempfile.NamedTemporaryFile(
            "w", encoding="utf-8", dir=p.parent, prefix=f".{p.name}.", suffix=".tmp", delete=False
        ) as f:
            tmp = f.name
            json.dump(doc, f, indent=1, sort_keys=True, ensure_ascii=False, allow_nan=False)
            f.write("\n")
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, p)
        tmp = None
        _sync_folder(p.parent)
    except OSError as e:
        raise ProgressError(f"Could not save to {p}: {e.strerror or e}.") from None
    finally:
        if tmp is not None:
            Path(tmp).unlink(missing_ok=True)


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


def _update(p: Path, change) -> tuple[dict, str | None]:
    """Lock, re-read, apply `change(answers)`, write; returns the document and a note, if any.

    A store that is not valid JSON (hand-edited, or from a full disk) is kept beside the new one
    as ``<name>.damaged-<time>`` rather than overwritten; any other file that is not ours is left
    alone and the save refused, so a typo in HAMFOOT_PROGRESS never destroys a notebook.
    """
    note = None
    with _locked(p):
        text = _read_text(p)
        try:
            doc = _empty() if text is None else _parse(p, text)
        except ProgressError as e:
            if text is not None and not str(e).endswith("is not valid JSON."):
                raise ProgressError(
                    f"{e} It was not overwritten; set HAMFOOT_PROGRESS to another file."
                ) from None
            aside = p.with_name(f"{p.name}.damaged-{_now().replace(':', '')}")
            try:
                os.replace(p, aside)
            except OSError as err:
                raise ProgressError(f"{e} Could not set it aside: {err.strerror or err}.") from None
            note = f"The saved progress file was damaged; it was kept as {aside.name} and a new one started."
            doc = _empty()
        change(doc["answers"])
        doc["student"] = pseudonym()
        _write(p, doc)
    return doc, note


def _class_copy(doc: dict) -> str | None:
    folder = class_dir()
    if folder is None:
        return None
    valid = {k: v for k, v in doc["answers"].items() if check_entry(v) is None}
    try:
        if not folder.is_dir():
            raise ProgressError(f"the class folder {folder} does not exist")
        if not os.environ.get("HAMFOOT_STUDENT", "").strip() and class_salt(folder) is None:
            # an unsalted name would be guessable, and a second file for the same student
            raise ProgressError(f"its salt file {SALT_FILE} could not be read or made")
        student = pseudonym()
        # only well-formed answers reach the educator
        _write(folder / f"{student}.json", {**doc, "student": student, "answers": valid})
    except ProgressError as e:
        return f"Saved on this computer, but not in the class folder: {str(e).rstrip('.')}."
    return None


def record(
    key: str, kind: str, lesson: str, chosen: list[str] | float, correct: bool
) -> str | None:
    """Store one answer at once (and in the class folder); returns a note in words or None.

    If the store cannot be written, the answer is kept in memory, retried with the next save,
    and ProgressError says why; the caller shows it and the learner's answer stays on screen.
    """
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {', '.join(KINDS)}; got {kind!r}")
    if isinstance(chosen, tuple):
        chosen = list(chosen)
    _pending[key] = {
        "kind": kind,
        "lesson": lesson,
        "chosen": chosen,
        "correct": bool(correct),
        "at": _now(),
    }
    return _flush()


def forget(keys: Iterable[str]) -> str | None:
    """Remove answers from the store (a deliberate "Try again" or "Restart case")."""
    keys = set(keys)
    for k in keys:
        _pending.pop(k, None)

    def change(stored: dict) -> None:
        stored.update(_pending)
        for k in keys:
            stored.pop(k, None)

    return _save(change)


def _flush() -> str | None:
    return _save(lambda stored: stored.update(_pending))


def _save(change) -> str | None:
    p = store_path()
    try:
        doc, note = _update(p, change)
    except ProgressError as e:
        raise ProgressError(
            f"{str(e).rstrip('.')}. Your answers stay on screen and are kept until a save works; "
            "set HAMFOOT_PROGRESS to a file you can write, or use “Save a copy”."
        ) from None
    _pending.clear()
    notes = [n for n in (note, _class_copy(doc)) if n]
    return " ".join(notes) or None


# ---------------------------------------------------------------- moving machines
def _target(path: str | os.PathLike | None) -> Path:
    text = str(DEFAULT_COPY if path is None else path).strip()
    if not text or "\0" in text:
        raise ProgressError("Type a file name first, for example hamfoot-progress.json.")
    return Path(text).expanduser()


def export(path: str | os.PathLike | None = DEFAULT_COPY) -> tuple[Path, int]:
    """Write a copy of every stored answer to a file the learner names; (path, answers)."""
    p = _target(path)
    if p.resolve() == store_path().resolve():
        raise ProgressError(
            f"{p} is the automatic progress store itself; choose another file name."
        )
    doc = {**_empty(), "answers": answers()}
    if os.path.lexists(p):
        try:
            _parse(p, _read_text(p) or "")
        except ProgressError:
            raise ProgressError(
                f"{p} already exists and is not a hamfoot progress file, so it was not "
                "overwritten. Choose another file name."
            ) from None
    if not p.parent.is_dir():
        raise ProgressError(f"Could not save to {p}: there is no folder {p.parent}.")
    _write(p, doc)
    return p, len(doc["answers"])


def import_file(path: str | os.PathLike | None = DEFAULT_COPY) -> int:
    """Merge a copied progress file into the store (the later answer wins); how many changed."""
    p = _target(path)
    text = _read_text(p)
    if text is None:
        raise ProgressError(f"There is no file {p}. Check the file name.")
    incoming = {
        k: v
        for k, v in _parse(p, text)["answers"].items()
        if isinstance(k, str) and check_entry(v) is None
    }
    changed = 0

    def change(stored: dict) -> None:
        nonlocal changed
        stored.update(_pending)
        for k, v in incoming.items():
            old = stored.get(k)
            if check_entry(old) is not None or old["at"] <= v["at"]:
                changed += old != v
                stored[k] = v

    _save(change)
    return changed


# ---------------------------------------------------------------- overview
def summary(questions, cases, lessons: dict[str, str] | None = None) -> list[dict]:
    """Per lesson: questions answered and right, case steps done and right first time.

    `questions` and `cases` are the course's records; only stored answers that still fit them
    count, so an edited question shows as not yet answered.
    """
    from hamfoot import quiz as marking

    stored, rows = answers(), {}

    def row(lesson: str) -> dict:
        return rows.setdefault(
            lesson,
            {
                "lesson": lesson,
                "title": (lessons or {}).get(lesson, ""),
                "questions": 0,
                "answered": 0,
                "right": 0,
                "steps": 0,
                "steps_done": 0,
                "steps_right": 0,
            },
        )

    for q in questions:
        r, e = row(q.lesson), stored.get(q.id)
        r["questions"] += 1
        if e and e["kind"] == "quiz" and marking.usable(q, e["chosen"]) is not None:
            r["answered"] += 1
            r["right"] += bool(marking.mark(q, marking.usable(q, e["chosen"]))[0])
    for lesson, case in cases:
        r = row(lesson)
        saved = {
            s.id: stored[f"{case.id}/{s.id}"]["chosen"]
            for s in case.steps
            if stored.get(f"{case.id}/{s.id}", {}).get("kind") == "case"
        }
        tries = marking.usable_tries(case, saved)
        r["steps"] += len(case.steps)
        r["steps_done"] += marking.solved_steps(case, tries)
        r["steps_right"] += sum(marking.first_try_right(s, t) for s, t in zip(case.steps, tries))
    return [rows[k] for k in sorted(rows)]
