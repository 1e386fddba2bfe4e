"""Handlers for readers' messages and commands, and the error handler.

Every answer comes from ``bot.core.replies.reply_to`` on the knowledge in service at the moment the
update arrives. Private chats: any text is a question. Groups: only ``/ask``, replies to the
bot's own messages and messages mentioning the bot are answered, as replies to the asker. Button
presses are in ``buttons.py``. A handler that fails is logged; in a private chat the reader gets
an apology, and the bot goes on. Every handler that will send or write first passes the flood
guard (``flood.py``), once it knows it will answer. A message's text is cut to Telegram's own
limit (4096 characters) before anything reads it, whatever the Bot API server sent.
"""

from __future__ import annotations

import logging

from telegram import InlineKeyboardMarkup, Message, MessageEntity, ReplyParameters, Update
from telegram.constants import ChatType, ParseMode
from telegram.error import NetworkError, TelegramError

from bot.core.query import MAX_QUESTION_CHARS
from bot.core.replies import answer_reply, escape, reply_to, smalltalk_reply
from bot.telegram_bot.delivery import Undelivered
from bot.telegram_bot.failures import AMBIGUOUS, failure_kind
from bot.telegram_bot.flood import SLOW_DOWN as SLOW_DOWN  # re-exported for callers
from bot.telegram_bot.flood import admitted
from bot.telegram_bot.keyboards import reply_markup, topics_page
from bot.telegram_bot.state import BotContext

log = logging.getLogger(__name__)
NOT_TEXT = "I can only read text. Please type your question about the article."
UNKNOWN_COMMAND = "Sorry, I don't know that command. Try /help."
APOLOGY = "Sorry, something went wrong on my side. Please try again."
ASK_USAGE = "Usage: /ask your question, for example: /ask how long has the war lasted?"
HELP_TEXT = (
    "I answer questions about one news article and quote the sentence each answer rests on.\n\n"
    "<b>Private chat</b>: just type a question.\n"
    "<b>Groups</b>: use /ask <i>question</i>, reply to one of my messages, or mention me.\n"
    "<b>Anywhere</b>: type @{username} and a question to share an answer.\n\n"
    "/topics – every question I can answer\n/source – the article I know\n/help – this text"
)


def is_group(message: Message) -> bool:
    """Tell whether the message was sent in a group or supergroup."""
    return message.chat.type in (ChatType.GROUP, ChatType.SUPERGROUP)


async def send_reply(
    message: Message, reply_html: str, markup: InlineKeyboardMarkup | None, *, quote: bool
) -> Message:
    """Send an HTML reply in the message's chat, as a reply to it when ``quote``.

    Replies never contain links (readers' text is not echoed), so no link-preview options
    are sent: measurably cheaper per answer.
    """
    parameters = (
        ReplyParameters(message.message_id, allow_sending_without_reply=True) if quote else None
    )
    return await message.get_bot().send_message(
        chat_id=message.chat_id,
        text=reply_html,
        parse_mode=ParseMode.HTML,
        reply_markup=markup,
        reply_parameters=parameters,
    )


async def answer_question(update: Update, context: BotContext, question: str) -> None:
    """Answer ``question`` from the update's message, minding the flood guard."""
    message = update.effective_message
    if message is None:
        return
    services = context.bot_data.services
    group = is_group(message)
    if not await admitted(update, services.guard):
        return
    question = question[:MAX_QUESTION_CHARS]
    reply = reply_to(services.live.current, question)
    sent = await send_reply(message, reply.html, reply_markup(reply), quote=group)
    services.record(question, reply, message.chat.type)
    services.remember_question(sent.chat_id, sent.message_id, question)


async def private_text(update: Update, context: BotContext) -> None:
    """Answer any text sent in a private chat."""
    message = update.effective_message
    if message is not None:
        await answer_question(update, context, (message.text or "")[:MAX_QUESTION_CHARS])


def _mentions_bot(message: Message, username: str) -> bool:
    target = f"@{username}".casefold()
    for entity, text in message.parse_entities([MessageEntity.MENTION]).items():
        if entity.type == MessageEntity.MENTION and text.casefold() == target:
            return True
    return False


def _strip_mention(text: str, username: str) -> str:
    return " ".join(w for w in text.split() if w.casefold() != f"@{username}".casefold())


async def group_text(update: Update, context: BotContext) -> None:
    """Answer group messages that reply to the bot or mention it; ignore other chatter."""
    message = update.effective_message
    if message is None or not message.text:
        return
    bot = context.bot
    replied = message.reply_to_message
    to_bot = (
        replied is not None and replied.from_user is not None and replied.from_user.id == bot.id
    )
    if not (to_bot or _mentions_bot(message, bot.username)):
        return
    question = _strip_mention(message.text[:MAX_QUESTION_CHARS], bot.username)
    if not question.strip():
        if await admitted(update, context.bot_data.services.guard):
            await send_reply(message, escape(ASK_USAGE), None, quote=True)
        return
    await answer_question(update, context, question)


async def ask_command(update: Update, context: BotContext) -> None:
    """Answer /ask QUESTION (in groups and private chats)."""
    message = update.effective_message
    if message is None:
        return
    question = " ".join(context.args or [])[:MAX_QUESTION_CHARS]
    if not question.strip():
        if await admitted(update, context.bot_data.services.guard):
            await send_reply(message, escape(ASK_USAGE), None, quote=is_group(message))
        return
    await answer_question(update, context, question)


async def non_text(update: Update, context: BotContext) -> None:
    """Tell a private-chat user that only text questions are understood."""
    message = update.effective_message
    if message is not None and await admitted(update, context.bot_data.services.guard):
        await send_reply(message, escape(NOT_TEXT), None, quote=False)


async def start_command(update: Update, context: BotContext) -> None:
    """Welcome the user; a deep-link payload naming an entry answers it directly."""
    message = update.effective_message
    if message is None or not await admitted(update, context.bot_data.services.guard):
        return
    knowledge = context.bot_data.services.live.current
    payload = context.args[0] if context.args else ""
    entry = knowledge.by_id.get(payload)
    reply = answer_reply(knowledge, entry) if entry else smalltalk_reply(knowledge, "greeting")
    await send_reply(message, reply.html, reply_markup(reply), quote=is_group(message))


async def help_command(update: Update, context: BotContext) -> None:
    """Explain how to ask, in private chats, groups and inline."""
    message = update.effective_message
    if message is None or not await admitted(update, context.bot_data.services.guard):
        return
    text = HELP_TEXT.format(username=escape(context.bot.username or "this_bot"))
    await send_reply(message, text, None, quote=is_group(message))


async def topics_command(update: Update, context: BotContext) -> None:
    """List every question the bot can answer, as buttons, one page at a time."""
    message = update.effective_message
    if message is None or not await admitted(update, context.bot_data.services.guard):
        return
    text, markup = topics_page(context.bot_data.services.live.current, 0)
    await send_reply(message, escape(text), markup, quote=is_group(message))


async def source_command(update: Update, context: BotContext) -> None:
    """Show the article's headline and what the answers are based on."""
    message = update.effective_message
    if message is None or not await admitted(update, context.bot_data.services.guard):
        return
    knowledge = context.bot_data.services.live.current
    text = (
        f"<b>{escape(knowledge.article.headline)}</b>\n\n"
        f"My answers are based only on this article ({len(knowledge.article.sentences)} "
        f"sentences); each answer quotes the sentence it rests on, word for word. "
        f"Knowledge version {escape(knowledge.version)}, {len(knowledge.entries)} topics."
    )
    await send_reply(message, text, None, quote=is_group(message))


async def unknown_command(update: Update, context: BotContext) -> None:
    """Say the command is unknown in private chats; stay silent in groups."""
    message = update.effective_message
    if message is None or message.chat.type != ChatType.PRIVATE:
        return
    if await admitted(update, context.bot_data.services.guard):
        await send_reply(message, escape(UNKNOWN_COMMAND), None, quote=False)


async def on_error(update: object, context: BotContext) -> None:
    """Log any handler failure; apologise in private chats; never crash the bot."""
    if update is None and isinstance(context.error, NetworkError):  # polling: PTB retries it
        log.warning(
            "getUpdates failed (%s: %s); retrying", type(context.error).__name__, context.error
        )
        return
    if isinstance(context.error, Undelivered):  # parked for later; the outbox logs it
        return
    if isinstance(context.error, NetworkError) and failure_kind(context.error) in AMBIGUOUS:
        return  # maybe delivered, not retried: delivery.py logged it in one warning line
    log.error("error while handling an update: %r", context.error, exc_info=context.error)
    # A network failure may mean the answer was delivered after all (or that an apology would
    # fail too): apologise only for failures of our own code.
    if isinstance(update, Update) and not isinstance(context.error, NetworkError):
        await _apologise_in_private_chat(update)
    # The flood guard is pruned by its own job too; doing it here as well costs nothing.
    context.bot_data.services.guard.forget_idle()


async def _apologise_in_private_chat(update: Update) -> None:
    message, chat = update.effective_message, update.effective_chat
    if message is None or chat is None or chat.type != ChatType.PRIVATE:
        return
    try:
        await message.reply_text(APOLOGY)
    except TelegramError:
        log.warning("could not send the apology either")
