"""The decision policy: answer a question, ask "did you mean", or decline.

The file that decides. It takes the ranked candidates (``bot.core.scoring``) and the
thresholds (``bot.core.thresholds``, the maintainers' knobs) as arguments. An answer needs the
answer threshold, and no runner-up from another sentence within the margin unless the top score
is confident; between the suggest and answer thresholds, when two entries are too close to call,
or when the question is too vague ("nato"), the reader gets up to three suggestions.
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.core.candidate import Candidate
from bot.core.match_result import MatchResult
from bot.core.thresholds import Thresholds


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
