"""Maintainers' reports from the log: unanswered questions and feedback per entry.

``unanswered`` groups declined and low-confidence questions by similar text (same content words
after normalisation, or a close rapidfuzz match), sorts the groups by how often they were asked
and names the nearest entry and the words the knowledge never uses, so the top of the list is the
next phrasing, synonym or entry to add.

Readers' text is printed through ``printable``: control characters (C0, DEL, C1) and the
bidirectional overrides are shown as ``\x1b``/``\u202e`` escapes, so a question holding an
escape sequence cannot clear, retitle or write to the maintainer's terminal. The JSON forms
escape the same characters (``json`` escapes only C0 by itself).
"""

from __future__ import annotations

import json
import re
import time
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from rapidfuzz import fuzz

from bot.knowledge.knowledge import Knowledge
from bot.maintenance.explaining import unseen_words
from bot.maintenance.store import Store

# C0 controls (newlines and tabs too: each field is printed on one line), DEL and C1 controls
# (0x9b is CSI on some terminals), and the bidirectional embeddings, overrides and isolates.
CONTROL_CHARACTERS = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
JSON_UNSAFE = re.compile("[\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def _escaped(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(text: str) -> str:
    """Return ``text`` with every control character shown as an escape (``\x1b``)."""
    return CONTROL_CHARACTERS.sub(_escaped, text)


def safe_json(value: object) -> str:
    """``json.dumps`` (indented, non-ASCII kept) with DEL, C1 and bidi controls escaped too."""
    text = json.dumps(value, ensure_ascii=False, indent=2)
    return JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


@dataclass
class Group:
    """Similar unanswered questions, counted, with the nearest entry for the top example."""

    example: str
    count: int = 0
    last_asked: float = 0.0
    outcomes: dict[str, int] = field(default_factory=dict)
    variants: list[str] = field(default_factory=list)
    nearest_entry: str | None = None
    nearest_score: float | None = None
    unknown_words: list[str] = field(default_factory=list)


def parse_since(value: str | None, now: float | None = None) -> float:
    """Turn '7d', '24h', '30m' or 'YYYY-MM-DD' into a Unix time; None means the beginning."""
    if not value:
        return 0.0
    now = time.time() if now is None else now
    relative = re.fullmatch(r"(\d+)\s*([dhm])", value.strip())
    if relative:
        amount, unit = int(relative.group(1)), relative.group(2)
        return now - amount * {"d": 86400, "h": 3600, "m": 60}[unit]
    try:
        return datetime.fromisoformat(value.strip()).timestamp()
    except ValueError as exc:
        raise ValueError(f"--since: expected 7d, 24h, 30m or YYYY-MM-DD, got {value!r}") from exc


def similar(words: frozenset[str], key: str, other_words: frozenset[str], other_key: str) -> bool:
    """Same question in other words: one's content words contain the other's (two or more),
    or the normalised texts are a close fuzzy match."""
    shared = len(words & other_words)
    if shared >= 2 and shared == min(len(words), len(other_words)):
        return True
    return key == other_key or fuzz.ratio(key, other_key) >= 85


def unanswered_groups(
    store: Store, knowledge: Knowledge, since: float = 0.0, limit: int = 20
) -> list[Group]:
    """Group the logged unanswered questions; most asked first."""
    rows = store.rows(
        "SELECT text, outcome, asked_at FROM questions WHERE outcome != 'answer' "
        "AND asked_at >= ? ORDER BY asked_at",
        (since,),
    )
    normaliser = knowledge.matcher.normaliser
    groups: list[tuple[frozenset[str], str, Group]] = []
    for text, outcome, asked_at in rows:
        words = frozenset(normaliser.tokens(text))
        key = " ".join(sorted(words)) or text.casefold().strip()
        group = next((g for w, k, g in groups if similar(words, key, w, k)), None)
        if group is None:
            group = Group(example=text)
            groups.append((words, key, group))
        group.count += 1
        group.last_asked = max(group.last_asked, asked_at)
        group.outcomes[outcome] = group.outcomes.get(outcome, 0) + 1
        if text not in group.variants and len(group.variants) < 5:
            group.variants.append(text)
    ranked = sorted((g for _, _, g in groups), key=lambda g: (-g.count, -g.last_asked))[:limit]
    for group in ranked:
        best = knowledge.matcher.score_all(group.example)
        if best:
            group.nearest_entry, group.nearest_score = best[0].entry.id, best[0].score
        group.unknown_words = [word for word, _ in unseen_words(knowledge.matcher, group.variants)]
    return ranked


def unanswered_report(
    db_path: Path | str, knowledge: Knowledge, since: str | None, limit: int, as_json: bool
) -> str:
    """Return the unanswered-questions report as text or JSON."""
    store = Store(db_path)
    groups = unanswered_groups(store, knowledge, parse_since(since), limit)
    store.close()
    if as_json:
        return safe_json([asdict(g) for g in groups])
    if not groups:
        return "No unanswered questions logged" + (f" since {since}." if since else ".")
    lines = [f"{'times':>5}  {'nearest entry (score)':<32} question"]
    for g in groups:
        nearest = f"{g.nearest_entry} ({g.nearest_score:.0f})" if g.nearest_entry else "-"
        lines.append(f"{g.count:>5}  {printable(nearest):<32} {printable(g.example)}")
        for variant in g.variants[1:]:
            lines.append(f"{'':>5}  {'':<32}   also: {printable(variant)}")
        if g.unknown_words:
            words = printable(", ".join(g.unknown_words))
            lines.append(f"{'':>5}  {'':<32}   new words: {words}")
    return "\n".join(lines)


def feedback_rows(store: Store, limit: int = 20) -> list[dict[str, Any]]:
    """Return entries with their 👍 and 👎 counts, most 👎 first."""
    rows = store.rows(
        "SELECT entry, SUM(vote > 0), SUM(vote < 0) FROM feedback GROUP BY entry "
        "ORDER BY SUM(vote < 0) DESC, SUM(vote > 0) ASC, entry LIMIT ?",
        (limit,),
    )
    return [{"entry": e, "up": int(up), "down": int(down)} for e, up, down in rows]


def feedback_report(db_path: Path | str, limit: int, as_json: bool) -> str:
    """Return the feedback report as text or JSON."""
    store = Store(db_path)
    rows = feedback_rows(store, limit)
    store.close()
    if as_json:
        return safe_json(rows)
    if not rows:
        return "No feedback logged yet."
    lines = [f"{'👎':>4} {'👍':>4}  entry"]
    lines += [f"{r['down']:>4} {r['up']:>4}  {printable(r['entry'])}" for r in rows]
    return "\n".join(lines)
