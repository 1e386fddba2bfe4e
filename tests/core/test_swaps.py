"""Tests for bot.core.swaps: a phrasing with its topic swapped for an unknown word asks about
something else."""

from __future__ import annotations

import pytest

from bot.core.decisions import reason
from bot.core.swaps import swapped_word
from bot.knowledge.knowledge import Knowledge


def _unknown(token: str) -> bool:
    return token in {"pandemic", "lnog"}


def test_one_word_replaced_by_an_unknown_word_is_a_swap() -> None:
    """Same length, one position different, the question's word unknown."""
    asked = ("how", "long", "pandemic", "last")
    assert swapped_word(asked, ("how", "long", "war", "last"), _unknown) == ("pandemic", "war")


@pytest.mark.parametrize(
    ("asked", "phrasing"),
    [
        (("how", "long", "war", "last"), ("how", "long", "war", "last")),  # nothing different
        (("how", "long", "fighting", "last"), ("how", "long", "war", "last")),  # a known word
        (("how", "long", "pandemic", "go"), ("how", "long", "war", "last")),  # two differ
        (("long", "pandemic", "last"), ("how", "long", "war", "last")),  # other length
        (("how", "lnog", "war", "last"), ("how", "long", "war", "last")),  # spelt alike: a typo
        (("pandemic",), ("war",)),  # a single word is no phrasing to swap in
    ],
)
def test_anything_else_is_no_swap(asked: tuple[str, ...], phrasing: tuple[str, ...]) -> None:
    """Known words, more than one difference, another length or a typo: no swap."""
    assert swapped_word(asked, phrasing, _unknown) is None


@pytest.mark.parametrize(
    "question",
    [
        "How long has the pandemic lasted?",
        "How many days has the heatwave lasted?",
        "How long did the lockdown last?",
    ],
)
def test_a_swapped_topic_gets_did_you_mean_not_the_wars_duration(
    knowledge: Knowledge, question: str
) -> None:
    """The war's duration is offered as a button, never answered, and `explain` says why."""
    result = knowledge.matcher.match(question)
    assert result.kind == "suggest"
    assert "war-duration" in [c.entry.id for c in result.suggestions]
    evidence = knowledge.matcher.gather(question)
    assert evidence.swapped is not None and evidence.swapped[1] == "war"
    assert "swapped for" in reason(evidence, knowledge.matcher.thresholds)


def test_the_question_the_phrasing_asks_is_still_answered(knowledge: Knowledge) -> None:
    """'How long has the war lasted?' and its typo 'how lnog has the war lasted' are answered."""
    for question in ("How long has the war lasted?", "how lnog has the war lasted"):
        result = knowledge.matcher.match(question)
        assert result.kind == "answer" and result.answered_ids[0] == "war-duration", question


def test_an_everyday_word_of_the_phrasing_is_no_topic_to_swap(knowledge: Knowledge) -> None:
    """'true or false: the war's gone past 1,000 days' replaces the phrasing's everyday 'over':
    no swap, the question is answered."""
    question = "true or false: the war's gone past 1,000 days"
    assert knowledge.matcher.gather(question).swapped is None
    assert knowledge.matcher.match(question).kind == "answer"
