"""Starting, running and stopping a built application.

``on_startup`` (PTB's post_init hook) publishes the command menus — private chats, groups, and
each admin's own chat with the admin commands — and logs what is being served; ``on_shutdown``
(post_shutdown) writes the pending counts and closes the maintainers' log. ``run_until_stopped``
runs the application until SIGINT or SIGTERM: with long polling, or as a webhook server
(``webhook.py``) when BOT_WEBHOOK_URL is set. The webhook server calls the same two hooks through
the application, as PTB's own run methods do, so it never imports this module. A token Telegram
rejects at start (getMe answers 401 or 404) becomes ``StartupError``: one line without the token,
exit status 1 (PTB's own ``InvalidToken`` message contains the token); so does a webhook port
in use or a Bot API unreachable at start. The soft limit on open files is raised at start.
"""

from __future__ import annotations

import asyncio
import logging

from telegram import (
    BotCommand,
    BotCommandScopeAllGroupChats,
    BotCommandScopeAllPrivateChats,
    BotCommandScopeChat,
    Update,
)
from telegram.error import InvalidToken, TelegramError

from bot.settings import Settings
from bot.telegram_bot.errors import StartupError
from bot.telegram_bot.state import BotApplication
from bot.telegram_bot.webhook import serve_webhook
from bot.telegram_bot.webserver import raise_descriptor_limit

__all__ = ["StartupError", "on_shutdown", "on_startup", "run_until_stopped"]

log = logging.getLogger(__name__)
TOKEN_REJECTED = (
    "Telegram rejected the bot token (getMe answered 401 or 404): check BOT_TOKEN, and that "
    "BOT_API_BASE_URL ends in /bot"
)


PRIVATE_COMMANDS = [
    BotCommand("start", "Welcome and example questions"),
    BotCommand("topics", "Every question I can answer"),
    BotCommand("source", "The article I know"),
    BotCommand("help", "How to ask"),
]
GROUP_COMMANDS = [
    BotCommand("ask", "Ask a question about the article"),
    BotCommand("topics", "Every question I can answer"),
    BotCommand("source", "The article I know"),
    BotCommand("help", "How to ask"),
]
ADMIN_COMMANDS = [
    BotCommand("reload", "Reload the knowledge file now"),
    BotCommand("stats", "Answer statistics"),
    BotCommand("unanswered", "Most asked unanswered questions"),
]


async def set_commands(application: BotApplication) -> None:
    """Publish the command menus: private, group, and admins' own chats."""
    bot = application.bot
    await bot.set_my_commands(PRIVATE_COMMANDS, scope=BotCommandScopeAllPrivateChats())
    await bot.set_my_commands(GROUP_COMMANDS, scope=BotCommandScopeAllGroupChats())
    for admin_id in sorted(application.bot_data.services.settings.admin_ids):
        try:
            await bot.set_my_commands(
                PRIVATE_COMMANDS + ADMIN_COMMANDS, scope=BotCommandScopeChat(admin_id)
            )
        except TelegramError as exc:
            log.warning("admin %s has no command menu yet (%s); they must /start me", admin_id, exc)


async def on_startup(application: BotApplication) -> None:
    """Publish commands and log what is being served."""
    knowledge = application.bot_data.services.live.current
    try:
        await set_commands(application)
    except TelegramError as exc:
        log.warning("could not set the command menus: %s", exc)
    log.info(
        "serving @%s with %d entries (knowledge version %s)",
        application.bot.username,
        len(knowledge.entries),
        knowledge.version,
    )


async def on_shutdown(application: BotApplication) -> None:
    """Write the pending counts and close the maintainers' log."""
    services = application.bot_data.services
    await services.flush_counts()
    services.store.close()


def run_until_stopped(application: BotApplication, settings: Settings) -> None:
    """Run until SIGINT/SIGTERM: a webhook server if BOT_WEBHOOK_URL is set, else polling."""
    raise_descriptor_limit()
    try:
        _run(application, settings)
    except InvalidToken:
        raise StartupError(TOKEN_REJECTED) from None
    if application.bot.token_rejected:  # polling stopped: getUpdates kept answering 401/404
        raise StartupError(TOKEN_REJECTED.replace("getMe", "getUpdates"))


def _run(application: BotApplication, settings: Settings) -> None:
    if settings.webhook_url:
        log.info("starting in webhook mode")
        asyncio.run(serve_webhook(application, settings))
    else:
        log.info("starting in polling mode")
        application.run_polling(
            allowed_updates=Update.ALL_TYPES, timeout=settings.poll_timeout, bootstrap_retries=-1
        )
