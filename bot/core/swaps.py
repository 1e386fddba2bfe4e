"""A question that is a phrasing with its topic swapped: "How long has the *pandemic* lasted?".

The closest phrasing of war-duration is "how long has the war lasted"; a question that says the
same with one content word replaced by a word the knowledge has never seen asks about that
other thing, however well the rest fits. ``swapped_word`` compares the content tokens of the
question and of the top entry's closest phrasing position by position (after synonyms, stop
words and word endings, so "lasted" and "last" agree): the same length, one position different,
and the question's word there unknown (no word of the knowledge, no misspelling of one, no
everyday word). The policy then asks "did you mean" instead of answering. A paraphrase in words
the knowledge lacks ("why is he changing his *tune*") is caught too: the reader gets the right
entry as a button, and a maintainer who sees it in `unanswered` adds the word as a synonym. A
word spelt like the one it replaces ("how *lnog* has it lasted") is a typo, not a swap.
"""

from __future__ import annotations

from collections.abc import Callable

from rapidfuzz import fuzz

# A question word at least this similar (rapidfuzz ratio) to the phrasing's word is its typo.
TYPO_RATIO = 60.0


def swapped_word(
    asked: tuple[str, ...], phrasing: tuple[str, ...], unknown: Callable[[str], bool]
) -> tuple[str, str] | None:
    """Return (the question's word, the phrasing's word) when ``asked`` is ``phrasing`` with
    one content token replaced by an unknown one; else None."""
    if len(asked) != len(phrasing) or len(asked) < 2:
        return None
    different = [(a, p) for a, p in zip(asked, phrasing, strict=True) if a != p]
    if len(different) != 1:
        return None
    word, replaced = different[0]
    if not unknown(word) or fuzz.ratio(word, replaced) >= TYPO_RATIO:
        return None
    return word, replaced
