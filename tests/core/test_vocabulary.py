"""Tests for bot.core.vocabulary: rarity weights, typo look-up and the weight of unseen words."""

from __future__ import annotations

import pytest

from bot.core.text import Normaliser
from bot.core.vocabulary import Vocabulary


@pytest.fixture
def vocabulary() -> Vocabulary:
    """Three tiny documents: 'war' in all, 'urgent' and 'crimea' in one each."""
    vocabulary = Vocabulary()
    documents = [
        set(vocabulary.intern(["war", "urgent"])),
        set(vocabulary.intern(["war", "crimea", "annex"])),
        set(vocabulary.intern(["war", "nato"])),
    ]
    normaliser = Normaliser.from_synonyms({"diplomatic": ["diplomatically"]})
    vocabulary.weigh(documents, normaliser, vague_share=0.5)
    return vocabulary


def weight_of(vocabulary: Vocabulary, word: str) -> float:
    """Return the weight of a known word."""
    return vocabulary.weights[vocabulary.ids[word]]


def test_rare_words_weigh_more_than_common_ones(vocabulary: Vocabulary) -> None:
    """A word in one entry outweighs a word in every entry."""
    assert weight_of(vocabulary, "crimea") > weight_of(vocabulary, "war")


def test_words_in_many_entries_are_common(vocabulary: Vocabulary) -> None:
    """'war' (in every entry) is common; 'crimea' is not."""
    assert "war" in vocabulary.common
    assert "crimea" not in vocabulary.common


def test_intern_keeps_ids_stable_and_drops_repeats(vocabulary: Vocabulary) -> None:
    """A known word keeps its id; repeats in one call give one id."""
    war = vocabulary.ids["war"]
    assert vocabulary.intern(["war", "war", "new"]) == (war, len(vocabulary.words) - 1)


@pytest.mark.parametrize(
    ("typo", "word"),
    [("crimia", "crimea"), ("urgnet", "urgent"), ("urgentt", "urgent"), ("crimea", "crimea")],
)
def test_one_edit_or_a_swap_of_neighbours_is_a_typo(
    vocabulary: Vocabulary, typo: str, word: str
) -> None:
    """Substitutions, insertions and swapped neighbours of 5+ letter words find the word."""
    assert vocabulary.similar(typo)[0][0] == vocabulary.ids[word]


@pytest.mark.parametrize("word", ["wars", "anex", "xrimea", "finland", "2014"])
def test_short_words_other_first_letters_and_strangers_are_not_typos(
    vocabulary: Vocabulary, word: str
) -> None:
    """Words under 5 letters, a changed first letter, unrelated words and numbers: no typo."""
    assert vocabulary.similar(word) == []


def test_typos_of_one_word_synonyms_are_found(vocabulary: Vocabulary) -> None:
    """'diplomaticaly' is one edit from the synonym 'diplomatically', read as 'diplomatic'."""
    vocabulary.intern(["diplomatic"])
    vocabulary.weigh(
        [set(vocabulary.ids.values())],
        Normaliser.from_synonyms({"diplomatic": ["diplomatically"]}),
        vague_share=0.5,
    )
    assert vocabulary.similar("diplomaticaly")[0][0] == vocabulary.ids["diplomatic"]


def test_everyday_words_weigh_less_than_any_known_word(vocabulary: Vocabulary) -> None:
    """An unseen everyday word is light; an unseen topic word is heavier than every known word."""
    lightest = min(vocabulary.weights)
    heaviest = max(vocabulary.weights)
    assert vocabulary.unseen_weight("right") < lightest
    assert vocabulary.unseen_weight("finland") > heaviest


def test_describe_tells_each_kind_of_word(vocabulary: Vocabulary) -> None:
    """describe labels known words, typos (with the word read), everyday and unknown words."""
    report = {info.token: info for info in vocabulary.describe(["war", "crimia", "right", "oslo"])}
    assert report["war"].kind == "known"
    assert (report["crimia"].kind, report["crimia"].read_as) == ("typo", ("crimea",))
    assert report["right"].kind == "everyday"
    assert report["oslo"].kind == "unknown"
    assert report["oslo"].weight == vocabulary.unknown_weight


def test_a_typo_of_a_word_already_asked_is_a_repeat(vocabulary: Vocabulary) -> None:
    """'crimea ... crimia' reports the second as a repeat with no weight."""
    report = vocabulary.describe(["crimea", "crimia"])
    assert [(info.kind, info.weight) for info in report] == [
        ("known", weight_of(vocabulary, "crimea")),
        ("repeat", 0.0),
    ]


def test_typos_of_a_synonym_as_written_are_found() -> None:
    """'advancng' is one edit from the variant 'advancing' as written (its stem is 'advanc')."""
    normaliser = Normaliser.from_synonyms({"gain": ["advancing"]})
    vocabulary = Vocabulary()
    documents = [set(vocabulary.intern(["gain"])), set(vocabulary.intern(["war"]))]
    vocabulary.weigh(documents, normaliser, vague_share=0.5)
    assert vocabulary.similar("advancng")[0][0] == vocabulary.ids["gain"]
