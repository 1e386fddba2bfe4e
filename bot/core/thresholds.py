"""The maintainers' knobs of the decision policy: answer, suggest and the ambiguity margin.

They are settings (``BOT_ANSWER_THRESHOLD`` and friends) passed to the policy as an argument, so
an evaluation sweep tries other values without touching the index that every reader shares.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.settings import Settings


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


def thresholds_from(settings: Settings) -> Thresholds:
    """Return the thresholds a maintainer set (``BOT_ANSWER_THRESHOLD`` and friends)."""
    return Thresholds(
        answer=settings.answer_threshold,
        suggest=settings.suggest_threshold,
        margin=settings.ambiguity_margin,
    )
