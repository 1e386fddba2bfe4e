"""Choices a reader offers: in "was it Sky News or the BBC?" the BBC is an option, not a topic.

A question that offers alternatives ("2014 or 2015?", "a fifth or a third?", "the PM or the
president?") names one the article knows and others it may not; the unknown ones are the
reader's guesses, so they must not count against the answer (as unknown words) nor decline it
(as foreign names). ``offered_alternatives`` looks at the few words on each side of every "or"
(stopping at punctuation): when one side has a word of the knowledge and the other has none,
the other side's words are returned. Both sides unknown ("Finland or Sweden?") stay as they
are. The cost is one pass over the words around each "or".
"""

from __future__ import annotations

import re
from collections.abc import Callable

# up to three words on each side of " or ", not across punctuation
_CHOICE = re.compile(r"((?:[\w'’-]+ ){0,2}[\w'’-]+) or ((?:[\w'’-]+ ){0,2}[\w'’-]+)")

Tokens = Callable[[str], tuple[str, ...]]


def _run(
    words: list[str], tokens: Tokens, known: Callable[[str], bool]
) -> tuple[bool, list[tuple[str, str]]]:
    """Return whether the content word nearest the "or" is known, and if not, the unknown run.

    ``words`` go outwards from the "or"; small words (no token) are skipped.
    """
    run: list[tuple[str, str]] = []
    for word in words:
        for token in tokens(word):
            if known(token):
                return not run, []
            run.append((token, word))
    return False, run


def offered_alternatives(
    folded: str, tokens: Tokens, known: Callable[[str], bool]
) -> tuple[frozenset[str], frozenset[str]]:
    """Return the tokens and the words (folded) of the unknown options of a choice question.

    ``tokens`` is the knowledge's normaliser; ``known`` tells whether a token is a word of the
    knowledge. An option is the run of unknown words next to the "or" ("some random blog");
    it counts as offered when the content word on the other side of the "or" is known.
    """
    dropped: set[str] = set()
    written: set[str] = set()
    for choice in _CHOICE.finditer(folded):
        left_known, left_run = _run(choice.group(1).split()[::-1], tokens, known)
        right_known, right_run = _run(choice.group(2).split(), tokens, known)
        run = right_run if left_known else left_run if right_known else []
        for token, word in run:
            dropped.add(token)
            written.add(word)
    return frozenset(dropped), frozenset(written)
