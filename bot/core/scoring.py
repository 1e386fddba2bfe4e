"""Scoring a question against every entry of the index, in small named steps.

A question scores 0-100 against an entry as half *coverage* (the share of the question's words,
weighted by rarity, that the entry's whole text contains) and half token *F1* with its closest
phrasing. The steps: split the question's tokens into known words and the rest
(``_known_words``); credit the phrasings and entries that contain each known word
(``_exact_hits``); read the rest as typos of known words or as unseen words, which weigh the
question down (``_typo_hits``); find each entry's closest phrasing by F1 (``_closest_phrasings``)
and rank (``_ranked``). A question typed exactly as a phrasing scores 100. Last, how far the
nearest phrasings *agree* on the top entry (``bot.core.agreement``).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process

from bot.core.agreement import Agreement, nearest_phrasings, shares
from bot.core.candidate import Candidate
from bot.core.index import Index
from bot.core.query import Query
from bot.core.text import words

# Share of the score that comes from how much of the question the entry's whole text covers
# (all phrasings, answer and sentence); the rest is the F1 with its closest phrasing.
DOCUMENT_WEIGHT = 0.5
# A question made only of small words ("what is this about?") is compared whole with every
# phrasing's words; phrasings at least this similar (rapidfuzz ratio) become candidates.
SMALL_WORDS_CUTOFF = 60.0
# Posting-list entries walked in full per question; past it, common words only add to the
# candidates the rarer words found (never reached with knowledge files of normal size).
POSTINGS_BUDGET = 4000


@dataclass
class _Hits:
    """Weights matched so far, per phrasing and per entry, and the question's total weight.

    ``shared`` is indexed by phrasing (a flat list is faster to add to than a dict); ``reached``
    holds the phrasings any word of the question reached, the only ones worth an F1.
    """

    phrasing_count: int
    query_weight: float = 0.0
    unseen_weight: float = 0.0  # of words the knowledge has never seen (not typos)
    shared: list[float] = field(default_factory=list)
    reached: set[int] = field(default_factory=set)
    coverage: defaultdict[int, float] = field(default_factory=lambda: defaultdict(float))
    typo_precision: defaultdict[int, float] = field(default_factory=lambda: defaultdict(float))
    typo_recall: defaultdict[int, float] = field(default_factory=lambda: defaultdict(float))

    def __post_init__(self) -> None:
        self.shared = [0.0] * self.phrasing_count


def _known_words(index: Index, tokens: tuple[str, ...], hits: _Hits) -> tuple[list[int], list[str]]:
    """Return the ids of known tokens and the other tokens, adding known weights to the query."""
    ids = index.vocabulary.ids
    weights = index.vocabulary.weights
    known: list[int] = []
    other: list[str] = []
    for token in tokens:
        vocab_id = ids.get(token)
        if vocab_id is None:
            other.append(token)
        else:
            known.append(vocab_id)
            hits.query_weight += weights[vocab_id]
    return known, other


def _exact_hits(index: Index, known: list[int], hits: _Hits) -> None:
    """Credit every phrasing and entry containing a known word with that word's weight.

    Posting lists are walked rarest first; once the budget is spent, common words only add to
    the phrasings and entries already reached (large knowledge files stay fast).
    """
    weights = index.vocabulary.weights
    postings = index.postings
    document_postings = index.document_postings
    shared, reached, coverage = hits.shared, hits.reached, hits.coverage
    walked = 0
    for vocab_id in sorted(known, key=lambda v: len(postings[v])):
        weight = weights[vocab_id]
        posting = postings[vocab_id]
        if walked and walked + len(posting) > POSTINGS_BUDGET:
            for p_index in reached:
                if vocab_id in index.phrasing_id_sets[p_index]:
                    shared[p_index] += weight
            for e_index in list(coverage):
                if vocab_id in index.documents[e_index]:
                    coverage[e_index] += weight
            continue
        walked += len(posting)
        reached.update(posting)
        for p_index in posting:
            shared[p_index] += weight
        for e_index in document_postings[vocab_id]:
            coverage[e_index] += weight


def _typo_hits(
    index: Index, query: Query, others: list[str], known: list[int], hits: _Hits
) -> None:
    """Read the other tokens as typos of known words (partial credit) or as unseen words.

    An unseen word adds its weight to the question and credits nothing, so an unknown topic
    word ("Finland") pulls every entry down. A typo of a word the question already has counts
    once.
    """
    vocabulary = index.vocabulary
    weights = vocabulary.weights
    asked = set(known)
    best_similarity: dict[int, float] = {}
    for token in others:
        close = vocabulary.similar_or_as_written(token, query.forms)
        similar = [(v, sim) for v, sim in close if v not in asked]
        if close and not similar:
            continue  # a misspelt repeat of a word the question already has
        weight = weights[similar[0][0]] if similar else vocabulary.unseen_weight(token)
        hits.query_weight += weight
        if not similar:
            hits.unseen_weight += weight
        seen_phrasings: set[int] = set()
        seen_entries: set[int] = set()
        for vocab_id, similarity in similar:  # best first
            if best_similarity.get(vocab_id, 0.0) < similarity:
                best_similarity[vocab_id] = similarity
            credit = weight * similarity
            for e_index in index.document_postings[vocab_id]:
                if e_index not in seen_entries:
                    seen_entries.add(e_index)
                    hits.coverage[e_index] += credit
            for p_index in index.postings[vocab_id]:
                if p_index not in seen_phrasings:
                    seen_phrasings.add(p_index)
                    hits.typo_precision[p_index] += credit
    for vocab_id, similarity in best_similarity.items():
        credit = weights[vocab_id] * similarity
        for p_index in index.postings[vocab_id]:
            hits.typo_recall[p_index] += credit
    hits.reached.update(hits.typo_precision)  # phrasings reached only through a typo


def _closest_phrasings(index: Index, hits: _Hits) -> tuple[list[float], list[int], list[float]]:
    """Return, per entry, the best F1 of its phrasings with the question and which one it was;
    and every reached phrasing's F1, in the order of ``hits.reached``.

    F1 = 2PR / (P + R) with P = hit / query weight and R = hit / phrasing weight, which is
    2 * hit / (query weight + phrasing weight) when no typo is involved.
    """
    totals = index.phrasing_totals
    entry_of = index.phrasing_entries
    query_weight = hits.query_weight
    typo_precision, typo_recall = hits.typo_precision, hits.typo_recall
    has_typos = bool(typo_precision or typo_recall)
    best_f1 = [-1.0] * len(index.entries)
    best_phrasing = [-1] * len(index.entries)
    shared = hits.shared
    reached = hits.reached
    every: list[float] = []  # F1 per phrasing, in the (fixed) order of ``reached``
    for p_index in reached:
        hit = shared[p_index]
        e_index = entry_of[p_index]
        if has_typos and (p_index in typo_precision or p_index in typo_recall):
            precision = (hit + typo_precision.get(p_index, 0.0)) / query_weight
            recall = (hit + typo_recall.get(p_index, 0.0)) / totals[p_index]
            f1 = 2.0 * precision * recall / (precision + recall)
        else:
            f1 = 2.0 * hit / (query_weight + totals[p_index])
        every.append(f1)
        best = best_f1[e_index]
        if f1 > best or (f1 == best and p_index < best_phrasing[e_index]):
            best_f1[e_index] = f1  # ties go to the entry's earlier phrasing: set order is none
            best_phrasing[e_index] = p_index
    return best_f1, best_phrasing, every


def _ranked(
    index: Index, query: Query, hits: _Hits, exact: bool, limit: int | None
) -> tuple[list[Candidate], Agreement]:
    """Combine coverage and F1 into scores, put an exact phrasing first, best first; return
    them with how far the nearest phrasings agree on the first (``bot.core.agreement``)."""
    best_f1, best_phrasing, f1s = _closest_phrasings(index, hits)
    document_share = DOCUMENT_WEIGHT / hits.query_weight
    phrasing_share = 1 - DOCUMENT_WEIGHT
    # (-score, entry, phrasing) tuples sort best first without a key function
    ranked = [
        (
            -100.0 * (document_share * covered + phrasing_share * best_f1[e_index]),
            e_index,
            best_phrasing[e_index],
        )
        for e_index, covered in hits.coverage.items()
        if best_phrasing[e_index] >= 0
    ]
    exact_entry = index.exact.get(query.exact_key) if exact else None
    if exact_entry is not None:
        ranked = [r for r in ranked if r[1] != exact_entry]
        ranked.append((-100.0, exact_entry, best_phrasing[exact_entry]))
    ranked.sort()
    if limit is not None:
        del ranked[limit:]
    candidates = [
        Candidate(
            index.entries[e_index],
            round(min(-negative, 100.0), 1),
            index.phrasings[p_index].text if p_index >= 0 else query.text,
            hits.coverage[e_index] / hits.query_weight,
            max(best_f1[e_index], 0.0),
        )
        for negative, e_index, p_index in ranked
    ]
    top = candidates[0] if candidates else None
    reached = hits.reached

    def agree() -> tuple[float, float]:
        near = nearest_phrasings(reached, f1s, index.phrasing_entries, best_f1)
        return shares(index.entries, top, near)

    return candidates, Agreement(agree)


@dataclass(frozen=True)
class Scores:
    """The ranked candidates of one question and what the question itself weighs."""

    candidates: list[Candidate]
    unseen_share: float  # share of the question's weight in words the knowledge never saw
    # how far the phrasings nearest the question agree on the first candidate
    nearest: Agreement = field(default_factory=Agreement)


def score_query(
    index: Index, query: Query, *, exact: bool = True, limit: int | None = None
) -> Scores:
    """Score ``query`` against every entry: candidates that share a word, best first.

    With ``exact`` (the default) a question typed exactly as a phrasing scores 100; ``limit``
    keeps only that many of the best entries.
    """
    if query.empty:
        return Scores([], 0.0)
    hits = _Hits(index.phrasing_count)
    known, others = _known_words(index, query.tokens, hits)
    _exact_hits(index, known, hits)
    _typo_hits(index, query, others, known, hits)
    candidates, nearest = _ranked(index, query, hits, exact, limit)
    unseen = hits.unseen_weight / hits.query_weight if hits.query_weight else 0.0
    return Scores(candidates, unseen, nearest)


def score(
    index: Index, query: Query, *, exact: bool = True, limit: int | None = None
) -> list[Candidate]:
    """Return only the ranked candidates of ``score_query``."""
    return score_query(index, query, exact=exact, limit=limit).candidates


def score_small_words(index: Index, query: Query, *, limit: int = 5) -> Scores:
    """Score a question with no content word by comparing its words with every phrasing's.

    "What is this about?" is all stop words, yet it means something: word for word it is close
    to the phrasing "what is this article about". Each entry keeps its most similar phrasing.
    """
    asked = words(query.folded)
    found = process.extract(
        asked,
        [typed for typed, _ in index.typed_words],
        scorer=fuzz.ratio,
        score_cutoff=SMALL_WORDS_CUTOFF,
        limit=limit * 4,
    )
    candidates: dict[int, Candidate] = {}
    for typed, ratio, position in found:
        e_index = index.typed_words[position][1]
        if e_index not in candidates:
            phrasing = " ".join(typed)
            entry = index.entries[e_index]
            candidates[e_index] = Candidate(entry, round(ratio, 1), phrasing, 1.0, ratio / 100.0)
    # no F1 was computed: the agreed route stays closed and nothing vetoes (as before it existed)
    return Scores(list(candidates.values())[:limit], 0.0, Agreement.fixed(0.0, 1.0))
