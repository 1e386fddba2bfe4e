"""Tests for bot.core.details: numbers, dates and reactions an answer must give to answer."""

from __future__ import annotations

import pytest

from bot.core.details import answer_facts, missing_detail
from bot.core.text import fold
from bot.knowledge.knowledge import Knowledge


def _missing(knowledge: Knowledge, question: str, entry_id: str) -> str:
    matcher = knowledge.matcher
    facts = matcher.index.facts[entry_id]
    return missing_detail(fold(question), matcher.normaliser.tokens, facts)


@pytest.mark.parametrize(
    ("question", "entry_id", "missing"),
    [
        ("how many tanks has russia lost", "russian-controlled-share", "number"),
        ("how many countries are in nato", "russian-controlled-share", "number"),
        ("how many days has the war lasted", "war-duration", ""),
        ("russia hold how many percent of ukraine?", "russian-controlled-share", ""),
        ("how much of ukraine does russia control", "russian-controlled-share", ""),
        ("ukraine join nato which year?", "urgency", "time"),
        ("in what year was crimea annexed", "crimea-annexed", ""),
        ("how did the kremlin react to the offer", "russia-position", "reaction"),
        ("did the rada vote on the victory plan", "victory-plan", "reaction"),
        ("what does russia demand before talks", "russian-demands", ""),
        ("how old is zelensky", "who-is-zelensky", "number"),
        ("which article of the constitution bans ceding land", "constitution", "number"),
        ("apart from the land, what else was in the victory plan", "victory-plan", "more"),
        ("what did peskov say about the sky news interview", "sky-news", "speaker"),
        ("what did kremlin spokesman dmitry peskov say about it", "sky-news", "speaker"),
        ("did peskov comment on the sky news interview", "sky-news", "speaker"),
        ("what the kremlin spokesman said about the interview", "sky-news", "speaker"),
        ("what did zelensky say to sky news", "sky-news", ""),
        ("did zelensky ever say regions could vote to join russia", "le-monde-referendum", ""),
        ("what did the article say about crimea", "crimea-annexed", ""),
        ("what did zelesnky say about crimea", "refused-to-cede", ""),
        ("how does zelensky say ukraine could get the land back", "recover-diplomatically", ""),
    ],
)
def test_a_detail_the_answer_lacks_is_named(
    knowledge: Knowledge, question: str, entry_id: str, missing: str
) -> None:
    """A number, a date, a speaker or a reaction asked for and absent from the entry is reported.

    A speaker counts as present when the entry speaks of them anywhere (its phrasings too, a
    misspelling too); "what did the article say" asks the article itself.
    """
    assert _missing(knowledge, question, entry_id) == missing


def test_answer_facts_read_numbers_dates_and_words(knowledge: Knowledge) -> None:
    """'more than 1,000 days' gives a number; 'September 2022' a date; words are normalised."""
    tokens = knowledge.matcher.normaliser.tokens
    by_id = {e.id: e for e in knowledge.entries}
    duration = answer_facts(by_id["war-duration"], tokens)
    assert duration.numbered and duration.dated and "day" in duration.words
    urgency = answer_facts(by_id["urgency"], tokens)
    assert not urgency.numbered and not urgency.dated


def test_a_question_whose_answer_lacks_the_detail_is_not_answered(knowledge: Knowledge) -> None:
    """'How many tanks has Russia lost?' is not answered with the share Russia holds."""
    result = knowledge.matcher.match("how many tanks has russia lost")
    assert result.kind != "answer" and result.lacks == "number"
    assert knowledge.matcher.match("how many days has the war lasted").kind == "answer"
