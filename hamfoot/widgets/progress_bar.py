"""Saved progress on screen: the save status line, the copy bar for moving machines, and the
course progress overview of lessons 00 and 09.

Why a module of its own: the quiz and the case player both save every answer by themselves
(hamfoot.progress) and both offer the same "Save a copy" / "Load a copy" bar; one implementation
keeps their wording and their error handling the same.
"""

from __future__ import annotations

from collections.abc import Callable

import ipywidgets as w

from hamfoot import content, progress
from hamfoot.progress import ProgressError
from hamfoot.widgets.common import WIDE, KeyboardSafeBox, esc, note_html

__all__ = [
    "ROW",
    "save_answer",
    "forget_answers",
    "progress_controls",
    "course_progress",
    "overview_html",
]


# A row of controls that wraps onto a second line on a narrow screen instead of squeezing its
# buttons to stubs or pushing them off the edge (shared, never mutated).
ROW = w.Layout(flex_flow="row wrap", width="auto", align_items="center")
_BUTTON = w.Layout(width="auto", flex="0 0 auto")


def _where() -> str:
    return str(progress.store_path())


def save_answer(status: w.HTML, key: str, kind: str, lesson: str, chosen, correct: bool) -> None:
    """Store one answer and say so in `status`; a failed save is reported, never raised."""
    try:
        note = progress.record(key, kind, lesson, chosen, correct)
    except ProgressError as e:
        status.value = note_html("Not saved yet", str(e))
        return
    status.value = (
        note_html("Saved", note)
        if note
        else f"<p><small>Your answers are saved automatically in {esc(_where())}.</small></p>"
    )


def forget_answers(status: w.HTML, keys) -> None:
    """Remove answers from the store after a deliberate restart; failures are reported."""
    try:
        note = progress.forget(keys)
    except ProgressError as e:
        status.value = note_html("Could not update the saved answers", str(e))
        return
    if note:
        status.value = note_html("Saved", note)


def progress_controls(reapply: Callable[[], str], what: str) -> w.VBox:
    """A file-name box with "Save a copy" and "Load a copy" buttons, for moving between machines.

    Answers are saved by themselves; this bar copies the whole course store to a file the learner
    names, or merges such a file back in and then calls `reapply()`, which shows the loaded answers
    in this widget and returns a sentence saying what changed.
    """
    file = w.Text(
        value=progress.DEFAULT_COPY,
        description="Copy file",
        style=WIDE,
        layout=w.Layout(width="auto", min_width="24em", flex="1 1 24em", max_width="32em"),
        tooltip="A file name; saved beside this notebook unless you give a folder",
    )
    save = w.Button(
        description="Save a copy",
        tooltip="Copy all your saved answers to the file named on the left",
        layout=_BUTTON,
    )
    load = w.Button(
        description="Load a copy",
        tooltip=f"Add the answers in the file named on the left to your {what}",
        layout=_BUTTON,
    )
    status = w.HTML()

    def on_save(_=None) -> None:
        try:
            path, n = progress.export(file.value)
            status.value = note_html(
                "Copied",
                f"{n} saved answer{'s' * (n != 1)} of the whole course to {path.resolve()}. "
                "Load it on the other computer with “Load a copy”.",
            )
        except ProgressError as e:
            status.value = note_html("Could not save a copy", str(e))

    def on_load(_=None) -> None:
        try:
            n = progress.import_file(file.value)
        except ProgressError as e:
            status.value = note_html("Could not load", str(e))
            return
        status.value = note_html(
            "Loaded", f"{n} answer{'s' * (n != 1)} added or updated. {reapply()}"
        )

    save.on_click(on_save)
    load.on_click(on_load)
    box = w.VBox([w.HBox([file, save, load], layout=ROW), status])
    box.file, box.save, box.load, box.status = file, save, load, status
    return box


def _case_lessons() -> list[tuple[str, object]]:
    from hamfoot.widgets.cases import case_lesson

    lesson = case_lesson()
    return [(lesson, content.get("cases", i)) for i in content.cases()["id"]]


def overview_html() -> str:
    """The course progress table as HTML: per lesson, questions answered and right, case steps."""
    toc = content.toc()
    titles = dict(zip(toc.index, toc["title"]))
    questions = [content.get("quiz", i) for i in content.quiz()["id"]]
    rows = progress.summary(questions, _case_lessons(), titles)
    body = "".join(
        f"<tr><th scope='row'>{esc(r['lesson'])} · {esc(r['title'])}</th>"
        f"<td>{r['answered']} of {r['questions']}</td><td>{r['right']}</td>"
        + (
            f"<td>{r['steps_done']} of {r['steps']} (right first time: {r['steps_right']})</td>"
            if r["steps"]
            else "<td>—</td>"
        )
        + "</tr>"
        for r in rows
    )
    answered = sum(r["answered"] for r in rows)
    total = sum(r["questions"] for r in rows)
    right = sum(r["right"] for r in rows)
    return (
        f"<p role='status'><strong>Course progress:</strong> {answered} of {total} questions "
        f"answered, {right} right.</p>"
        "<table><caption>Your saved answers, lesson by lesson</caption><thead><tr>"
        "<th scope='col'>Lesson</th><th scope='col'>Questions answered</th>"
        "<th scope='col'>Answered right</th><th scope='col'>Case steps solved</th>"
        f"</tr></thead><tbody>{body}</tbody></table>"
        f"<p><small>Saved automatically in {esc(_where())}.</small></p>"
    )


def course_progress() -> KeyboardSafeBox:
    """The course progress overview, with a Refresh button (answers saved in other lessons)."""
    table = w.HTML(overview_html())
    refresh = w.Button(
        description="Refresh",
        tooltip="Read the saved answers again, e.g. after another lesson",
        layout=_BUTTON,
    )

    status = w.HTML("")
    times = [0]

    def on_refresh(_=None) -> None:
        # Say that it happened: with nothing new saved the table itself does not change.
        table.value = overview_html()
        times[0] += 1
        status.value = f'<p role="status">Read the saved answers again ({times[0]}×).</p>'

    refresh.on_click(on_refresh)
    box = KeyboardSafeBox([table, w.HBox([refresh, status], layout=ROW)])
    box.table, box.refresh, box.status = table, refresh, status
    return box
