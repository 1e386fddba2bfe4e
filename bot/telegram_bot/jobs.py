"""Periodic jobs on PTB's job queue: knowledge reload, log flush, polling watchdog, guard pruning.

``schedule_jobs`` registers them when the application is built. ``reload_knowledge`` checks the
knowledge file every BOT_RELOAD_INTERVAL seconds (never at 0) and sends a rejected edit's errors
to every admin; ``flush_log`` writes the queued reply counts and unanswered questions every few
seconds in one transaction; ``check_polling`` restarts polling when getUpdates has gone silent
(``watchdog.py``); ``prune_flood_guard`` forgets readers whose flood window has expired, so the
guard's memory stays bounded on a bot that never hits an error; ``deliver_late_answers`` starts
a round of the outbox (``outbox.py``) when one is due, as a task of its own, so a long round
never overlaps the next tick.
"""

from __future__ import annotations

import asyncio
import logging

from telegram.error import TelegramError
from telegram.ext import JobQueue

from bot.settings import Settings
from bot.telegram_bot.admin import clip
from bot.telegram_bot.delivery import RetryingLimiter
from bot.telegram_bot.state import BotContext
from bot.telegram_bot.watchdog import restart_polling_if_silent

log = logging.getLogger(__name__)
COUNTS_FLUSH_INTERVAL = 5.0
WATCHDOG_INTERVAL = 10.0
FLOOD_GUARD_PRUNE_INTERVAL = 60.0
LATE_ANSWERS_INTERVAL = 1.0  # at most; shorter when BOT_OUTBOX_RETRY_MAX is


async def notify_admins(context: BotContext, text: str) -> None:
    """Send ``text`` to every admin's private chat; failures are logged, never raised."""
    for admin_id in sorted(context.bot_data.services.settings.admin_ids):
        try:
            await context.bot.send_message(admin_id, clip(text))
        except TelegramError as exc:
            log.warning("could not notify admin %s: %s", admin_id, exc)


async def reload_knowledge(context: BotContext) -> None:
    """Reload the knowledge file when it changed; tell admins when an edit is rejected."""
    services = context.bot_data.services
    if not services.live.changed():
        return
    outcome = await asyncio.to_thread(services.live.reload)
    if outcome.status == "rejected":
        await notify_admins(context, outcome.summary())


async def flush_log(context: BotContext) -> None:
    """Write the reply counts and unanswered questions gathered since the last flush."""
    await context.bot_data.services.flush_counts()


async def check_polling(context: BotContext) -> None:
    """Restart polling when getUpdates has been silent for too long."""
    await restart_polling_if_silent(context.application.updater, context.bot_data.polling)


async def prune_flood_guard(context: BotContext) -> None:
    """Forget readers whose flood-guard window has expired."""
    context.bot_data.services.guard.forget_idle()


async def deliver_late_answers(context: BotContext) -> None:
    """Start a round of the outbox when one is due (answers parked during an outage)."""
    outbox = context.bot_data.services.outbox
    limiter = context.bot.rate_limiter
    if outbox.due() and isinstance(limiter, RetryingLimiter):
        context.application.create_task(outbox.deliver(limiter.try_parked), name="late-answers")


def schedule_jobs(job_queue: JobQueue[BotContext], settings: Settings) -> None:
    """Register every periodic job (the reload job only when BOT_RELOAD_INTERVAL is above 0)."""
    if settings.reload_interval > 0:
        job_queue.run_repeating(
            reload_knowledge,
            interval=settings.reload_interval,
            first=settings.reload_interval,
            name="knowledge-reload",
        )
    job_queue.run_repeating(
        flush_log, interval=COUNTS_FLUSH_INTERVAL, first=COUNTS_FLUSH_INTERVAL, name="counts"
    )
    job_queue.run_repeating(
        check_polling, interval=WATCHDOG_INTERVAL, first=WATCHDOG_INTERVAL, name="watchdog"
    )
    job_queue.run_repeating(
        prune_flood_guard,
        interval=FLOOD_GUARD_PRUNE_INTERVAL,
        first=FLOOD_GUARD_PRUNE_INTERVAL,
        name="flood-guard",
    )
    tick = min(LATE_ANSWERS_INTERVAL, settings.outbox_retry_max)
    job_queue.run_repeating(deliver_late_answers, interval=tick, first=tick, name="late-answers")
