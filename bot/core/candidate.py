"""One ranked entry for a question: the entry, its score and the phrasing that scored it.

The scorer (``bot.core.scoring``) produces candidates best first; the decision policy
(``bot.core.decisions``) and every surface read them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.knowledge.schema import Entry


@dataclass(frozen=True)
class Candidate:
    """An entry with its best score for the question and the phrasing that scored it."""

    entry: Entry
    score: float
    question: str
    # the signals behind the score, each 0-1: how much of the question's weight the entry's
    # whole text covers, and the F1 of the question with the entry's closest phrasing
    coverage: float = field(default=0.0, compare=False)
    closeness: float = field(default=0.0, compare=False)
