"""Fuzzy matching of a reader's question against every phrasing in the knowledge file.

Each phrasing, answer and supporting sentence is normalised once, at load, into content tokens
(``bot.core.text``) and put in an inverted index. A question scores 0-100 against an entry as half
*coverage* (the share of the question's words, weighted by rarity, that the entry's whole text
contains) and half token *F1* with its closest phrasing. Word weights, typos and words the
knowledge has never seen are ``bot.core.vocabulary``: an unknown topic word weighs more than any
known word, so "Is *Finland* a NATO member?" cannot ride on "NATO". This avoids rapidfuzz's traps:
``token_set_ratio`` scoring 100 for a subset and ``WRatio`` scoring unrelated short strings high.
What to do with the scores (answer, "did you mean", decline) is ``bot.core.decisions``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from bot.core.decisions import Candidate, MatchResult, Thresholds, decide
from bot.core.opinions import asks_for_opinion
from bot.core.text import Normaliser, fold
from bot.core.vocabulary import Vocabulary, WordInfo
from bot.knowledge.schema import Entry

# Share of the score that comes from how much of the question the entry's whole text covers
# (all phrasings, answer and sentence); the rest is the F1 with its closest phrasing.
DOCUMENT_WEIGHT = 0.5
# A query of one or two words, each found in at least this share of entries, is too vague to
# answer outright: the reader is asked "did you mean".
VAGUE_SHARE = 0.2
# How many ranked entries a match keeps (suggestions, examples and logs use the top few).
CANDIDATES_KEPT = 5
# Posting-list entries walked in full per question; past it, common words only add to the
# candidates the rarer words found (never reached with knowledge files of normal size).
POSTINGS_BUDGET = 4000


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
    vocabulary: Vocabulary = field(init=False, repr=False)

    def __post_init__(self) -> None:
        vocabulary = self.vocabulary = Vocabulary()
        tokenised: list[tuple[int, str, tuple[int, ...]]] = []
        documents: list[set[int]] = []
        for e_index, entry in enumerate(self.entries):
            document: set[int] = set()
            for question in entry.questions:
                ids = vocabulary.intern(self.normaliser.tokens(question))
                document.update(ids)
                if ids:
                    tokenised.append((e_index, question, ids))
            document.update(vocabulary.intern(self.normaliser.tokens(entry.answer)))
            document.update(vocabulary.intern(self.normaliser.tokens(entry.sentence)))
            documents.append(document)
        vocabulary.weigh(documents, self.normaliser, VAGUE_SHARE)
        self._vocab = vocabulary.ids
        self._weights = vocabulary.weights
        self._phrasings: list[_Phrasing] = []
        self._postings: list[list[int]] = [[] for _ in vocabulary.words]
        self._document_postings: list[list[int]] = [[] for _ in vocabulary.words]
        for e_index, document in enumerate(documents):
            for token_id in document:
                self._document_postings[token_id].append(e_index)
        for e_index, question, ids in tokenised:
            p_index = len(self._phrasings)
            total = sum(self._weights[i] for i in ids)
            self._phrasings.append(_Phrasing(e_index, question, total, ids))
            for token_id in ids:
                self._postings[token_id].append(p_index)
        self._phrasing_totals = [p.weight_total for p in self._phrasings]
        self._phrasing_id_sets = [frozenset(p.tokens) for p in self._phrasings]
        self._documents = [frozenset(d) for d in documents]
        self._phrasing_entries = [p.entry_index for p in self._phrasings]
        self._exact = {fold(q).rstrip("?!. "): e for e, q, _ in tokenised}
        self._phrasing_token_sets = {
            frozenset(vocabulary.words[i] for i in ids) for _, _, ids in tokenised
        }

    @property
    def phrasing_count(self) -> int:
        """Return how many phrasings are indexed."""
        return len(self._phrasings)

    def score_all(
        self, query: str, *, exact: bool = True, limit: int | None = None
    ) -> list[Candidate]:
        """Score ``query`` against every entry; return entries that share a word, best first.

        With ``exact`` (the default) a question typed exactly as a phrasing scores 100;
        ``limit`` keeps only that many of the best entries.
        """
        folded = fold(query)
        exact_key = folded.rstrip("?!. ") if exact else None
        tokens, forms = self.normaliser.folded_tokens_and_forms(folded)
        return self._score_tokens(query, tokens, exact_key, limit, forms)

    def _score_tokens(
        self,
        query: str,
        raw_tokens: list[str] | tuple[str, ...],
        exact_key: str | None,
        limit: int | None,
        forms: dict[str, str] | None = None,
    ) -> list[Candidate]:
        tokens = tuple(dict.fromkeys(raw_tokens))
        if not tokens:
            return []
        weights = self._weights
        postings = self._postings
        document_postings = self._document_postings
        # Exactly matched words count alike for precision and recall: one accumulator.
        shared: defaultdict[int, float] = defaultdict(float)  # phrasing -> weight matched
        coverage_hits: defaultdict[int, float] = defaultdict(float)  # entry -> weight covered
        fuzzy_precision: defaultdict[int, float] = defaultdict(float)
        fuzzy_recall: defaultdict[int, float] = defaultdict(float)
        query_weight = 0.0
        exact_ids: set[int] = set()
        fuzzy_tokens: list[str] = []
        known: list[int] = []
        for token in tokens:
            vocab_id = self._vocab.get(token)
            if vocab_id is None:
                fuzzy_tokens.append(token)
            else:
                known.append(vocab_id)
                exact_ids.add(vocab_id)
                query_weight += weights[vocab_id]
        # Walk posting lists rarest first; once the budget is spent, common words only add to
        # the phrasings and entries already reached (large knowledge files stay fast).
        known.sort(key=lambda v: len(postings[v]))
        walked = 0
        for vocab_id in known:
            weight = weights[vocab_id]
            if walked and walked + len(postings[vocab_id]) > POSTINGS_BUDGET:
                phrasing_ids = self._phrasing_id_sets
                for p_index in list(shared):
                    if vocab_id in phrasing_ids[p_index]:
                        shared[p_index] += weight
                documents = self._documents
                for e_index in list(coverage_hits):
                    if vocab_id in documents[e_index]:
                        coverage_hits[e_index] += weight
                continue
            walked += len(postings[vocab_id])
            for p_index in postings[vocab_id]:
                shared[p_index] += weight
            for e_index in document_postings[vocab_id]:
                coverage_hits[e_index] += weight
        vocab_best: dict[int, float] = {}
        for token in fuzzy_tokens:  # typos and words the knowledge has never seen
            close = self.vocabulary.similar_or_as_written(token, forms)
            similar = [(v, sim) for v, sim in close if v not in exact_ids]
            if close and not similar:
                continue  # a misspelt repeat of a word the question already has
            weight = weights[similar[0][0]] if similar else self.vocabulary.unseen_weight(token)
            query_weight += weight
            seen_phrasings: set[int] = set()
            seen_entries: set[int] = set()
            for vocab_id, similarity in similar:  # best first
                if vocab_best.get(vocab_id, 0.0) < similarity:
                    vocab_best[vocab_id] = similarity
                credit = weight * similarity
                for e_index in document_postings[vocab_id]:
                    if e_index not in seen_entries:
                        seen_entries.add(e_index)
                        coverage_hits[e_index] += credit
                for p_index in postings[vocab_id]:
                    if p_index not in seen_phrasings:
                        seen_phrasings.add(p_index)
                        fuzzy_precision[p_index] += credit
        for vocab_id, similarity in vocab_best.items():
            credit = weights[vocab_id] * similarity
            for p_index in postings[vocab_id]:
                fuzzy_recall[p_index] += credit
        for p_index in fuzzy_precision:
            shared[p_index] += 0.0  # phrasings reached only through a typo
        # F1 = 2PR / (P + R) with P = hit / query weight and R = hit / phrasing weight,
        # which is 2 * hit / (query weight + phrasing weight) when precision and recall
        # share the hit (no typos involved).
        totals = self._phrasing_totals
        entry_of = self._phrasing_entries
        best_f1 = [-1.0] * len(self.entries)  # per entry: F1 with its closest phrasing
        best_phrasing = [-1] * len(self.entries)
        if fuzzy_precision or fuzzy_recall:
            for p_index, hit in shared.items():
                if p_index in fuzzy_precision or p_index in fuzzy_recall:
                    precision = (hit + fuzzy_precision.get(p_index, 0.0)) / query_weight
                    recall = (hit + fuzzy_recall.get(p_index, 0.0)) / totals[p_index]
                    f1 = 2.0 * precision * recall / (precision + recall)
                else:
                    f1 = 2.0 * hit / (query_weight + totals[p_index])
                e_index = entry_of[p_index]
                if f1 > best_f1[e_index]:
                    best_f1[e_index] = f1
                    best_phrasing[e_index] = p_index
        else:  # the common case, without typos: the same formula, fewer look-ups
            for p_index, hit in shared.items():
                f1 = 2.0 * hit / (query_weight + totals[p_index])
                e_index = entry_of[p_index]
                if f1 > best_f1[e_index]:
                    best_f1[e_index] = f1
                    best_phrasing[e_index] = p_index
        document_share = DOCUMENT_WEIGHT / query_weight
        phrasing_share = 1 - DOCUMENT_WEIGHT
        # (-score, entry, phrasing) tuples sort best first without a key function
        ranked = [
            (
                -100.0 * (document_share * covered + phrasing_share * best_f1[e_index]),
                e_index,
                best_phrasing[e_index],
            )
            for e_index, covered in coverage_hits.items()
            if best_phrasing[e_index] >= 0
        ]
        exact_entry = self._exact.get(exact_key) if exact_key is not None else None
        if exact_entry is not None:
            ranked = [r for r in ranked if r[1] != exact_entry]
            ranked.append((-100.0, exact_entry, best_phrasing[exact_entry]))
        ranked.sort()
        if limit is not None:
            del ranked[limit:]
        return [
            Candidate(
                self.entries[e_index],
                round(min(-negative, 100.0), 1),
                self._phrasings[p_index].text if p_index >= 0 else query,
            )
            for negative, e_index, p_index in ranked
        ]

    def is_vague(self, query: str | tuple[str, ...]) -> bool:
        """Tell whether ``query`` is one or two words that many entries share ("nato").

        A phrasing written with exactly those words makes it specific after all.
        """
        words = self.normaliser.tokens(query) if isinstance(query, str) else query
        tokens = frozenset(words)
        if not 0 < len(tokens) <= 2 or not tokens <= self.vocabulary.common:
            return False
        return tokens not in self._phrasing_token_sets

    def describe_words(self, query: str) -> list[WordInfo]:
        """Tell how each word of ``query`` was read: known, typo, everyday or unknown."""
        tokens, forms = self.normaliser.folded_tokens_and_forms(fold(query))
        return self.vocabulary.describe(tokens, forms)

    def match(self, query: str) -> MatchResult:
        """Score ``query`` and decide what to do with it."""
        folded = fold(query)
        tokens, forms = self.normaliser.folded_tokens_and_forms(folded)
        if not tokens:
            return MatchResult(query, "empty")
        exact_key = folded.rstrip("?!. ")
        candidates = self._score_tokens(query, tokens, exact_key, CANDIDATES_KEPT, forms)
        vague = exact_key not in self._exact and self.is_vague(tokens)
        opinion = asks_for_opinion(folded)
        return decide(query, candidates, self.thresholds, vague=vague, opinion=opinion)


def build_matcher(
    entries: Iterable[Entry], normaliser: Normaliser, thresholds: Thresholds | None = None
) -> Matcher:
    """Index ``entries`` once so that each question costs only the scoring."""
    return Matcher(tuple(entries), normaliser, thresholds or Thresholds())


__all__ = ["Candidate", "MatchResult", "Matcher", "Thresholds", "WordInfo", "build_matcher"]
