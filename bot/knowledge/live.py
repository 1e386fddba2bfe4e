"""The knowledge currently served, and reloading it safely while the bot runs.

``LiveKnowledge`` holds one immutable ``Knowledge`` bundle. A reload builds a complete new bundle
(same ``load_knowledge`` as ``python -m bot validate``) and swaps the reference in one step, so a
question in flight finishes on the bundle it started with. An invalid file is rejected and the
last good knowledge stays in service; ``changed`` lets a periodic job notice edits cheaply (file
size and modification time first, content digest to confirm).
"""

from __future__ import annotations

import hashlib
import logging
import os
from dataclasses import dataclass
from pathlib import Path

from bot.core.thresholds import Thresholds
from bot.knowledge.knowledge import Knowledge
from bot.knowledge.loader import load_knowledge
from bot.knowledge.schema import KnowledgeError, Problem

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ReloadOutcome:
    """What a reload did: ``loaded`` new knowledge, found it ``unchanged``, or ``rejected`` it."""

    status: str
    knowledge: Knowledge
    problems: tuple[Problem, ...] = ()

    def summary(self) -> str:
        """Return a one-paragraph description for logs and admin messages."""
        k = self.knowledge
        if self.status == "rejected":
            errors = [p for p in self.problems if p.severity == "error"]
            listed = "\n".join(str(p) for p in errors[:10])
            more = f"\n… and {len(errors) - 10} more" if len(errors) > 10 else ""
            return (
                f"Knowledge reload REJECTED ({len(errors)} error(s)); still serving version "
                f"{k.version} with {len(k.entries)} entries.\n{listed}{more}"
            )
        verb = "Reloaded" if self.status == "loaded" else "Unchanged:"
        return f"{verb} knowledge version {k.version}: {len(k.entries)} entries."


def _stat_key(path: Path) -> tuple[int, int] | None:
    try:
        stat = os.stat(path)
    except OSError:
        return None
    return (stat.st_mtime_ns, stat.st_size)


def _digest(path: Path) -> str | None:
    try:
        with path.open("rb") as handle:  # in chunks: a huge file costs no memory here
            return hashlib.file_digest(handle, "sha256").hexdigest()[:12]
    except OSError:
        return None


class LiveKnowledge:
    """The knowledge in service, swapped atomically on a successful reload."""

    def __init__(self, path: Path | str, thresholds: Thresholds | None = None) -> None:
        self.path = Path(path)
        self.thresholds = thresholds
        self.current: Knowledge = load_knowledge(self.path, thresholds)
        self._seen_stat = _stat_key(self.path)
        self._seen_digest: str | None = self.current.file.digest

    def changed(self) -> bool:
        """Tell whether the file differs from the last one loaded or rejected."""
        stat = _stat_key(self.path)
        if stat == self._seen_stat:
            return False
        self._seen_stat = stat
        digest = _digest(self.path)
        return digest is not None and digest != self._seen_digest

    def reload(self, force: bool = False) -> ReloadOutcome:
        """Load the file again; swap it in if valid, keep the old knowledge if not."""
        digest = _digest(self.path)
        if not force and digest == self.current.file.digest:
            return ReloadOutcome("unchanged", self.current)
        self._seen_digest = digest
        self._seen_stat = _stat_key(self.path)
        try:
            fresh = load_knowledge(self.path, self.thresholds)
        except KnowledgeError as exc:
            outcome = ReloadOutcome("rejected", self.current, tuple(exc.problems))
            log.error("%s", outcome.summary())
            return outcome
        self.current = fresh
        outcome = ReloadOutcome("loaded", fresh, fresh.warnings)
        log.info("%s", outcome.summary())
        return outcome
