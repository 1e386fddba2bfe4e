"""Tests for bot.core.framing: the reader's purpose or role before the question is no topic."""

from __future__ import annotations

import pytest

from bot.core.framing import framing_words
from bot.core.text import fold
from bot.knowledge.knowledge import Knowledge


def _framing(knowledge: Knowledge, question: str) -> frozenset[str]:
    matcher = knowledge.matcher
    return framing_words(fold(question), matcher.normaliser.tokens, matcher._known_or_typo)


@pytest.mark.parametrize(
    ("question", "dropped"),
    [
        ("For the purposes of my dissertation, when was Crimea annexed?", {"dissertation"}),
        (
            "As a journalist preparing a digest, I'd like to know how long the war has lasted",
            {"digest"},
        ),
        ("For our policy memo, could you say which areas NATO would protect?", {"memo"}),
        ("In broad terms, what is this article about?", {"broad"}),
    ],
)
def test_unknown_words_of_a_leading_purpose_or_role_clause_are_dropped(
    knowledge: Knowledge, question: str, dropped: set[str]
) -> None:
    """The clause's words the knowledge lacks are returned (stemmed, as the matcher reads them)."""
    assert dropped <= _framing(knowledge, question)


def test_known_words_of_the_clause_keep_counting(knowledge: Knowledge) -> None:
    """'For a constitutional law module, …' still speaks of the constitution: only 'module'."""
    question = "For my constitutional law module, could you say if Ukraine can cede land?"
    found = _framing(knowledge, question)
    assert found and all(t not in knowledge.matcher.index.vocabulary.ids for t in found)
    assert not any(t.startswith("constitution") for t in found)


@pytest.mark.parametrize(
    "question",
    [
        "For how long, exactly, has the war lasted?",  # a question word: the clause asks
        "As for the elections, who won them?",  # "as for" names the topic
        "For the record, did Finland join NATO?",  # a set phrase, not a purpose
        "Regarding the Baltic states, how did they react?",  # a topic, not a purpose
        "For my thesis, ",  # nothing after the clause
        "what did zelensky say, for my thesis",  # not at the start
        "For the pandemic, how long has it continued?",  # a topic put first, then asked about
        "As a result of the strike, how long has it lasted?",
        "As an alternative to conscription, what did Zelensky propose?",
        "For the Olympics, who presented the victory plan?",
        "For a policy memo, which areas would NATO protect?",  # no purpose of the reader's own
        "For the pandemic, could you tell me how long it has lasted?",  # "it": the clause
        "For my essay on the pandemic, how long has it lasted?",  # is the topic
        "For the climate summit, could you say what a ceasefire would guarantee?",
        "As a result of the strike, please tell me how long it lasted",
        "As a journalist, how long has it lasted?",  # no "I" after the role, and "it"
    ],
)
def test_other_leading_clauses_are_not_framing(knowledge: Knowledge, question: str) -> None:
    """Only a purpose or role clause at the very start, holding no question word, frames."""
    assert _framing(knowledge, question) == frozenset()


def test_a_word_the_question_repeats_after_the_clause_still_counts(knowledge: Knowledge) -> None:
    """'For my dissertation on the pandemic, how long has the pandemic lasted?': the pandemic
    is asked about, so it stays; only 'dissertation' (the reader's purpose) is dropped."""
    question = "For my dissertation on the pandemic, how long has the pandemic lasted?"
    found = _framing(knowledge, question)
    assert "dissertation" in found and not any(t.startswith("pandemic") for t in found)


def test_a_topic_put_first_is_not_answered_as_if_the_article_spoke_of_it(
    knowledge: Knowledge,
) -> None:
    """'For the pandemic, how long has it continued?' is about the pandemic: never answered
    with the war's duration."""
    for question in (
        "For the pandemic, how long has it continued?",
        "As a result of the strike, how long has it lasted?",
    ):
        assert knowledge.matcher.match(question).kind != "answer", question


def test_a_framed_question_is_answered_like_the_bare_question(knowledge: Knowledge) -> None:
    """'For a quantitative section of my report, …' is answered: the purpose no longer weighs
    the question down as words the article never uses (it got "did you mean" before)."""
    framed = "For a quantitative section of my report, how much of Ukraine does Russia hold?"
    result = knowledge.matcher.match(framed)
    assert result.kind == "answer"
    assert result.best is not None and result.best.entry.id == "russian-controlled-share"
    evidence = knowledge.matcher.gather(framed)
    assert evidence.unseen_share == 0.0


def test_a_foreign_name_in_the_clause_still_declines(knowledge: Knowledge) -> None:
    """Names are looked for in the whole message: 'For my essay on Yemen, …' names Yemen."""
    result = knowledge.matcher.match("For my essay on Yemen, how long has the war lasted?")
    assert result.kind == "decline" and "Yemen" in result.foreign
