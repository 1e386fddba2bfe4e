"""Tests for bot.core.smalltalk: greetings, thanks, goodbyes and help requests are recognised."""

from __future__ import annotations

import pytest

from bot.core.replies import reply_to
from bot.core.smalltalk import detect_smalltalk
from bot.knowledge.knowledge import Knowledge


@pytest.mark.parametrize(
    "text",
    [
        "hi",
        "Hi!",
        "hello",
        "Hello there",
        "hey bot",
        "HEY",
        "good morning",
        "Good evening!",
        "good afternoon",
        "whats up",
        "how are you?",
        "/start",
        "hi there!",
    ],
)
def test_greetings(text: str) -> None:
    """Greetings, in any case and with punctuation, are small talk of kind 'greeting'."""
    assert detect_smalltalk(text) == "greeting"


@pytest.mark.parametrize(
    "text",
    [
        "thanks",
        "Thank you!",
        "thx",
        "thanks a lot",
        "thank you very much",
        "ok thanks",
        "cheers",
        "great",
        "got it",
        "many thanks",
        "much appreciated",
        "good bot",
    ],
)
def test_thanks(text: str) -> None:
    """Thanks and acknowledgements are small talk of kind 'thanks'."""
    assert detect_smalltalk(text) == "thanks"


@pytest.mark.parametrize("text", ["bye", "Goodbye!", "bye bye", "see you", "good night", "later"])
def test_goodbyes(text: str) -> None:
    """Goodbyes are small talk of kind 'bye'."""
    assert detect_smalltalk(text) == "bye"


@pytest.mark.parametrize(
    "text",
    ["help", "Help!", "help please", "what can you do?", "who are you", "what do you know?"],
)
def test_help(text: str) -> None:
    """Requests for help are small talk of kind 'help'."""
    assert detect_smalltalk(text) == "help"


@pytest.mark.parametrize(
    "text",
    [
        "hi, when was crimea annexed",
        "thanks, and how long has the war lasted?",
        "when was crimea annexed",
        "help me understand the victory plan",
        "nato",
        "",
        "???",
        "good",
    ],
)
def test_questions_are_not_small_talk(text: str) -> None:
    """A message with anything beyond small talk (or nothing at all) is not small talk."""
    assert detect_smalltalk(text) is None


def test_greeting_with_question_is_answered(knowledge: Knowledge) -> None:
    """'hi, when was crimea annexed' is answered from the article, not greeted."""
    reply = reply_to(knowledge, "hi, when was crimea annexed")
    assert reply.kind == "answer"
    assert reply.entry_id == "crimea-annexed"
    entry = knowledge.by_id["crimea-annexed"]
    assert entry.sentence in reply.text


@pytest.mark.parametrize(
    ("text", "kind"),
    [("hello", "greeting"), ("thanks!", "thanks"), ("bye", "bye"), ("help", "help")],
)
def test_small_talk_gets_a_small_talk_reply(knowledge: Knowledge, text: str, kind: str) -> None:
    """reply_to answers small talk with a small-talk reply mentioning the headline."""
    reply = reply_to(knowledge, text)
    assert reply.kind == "smalltalk"
    assert reply.entry_id is None
    assert knowledge.article.headline in reply.text
