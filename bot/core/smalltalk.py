"""Small talk: greetings, thanks and goodbyes get a short friendly reply instead of an answer.

Only a message that is nothing but small talk is caught here; "hi, when was Crimea annexed?"
goes on to the matcher, whose stop words ignore the greeting.
"""

from __future__ import annotations

import re
from typing import Literal

from bot.core.text import fold

SmallTalk = Literal["greeting", "thanks", "bye", "help"]


def _phrases(text: str) -> frozenset[str]:
    return frozenset(" ".join(p.split()) for p in text.split("|") if p.strip())


_PHRASES: dict[SmallTalk, frozenset[str]] = {
    "greeting": _phrases(
        """hi|hello|hey|hiya|heya|howdy|yo|hallo|hola|greetings|good morning|good afternoon
        |good evening|good day|hi there|hello there|hey there|morning|evening|sup|whats up
        |what s up|how are you|hi bot|hello bot|hey bot|start"""
    ),
    "thanks": _phrases(
        """thanks|thank you|thx|ty|cheers|thanks a lot|thank you very much|many thanks
        |thanks so much|great thanks|ok thanks|okay thanks|thank u|tnx|ta|much appreciated
        |great|perfect|nice|cool|awesome|ok|okay|got it|good bot|thanks bot|thank you bot"""
    ),
    "bye": _phrases("bye|goodbye|bye bye|see you|see ya|ciao|good night|later"),
    "help": _phrases(
        """help|what can you do|who are you|what are you|how does this work|what do you know
        |how do i use this|how does it work"""
    ),
}
_PUNCTUATION = re.compile(r"[^\w]+")


def detect_smalltalk(text: str) -> SmallTalk | None:
    """Return the kind of small talk ``text`` is, or None when it may be a question."""
    folded = fold(text).replace("'", "")
    phrase = " ".join(w for w in _PUNCTUATION.sub(" ", folded).split() if w != "please")
    for kind, phrases in _PHRASES.items():
        if phrase in phrases:
            return kind
    return None
