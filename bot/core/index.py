"""The frozen index of one knowledge file, built once at load and read by every question.

Every phrasing, answer and supporting sentence is normalised (``bot.core.text``) into content
tokens; each token gets an id and a rarity weight (``bot.core.vocabulary``). Posting lists map a
token to the phrasings and to the entries ("documents": all phrasings, answer and sentence of
one entry) that contain it. Nothing here changes after ``build_index`` returns.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from bot.core.details import AnswerFacts, answer_facts
from bot.core.text import Normaliser, fold, words
from bot.core.vocabulary import Vocabulary
from bot.knowledge.schema import Entry

# A query of one or two words, each found in at least this share of entries, is too vague to
# answer outright: the reader is asked "did you mean".
VAGUE_SHARE = 0.2


@dataclass(frozen=True)
class Phrasing:
    """One question phrasing of an entry, as token ids with their total weight."""

    entry_index: int
    text: str
    weight_total: float
    tokens: tuple[int, ...]


@dataclass(frozen=True, eq=False)
class Index:
    """Token ids, weights and posting lists of one knowledge file."""

    entries: tuple[Entry, ...]
    normaliser: Normaliser
    vocabulary: Vocabulary
    phrasings: tuple[Phrasing, ...]
    postings: tuple[tuple[int, ...], ...]  # token id -> phrasing indexes
    document_postings: tuple[tuple[int, ...], ...]  # token id -> entry indexes
    documents: tuple[frozenset[int], ...]  # entry index -> its token ids
    phrasing_totals: tuple[float, ...]
    phrasing_id_sets: tuple[frozenset[int], ...]
    phrasing_entries: tuple[int, ...]
    exact: Mapping[str, int]  # a phrasing as typed (folded, end punctuation off) -> entry index
    phrasing_token_sets: frozenset[frozenset[str]]
    facts: Mapping[str, AnswerFacts]  # entry id -> the time, names, number... its answer gives
    # every phrasing as typed, as its words (stop words kept), with its entry index: questions
    # made only of small words are compared with these
    typed_words: tuple[tuple[tuple[str, ...], int], ...]
    # every phrasing as typed -> its content tokens in order (the swapped-topic check)
    phrasing_words: Mapping[str, tuple[str, ...]]

    @property
    def phrasing_count(self) -> int:
        """Return how many phrasings are indexed."""
        return len(self.phrasings)

    def is_vague(self, tokens: Iterable[str]) -> bool:
        """Tell whether ``tokens`` are one or two words that many entries share ("nato").

        A phrasing written with exactly those words makes it specific after all.
        """
        words = frozenset(tokens)
        if not 0 < len(words) <= 2 or not words <= self.vocabulary.common:
            return False
        return words not in self.phrasing_token_sets


def _tokenise(
    entries: tuple[Entry, ...], normaliser: Normaliser, vocabulary: Vocabulary
) -> tuple[list[tuple[int, str, tuple[int, ...]]], list[set[int]]]:
    """Return every phrasing as (entry index, text, token ids) and each entry's token set."""
    tokenised: list[tuple[int, str, tuple[int, ...]]] = []
    documents: list[set[int]] = []
    for e_index, entry in enumerate(entries):
        document: set[int] = set()
        for question in entry.questions:
            ids = vocabulary.intern(normaliser.tokens(question))
            document.update(ids)
            if ids:
                tokenised.append((e_index, question, ids))
        document.update(vocabulary.intern(normaliser.tokens(entry.answer)))
        document.update(vocabulary.intern(normaliser.tokens(entry.sentence)))
        documents.append(document)
    return tokenised, documents


def build_index(entries: Iterable[Entry], normaliser: Normaliser) -> Index:
    """Index ``entries`` once so that each question costs only the scoring."""
    entries = tuple(entries)
    vocabulary = Vocabulary()
    tokenised, documents = _tokenise(entries, normaliser, vocabulary)
    vocabulary.weigh(documents, normaliser, VAGUE_SHARE)
    weights = vocabulary.weights
    postings: list[list[int]] = [[] for _ in vocabulary.words]
    document_postings: list[list[int]] = [[] for _ in vocabulary.words]
    for e_index, document in enumerate(documents):
        for token_id in document:
            document_postings[token_id].append(e_index)
    phrasings: list[Phrasing] = []
    for e_index, question, ids in tokenised:
        for token_id in ids:
            postings[token_id].append(len(phrasings))
        phrasings.append(Phrasing(e_index, question, sum(weights[i] for i in ids), ids))
    return Index(
        entries=entries,
        normaliser=normaliser,
        vocabulary=vocabulary,
        phrasings=tuple(phrasings),
        postings=tuple(tuple(p) for p in postings),
        document_postings=tuple(tuple(d) for d in document_postings),
        documents=tuple(frozenset(d) for d in documents),
        phrasing_totals=tuple(p.weight_total for p in phrasings),
        phrasing_id_sets=tuple(frozenset(p.tokens) for p in phrasings),
        phrasing_entries=tuple(p.entry_index for p in phrasings),
        exact={fold(q).rstrip("?!. "): e for e, q, _ in tokenised},
        phrasing_token_sets=frozenset(
            frozenset(vocabulary.words[i] for i in ids) for _, _, ids in tokenised
        ),
        facts={
            entry.id: answer_facts(
                entry, normaliser.tokens, frozenset(vocabulary.words[i] for i in document)
            )
            for entry, document in zip(entries, documents, strict=True)
        },
        typed_words=tuple((tuple(words(fold(q))), e) for e, q, _ in tokenised),
        phrasing_words={p.text: tuple(vocabulary.words[i] for i in p.tokens) for p in phrasings},
    )
