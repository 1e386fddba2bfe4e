"""The one factory that builds the Telegram ``Application``: every handler and job is wired here.

``build_application(settings)`` configures PTB (the retrying rate limiter, timeouts, the watched
getUpdates client, the typed ``BotData`` from ``state.py``), fills ``bot_data`` with the shared
services, registers the handlers — messages and commands (``handlers.py``, ``admin.py``), one
handler per kind of button (``buttons.py``), inline queries — and the periodic jobs
(``jobs.py``), and hooks ``lifecycle.py``'s start-up and shutdown in. ``run_bot`` is what
``python -m bot run`` calls. Tests build the same application against a fake Bot API server by
pointing BOT_API_BASE_URL at it.
"""

from __future__ import annotations

from telegram.ext import (
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    InlineQueryHandler,
    MessageHandler,
    filters,
)
from telegram.request import HTTPXRequest

from bot.core.thresholds import thresholds_from
from bot.knowledge.live import LiveKnowledge
from bot.maintenance.store import Store
from bot.settings import Settings
from bot.telegram_bot import admin, buttons, handlers
from bot.telegram_bot.callbacks import AnswerButton, TopicsPageButton, VoteButton
from bot.telegram_bot.delivery import RetryingLimiter
from bot.telegram_bot.fairness import PerChatUpdates
from bot.telegram_bot.guard import FloodGuard
from bot.telegram_bot.inline import inline_query
from bot.telegram_bot.jobs import schedule_jobs
from bot.telegram_bot.lifecycle import on_shutdown, on_startup, run_until_stopped
from bot.telegram_bot.logs import configure_logging
from bot.telegram_bot.outbox import Outbox
from bot.telegram_bot.review import add_review_handlers
from bot.telegram_bot.services import Services
from bot.telegram_bot.state import CONTEXT_TYPES, BotApplication
from bot.telegram_bot.updates import TolerantBot
from bot.telegram_bot.watchdog import PollingWatch

# The start-up and shutdown hooks are re-exported for code that starts the application itself
# (the throughput benchmark); they live in lifecycle.py.
__all__ = ["SEND_CONNECTIONS", "build_application", "on_shutdown", "on_startup", "run_bot"]

# Connections for Bot API calls, and requests handed to httpx at once (the rest wait in the
# RetryingLimiter): httpx's pool re-examines every connection and waiting request whenever a
# request starts or ends, which cost most of the bot's CPU with 64 sends queued on 16
# connections (README, speed figures). 8 keep up with Telegram's 30 messages a second even
# at 250 ms a round trip.
SEND_CONNECTIONS = 8
BOUND_IN_FLIGHT = True  # the throughput benchmark's --unbounded turns it off, to compare


def build_application(settings: Settings, live: LiveKnowledge | None = None) -> BotApplication:
    """Build the bot's Application from settings (the only place handlers are wired)."""
    if settings.token is None:
        raise ValueError("BOT_TOKEN is required to build the Telegram application")
    live = live or LiveKnowledge(settings.knowledge_file, thresholds_from(settings))
    polling = PollingWatch.from_settings(settings)
    outbox = Outbox(settings.outbox_per_chat, settings.outbox_max_age, settings.outbox_retry_max)
    application = _new_application(settings, settings.token.get_secret_value(), polling, outbox)
    application.bot_data.services = Services(
        settings=settings,
        live=live,
        store=Store(settings.db_path),
        guard=FloodGuard(settings.flood_limit, settings.flood_window),
        outbox=outbox,
    )
    application.bot_data.polling = polling
    application.bot.when_token_rejected(application.stop_running)
    _add_handlers(application)
    if application.job_queue is not None:
        schedule_jobs(application.job_queue, settings)
    return application


def _new_application(
    settings: Settings, token: str, polling: PollingWatch, outbox: Outbox
) -> BotApplication:
    """Build PTB's application for this bot: API endpoint, limiter, timeouts, hooks."""
    builder = (
        ApplicationBuilder()
        .bot(_new_bot(settings, token, polling, outbox))
        .context_types(CONTEXT_TYPES)
        # Updates are handled concurrently, 64 at a time; one chat holds at most a few of
        # them (fairness.py).
        .concurrent_updates(PerChatUpdates(64, settings.chat_backlog))
        .post_init(on_startup)
        .post_shutdown(on_shutdown)
    )
    return builder.build()


def _new_bot(settings: Settings, token: str, polling: PollingWatch, outbox: Outbox) -> TolerantBot:
    """The bot: API endpoint, the retrying limiter, timeouts, the watched getUpdates client."""
    timeout = settings.request_timeout
    request = HTTPXRequest(
        connection_pool_size=SEND_CONNECTIONS,
        read_timeout=timeout,
        write_timeout=timeout,
        connect_timeout=timeout,
        pool_timeout=timeout,
    )
    files = {"base_file_url": settings.api_base_file_url} if settings.api_base_file_url else {}
    return TolerantBot(
        token,
        base_url=settings.api_base_url,
        request=request,
        get_updates_request=polling.request,
        rate_limiter=RetryingLimiter(
            rate_limit=settings.rate_limit,
            send_deadline=settings.answer_retry_window,
            outbox=outbox,
            in_flight=SEND_CONNECTIONS if BOUND_IN_FLIGHT else None,
        ),
        **files,
    )


def _add_handlers(application: BotApplication) -> None:
    """Register every handler, in the order PTB tries them, and the error handler."""
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
    add_review_handlers(application)
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
    application.add_error_handler(handlers.on_error)


def run_bot(settings: Settings) -> None:
    """Run the bot until SIGINT/SIGTERM: webhook if BOT_WEBHOOK_URL is set, else polling."""
    secrets = [settings.token.get_secret_value() if settings.token else ""]
    if settings.webhook_secret:
        secrets.append(settings.webhook_secret.get_secret_value())
    configure_logging(settings.log_level, secrets)
    run_until_stopped(build_application(settings), settings)
