"""Loading a knowledge file into a ready-to-serve ``Knowledge`` bundle, or refusing to.

The CLI's ``validate``, the bot's start-up and its hot reload all go through ``load_knowledge``,
so a file that validates is exactly a file the bot will serve. Errors raise ``KnowledgeError``
with every problem found; warnings (an article sentence no entry supports) travel with the bundle.
"""

from __future__ import annotations

from pathlib import Path

from bot.core.matching import build_matcher
from bot.core.text import Normaliser
from bot.core.thresholds import Thresholds
from bot.knowledge.article import load_article
from bot.knowledge.knowledge import Knowledge
from bot.knowledge.schema import KnowledgeError, Problem, load_knowledge_file
from bot.settings import DEFAULT_KNOWLEDGE_FILE


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
    matcher = build_matcher(loaded.model.entries, normaliser, thresholds, names=loaded.model.names)
    problems = check_knowledge(loaded, article, matcher, thorough=thorough)
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        raise KnowledgeError(problems)
    return Knowledge(loaded, article, matcher, tuple(problems))
