"""Details a question asks for that the closest answer may not give: numbers, dates, reactions.

"How many tanks has Russia lost?" shares "Russia" with the entry on how much of Ukraine Russia
holds, and "Did Peskov comment on the Sky News interview?" shares the interview with the entry
on it; both entries answer something else. So, besides "when" and names (``bot.core.query``),
a question that asks for a *number* ("how many", "what percentage") needs an answer that gives
one — and, for "how many X", that speaks of X; a question about a *reaction* ("react",
"respond", "comment", "vote") needs an answer that reports one. ``AnswerFacts`` is read once
per entry when the index is built; ``missing_detail`` is one regex search per rule on the
question, linear in its length.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from bot.core.text import fold
from bot.knowledge.schema import Entry

_ASKS_NUMBER = re.compile(
    r"\bhow (?:many|much)\b|\bwhat (?:percentage|percent|proportion|fraction|number)\b"
)
# "how many tanks": the answer must speak of tanks ("how many percent" needs only a number)
_HOW_MANY = re.compile(r"\bhow many (?!percent\b|per\b)(\w+)")
_ASKS_DATE = re.compile(
    r"\b(?:what|which)(?: (?:exact|precise|specific|particular|actual))? (?:date|year|month)\b"
    r"|\b(?:exact|precise) date\b"
)
_REACTION = re.compile(
    r"\b(?:react|reacted|reaction|reactions|respond|responded|response|comment|commented"
    r"|vote|voted|approve|approved|reply|replied)\b"
)
_GIVES_NUMBER = re.compile(
    r"\d|\b(?:half|third|quarter|fifth|tenth|percent|dozen|hundreds|thousands|millions)\b"
)
_GIVES_DATE = re.compile(
    r"\d|\b(?:january|february|march|april|may|june|july|august|september|october|november"
    r"|december)\b"
)


@dataclass(frozen=True)
class AnswerFacts:
    """What one entry's answer and sentence give: a number, a date, and their words."""

    numbered: bool
    dated: bool
    words: frozenset[str]  # content tokens of the answer and the sentence


def answer_facts(entry: Entry, tokens: Callable[[str], tuple[str, ...]]) -> AnswerFacts:
    """Read an entry's answer and sentence once (``tokens`` is the knowledge's normaliser)."""
    text = fold(f"{entry.answer} {entry.sentence}")
    return AnswerFacts(
        numbered=_GIVES_NUMBER.search(text) is not None,
        dated=_GIVES_DATE.search(text) is not None,
        words=frozenset(tokens(text)),
    )


def missing_detail(
    folded: str, tokens: Callable[[str], tuple[str, ...]], facts: AnswerFacts
) -> str:
    """Return what the question asks for that the answer lacks, or "" when nothing is missing.

    "number", "time" (a date or a year) or "reaction".
    """
    if _ASKS_NUMBER.search(folded):
        counted = _HOW_MANY.search(folded)
        focus = tokens(counted.group(1)) if counted else ()
        if not facts.numbered or any(t not in facts.words for t in focus):
            return "number"
    if _ASKS_DATE.search(folded) and not facts.dated:
        return "time"
    reaction = _REACTION.search(folded)
    if reaction and any(t not in facts.words for t in tokens(reaction.group())):
        return "reaction"
    return ""
