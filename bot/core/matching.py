"""The matcher: one knowledge file's frozen index, the scorer and the decision policy together.

``build_matcher`` indexes the entries once (``bot.core.index``). For each message the matcher
reads the text once into a ``Query`` (``bot.core.query``), scores it against every entry
(``bot.core.scoring``), checks whether it asks for an opinion (``bot.core.opinions``) or is too
vague, and lets the policy decide (``bot.core.decisions``) with the thresholds given, or its
defaults. Nothing in a matcher changes after it is built, so an evaluation sweep passes other
thresholds to ``match`` while readers keep being served.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from bot.core.alternatives import offered_alternatives
from bot.core.candidate import Candidate
from bot.core.decisions import decide
from bot.core.details import missing_detail
from bot.core.evidence import Evidence
from bot.core.framing import framing_words
from bot.core.index import Index, build_index
from bot.core.match_result import Lacks, MatchResult
from bot.core.opinions import OpinionDetector
from bot.core.places import PlaceNames, foreign_people_words, place_names, read_country_codes
from bot.core.query import MAX_QUESTION_CHARS, Query, read_query
from bot.core.scoring import score, score_query, score_small_words
from bot.core.swaps import swapped_word
from bot.core.text import Normaliser, fold
from bot.core.thresholds import Thresholds
from bot.core.vocabulary import Vocabulary, WordInfo
from bot.knowledge.schema import Entry

# How many ranked entries a match keeps (suggestions, examples and logs use the top few).
CANDIDATES_KEPT = 5
_ABBREVIATION = re.compile(r"\b[A-Z]{2,5}\b")


@dataclass(frozen=True, eq=False)
class Matcher:
    """Scores and decides questions against one knowledge file's index."""

    index: Index
    thresholds: Thresholds = field(default_factory=Thresholds)
    opinions: OpinionDetector = field(default_factory=OpinionDetector.for_names)
    # the words for the peoples of countries the knowledge does not know ("chinese"), found once
    people_words: frozenset[str] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "people_words", foreign_people_words(self._knows))

    @property
    def entries(self) -> tuple[Entry, ...]:
        """Return the indexed entries in file order."""
        return self.index.entries

    @property
    def normaliser(self) -> Normaliser:
        """Return the normaliser (synonyms, stop words, stemming) of the knowledge file."""
        return self.index.normaliser

    @property
    def vocabulary(self) -> Vocabulary:
        """Return the words of the knowledge file with their weights."""
        return self.index.vocabulary

    @property
    def phrasing_count(self) -> int:
        """Return how many phrasings are indexed."""
        return self.index.phrasing_count

    def read(self, text: str) -> Query:
        """Read a message once into the query every later step shares.

        Names of places and organisations the knowledge never mentions are looked for only
        when the message has a word the knowledge does not know, an abbreviation or a word for
        a people ("the French president"); the code of a country the knowledge knows is read
        as that country ("UA" -> "Ukraine"). The reader's options ("Sky News or the BBC?",
        ``bot.core.alternatives``), the unknown words of a clause about the reader ("For my
        thesis, …", ``bot.core.framing``) and the words saying where the reader is ("I'm from
        Poland, …", ``bot.core.places``) are set aside. Text past ``MAX_QUESTION_CHARS``
        (Telegram's own limit) is not read at all.
        """
        text = text[:MAX_QUESTION_CHARS]
        written = text
        if _ABBREVIATION.search(text):
            text = read_country_codes(text, self._knows)  # "UA" -> "Ukraine"
        query = read_query(text, self.index.normaliser)
        if text != written:
            query = replace(query, text=written)
        ids = self.index.vocabulary.ids
        known = all(t in ids for t in query.tokens) and not _ABBREVIATION.search(text)
        if known and self.people_words.isdisjoint(query.folded.replace("-", " ").split()):
            return query  # (with a foreign people's word: "the French president" is France's)
        options, option_words = offered_alternatives(
            query.folded, self.index.normaliser.tokens, self._known_or_typo
        )
        framing = framing_words(query.folded, self.index.normaliser.tokens, self._known_or_typo)
        places = place_names(text, self._knows)
        home = self._home_words(places)
        if options or framing or home:  # "Sky News or the BBC?": the BBC is a guess, not the
            # topic; "For my thesis, …", "I'm from Poland, …": nor is the reader's purpose or home
            dropped = options | framing | home
            kept = tuple(t for t in query.tokens if t not in dropped)
            aside = tuple(t for t in query.tokens if t in dropped)
            query = replace(query, tokens=kept, set_aside=aside)
            if home and not kept:  # "I'm in the US, what's this about?": the question's small
                query = replace(query, folded=places.rest)  # words, without where the reader is
        names = tuple(
            name for name in places.foreign if not option_words.issuperset(fold(name).split())
        )
        return replace(query, names=names) if names else query

    def _home_words(self, places: PlaceNames) -> frozenset[str]:
        """Return the tokens of the words saying where the reader is that the rest of the
        message does not repeat ("long" stays in "I'm from Long Beach, how long …")."""
        if not places.home:
            return frozenset()
        tokens = self.index.normaliser.tokens
        return frozenset(tokens(places.home)) - frozenset(tokens(places.rest))

    def _known_or_typo(self, token: str) -> bool:
        """Tell whether a token is a word of the knowledge, or one edit from one."""
        return bool(self.index.vocabulary.similar(token))

    def _knows(self, folded_name: str) -> bool:
        """Tell whether every word of a name is a word (or synonym) of the knowledge."""
        tokens = self.index.normaliser.tokens(folded_name)
        return bool(tokens) and all(t in self.index.vocabulary.ids for t in tokens)

    def score_all(
        self, query: str | Query, *, exact: bool = True, limit: int | None = None
    ) -> list[Candidate]:
        """Score ``query`` against every entry; return entries that share a word, best first.

        With ``exact`` (the default) a question typed exactly as a phrasing scores 100;
        ``limit`` keeps only that many of the best entries.
        """
        read = query if isinstance(query, Query) else self.read(query)
        return score(self.index, read, exact=exact, limit=limit)

    def is_vague(self, query: str | Query) -> bool:
        """Tell whether ``query`` is one or two words that many entries share ("nato")."""
        read = query if isinstance(query, Query) else self.read(query)
        return self.index.is_vague(read.tokens)

    def describe_words(self, query: str | Query) -> list[WordInfo]:
        """Tell how each word of ``query`` was read: known, typo, everyday or unknown."""
        read = query if isinstance(query, Query) else self.read(query)
        return self.index.vocabulary.describe(read.tokens, read.forms)

    def gather(self, query: str | Query) -> Evidence:
        """Read and score ``query`` into the evidence the decision policy weighs."""
        read = query if isinstance(query, Query) else self.read(query)
        if read.empty:
            if not read.folded.strip("?!.,;: "):
                return Evidence(read.text, empty=True)
            small = score_small_words(self.index, read, limit=CANDIDATES_KEPT)
            candidates = tuple(small.candidates)
            return Evidence(read.text, candidates, empty=not candidates, nearest=small.nearest)
        scores = score_query(self.index, read, limit=CANDIDATES_KEPT)
        top = scores.candidates[0] if scores.candidates else None
        missing: Lacks = ""
        swapped = None
        if top is not None:
            facts = self.index.facts[top.entry.id]
            missing = missing_detail(read.folded, self.index.normaliser.tokens, facts)
            # only a question with a word the knowledge never uses can have swapped one in
            swapped = self._swapped(read, top) if scores.unseen_share else None
        return Evidence(
            read.text,
            tuple(scores.candidates),
            scores.unseen_share,
            vague=read.exact_key not in self.index.exact and self.index.is_vague(read.tokens),
            opinion=self.opinions.asks_for_opinion(read.folded),
            foreign=read.names,
            missing=missing,
            swapped=swapped,
            length=len(read.tokens),
            nearest=scores.nearest,
        )

    def _swapped(self, read: Query, top: Candidate) -> tuple[str, str] | None:
        """Tell whether the question is the top's closest phrasing with one word swapped for
        a word the knowledge never uses (``bot.core.swaps``)."""
        vocabulary = self.index.vocabulary

        def unknown(token: str) -> bool:
            close = vocabulary.similar_or_as_written(token, read.forms)
            return not close and not vocabulary.is_everyday(token)

        phrasing = self.index.phrasing_words.get(top.question, ())
        swap = swapped_word(read.tokens, phrasing, unknown)
        # an everyday word of the phrasing ("true or false: …", "gone over") is no topic
        return None if swap is None or vocabulary.is_everyday(swap[1]) else swap

    def match(self, query: str | Query, thresholds: Thresholds | None = None) -> MatchResult:
        """Score ``query`` and decide what to do with it (with ``thresholds`` or the defaults)."""
        return decide(self.gather(query), thresholds or self.thresholds)


def build_matcher(
    entries: Iterable[Entry],
    normaliser: Normaliser,
    thresholds: Thresholds | None = None,
    *,
    names: Iterable[str] = (),
) -> Matcher:
    """Index ``entries`` once so that each question costs only the scoring."""
    return Matcher(
        build_index(entries, normaliser),
        thresholds or Thresholds(),
        OpinionDetector.for_names(names),
    )


__all__ = ["Candidate", "MatchResult", "Matcher", "Thresholds", "WordInfo", "build_matcher"]
