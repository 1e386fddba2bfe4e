"""Checks of a schema-valid knowledge file against the article and against itself.

Errors: a ``sentence`` that is not verbatim in the article, duplicate ids, ``related`` or
``examples`` ids that do not exist, a phrasing repeated across entries, and a phrasing the
matcher would not send back to its own entry at the answer threshold (either it scores too low,
or another entry scores as high: the bot could not tell them apart). Warnings: article sentences
no entry supports, a phrasing written twice in one entry, and phrasings close enough to another
entry that a reader may be asked "did you mean". Every problem names the file, line, entry and
field.
"""

from __future__ import annotations

from collections import Counter

from bot.core.matching import Matcher
from bot.core.siblings import rivals
from bot.core.text import fold
from bot.knowledge.article import Article
from bot.knowledge.schema import Entry, LoadedFile, Problem


def check_knowledge(
    loaded: LoadedFile, article: Article, matcher: Matcher, *, thorough: bool = True
) -> list[Problem]:
    """Return every problem found, in file order; ``thorough`` adds the phrasing checks."""
    problems: list[Problem] = []
    file = str(loaded.path)
    entries = loaded.model.entries

    def add(
        index: int | None,
        field: str | None,
        path: tuple[str | int, ...],
        message: str,
        severity: str = "error",
    ) -> None:
        entry = entries[index].id if index is not None else None
        line = loaded.line_of(*path)
        problems.append(Problem(file, line, entry, field, message, severity))

    id_counts = Counter(e.id for e in entries)
    ids = set(id_counts)
    first_owner: dict[str, str] = {}
    for i, entry in enumerate(entries):
        if id_counts[entry.id] > 1 and first_owner.setdefault(entry.id, f"#{i + 1}") != f"#{i + 1}":
            add(i, "id", ("entries", i, "id"), f"duplicate id {entry.id!r}")
        if not article.contains(entry.sentence):
            add(i, "sentence", ("entries", i, "sentence"), _not_verbatim(entry.sentence, article))
        for j, related in enumerate(entry.related):
            path = ("entries", i, "related", j)
            if related not in ids:
                add(i, "related", path, f"unknown related id {related!r}")
            elif related == entry.id:
                add(i, "related", path, "an entry cannot be related to itself")
    for j, example in enumerate(loaded.model.examples):
        if example not in ids:
            line = loaded.line_of("examples", j)
            message = f"unknown example id {example!r}"
            problems.append(Problem(file, line, None, "examples", message))
    if thorough:
        problems.extend(_check_questions(loaded, matcher))
    supported = {e.sentence for e in entries}
    for number, sentence in enumerate(article.sentences, start=1):
        if sentence not in supported:
            message = f"article line {number} is not the sentence of any entry: {sentence!r}"
            problems.append(Problem(file, None, None, None, message, "warning"))
    return problems


def _not_verbatim(sentence: str, article: Article) -> str:
    folded = fold(sentence)
    for number, candidate in enumerate(article.sentences, start=1):
        if fold(candidate) == folded:
            return (
                f"not verbatim: differs from article line {number} only in case, quotes, "
                "dashes or spacing; copy it byte for byte"
            )
    return "not found verbatim in the article (copy the sentence exactly, one whole line)"


def _check_questions(loaded: LoadedFile, matcher: Matcher) -> list[Problem]:
    problems: list[Problem] = []
    file = str(loaded.path)
    entries = loaded.model.entries
    owners: dict[str, str] = {}
    for i, entry in enumerate(entries):
        seen_here: set[str] = set()
        for j, question in enumerate(entry.questions):
            line = loaded.line_of("entries", i, "questions", j)

            def add(
                message: str,
                severity: str = "error",
                *,
                _line: int | None = line,
                _id: str = entry.id,
            ) -> None:
                problems.append(Problem(file, _line, _id, "questions", message, severity))

            key = fold(question).rstrip("?!. ")
            if key in seen_here:
                add(f"question {question!r} appears twice in this entry", "warning")
                continue
            seen_here.add(key)
            owner = owners.setdefault(key, entry.id)
            if owner != entry.id:
                add(f"question {question!r} is also a question of entry {owner!r}")
                continue
            if not matcher.normaliser.tokens(question):
                add(f"question {question!r} has no content words to match on")
                continue
            message = _own_entry_problem(matcher, entry, question)
            if message is not None:
                add(*message)
    return problems


def _own_entry_problem(matcher: Matcher, entry: Entry, question: str) -> tuple[str, str] | None:
    """Return (message, severity) when a phrasing would not bring readers to its own entry."""
    limits = matcher.thresholds
    ranked = matcher.score_all(question, exact=False)
    own = next((c for c in ranked if c.entry.id == entry.id), None)
    own_score = own.score if own else 0.0
    rival = next((c for c in ranked if c.entry.id != entry.id), None)
    if own_score < limits.answer:
        return (
            f"question {question!r} scores {own_score:.0f} for its own entry, "
            f"below the answer threshold {limits.answer:.0f}",
            "error",
        )
    if rival is not None and rival.score >= own_score:
        return (
            f"question {question!r} scores {rival.score:.0f} for entry "
            f"{rival.entry.id!r} ({rival.question!r}), as high as its own entry: "
            "the bot cannot tell them apart",
            "error",
        )
    near = rivals(entry, ranked)
    if near and own_score < limits.confident and own_score - near[0].score < limits.margin:
        rival = near[0]
        return (
            f"question {question!r} is close to entry {rival.entry.id!r} "
            f"({rival.question!r}, {rival.score:.0f} vs {own_score:.0f}): "
            "readers may get 'did you mean'",
            "warning",
        )
    return None
