"""Tests for bot.core.query: a message is read once; questions that ask for a time are known."""

from __future__ import annotations

import pytest

from bot.core.query import read_query
from bot.knowledge.knowledge import Knowledge


@pytest.mark.parametrize(
    "question",
    [
        "When was Crimea annexed?",
        "since when has the war been going on",
        "In what year was Crimea annexed?",
        "On what exact date did Zelensky give the interview to Sky News?",
        "What was the precise date of the Le Monde interview?",
        "Which specific day did he say it?",
        "How long was the Sky News interview?",
    ],
)
def test_questions_asking_for_a_date_ask_when(question: str, knowledge: Knowledge) -> None:
    """'When', 'what year' and 'on what exact date' all ask for a point in time."""
    assert read_query(question, knowledge.matcher.normaliser).asks_when


@pytest.mark.parametrize(
    "question",
    [
        "What happened to the occupied areas this year?",
        "which regions did russia annex",
        "what is the exact wording of his quote",
    ],
)
def test_other_questions_do_not_ask_when(question: str, knowledge: Knowledge) -> None:
    """A time word that is not what the question asks for does not make it a 'when' question."""
    assert not read_query(question, knowledge.matcher.normaliser).asks_when


def test_a_date_question_is_not_answered_by_an_entry_without_a_time(knowledge: Knowledge) -> None:
    """'On what exact date was the Sky News interview?': the interview entry gives no date."""
    result = knowledge.matcher.match("On what exact date did Zelensky give the Sky News interview?")
    assert result.kind != "answer"
    assert result.best is not None and result.best.entry.id == "sky-news"


@pytest.mark.parametrize(
    "question",
    [
        "who interviewed him on sky news",
        "Name the regions Moscow annexed in September 2022",
        "which regions exactly did russia annex",
        "What was the name of the journalist who questioned him?",
        "which journalist wrote it",
        "who was the sky news journalist that interviewed him",
        "Which regions did Russia annex in September 2022?",
        "which nato countries support ukraine joining",
    ],
)
def test_questions_asking_for_names_ask_names(question: str, knowledge: Knowledge) -> None:
    """'Who interviewed him', 'name the regions', 'which regions exactly' ask for names."""
    assert read_query(question, knowledge.matcher.normaliser).asks_names


@pytest.mark.parametrize(
    "question",
    [
        "who is zelensky",
        "which parts of ukraine would get nato protection first",
        "what does the name 'victory plan' mean",
    ],
)
def test_other_questions_do_not_ask_names(question: str, knowledge: Knowledge) -> None:
    """A 'who is' or a plain 'which' question is not a request for names."""
    assert not read_query(question, knowledge.matcher.normaliser).asks_names


def test_how_long_needs_an_answer_that_gives_a_time(knowledge: Knowledge) -> None:
    """'How long has the war lasted?' is answered; 'How long was the interview?' is not."""
    assert knowledge.matcher.match("How long has the war lasted?").kind == "answer"
    interview = knowledge.matcher.match("How long was the Sky News interview?")
    assert interview.kind != "answer" and interview.lacks == "time"
