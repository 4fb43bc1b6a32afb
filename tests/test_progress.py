"""The course-wide progress store: where it lives, atomic and concurrent writes, the class-folder
copy, copies for moving machines, and every kind of bad file handled in words."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from hamfoot import progress
from hamfoot.progress import FORMAT, ProgressError


@pytest.fixture
def store(tmp_path, monkeypatch) -> Path:
    p = tmp_path / "data" / "progress.json"
    monkeypatch.setenv("HAMFOOT_PROGRESS", str(p))
    progress._pending.clear()
    yield p
    progress._pending.clear()


def test_store_lives_in_the_env_path_or_the_user_data_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("HAMFOOT_PROGRESS", str(tmp_path / "x.json"))
    assert progress.store_path() == tmp_path / "x.json"
    monkeypatch.delenv("HAMFOOT_PROGRESS")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    if sys.platform.startswith("linux"):
        assert progress.store_path() == tmp_path / "xdg" / "hamfoot" / "progress.json"
    repo = Path(__file__).resolve().parents[1]
    assert repo not in progress.store_path().parents  # never inside the tracked lessons


def test_record_writes_the_agreed_format_at_once(store):
    assert progress.record("q03-x", "quiz", "03", ["calf-left-out"], True) is None
    progress.record("s1/examination", "case", "08", ["ake", "slr-remote"], False)
    doc = json.loads(store.read_text())
    assert doc["format"] == FORMAT == "hamfoot-progress/1"
    assert doc["student"] == progress.pseudonym()
    assert set(doc) == {"format", "student", "answers"}
    q = doc["answers"]["q03-x"]
    assert q == {**q, "kind": "quiz", "lesson": "03", "chosen": ["calf-left-out"], "correct": True}
    assert q["at"].endswith("Z") and len(q["at"]) == 20
    assert doc["answers"]["s1/examination"]["chosen"] == ["ake", "slr-remote"]
    assert sorted(p.name for p in store.parent.iterdir()) == ["progress.json", "progress.json.lock"]
    assert progress.answers() == doc["answers"]


def test_numbers_are_stored_as_numbers_and_forget_removes_only_its_keys(store):
    progress.record("q-num", "quiz", "02", 5.8, True)
    progress.record("q-other", "quiz", "02", ["a"], False)
    progress.forget(["q-num"])
    assert list(progress.answers()) == ["q-other"]
    assert json.loads(store.read_text())["answers"]["q-other"]["chosen"] == ["a"]


def _crash(*a, **k):
    raise KeyboardInterrupt


@pytest.mark.parametrize("where", ["dump", "replace", "fsync"])
def test_an_interrupted_write_keeps_the_old_file_whole(store, monkeypatch, where):
    progress.record("q1", "quiz", "01", ["a"], True)
    before = store.read_bytes()
    target = {"dump": (progress.json, "dump"), "replace": (os, "replace"), "fsync": (os, "fsync")}
    monkeypatch.setattr(*target[where], _crash)
    with pytest.raises(KeyboardInterrupt):
        progress.record("q2", "quiz", "01", ["b"], True)
    monkeypatch.undo()
    assert store.read_bytes() == before
    assert not [p for p in store.parent.iterdir() if p.name.endswith(".tmp")]


def test_a_damaged_store_is_kept_aside_and_a_new_one_started(store):
    progress.record("q1", "quiz", "01", ["a"], True)
    store.write_text('{"format": "hamfoot-progress/1", "answ')
    note = progress.record("q2", "quiz", "01", ["b"], True)
    assert note and "damaged" in note
    assert list(progress.answers()) == ["q2"]
    kept = [p for p in store.parent.iterdir() if ".damaged-" in p.name]
    assert len(kept) == 1 and kept[0].read_text().endswith('"answ')


@pytest.mark.parametrize(
    "text", ['{"cells": [], "nbformat": 4}', '{"format": "hamfoot-progress", "version": 1}']
)
def test_a_file_that_is_not_a_store_is_never_overwritten(store, text):
    store.parent.mkdir(parents=True)
    store.write_text(text)
    with pytest.raises(ProgressError, match="not overwritten|older hamfoot"):
        progress.record("q1", "quiz", "01", ["a"], True)
    assert store.read_text() == text
    assert progress.answers() == {"q1": progress._pending["q1"]}  # kept, not lost


def test_an_unwritable_location_keeps_the_answer_and_says_so(tmp_path, monkeypatch):
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    monkeypatch.setenv("HAMFOOT_PROGRESS", str(blocker / "progress.json"))  # parent is a file
    progress._pending.clear()
    with pytest.raises(ProgressError) as e:
        progress.record("q1", "quiz", "01", ["a"], True)
    message = str(e.value)
    assert "Could not save" in message and "HAMFOOT_PROGRESS" in message
    assert "q1" in progress.answers()  # still shown and still offered to "Save a copy"
    good = tmp_path / "ok" / "progress.json"
    monkeypatch.setenv("HAMFOOT_PROGRESS", str(good))
    progress.record("q2", "quiz", "01", ["b"], False)  # the next save writes both
    assert set(json.loads(good.read_text())["answers"]) == {"q1", "q2"}
    progress._pending.clear()


def test_entries_of_the_wrong_shape_are_ignored_one_by_one(store):
    progress.record("good", "quiz", "01", ["a"], True)
    doc = json.loads(store.read_text())
    doc["answers"]["bad-kind"] = {**doc["answers"]["good"], "kind": "essay"}
    doc["answers"]["bad-chosen"] = {**doc["answers"]["good"], "chosen": [1, 2]}
    doc["answers"]["bad-nan"] = {**doc["answers"]["good"], "chosen": "NaN"}
    doc["answers"]["no-time"] = {k: v for k, v in doc["answers"]["good"].items() if k != "at"}
    store.write_text(json.dumps(doc))
    assert list(progress.answers()) == ["good"]
    progress.record("later", "quiz", "01", ["b"], True)  # other entries are left as they were
    assert "bad-kind" in json.loads(store.read_text())["answers"]


def test_the_class_copy_carries_only_well_formed_answers(store, tmp_path, monkeypatch):
    folder = tmp_path / "class"
    folder.mkdir()
    monkeypatch.setenv("HAMFOOT_CLASS_DIR", str(folder))
    monkeypatch.setenv("HAMFOOT_STUDENT", "p1")
    progress.record("good", "quiz", "01", ["a"], True)
    doc = json.loads(store.read_text())
    doc["answers"]["bad"] = {"kind": "quiz"}
    store.write_text(json.dumps(doc))
    progress.record("later", "quiz", "01", ["b"], True)
    assert set(json.loads((folder / "p1.json").read_text())["answers"]) == {"good", "later"}


def test_class_folder_copy_and_pseudonym(store, tmp_path, monkeypatch):
    folder = tmp_path / "class"
    folder.mkdir()
    monkeypatch.setenv("HAMFOOT_CLASS_DIR", str(folder))
    monkeypatch.setenv("HAMFOOT_STUDENT", "table 4/seat 2")
    progress.record("q1", "quiz", "01", ["a"], True)
    copy = folder / "table-4-seat-2.json"
    assert json.loads(copy.read_text()) == json.loads(store.read_text())
    assert [p.name for p in folder.iterdir()] == ["table-4-seat-2.json"]
    monkeypatch.delenv("HAMFOOT_STUDENT")
    anon = progress.pseudonym()
    assert anon.startswith("s-") and len(anon) == 14 and anon == progress.pseudonym()
    import getpass

    assert getpass.getuser() not in anon
    monkeypatch.setenv("HAMFOOT_CLASS_DIR", str(tmp_path / "missing"))
    note = progress.record("q2", "quiz", "01", ["b"], True)
    assert note and "not in the class folder" in note
    assert "q2" in json.loads(store.read_text())["answers"]  # saved on this computer all the same


def test_pseudonyms_are_salted_per_class_stable_within_it_and_not_the_plain_hash(
    store, tmp_path, monkeypatch
):
    import getpass
    import hashlib

    monkeypatch.delenv("HAMFOOT_STUDENT", raising=False)
    plain = "s-" + hashlib.sha256(f"hamfoot-student:{getpass.getuser()}".encode()).hexdigest()[:12]
    monkeypatch.delenv("HAMFOOT_CLASS_DIR", raising=False)
    assert progress.pseudonym() == plain  # no class: nothing to salt with, as before
    names = {}
    for course in ("physio-a", "physio-b"):
        folder = tmp_path / course
        folder.mkdir()
        monkeypatch.setenv("HAMFOOT_CLASS_DIR", str(folder))
        progress.record(f"q-{course}", "quiz", "01", ["a"], True)
        salt = folder / progress.SALT_FILE
        assert len(salt.read_text().strip()) == 32 and salt.stat().st_mode & 0o777 == 0o644
        names[course] = progress.pseudonym()
        assert sorted(p.name for p in folder.glob("*.json")) == [f"{names[course]}.json"]
        progress._salts.clear()  # a new kernel of the same student reads the same salt
        assert progress.pseudonym() == names[course]
    assert plain not in names.values()
    assert names["physio-a"] != names["physio-b"]  # two classes cannot be linked by the name


SALT_MAKER = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from hamfoot import progress
    print("ready", flush=True)
    sys.stdin.readline()
    print(progress.class_salt(Path(sys.argv[1])), flush=True)
    """
)


def test_students_saving_at_once_share_one_salt(tmp_path):
    """Six kernels make the class's salt at the same moment: one file, one salt for all."""
    folder = tmp_path / "class"
    folder.mkdir()
    script = tmp_path / "salt.py"
    script.write_text(SALT_MAKER)
    procs = [
        subprocess.Popen(
            [sys.executable, str(script), str(folder)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        for _ in range(6)
    ]
    for p in procs:
        assert p.stdout.readline() == "ready\n"
    for p in procs:
        p.stdin.write("go\n")
        p.stdin.flush()
    salts = {p.communicate(timeout=60)[0].strip() for p in procs}
    assert salts == {(folder / progress.SALT_FILE).read_text().strip()}
    assert [p.name for p in folder.iterdir()] == [progress.SALT_FILE]  # no temporary file left


def test_without_a_usable_salt_nothing_lands_in_the_class_folder(store, tmp_path, monkeypatch):
    folder = tmp_path / "class"
    folder.mkdir()
    (folder / progress.SALT_FILE).write_text("")  # emptied by hand: not ours to replace
    monkeypatch.setenv("HAMFOOT_CLASS_DIR", str(folder))
    monkeypatch.delenv("HAMFOOT_STUDENT", raising=False)
    note = progress.record("q1", "quiz", "01", ["a"], True)
    assert note and progress.SALT_FILE in note and "not in the class folder" in note
    assert list(folder.glob("*.json")) == []  # no guessable name, no second file later
    assert "q1" in json.loads(store.read_text())["answers"]  # saved on this computer


def test_copy_for_another_machine_round_trips_and_the_later_answer_wins(
    store, tmp_path, monkeypatch
):
    progress.record("q1", "quiz", "01", ["a"], True)
    progress.record("q2", "quiz", "01", ["b"], False)
    path, n = progress.export(tmp_path / "usb.json")
    assert n == 2 and json.loads(path.read_text())["format"] == FORMAT
    monkeypatch.setenv("HAMFOOT_PROGRESS", str(tmp_path / "laptop" / "progress.json"))
    progress.record("q2", "quiz", "01", ["c"], True)  # answered again, later, on the laptop
    doc = json.loads(progress.store_path().read_text())
    doc["answers"]["q2"]["at"] = "2999-01-01T00:00:00Z"
    progress.store_path().write_text(json.dumps(doc))
    assert progress.import_file(path) == 1
    got = progress.answers()
    assert got["q1"]["chosen"] == ["a"] and got["q2"]["chosen"] == ["c"]


@pytest.mark.parametrize(
    "content, words",
    [
        (None, "There is no file"),
        (b"\xff\xfe\x00", "not a text file"),
        (b"not json", "not valid JSON"),
        (b'{"format": "other"}', "not a hamfoot progress file"),
        (b'{"format": "hamfoot-progress", "version": 1, "quiz": {}}', "older hamfoot"),
        (b'{"format": "hamfoot-progress/1", "answers": []}', "not a mapping"),
    ],
)
def test_loading_a_bad_copy_is_refused_in_words_and_changes_nothing(
    store, tmp_path, content, words
):
    progress.record("q1", "quiz", "01", ["a"], True)
    before = store.read_bytes()
    bad = tmp_path / "bad.json"
    if content is not None:
        bad.write_bytes(content)
    with pytest.raises(ProgressError, match=words):
        progress.import_file(bad)
    assert store.read_bytes() == before


def test_a_copy_never_overwrites_a_file_that_is_not_ours(store, tmp_path):
    notebook = tmp_path / "08-clinical-cases.ipynb"
    notebook.write_text('{"cells": []}')
    with pytest.raises(ProgressError, match="not overwritten"):
        progress.export(notebook)
    assert notebook.read_text() == '{"cells": []}'
    with pytest.raises(ProgressError, match="Type a file name"):
        progress.export("  ")
    with pytest.raises(ProgressError, match="store itself"):
        progress.export(store)


WRITER = textwrap.dedent(
    """
    import sys
    from hamfoot import progress
    name, n = sys.argv[1], int(sys.argv[2])
    sys.stdout.write("ready\\n"); sys.stdout.flush()
    sys.stdin.readline()  # start together
    for i in range(n):
        progress.record(f"{name}-{i}", "quiz", "01", ["a"], i % 2 == 0)
    """
)


def test_two_kernels_writing_at_once_lose_nothing(store, tmp_path):
    """Two processes record 200 answers each into the same store at the same moment: all 400
    survive (before the lock and re-read-merge-write, 172-182 of 400 were lost)."""
    script = tmp_path / "writer.py"
    script.write_text(WRITER)
    env = {**os.environ, "HAMFOOT_PROGRESS": str(store)}
    procs = [
        subprocess.Popen(
            [sys.executable, str(script), name, "200"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            env=env,
            text=True,
        )
        for name in ("kernel-a", "kernel-b")
    ]
    for p in procs:
        assert p.stdout.readline() == "ready\n"
    for p in procs:
        p.stdin.write("go\n")
        p.stdin.flush()
    for p in procs:
        p.stdin.close()
        assert p.wait(timeout=120) == 0
    saved = json.loads(store.read_text())["answers"]
    lost = 400 - len(saved)
    assert lost == 0, f"{lost} of 400 answers lost"


def test_summary_counts_only_answers_that_still_fit():
    from hamfoot import content

    questions = [content.get("quiz", i) for i in content.quiz()["id"]]
    q = next(x for x in questions if x.type == "single")
    wrong = next(o.id for o in q.options if o.id != q.answer)
    progress.record(q.id, "quiz", q.lesson, [q.answer], True)
    multi = next(x for x in questions if x.type == "multiple")
    progress.record(multi.id, "quiz", multi.lesson, ["no-such-option"], False)
    case = content.get("cases", list(content.cases()["id"])[0])
    s0 = case.steps[0]
    bad = next(c.id for c in s0.choices if not c.correct)
    good = next(c.id for c in s0.choices if c.correct)
    progress.record(f"{case.id}/{s0.id}", "case", "08", [bad, good], False)
    rows = {r["lesson"]: r for r in progress.summary(questions, [("08", case)])}
    assert rows[q.lesson]["answered"] >= 1 and rows[q.lesson]["right"] >= 1
    assert sum(r["answered"] for r in rows.values()) == 1  # the stale multiple is not counted
    assert rows["08"]["steps_done"] == 1 and rows["08"]["steps_right"] == 0
    progress.record(q.id, "quiz", q.lesson, [wrong], False)
    rows = {r["lesson"]: r for r in progress.summary(questions, [])}
    assert rows[q.lesson]["right"] == 0
