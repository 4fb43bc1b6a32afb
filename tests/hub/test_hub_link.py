"""`hamfoot hub-link`: the nbgitpuller link an educator hands out must name the right lesson file,
survive odd characters in the repository URL, and refuse what would send students astray."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from hamfoot import hub


def test_link_opens_the_lesson_file_from_the_table_of_contents(capsys):
    code = hub.link_main(
        [
            "--hub",
            "https://hub.example.edu/",
            "--repo",
            "https://git.example.edu/physio/hamfoot.git",
            "--branch",
            "spring-2027",
            "--lesson",
            "2",
        ]
    )
    assert code == 0
    link = capsys.readouterr().out.strip()
    parts = urlsplit(link)
    assert parts.netloc == "hub.example.edu"
    assert parts.path == "/hub/user-redirect/git-pull"
    q = {k: v[0] for k, v in parse_qs(parts.query).items()}
    assert q == {
        "repo": "https://git.example.edu/physio/hamfoot.git",
        "branch": "spring-2027",
        "targetpath": "hamfoot",
        "urlpath": "lab/tree/hamfoot/notebooks/02-chain-model.ipynb",
    }


def test_repo_with_query_characters_round_trips():
    link = hub.pull_link("http://127.0.0.1:8000", "file:///tmp/a b&c=d/course.git".replace(" ", ""))
    q = parse_qs(urlsplit(link).query)
    assert q["repo"] == ["file:///tmp/ab&c=d/course.git"]


@pytest.mark.parametrize(
    "argv, message",
    [
        (["--hub", "hub.example.edu", "--repo", "r"], "is not a web address"),
        (["--hub", "https://h", "--repo", "r", "--lesson", "42"], "there is no lesson '42'"),
        (["--hub", "https://h", "--repo", "a repo"], "contains spaces"),
        (["--hub", "https://h", "--repo", "r", "--target", "../x"], "one plain folder name"),
        (["--hub", "https://h", "--repo", "r", "--branch", " "], "--branch is empty"),
    ],
)
def test_bad_input_is_refused_in_words(argv, message, capsys):
    assert hub.link_main(argv) == 2
    err = capsys.readouterr().err
    assert message in err and err.startswith("hamfoot hub-link:")


def test_without_a_lesson_the_link_opens_the_lessons_folder():
    link = hub.pull_link("https://h", "https://g/x.git")
    assert parse_qs(urlsplit(link).query)["urlpath"] == ["lab/tree/hamfoot/notebooks"]
