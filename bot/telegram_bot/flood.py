"""The flood guard at the door of every handler that sends or writes.

``admitted`` counts one request — a question, a command, a hint, an unknown command, a button
press, a vote, an inline query — against its sender's budget (``guard.py``: BOT_FLOOD_LIMIT per
BOT_FLOOD_WINDOW seconds). Over budget, the sender gets one "slow down" (a reply, or the button's
notice) and then silence until the window frees. The sender is the chat a message was sent on
behalf of when there is one (``sender_chat``: a channel, or a group's anonymous admins), else the
user: Telegram gives every channel poster and every anonymous admin one shared user id, and one
of them must not silence all the others. Handlers call it only once they know they will answer,
so group chatter the bot ignores costs nobody anything.
"""

from __future__ import annotations

from telegram import Message, ReplyParameters, Update
from telegram.constants import ChatType

from bot.telegram_bot.guard import FloodGuard

SLOW_DOWN = "You're asking faster than I can keep up. Please wait a minute and ask again."


def sender_key(update: Update) -> int | None:
    """The id the flood guard counts: ``sender_chat`` when a message has one, else the user."""
    message = update.effective_message
    if update.callback_query is None and message is not None and message.sender_chat is not None:
        return message.sender_chat.id
    user = update.effective_user
    return user.id if user is not None else None


async def admitted(update: Update, guard: FloodGuard) -> bool:
    """Count the request; over budget, say "slow down" once; tell whether to serve it."""
    key = sender_key(update)
    if key is None:
        return True
    verdict = guard.check(key)
    if verdict == "allow":
        return True
    if verdict == "notice":
        await _slow_down(update)
    return False


async def _slow_down(update: Update) -> None:
    """Tell the sender once to slow down: on the button pressed, or as a reply."""
    if update.callback_query is not None:
        await update.callback_query.answer(SLOW_DOWN)
        return
    message = update.effective_message
    if message is None or update.inline_query is not None:
        return
    await message.get_bot().send_message(
        chat_id=message.chat_id,
        text=SLOW_DOWN,
        reply_parameters=_quote(message),
    )


def _quote(message: Message) -> ReplyParameters | None:
    """Reply to the message in groups (so the asker sees it is for them), not in private."""
    if message.chat.type not in (ChatType.GROUP, ChatType.SUPERGROUP):
        return None
    return ReplyParameters(message.message_id, allow_sending_without_reply=True)
