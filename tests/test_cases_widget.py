"""The case player, driven like a learner: wrong and right choices, restart, switching; every
choice saved by itself and the case resumed when the lesson is run again."""

from __future__ import annotations

import pytest

from hamfoot import content, progress
from hamfoot.schema import Case, CaseChoice, CaseStep
from hamfoot.widgets.cases import CasePlayer, case_player

CASE_IDS = list(content.cases()["id"])


def step_of(player) -> int:
    """The step the player shows (0-based), read from its progress line."""
    text = player.progress.value
    if "Case complete" in text:
        return len(player.current.steps)
    return int(text.split("Step ")[1].split(" ")[0]) - 1


def right_choice(player) -> str:
    return next(c.id for c in player.current.steps[step_of(player)].choices if c.correct)


def wrong_choice(player) -> str:
    return next(c.id for c in player.current.steps[step_of(player)].choices if not c.correct)


def choose(player, choice_id: str) -> None:
    player.choices.value = choice_id
    player.choose.click()


def test_there_are_at_least_three_cases_including_the_required_ones():
    assert len(CASE_IDS) >= 3
    titles = (
        " ".join(content.cases()["title"]).lower() + " ".join(content.cases()["vignette"]).lower()
    )
    assert "hamstring" in titles and "heel" in titles and "ball of" in titles


@pytest.mark.parametrize("case_id", CASE_IDS)
def test_wrong_choices_explain_and_stay_right_choices_advance_to_the_outcome(case_id):
    player = case_player(case_id)
    case = player.current
    n = len(case.steps)
    for k, step in enumerate(case.steps):
        assert f"Step {k + 1} of {n}" in player.progress.value
        assert step.prompt.split()[0] in player.prompt.value
        bad = wrong_choice(player)
        choose(player, bad)
        assert (
            "Not quite" in player.feedback.value and f"Step {k + 1} of {n}" in player.progress.value
        )
        by_id = {c.id: c for c in step.choices}
        assert by_id[bad].feedback.split()[0] in player.feedback.value
        assert player.outcome.value == ""
        good = right_choice(player)
        choose(player, good)
        assert "Correct" in player.feedback.value
        assert by_id[good].label.split()[0] in player.trail.value
    assert "Case complete" in player.progress.value
    assert f"right first time: 0 of {n} steps" in player.progress.value
    assert "Outcome" in player.outcome.value and "Reference" in player.outcome.value
    assert "not a diagnosis" in player.outcome.value
    assert player.choose.disabled and player.choices.options == ()
    player.choose.click()  # nothing left to choose: a message, no exception
    assert "Nothing chosen" in player.feedback.value


def test_perfect_play_scores_every_step_right_first_time():
    player = case_player()
    assert player.case.value == CASE_IDS[0]
    n = len(player.current.steps)
    for _ in range(n):
        choose(player, right_choice(player))
    assert f"right first time: {n} of {n} steps" in player.progress.value


def test_nothing_chosen_gives_a_message_and_does_not_advance():
    player = case_player()
    player.choose.click()
    assert "Nothing chosen" in player.feedback.value and "Step 1 of" in player.progress.value


def test_restart_resets_the_case_and_switching_keeps_each_cases_progress():
    player = case_player(CASE_IDS[0])
    choose(player, right_choice(player))
    choose(player, wrong_choice(player))
    assert "Step 2 of" in player.progress.value
    player.case.value = CASE_IDS[1]
    assert (
        "Step 1 of" in player.progress.value
        and player.feedback.value == ""
        and player.trail.value == ""
    )
    player.case.value = CASE_IDS[0]
    assert (
        "Step 2 of" in player.progress.value and "right first time: 1 of 1" in player.progress.value
    )
    player.restart.click()
    assert (
        "Step 1 of" in player.progress.value
        and player.trail.value == ""
        and player.outcome.value == ""
    )
    assert "Restarted" in player.feedback.value and player.tries[CASE_IDS[0]] == []
    assert not player.choose.disabled and player.choices.value is None


def test_choices_are_lettered_in_data_order_and_feedback_names_the_letter():
    player = case_player()
    for cid in CASE_IDS:
        player.case.value = cid
        for step in player.current.steps:
            assert list(player.choices.options) == [
                (f"{chr(65 + i)}. {c.label}", c.id) for i, c in enumerate(step.choices)
            ]
            good = right_choice(player)
            letter = chr(65 + [c.id for c in step.choices].index(good))
            choose(player, good)
            assert f"you chose {letter}:" in player.feedback.value


def fake_case(evil: str = "<script>alert(1)</script>") -> Case:
    steps = tuple(
        CaseStep(
            id=f"step-{k}",
            prompt=f"Step prompt {k} {evil}",
            choices=(
                CaseChoice(
                    id="right", label=f"Right {evil}", correct=True, feedback=f"Reason right {evil}"
                ),
                CaseChoice(
                    id="wrong", label="Wrong", correct=False, feedback=f"Reason wrong {evil}"
                ),
            ),
        )
        for k in range(2)
    )
    return Case(
        id="fake-case",
        title=f"Title {evil}",
        vignette=f"Story {evil}\n\nMore story.",
        steps=steps,
        outcome=f"Outcome {evil}",
        references=("li1996",),
    )


def test_content_text_is_escaped():
    player = CasePlayer([fake_case()])
    shown = []
    for choice in ("wrong", "right", "right"):
        choose(player, choice)
        shown += [
            player.vignette.value,
            player.prompt.value,
            player.feedback.value,
            player.trail.value,
            player.outcome.value,
        ]
    text = "\n".join(shown)
    assert "<script>" not in text and "&lt;script&gt;" in text
    assert (
        "Outcome &lt;script&gt;" in player.outcome.value
        and "<p>More story.</p>" in player.vignette.value
    )


def test_unknown_case_is_refused_by_name():
    with pytest.raises(ValueError, match="no case 'nope'"):
        case_player("nope")


def test_every_choice_is_saved_at_once_and_the_case_resumes_on_rerun():
    a = case_player(CASE_IDS[0])
    case = a.current
    first, second = case.steps[0], case.steps[1]
    bad = wrong_choice(a)
    choose(a, bad)
    good = right_choice(a)
    choose(a, good)
    choose(a, right_choice(a))
    stored = progress.answers()
    entry = stored[f"{case.id}/{first.id}"]
    assert entry["kind"] == "case" and entry["lesson"] == "08"
    assert entry["chosen"] == [bad, good] and entry["correct"] is False
    assert stored[f"{case.id}/{second.id}"]["correct"] is True
    a.case.value = CASE_IDS[1]
    choose(a, wrong_choice(a))
    b = case_player(CASE_IDS[0])  # the lesson run again
    assert b.tries == a.tries
    a.case.value = CASE_IDS[0]
    shown = lambda p: (p.progress.value, p.trail.value, p.prompt.value)  # noqa: E731
    assert shown(b) == shown(a)
    assert "Step 3 of" in b.progress.value and "right first time: 1 of 2" in b.progress.value


def test_restart_forgets_the_saved_steps_of_that_case_only():
    a = case_player(CASE_IDS[0])
    choose(a, right_choice(a))
    a.case.value = CASE_IDS[1]
    choose(a, right_choice(a))
    a.case.value = CASE_IDS[0]
    a.restart.click()
    keys = set(progress.answers())
    assert not any(k.startswith(CASE_IDS[0] + "/") for k in keys)
    assert any(k.startswith(CASE_IDS[1] + "/") for k in keys)
    assert case_player(CASE_IDS[0]).tries[CASE_IDS[0]] == []


def test_saved_steps_that_no_longer_fit_the_case_are_dropped_from_there_on():
    case = fake_case()
    player = CasePlayer([case])
    choose(player, "wrong")
    choose(player, "right")
    choose(player, "right")
    assert "Case complete" in player.progress.value
    doc = progress.answers()
    assert set(doc) == {"fake-case/step-0", "fake-case/step-1"}
    changed = fake_case()
    steps = list(changed.steps)
    steps[0] = type(steps[0])(
        id="step-0",
        prompt="Reworded",
        choices=tuple(
            type(c)(id=c.id + "-new", label=c.label, correct=c.correct, feedback=c.feedback)
            for c in steps[0].choices
        ),
    )
    edited = type(changed)(**{**changed.__dict__, "steps": tuple(steps)})
    again = CasePlayer([edited])
    assert again.tries["fake-case"] == [] and "Step 1 of 2" in again.progress.value
    assert "Case complete" in CasePlayer([fake_case()]).progress.value


def test_an_unwritable_store_is_reported_and_play_goes_on(tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    monkeypatch.setenv("HAMFOOT_PROGRESS", str(blocker / "p.json"))
    progress._pending.clear()
    player = case_player()
    choose(player, right_choice(player))
    assert "Correct" in player.feedback.value and "Step 2 of" in player.progress.value
    assert "Not saved yet" in player.saved.value and "Traceback" not in player.saved.value
    progress._pending.clear()


def test_a_copy_loads_on_another_machine(tmp_path, monkeypatch):
    a = case_player(CASE_IDS[0])
    choose(a, right_choice(a))
    a.bar.file.value = str(tmp_path / "usb.json")
    a.bar.save.click()
    assert "Copied" in a.bar.status.value
    monkeypatch.setenv("HAMFOOT_PROGRESS", str(tmp_path / "laptop" / "progress.json"))
    b = case_player(CASE_IDS[0])
    assert "Step 1 of" in b.progress.value
    b.bar.file.value = a.bar.file.value
    b.bar.load.click()
    assert "1 case resumed" in b.bar.status.value and "Step 2 of" in b.progress.value
