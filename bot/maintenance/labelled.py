"""Labelled question files (``tests/data/questions*.yaml``): their schema and loading them.

A labelled file lists questions a reader might ask, each with the entry ids that correctly
answer it (``expect``; ``[]`` when the article does not answer it), an optional ``split`` and an
optional ``near_topic: true`` for out-of-scope questions that sound like the article::

    questions:
      - text: "When was Crimea annexed?"
        expect: [crimea-annexed]
        split: tune
      - text: "Is Finland a NATO member?"
        expect: []
        near_topic: true

Loading checks the file with pydantic and, when the knowledge's ids are given, that every id in
``expect`` exists; every problem names the file, the line and the question, so a misspelt key
(``expcet``) or a stale id is fixed without reading code.
"""

from __future__ import annotations

import difflib
from collections.abc import Collection
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictStr, ValidationError

from bot.knowledge.schema import KnowledgeError, SourceMap, parse_yaml

DEFAULT_SPLIT = "tune"


class LabelledQuestion(BaseModel):
    """One question of a labelled file, as written."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    text: StrictStr = Field(min_length=1, pattern=r"\S")
    expect: list[StrictStr]
    split: StrictStr | None = Field(default=None, min_length=1)
    near_topic: StrictBool = False


class LabelledFile(BaseModel):
    """A whole labelled file: a non-empty ``questions`` list."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    questions: list[LabelledQuestion] = Field(min_length=1)


FIELDS = sorted(LabelledQuestion.model_fields)


@dataclass(frozen=True)
class Labelled:
    """One labelled question, ready to evaluate (``line`` is where it starts in its file)."""

    text: str
    expect: tuple[str, ...]
    split: str = DEFAULT_SPLIT
    near_topic: bool = False
    line: int | None = field(default=None, compare=False)

    @property
    def in_scope(self) -> bool:
        """Tell whether the article answers this question."""
        return bool(self.expect)


@dataclass(frozen=True)
class LabelProblem:
    """One thing wrong with a labelled file: file, line, question number and field."""

    file: str
    line: int | None
    message: str
    item: int | None = None  # 1-based position in ``questions``
    text: str | None = None
    field: str | None = None

    def __str__(self) -> str:
        parts = [self.file + (f":{self.line}" if self.line else ""), "error"]
        if self.item is not None:
            shown = f" ({_short(self.text)!r})" if self.text else ""
            parts.append(f"question {self.item}{shown}")
        if self.field:
            parts.append(f"field {self.field!r}")
        return ": ".join(parts) + f": {self.message}"


class LabelledFileError(Exception):
    """A labelled file cannot be used; carries every problem found."""

    def __init__(self, problems: list[LabelProblem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


def load_labelled(path: Path | str, known_ids: Collection[str] | None = None) -> list[Labelled]:
    """Read and check a labelled file; raise ``LabelledFileError`` naming file:line when bad.

    With ``known_ids`` (the knowledge's entry ids), an ``expect`` id the knowledge does not have
    is an error too: the file is stale, and its figures would be wrong.
    """
    file = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise LabelledFileError([LabelProblem(file, None, f"cannot read: {exc}")]) from exc
    try:
        data, source = parse_yaml(text, file)
    except KnowledgeError as exc:  # bad YAML or a key written twice
        raise LabelledFileError(
            [LabelProblem(file, p.line, p.message, field=p.field) for p in exc.problems]
        ) from exc
    if not isinstance(data, dict):
        message = "the file must be a YAML mapping with a 'questions' list"
        raise LabelledFileError([LabelProblem(file, 1, message)])
    try:
        model = LabelledFile.model_validate(data)
    except ValidationError as exc:
        raise LabelledFileError(_problems(exc, data, source, file)) from exc
    items = [
        Labelled(
            text=question.text,
            expect=tuple(question.expect),
            split=question.split or DEFAULT_SPLIT,
            near_topic=question.near_topic,
            line=source.line(("questions", index)),
        )
        for index, question in enumerate(model.questions)
    ]
    if known_ids is not None:
        stale = _stale_ids(items, known_ids, source, file)
        if stale:
            raise LabelledFileError(stale)
    return items


def _stale_ids(
    items: list[Labelled], known_ids: Collection[str], source: SourceMap, file: str
) -> list[LabelProblem]:
    """Return a problem for every ``expect`` id the knowledge does not have."""
    return [
        LabelProblem(
            file,
            source.line(("questions", index, "expect", position)),
            f"unknown entry id {entry_id!r}",
            item=index + 1,
            text=item.text,
            field="expect",
        )
        for index, item in enumerate(items)
        for position, entry_id in enumerate(item.expect)
        if entry_id not in known_ids
    ]


def _problems(exc: ValidationError, data: Any, source: SourceMap, file: str) -> list[LabelProblem]:
    """Translate pydantic's errors into problems with file, line, question and field."""
    problems = []
    for error in exc.errors():
        loc = tuple(error["loc"])
        message = error["msg"].removeprefix("Value error, ")
        item = text = None
        name = ".".join(str(part) for part in loc) or None
        if len(loc) >= 2 and loc[0] == "questions" and isinstance(loc[1], int):
            item = loc[1] + 1
            text = _text_of(data, loc[1])
            name = ".".join(str(part) for part in loc[2:]) or None
        if error["type"] == "extra_forbidden":
            message = "unknown field"
            key = str(loc[-1])
            allowed = FIELDS if item is not None else ["questions"]
            close = difflib.get_close_matches(key, allowed, n=1)
            message += (
                f" (did you mean {close[0]!r}?)" if close else f" (known: {', '.join(allowed)})"
            )
        elif error["type"] == "string_pattern_mismatch" and loc[-1:] == ("text",):
            message = "the question is blank"
        elif error["type"] == "missing" and loc[-1:] == ("expect",):
            message = "missing: the ids of the entries that answer it, or [] when none does"
        problems.append(LabelProblem(file, source.line(loc), message, item, text, name))
    return problems


def _text_of(data: Any, index: int) -> str | None:
    try:
        value = data["questions"][index]["text"]
    except (KeyError, IndexError, TypeError):
        return None
    return value if isinstance(value, str) and value.strip() else None


def _short(text: str | None, limit: int = 50) -> str:
    text = text or ""
    return text if len(text) <= limit else text[: limit - 1] + "…"
