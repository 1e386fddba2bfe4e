"""Tests for bot.core.opinions: requests for opinions or predictions are recognised."""

from __future__ import annotations

import pytest

from bot.core.opinions import OpinionDetector
from bot.core.replies import OPINION_INTRO, reply_to
from bot.core.text import fold
from bot.knowledge.knowledge import Knowledge

SHIPPED_NAMES = ("Zelensky", "Zelenskyy", "Ukraine", "Kyiv", "NATO", "Russia", "Moscow", "Putin")
asks_for_opinion = OpinionDetector.for_names(SHIPPED_NAMES).asks_for_opinion


@pytest.mark.parametrize(
    "question",
    [
        "Is Zelensky's proposal a good idea?",
        "do you think ukraine will join nato",
        "what do u think about the deal",
        "in your opinion, who is right?",
        "Should Ukraine accept the deal?",
        "will the deal actually happen",
        "is it fair to ask Ukraine to wait",
        "Is Putin wrong?",
        "when will ukraine actually join nato",
        "will nato really accept ukraine?",
        "will the war end next year?",
        "How long would the ceasefire last under this plan?",
        "Would this plan really work?",
        "How likely is it that Ukraine will recover Crimea through diplomacy?",
        "Is it probable that Moscow will accept a ceasefire on these terms?",
        "what are the chances nato says yes",
        "who's gonna win this war fr",
        "who will win the war u think",
        "Is Zelensky a good leader?",
        "Would you say Ukraine is losing?",
        "Is Sky News a reliable source?",
        "is the bbc biased",
        "Can Putin be trusted to keep a ceasefire?",
        "is zelensky honest about this",
        "will ukraine ever get crimea back",
        "will putin go for this d'you think",
        "do ya reckon nato says yes",
        "Will Ukraine realistically recover the occupied regions through diplomacy?",
        "will the occupied areas come back within the next decade",
        "will nato let them in in the coming years",
        "will russia attack again in the next few years",
    ],
)
def test_opinion_and_prediction_questions_are_recognised(question: str) -> None:
    """Opinions, judgements and predictions are caught on the folded text."""
    assert asks_for_opinion(fold(question))


@pytest.mark.parametrize(
    "question",
    [
        "when should this happen",
        "should Ukraine be in NATO under the deal",
        "what should happen to the occupied areas",
        "is it true that Russia controls a fifth of Ukraine",
        "what does Zelensky think about a ceasefire",
        "will Russia give up the occupied territories",
        "what is the deal",
        "will Moscow return the territory",
        "what will happen to the occupied areas",
        "how long has the war lasted",
        "How exactly would this deal work, step by step?",
        "when could a referendum happen according to zelensky",
        "would a referendum happen before kyiv regains control",
        "Is the situation at the front forcing his hand, would you say?",
        "is it really 20% occupied or is that propaganda",
        "can ukraine be in nato without all its land",
        "has zelensky ever agreed to give up land",
        "how many regions are still lying outside kyiv's control",
        "will russia give up the land it holds",
    ],
)
def test_factual_questions_are_not_opinions(question: str) -> None:
    """Questions the article answers, even with 'should', 'will' or 'think', pass through."""
    assert not asks_for_opinion(fold(question))


def test_opinion_is_declined_even_when_its_words_match_well(knowledge: Knowledge) -> None:
    """'Would Zelensky trade a ceasefire for NATO membership, good idea?' is not answered."""
    question = "would Zelensky trade a ceasefire for NATO membership, is that a good idea"
    plain = knowledge.matcher.match("would Zelensky trade a ceasefire for NATO membership")
    assert plain.kind == "answer"
    result = knowledge.matcher.match(question)
    assert (result.kind, result.opinion) == ("decline", True)
    assert result.best is not None and result.best.entry.id == plain.best.entry.id


def test_opinion_reply_is_neutral_and_offers_the_nearest_facts(knowledge: Knowledge) -> None:
    """The reply says the bot gives no opinions, then offers the closest factual questions."""
    reply = reply_to(knowledge, "Is Zelensky's ceasefire offer a good idea?")
    assert reply.kind == "decline"
    assert reply.text.startswith(OPINION_INTRO)
    assert "ceasefire-for-nato" in [b.value for row in reply.buttons for b in row]


def test_no_shipped_phrasing_reads_as_an_opinion(knowledge: Knowledge) -> None:
    """Every phrasing of the knowledge stays answerable: none matches the opinion patterns."""
    opinions = [q for e in knowledge.entries for q in e.questions if asks_for_opinion(fold(q))]
    assert opinions == []


def test_should_about_a_name_from_the_knowledge_file_is_an_opinion() -> None:
    """'Should <actor> …' is recognised for the names the knowledge file lists, not others."""
    detector = OpinionDetector.for_names(["Atlantis"])
    assert detector.asks_for_opinion(fold("Should Atlantis sign the treaty?"))
    assert not OpinionDetector.for_names([]).asks_for_opinion(fold("Should Atlantis sign it?"))


def test_shipped_knowledge_names_its_actors(knowledge: Knowledge) -> None:
    """The shipped file lists the article's actors; the matcher's detector uses them."""
    assert set(SHIPPED_NAMES) <= set(knowledge.file.model.names)
    assert knowledge.matcher.opinions.asks_for_opinion(fold("should kyiv accept"))
