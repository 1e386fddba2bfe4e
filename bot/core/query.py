"""A reader's message read once: folded text, content tokens and the words as written.

Small talk, the opinion check and the scorer all read the same ``Query``, so a message is
normalised (``bot.core.text``) exactly once however many steps look at it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from bot.core.details import ASKS_NAMES, ASKS_WHEN
from bot.core.text import Normaliser, fold

# The longest message Telegram delivers; a question is never read past it (the same bound
# for the terminal, the CLI and any Bot API server that would send more).
MAX_QUESTION_CHARS = 4096


@dataclass(frozen=True)
class Query:
    """One message as the core reads it."""

    text: str  # as the reader wrote it
    folded: str  # Unicode- and case-folded, quotes and dashes unified
    tokens: tuple[str, ...]  # content tokens: synonyms mapped, stop words out, stemmed; unique
    forms: Mapping[str, str]  # stem -> the word as written, for typos of inflected forms
    names: tuple[str, ...] = ()  # places and organisations the knowledge never mentions
    # tokens set aside as the reader's options, purpose or home, not the topic ("BBC" in "Sky
    # News or the BBC?", "thesis" in "For my thesis, …", "poland" in "I'm from Poland, …")
    set_aside: tuple[str, ...] = ()

    @property
    def exact_key(self) -> str:
        """Return the text as compared with phrasings written exactly ("when was it?" -> ...)."""
        return self.folded.rstrip("?!. ")

    @property
    def asks_when(self) -> bool:
        """Tell whether the question asks for a point in time ("when", "what date")."""
        return ASKS_WHEN.search(self.folded) is not None

    @property
    def asks_names(self) -> bool:
        """Tell whether the question asks for names ("who interviewed him", "name them")."""
        return ASKS_NAMES.search(self.folded) is not None

    @property
    def empty(self) -> bool:
        """Tell whether no content word is left (only stop words or punctuation)."""
        return not self.tokens


def read_query(text: str, normaliser: Normaliser) -> Query:
    """Read ``text`` once into the value every later step shares."""
    folded = fold(text)
    tokens, forms = normaliser.folded_tokens_and_forms(folded)
    return Query(text, folded, tuple(dict.fromkeys(tokens)), forms)
