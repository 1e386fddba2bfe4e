"""How far the phrasings nearest a question agree on its top entry.

The scorer computes every reached phrasing's F1 with the question (``bot.core.scoring``); the
``AGREEMENT_PHRASINGS`` nearest of them (more when phrasings tie at the cut) vote, weighted by
F1. When most of their weight belongs to the top entry, the question was understood as that
entry's question even if it scored low (a chatty paraphrase); when it belongs to entries quoting
other sentences, the words matched, not the question ("when did zelensky become president?"
scores highest on crimea-annexed's "when did Crimea become Russian", but seven of the ten
phrasings nearest it are who-is-zelensky's). The shares count the top entry alone (``own``) and
the top entry with its *siblings* (``kin``, ``bot.core.siblings``), which answer each
other's questions. ``Agreement`` computes them only when the decision asks (most questions are
decided without them).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property

from bot.core.candidate import Candidate
from bot.core.siblings import is_sibling
from bot.knowledge.schema import Entry

# How many of the phrasings nearest the question (by F1) vote on whether they agree on its entry.
AGREEMENT_PHRASINGS = 10


def _nothing_disagrees() -> tuple[float, float]:
    return 1.0, 1.0


@dataclass(frozen=True, eq=False)
class Agreement:
    """The own and kin shares of the nearest phrasings, computed on first use."""

    compute: Callable[[], tuple[float, float]] = field(default=_nothing_disagrees)

    @classmethod
    def fixed(cls, own: float, kin: float) -> Agreement:
        """Return shares known in advance (a question read another way, a test)."""
        return cls(lambda: (own, kin))

    @cached_property
    def shares(self) -> tuple[float, float]:
        """Return (own, kin)."""
        return self.compute()

    @property
    def own(self) -> float:
        """Return the F1-weighted share of the nearest phrasings that are the top entry's."""
        return self.shares[0]

    @property
    def kin(self) -> float:
        """Return the share that is the top entry's or one of its siblings'."""
        return self.shares[1]


def nearest_phrasings(
    reached: Iterable[int], f1s: Sequence[float], entry_of: Sequence[int], best_f1: Sequence[float]
) -> list[tuple[float, int]]:
    """Return the ``AGREEMENT_PHRASINGS`` phrasings with the highest F1 (and any tied with the
    last of them) as (F1, entry), in the order of ``reached``, which ``f1s`` follows.

    Each entry's best F1 is some phrasing's, so the tenth best of them is a floor no nearer
    phrasing falls below: only the few above it are sorted.
    """
    bests = sorted(best_f1)
    floor = bests[-AGREEMENT_PHRASINGS] if len(bests) >= AGREEMENT_PHRASINGS else -1.0
    near = sorted((f1 for f1 in f1s if f1 >= floor), reverse=True)
    if len(near) > AGREEMENT_PHRASINGS:
        floor = near[AGREEMENT_PHRASINGS - 1]  # ties at the cut all vote
    return [(f1, entry_of[p]) for p, f1 in zip(reached, f1s, strict=True) if f1 >= floor]


def shares(
    entries: Sequence[Entry], top: Candidate | None, nearest: Iterable[tuple[float, int]]
) -> tuple[float, float]:
    """Return the F1-weighted share of ``nearest`` that belongs to the top entry, and to the
    top entry or one of its siblings (1.0 when nothing is near: nothing disagrees)."""
    votes = list(nearest)
    total = sum(f1 for f1, _ in votes)
    if top is None or total <= 0.0:
        return 1.0, 1.0
    own = kin = 0.0
    for f1, e_index in votes:
        entry = entries[e_index]
        if entry.id == top.entry.id:
            own += f1
            kin += f1
        elif is_sibling(top.entry, entry):
            kin += f1
    return own / total, kin / total
