"""Fuzzy matching of a reader's question against every phrasing in the knowledge file.

Each phrasing is normalised once, at load, into content tokens (``bot.text``). A question is
scored against a phrasing by a weighted, typo-tolerant token F1: every word is weighted by how
rarely it occurs across entries (words the knowledge has never seen weigh as much as the rarest
ones, so "Is *Finland* a NATO member?" cannot ride on "NATO"), words are paired by rapidfuzz's
``ratio`` so typos still count, and precision and recall must both be high. This avoids the two
rapidfuzz traps: ``token_set_ratio`` scoring 100 for a subset and ``WRatio`` scoring unrelated
short strings high. An inverted index keeps the work proportional to the words that matter.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Literal

from rapidfuzz import fuzz, process
from rapidfuzz.distance import Levenshtein

from bot.knowledge import Entry
from bot.text import Normaliser, fold

Kind = Literal["answer", "suggest", "decline", "empty"]
# Share of the score that comes from how much of the question the entry's whole text covers
# (all phrasings, answer and sentence); the rest is the F1 with its closest phrasing.
DOCUMENT_WEIGHT = 0.5
# A word no entry uses weighs this much more than the rarest known word.
UNKNOWN_WORD_FACTOR = 1.5
# Flattens the rarity weights (1 = plain IDF, 0 = every word alike).
WEIGHT_POWER = 0.5
# A query of one or two words, each found in at least this share of entries, is too vague to
# answer outright: the reader is asked "did you mean".
VAGUE_SHARE = 0.2


@dataclass(frozen=True)
class Thresholds:
    """Score limits (0-100): answer at or above ``answer``; suggest at or above ``suggest``."""

    answer: float = 58.0
    suggest: float = 53.0
    margin: float = 4.0
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

    @property
    def best(self) -> Candidate | None:
        """Return the top candidate, if any entry scored at all."""
        return self.candidates[0] if self.candidates else None

    @property
    def answered(self) -> bool:
        """Tell whether an answer (not a suggestion or decline) is given."""
        return self.kind == "answer"


@dataclass
class _Phrasing:
    entry_index: int
    text: str
    weight_total: float
    tokens: tuple[int, ...]


@dataclass
class Matcher:
    """Index of every phrasing of every entry; ``match`` scores a question against it."""

    entries: tuple[Entry, ...]
    normaliser: Normaliser
    thresholds: Thresholds = field(default_factory=Thresholds)

    def __post_init__(self) -> None:
        self._vocab: dict[str, int] = {}
        tokenised: list[tuple[int, str, tuple[int, ...]]] = []
        documents: list[set[int]] = []
        for e_index, entry in enumerate(self.entries):
            document: set[int] = set()
            for question in entry.questions:
                ids = self._intern(self.normaliser.tokens(question))
                document.update(ids)
                if ids:
                    tokenised.append((e_index, question, ids))
            document.update(self._intern(self.normaliser.tokens(entry.answer)))
            document.update(self._intern(self.normaliser.tokens(entry.sentence)))
            documents.append(document)
        entry_count = max(len(self.entries), 1)
        frequency = [0] * len(self._vocab)
        for document in documents:
            for token_id in document:
                frequency[token_id] += 1
        self._weights = [math.log(1 + entry_count / max(f, 1)) ** WEIGHT_POWER for f in frequency]
        self._common = {
            token for token, i in self._vocab.items() if frequency[i] >= VAGUE_SHARE * entry_count
        }
        self._unknown_weight = UNKNOWN_WORD_FACTOR * math.log(1 + entry_count) ** WEIGHT_POWER
        self._vocab_list = list(self._vocab)
        self._phrasings: list[_Phrasing] = []
        self._postings: list[list[int]] = [[] for _ in self._vocab]
        self._document_postings: list[list[int]] = [[] for _ in self._vocab]
        for e_index, document in enumerate(documents):
            for token_id in document:
                self._document_postings[token_id].append(e_index)
        for e_index, question, ids in tokenised:
            p_index = len(self._phrasings)
            total = sum(self._weights[i] for i in ids)
            self._phrasings.append(_Phrasing(e_index, question, total, ids))
            for token_id in ids:
                self._postings[token_id].append(p_index)
        self._exact = {fold(q).rstrip("?!. "): e for e, q, _ in tokenised}
        self._phrasing_token_sets = {
            frozenset(self._vocab_list[i] for i in ids) for _, _, ids in tokenised
        }

    def _intern(self, tokens: tuple[str, ...]) -> tuple[int, ...]:
        ids = []
        for token in dict.fromkeys(tokens):
            if token not in self._vocab:
                self._vocab[token] = len(self._vocab)
            ids.append(self._vocab[token])
        return tuple(ids)

    @property
    def phrasing_count(self) -> int:
        """Return how many phrasings are indexed."""
        return len(self._phrasings)

    def _similar_tokens(self, token: str) -> list[tuple[int, float]]:
        """Return vocabulary ids close to ``token`` with a similarity in 0..1."""
        exact = self._vocab.get(token)
        if exact is not None:
            return [(exact, 1.0)]
        if len(token) < 4 or token.isdigit():
            return []
        if len(token) >= 8:
            found = process.extract(
                token, self._vocab_list, scorer=fuzz.ratio, score_cutoff=88.0, limit=3
            )
            return [(index, score / 100.0) for _, score, index in found]
        found = process.extract(
            token, self._vocab_list, scorer=Levenshtein.distance, score_cutoff=1, limit=3
        )
        return [(index, 1.0 - 0.1 * distance) for _, distance, index in found]

    def score_all(self, query: str, *, exact: bool = True) -> list[Candidate]:
        """Score ``query`` against every entry; return entries that share a word, best first.

        With ``exact`` (the default) a question typed exactly as a phrasing scores 100.
        """
        tokens = tuple(dict.fromkeys(self.normaliser.tokens(query)))
        if not tokens:
            return []
        query_weights: list[float] = []
        # per phrasing: best similarity per query position, and per vocabulary token
        by_query_token: dict[int, dict[int, float]] = {}
        by_vocab_token: dict[int, dict[int, float]] = {}
        in_document: dict[int, dict[int, float]] = {}
        for position, token in enumerate(tokens):
            similar = self._similar_tokens(token)
            weight = self._weights[similar[0][0]] if similar else self._unknown_weight
            query_weights.append(weight)
            for vocab_id, similarity in similar:
                for e_index in self._document_postings[vocab_id]:
                    per_entry = in_document.setdefault(e_index, {})
                    if per_entry.get(position, 0.0) < similarity:
                        per_entry[position] = similarity
                for p_index in self._postings[vocab_id]:
                    best_q = by_query_token.setdefault(p_index, {})
                    if best_q.get(position, 0.0) < similarity:
                        best_q[position] = similarity
                    best_v = by_vocab_token.setdefault(p_index, {})
                    if best_v.get(vocab_id, 0.0) < similarity:
                        best_v[vocab_id] = similarity
        query_weight = sum(query_weights)
        coverage = {
            e_index: sum(query_weights[i] * s for i, s in per_position.items()) / query_weight
            for e_index, per_position in in_document.items()
        }
        best: dict[int, tuple[float, str]] = {}
        for p_index, per_position in by_query_token.items():
            phrasing = self._phrasings[p_index]
            precision = sum(query_weights[i] * s for i, s in per_position.items()) / query_weight
            recall_hit = sum(self._weights[v] * s for v, s in by_vocab_token[p_index].items())
            recall = recall_hit / phrasing.weight_total
            if precision + recall == 0:
                continue
            f1 = 2.0 * precision * recall / (precision + recall)
            score = 100.0 * (
                DOCUMENT_WEIGHT * coverage[phrasing.entry_index] + (1 - DOCUMENT_WEIGHT) * f1
            )
            current = best.get(phrasing.entry_index)
            if current is None or score > current[0]:
                best[phrasing.entry_index] = (score, phrasing.text)
        exact_entry = self._exact.get(fold(query).rstrip("?!. ")) if exact else None
        if exact_entry is not None:
            best[exact_entry] = (100.0, best.get(exact_entry, (0.0, query))[1])
        ranked = sorted(best.items(), key=lambda item: (-item[1][0], item[0]))
        return [
            Candidate(self.entries[e_index], round(score, 1), text)
            for e_index, (score, text) in ranked
        ]

    def decide(self, query: str, candidates: Sequence[Candidate]) -> MatchResult:
        """Turn ranked candidates into an answer, suggestions or a decline."""
        limits = self.thresholds
        if not candidates or candidates[0].score < limits.suggest:
            return MatchResult(query, "decline", tuple(candidates[:5]))
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
        suggestions = tuple(
            c for c in candidates[: limits.max_suggestions] if c.score >= limits.suggest
        )
        return MatchResult(query, "suggest", tuple(candidates[:5]), suggestions)

    def is_vague(self, query: str) -> bool:
        """Tell whether ``query`` is one or two words that many entries share ("nato").

        A phrasing written with exactly those words makes it specific after all.
        """
        tokens = frozenset(self.normaliser.tokens(query))
        if not 0 < len(tokens) <= 2 or not tokens <= self._common:
            return False
        return tokens not in self._phrasing_token_sets

    def match(self, query: str) -> MatchResult:
        """Score ``query`` and decide what to do with it."""
        if not self.normaliser.tokens(query):
            return MatchResult(query, "empty")
        candidates = self.score_all(query)
        exact = self._exact.get(fold(query).rstrip("?!. ")) is not None
        if not exact and candidates and self.is_vague(query):
            limits = self.thresholds
            shown = tuple(
                c for c in candidates[: limits.max_suggestions] if c.score >= limits.suggest
            )
            if len(shown) >= 2:
                return MatchResult(query, "suggest", tuple(candidates[:5]), shown)
        return self.decide(query, candidates)


def build_matcher(
    entries: Iterable[Entry], normaliser: Normaliser, thresholds: Thresholds | None = None
) -> Matcher:
    """Index ``entries`` once so that each question costs only the scoring."""
    return Matcher(tuple(entries), normaliser, thresholds or Thresholds())
