"""Small talk: greetings, thanks and goodbyes get a short friendly reply instead of an answer.

Only a message that is nothing but small talk is caught here; "hi, when was Crimea annexed?"
goes on to the matcher, whose stop words ignore the greeting.
"""

from __future__ import annotations

from typing import Literal

from bot.text import fold, words

SmallTalk = Literal["greeting", "thanks", "bye", "help"]

_PHRASES: dict[SmallTalk, frozenset[str]] = {
    "greeting": frozenset(
        """hi|hello|hey|hiya|heya|howdy|yo|hallo|hola|greetings|good morning|good afternoon
        |good evening|good day|hi there|hello there|hey there|morning|evening|sup|whats up
        |how are you|hi bot|hello bot|hey bot|start""".replace("\n", "").split("|")
    ),
    "thanks": frozenset(
        """thanks|thank you|thx|ty|cheers|thanks a lot|thank you very much|many thanks
        |thanks so much|great thanks|ok thanks|okay thanks|thank u|tnx|ta|much appreciated
        |great|perfect|nice|cool|awesome|ok|okay|got it|good bot""".replace("\n", "").split("|")
    ),
    "bye": frozenset(
        ["bye", "goodbye", "bye bye", "see you", "see ya", "ciao", "good night", "later"]
    ),
    "help": frozenset(
        [
            "help",
            "what can you do",
            "who are you",
            "what are you",
            "how does this work",
            "what do you know",
        ]
    ),
}


def detect_smalltalk(text: str) -> SmallTalk | None:
    """Return the kind of small talk ``text`` is, or None when it may be a question."""
    phrase = " ".join(w for w in words(fold(text)) if w not in ("please", "bot", "there"))
    phrase = phrase or " ".join(words(fold(text)))
    for kind, phrases in _PHRASES.items():
        if phrase in phrases:
            return kind
    return None
