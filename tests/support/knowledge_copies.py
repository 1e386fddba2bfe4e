"""Test helper: broken copies of knowledge/qa.yaml, edited as text so line numbers are known."""

from __future__ import annotations

import shutil
from pathlib import Path

from tests.support.paths import ARTICLE

ENTRY_START = "  - id: "


def write_copy(tmp_path: Path, text: str | bytes, article_extra: str = "") -> Path:
    """Write tmp_path/knowledge/qa.yaml next to a copy of the article (plus extra lines)."""
    (tmp_path / "seeds").mkdir(exist_ok=True)
    article = tmp_path / "seeds" / "article.txt"
    shutil.copyfile(ARTICLE, article)
    if article_extra:
        with article.open("a", encoding="utf-8") as handle:
            handle.write(article_extra)
    (tmp_path / "knowledge").mkdir(exist_ok=True)
    path = tmp_path / "knowledge" / "qa.yaml"
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def entry_span(lines: list[str], entry_id: str) -> tuple[int, int]:
    """Return the 0-based [start, end) line range of the entry with ``entry_id``."""
    start = lines.index(f"{ENTRY_START}{entry_id}\n")
    end = next((i for i in range(start + 1, len(lines)) if lines[i].startswith("  - ")), len(lines))
    return start, end


def field_span(lines: list[str], entry_id: str, field: str) -> tuple[int, int]:
    """Return the 0-based [start, end) range of ``field`` (key line plus continuation lines)."""
    start, end = entry_span(lines, entry_id)
    if field == "id":
        return start, start + 1
    key = next(i for i in range(start, end) if lines[i].startswith(f"    {field}:"))
    stop = key + 1
    while stop < end and lines[stop].startswith("      "):
        stop += 1
    return key, stop


def huge_copy(knowledge_copy: Path, size: int = 40 * 1024 * 1024) -> Path:
    """The shipped knowledge followed by comments up to ``size`` bytes (valid YAML)."""
    text = knowledge_copy.read_text(encoding="utf-8")
    filler = ("# " + "x" * 1021 + "\n") * ((size - len(text)) // 1024 + 1)
    knowledge_copy.write_text(text + filler, encoding="utf-8")
    return knowledge_copy
