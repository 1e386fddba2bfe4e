"""Tests for bot.maintenance.labelled: the schema of labelled question files and its errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.knowledge.knowledge import Knowledge
from bot.maintenance.labelled import Labelled, LabelledFileError, load_labelled
from tests.support.labelled_cases import SMALL_SET
from tests.support.paths import DATA


def write(tmp_path: Path, text: str) -> Path:
    """Write a labelled file and return its path."""
    path = tmp_path / "questions.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def problems(path: Path, known_ids: set[str] | None = None) -> list[str]:
    """The problems loading ``path`` reports, as printed."""
    with pytest.raises(LabelledFileError) as caught:
        load_labelled(path, known_ids)
    return [str(problem) for problem in caught.value.problems]


def test_every_field_is_read_with_defaults(tmp_path: Path) -> None:
    """Text, expected ids, split and near_topic are read; split defaults to tune."""
    items = load_labelled(write(tmp_path, SMALL_SET))
    assert items == [
        Labelled("When was Crimea annexed?", ("crimea-annexed",), "alpha", False),
        Labelled("how long has the war lasted", ("war-duration", "battlefield"), "beta", False),
        Labelled("What is the capital of France?", (), "alpha", False),
        Labelled("Is Finland a NATO member?", (), "beta", True),
        Labelled("no split given", ("summary",), "tune", False),
    ]
    assert [item.in_scope for item in items] == [True, True, False, False, True]
    assert [item.line for item in items] == [3, 6, 9, 13, 17]


def test_a_string_path_works_too(tmp_path: Path) -> None:
    """A str path works as well as a Path."""
    path = write(tmp_path, SMALL_SET)
    assert load_labelled(str(path)) == load_labelled(path)


def test_misspelt_key_names_file_line_question_and_the_right_key(tmp_path: Path) -> None:
    """`expcet` is an unknown field, with a hint; `expect` is then missing."""
    path = write(
        tmp_path, SMALL_SET.replace("    expect: [war-duration", "    expcet: [war-duration")
    )
    found = problems(path)
    assert (
        f"{path}:7: error: question 2 ('how long has the war lasted'): field 'expcet': "
        "unknown field (did you mean 'expect'?)"
    ) in found
    assert any(
        p.startswith(f"{path}:6: error: question 2") and "'expect': missing" in p for p in found
    )


def test_unknown_top_level_key(tmp_path: Path) -> None:
    """Only `questions` is allowed at the top."""
    found = problems(write(tmp_path, SMALL_SET + "questons: []\n"))
    assert any(
        ":19: error: field 'questons': unknown field (did you mean 'questions'?)" in p
        for p in found
    )


@pytest.mark.parametrize(
    ("item", "message"),
    [
        ('  - text: "   "\n    expect: []\n', "field 'text': the question is blank"),
        ('  - text: ""\n    expect: []\n', "field 'text'"),
        ("  - text: 5\n    expect: []\n", "field 'text': Input should be a valid string"),
        ('  - text: "q"\n    expect: summary\n', "field 'expect': Input should be a valid list"),
        ('  - text: "q"\n    expect: [1]\n', "field 'expect.0': Input should be a valid string"),
        ('  - text: "q"\n    expect: []\n    split: ""\n', "field 'split'"),
        ('  - text: "q"\n    expect: []\n    near_topic: "yes"\n', "field 'near_topic'"),
        ("  - just a string\n", "question 1: Input should be a valid dictionary"),
    ],
)
def test_bad_items_are_located(tmp_path: Path, item: str, message: str) -> None:
    """Each malformed question is reported at its line with the field at fault."""
    path = write(tmp_path, "questions:\n" + item)
    found = problems(path)
    assert any(p.startswith(f"{path}:") and message in p for p in found), found


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("", "must be a YAML mapping"),
        ("[]\n", "must be a YAML mapping"),
        ("questions: []\n", "field 'questions': List should have at least 1 item"),
        ("other: 1\n", "field 'questions': Field required"),
        ("questions: [\n", "bad YAML"),
        ('questions:\n  - text: "a"\n    text: "b"\n    expect: []\n', "appears twice"),
    ],
)
def test_files_without_usable_questions(tmp_path: Path, content: str, message: str) -> None:
    """Empty, non-mapping, question-less, unparsable files and repeated keys are errors."""
    found = problems(write(tmp_path, content))
    assert any(message in p for p in found), found


def test_missing_file(tmp_path: Path) -> None:
    """A file that does not exist is one problem naming it."""
    path = tmp_path / "none.yaml"
    assert problems(path) == [f"{path}: error: cannot read: {_no_such_file(path)}"]


def _no_such_file(path: Path) -> str:
    try:
        path.read_text(encoding="utf-8")
    except OSError as exc:
        return str(exc)
    raise AssertionError("the file exists")


def test_unknown_expected_ids_are_errors_at_their_line(tmp_path: Path) -> None:
    """With the knowledge's ids given, an `expect` id it lacks is an error at its line."""
    path = write(
        tmp_path, SMALL_SET.replace("[war-duration, battlefield]", "[war-duration,\n      nope]")
    )
    known = {"crimea-annexed", "war-duration", "summary"}
    assert problems(path, known) == [
        f"{path}:8: error: question 2 ('how long has the war lasted'): field 'expect': "
        "unknown entry id 'nope'"
    ]
    assert len(load_labelled(path)) == 5  # without ids, only the schema is checked


def test_every_shipped_file_loads_against_the_shipped_knowledge(knowledge: Knowledge) -> None:
    """Every tests/data/questions*.yaml passes the schema and names only known entries."""
    files = sorted(DATA.glob("questions*.yaml"))
    assert files
    for path in files:
        items = load_labelled(path, set(knowledge.by_id))
        assert any(item.in_scope for item in items), path
        assert any(not item.in_scope for item in items), path


def test_shipped_questions_yaml_has_both_splits_and_traps(knowledge: Knowledge) -> None:
    """questions.yaml has the tune and holdout splits and some near-topic traps."""
    items = load_labelled(DATA / "questions.yaml", set(knowledge.by_id))
    assert {item.split for item in items} == {"tune", "holdout"}
    assert any(item.near_topic for item in items)
