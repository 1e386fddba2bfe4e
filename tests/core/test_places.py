"""Tests for bot.core.places: foreign names, and country codes read as their countries."""

from __future__ import annotations

from bot.core.places import foreign_names, read_country_codes
from bot.knowledge.knowledge import Knowledge


def test_the_code_of_a_country_the_article_names_is_read_as_that_country(
    knowledge: Knowledge,
) -> None:
    """'UA' and 'RUS' are Ukraine and Russia; 'US' (never in the article) is left as written."""
    knows = knowledge.matcher._knows
    assert read_country_codes("Will UA join NATO?", knows) == "Will Ukraine join NATO?"
    assert read_country_codes("what does RUS want", knows) == "what does Russia want"
    assert read_country_codes("Is the US sending tanks?", knows) == "Is the US sending tanks?"
    assert read_country_codes("UA AND RU", knows) == "UA AND RU"  # all capitals: shouting


def test_a_country_code_of_the_article_is_not_a_foreign_name(knowledge: Knowledge) -> None:
    """'UA' names Ukraine, which the article is about; 'US' and 'EU' stay foreign."""
    knows = knowledge.matcher._knows
    assert foreign_names("Is UA on the offensive?", knows) == ()
    assert foreign_names("What did the US and the EU say?", knows) == ("US", "EU")


def test_a_question_with_country_codes_is_answered_like_the_names(knowledge: Knowledge) -> None:
    """'How much of Ukraine is RU holding?' gets the same answer as with 'Russia'."""
    matcher = knowledge.matcher
    coded = matcher.match("How much of Ukraine is RU holding right now?")
    named = matcher.match("How much of Ukraine is Russia holding right now?")
    assert coded.kind == named.kind == "answer"
    assert coded.best is not None and named.best is not None
    assert coded.best.entry.id == named.best.entry.id == "russian-controlled-share"
    assert coded.query == "How much of Ukraine is RU holding right now?"  # as the reader wrote it


def test_a_small_word_in_capitals_is_emphasis_not_an_abbreviation(knowledge: Knowledge) -> None:
    """'ceasefire in exchange for WHAT?' shouts a word; 'the US' still names a country."""
    knows = knowledge.matcher._knows
    assert foreign_names("ceasefire in exchange for WHAT?", knows) == ()
    assert foreign_names("will moscow give up ANY land", knows) == ()
    assert foreign_names("so he's a hard NO on giving land?", knows) == ()
    assert foreign_names("how did the US react", knows) == ("US",)
    assert foreign_names("did he mention a MAP for Ukraine", knows) == ("MAP",)
    assert knowledge.matcher.match("is moscow willing to give up ANY occupied land?").kind != (
        "decline"
    )
