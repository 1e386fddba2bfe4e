"""Tests for bot.core.places: foreign names, and country codes read as their countries."""

from __future__ import annotations

from bot.core.places import foreign_names, place_names, read_country_codes
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


def test_a_peoples_state_names_its_country(knowledge: Knowledge) -> None:
    """'the Chinese government', 'north korean troops', 'the German chancellor' are China's,
    North Korea's and Germany's, which the article never mentions; capitals do not matter."""
    knows = knowledge.matcher._knows
    assert foreign_names("What is the position of the Chinese government?", knows) == ("China",)
    assert foreign_names("are north korean troops fighting for russia", knows) == ("North Korea",)
    assert foreign_names("what did the german chancellor say", knows) == ("Germany",)
    assert foreign_names("What did the French government say?", knows) == ("France",)
    result = knowledge.matcher.match("What is the Chinese government's view of the ceasefire?")
    assert (result.kind, result.foreign) == ("decline", ("China",))


def test_a_peoples_word_elsewhere_is_no_foreign_name(knowledge: Knowledge) -> None:
    """A language, a dish, the reader or their family are not the question's topic; the state
    of a country the article names is not foreign either."""
    knows = knowledge.matcher._knows
    for question in (
        "My dad is Polish and wants to know why Zelensky changed his position",
        "We Norwegians are wondering if he has ever offered land before",
        "Translate the summary into Spanish",
        "more holes than Swiss cheese, this plan. what about the occupied areas?",
        "Do Ukrainian troops hold the line?",
        "what do russian officials say about it",
    ):
        assert foreign_names(question, knows) == (), question


def test_where_the_reader_is_is_set_aside_not_foreign(knowledge: Knowledge) -> None:
    """'I'm from Poland', 'We live in the UK', 'hello from Canada' tell where the reader is: no
    foreign name, and the words saying so come back in order with the rest of the message."""
    knows = knowledge.matcher._knows
    readers = {
        "I'm from Poland, what is this article about?": "i'm from poland",
        "I live in Berlin, what does Zelensky want?": "i live in berlin",
        "hello from Canada! who is zelensky?": "hello from canada",
        "I am from the UK, who is zelensky?": "i am from the uk",
        "We live in the UK, who is zelensky?": "we live in the uk",
        "I'm originally from the US, who is he?": "i'm originally from the us",
    }
    for question, home in readers.items():
        names = place_names(question, knows)
        assert (names.foreign, names.home) == ((), home), question
    assert place_names("hello from Canada! who is zelensky?", knows).rest == "who is zelensky"


def test_a_place_the_reader_is_not_said_to_be_in_stays_foreign(knowledge: Knowledge) -> None:
    """Troops from North Korea, people living in Syria, 'we in Poland', 'based in London' and
    'popular here in Germany' are the question's topic: no reader says they are there."""
    knows = knowledge.matcher._knows
    assert foreign_names("Were troops from North Korea sent?", knows) == ("North Korea",)
    assert foreign_names("How long has the war lasted for those living in Syria?", knows) == (
        "Syria",
    )
    assert foreign_names("What do we in Poland get from the deal?", knows) == ("Poland",)
    assert foreign_names("Did he talk to Sky News while based in London?", knows) == ("London",)
    assert foreign_names("Is the proposal popular here in Germany?", knows) == ("Germany",)


def test_a_readers_place_the_question_is_about_stays_foreign(knowledge: Knowledge) -> None:
    """A reader's place counts only as a clause of its own ("I'm from Poland, …") that the rest
    does not ask about ("us", "our", "here"): otherwise it is the topic, and no answer about the
    article's war stands in for an answer about it."""
    knows = knowledge.matcher._knows
    for question, place in (
        ("I'm from Poland, will Russia attack us?", "Poland"),
        ("I live in Finland, will our army have to fight?", "Finland"),
        ("What if I'm in Poland and Russia attacks?", "Poland"),
        ("Did Zelensky say hello from Poland?", "Poland"),
        ("I live in Berlin and wonder what he wants", "Berlin"),
    ):
        assert place_names(question, knows) == ((place,), "", ""), question
    assert knowledge.matcher.match("I'm from Poland, will Russia attack us?").kind == "decline"


def test_where_the_reader_is_does_not_weigh_against_the_answer(knowledge: Knowledge) -> None:
    """'hello from Canada! who is zelensky?' is answered as 'who is zelensky?'; a word of the
    place the question repeats still counts ('I'm from Long Beach, how long …'); with only
    small words left, they are compared without the place."""
    matcher = knowledge.matcher
    for question, entry in (
        ("hello from Canada! who is zelensky?", "who-is-zelensky"),
        ("I'm from the United States, who is Zelensky?", "who-is-zelensky"),
        ("I'm from Long Beach, how long has the war lasted?", "war-duration"),
    ):
        result = matcher.match(question)
        assert result.kind == "answer" and not result.foreign, question
        assert result.best is not None and result.best.entry.id == entry, question
    assert matcher.read("I'm from Long Beach, how long has the war lasted?").set_aside == ("beach",)
    small = matcher.match("I'm in the US, what's this about?")
    assert small.kind != "empty" and "summary" in [c.entry.id for c in small.candidates]


def test_a_peoples_state_is_found_though_every_word_is_known(knowledge: Knowledge) -> None:
    """'What did the French president say?' has no word the knowledge lacks (it knows 'French'
    from Le Monde), yet it asks about France's president."""
    result = knowledge.matcher.match("What did the French president say?")
    assert (result.kind, result.foreign) == ("decline", ("France",))
