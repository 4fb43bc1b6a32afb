"""`hamfoot lessons DIR` / `hamfoot start DIR` copy the lessons into the learner's folder: first
use copies all, an edited copy is never overwritten, a new lesson is added, and a copy the
learner never touched follows an updated lesson. A folder that cannot be written is one line."""

from __future__ import annotations

import json

import pytest

from hamfoot import lessons
from hamfoot.cli import main


@pytest.fixture
def shipped(tmp_path, monkeypatch):
    source = tmp_path / "shipped"
    source.mkdir()
    for name in ("00-a.ipynb", "01-b.ipynb"):
        (source / name).write_text(json.dumps({"cells": [], "name": name}))
    monkeypatch.setattr(lessons, "source", lambda: source)
    return source


def test_the_real_package_ships_ten_lessons():
    assert len(lessons.shipped()) == 10
    assert lessons.shipped()[0].name == "00-start-here.ipynb"


def test_first_use_copies_every_lesson(shipped, tmp_path):
    done = lessons.copy_lessons(tmp_path / "course")
    assert done.added == ["00-a.ipynb", "01-b.ipynb"]
    assert (tmp_path / "course" / "01-b.ipynb").read_bytes() == (
        shipped / "01-b.ipynb"
    ).read_bytes()


def test_an_edited_copy_is_kept_and_new_or_untouched_lessons_follow(shipped, tmp_path):
    course = tmp_path / "course"
    lessons.copy_lessons(course)
    (course / "00-a.ipynb").write_text("my notes")  # the learner's work
    (shipped / "00-a.ipynb").write_text('{"cells": [], "v": 2}')  # a new version ships ...
    (shipped / "01-b.ipynb").write_text('{"cells": [], "v": 2}')
    (shipped / "02-c.ipynb").write_text('{"cells": []}')  # ... with a new lesson
    done = lessons.copy_lessons(course)
    assert done.kept == ["00-a.ipynb"] and (course / "00-a.ipynb").read_text() == "my notes"
    assert done.updated == ["01-b.ipynb"] and '"v": 2' in (course / "01-b.ipynb").read_text()
    assert done.added == ["02-c.ipynb"]
    again = lessons.copy_lessons(course)
    assert again.kept == ["00-a.ipynb"] and not again.added and not again.updated
    assert not list(course.glob(".*.tmp")), "a temporary file was left behind"


def test_a_folder_that_cannot_be_written_is_one_line(shipped, tmp_path, capsys):
    (tmp_path / "a-file").write_text("")
    assert main(["lessons", str(tmp_path / "a-file" / "course")]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "cannot write the lessons" in err[0]


def test_a_missing_tool_module_is_one_line(capsys, monkeypatch):
    import hamfoot.cli as cli

    monkeypatch.setitem(cli.PASS_THROUGH, "present", ("hamfoot.no_such_module", "main", "x"))
    assert main(["present", "00"]) == 2
    assert "not part of this installation" in capsys.readouterr().err


def test_version_and_check_dispatch(capsys, monkeypatch):
    import hamfoot.check

    with pytest.raises(SystemExit) as exit:
        main(["--version"])
    assert exit.value.code == 0 and capsys.readouterr().out.startswith("hamfoot 0.")
    calls = []
    monkeypatch.setattr(hamfoot.check, "run", lambda **kw: calls.append(kw) or 0)
    assert main(["check"]) == 0 and calls[-1] == {"root": None}
    assert main(["check", "--root", "x", "--references"]) == 0
    assert calls[-1] == {"root": "x", "references": True}
    assert main(["check", "some/dir"]) == 0 and calls[-1] == {"root": "some/dir"}
