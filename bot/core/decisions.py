"""What to do with a question's scores: answer it, ask "did you mean", or decline.

The thresholds are the maintainers' knobs (``BOT_ANSWER_THRESHOLD`` and friends); the rules are
small enough to read here. An answer needs the answer threshold, and no runner-up from another
sentence within the margin unless the top score is confident; between the suggest and answer
thresholds, when two entries are too close to call, or when the question is too vague ("nato"),
the reader gets up to three suggestions.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from bot.knowledge.schema import Entry
from bot.settings import Settings

Kind = Literal["answer", "suggest", "decline", "empty"]


@dataclass(frozen=True)
class Thresholds:
    """Score limits (0-100): answer at or above ``answer``; suggest at or above ``suggest``."""

    answer: float = 58.0
    suggest: float = 55.0
    margin: float = 3.0
    confident: float = 80.0
    max_suggestions: int = 3

    def __post_init__(self) -> None:
        if not 0 <= self.suggest <= self.answer <= 100:
            raise ValueError("thresholds must satisfy 0 <= suggest <= answer <= 100")


@dataclass(frozen=True)
class Candidate:
    """An entry with its best score for the question and the phrasing that scored it."""

    entry: Entry
    score: float
    question: str


@dataclass(frozen=True)
class MatchResult:
    """What the matcher decided for one question, with the ranked candidates behind it."""

    query: str
    kind: Kind
    candidates: tuple[Candidate, ...] = ()
    suggestions: tuple[Candidate, ...] = ()
    opinion: bool = False  # declined because it asks for an opinion or a prediction

    @property
    def best(self) -> Candidate | None:
        """Return the top candidate, if any entry scored at all."""
        return self.candidates[0] if self.candidates else None

    @property
    def answered(self) -> bool:
        """Tell whether an answer (not a suggestion or decline) is given."""
        return self.kind == "answer"


def decide(
    query: str,
    candidates: Sequence[Candidate],
    limits: Thresholds,
    *,
    vague: bool = False,
    opinion: bool = False,
) -> MatchResult:
    """Turn ranked candidates into an answer, suggestions or a decline.

    ``vague`` (a one- or two-word question that many entries share) asks "did you mean"
    whenever two or more entries are worth suggesting. ``opinion`` (the question asks for an
    opinion or a prediction) always declines, keeping the candidates for examples.
    """
    if opinion:
        return MatchResult(query, "decline", tuple(candidates[:5]), opinion=True)
    if not candidates or candidates[0].score < limits.suggest:
        return MatchResult(query, "decline", tuple(candidates[:5]))
    suggestions = tuple(
        c for c in candidates[: limits.max_suggestions] if c.score >= limits.suggest
    )
    if vague and len(suggestions) >= 2:
        return MatchResult(query, "suggest", tuple(candidates[:5]), suggestions)
    top = candidates[0]
    close = [
        c
        for c in candidates[1 : limits.max_suggestions]
        if c.score >= limits.suggest
        and top.score - c.score < limits.margin
        and c.entry.sentence != top.entry.sentence
    ]
    if top.score >= limits.answer and not (close and top.score < limits.confident):
        return MatchResult(query, "answer", tuple(candidates[:5]))
    return MatchResult(query, "suggest", tuple(candidates[:5]), suggestions)


def thresholds_from(settings: Settings) -> Thresholds:
    """Return the thresholds a maintainer set (``BOT_ANSWER_THRESHOLD`` and friends)."""
    return Thresholds(
        answer=settings.answer_threshold,
        suggest=settings.suggest_threshold,
        margin=settings.ambiguity_margin,
    )
