"""How far the phrasings nearest a question agree on its top entry.

The scorer keeps the ten phrasings nearest the question by F1 (``bot.core.scoring``). When most
of their weight belongs to the top entry, the question was understood as that entry's question
even if it scored low (a chatty paraphrase); when they are spread over entries quoting other
sentences, the words matched, not the question ("when did zelensky become president?" scores
highest on crimea-annexed's "when did Crimea become Russian", but seven of the ten phrasings
nearest it are who-is-zelensky's). The share counts the top entry alone and, for the check
every answer route makes, the top entry with its *siblings* (``bot.core.evidence.is_sibling``),
which answer each other's questions.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from bot.core.candidate import Candidate
from bot.core.evidence import is_sibling
from bot.knowledge.schema import Entry


def agreement(
    entries: Sequence[Entry], top: Candidate | None, nearest: Iterable[tuple[float, int]]
) -> tuple[float, float]:
    """Return the F1-weighted share of the nearest phrasings that belong to the top entry, and
    to the top entry or one of its siblings (1.0 when nothing is near: nothing disagrees)."""
    nearest = list(nearest)
    total = sum(f1 for f1, _ in nearest)
    if top is None or total <= 0.0:
        return 1.0, 1.0
    own = kin = 0.0
    for f1, e_index in nearest:
        entry = entries[e_index]
        if entry.id == top.entry.id:
            own += f1
            kin += f1
        elif is_sibling(top.entry, entry):
            kin += f1
    return own / total, kin / total
