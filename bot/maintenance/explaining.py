"""Explanations of how a question was read and scored, for maintainers fixing a wrong answer.

``python -m bot explain QUESTION`` prints each word the matcher kept (after synonyms, stop words
and word endings) with how it was read — known, a typo of a known word, an everyday word or an
unknown word — and its weight, then the closest entries with their scores and the decision with
the thresholds that made it. Unknown words are the usual reason a fair question is missed: the
explanation says to add them to a synonym group or to an entry's questions. ``unseen_words``
does the same count over many questions (``eval`` lists it for its misses).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from bot.core.agreement import AGREEMENT_PHRASINGS
from bot.core.decisions import decide, reason
from bot.core.matching import Matcher, WordInfo

_KIND_LABELS = {
    "known": "known word",
    "typo": "typo of",
    "repeat": "ignored: a typo of a word the question already has,",
    "everyday": "everyday word the knowledge never uses (weighs little)",
    "unknown": "UNKNOWN word (weighs more than any known word)",
}


def describe_word(info: WordInfo) -> str:
    """Return one line saying how a word was read and weighed."""
    label = _KIND_LABELS[info.kind]
    if info.kind in ("typo", "repeat"):
        label = f"{label} {', '.join(info.read_as)}"
    return f"  {info.token:<22} {info.weight:5.2f}  {label}"


def explain(matcher: Matcher, question: str, *, limit: int = 5) -> str:
    """Return a plain-text explanation of how ``question`` is read, scored and decided."""
    query = matcher.read(question)
    words = matcher.describe_words(query)
    lines = [f"question: {question}"]
    if words:
        lines.append("words kept (after synonyms, stop words and word endings), weight, reading:")
        lines += [describe_word(info) for info in words]
    else:
        lines.append("no content words left after stop words: compared whole with every phrasing")
    if query.names:
        lines.append(f"names the article never mentions: {', '.join(query.names)}")
    if query.set_aside:
        aside = ", ".join(query.set_aside)
        lines.append(f"set aside (the reader's options, purpose or home, not the topic): {aside}")
    evidence = matcher.gather(query)
    lines.append("closest entries (score = half coverage + half closeness; its closest phrasing):")
    if not evidence.candidates:
        lines.append("  none: no entry shares a word with the question")
    for c in evidence.candidates[:limit]:
        lines.append(
            f"  {c.score:5.1f}  cover {c.coverage:4.2f}  close {c.closeness:4.2f}  "
            f"{c.entry.id:<24} {c.question}"
        )
    if evidence.candidates and query.empty:
        lines.append("nearest phrasings: not compared (small words only: no agreed route, no vote)")
    elif evidence.candidates:
        lines.append(
            f"nearest phrasings (the {AGREEMENT_PHRASINGS} closest, by closeness): "
            f"{evidence.agreement:.2f} the top entry's own, {evidence.kin_agreement:.2f} with its "
            "siblings"
        )
    limits = matcher.thresholds
    result = decide(evidence, limits)
    best = " + ".join(result.answered_ids)
    best = f" {best}" if best else ""
    offered = ", ".join(c.entry.id for c in result.suggestions)
    lines.append(f"decision: {result.kind}{best}" + (f" (buttons: {offered})" if offered else ""))
    lines.append(f"why: {reason(evidence, limits)}")
    unknown = [info.token for info in words if info.kind == "unknown"]
    if unknown:
        verb = "never appears" if len(unknown) == 1 else "never appear"
        lines.append(
            f"hint: {', '.join(unknown)} {verb} in the knowledge. If the article covers what "
            "it means, add the word to a synonym group or to an entry's questions."
        )
    return "\n".join(lines)


def unseen_words(matcher: Matcher, questions: Iterable[str]) -> list[tuple[str, int]]:
    """Count the unknown words of ``questions``, most frequent first."""
    counts: Counter[str] = Counter()
    for question in questions:
        counts.update(
            info.token for info in matcher.describe_words(question) if info.kind == "unknown"
        )
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))
