"""The case player, driven like a learner: wrong and right choices, restart, switching, save and load."""

from __future__ import annotations

import json

import pytest

from hamfoot import content
from hamfoot.schema import Case, CaseChoice, CaseStep
from hamfoot.widgets.cases import CasePlayer, case_player
from hamfoot.widgets.common import FULL

CASE_IDS = list(content.cases()["id"])


def step_of(player) -> int:
    """The step the player shows (0-based), read from its progress line."""
    text = player.progress.value
    if "Case complete" in text:
        return len(player.current.steps)
    return int(text.split("Step ")[1].split(" ")[0]) - 1


def right_choice(player) -> int:
    return next(i for i, c in enumerate(player.current.steps[step_of(player)].choices) if c.correct)


def wrong_choice(player) -> int:
    return next(
        i for i, c in enumerate(player.current.steps[step_of(player)].choices) if not c.correct
    )


def choose(player, index: int) -> None:
    player.choices.value = index
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
        assert step.choices[bad].feedback.split()[0] in player.feedback.value
        assert player.outcome.value == ""
        good = right_choice(player)
        choose(player, good)
        assert "Correct" in player.feedback.value
        assert step.choices[good].label.split()[0] in player.trail.value
    assert "Case complete" in player.progress.value
    assert f"right first time: 0 of {n} steps" in player.progress.value
    assert "Outcome" in player.outcome.value and "Reference" in player.outcome.value
    assert "not a diagnosis" in player.outcome.value
    assert player.choose.disabled and player.choices.options == ()
    assert FULL.display is None  # hiding the finished case's controls must not hide shared layouts
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


def test_right_choice_is_not_always_shown_first():
    player = case_player()
    positions = []
    for cid in CASE_IDS:
        player.case.value = cid
        for _ in player.current.steps:
            positions.append([i for _, i in player.choices.options].index(right_choice(player)))
            choose(player, right_choice(player))
    assert positions.count(0) < len(positions) / 2


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
    for index in (1, 0, 0):
        choose(player, index)
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


def test_save_and_load_round_trip_through_the_widget(tmp_path):
    a = case_player(CASE_IDS[0])
    choose(a, wrong_choice(a))
    choose(a, right_choice(a))
    choose(a, right_choice(a))
    a.case.value = CASE_IDS[1]
    choose(a, wrong_choice(a))
    a.bar.file.value = str(tmp_path / "p.json")
    a.bar.save.click()
    assert "Saved" in a.bar.status.value
    b = case_player(CASE_IDS[0])
    b.bar.file.value = a.bar.file.value
    b.bar.load.click()
    assert "Progress restored for 2 cases" in b.bar.status.value
    assert b.tries == a.tries
    a.case.value = CASE_IDS[0]
    shown = lambda p: (p.progress.value, p.trail.value, p.prompt.value)  # noqa: E731
    assert shown(b) == shown(a)
    assert "Step 3 of" in b.progress.value and "right first time: 1 of 2" in b.progress.value


@pytest.mark.parametrize("tries", [[[99]], [[0, 0]], [["0"]], "nope", [[], [0]], [[0]] * 50])
def test_damaged_progress_is_refused_and_current_progress_kept(tmp_path, tries):
    player = case_player(CASE_IDS[0])
    choose(player, right_choice(player))
    path = tmp_path / "p.json"
    player.bar.file.value = str(path)
    player.bar.save.click()
    doc = json.loads(path.read_text())
    doc["cases"][CASE_IDS[0]]["tries"] = tries
    doc["cases"][CASE_IDS[1]] = {"tries": [[0]]}  # a valid entry must not be applied either
    path.write_text(json.dumps(doc))
    before = (json.dumps(player.tries), player.progress.value)
    player.bar.load.click()
    assert "Could not load" in player.bar.status.value
    assert (json.dumps(player.tries), player.progress.value) == before
