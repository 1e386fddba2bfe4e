"""The regression file: questions a maintainer marked "not in the article" during ``review``.

It is a labelled file in the ``tests/data/questions*.yaml`` format (``expect: []``), so
``python -m bot eval FILE`` keeps those questions declined. A decision appends two lines at the
end of the ``questions`` list and leaves the rest as written; the file is created with a short
header on first use, and every write is checked with ``load_labelled`` first, then made
atomically (``knowledge_edit.write_atomically``), so ``undo`` can take it back.
"""

from __future__ import annotations

import tempfile
from collections.abc import Collection
from pathlib import Path

import yaml

from bot.core.text import fold
from bot.maintenance.knowledge_edit import (
    EditRefused,
    FileChange,
    clean_phrasing,
    digest_of,
    read_bytes,
    write_atomically,
    yaml_scalar,
)
from bot.maintenance.labelled import LabelledFileError, load_labelled

HEADER = (
    "# Questions maintainers marked out of scope ('not in the article') with\n"
    "# `python -m bot review` or /review: `python -m bot eval` on this file checks that the bot\n"
    "# keeps declining them.\n"
    "# Same format as tests/data/questions*.yaml; edit by hand if a decision was wrong.\n"
    "questions:\n"
)


def decided_questions(path: Path) -> list[str]:
    """Return the questions of the regression file (none when it does not exist or is bad)."""
    try:
        return [item.text for item in load_labelled(path)] if path.exists() else []
    except LabelledFileError:
        return []


def _appended(text: str, question: str) -> str:
    if text and not text.endswith("\n"):
        text += "\n"
    return text + f"  - text: {yaml_scalar(question)}\n    expect: []\n"


def _check(path: Path, text: str, known_ids: Collection[str]) -> None:
    """Refuse a text that would not load as a labelled file."""
    with tempfile.NamedTemporaryFile(
        "w", encoding="utf-8", suffix=".yaml", dir=path.parent, delete=False
    ) as out:
        out.write(text)
    try:
        load_labelled(out.name, known_ids)
    except LabelledFileError as exc:
        raise EditRefused(
            f"{path} would not load as a labelled file after the addition, so it was not "
            f"written:\n{str(exc).replace(out.name, str(path))}"
        ) from exc
    finally:
        Path(out.name).unlink(missing_ok=True)


def add_out_of_scope(path: Path, question: str, known_ids: Collection[str]) -> FileChange:
    """Append ``question`` with ``expect: []`` to the regression file; return the change."""
    question = clean_phrasing(question)
    raw = read_bytes(path)
    text = HEADER if raw is None else raw.decode("utf-8")
    if raw is not None:
        _check(path, text, known_ids)
        if fold(question) in {fold(q) for q in decided_questions(path)}:
            raise EditRefused(f"{question!r} is already in {path}")
    edited = _appended(text, question)
    before = (yaml.safe_load(text) or {}).get("questions") or []
    after = (yaml.safe_load(edited) or {}).get("questions")
    if after != [*before, {"text": question, "expect": []}]:
        raise EditRefused(f"{path}: 'questions' is not the last block list; add it by hand")
    path.parent.mkdir(parents=True, exist_ok=True)
    _check(path, edited, known_ids)
    return write_atomically(path, edited.encode("utf-8"), digest_of(raw))
