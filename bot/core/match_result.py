"""What the decision policy made of one question: its kind and the candidates behind it.

``kind`` is "answer", "suggest" (did you mean), "decline" or "empty"; ``candidates`` are the
ranked entries the scorer found, ``suggestions`` the entries offered as buttons.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from bot.core.candidate import Candidate

Kind = Literal["answer", "suggest", "decline", "empty"]
# What the closest answer lacks that the question asks for: a time ("when …?") or a name
# ("who interviewed him?"); "" when nothing is known to be missing.
Lacks = Literal["", "time", "name", "number", "more", "speaker", "reaction"]


@dataclass(frozen=True)
class MatchResult:
    """What the matcher decided for one question, with the ranked candidates behind it."""

    query: str
    kind: Kind
    candidates: tuple[Candidate, ...] = ()
    suggestions: tuple[Candidate, ...] = ()
    opinion: bool = False  # declined because it asks for an opinion or a prediction
    foreign: tuple[str, ...] = ()  # declined because it names what the article never mentions
    lacks: Lacks = ""  # not answered because the closest answer gives no time / no such name
    # a sibling of the best entry (same sentence or ``related``) that scored within the sibling
    # margin of it: the answer gives both, each with its sentence
    companion: Candidate | None = None

    @property
    def best(self) -> Candidate | None:
        """Return the top candidate, if any entry scored at all."""
        return self.candidates[0] if self.candidates else None

    @property
    def answered(self) -> bool:
        """Tell whether an answer (not a suggestion or decline) is given."""
        return self.kind == "answer"

    @property
    def answered_ids(self) -> tuple[str, ...]:
        """Return the ids of the entries the answer gives: the best, then its companion."""
        if self.kind != "answer" or self.best is None:
            return ()
        companion = (self.companion.entry.id,) if self.companion is not None else ()
        return (self.best.entry.id, *companion)
