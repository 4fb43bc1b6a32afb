"""The class's answers in front of the educator: per question, how many answered, the share right
and the most-chosen wrong option, from the files students' progress writes to the class folder.

Why: "hands up for B" only works if everyone sees the same B and the educator sees the votes.
Every student's quiz and case answers land in the class folder (``HAMFOOT_CLASS_DIR``, one JSON
file per pseudonym, written atomically by hamfoot.progress); this module only reads them. The
most-chosen wrong option is the misconception worth discussing, so it is named with its letter
(options are lettered A, B, C … in data order, as on every student's screen) and its text.

`class_results(lesson)` is the live widget (a Refresh button and an optional timer);
`hamfoot class-report FILES… [--out DIR]` writes the same table as CSV and a PNG figure, for
files collected by an LMS.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import re
import string
import sys
import tempfile
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

__all__ = [
    "FORMAT",
    "ClassError",
    "Option",
    "Question",
    "Row",
    "read_sheet",
    "read_sheets",
    "questions",
    "tally",
    "class_results",
    "report_main",
]

FORMAT = "hamfoot-progress/1"
KINDS = ("quiz", "case")
MAX_BYTES = 5_000_000
LETTERS = string.ascii_uppercase
CSV_FIELDS = [
    "lesson",
    "question",
    "kind",
    "prompt",
    "answered",
    "right",
    "share_right",
    "top_wrong_letter",
    "top_wrong_option",
    "top_wrong_count",
]


class ClassError(ValueError):
    """A class-folder file is unreadable or not a progress file; str() names file, entry, field."""


# ---------------------------------------------------------------- the course's questions
@dataclass(frozen=True)
class Option:
    id: str
    letter: str
    text: str


@dataclass(frozen=True)
class Question:
    """A quiz question or a case step, as the class sees it (lettered options in data order)."""

    key: str  # the answer key of COMMON interface 4: question id, or "<case id>/<step id>"
    kind: str  # "quiz" or "case"
    lesson: str | None
    prompt: str
    options: tuple[Option, ...]
    numeric: bool = False
    right: frozenset[str] = frozenset()  # ids of the right option(s)

    def option(self, option_id: str) -> Option:
        for o in self.options:
            if o.id == option_id:
                return o
        return Option(option_id, "?", f"(option {option_id!r} is no longer in the course)")


def _option_pairs(options) -> list[tuple[str, str]]:
    """(id, text) of each quiz option, in data order (COMMON interface 1: {id, text})."""
    return [(str(o.id), str(o.text)) for o in options]


def _right_ids(q) -> frozenset[str]:
    """The right option ids of a quiz question (none for a numeric one)."""
    if q.type == "numeric":
        return frozenset()
    answer = q.answer if isinstance(q.answer, (list, tuple)) else (q.answer,)
    return frozenset(str(a) for a in answer)


def _lettered(pairs: list[tuple[str, str]]) -> tuple[Option, ...]:
    return tuple(Option(i, LETTERS[n], t) for n, (i, t) in enumerate(pairs))


def questions(lesson: str | None = None, *, root=None) -> dict[str, Question]:
    """Every quiz question (of `lesson`, if given) and every case step, by answer key."""
    from hamfoot import content

    c = content.load(root)
    found: dict[str, Question] = {}
    for q in c.entries["quiz"]:
        if lesson is not None and str(q.lesson) != str(lesson):
            continue
        pairs = _option_pairs(q.options)
        found[q.id] = Question(
            q.id,
            "quiz",
            str(q.lesson),
            " ".join(str(q.prompt).split()),
            _lettered(pairs),
            numeric=q.type == "numeric",
            right=_right_ids(q),
        )
    for case in c.entries.get("cases", ()):
        for step in case.steps:
            pairs = [(str(ch.id), str(ch.label)) for ch in step.choices]
            key = f"{case.id}/{step.id}"
            found[key] = Question(
                key,
                "case",
                None,  # cases are played in a lesson; the answer files say which
                f"{case.title}: " + " ".join(str(step.prompt).split()),
                _lettered(pairs),
                right=frozenset(i for (i, _), ch in zip(pairs, step.choices) if ch.correct),
            )
    return found


# ---------------------------------------------------------------- the students' files
@dataclass(frozen=True)
class Answer:
    kind: str
    lesson: str
    chosen: tuple[str, ...] | float
    correct: bool


@dataclass(frozen=True)
class Sheet:
    """One student's answers (one file of the class folder)."""

    student: str
    file: str
    answers: dict[str, Answer] = field(default_factory=dict)


def _bad(file, entry: str, fld: str, why: str) -> ClassError:
    return ClassError(f"{file}: {entry}: field '{fld}': {why}")


def read_sheet(path: str | os.PathLike) -> Sheet:
    """One class-folder file, validated (COMMON interface 4); ClassError names file/entry/field."""
    p = Path(path)
    try:
        if p.stat().st_size > MAX_BYTES:
            raise ClassError(f"{p}: {p.stat().st_size:,} bytes is too large for a progress file")
        doc = json.loads(p.read_bytes().decode("utf-8"))
    except FileNotFoundError:
        raise ClassError(f"{p}: no such file") from None
    except IsADirectoryError:
        raise ClassError(f"{p}: is a folder, not a file") from None
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as e:
        raise ClassError(f"{p}: not a valid JSON progress file ({type(e).__name__})") from None
    if not isinstance(doc, dict):
        raise _bad(p, "document", "format", "expected a JSON object")
    if doc.get("format") != FORMAT:
        raise _bad(p, "document", "format", f"expected {FORMAT!r}, found {doc.get('format')!r}")
    student = doc.get("student")
    if not isinstance(student, str) or not student.strip():
        raise _bad(p, "document", "student", "a pseudonym (text) is required")
    raw = doc.get("answers")
    if not isinstance(raw, dict):
        raise _bad(p, "document", "answers", "expected a mapping of answer key to answer")
    answers = {}
    for key, a in raw.items():
        entry = f"answer {key!r}"
        if not isinstance(a, dict):
            raise _bad(p, entry, "answer", "expected a mapping")
        if a.get("kind") not in KINDS:
            raise _bad(p, entry, "kind", f"expected one of {', '.join(KINDS)}")
        lesson = a.get("lesson")
        if not isinstance(lesson, str) or not re.fullmatch(r"\d\d", lesson):
            raise _bad(p, entry, "lesson", 'expected a two-digit lesson number such as "09"')
        if not isinstance(a.get("correct"), bool):
            raise _bad(p, entry, "correct", "expected true or false")
        chosen = a.get("chosen")
        if isinstance(chosen, bool) or not (
            isinstance(chosen, (int, float))
            or (isinstance(chosen, list) and all(isinstance(c, str) for c in chosen))
        ):
            raise _bad(p, entry, "chosen", "expected a list of option ids or a number")
        chosen = float(chosen) if isinstance(chosen, (int, float)) else tuple(chosen)
        answers[key] = Answer(a["kind"], lesson, chosen, a["correct"])
    return Sheet(student.strip(), str(p), answers)


def _files(paths: Iterable[str | os.PathLike]) -> list[Path]:
    out: list[Path] = []
    for path in paths:
        p = Path(path)
        out.extend(sorted(p.glob("*.json")) if p.is_dir() else [p])
    return out


def read_sheets(paths: Iterable[str | os.PathLike], strict: bool = True):
    """(sheets, problems) of files or folders of files; strict: the first problem raises."""
    sheets, problems, seen = [], [], {}
    for p in _files(paths):
        try:
            sheet = read_sheet(p)
        except ClassError as e:
            if strict:
                raise
            problems.append(str(e))
            continue
        if sheet.student in seen:  # the same student handed in twice: count once
            problems.append(
                f"{p}: student {sheet.student!r} also in {seen[sheet.student]}; skipped"
            )
            continue
        seen[sheet.student] = p
        sheets.append(sheet)
    return sheets, problems


# ---------------------------------------------------------------- the table
@dataclass(frozen=True)
class Row:
    question: Question
    answered: int
    right: int
    top_wrong: tuple[str, str, int] | None  # (letter or "", option text or value, how many)

    @property
    def share_right(self) -> float | None:
        return self.right / self.answered if self.answered else None

    def csv(self) -> dict:
        share = self.share_right
        letter, text, count = self.top_wrong or ("", "", 0)
        return {
            "lesson": self.question.lesson or "",
            "question": self.question.key,
            "kind": self.question.kind,
            "prompt": self.question.prompt,
            "answered": self.answered,
            "right": self.right,
            "share_right": "" if share is None else f"{share:.3f}",
            "top_wrong_letter": letter,
            "top_wrong_option": text,
            "top_wrong_count": count,
        }


def _number(x: float) -> str:
    return f"{x:g}"


def tally(lesson: str | None, sheets: Iterable[Sheet], *, root=None) -> list[Row]:
    """One row per question of `lesson` (all lessons if None), in course order; case steps
    appear when someone answered them in that lesson."""
    sheets = list(sheets)
    known = questions(None, root=root)
    given: dict[str, list[Answer]] = {}
    for sheet in sheets:
        for key, a in sheet.answers.items():
            if lesson is None or a.lesson == lesson:
                given.setdefault(key, []).append(a)
    keys = [
        k
        for k, q in known.items()
        if (q.kind == "quiz" and (lesson is None or q.lesson == lesson) and (lesson or k in given))
        or (q.kind == "case" and k in given)
    ]
    keys += sorted(k for k in given if k not in known)  # answers to questions no longer in data
    rows = []
    for key in keys:
        answers = given.get(key, [])
        q = known.get(key) or Question(key, answers[0].kind, None, "(not in the course)", ())
        if q.kind == "case" and answers:
            q = Question(q.key, q.kind, answers[0].lesson, q.prompt, q.options, q.numeric, q.right)
        wrong = Counter()
        for a in answers:
            if a.correct:
                continue
            if isinstance(a.chosen, float):
                wrong[("", _number(a.chosen))] += 1
            else:  # every option picked that is not a right one (for "multiple", the extras)
                for oid in a.chosen:
                    if oid not in q.right:
                        o = q.option(oid)
                        wrong[(o.letter, o.text)] += 1
        top = None
        if wrong:
            (letter, text), count = sorted(wrong.items(), key=lambda kv: (-kv[1], kv[0]))[0]
            top = (letter, text, count)
        rows.append(Row(q, len(answers), sum(a.correct for a in answers), top))
    return rows


def table_text(rows: list[Row], width: int = 60) -> str:
    """The table as plain text for a terminal."""
    lines = [f"{'Question':<34} {'Answered':>8} {'Right':>6}  Most-chosen wrong option"]
    for r in rows:
        share = "—" if r.share_right is None else f"{r.share_right:.0%}"
        wrong = "—"
        if r.top_wrong:
            letter, text, count = r.top_wrong
            short = text if len(text) <= width else text[: width - 1] + "…"
            wrong = f"{letter + ' · ' if letter else ''}{short} ({count})"
        lines.append(f"{r.question.key:<34} {r.answered:>8} {share:>6}  {wrong}")
    return "\n".join(lines)


def table_html(rows: list[Row], n_students: int) -> str:
    from hamfoot.widgets.common import esc

    head = (
        "<tr><th scope='col'>Question</th><th scope='col'>Answered</th>"
        "<th scope='col'>Right</th><th scope='col'>Most-chosen wrong option</th></tr>"
    )
    body = []
    for n, r in enumerate(rows, 1):
        share = "—" if r.share_right is None else f"{r.share_right:.0%} ({r.right})"
        wrong = "—"
        if r.top_wrong:
            letter, text, count = r.top_wrong
            wrong = (
                f"<strong>{esc(letter)}</strong> {esc(text)} ({count})"
                if letter
                else (f"{esc(text)} ({count})")
            )
        body.append(
            f"<tr><th scope='row'>{n}. {esc(r.question.prompt)}</th>"
            f"<td>{r.answered} of {n_students}</td><td>{share}</td><td>{wrong}</td></tr>"
        )
    return f"<table><caption>The class's answers</caption>{head}{''.join(body)}</table>"


def summary_words(rows: list[Row], n_students: int) -> str:
    """The table in one or two sentences (the figure's text alternative)."""
    answered = [r for r in rows if r.answered]
    if not answered:
        return f"No answers yet from {n_students} student file(s)."
    hardest = min(answered, key=lambda r: (r.share_right, r.question.key))
    text = (
        f"{len(answered)} of {len(rows)} questions answered by up to "
        f"{max(r.answered for r in rows)} of {n_students} students; the hardest was "
        f"{hardest.question.key} with {hardest.share_right:.0%} right"
    )
    if hardest.top_wrong:
        letter, option, count = hardest.top_wrong
        text += f", where {count} chose {letter + ' ' if letter else ''}“{option}”"
    return text + "."


def figure(rows: list[Row], n_students: int):
    """Share right per question as labelled bars (numbers printed on each bar, not colour)."""
    from hamfoot.plots.style import new_figure

    height = max(2.2, 0.42 * len(rows) + 1.2)
    fig, ax = new_figure(7.2, height)
    labels = [r.question.key for r in rows][::-1]
    shares = [100 * (r.share_right or 0) for r in rows][::-1]
    ax.barh(labels, shares, color="#0072B2", edgecolor="black", linewidth=0.6)
    for y, r in enumerate(rows[::-1]):
        tag = "no answers" if not r.answered else f"{r.share_right:.0%} of {r.answered}"
        if r.top_wrong and r.top_wrong[0]:
            tag += f" · wrong: {r.top_wrong[0]} ×{r.top_wrong[2]}"
        ax.text(101, y, tag, va="center", fontsize=8)
    ax.set_xlim(0, 160)
    ax.set_xticks([0, 25, 50, 75, 100])
    ax.set_xlabel("Share of answers that were right (%)")
    ax.set_title(f"The class's answers ({n_students} students)")
    return fig


def _atomic_write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_report(rows: list[Row], n_students: int, out: Path, stem: str = "class-report"):
    """CSV + PNG (+ the PNG's text alternative beside it); → (csv path, png path)."""
    import io

    from hamfoot.plots.style import figure_png

    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=CSV_FIELDS, lineterminator="\n")
    writer.writeheader()
    for r in rows:
        writer.writerow(r.csv())
    csv_path, png_path = out / f"{stem}.csv", out / f"{stem}.png"
    _atomic_write(csv_path, buf.getvalue().encode("utf-8"))
    _atomic_write(png_path, figure_png(figure(rows, n_students)))
    _atomic_write(out / f"{stem}.txt", (summary_words(rows, n_students) + "\n").encode("utf-8"))
    return csv_path, png_path


# ---------------------------------------------------------------- the live widget
def class_dir(path: str | os.PathLike | None = None) -> Path:
    chosen = path or os.environ.get("HAMFOOT_CLASS_DIR")
    if not chosen:
        raise ClassError(
            "No class folder: set HAMFOOT_CLASS_DIR (the hub does) or pass class_dir=…"
        )
    return Path(chosen).expanduser()


class ClassResults:
    """The educator's live table; `refresh()` re-reads the class folder."""

    def __init__(self, lesson: str, folder: Path, every: float | None = None, root=None):
        import ipywidgets as w

        from hamfoot.widgets.common import FULL, KeyboardSafeBox

        self.lesson, self.folder, self.root = lesson, folder, root
        self.status = w.HTML(layout=FULL)
        self.table = w.HTML(layout=FULL)
        self.button = w.Button(
            description="Refresh", tooltip="Read the class folder again", icon="refresh"
        )
        self.auto = w.Checkbox(
            value=bool(every), description="Refresh every 10 seconds", indent=False
        )
        self.every = every or 10.0
        self.rows: list[Row] = []
        self.problems: list[str] = []
        self._timer = None
        self.button.on_click(lambda _: self.refresh())
        self.auto.observe(lambda change: self._schedule(), names="value")
        self.box = KeyboardSafeBox([w.HBox([self.button, self.auto]), self.status, self.table])
        self.refresh()
        self._schedule()

    def refresh(self) -> None:
        from hamfoot.widgets.common import esc

        files = sorted(self.folder.glob("*.json")) if self.folder.is_dir() else []
        sheets, self.problems = read_sheets(files, strict=False)
        self.rows = tally(self.lesson, sheets, root=self.root)
        self.n_students = len(sheets)
        note = f"<p role='status'>Lesson {esc(self.lesson)}: {len(sheets)} student file(s) in "
        note += f"<code>{esc(self.folder)}</code>. {esc(summary_words(self.rows, len(sheets)))}</p>"
        if self.problems:
            note += "<p>Skipped: " + "; ".join(esc(p) for p in self.problems[:5]) + "</p>"
        self.status.value = note
        self.table.value = table_html(self.rows, len(sheets))

    def _schedule(self) -> None:
        import asyncio

        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        if not self.auto.value:
            return
        try:
            loop = asyncio.get_event_loop()
        except RuntimeError:
            return
        if not loop.is_running():
            return  # outside a kernel (tests): the button still works

        def tick():
            self.refresh()
            self._schedule()

        self._timer = loop.call_later(self.every, tick)


def class_results(lesson: str, class_dir_path: str | os.PathLike | None = None, every=None):
    """The educator's live view of the class's answers to `lesson`'s questions and cases.

    Reads `HAMFOOT_CLASS_DIR` (or `class_dir_path`); press Refresh, or tick the box to refresh
    every 10 s (`every=` seconds starts it ticked)."""
    lesson = str(lesson).zfill(2) if str(lesson).isdigit() else str(lesson)
    results = ClassResults(lesson, class_dir(class_dir_path), every)
    results.box.results = results  # reachable from the displayed widget, for tests
    return results.box


# ---------------------------------------------------------------- hamfoot class-report
def report_main(argv: list[str] | None = None) -> int:
    """`hamfoot class-report FILES… [--lesson NN] [--out DIR]`: table, CSV and PNG figure."""
    parser = argparse.ArgumentParser(
        prog="hamfoot class-report",
        description="Summarise a class's answer files (or folders of them): per question, how "
        "many answered, the share right and the most-chosen wrong option.",
    )
    parser.add_argument("files", nargs="+", help="progress files or class folders")
    parser.add_argument("--lesson", help="only this lesson, e.g. 09 (default: every lesson)")
    parser.add_argument("--out", default=".", help="folder for class-report.csv/.png (default: .)")
    args = parser.parse_args(argv)
    try:
        files = _files(args.files)
        if not files:
            raise ClassError(f"no .json files in {', '.join(args.files)}")
        sheets, problems = read_sheets(files, strict=False)
        for p in problems:
            print(f"hamfoot class-report: skipped {p}", file=sys.stderr)
        if not sheets:
            raise ClassError("none of the files is a readable progress file")
        lesson = args.lesson
        if lesson and lesson.isdigit():
            lesson = lesson.zfill(2)
        rows = tally(lesson, sheets)
        csv_path, png_path = write_report(rows, len(sheets), Path(args.out))
    except (ClassError, ValueError, OSError) as e:
        print(f"hamfoot class-report: {e}", file=sys.stderr)
        return 2
    print(f"{len(sheets)} students, lesson {lesson or 'all'}")
    print(table_text(rows))
    print(summary_words(rows, len(sheets)))
    print(f"wrote {csv_path} and {png_path}")
    return 0
