"""The curated knowledge file: its schema, loading it, and errors that point at a line.

``knowledge/qa.yaml`` holds the synonyms table and one entry per fact of the article (id,
question phrasings, answer, verbatim supporting sentence, related ids). Loading parses the YAML
while remembering where every node sits, validates it with pydantic, and turns any failure into
``Problem`` records naming the file, line, entry id and field, so a maintainer can fix the file
without reading code. Deeper checks against the article live in ``bot.knowledge.validation``.
A file over ``MAX_FILE_BYTES`` is refused before it is read or parsed (a 40 MB file used to
take 1 GiB to reject), and a ``KnowledgeError`` keeps at most ``MAX_PROBLEMS`` problems.
"""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

ID_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
MAX_ID_BYTES = 40
MAX_ANSWER_CHARS = 400
MIN_QUESTIONS = 6
# The shipped file is 50 KB for 66 entries: 4 MiB is room for thousands of entries.
MAX_FILE_BYTES = 4 * 1024 * 1024
# Problems a KnowledgeError keeps (and lists); the rest are counted in one last line.
MAX_PROBLEMS = 100
# libyaml's parser when PyYAML was built with it (it is, from PyPI wheels): several times faster.
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class Entry(BaseModel):
    """One fact a reader can ask about, with the article sentence that supports it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(min_length=1, max_length=MAX_ID_BYTES)
    questions: tuple[str, ...] = Field(min_length=MIN_QUESTIONS)
    answer: str = Field(min_length=1, max_length=MAX_ANSWER_CHARS)
    sentence: str = Field(min_length=1)
    related: tuple[str, ...] = ()

    @field_validator("id")
    @classmethod
    def _slug(cls, value: str) -> str:
        if not ID_PATTERN.fullmatch(value):
            raise ValueError("must be a slug: lower-case letters, digits and single hyphens")
        if len(value.encode()) > MAX_ID_BYTES:
            raise ValueError(f"must be at most {MAX_ID_BYTES} bytes")
        return value

    @field_validator("questions")
    @classmethod
    def _questions_not_blank(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        for question in value:
            if not question.strip():
                raise ValueError("a question is empty")
        return tuple(q.strip() for q in value)

    @field_validator("answer")
    @classmethod
    def _answer_not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("the answer is empty")
        return value.strip()


class KnowledgeFile(BaseModel):
    """The whole knowledge file as written by maintainers."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    version: int | str = 1
    article: str = "../seeds/article.txt"
    synonyms: dict[str, tuple[str, ...]] = Field(default_factory=dict)
    # people, places and organisations the article names ("should <name> …" is an opinion)
    names: tuple[str, ...] = ()
    # ids of the entries offered as example questions (greetings, help, declines)
    examples: tuple[str, ...] = ()
    entries: tuple[Entry, ...] = Field(min_length=1)

    @field_validator("names")
    @classmethod
    def _names_not_blank(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        if any(not str(name).strip() for name in value):
            raise ValueError("a name is empty")
        return tuple(str(name).strip() for name in value)

    @field_validator("synonyms")
    @classmethod
    def _synonyms_not_empty(cls, value: dict[str, tuple[str, ...]]) -> dict[str, tuple[str, ...]]:
        for canonical, variants in value.items():
            if not str(canonical).strip():
                raise ValueError("a synonym group has an empty name")
            if not variants or any(not str(v).strip() for v in variants):
                raise ValueError(f"synonym group {canonical!r} is empty or has an empty variant")
        return value


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a knowledge file, located as precisely as we can."""

    file: str
    line: int | None
    entry: str | None
    field: str | None
    message: str
    severity: str = "error"

    def __str__(self) -> str:
        where = self.file + (f":{self.line}" if self.line else "")
        parts = [where, self.severity]
        if self.entry:
            parts.append(f"entry {self.entry!r}")
        if self.field:
            parts.append(f"field {self.field!r}")
        return ": ".join(parts) + f": {self.message}"


class KnowledgeError(Exception):
    """Raised when a knowledge file cannot be used; carries every problem found."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems[:MAX_PROBLEMS]
        if len(problems) > MAX_PROBLEMS:
            more = f"… and {len(problems) - MAX_PROBLEMS} more problems not listed"
            self.problems.append(Problem(problems[0].file, None, None, None, more))
        super().__init__("\n".join(str(p) for p in self.problems))


@dataclass(frozen=True)
class SourceMap:
    """Where each part of the parsed YAML sits: maps a data path to a 1-based line."""

    lines: dict[tuple[Any, ...], int]

    def line(self, path: tuple[Any, ...]) -> int | None:
        """Return the line of the deepest known node on ``path``."""
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return self.lines.get(())


def _map_nodes(node: yaml.Node, path: tuple[Any, ...], lines: dict[tuple[Any, ...], int]) -> None:
    lines[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if isinstance(key, yaml.ScalarNode):
                child = (*path, key.value)
                _map_nodes(value, child, lines)
                lines[child] = key.start_mark.line + 1
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _map_nodes(item, (*path, index), lines)


def parse_yaml(text: str, file: str) -> tuple[Any, SourceMap]:
    """Parse YAML text into plain data plus a source map; syntax errors become problems."""
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        line = mark.line + 1 if mark is not None else None
        reason = getattr(exc, "problem", None) or str(exc)
        raise KnowledgeError([Problem(file, line, None, None, f"bad YAML: {reason}")]) from exc
    finally:
        loader.dispose()
    lines: dict[tuple[Any, ...], int] = {}
    if node is not None:
        duplicates = _duplicate_keys(node)
        if duplicates:
            raise KnowledgeError(
                [
                    Problem(file, line, None, key, f"key {key!r} appears twice")
                    for key, line in duplicates
                ]
            )
        _map_nodes(node, (), lines)
    return data, SourceMap(lines)


def _duplicate_keys(node: yaml.Node) -> list[tuple[str, int]]:
    """Find mapping keys written twice (YAML forbids it; PyYAML keeps the last silently)."""
    found: list[tuple[str, int]] = []
    if isinstance(node, yaml.MappingNode):
        seen: set[str] = set()
        for key, value in node.value:
            if isinstance(key, yaml.ScalarNode):
                if key.value in seen:
                    found.append((key.value, key.start_mark.line + 1))
                seen.add(key.value)
            found.extend(_duplicate_keys(value))
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            found.extend(_duplicate_keys(item))
    return found


def _entry_id(data: Any, index: Any) -> str | None:
    try:
        value = data["entries"][index]["id"]
    except (KeyError, IndexError, TypeError):
        return f"#{index + 1}" if isinstance(index, int) else None
    return str(value)


def problems_from_validation(
    exc: ValidationError, data: Any, source: SourceMap, file: str
) -> list[Problem]:
    """Translate pydantic's errors into problems with file, line, entry id and field."""
    problems = []
    for error in exc.errors():
        loc = tuple(error["loc"])
        entry = field = None
        if len(loc) >= 2 and loc[0] == "entries" and isinstance(loc[1], int):
            entry = _entry_id(data, loc[1])
            field = ".".join(str(p) for p in loc[2:]) or None
        else:
            field = ".".join(str(p) for p in loc) or None
        message = error["msg"].removeprefix("Value error, ")
        problems.append(Problem(file, source.line(loc), entry, field, message))
    return problems


@dataclass(frozen=True)
class LoadedFile:
    """A parsed and schema-checked knowledge file, with its source map and content digest."""

    path: Path
    model: KnowledgeFile
    source: SourceMap
    digest: str

    def line_of(self, *path: Any) -> int | None:
        """Return the line of a data path such as ``("entries", 3, "sentence")``."""
        return self.source.line(tuple(path))

    @property
    def article_path(self) -> Path:
        """Return the article path, resolved relative to the knowledge file."""
        return (self.path.parent / self.model.article).resolve()


def _read_at_most(path: Path, limit: int) -> bytes:
    """Read the file, refusing one over ``limit`` bytes before reading (or parsing) it."""
    file = str(path)
    too_big = Problem(
        file,
        None,
        None,
        None,
        f"the file is over {limit:,} bytes, the most a knowledge file may be",
    )
    try:
        with path.open("rb") as handle:
            if os.fstat(handle.fileno()).st_size > limit:
                raise KnowledgeError([too_big])
            raw = handle.read(limit + 1)  # a file still growing, or no size to stat
    except OSError as exc:
        raise KnowledgeError([Problem(file, None, None, None, f"cannot read: {exc}")]) from exc
    if len(raw) > limit:
        raise KnowledgeError([too_big])
    return raw


def load_knowledge_file(path: Path | str) -> LoadedFile:
    """Read, parse and schema-check a knowledge file; raise ``KnowledgeError`` when it is bad."""
    path = Path(path)
    file = str(path)
    raw = _read_at_most(path, MAX_FILE_BYTES)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise KnowledgeError([Problem(file, line, None, None, "not valid UTF-8")]) from exc
    data, source = parse_yaml(text, file)
    if not isinstance(data, dict):
        raise KnowledgeError([Problem(file, 1, None, None, "the file must be a YAML mapping")])
    try:
        model = KnowledgeFile.model_validate(data)
    except ValidationError as exc:
        raise KnowledgeError(problems_from_validation(exc, data, source, file)) from exc
    digest = hashlib.sha256(raw).hexdigest()[:12]
    return LoadedFile(path=path, model=model, source=source, digest=digest)
