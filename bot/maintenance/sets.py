"""The manifest of labelled sets (``tests/data/sets.yaml``) and what is read from it.

The manifest lists every labelled question file with who wrote it, how it has been used
(``tune``, ``held-out`` or ``blind``), its first blind figures and its regression floors, per file
and per split. The tests check every set against its floors, ``python -m bot eval --manifest``
runs every listed file, and ``--readme-table`` / ``--update-readme`` write the README's quality
table from it, so the three never disagree.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from bot.knowledge.schema import KnowledgeError, SourceMap, parse_yaml
from bot.maintenance.evaluation import Outcome, Summary, summarise

DEFAULT_MANIFEST = Path("tests/data/sets.yaml")
README_START = "<!-- sets-table:start"
README_END = "<!-- sets-table:end -->"

Status = Literal["tune", "held-out", "blind"]
Percent = float  # 0-100
# The four figures (see bot.maintenance.evaluation), in report order, with their direction.
MEASURES: dict[str, tuple[str, str]] = {
    "answered": ("answered correctly", ">="),
    "one_tap": ("≤ 1 tap", ">="),
    "wrong": ("wrong answers", "<="),
    "declined": ("out-of-scope declined", ">="),
}


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Pair(_Model):
    """Figures of one run, percent: in-scope answered correctly, out-of-scope declined, and
    (where measured) in-scope reached in ≤ 1 tap and wrong answers of all questions."""

    answered: Percent = Field(ge=0, le=100)
    declined: Percent = Field(ge=0, le=100)
    one_tap: Percent | None = Field(default=None, ge=0, le=100)
    wrong: Percent | None = Field(default=None, ge=0, le=100)


class Floors(_Model):
    """Regression limits, percent: floors for answered, one_tap, declined; a ceiling for wrong."""

    answered: Percent | None = Field(default=None, ge=0, le=100)
    one_tap: Percent | None = Field(default=None, ge=0, le=100)
    wrong: Percent | None = Field(default=None, ge=0, le=100)
    declined: Percent | None = Field(default=None, ge=0, le=100)


class Part(_Model):
    """What the manifest says about a set or one of its splits."""

    status: Status
    note: str | None = None
    blind: Pair | None = None
    session1: Pair | None = None
    floors: Floors = Floors()


class SplitSpec(Part):
    """One split of a labelled file (``split:`` in its questions)."""

    split: str = Field(min_length=1)


class SetSpec(Part):
    """One labelled file."""

    file: str = Field(min_length=1)
    written_by: str | None = None
    splits: tuple[SplitSpec, ...] = ()

    @model_validator(mode="after")
    def _splits_once(self) -> SetSpec:
        names = [s.split for s in self.splits]
        if len(names) != len(set(names)):
            raise ValueError("a split is listed twice")
        return self


class Manifest(_Model):
    """The whole manifest: the labelled sets in the order reports list them."""

    sets: tuple[SetSpec, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _files_once(self) -> Manifest:
        files = [s.file for s in self.sets]
        if len(files) != len(set(files)):
            raise ValueError("a file is listed twice")
        return self


class ManifestError(Exception):
    """The manifest cannot be used; the message has a ``file:line: error: …`` line per problem."""


@dataclass(frozen=True)
class LoadedManifest:
    """A checked manifest and where it lives (its files are relative to its folder)."""

    path: Path
    manifest: Manifest

    @property
    def sets(self) -> tuple[SetSpec, ...]:
        """Return the listed sets, in order."""
        return self.manifest.sets

    def path_of(self, spec: SetSpec) -> Path:
        """Return the labelled file of ``spec``, relative to where the manifest was named."""
        return self.path.parent / spec.file


def load_manifest(path: Path | str = DEFAULT_MANIFEST) -> LoadedManifest:
    """Read and check the manifest; raise ``ManifestError`` naming file:line when it is bad."""
    path = Path(path)
    file = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ManifestError(f"{file}: error: cannot read: {exc}") from exc
    try:
        data, source = parse_yaml(text, file)
    except KnowledgeError as exc:
        raise ManifestError(str(exc)) from exc
    if not isinstance(data, dict):
        raise ManifestError(f"{file}:1: error: the manifest must be a mapping with a 'sets' list")
    try:
        manifest = Manifest.model_validate(data)
    except ValidationError as exc:
        raise ManifestError("\n".join(_problems(exc, data, source, file))) from exc
    return LoadedManifest(path, manifest)


def _problems(exc: ValidationError, data: Any, source: SourceMap, file: str) -> list[str]:
    lines = []
    for error in exc.errors():
        loc = tuple(error["loc"])
        where = f"{file}:{source.line(loc) or 1}: error"
        if len(loc) >= 2 and loc[0] == "sets" and isinstance(loc[1], int):
            try:
                where += f": set {data['sets'][loc[1]]['file']!r}"
            except (KeyError, IndexError, TypeError):
                where += f": set {loc[1] + 1}"
            loc = loc[2:]
        field = ".".join(str(part) for part in loc)
        message = error["msg"].removeprefix("Value error, ")
        if error["type"] == "extra_forbidden":
            message = "unknown field"
        lines.append(f"{where}: field {field!r}: {message}" if field else f"{where}: {message}")
    return lines


# ---------------------------------------------------------------------------------------------
# floors


@dataclass(frozen=True)
class Target:
    """A set, or one split of it, with what the manifest says about it."""

    spec: SetSpec
    part: Part
    split: str | None = None

    @property
    def label(self) -> str:
        """Return how reports name it: the file, plus the split when there is one."""
        return self.spec.file + (f" {self.split} split" if self.split else "")

    def select(self, outcomes: Iterable[Outcome]) -> list[Outcome]:
        """Return the outcomes that belong to it."""
        return [o for o in outcomes if self.split is None or o.item.split == self.split]


def targets(spec: SetSpec) -> list[Target]:
    """Return the set itself, then each of its splits."""
    return [Target(spec, spec), *(Target(spec, s, s.split) for s in spec.splits)]


def broken_floors(floors: Floors, summary: Summary) -> list[tuple[str, float, float]]:
    """Return (measure, value %, limit %) for each floor (or ceiling) ``summary`` does not meet."""
    found = []
    for measure, (_, direction) in MEASURES.items():
        limit = getattr(floors, measure)
        if limit is None:
            continue
        value = summary.rate(measure) * 100
        ok = value >= limit - 1e-9 if direction == ">=" else value <= limit + 1e-9
        if not ok:
            found.append((measure, value, limit))
    return found


def breaches(target: Target, summary: Summary) -> list[str]:
    """Return a line per floor (or ceiling) of ``target`` that ``summary`` does not meet."""
    return [
        f"{target.label}: {MEASURES[measure][0]} {value:.1f} % "
        f"(must be {MEASURES[measure][1]} {limit:g} %)"
        for measure, value, limit in broken_floors(target.part.floors, summary)
    ]


def check_floors(spec: SetSpec, outcomes: Sequence[Outcome]) -> list[str]:
    """Return every floor of the set and of its splits that ``outcomes`` break."""
    return [
        line
        for target in targets(spec)
        for line in breaches(target, summarise(target.select(outcomes)))
    ]


# ---------------------------------------------------------------------------------------------
# the README's quality table
