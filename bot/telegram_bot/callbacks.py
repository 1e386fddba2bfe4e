"""Callback data: the short strings behind inline buttons, one small dataclass per button kind.

Telegram hands a pressed button's ``callback_data`` back verbatim, and it holds at most 64 bytes
of UTF-8. As in aiogram's CallbackData factory, each kind is a prefix and fields joined by ':':
``a:<source>:<entry id>`` asks for an entry's answer (source ``s`` suggestion, ``d`` decline
example, ``r`` related question, ``t`` topics list, ``g`` greeting), ``u:<entry id>`` and
``d:<entry id>`` are 👍 and 👎, ``t:<page>`` turns the topics list, and
``v:<action>:<option>:<digest>`` is an admin's /review button. Buttons already sent
carry this format, so it must not change. ``pack()`` raises ValueError rather than build data
that would not read back; ``unpack()`` returns None for anything malformed (any client can send
any data): wrong prefix or field count, an empty field, an unknown source letter, an entry id
that is not a slug of at most 40 bytes, a page that is not ASCII digits, over 64 bytes.
"""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass
from typing import ClassVar, Literal, Self

SEPARATOR = ":"
MAX_DATA_BYTES = 64
MAX_ENTRY_ID_BYTES = 40
# The knowledge file's rule for entry ids; always used with fullmatch (no "\n" before the end).
ENTRY_ID = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
# ASCII only: str.isdigit() also accepts "²" (which int() refuses) and "٣" (which it reads).
PAGE_NUMBER = re.compile(r"[0-9]+")

PickSource = Literal["suggest", "decline", "related", "topics", "start"]
LETTER_OF_SOURCE: dict[PickSource, str] = {
    "suggest": "s",
    "decline": "d",
    "related": "r",
    "topics": "t",
    "start": "g",
}
SOURCE_OF_LETTER: dict[str, PickSource] = {v: k for k, v in LETTER_OF_SOURCE.items()}


def is_entry_id(text: str) -> bool:
    """Tell whether ``text`` can be an entry id: a slug of at most 40 bytes."""
    # A slug is ASCII, so once it matches its length in characters is its length in bytes.
    return len(text) <= MAX_ENTRY_ID_BYTES and ENTRY_ID.fullmatch(text) is not None


def _checked_entry_id(text: str) -> str:
    if not is_entry_id(text):
        raise ValueError(f"not an entry id (slug of at most {MAX_ENTRY_ID_BYTES} bytes): {text!r}")
    return text


def _join(*fields: str) -> str:
    """Join a prefix and its fields into callback data, refusing data that would not read back."""
    for field in fields:
        if not field or SEPARATOR in field:
            raise ValueError(f"callback data field is empty or contains {SEPARATOR!r}: {field!r}")
    data = SEPARATOR.join(fields)
    if len(data.encode("utf-8")) > MAX_DATA_BYTES:
        raise ValueError(f"callback data is over {MAX_DATA_BYTES} bytes: {data!r}")
    return data


def _fields(data: object, prefix: str, count: int) -> list[str] | None:
    """Return the ``count`` non-empty fields of ``data`` after ``prefix``, or None."""
    # Everything we issue is ASCII, so the length in characters is the length in bytes.
    if not isinstance(data, str) or not data.isascii() or len(data) > MAX_DATA_BYTES:
        return None
    parts = data.split(SEPARATOR)
    if len(parts) != count + 1 or parts[0] != prefix or not all(parts[1:]):
        return None
    return parts[1:]


class CallbackData(ABC):
    """What every button kind offers: ``pack()``, ``unpack(data)`` and ``matches(data)``."""

    @abstractmethod
    def pack(self) -> str:
        """Return the callback data for this button."""

    @classmethod
    @abstractmethod
    def unpack(cls, data: object) -> Self | None:
        """Read callback data of this kind; None when it is anything else or malformed."""

    @classmethod
    def matches(cls, data: object) -> bool:
        """Tell whether ``data`` is well-formed callback data of this kind (a handler pattern)."""
        return cls.unpack(data) is not None


@dataclass(frozen=True)
class AnswerButton(CallbackData):
    """A question button: show the entry's answer; ``source`` says where the button was."""

    source: PickSource
    entry_id: str
    PREFIX: ClassVar[str] = "a"

    def pack(self) -> str:
        """Return ``a:<source letter>:<entry id>``."""
        letter = LETTER_OF_SOURCE.get(self.source)
        if letter is None:
            raise ValueError(f"unknown button source: {self.source!r}")
        return _join(self.PREFIX, letter, _checked_entry_id(self.entry_id))

    @classmethod
    def unpack(cls, data: object) -> Self | None:
        """Read ``a:<source letter>:<entry id>``; None for anything else."""
        fields = _fields(data, cls.PREFIX, 2)
        if fields is None:
            return None
        letter, entry_id = fields
        source = SOURCE_OF_LETTER.get(letter)
        if source is None or not is_entry_id(entry_id):
            return None
        return cls(source, entry_id)


@dataclass(frozen=True)
class VoteButton(CallbackData):
    """A 👍 (``up``) or 👎 button under an entry's answer."""

    up: bool
    entry_id: str
    UP: ClassVar[str] = "u"
    DOWN: ClassVar[str] = "d"

    @property
    def vote(self) -> int:
        """Return the vote as the log stores it: +1 for 👍, -1 for 👎."""
        return 1 if self.up else -1

    def pack(self) -> str:
        """Return ``u:<entry id>`` or ``d:<entry id>``."""
        return _join(self.UP if self.up else self.DOWN, _checked_entry_id(self.entry_id))

    @classmethod
    def unpack(cls, data: object) -> Self | None:
        """Read ``u:<entry id>`` or ``d:<entry id>``; None for anything else."""
        for prefix, up in ((cls.UP, True), (cls.DOWN, False)):
            fields = _fields(data, prefix, 1)
            if fields is not None:
                return cls(up, fields[0]) if is_entry_id(fields[0]) else None
        return None


@dataclass(frozen=True)
class TopicsPageButton(CallbackData):
    """A "« Previous" or "Next »" button of the /topics list; ``page`` counts from 0."""

    page: int
    PREFIX: ClassVar[str] = "t"

    def pack(self) -> str:
        """Return ``t:<page>``."""
        if self.page < 0:
            raise ValueError(f"page number below 0: {self.page}")
        return _join(self.PREFIX, str(self.page))

    @classmethod
    def unpack(cls, data: object) -> Self | None:
        """Read ``t:<page>`` with a page of ASCII digits; None for anything else."""
        fields = _fields(data, cls.PREFIX, 1)
        if fields is None or PAGE_NUMBER.fullmatch(fields[0]) is None:
            return None
        return cls(int(fields[0]))


ReviewAction = Literal["add", "out", "skip", "undo", "save"]
LETTER_OF_ACTION: dict[ReviewAction, str] = {
    "add": "a",
    "out": "o",
    "skip": "s",
    "undo": "u",
    "save": "f",
}
ACTION_OF_LETTER: dict[str, ReviewAction] = {v: k for k, v in LETTER_OF_ACTION.items()}
REVIEW_OPTIONS = 3
DIGEST = re.compile(r"[0-9a-f]{12}")


@dataclass(frozen=True)
class ReviewButton(CallbackData):
    """An admin's /review button: ``action`` on the suggestion shown, candidate ``option``
    (0-2, for "add"; 0 otherwise), for the knowledge file at ``digest`` (a stale button,
    pressed after the file changed, reads back but is refused by the handler)."""

    action: ReviewAction
    option: int
    digest: str
    PREFIX: ClassVar[str] = "v"

    def pack(self) -> str:
        """Return ``v:<action letter>:<option>:<digest>``."""
        letter = LETTER_OF_ACTION.get(self.action)
        if letter is None:
            raise ValueError(f"unknown review action: {self.action!r}")
        if not 0 <= self.option < REVIEW_OPTIONS or (self.action != "add" and self.option):
            raise ValueError(f"review option out of range: {self.option}")
        if DIGEST.fullmatch(self.digest) is None:
            raise ValueError(f"not a knowledge digest: {self.digest!r}")
        return _join(self.PREFIX, letter, str(self.option), self.digest)

    @classmethod
    def unpack(cls, data: object) -> Self | None:
        """Read ``v:<action letter>:<option>:<digest>``; None for anything else."""
        fields = _fields(data, cls.PREFIX, 3)
        if fields is None:
            return None
        letter, option, digest = fields
        action = ACTION_OF_LETTER.get(letter)
        if action is None or option not in ("0", "1", "2") or DIGEST.fullmatch(digest) is None:
            return None
        if action != "add" and option != "0":
            return None
        return cls(action, int(option), digest)

    @classmethod
    def kind(cls, action: ReviewAction) -> Callable[[object], bool]:
        """Return a handler pattern matching this action's buttons only."""

        def matches(data: object) -> bool:
            button = cls.unpack(data)
            return button is not None and button.action == action

        return matches
