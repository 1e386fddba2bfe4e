"""One-step edits of the knowledge file that keep it a human's file: add one phrasing, or undo.

``plan_phrasing`` adds a reader's question to an entry's ``questions`` as **one new line** after
the entry's last phrasing, indented and quoted like its neighbours: ruamel.yaml's round-trip
parser finds where that list ends and how its items are written, and quotes the new scalar;
every other byte of the file stays as written (comments, order, quoting, line layout). Before
anything is written:

- the file's digest must be the one the suggestion was made from (someone may have edited it
  meanwhile: ``EditRefused`` says so and nothing is written);
- the file on disk must load (``load_knowledge``, the rules of ``validate``): a broken file is
  never written to, the reason is given;
- the edited text is loaded from a temporary copy next to the file with the same rules, and is
  refused when it would not load;
- the guard rails run: a phrasing that makes another entry's phrasing ambiguous, or that the
  chosen entry still would not answer, comes back as ``warnings`` for the caller to confirm.

``write_atomically`` then writes (temporary file + rename, the previous version kept as
``<file>.bak``) and returns a ``FileChange`` that ``undo`` reverts while nobody else touched
the file.
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from ruamel.yaml import YAML

from bot.core.text import fold
from bot.core.thresholds import Thresholds
from bot.knowledge.knowledge import Knowledge
from bot.knowledge.loader import load_knowledge
from bot.knowledge.schema import KnowledgeError, Problem

ITEM_PREFIX = re.compile(r"[ \t]*-[ \t]+")


class EditRefused(Exception):
    """An edit that was not made, with the reason to show the maintainer."""


def digest_of(raw: bytes | None) -> str | None:
    """Return the content digest the knowledge layer uses (``None`` for a missing file)."""
    return None if raw is None else hashlib.sha256(raw).hexdigest()[:12]


def read_bytes(path: Path) -> bytes | None:
    """Return the file's bytes, None when it does not exist."""
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise EditRefused(f"{path}: cannot read: {exc}") from exc


@dataclass(frozen=True)
class FileChange:
    """A write ``undo`` can revert: the file, its bytes before (None: it did not exist), the
    digest it had after the write and where the previous version was kept."""

    path: Path
    before: bytes | None
    after_digest: str
    backup: Path | None


@dataclass(frozen=True)
class PhrasingPlan:
    """A checked addition, ready to write: the new text, the knowledge it loads into, and what
    the guard rails found (empty when nothing needs confirming)."""

    path: Path
    entry_id: str
    phrasing: str
    base_digest: str
    text: str
    knowledge: Knowledge
    warnings: tuple[str, ...] = ()


def clean_phrasing(text: str) -> str:
    """Return a reader's question as one line: whitespace runs become single spaces."""
    return " ".join(text.split())


def yaml_scalar(text: str) -> str:
    """Return ``text`` written as a one-line YAML scalar, quoted only when YAML needs it."""
    dumper = YAML(typ="rt", pure=True)
    dumper.width = 1_000_000
    out = io.StringIO()
    dumper.dump([text], out)
    line = out.getvalue().rstrip("\n")
    if "\n" in line or not line.startswith("- "):
        raise EditRefused(f"cannot write {text!r} on one line")
    return line[2:]


def _round_trip(text: str) -> Any:
    parser = YAML(typ="rt", pure=True)
    return parser.load(text)


def insert_phrasing(text: str, entry_id: str, phrasing: str) -> str:
    """Return ``text`` with ``phrasing`` as one new line after the entry's last question."""
    data = _round_trip(text)
    entry = next((e for e in data.get("entries") or [] if e.get("id") == entry_id), None)
    if entry is None:
        raise EditRefused(f"no entry {entry_id!r} in the knowledge file")
    questions = entry.get("questions")
    if not questions or questions.fa.flow_style():
        raise EditRefused(f"entry {entry_id!r}: 'questions' is not a block list to add a line to")
    line, column = questions.lc.item(len(questions) - 1)
    lines = text.splitlines(keepends=True)
    prefix = lines[line][:column]
    if not ITEM_PREFIX.fullmatch(prefix):
        raise EditRefused(f"entry {entry_id!r}: cannot tell how its questions are indented")
    newline = "\r\n" if lines[line].endswith("\r\n") else "\n"
    if not lines[line].endswith("\n"):
        lines[line] += newline
    lines.insert(line + 1, prefix + yaml_scalar(phrasing) + newline)
    edited = "".join(lines)
    _check_one_addition(text, edited, entry_id, phrasing)
    return edited


def _check_one_addition(before: str, after: str, entry_id: str, phrasing: str) -> None:
    """Refuse unless ``after`` reads as ``before`` with exactly that phrasing appended."""
    old, new = yaml.safe_load(before), yaml.safe_load(after)
    for entry in old["entries"]:
        if entry["id"] == entry_id:
            entry["questions"].append(phrasing)
    if old != new:
        raise EditRefused(f"entry {entry_id!r}: the new line would not read back as one phrasing")


def load_text(path: Path, text: str, thresholds: Thresholds | None) -> Knowledge:
    """Load ``text`` as if it were ``path`` (a temporary copy in the same folder, so relative
    paths resolve alike); ``KnowledgeError`` names ``path``, not the copy."""
    handle, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".check", dir=path.parent)
    temporary = Path(name)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as out:
            out.write(text)
        return load_knowledge(temporary, thresholds)
    except KnowledgeError as exc:
        problems = [_renamed(p, temporary, path) for p in exc.problems]
        raise KnowledgeError(problems) from exc
    finally:
        temporary.unlink(missing_ok=True)


def _renamed(problem: Problem, temporary: Path, path: Path) -> Problem:
    return Problem(
        problem.file.replace(str(temporary), str(path)),
        problem.line,
        problem.entry,
        problem.field,
        problem.message.replace(str(temporary), str(path)),
        problem.severity,
    )


def errors_of(exc: KnowledgeError, limit: int = 5) -> str:
    """Return the first few errors of a failed load, one a line."""
    errors = [str(p) for p in exc.problems if p.severity == "error"] or [str(exc)]
    more = f"\n… and {len(errors) - limit} more" if len(errors) > limit else ""
    return "\n".join(errors[:limit]) + more


def check_digest(path: Path, raw: bytes | None, expected: str | None) -> None:
    """Refuse when the file is not the version the suggestion was made from."""
    found = digest_of(raw)
    if found != expected:
        raise EditRefused(
            f"{path} was changed by someone else since this suggestion was made (digest "
            f"{expected} expected, {found} found). Nothing was written and nothing is lost: "
            "start the review again to see the file as it is now."
        )


def plan_phrasing(
    path: Path,
    entry_id: str,
    phrasing: str,
    base_digest: str,
    thresholds: Thresholds | None = None,
    variants: tuple[str, ...] = (),
) -> PhrasingPlan:
    """Check and prepare adding ``phrasing`` to entry ``entry_id``; nothing is written."""
    phrasing = clean_phrasing(phrasing)
    raw = read_bytes(path)
    check_digest(path, raw, base_digest)
    assert raw is not None
    try:
        old = load_text(path, raw.decode("utf-8"), thresholds)
    except (KnowledgeError, UnicodeDecodeError) as exc:
        why = errors_of(exc) if isinstance(exc, KnowledgeError) else str(exc)
        raise EditRefused(
            f"{path} does not load as it is on disk, so review will not write to it. "
            f"Fix it first (python -m bot validate):\n{why}"
        ) from exc
    entry = old.by_id.get(entry_id)
    if entry is None:
        raise EditRefused(f"no entry {entry_id!r} in {path}")
    if fold(phrasing) in {fold(q) for q in entry.questions}:
        raise EditRefused(f"{phrasing!r} is already a question of entry {entry_id!r}")
    text = insert_phrasing(raw.decode("utf-8"), entry_id, phrasing)
    try:
        new = load_text(path, text, thresholds)
    except KnowledgeError as exc:
        raise EditRefused(
            f"Adding {phrasing!r} to {entry_id!r} would make {path} fail validation, so it was "
            f"not written:\n{errors_of(exc)}"
        ) from exc
    warnings = guard_rails(old, new, entry_id, (phrasing, *variants))
    return PhrasingPlan(path, entry_id, phrasing, base_digest, text, new, warnings)


def guard_rails(
    old: Knowledge, new: Knowledge, entry_id: str, questions: tuple[str, ...]
) -> tuple[str, ...]:
    """What a save would get wrong: new ambiguity warnings, questions still not answered."""
    seen = {(p.entry, p.message) for p in old.warnings}
    found = [
        f"ambiguous: {p.entry}: {p.message}"
        for p in new.warnings
        if p.entry is not None and (p.entry, p.message) not in seen
    ]
    for question in dict.fromkeys(questions):
        match = new.matcher.match(question)
        best = match.best
        if match.kind != "answer" or best is None or best.entry.id != entry_id:
            got = f"{match.kind} {best.entry.id} ({best.score:.0f})" if best else match.kind
            found.append(f"still not answered with {entry_id}: {question!r} → {got}")
    return tuple(found)


def write_atomically(path: Path, content: bytes, expected_digest: str | None) -> FileChange:
    """Write ``content`` to ``path`` by temp file + rename, keeping the old version as .bak;
    refused when the file is not (any more) the version ``expected_digest`` names."""
    before = read_bytes(path)
    check_digest(path, before, expected_digest)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(content)
            out.flush()
            os.fsync(out.fileno())
        backup = None
        if before is not None:
            shutil.copymode(path, name)
            backup = path.with_name(path.name + ".bak")
            shutil.copy2(path, backup)
        os.replace(name, path)
    except BaseException:
        Path(name).unlink(missing_ok=True)
        raise
    return FileChange(path, before, digest_of(content) or "", backup)


def save_plan(plan: PhrasingPlan) -> FileChange:
    """Write a planned addition (the digest is checked once more, just before the rename)."""
    return write_atomically(plan.path, plan.text.encode("utf-8"), plan.base_digest)


def undo(change: FileChange) -> FileChange:
    """Put the file back as it was before ``change``; refused if it changed since."""
    if change.before is None:
        check_digest(change.path, read_bytes(change.path), change.after_digest)
        change.path.unlink()
        return FileChange(change.path, None, "", None)
    return write_atomically(change.path, change.before, change.after_digest)
