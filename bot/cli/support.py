"""Shared pieces of the command line: the error type and reading settings and knowledge.

Both ``bot.cli`` (readers' commands) and ``bot.cli.maintainers`` (maintainers' commands) use
them, so that a malformed setting or knowledge file is reported the same way everywhere.
"""

from __future__ import annotations

from pydantic import ValidationError

from bot.core.thresholds import thresholds_from
from bot.knowledge.knowledge import Knowledge
from bot.knowledge.loader import load_knowledge
from bot.knowledge.schema import KnowledgeError
from bot.settings import Settings, load_settings, settings_error


class CliError(Exception):
    """A failure to report on stderr with exit status ``code``."""

    def __init__(self, message: str, code: int = 2) -> None:
        super().__init__(message)
        self.code = code


def cli_settings() -> Settings:
    """Read the settings; a malformed one becomes a CliError naming the variable."""
    try:
        return load_settings()
    except ValidationError as exc:
        raise CliError(settings_error(exc)) from exc


def cli_knowledge(
    settings: Settings, path: str | None = None, *, thorough: bool = True
) -> Knowledge:
    """Load the knowledge file; problems become a CliError with exit status 1."""
    try:
        return load_knowledge(
            path or settings.knowledge_file, thresholds_from(settings), thorough=thorough
        )
    except KnowledgeError as exc:
        raise CliError(f"The knowledge file has problems:\n{exc}", 1) from exc
