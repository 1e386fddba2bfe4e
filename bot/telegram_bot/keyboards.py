"""Inline keyboards and callback data: turning the core's abstract buttons into Telegram's.

Callback data is short text, at most 64 bytes: ``a:<source>:<entry id>`` asks for an answer
(source: s suggestion, d decline example, r related, t topics list, g greeting), ``u:<id>`` and
``d:<id>`` are 👍 and 👎, ``t:<page>`` turns the topics list. Entry ids are at most 40 bytes.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.core.replies import Button, Reply, display_question
from bot.knowledge.knowledge import Knowledge

SOURCE_OF_KIND = {"answer": "r", "suggest": "s", "decline": "d", "smalltalk": "g"}
SOURCE_NAMES = {"s": "suggest", "d": "decline", "r": "related", "t": "topics", "g": "start"}
TOPICS_PER_PAGE = 8


@dataclass(frozen=True)
class Callback:
    """Decoded callback data."""

    action: str  # answer | vote | topics
    value: str
    source: str = ""
    vote: int = 0


def decode(data: str | None) -> Callback | None:
    """Decode callback data we issued; anything else (or malformed) gives None."""
    if not data or len(data.encode()) > 64:
        return None
    parts = data.split(":")
    if parts[0] == "a" and len(parts) == 3 and parts[1] in SOURCE_NAMES and parts[2]:
        return Callback("answer", parts[2], SOURCE_NAMES[parts[1]])
    if parts[0] in ("u", "d") and len(parts) == 2 and parts[1]:
        return Callback("vote", parts[1], vote=1 if parts[0] == "u" else -1)
    if parts[0] == "t" and len(parts) == 2 and parts[1].isdigit():
        return Callback("topics", parts[1])
    return None


def reply_markup(reply: Reply) -> InlineKeyboardMarkup | None:
    """Build the inline keyboard for a core reply (None when it has no buttons)."""
    return _markup(SOURCE_OF_KIND.get(reply.kind, "r"), reply.buttons)


@lru_cache(maxsize=1024)
def _markup(
    source: str, button_rows: tuple[tuple[Button, ...], ...]
) -> InlineKeyboardMarkup | None:
    # Keyboards are immutable and the same for every answer of an entry: built once each.
    rows = []
    for row in button_rows:
        buttons = []
        for button in row:
            if button.action == "answer":
                data = f"a:{source}:{button.value}"
            elif button.action == "vote_up":
                data = f"u:{button.value}"
            elif button.action == "vote_down":
                data = f"d:{button.value}"
            else:
                data = f"t:{button.value}"
            buttons.append(InlineKeyboardButton(button.label, callback_data=data))
        rows.append(buttons)
    return InlineKeyboardMarkup(rows) if rows else None


def without_votes(markup: InlineKeyboardMarkup | None) -> InlineKeyboardMarkup | None:
    """Return the keyboard with the 👍/👎 row removed (after a vote)."""
    if markup is None:
        return None
    rows = [
        row
        for row in markup.inline_keyboard
        if not any((b.callback_data or "")[:2] in ("u:", "d:") for b in row)
    ]
    return InlineKeyboardMarkup(rows) if rows else None


def topics_page(knowledge: Knowledge, page: int) -> tuple[str, InlineKeyboardMarkup]:
    """Return the text and keyboard of one page of the list of answerable questions."""
    entries = knowledge.entries
    pages = max(1, -(-len(entries) // TOPICS_PER_PAGE))
    page = min(max(page, 0), pages - 1)
    chunk = entries[page * TOPICS_PER_PAGE : (page + 1) * TOPICS_PER_PAGE]
    rows = [[InlineKeyboardButton(display_question(e), callback_data=f"a:t:{e.id}")] for e in chunk]
    nav = []
    if page > 0:
        nav.append(InlineKeyboardButton("« Previous", callback_data=f"t:{page - 1}"))
    if page < pages - 1:
        nav.append(InlineKeyboardButton("Next »", callback_data=f"t:{page + 1}"))
    if nav:
        rows.append(nav)
    text = f"Questions I can answer (page {page + 1} of {pages}). Tap one:"
    return text, InlineKeyboardMarkup(rows)
