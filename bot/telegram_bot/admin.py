"""Admin commands and the hot-reload job: /reload, /stats, /unanswered.

Admins are the numeric user ids in BOT_ADMIN_IDS. Anyone else gets exactly the reply an unknown
command gets, so the commands reveal nothing. The reload job checks the knowledge file every
BOT_RELOAD_INTERVAL seconds; a rejected edit is logged and sent to every admin.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import time
from collections.abc import Awaitable, Callable

from telegram import Update
from telegram.constants import ParseMode
from telegram.error import TelegramError
from telegram.ext import ContextTypes

from bot.core.replies import escape
from bot.knowledge.live import ReloadOutcome
from bot.maintenance.reports import unanswered_groups
from bot.telegram_bot.handlers import send_reply, unknown_command
from bot.telegram_bot.services import Services, services_of

log = logging.getLogger(__name__)
MAX_MESSAGE = 4000


def _clip(text: str) -> str:
    return text if len(text) <= MAX_MESSAGE else text[: MAX_MESSAGE - 1] + "…"


async def notify_admins(context: ContextTypes.DEFAULT_TYPE, services: Services, text: str) -> None:
    """Send ``text`` to every admin's private chat; failures are logged, never raised."""
    for admin_id in sorted(services.settings.admin_ids):
        try:
            await context.bot.send_message(admin_id, _clip(text))
        except TelegramError as exc:
            log.warning("could not notify admin %s: %s", admin_id, exc)


async def check_knowledge_file(context: ContextTypes.DEFAULT_TYPE) -> None:
    """Reload the knowledge file when it changed; tell admins when an edit is rejected."""
    services = services_of(context)
    if not services.live.changed():
        return
    outcome: ReloadOutcome = await asyncio.to_thread(services.live.reload)
    if outcome.status == "rejected":
        await notify_admins(context, services, outcome.summary())


Handler = Callable[[Update, ContextTypes.DEFAULT_TYPE], Awaitable[None]]


def admin_only(handler: Handler) -> Handler:
    """Let only BOT_ADMIN_IDS through; anyone else gets the unknown-command reply."""

    @functools.wraps(handler)
    async def guarded(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        user = update.effective_user
        if not services_of(context).is_admin(user.id if user else None):
            await unknown_command(update, context)
            return
        await handler(update, context)

    return guarded


@admin_only
async def reload_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Reload the knowledge file now and report the outcome (admins only)."""
    services = services_of(context)
    outcome = await asyncio.to_thread(services.live.reload, True)
    await send_reply(update.effective_message, escape(_clip(outcome.summary())), None, quote=False)


@admin_only
async def stats_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Show answer/suggest/decline counts since start and in total (admins only)."""
    services = services_of(context)
    knowledge = services.live.current
    await services.flush_counts()
    totals = await asyncio.to_thread(services.store.totals)
    top = await asyncio.to_thread(services.store.top_entries, 5)
    uptime = int(time.time() - services.started_at)
    kinds = ("answer", "suggest", "decline")
    since = ", ".join(f"{k}: {services.outcomes.get(k, 0)}" for k in kinds)
    total = ", ".join(f"{k}: {totals.get(k, 0)}" for k in kinds)
    lines = [
        f"<b>Since start</b> ({uptime // 3600}h {uptime % 3600 // 60}m): {since}",
        f"<b>In total</b>: {total}",
        "<b>Top entries</b>: " + (", ".join(f"{escape(e)} ({n})" for e, n in top) or "none yet"),
        f"<b>Knowledge</b>: version {escape(knowledge.version)}, {len(knowledge.entries)} entries",
    ]
    if not services.store.healthy:
        lines.append("⚠️ The maintainers' log could not be written; see the bot's log.")
    await update.effective_message.reply_text("\n".join(lines), parse_mode=ParseMode.HTML)


@admin_only
async def unanswered_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Show the most-asked unanswered questions (admins only)."""
    services = services_of(context)
    knowledge = services.live.current
    await services.flush_counts()
    groups = await asyncio.to_thread(unanswered_groups, services.store, knowledge, 0.0, 10)
    if not groups:
        text = "No unanswered questions logged yet."
    else:
        text = "Most asked unanswered questions:\n" + "\n".join(
            f"{g.count}× {g.example} → nearest: {g.nearest_entry or '-'}" for g in groups
        )
    await send_reply(update.effective_message, escape(_clip(text)), None, quote=False)
