"""The reader's purpose or role, said before the question: "For my thesis, when did …?".

Long formal questions often open with a clause that tells why the reader asks or who they are
("For the purposes of my dissertation, …", "As a journalist preparing a digest, …", "In broad
terms, …"). Its words are the reader's context, not the question's topic: a thesis, a memo or
a journalist is nothing the article must speak of. ``framing_words`` returns the tokens of such
a leading clause that the knowledge does not know (known words keep counting, so "For a
constitutional law module, …" still speaks of the constitution); the matcher drops them like
chat words. Only a clause at the very start, up to its first comma, opening with "for", "as
a/an" or "in broad/general/simple/plain/short terms" and holding no question word counts:
"For how long …?" is a question, "As for the elections, …" names a topic. Names of places and
organisations are looked for in the whole message as before.
"""

from __future__ import annotations

import re
from collections.abc import Callable

_QUESTION_WORD = r"\b(?:what|which|who|whom|whose|when|where|why|how)\b"
# a leading "For …," / "As a(n) …," / "In broad terms," clause of at most 120 characters
_FRAME = re.compile(
    r"\s*(?:for\b(?!\s+(?:the\s+)?(?:record|example|instance)\b)|as\s+an?\b"
    r"|in\s+(?:broad|general|simple|plain|short)\s+terms\b)"
    rf"(?![^,]*{_QUESTION_WORD})[^,?!.;:]{{0,120}},\s*(?=\S)"
)

Tokens = Callable[[str], tuple[str, ...]]


def framing_words(folded: str, tokens: Tokens, known: Callable[[str], bool]) -> frozenset[str]:
    """Return the unknown tokens of a leading clause that frames the question (see above).

    ``folded`` is the folded message, ``tokens`` the knowledge's normaliser and ``known`` tells
    whether a token is a word of the knowledge or a misspelling of one.
    """
    frame = _FRAME.match(folded)
    if frame is None or frame.end() >= len(folded.rstrip("?!. ")):
        return frozenset()
    return frozenset(token for token in tokens(frame.group(0)) if not known(token))
