"""The reader's purpose or role, said before the question: "For my thesis, when did …?".

Long formal questions often open with a clause that tells why the reader asks or who they are
("For the purposes of my dissertation, …", "As a journalist preparing a digest, I would like
…", "In broad terms, …"). Its words are the reader's context, not the question's topic: a
thesis, a memo or a journalist is nothing the article must speak of. ``framing_words`` returns
the tokens of such a leading clause that the knowledge does not know and that the rest of the
question does not repeat (known words keep counting, so "For a constitutional law module, …"
still speaks of the constitution); the matcher drops them like chat words.

A clause frames only when it is plainly about the reader: it opens the message, runs to the
first comma, holds no question word, and is either "In broad/general/… terms", a purpose of
the reader's own ("For my thesis", "For the purposes of our memo": "my", "our" or "the
purpose(s) of" in it), or the reader's role with the reader as the subject after it ("As a
journalist preparing a digest, I would like …"). And the rest of the question must not point
back at the clause ("it", "they", "this"…): in "For my essay on the pandemic, how long has it
lasted?" or "For the pandemic, could you tell me how long it lasted?" the clause holds the
topic. Names of places and organisations are looked for in the whole message.
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
# a purpose of the reader's own ("for my thesis", "for the purposes of a memo")
_PURPOSE = re.compile(r"\b(?:my|our|purposes?\s+of)\b")
# the reader as the subject after a role ("as a journalist, I would like …")
_READER_SUBJECT = re.compile(r"(?:i|we)(?:'d|'m|'ve)?\s+(?!\.)")
# the rest of the question pointing back at the clause: then the clause holds the topic
_POINTS_BACK = re.compile(r"\b(?:it|its|it's|they|them|their|this|that|these|those)\b")

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
    if not frame.group("fixed"):
        purpose = clause.lstrip().startswith("for") and _PURPOSE.search(clause)
        role = clause.lstrip().startswith("as") and _READER_SUBJECT.match(rest)
        if not (purpose or role) or _POINTS_BACK.search(rest):
            return frozenset()
    asked = set(tokens(rest))
    return frozenset(t for t in tokens(clause) if not known(t) and t not in asked)
