"""Loading a knowledge file into a ready-to-serve ``Knowledge`` bundle, or refusing to.

The CLI's ``validate``, the bot's start-up and its hot reload all go through ``load_knowledge``,
so a file that validates is exactly a file the bot will serve. Errors raise ``KnowledgeError``
with every problem found; warnings (an article sentence no entry supports) travel with the bundle.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from bot.core.decisions import Thresholds
from bot.core.matching import Matcher, build_matcher
from bot.core.text import Normaliser
from bot.knowledge.article import Article, load_article
from bot.knowledge.schema import Entry, KnowledgeError, LoadedFile, Problem, load_knowledge_file
from bot.settings import DEFAULT_KNOWLEDGE_FILE


@dataclass(frozen=True)
class Knowledge:
    """Everything needed to answer: the article, the entries by id, and the matcher."""

    file: LoadedFile
    article: Article
    matcher: Matcher
    warnings: tuple[Problem, ...] = ()
    loaded_at: float = field(default_factory=time.time)

    @property
    def entries(self) -> tuple[Entry, ...]:
        """Return the entries in file order."""
        return self.file.model.entries

    @cached_property
    def by_id(self) -> dict[str, Entry]:
        """Return the entries keyed by id."""
        return {entry.id: entry for entry in self.entries}

    @property
    def version(self) -> str:
        """Return the maintainer's version label plus the content digest."""
        return f"{self.file.model.version} ({self.file.digest})"


def load_knowledge(
    path: Path | str | None = None, thresholds: Thresholds | None = None, *, thorough: bool = True
) -> Knowledge:
    """Load, validate and index a knowledge file; raise ``KnowledgeError`` if it has errors.

    ``thorough=False`` skips the matcher-based checks of every phrasing (the slow part), for
    one-shot CLI answers; the bot, ``validate`` and reloads always check thoroughly.
    """
    from bot.knowledge.validation import check_knowledge

    loaded = load_knowledge_file(path or DEFAULT_KNOWLEDGE_FILE)
    try:
        article = load_article(loaded.article_path)
    except (OSError, ValueError) as exc:
        line = loaded.line_of("article")
        problem = Problem(str(loaded.path), line, None, "article", f"cannot read article: {exc}")
        raise KnowledgeError([problem]) from exc
    normaliser = Normaliser.from_synonyms(loaded.model.synonyms)
    matcher = build_matcher(loaded.model.entries, normaliser, thresholds)
    problems = check_knowledge(loaded, article, matcher, thorough=thorough)
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        raise KnowledgeError(problems)
    return Knowledge(loaded, article, matcher, tuple(problems))
