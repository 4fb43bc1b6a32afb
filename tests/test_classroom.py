"""The class's answers: the table the educator sees and `hamfoot class-report` writes must count
exactly what the students answered, name the most-chosen wrong option by its letter, and turn bad
files into sentences naming file, entry and field."""

from __future__ import annotations

import csv
import json
import sys
from collections import Counter
from pathlib import Path
from types import SimpleNamespace

import pytest

from hamfoot import classroom

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "deploy"))
from localhub import simulated_answers, write_answers  # noqa: E402

N = 40


@pytest.fixture(scope="module")
def class_files(tmp_path_factory):
    docs = simulated_answers(N, lessons=("02",))
    folder = tmp_path_factory.mktemp("class")
    write_answers(folder, docs)
    return folder, docs


def expected_counts(docs):
    """Recount from the raw documents: answered, right, wrong choices per key."""
    answered, right, wrong = Counter(), Counter(), {}
    for doc in docs.values():
        for key, a in doc["answers"].items():
            answered[key] += 1
            right[key] += a["correct"]
            if not a["correct"]:
                chosen = a["chosen"] if isinstance(a["chosen"], list) else [a["chosen"]]
                wrong.setdefault(key, Counter()).update(chosen)
    return answered, right, wrong


def test_report_counts_equal_what_the_40_students_answered(class_files, tmp_path, capsys):
    folder, docs = class_files
    out = tmp_path / "report"
    assert classroom.report_main([str(folder), "--lesson", "02", "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert f"{N} students, lesson 02" in printed
    rows = list(csv.DictReader((out / "class-report.csv").open(encoding="utf-8")))
    answered, right, wrong = expected_counts(docs)
    assert {r["question"] for r in rows} == set(answered)
    qs = classroom.questions(None)
    for r in rows:
        key = r["question"]
        assert int(r["answered"]) == answered[key], key
        assert int(r["right"]) == right[key], key
        assert key in printed
        q = qs[key]
        if key in wrong and q.numeric:  # the most common wrong number, no letter
            value, top_count = wrong[key].most_common(1)[0]
            assert (r["top_wrong_letter"], int(r["top_wrong_count"])) == ("", top_count)
            assert float(r["top_wrong_option"]) in {
                float(v) for v, c in wrong[key].items() if c == top_count
            }
        elif key in wrong:
            wrong_only = Counter({k: v for k, v in wrong[key].items() if k not in q.right})
            top_count = max(wrong_only.values())
            assert int(r["top_wrong_count"]) == top_count, key
            letters = {q.option(k).letter for k, v in wrong_only.items() if v == top_count}
            assert r["top_wrong_letter"] in letters, key
            assert r["top_wrong_option"] == next(
                o.text for o in q.options if o.letter == r["top_wrong_letter"]
            )
    png = (out / "class-report.png").read_bytes()
    assert png.startswith(b"\x89PNG") and len(png) > 5000
    words = (out / "class-report.txt").read_text()
    assert "hardest was" in words and "of 40 students" in words


def test_every_quiz_question_of_the_lesson_is_listed_even_unanswered(tmp_path):
    rows = classroom.tally("02", [])
    quiz02 = [k for k, q in classroom.questions("02").items() if q.kind == "quiz"]
    assert [r.question.key for r in rows] == quiz02
    assert all(r.answered == 0 and r.share_right is None for r in rows)


def test_letters_follow_data_order_and_the_wrong_option_is_named():
    q = next(q for q in classroom.questions("02").values() if q.kind == "quiz" and not q.numeric)
    assert [o.letter for o in q.options] == list("ABCDEFGH"[: len(q.options)])
    wrong = next(o for o in q.options if o.id not in q.right)
    right = sorted(q.right)[0]
    sheets = [
        classroom.Sheet(f"p{i}", "f", {q.key: classroom.Answer("quiz", "02", (c,), c == right)})
        for i, c in enumerate([wrong.id, wrong.id, right])
    ]
    (row,) = [r for r in classroom.tally("02", sheets) if r.question.key == q.key]
    assert (row.answered, row.right) == (3, 1)
    assert row.top_wrong == (wrong.letter, wrong.text, 2)


def test_options_are_read_by_id_and_old_plain_strings_are_not():
    q = SimpleNamespace(
        type="multiple",
        answer=("a", "c"),
        options=tuple(SimpleNamespace(id=i, text=t) for i, t in zip("abc", ("One", "Two", "3"))),
    )
    pairs = classroom._option_pairs(q.options)
    assert pairs == [("a", "One"), ("b", "Two"), ("c", "3")]
    assert classroom._right_ids(q) == {"a", "c"}
    assert classroom._right_ids(SimpleNamespace(type="numeric", answer=155)) == frozenset()
    # the pre-id shape (options as plain strings, answers by position) is gone: the schema
    # rejects it when content loads, and nothing here guesses ids from the text any more
    with pytest.raises(AttributeError):
        classroom._option_pairs(("One", "Two"))


@pytest.mark.parametrize(
    "doc, message",
    [
        ({"format": "other"}, "document: field 'format'"),
        ({"format": classroom.FORMAT, "answers": {}}, "field 'student'"),
        ({"format": classroom.FORMAT, "student": "p", "answers": []}, "field 'answers'"),
        (
            {"format": classroom.FORMAT, "student": "p", "answers": {"q": {"kind": "poll"}}},
            "answer 'q': field 'kind'",
        ),
        (
            {
                "format": classroom.FORMAT,
                "student": "p",
                "answers": {"q": {"kind": "quiz", "lesson": "2", "chosen": [], "correct": True}},
            },
            "answer 'q': field 'lesson'",
        ),
        (
            {
                "format": classroom.FORMAT,
                "student": "p",
                "answers": {"q": {"kind": "quiz", "lesson": "02", "chosen": [1], "correct": 1}},
            },
            "answer 'q': field 'correct'",
        ),
        (
            {
                "format": classroom.FORMAT,
                "student": "p",
                "answers": {"q": {"kind": "quiz", "lesson": "02", "chosen": [1], "correct": True}},
            },
            "answer 'q': field 'chosen'",
        ),
    ],
)
def test_bad_files_are_named_with_entry_and_field(tmp_path, doc, message):
    p = tmp_path / "bad.json"
    p.write_text(json.dumps(doc))
    with pytest.raises(classroom.ClassError, match=message) as e:
        classroom.read_sheet(p)
    assert str(p) in str(e.value)


def test_report_skips_a_damaged_file_and_says_so(class_files, tmp_path, capsys):
    folder, docs = class_files
    mixed = tmp_path / "mixed"
    write_answers(mixed, dict(list(docs.items())[:3]))
    (mixed / "truncated.json").write_text('{"format": "hamfoot-progress/1", "stud')
    assert classroom.report_main([str(mixed), "--out", str(tmp_path / "o")]) == 0
    cap = capsys.readouterr()
    assert "3 students" in cap.out
    assert "skipped" in cap.err and "truncated.json" in cap.err
    assert classroom.report_main([str(tmp_path / "empty-nothing")]) == 2


def test_live_widget_refresh_sees_new_answers(class_files, tmp_path):
    folder, docs = class_files
    live = tmp_path / "live"
    live.mkdir()
    box = classroom.class_results("2", live)
    results = box.results
    assert "0 student file(s)" in results.status.value
    write_answers(live, dict(list(docs.items())[:5]))
    results.button.click()
    assert "5 student file(s)" in results.status.value
    assert "<table>" in results.table.value and "of 5</td>" in results.table.value
    # every control is labelled; meaning is in words (a count and a letter), not colour
    assert results.button.description == "Refresh"
    assert results.auto.description.startswith("Refresh every")


def test_no_class_folder_is_an_error_in_words(monkeypatch):
    monkeypatch.delenv("HAMFOOT_CLASS_DIR", raising=False)
    with pytest.raises(classroom.ClassError, match="HAMFOOT_CLASS_DIR"):
        classroom.class_results("02")


def test_the_recount_catches_a_report_that_miscounts(class_files, tmp_path):
    """The check above is not vacuous: drop one answer from one file and the counts differ."""
    folder, docs = class_files
    tampered = tmp_path / "tampered"
    write_answers(tampered, docs)
    victim = next(tampered.glob("*.json"))
    doc = json.loads(victim.read_text())
    key = next(iter(doc["answers"]))
    del doc["answers"][key]
    victim.write_text(json.dumps(doc))
    sheets, _ = classroom.read_sheets([tampered])
    rows = {r.question.key: r for r in classroom.tally("02", sheets)}
    answered, _, _ = expected_counts(docs)
    assert rows[key].answered == answered[key] - 1


def test_the_timer_refreshes_inside_a_real_kernel(class_files, tmp_path):
    """The optional timer runs on the kernel's event loop: new files appear without a click,
    and unticking the box stops it."""
    import time

    from jupyter_client.manager import KernelManager

    folder, docs = class_files
    live = tmp_path / "live"
    live.mkdir()
    km = KernelManager(kernel_name="python3")
    km.start_kernel()
    kc = km.client()
    kc.start_channels()
    try:
        kc.wait_for_ready(60)

        def run(code):
            out = []
            kc.execute_interactive(
                code,
                timeout=60,
                output_hook=lambda m: (
                    out.append(m["content"].get("text", "")) if m["msg_type"] == "stream" else None
                ),
            )
            return "".join(out)

        run(
            "from hamfoot.classroom import class_results\n"
            f"r = class_results('02', {str(live)!r}, every=0.3).results"
        )
        write_answers(live, dict(list(docs.items())[:4]))
        deadline = time.monotonic() + 10
        seen = ""
        while time.monotonic() < deadline and "4 student file(s)" not in seen:
            time.sleep(0.3)
            seen = run("print(r.status.value)")
        assert "4 student file(s)" in seen
        assert run("r.auto.value = False; print(r._timer)").strip() == "None"
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)
