"""The reader's purpose or role, said before the question: "For my thesis, when did …?".

Long formal questions often open with a clause that tells why the reader asks or who they are
("For the purposes of my dissertation, …", "As a journalist preparing a digest, I would like
…", "In broad terms, …"). Its words are the reader's context, not the question's topic: a
thesis, a memo or a journalist is nothing the article must speak of. ``framing_words`` returns
the tokens of such a leading clause that the knowledge does not know and that the rest of the
question does not repeat (known words keep counting, so "For a constitutional law module, …"
still speaks of the constitution); the matcher drops them like chat words.

A clause frames only when it is plainly about the reader: it opens the message, runs to the
first comma, starts with "for", "as a/an" or "in broad/general/… terms", holds no question
word, and either speaks of the reader ("my", "our") or is followed by the reader's own request
("I would like …", "could you …", "please …"). A topic put first stays a topic: in "For the
pandemic, how long has it lasted?" or "As a result of the strike, what …?" the question that
follows asks about it. Names of places and organisations are looked for in the whole message.
"""

from __future__ import annotations

import re
from collections.abc import Callable

_QUESTION_WORD = r"\b(?:what|which|who|whom|whose|when|where|why|how)\b"
# a leading "For …," / "As a(n) …," / "In broad terms," clause of at most 120 characters
_FRAME = re.compile(
    r"\s*(?P<fixed>in\s+(?:broad|general|simple|plain|short)\s+terms\b)?"
    r"(?(fixed)|(?:for|as\s+an?)\b)"
    rf"(?![^,]*{_QUESTION_WORD})[^,?!.;:]{{0,120}},\s*(?=\S)"
)
# the clause speaks of the reader, or the reader's own request follows it
_READER = re.compile(r"\b(?:my|our)\b")
_REQUEST = re.compile(
    r"(?:i|we)\b|i'(?:d|m|ve)\b|(?:could|can|would|will) you\b|please\b|kindly\b|may i\b"
)

Tokens = Callable[[str], tuple[str, ...]]


def framing_words(folded: str, tokens: Tokens, known: Callable[[str], bool]) -> frozenset[str]:
    """Return the unknown tokens of a leading clause that frames the question (see above).

    ``folded`` is the folded message, ``tokens`` the knowledge's normaliser and ``known`` tells
    whether a token is a word of the knowledge or a misspelling of one.
    """
    frame = _FRAME.match(folded)
    if frame is None:
        return frozenset()
    clause, rest = frame.group(0), folded[frame.end() :]
    if not rest.strip("?!. "):
        return frozenset()
    if not (frame.group("fixed") or _READER.search(clause) or _REQUEST.match(rest)):
        return frozenset()
    asked = set(tokens(rest))
    return frozenset(t for t in tokens(clause) if not known(t) and t not in asked)
