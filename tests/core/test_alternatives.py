"""Tests for bot.core.alternatives: the options a reader offers do not count against an answer."""

from __future__ import annotations

import pytest

from bot.core.alternatives import offered_alternatives
from bot.core.text import fold
from bot.knowledge.knowledge import Knowledge


def _options(knowledge: Knowledge, question: str) -> tuple[frozenset[str], frozenset[str]]:
    matcher = knowledge.matcher
    return offered_alternatives(fold(question), matcher.normaliser.tokens, matcher._known_or_typo)


@pytest.mark.parametrize(
    ("question", "words"),
    [
        ("was it sky news or the bbc that he spoke to", {"bbc"}),
        ("crimea was annexed in 2014 or 2015?", {"2015"}),
        ("is it a fifth or a third that russia holds", {"third"}),
        ("was this a sky news interview or a blog?", {"blog"}),
        ("did putin or lukashenko invade belarus", {"lukashenko"}),  # only the option
    ],
)
def test_an_unknown_option_beside_a_known_one_is_the_readers_guess(
    knowledge: Knowledge, question: str, words: set[str]
) -> None:
    """The unknown side of 'A or B' is returned; the known side stays a topic."""
    assert _options(knowledge, question)[1] == words


@pytest.mark.parametrize(
    "question",
    [
        "did finland or sweden join nato",  # both unknown: still what the question is about
        "is zelensky or putin to blame",  # both known
        "is it sky news or not",  # nothing but a small word on the other side
        "what did he say about nato",  # no choice at all
        "was it ukrane or russia that annexed crimea",  # a misspelt known word is known
    ],
)
def test_no_option_is_dropped_unless_exactly_one_side_is_known(
    knowledge: Knowledge, question: str
) -> None:
    """Only a known option makes the other side a guess."""
    assert _options(knowledge, question) == (frozenset(), frozenset())


def test_a_question_offering_a_foreign_option_is_answered(knowledge: Knowledge) -> None:
    """'Sky News or the BBC?' is answered with the Sky News entry, not declined for the BBC."""
    result = knowledge.matcher.match("was it sky news or the BBC that he spoke to?")
    assert result.kind == "answer" and result.best is not None
    assert result.best.entry.id == "sky-news"
    assert knowledge.matcher.match("What did the BBC say about Zelensky?").foreign == ("BBC",)


def test_a_foreign_place_beyond_the_option_still_declines(knowledge: Knowledge) -> None:
    """'Did Putin or Lukashenko invade Belarus?': Lukashenko is the option, Belarus the topic."""
    result = knowledge.matcher.match("Did Putin or Lukashenko invade Belarus?")
    assert result.kind == "decline" and result.foreign == ("Belarus",)
