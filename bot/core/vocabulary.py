"""The words of a knowledge file: rarity weights, typo look-up and the weight of unseen words.

Every content token of the knowledge (after ``bot.core.text`` normalisation) gets an id and a weight
that grows with its rarity across entries, so "Crimea" counts for more than "Zelensky". A word of
a question that the knowledge has never seen is either a typo of a known word (one edit, or a
swap of neighbours, for 5+ letters, the first letter kept: "rusia", "urgnet"), an everyday word
("right", "behind": light weight) or an unknown topic word ("Finland": heavier than any known
word, so it cannot ride on "NATO"). ``describe`` tells a maintainer which each word was.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA

from bot.core.text import Normaliser, stem
from bot.core.wordlists import GENERIC_WORDS

# A word no entry uses weighs this much more than the rarest known word.
UNKNOWN_WORD_FACTOR = 1.5
# An everyday word the knowledge has never seen ("right", "behind", "true") weighs this share of
# the most common known word: it rarely names what a question is about.
GENERIC_WORD_FACTOR = 0.5
# Flattens the rarity weights (1 = plain IDF, 0 = every word alike).
WEIGHT_POWER = 0.5
# Words shorter than this are never matched as typos of other words.
MIN_TYPO_LENGTH = 5

_GENERIC_STEMS = frozenset(stem(word) for word in GENERIC_WORDS)


@dataclass(frozen=True)
class WordInfo:
    """What the matcher made of one word of a question."""

    token: str
    kind: str  # "known", "typo", "repeat" (a typo of a word already asked), "everyday", "unknown"
    weight: float
    read_as: tuple[str, ...] = ()  # known words a typo was read as


class Vocabulary:
    """Token ids and weights of one knowledge file; built once, then read by every question."""

    def __init__(self) -> None:
        self.ids: dict[str, int] = {}
        self.words: list[str] = []
        self.weights: list[float] = []
        self.common: frozenset[str] = frozenset()
        self.unknown_weight = 1.0
        self.generic_weight = 0.5
        # typo targets by (first letter, length) and by length: a question word is compared
        # only with the few targets one edit can reach, not with the whole vocabulary
        self._by_start: dict[tuple[str, int], list[tuple[str, int]]] = {}
        self._by_length: dict[int, list[tuple[str, int]]] = {}

    def intern(self, tokens: Iterable[str]) -> tuple[int, ...]:
        """Return the ids of ``tokens`` (duplicates dropped), adding new words."""
        ids = []
        for token in dict.fromkeys(tokens):
            if token not in self.ids:
                self.ids[token] = len(self.words)
                self.words.append(token)
            ids.append(self.ids[token])
        return tuple(ids)

    def weigh(self, documents: list[set[int]], normaliser: Normaliser, vague_share: float) -> None:
        """Compute weights from the entries' token sets (``documents``); call once, at the end."""
        entry_count = max(len(documents), 1)
        frequency = [0] * len(self.words)
        for document in documents:
            for token_id in document:
                frequency[token_id] += 1
        self.weights = [math.log(1 + entry_count / max(f, 1)) ** WEIGHT_POWER for f in frequency]
        self.common = frozenset(
            word
            for word, f in zip(self.words, frequency, strict=True)
            if f >= vague_share * entry_count
        )
        self.unknown_weight = UNKNOWN_WORD_FACTOR * math.log(1 + entry_count) ** WEIGHT_POWER
        self.generic_weight = GENERIC_WORD_FACTOR * min(self.weights, default=1.0)
        # Typos are looked for among the vocabulary and the one-word synonyms, stemmed and as
        # written, so that "diplomaticaly" finds "diplomatically" and "advancng" "advancing".
        fuzzy_targets = dict(self.ids)
        for key, canonical in normaliser.phrase_to_canonical.items():
            if len(key) == 1 and canonical in self.ids:
                fuzzy_targets.setdefault(key[0], self.ids[canonical])
        for word, canonical in normaliser.single_words.items():
            if canonical in self.ids:
                fuzzy_targets.setdefault(word, self.ids[canonical])
        self._by_start = {}
        self._by_length = {}
        for word, vocab_id in fuzzy_targets.items():
            self._by_start.setdefault((word[0], len(word)), []).append((word, vocab_id))
            self._by_length.setdefault(len(word), []).append((word, vocab_id))

    def _targets(self, token: str, lengths: range, *, same_start: bool) -> list[tuple[str, int]]:
        if same_start:
            buckets = (self._by_start.get((token[0], n), ()) for n in lengths)
        else:
            buckets = (self._by_length.get(n, ()) for n in lengths)
        return [target for bucket in buckets for target in bucket]

    def similar(self, token: str) -> list[tuple[int, float]]:
        """Return vocabulary ids close to ``token`` with a similarity in 0..1, best first."""
        exact = self.ids.get(token)
        if exact is not None:
            return [(exact, 1.0)]
        if token.isdigit():
            return []
        if len(token) == MIN_TYPO_LENGTH - 1:
            return self._last_letter_dropped(token)
        if len(token) < MIN_TYPO_LENGTH:
            return []
        # One edit (a swap of two neighbours counts as one: "urgnet") for a word of 5+ letters
        # ("rusia", "crimia"), keeping the first letter:
        # shorter words are too often other real words ("tank" is one edit from "talk").
        size = len(token)
        targets = self._targets(token, range(size - 1, size + 2), same_start=True)
        found = process.extract(
            token, [word for word, _ in targets], scorer=OSA.distance, score_cutoff=1, limit=3
        )
        similar = [(targets[index][1], 1.0 - 0.1 * distance) for _, distance, index in found]
        if not similar and size >= 8:
            # a ratio of 88 needs lengths within 12 % of their sum of each other
            lengths = range(math.ceil(size * 0.88 / 1.12), math.floor(size * 1.12 / 0.88) + 1)
            targets = self._targets(token, lengths, same_start=False)
            close = process.extract(
                token, [word for word, _ in targets], scorer=fuzz.ratio, score_cutoff=88.0, limit=3
            )
            similar = [(targets[index][1], score / 100.0) for _, score, index in close]
        best: dict[int, float] = {}
        for vocab_id, similarity in similar:
            best[vocab_id] = max(similarity, best.get(vocab_id, 0.0))
        return sorted(best.items(), key=lambda item: -item[1])

    def _last_letter_dropped(self, token: str) -> list[tuple[int, float]]:
        """Read a four-letter word as a known five-letter word missing its last letter.

        Typing on a phone often drops the last letter ("mond" for "monde", "goin" for
        "going"); other one-edit typos of short words are too often other real words.
        """
        targets = self._by_start.get((token[0], len(token) + 1), ())
        found = {vocab_id: 0.9 for word, vocab_id in targets if word.startswith(token)}
        return sorted(found.items(), key=lambda item: -item[1])[:3]

    def similar_or_as_written(
        self, token: str, forms: Mapping[str, str] | None
    ) -> list[tuple[int, float]]:
        """Like ``similar``, then with the word as written when its stem finds nothing.

        ``forms`` maps stems to the words as written ("anex" -> "anexed").
        """
        close = self.similar(token)
        if not close and forms and token in forms:
            close = self.similar(forms[token])
        return close

    def is_everyday(self, token: str) -> bool:
        """Tell whether an unseen token is an everyday word (``GENERIC_WORDS``: light)."""
        return token in _GENERIC_STEMS

    def unseen_weight(self, token: str) -> float:
        """Return the weight of a word the knowledge has never seen (and that is no typo)."""
        return self.generic_weight if self.is_everyday(token) else self.unknown_weight

    def describe(
        self, tokens: Iterable[str], forms: Mapping[str, str] | None = None
    ) -> list[WordInfo]:
        """Tell, for each token of a question, how the matcher read and weighed it.

        ``forms`` maps stems to the words as written (see ``similar_or_as_written``).
        """
        report = []
        tokens = tuple(dict.fromkeys(tokens))
        asked = {self.ids[token] for token in tokens if token in self.ids}
        for token in tokens:
            vocab_id = self.ids.get(token)
            if vocab_id is not None:
                report.append(WordInfo(token, "known", self.weights[vocab_id]))
                continue
            similar = self.similar_or_as_written(token, forms)
            if similar and all(v in asked for v, _ in similar):
                read_as = tuple(self.words[v] for v, _ in similar)
                report.append(WordInfo(token, "repeat", 0.0, read_as))
            elif similar:
                read_as = tuple(self.words[v] for v, _ in similar)
                report.append(WordInfo(token, "typo", self.weights[similar[0][0]], read_as))
            elif self.is_everyday(token):
                report.append(WordInfo(token, "everyday", self.generic_weight))
            else:
                report.append(WordInfo(token, "unknown", self.unknown_weight))
        return report
