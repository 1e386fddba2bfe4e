"""Siblings and rivals: which close entries compete with answering the top one.

A *sibling* quotes the same sentence as an entry or is in its ``related``: it answers a
neighbouring question and stays one tap away under the answer, so it is no rival. The decision
policy (``bot.core.decisions``), the agreement of the nearest phrasings
(``bot.core.agreement``) and the knowledge checks (``bot.knowledge.validation``) share these.
"""

from __future__ import annotations

from collections.abc import Iterable

from bot.core.candidate import Candidate
from bot.knowledge.schema import Entry


def rivals(entry: Entry, candidates: Iterable[Candidate]) -> list[Candidate]:
    """Return the candidates that compete with answering ``entry``, in their order.

    A rival is an entry quoting another sentence that the answer would not offer as a related
    button: a close entry of the same sentence, or one listed in ``entry.related``, stays one
    tap away under the answer.
    """
    return [c for c in candidates if not is_sibling(entry, c.entry)]


def is_sibling(entry: Entry, other: Entry) -> bool:
    """Tell whether ``other`` quotes the same sentence as ``entry`` or is in its ``related``."""
    return other.sentence == entry.sentence or other.id == entry.id or other.id in entry.related
