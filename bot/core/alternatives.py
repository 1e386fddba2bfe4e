"""Choices a reader offers: in "was it Sky News or the BBC?" the BBC is an option, not a topic.

A question that offers alternatives ("2014 or 2015?", "a fifth or a third?", "the PM or the
president?") names one the article knows and others it may not; the unknown ones are the
reader's guesses, so they must not count against the answer (as unknown words) nor decline it
(as foreign names). ``offered_alternatives`` looks at the few words on each side of every "or"
(stopping at punctuation): when the content word nearest the "or" on one side is a word of the
knowledge and the one on the other side is not, that unknown word is returned (only that one:
"did Putin or Lukashenko invade Belarus?" still names Belarus). Both unknown ("Finland or
Sweden?") stay as they are. The pattern starts only at a word's start, so its cost is linear.
"""

from __future__ import annotations

import re
from collections.abc import Callable

# up to three words on each side of " or ", not across punctuation
# (a match starts at a word's start: no backtracking inside a long word)
_CHOICE = re.compile(r"(?<![\w'’-])((?:[\w'’-]+ ){0,2}[\w'’-]+) or ((?:[\w'’-]+ ){0,2}[\w'’-]+)")

Tokens = Callable[[str], tuple[str, ...]]


def _nearest(
    words: list[str], tokens: Tokens, known: Callable[[str], bool]
) -> tuple[bool, tuple[str, str] | None]:
    """Return whether the content word nearest the "or" is known, and that word's token and
    written form (``words`` go outwards from the "or"; small words are skipped)."""
    for word in words:
        for token in tokens(word):
            return known(token), (token, word)
    return False, None


def offered_alternatives(
    folded: str, tokens: Tokens, known: Callable[[str], bool]
) -> tuple[frozenset[str], frozenset[str]]:
    """Return the tokens and the words (folded) of the unknown options of a choice question.

    ``tokens`` is the knowledge's normaliser; ``known`` tells whether a token is a word of the
    knowledge (a misspelt word of it counts as known). An option is the content word next to the
    "or" on the unknown side; it counts as offered when the nearest content word on the other
    side is known.
    """
    dropped: set[str] = set()
    written: set[str] = set()
    for choice in _CHOICE.finditer(folded):
        left_known, left = _nearest(choice.group(1).split()[::-1], tokens, known)
        right_known, right = _nearest(choice.group(2).split(), tokens, known)
        option = right if left_known and not right_known else None
        option = left if right_known and not left_known else option
        if option is not None:
            dropped.add(option[0])
            written.add(option[1])
    return frozenset(dropped), frozenset(written)
