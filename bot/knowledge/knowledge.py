"""A loaded knowledge file, ready to serve: the file, its article, the matcher and warnings.

``bot.knowledge.loader`` builds it; every surface reads it. It never changes once built; a
reload (``bot.knowledge.live``) swaps in a new one.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from bot.core.matching import Matcher
from bot.knowledge.article import Article
from bot.knowledge.schema import Entry, LoadedFile, Problem


@dataclass(frozen=True)
class Knowledge:
    """Everything needed to answer: the article, the entries by id, and the matcher."""

    file: LoadedFile
    article: Article
    matcher: Matcher
    warnings: tuple[Problem, ...] = ()

    def __repr__(self) -> str:
        """Return a short description (the whole file would fill a screen)."""
        return f"Knowledge({self.file.path}, version {self.version}, {len(self.entries)} entries)"

    @property
    def entries(self) -> tuple[Entry, ...]:
        """Return the entries in file order."""
        return self.file.model.entries

    @cached_property
    def by_id(self) -> dict[str, Entry]:
        """Return the entries keyed by id."""
        return {entry.id: entry for entry in self.entries}

    @property
    def examples(self) -> tuple[Entry, ...]:
        """Return the example entries the file names, else its first four entries."""
        by_id = self.by_id
        chosen = tuple(by_id[i] for i in self.file.model.examples if i in by_id)
        return chosen or self.entries[:4]

    @property
    def version(self) -> str:
        """Return the maintainer's version label plus the content digest."""
        return f"{self.file.model.version} ({self.file.digest})"
