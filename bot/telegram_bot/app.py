"""The one factory that builds the Telegram ``Application``, and running it.

``build_application(settings)`` wires the handlers (one per kind of button), the retrying rate
limiter, the hot-reload job and the start-up steps (command menus, a log line with the entry
count); ``run_bot`` runs it with long polling, or as a webhook server when BOT_WEBHOOK_URL is
set. Tests build the same application against a fake Bot API server by pointing
BOT_API_BASE_URL at it.
"""

from __future__ import annotations

import contextlib
import logging

from telegram import (
    BotCommand,
    BotCommandScopeAllGroupChats,
    BotCommandScopeAllPrivateChats,
    BotCommandScopeChat,
    Update,
)
from telegram.error import NetworkError, TelegramError
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    InlineQueryHandler,
    MessageHandler,
    filters,
)

from bot.core.decisions import thresholds_from
from bot.knowledge.live import LiveKnowledge
from bot.maintenance.store import Store
from bot.settings import Settings
from bot.telegram_bot import admin, buttons, handlers
from bot.telegram_bot.callbacks import AnswerButton, TopicsPageButton, VoteButton
from bot.telegram_bot.delivery import RetryingLimiter
from bot.telegram_bot.guard import FloodGuard
from bot.telegram_bot.inline import inline_query
from bot.telegram_bot.logs import configure_logging
from bot.telegram_bot.services import Services, services_of
from bot.telegram_bot.watchdog import GRACE_SECONDS, WatchedRequest, check_polling

log = logging.getLogger(__name__)
WATCHDOG_INTERVAL = 10.0
COUNTS_FLUSH_INTERVAL = 5.0

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


async def set_commands(application: Application) -> None:
    """Publish the command menus: private, group, and admins' own chats."""
    bot = application.bot
    await bot.set_my_commands(PRIVATE_COMMANDS, scope=BotCommandScopeAllPrivateChats())
    await bot.set_my_commands(GROUP_COMMANDS, scope=BotCommandScopeAllGroupChats())
    services: Services = application.bot_data["services"]
    for admin_id in sorted(services.settings.admin_ids):
        try:
            await bot.set_my_commands(
                PRIVATE_COMMANDS + ADMIN_COMMANDS, scope=BotCommandScopeChat(admin_id)
            )
        except TelegramError as exc:
            log.warning("admin %s has no command menu yet (%s); they must /start me", admin_id, exc)


async def on_startup(application: Application) -> None:
    """Publish commands and log what is being served."""
    services: Services = application.bot_data["services"]
    knowledge = services.live.current
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


async def on_shutdown(application: Application) -> None:
    """Write the pending counts and close the maintainers' log."""
    services: Services = application.bot_data["services"]
    await services.flush_counts()
    services.store.close()


async def flush_counts(context: ContextTypes.DEFAULT_TYPE) -> None:
    """Write the reply counts gathered since the last flush."""
    await services_of(context).flush_counts()


async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Log any handler failure; apologise in private chats; never crash the bot."""
    log.error("error while handling an update: %r", context.error, exc_info=context.error)
    # A network failure may mean the answer was delivered after all (or that an apology would
    # fail too): apologise only for failures of our own code.
    private = (
        not isinstance(context.error, NetworkError)
        and isinstance(update, Update)
        and update.effective_chat is not None
        and update.effective_message is not None
        and update.effective_chat.type == "private"
    )
    if private:
        try:
            await update.effective_message.reply_text(
                "Sorry, something went wrong on my side. Please try again."
            )
        except TelegramError:
            log.warning("could not send the apology either")
    with contextlib.suppress(KeyError, AttributeError):
        services_of(context).guard.forget_idle()


def build_application(settings: Settings, live: LiveKnowledge | None = None) -> Application:
    """Build the bot's Application from settings (the only place handlers are wired)."""
    if settings.token is None:
        raise ValueError("BOT_TOKEN is required to build the Telegram application")
    live = live or LiveKnowledge(settings.knowledge_file, thresholds_from(settings))
    token = settings.token.get_secret_value()
    # Two connections for getUpdates and a read timeout past the long poll: a dropped
    # connection times out and is replaced instead of leaving the bot deaf.
    get_updates_request = WatchedRequest(
        connection_pool_size=2,
        read_timeout=settings.poll_timeout + settings.request_timeout,
        connect_timeout=settings.request_timeout,
        write_timeout=settings.request_timeout,
        pool_timeout=settings.request_timeout,
    )
    builder = (
        ApplicationBuilder()
        .token(token)
        .base_url(settings.api_base_url)
        .rate_limiter(RetryingLimiter(rate_limit=settings.rate_limit))
        # Updates are handled concurrently; 64 at a time keeps httpx's connection pool
        # bookkeeping (quadratic in waiting requests) cheaper than PTB's 256 (measured).
        .concurrent_updates(64)
        .connection_pool_size(16)
        .get_updates_request(get_updates_request)
        .read_timeout(settings.request_timeout)
        .write_timeout(settings.request_timeout)
        .connect_timeout(settings.request_timeout)
        .pool_timeout(settings.request_timeout)
        .post_init(on_startup)
        .post_shutdown(on_shutdown)
    )
    if settings.api_base_file_url:
        builder = builder.base_file_url(settings.api_base_file_url)
    application = builder.build()
    application.bot_data["services"] = Services(
        settings=settings,
        live=live,
        store=Store(settings.db_path),
        guard=FloodGuard(settings.flood_limit, settings.flood_window),
    )
    application.bot_data["get_updates_request"] = get_updates_request
    application.bot_data["poll_timeout"] = settings.poll_timeout
    application.bot_data["polling_silence_limit"] = (
        settings.poll_timeout + settings.request_timeout + GRACE_SECONDS
    )
    new = filters.UpdateType.MESSAGE
    private = filters.ChatType.PRIVATE
    groups = filters.ChatType.GROUPS
    add = application.add_handler
    add(CommandHandler("start", handlers.start_command, filters=new))
    add(CommandHandler("help", handlers.help_command, filters=new))
    add(CommandHandler("ask", handlers.ask_command, filters=new))
    add(CommandHandler("topics", handlers.topics_command, filters=new))
    add(CommandHandler("source", handlers.source_command, filters=new))
    add(CommandHandler("reload", admin.reload_command, filters=new))
    add(CommandHandler("stats", admin.stats_command, filters=new))
    add(CommandHandler("unanswered", admin.unanswered_command, filters=new))
    add(MessageHandler(new & filters.COMMAND, handlers.unknown_command))
    add(MessageHandler(new & private & filters.TEXT, handlers.private_text))
    add(MessageHandler(new & groups & filters.TEXT, handlers.group_text))
    add(
        MessageHandler(new & private & ~filters.TEXT & ~filters.StatusUpdate.ALL, handlers.non_text)
    )
    add(CallbackQueryHandler(buttons.question_pressed, pattern=AnswerButton.matches))
    add(CallbackQueryHandler(buttons.vote_pressed, pattern=VoteButton.matches))
    add(CallbackQueryHandler(buttons.topics_page_pressed, pattern=TopicsPageButton.matches))
    add(CallbackQueryHandler(buttons.expired_button))
    add(InlineQueryHandler(inline_query))
    application.add_error_handler(on_error)
    if settings.reload_interval > 0 and application.job_queue is not None:
        application.job_queue.run_repeating(
            admin.check_knowledge_file,
            interval=settings.reload_interval,
            first=settings.reload_interval,
            name="knowledge-reload",
        )
    if application.job_queue is not None:
        application.job_queue.run_repeating(
            flush_counts, interval=COUNTS_FLUSH_INTERVAL, first=COUNTS_FLUSH_INTERVAL, name="counts"
        )
        application.job_queue.run_repeating(
            check_polling, interval=WATCHDOG_INTERVAL, first=WATCHDOG_INTERVAL, name="watchdog"
        )
    return application


def run_bot(settings: Settings) -> None:
    """Run the bot until SIGINT/SIGTERM: webhook if BOT_WEBHOOK_URL is set, else polling."""
    secrets = [settings.token.get_secret_value() if settings.token else ""]
    if settings.webhook_secret:
        secrets.append(settings.webhook_secret.get_secret_value())
    configure_logging(settings.log_level, secrets)
    application = build_application(settings)
    if settings.webhook_url:
        import asyncio

        from bot.telegram_bot.webhook import serve_webhook

        log.info("starting in webhook mode")
        asyncio.run(serve_webhook(application, settings))
    else:
        log.info("starting in polling mode")
        application.run_polling(
            allowed_updates=Update.ALL_TYPES, timeout=settings.poll_timeout, bootstrap_retries=-1
        )
