"""The article the bot answers questions about: loading it and splitting it into sentences.

The article file is the source of truth. Each line is one sentence and the first line is the
headline; supporting sentences shown to readers are always quoted from here, byte for byte.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Article:
    """The article as a path and its sentences, in order (line 1, the headline, first)."""

    path: Path
    sentences: tuple[str, ...]

    @property
    def headline(self) -> str:
        """Return the first line of the article."""
        return self.sentences[0]

    def line_of(self, sentence: str) -> int | None:
        """Return the 1-based line number of ``sentence``, or None when it is not verbatim here."""
        try:
            return self.sentences.index(sentence) + 1
        except ValueError:
            return None

    def contains(self, sentence: str) -> bool:
        """Tell whether ``sentence`` is one of the article's sentences, byte for byte."""
        return sentence in self.sentences


def load_article(path: Path | str) -> Article:
    """Read the article at ``path`` (UTF-8); every non-empty line is one sentence."""
    path = Path(path)
    text = path.read_text(encoding="utf-8")
    sentences = tuple(line for line in text.splitlines() if line.strip())
    if not sentences:
        raise ValueError(f"{path}: the article is empty")
    return Article(path=path, sentences=sentences)
