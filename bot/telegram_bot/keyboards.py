"""Inline keyboards: turning the core's abstract buttons into Telegram's.

A core ``Button`` (label, action, entry id) becomes an ``InlineKeyboardButton`` whose callback
data is packed by the dataclasses in ``callbacks.py``. Question buttons note where they were
shown (under an answer, a suggestion, a decline or the greeting, or in the /topics list), which
the pick log records and which decides whether pressing one edits the message or answers anew.
"""

from __future__ import annotations

from functools import lru_cache

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.core.replies import Button, Reply, ReplyKind, display_question
from bot.knowledge.knowledge import Knowledge
from bot.telegram_bot.callbacks import AnswerButton, PickSource, TopicsPageButton, VoteButton

SOURCE_OF_KIND: dict[ReplyKind, PickSource] = {
    "answer": "related",
    "suggest": "suggest",
    "decline": "decline",
    "smalltalk": "start",
}
TOPICS_PER_PAGE = 8


def reply_markup(reply: Reply) -> InlineKeyboardMarkup | None:
    """Build the inline keyboard for a core reply (None when it has no buttons)."""
    return _markup(SOURCE_OF_KIND.get(reply.kind, "related"), reply.buttons)


@lru_cache(maxsize=1024)
def _markup(
    source: PickSource, button_rows: tuple[tuple[Button, ...], ...]
) -> InlineKeyboardMarkup | None:
    # Keyboards are immutable and the same for every answer of an entry: built once each.
    rows = [
        [InlineKeyboardButton(b.label, callback_data=_callback_data(source, b)) for b in row]
        for row in button_rows
    ]
    return InlineKeyboardMarkup(rows) if rows else None


def _callback_data(source: PickSource, button: Button) -> str:
    """Pack the callback data of one core button (question buttons note their ``source``)."""
    if button.action == "answer":
        return AnswerButton(source, button.value).pack()
    if button.action in ("vote_up", "vote_down"):
        return VoteButton(button.action == "vote_up", button.value).pack()
    return TopicsPageButton(int(button.value)).pack()


def without_votes(markup: InlineKeyboardMarkup | None) -> InlineKeyboardMarkup | None:
    """Return the keyboard with the 👍/👎 row removed (after a vote)."""
    if markup is None:
        return None
    rows = [
        row
        for row in markup.inline_keyboard
        if not any(VoteButton.matches(button.callback_data) for button in row)
    ]
    return InlineKeyboardMarkup(rows) if rows else None


def topics_page(knowledge: Knowledge, page: int) -> tuple[str, InlineKeyboardMarkup]:
    """Return the text and keyboard of one page of the list of answerable questions."""
    entries = knowledge.entries
    pages = max(1, -(-len(entries) // TOPICS_PER_PAGE))
    page = min(max(page, 0), pages - 1)
    chunk = entries[page * TOPICS_PER_PAGE : (page + 1) * TOPICS_PER_PAGE]
    rows = [
        [
            InlineKeyboardButton(
                display_question(e), callback_data=AnswerButton("topics", e.id).pack()
            )
        ]
        for e in chunk
    ]
    nav = []
    if page > 0:
        nav.append(
            InlineKeyboardButton("« Previous", callback_data=TopicsPageButton(page - 1).pack())
        )
    if page < pages - 1:
        nav.append(InlineKeyboardButton("Next »", callback_data=TopicsPageButton(page + 1).pack()))
    if nav:
        rows.append(nav)
    text = f"Questions I can answer (page {page + 1} of {pages}). Tap one:"
    return text, InlineKeyboardMarkup(rows)
