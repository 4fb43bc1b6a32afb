"""Saving learner progress: round trip, atomic writes, and every kind of bad file refused in words."""

from __future__ import annotations

import json

import pytest

from hamfoot import progress
from hamfoot.progress import ProgressError

QUIZ = {"q1": {"answer": 2, "checked": True}, "q2": {"answer": [0, 3], "checked": False}}


def test_round_trip_and_sections_merge(tmp_path):
    path = tmp_path / "mine.json"
    assert progress.save("quiz", QUIZ, path) == path
    progress.save("cases", {"c1": {"tries": [[1, 0]]}}, path)
    progress.save(
        "quiz", {"q3": {"answer": "12.5", "checked": True}}, path
    )  # another lesson's quiz
    assert progress.load("quiz", path) == {**QUIZ, "q3": {"answer": "12.5", "checked": True}}
    assert progress.load("cases", path) == {"c1": {"tries": [[1, 0]]}}
    assert [p.name for p in tmp_path.iterdir()] == ["mine.json"]  # no temporary file left


def test_default_file_is_relative_so_it_lands_beside_the_notebook(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    progress.save("quiz", QUIZ)
    assert (tmp_path / progress.DEFAULT_FILE).is_file()
    assert progress.load("quiz") == QUIZ


def _crash_midway(doc, f, **kw):
    f.write(json.dumps(doc)[:10])  # half a file reaches the disk, then the kernel dies
    raise KeyboardInterrupt


@pytest.mark.parametrize("where", ["dump", "replace", "fsync"])
def test_interrupted_write_keeps_the_old_file_and_leaves_no_partial_file(
    tmp_path, monkeypatch, where
):
    path = tmp_path / "p.json"
    progress.save("quiz", QUIZ, path)
    before = path.read_bytes()
    if where == "dump":
        monkeypatch.setattr(progress.json, "dump", _crash_midway)
    else:

        def fail(*a, **k):
            raise OSError(28, "No space left on device")

        monkeypatch.setattr(progress.os, where, fail)
    with pytest.raises((KeyboardInterrupt, ProgressError)) as info:
        progress.save("quiz", {"q9": {"answer": 1, "checked": True}}, path)
    if where != "dump":
        assert "No space left" in str(info.value) and "unchanged" in str(info.value)
    monkeypatch.undo()
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["p.json"]
    assert progress.load("quiz", path) == QUIZ


BAD_FILES = {
    "truncated": lambda good: good[: len(good) // 2],
    "empty": lambda good: b"",
    "not-json": lambda good: b"answers: [1, 2]\n",
    "not-utf8": lambda good: b'{"format": "hamfoot-progress", "x": "\xff\xfe"}',
    "binary": lambda good: bytes(range(256)),
    "json-list": lambda good: b"[1, 2, 3]",
    "other-json": lambda good: b'{"cells": [], "nbformat": 4}',
    "newer-version": lambda good: good.replace(b'"version": 1', b'"version": 2'),
    "section-not-mapping": lambda good: good.replace(b'"cases": {}', b'"cases": [1]'),
    "deep-nesting": lambda good: b"[" * 100_000,
}


@pytest.mark.parametrize("kind", BAD_FILES)
def test_bad_files_raise_progress_error_in_words(tmp_path, kind):
    path = tmp_path / "p.json"
    progress.save("quiz", QUIZ, path)
    path.write_bytes(BAD_FILES[kind](path.read_bytes()))
    with pytest.raises(ProgressError) as info:
        progress.load("quiz", path)
    message = str(info.value)
    assert str(path) in message and "Traceback" not in message
    # ...and saving over it refuses, so a file that is not ours is never destroyed
    damaged = path.read_bytes()
    with pytest.raises(ProgressError, match="not overwritten"):
        progress.save("quiz", QUIZ, path)
    assert path.read_bytes() == damaged


@pytest.mark.parametrize(
    "name", ["", "   ", "a\0b", "x" * 5000, "{folder}", "{folder}/missing/p.json"]
)
def test_unusable_names_give_words_not_tracebacks(tmp_path, name):
    name = name.format(folder=tmp_path)
    for call in (lambda: progress.load("quiz", name), lambda: progress.save("quiz", QUIZ, name)):
        with pytest.raises(ProgressError):
            call()


def test_missing_file_says_save_first(tmp_path):
    with pytest.raises(ProgressError, match="Save your progress first"):
        progress.load("quiz", tmp_path / "nothing.json")


def test_oversized_file_is_refused_without_reading_it(tmp_path, monkeypatch):
    path = tmp_path / "p.json"
    progress.save("quiz", QUIZ, path)
    monkeypatch.setattr(progress, "MAX_BYTES", 10)
    with pytest.raises(ProgressError, match="too large"):
        progress.load("quiz", path)


def test_unserialisable_state_is_a_progress_error_and_writes_nothing(tmp_path):
    path = tmp_path / "p.json"
    with pytest.raises(ProgressError):
        progress.save("quiz", {"q": {"answer": float("nan")}}, path)
    assert list(tmp_path.iterdir()) == []


def test_unknown_section_is_a_programming_error():
    with pytest.raises(ValueError, match="section"):
        progress.load("marks", "x.json")


def test_unwritable_folder_is_reported(tmp_path, monkeypatch):
    def denied(*a, **k):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(progress.tempfile, "NamedTemporaryFile", denied)
    with pytest.raises(ProgressError, match="Could not save .*Permission denied"):
        progress.save("quiz", QUIZ, tmp_path / "p.json")
    assert list(tmp_path.iterdir()) == []
