"""One ranked entry for a question: the entry, its score and the phrasing that scored it.

The scorer (``bot.core.scoring``) produces candidates best first; the decision policy
(``bot.core.decisions``) and every surface read them.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.knowledge.schema import Entry


@dataclass(frozen=True)
class Candidate:
    """An entry with its best score for the question and the phrasing that scored it."""

    entry: Entry
    score: float
    question: str
