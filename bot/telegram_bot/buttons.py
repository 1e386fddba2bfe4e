"""Button presses: one handler per kind of callback data (question, vote, topics page).

``build_application`` registers each handler with its kind's ``matches`` as the pattern, so a
handler only sees data it can read, and ``expired_button`` last, for data no kind accepts:
forged, malformed, or from a game. A press that cannot be served — unreadable data, or a message
too old for the bot to see — is answered "this button has expired"; a question whose entry has
since left the knowledge file gets an alert saying so. Every press passes the flood guard first
(``flood.py``). A vote counts only when its entry is in
the served knowledge, its data is one of the buttons of the message pressed on, and it is that
user's first vote on that message; any other vote is "expired" and stored nowhere. Every query
is answered exactly once.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import TypeVar

from telegram import CallbackQuery, Message, Update
from telegram.constants import ParseMode
from telegram.error import BadRequest

from bot.core.replies import answer_reply, escape
from bot.telegram_bot.callbacks import AnswerButton, PickSource, TopicsPageButton, VoteButton
from bot.telegram_bot.flood import admitted
from bot.telegram_bot.handlers import is_group, send_reply
from bot.telegram_bot.keyboards import reply_markup, topics_page, without_votes
from bot.telegram_bot.state import BotContext

log = logging.getLogger(__name__)
EXPIRED = "Sorry, this button has expired."
NO_LONGER_ANSWERED = "Sorry, I can no longer answer that question."
THANKS_FOR_VOTING = "Thanks for the feedback!"
# Pressing a suggestion, a decline's example or a greeting's example turns that message into the
# answer; a related question or a /topics entry answers in a new message below.
EDITED_IN_PLACE: frozenset[PickSource] = frozenset({"suggest", "decline", "start"})
# A pick from a "did you mean" or a decline tells `review` which entry the question meant.
EVIDENCE: frozenset[PickSource] = frozenset({"suggest", "decline"})

Pressed = TypeVar("Pressed")


async def _read_press(
    update: Update, context: BotContext, unpack: Callable[[object], Pressed | None]
) -> tuple[CallbackQuery, Message, Pressed] | None:
    """Return the query, the message pressed on and the button; or answer "expired" and None.

    A press over the presser's flood budget is answered "slow down" once, then not at all.
    """
    query = update.callback_query
    if query is None or not await admitted(update, context.bot_data.services.guard):
        return None
    button = unpack(query.data)
    message = query.message if isinstance(query.message, Message) else None
    if button is None or message is None:
        await query.answer(EXPIRED)
        return None
    return query, message, button


async def _edit_quietly(edit: Awaitable[object]) -> None:
    """Apply an edit; a second tap re-applying the same edit ("not modified") is harmless."""
    try:
        await edit
    except BadRequest as exc:
        if "not modified" not in str(exc).lower():
            raise
        log.debug("edit skipped: %s", exc)


async def question_pressed(update: Update, context: BotContext) -> None:
    """Answer the entry a question button names, in place or as a new message."""
    pressed = await _read_press(update, context, AnswerButton.unpack)
    if pressed is None:
        return
    query, message, button = pressed
    services = context.bot_data.services
    knowledge = services.live.current
    entry = knowledge.by_id.get(button.entry_id)
    if entry is None:
        await query.answer(NO_LONGER_ANSWERED, show_alert=True)
        return
    await query.answer()
    services.record_pick(entry.id, button.source)
    if button.source in EVIDENCE:
        services.record_evidence(message.chat_id, message.message_id, entry.id, "pick")
    reply = answer_reply(knowledge, entry)
    if button.source in EDITED_IN_PLACE:
        await _edit_quietly(
            query.edit_message_text(
                reply.html, parse_mode=ParseMode.HTML, reply_markup=reply_markup(reply)
            )
        )
    else:
        await send_reply(message, reply.html, reply_markup(reply), quote=is_group(message))


async def vote_pressed(update: Update, context: BotContext) -> None:
    """Record a 👍/👎 and remove the vote row so it cannot be pressed twice."""
    pressed = await _read_press(update, context, VoteButton.unpack)
    if pressed is None:
        return
    query, message, button = pressed
    services = context.bot_data.services
    voter = (message.chat_id, message.message_id, query.from_user.id)
    if (
        button.entry_id not in services.live.current.by_id
        or not _offered(message, query.data)
        or not services.votes.first_time(voter)
    ):
        await query.answer(EXPIRED)
        return
    services.record_vote(button.entry_id, button.vote)
    if not button.up:
        services.record_evidence(message.chat_id, message.message_id, button.entry_id, "down")
    await query.answer(THANKS_FOR_VOTING)
    await _edit_quietly(query.edit_message_reply_markup(without_votes(message.reply_markup)))


def _offered(message: Message, data: str | None) -> bool:
    """Tell whether ``data`` is the callback data of one of the message's buttons."""
    markup = message.reply_markup
    rows = markup.inline_keyboard if markup is not None else ()
    return any(button.callback_data == data for row in rows for button in row)


async def topics_page_pressed(update: Update, context: BotContext) -> None:
    """Turn the /topics list to the page the button names."""
    pressed = await _read_press(update, context, TopicsPageButton.unpack)
    if pressed is None:
        return
    query, _, button = pressed
    text, markup = topics_page(context.bot_data.services.live.current, button.page)
    await query.answer()
    await _edit_quietly(query.edit_message_text(escape(text), reply_markup=markup))


async def expired_button(update: Update, context: BotContext) -> None:
    """Tell the reader a button no other handler can read has expired."""
    query = update.callback_query
    if query is not None and await admitted(update, context.bot_data.services.guard):
        await query.answer(EXPIRED)
