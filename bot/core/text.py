"""Text normalisation shared by the knowledge file and incoming questions.

A question and a knowledge-file phrasing are compared only after both went through the same
steps here: Unicode folding, case folding, quotes and dashes unified, possessives and punctuation
dropped, filler phrases ("according to the article") removed, synonyms mapped to one canonical
word, stop words dropped and word forms reduced by a small suffix stemmer.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from bot.core.wordlists import CHAT_WORDS, FILLER_PHRASES, NUMBER_WORDS, STOP_WORDS

_QUOTES_AND_DASHES = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u2032": "'",
        "`": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u00ab": '"',
        "\u00bb": '"',
        "\u2010": "-",
        "\u2011": "-",
        "\u2012": "-",
        "\u2013": "-",
        "\u2014": "-",
        "\u2015": "-",
        "\u2212": "-",
    }
)
_POSSESSIVE = re.compile(r"(\w)'s\b")
_THOUSANDS_COMMA = re.compile(r"(?<=\d),(?=\d{3}\b)")
_NON_WORD = re.compile(r"[^\w]+")
_INVISIBLE = re.compile(r"[\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]")

_FILLER = re.compile(r"\b(?:" + "|".join(re.escape(p) for p in FILLER_PHRASES) + r")\b")
_SUFFIXES = ("ings", "ing", "edly", "ied", "ies", "ed", "es", "s")


def fold(text: str) -> str:
    """Return ``text`` Unicode-folded, lower case, quotes/dashes unified, whitespace collapsed."""
    text = unicodedata.normalize("NFKC", text)
    text = _INVISIBLE.sub("", text).translate(_QUOTES_AND_DASHES).casefold()
    return " ".join(text.split())


def words(text: str) -> list[str]:
    """Split folded text into words: possessives dropped, punctuation treated as space, number
    words as digits ("thousand" -> "1000")."""
    text = _POSSESSIVE.sub(r"\1", text)
    text = _THOUSANDS_COMMA.sub("", text)
    text = _FILLER.sub(" ", text).replace("%", " percent ").replace("_", " ")
    return [NUMBER_WORDS.get(w, w) for w in _NON_WORD.sub(" ", text).split()]


# Words longer than this are stemmed each time, not cached: no cache entry is ever that long, so
# the cache's memory stays bounded (65,536 short words) whatever readers send.
MAX_CACHED_WORD = 32


def stem(word: str) -> str:
    """Reduce a word form to a crude stem ("annexed" -> "annex", "regions" -> "region")."""
    return _cached_stem(word) if len(word) <= MAX_CACHED_WORD else _stem(word)


@lru_cache(maxsize=65536)
def _cached_stem(word: str) -> str:
    return _stem(word)


def _stem(word: str) -> str:
    if len(word) <= 4 or word.isdigit():
        return word
    stripped = False
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            word = word[: -len(suffix)]
            if suffix in ("ied", "ies"):
                word += "y"
            stripped = True
            break
    # "stopped" -> "stop", and after a suffix also short ones: "getting" -> "get"
    if (len(word) > 4 or stripped) and word[-1] == word[-2] and word[-1] not in "aeiouls":
        word = word[:-1]
    return word


# Second words of phrasal verbs that may stand a few words away: "take the land back".
PARTICLES = frozenset(["back", "up", "over", "out", "off", "down"])
# How many words may come between a verb and its particle.
PARTICLE_GAP = 3


@dataclass(frozen=True)
class Normaliser:
    """Turns text into the token tuple used for matching, with a synonym table applied."""

    phrase_to_canonical: Mapping[tuple[str, ...], str]
    longest_phrase: int
    # first word -> the lengths of the synonym phrases starting with it, longest first
    phrase_lengths: Mapping[str, tuple[int, ...]] = field(default_factory=dict)
    # verb stem -> {particle: canonical} for two-word synonyms like "take back"
    separable: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    # one-word variants as written ("advancing" -> "gain"), for typos of inflected forms
    single_words: Mapping[str, str] = field(default_factory=dict)

    @classmethod
    def from_synonyms(cls, synonyms: Mapping[str, Sequence[str]]) -> Normaliser:
        """Build a normaliser from ``{canonical: [variant, ...]}`` (multi-word variants allowed).

        Phrases are looked up by their stemmed words, so "occupies" finds the variant "occupy".
        """
        table: dict[tuple[str, ...], str] = {}
        single_words: dict[str, str] = {}
        for canonical, variants in synonyms.items():
            target = "_".join(words(fold(canonical)))
            for phrase in (canonical, *variants):
                written = words(fold(phrase))
                key = tuple(stem(w) for w in written)
                if key:
                    table[key] = target
                if len(written) == 1:
                    single_words[written[0]] = target
        longest = max((len(k) for k in table), default=1)
        lengths: dict[str, set[int]] = {}
        for key in table:
            lengths.setdefault(key[0], set()).add(len(key))
        by_first = {w: tuple(sorted(n, reverse=True)) for w, n in lengths.items()}
        separable: dict[str, dict[str, str]] = {}
        for key, target in table.items():
            if len(key) == 2 and key[1] in PARTICLES:
                separable.setdefault(key[0], {})[key[1]] = target
        return cls(table, longest, by_first, separable, single_words)

    def _particle_after(self, stems: list[str], i: int) -> int | None:
        """Return where the particle of a phrasal verb at word ``i`` stands, a few words on."""
        particles = self.separable.get(stems[i])
        if not particles:
            return None
        last = min(i + 2 + PARTICLE_GAP, len(stems))
        return next((j for j in range(i + 2, last) if stems[j] in particles), None)

    def tokens(self, text: str) -> tuple[str, ...]:
        """Return the content tokens of ``text``: synonyms mapped, stop words out, stemmed.

        A phrasal verb split by a few words ("take the land back") is read as its phrase.
        """
        return tuple(self.folded_tokens_and_forms(fold(text))[0])

    def folded_tokens_and_forms(self, folded: str) -> tuple[list[str], dict[str, str]]:
        """Return the content tokens of folded text and, for stemmed words, the word as written.

        The written form lets a typo be looked up whole when its stem is too short to
        ("anexed" -> "anex", one edit from "annexed").
        """
        raw = words(folded)
        stems = [stem(w) for w in raw]
        table = self.phrase_to_canonical
        phrase_lengths = self.phrase_lengths
        separable = self.separable
        out: list[str] = []
        forms: dict[str, str] = {}
        used: set[int] = set()  # particles already read with their verb
        i = 0
        count = len(raw)
        while i < count:
            if i in used:
                i += 1
                continue
            word = stems[i]
            canonical, size = None, 0
            for length in phrase_lengths.get(word, ()):  # longest synonym phrase first
                if i + length <= count:
                    canonical = table.get(tuple(stems[i : i + length]))
                    if canonical is not None:
                        size = length
                        break
            far = self._particle_after(stems, i) if size < 2 and word in separable else None
            if far is not None:
                out.append(separable[word][stems[far]])
                used.add(far)
                i += 1
            elif canonical is not None:
                out.append(canonical)
                i += size
            else:
                if raw[i] not in STOP_WORDS and raw[i] not in CHAT_WORDS:
                    out.append(word)
                    if raw[i] != word:
                        forms[word] = raw[i]
                i += 1
        return out, forms
