"""Suggestions from real traffic: what ``review`` offers to teach the bot, most evidence first.

From the maintainers' log: every declined or "did you mean" question, grouped by similar text
(as ``unanswered`` groups them), and every question whose reader 👎'd the answer. Each group
carries the entries readers picked for it (a did-you-mean or decline button pressed and the
answer not 👎'd: "3 readers who asked 'X' picked entry Y"), and up to three candidate entries:
the picked ones first, then the best-scoring ones. Groups the knowledge now answers, questions
already a phrasing, and questions already labelled out of scope are left out.
"""

from __future__ import annotations

import json
from collections.abc import Collection
from dataclasses import asdict, dataclass, field
from typing import Literal

from bot.core.replies import display_question
from bot.core.text import fold
from bot.knowledge.knowledge import Knowledge
from bot.maintenance.reports import similar
from bot.maintenance.store import Store

MAX_OPTIONS = 3
MAX_VARIANTS = 5
SuggestionKind = Literal["unanswered", "disliked"]


@dataclass(frozen=True)
class Option:
    """A candidate entry for a suggestion: its id, first question, score and readers' picks."""

    entry_id: str
    question: str
    score: float
    picked: int = 0


@dataclass
class Suggestion:
    """Similar questions from the log and what to do with them."""

    question: str
    kind: SuggestionKind = "unanswered"
    variants: list[str] = field(default_factory=list)
    asked: int = 0
    outcomes: dict[str, int] = field(default_factory=dict)
    picks: dict[str, int] = field(default_factory=dict)
    downs: dict[str, int] = field(default_factory=dict)
    last: float = 0.0
    options: list[Option] = field(default_factory=list)
    digest: str = ""

    @property
    def evidence(self) -> int:
        """Return how many readers picked the most picked entry (and did not 👎 it)."""
        return max(self.picks.values(), default=0)

    def headline(self) -> str:
        """Return one line: how often it was asked, what happened, what readers picked."""
        parts = [f"asked {self.asked}×"] if self.asked else []
        parts += [f"{kind} {n}" for kind, n in sorted(self.outcomes.items())]
        for entry, n in sorted(self.picks.items(), key=lambda item: -item[1]):
            parts.append(f"{n} reader{'s' * (n != 1)} picked {entry}")
        for entry, n in sorted(self.downs.items()):
            parts.append(f"👎 {n} on {entry}")
        return ", ".join(parts)


@dataclass
class _Group:
    words: frozenset[str]
    key: str
    suggestion: Suggestion


def _group_for(groups: list[_Group], knowledge: Knowledge, text: str) -> Suggestion:
    words = frozenset(knowledge.matcher.normaliser.tokens(text))
    key = " ".join(sorted(words)) or text.casefold().strip()
    group = next((g for g in groups if similar(words, key, g.words, g.key)), None)
    if group is None:
        group = _Group(words, key, Suggestion(question=text))
        groups.append(group)
    found = group.suggestion
    if text not in found.variants and len(found.variants) < MAX_VARIANTS:
        found.variants.append(text)
    return found


def _gather(store: Store, knowledge: Knowledge, since: float) -> list[Suggestion]:
    groups: list[_Group] = []
    for text, outcome, at in store.rows(
        "SELECT text, outcome, asked_at FROM questions WHERE outcome != 'answer' "
        "AND asked_at >= ? ORDER BY asked_at",
        (since,),
    ):
        found = _group_for(groups, knowledge, text)
        found.asked += 1
        found.outcomes[outcome] = found.outcomes.get(outcome, 0) + 1
        found.last = max(found.last, at)
    for text, entry, kind, at in store.rows(
        "SELECT question, entry, kind, given_at FROM evidence WHERE given_at >= ? "
        "ORDER BY given_at",
        (since,),
    ):
        found = _group_for(groups, knowledge, text)
        tally = found.picks if kind == "pick" else found.downs
        tally[entry] = tally.get(entry, 0) + 1
        found.last = max(found.last, at)
    return [g.suggestion for g in groups]


def _settle(found: Suggestion) -> None:
    """A 👎 cancels one pick of the same entry; what is left over is a disliked answer."""
    for entry in list(found.downs):
        cancelled = min(found.picks.get(entry, 0), found.downs[entry])
        for tally in (found.picks, found.downs):
            tally[entry] = tally.get(entry, 0) - cancelled
    found.picks = {e: n for e, n in found.picks.items() if n > 0}
    found.downs = {e: n for e, n in found.downs.items() if n > 0}
    if not found.asked and found.downs:
        found.kind = "disliked"


def _options(found: Suggestion, knowledge: Knowledge) -> list[Option]:
    scored = {c.entry.id: c.score for c in knowledge.matcher.score_all(found.question, limit=8)}
    ranked = sorted(found.picks, key=lambda e: -found.picks[e])
    ranked += [e for e in scored if e not in found.picks]
    options: list[Option] = []
    for entry_id in ranked:
        entry = knowledge.by_id.get(entry_id)
        if entry is not None and len(options) < MAX_OPTIONS:
            picked = found.picks.get(entry_id, 0)
            shown = display_question(entry)
            options.append(Option(entry_id, shown, scored.get(entry_id, 0.0), picked))
    return options


def _settled(found: Suggestion, knowledge: Knowledge, known: set[str]) -> bool:
    """Tell whether there is nothing left to decide for this group."""
    if fold(found.question) in known or not (found.asked or found.downs or found.picks):
        return True
    if found.kind == "disliked":
        return False
    return knowledge.matcher.match(found.question).kind == "answer"


def suggestions(
    store: Store,
    knowledge: Knowledge,
    *,
    since: float = 0.0,
    limit: int = 20,
    decided: Collection[str] = (),
) -> list[Suggestion]:
    """Return the suggestions, most evidence first (picks, then times asked, then 👎).

    ``decided`` are questions already labelled (the regression file): they are left out, as
    are questions the knowledge now answers and questions already written as phrasings.
    """
    known = {fold(q) for entry in knowledge.entries for q in entry.questions}
    known |= {fold(q) for q in decided}
    found = _gather(store, knowledge, since)
    for suggestion in found:
        _settle(suggestion)
    kept = [s for s in found if not _settled(s, knowledge, known)]
    kept.sort(key=lambda s: (-s.evidence, -s.asked, -sum(s.downs.values()), -s.last))
    for suggestion in kept[:limit]:
        suggestion.options = _options(suggestion, knowledge)
        suggestion.digest = knowledge.file.digest
    return kept[:limit]


def suggestions_json(found: list[Suggestion]) -> str:
    """Return the suggestions as the JSON ``review --json`` prints."""
    rows = []
    for suggestion in found:
        row = asdict(suggestion)
        row["evidence"] = suggestion.evidence
        rows.append(row)
    return json.dumps(rows, ensure_ascii=False, indent=2)
