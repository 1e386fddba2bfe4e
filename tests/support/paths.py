"""Test helper: where the repository, the shipped knowledge file, the article and test data are."""

from __future__ import annotations

from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
QA = REPO / "knowledge" / "qa.yaml"
ARTICLE = REPO / "seeds" / "article.txt"
DATA = REPO / "tests" / "data"
