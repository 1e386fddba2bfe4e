"""Everything the decision policy weighs about one question, gathered once.

The matcher reads and scores a question into ``Evidence``: the ranked candidates (each with its
score, coverage and closeness), the share of the question's weight in words the knowledge has
never seen, how far the phrasings nearest the question agree on the top entry, whether it is too
vague, asks for an opinion, or names places or organisations the article never mentions. The
policy (``bot.core.decisions``) turns it into a reply kind with the thresholds it is given, so an
evaluation or a fit tries many thresholds on one reading.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from bot.core.agreement import Agreement
from bot.core.candidate import Candidate
from bot.core.match_result import Lacks
from bot.core.siblings import is_sibling, rivals


@dataclass(frozen=True)
class Evidence:
    """The signals behind one decision."""

    query: str
    candidates: tuple[Candidate, ...] = ()
    unseen_share: float = 0.0  # of the question's weight, in words the knowledge never saw
    vague: bool = False  # one or two words that many entries share ("nato")
    opinion: bool = False  # asks for an opinion or a prediction
    foreign: tuple[str, ...] = ()  # names of places or organisations the article lacks
    empty: bool = False  # no content word at all
    # what the question asks for that the top entry's answer lacks (``bot.core.details``)
    missing: Lacks = ""
    length: int = 0  # content words of the question
    # the question is the top entry's closest phrasing with one word swapped for an unknown one
    # (``bot.core.swaps``): (the question's word, the phrasing's word)
    swapped: tuple[str, str] | None = None
    # how far the phrasings nearest the question agree on the top entry (``bot.core.agreement``);
    # it belongs to ``candidates[0]``: a copy with other candidates must bring its own
    nearest: Agreement = field(default_factory=Agreement)

    @property
    def top(self) -> Candidate | None:
        """Return the best candidate, if any entry shares a word with the question."""
        return self.candidates[0] if self.candidates else None

    @property
    def unnamed(self) -> bool:
        """Tell whether it asks for names the top entry's answer does not give."""
        return self.missing == "name"

    @cached_property
    def margin(self) -> float:
        """Return how far the top score stands above its closest rival (``rivals``)."""
        top = self.top
        if top is None:
            return 0.0
        rival = next(iter(rivals(top.entry, self.candidates[1:])), None)
        return top.score - rival.score if rival is not None else top.score

    @cached_property
    def sibling(self) -> Candidate | None:
        """Return the closest *sibling* of the top entry (``is_sibling``), if one scored."""
        top = self.top
        if top is None:
            return None
        return next((c for c in self.candidates[1:] if is_sibling(top.entry, c.entry)), None)

    @property
    def top_score(self) -> float:
        """Return the best candidate's score (0 when no entry shares a word)."""
        return self.candidates[0].score if self.candidates else 0.0

    @property
    def agreement(self) -> float:
        """Return the share of the nearest phrasings that are the top entry's own."""
        return self.nearest.own

    @property
    def kin_agreement(self) -> float:
        """Return the share of the nearest phrasings that are the top entry's or its siblings'."""
        return self.nearest.kin

    @property
    def sibling_gap(self) -> float:
        """Return how far the top score stands above its closest sibling (not a rival)."""
        top, sibling = self.top, self.sibling
        if top is None:
            return 0.0
        return top.score - sibling.score if sibling is not None else top.score
