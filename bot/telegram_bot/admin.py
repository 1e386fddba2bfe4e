"""Admin commands: /reload, /stats, /unanswered.

Admins are the numeric user ids in BOT_ADMIN_IDS. Anyone else gets exactly the reply an unknown
command gets, so the commands reveal nothing. Admins pass the flood guard like everyone. (The
periodic reload of the knowledge file, which sends a rejected edit's errors to every admin, is
a job: see ``jobs.py``.)
"""

from __future__ import annotations

import asyncio
import functools
import time
from collections.abc import Callable, Coroutine
from typing import Any

from telegram import Update
from telegram.constants import ParseMode

from bot.core.replies import escape
from bot.maintenance.reports import printable, unanswered_groups
from bot.telegram_bot.flood import admitted
from bot.telegram_bot.handlers import send_reply, unknown_command
from bot.telegram_bot.state import BotContext

MAX_MESSAGE = 4000


def clip(text: str) -> str:
    """Cut ``text`` to fit one Telegram message, marking the cut with "…"."""
    return text if len(text) <= MAX_MESSAGE else text[: MAX_MESSAGE - 1] + "…"


Handler = Callable[[Update, BotContext], Coroutine[Any, Any, None]]


def admin_only(handler: Handler) -> Handler:
    """Let only BOT_ADMIN_IDS through; anyone else gets the unknown-command reply."""

    @functools.wraps(handler)
    async def guarded(update: Update, context: BotContext) -> None:
        user = update.effective_user
        services = context.bot_data.services
        if not services.is_admin(user.id if user else None):
            await unknown_command(update, context)
        elif await admitted(update, services.guard):
            await handler(update, context)

    return guarded


@admin_only
async def reload_command(update: Update, context: BotContext) -> None:
    """Reload the knowledge file now and report the outcome (admins only)."""
    message = update.effective_message
    if message is None:
        return
    outcome = await asyncio.to_thread(context.bot_data.services.live.reload, True)
    await send_reply(message, escape(clip(outcome.summary())), None, quote=False)


@admin_only
async def stats_command(update: Update, context: BotContext) -> None:
    """Show answer/suggest/decline counts since start and in total (admins only)."""
    message = update.effective_message
    if message is None:
        return
    services = context.bot_data.services
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
    outbox = services.outbox
    lines.append(
        f"<b>Late answers</b>: {outbox.pending} waiting for Telegram, {outbox.delivered} "
        f"delivered late, {outbox.dropped} dropped"
    )
    if not services.store.healthy:
        lines.append("⚠️ The maintainers' log could not be written; see the bot's log.")
    await message.reply_text("\n".join(lines), parse_mode=ParseMode.HTML)


@admin_only
async def unanswered_command(update: Update, context: BotContext) -> None:
    """Show the most-asked unanswered questions (admins only)."""
    message = update.effective_message
    if message is None:
        return
    services = context.bot_data.services
    knowledge = services.live.current
    await services.flush_counts()
    groups = await asyncio.to_thread(unanswered_groups, services.store, knowledge, 0.0, 10)
    if not groups:
        text = "No unanswered questions logged yet."
    else:
        text = "Most asked unanswered questions:\n" + "\n".join(
            f"{g.count}× {printable(g.example)} → nearest: {printable(g.nearest_entry or '-')}"
            for g in groups
        )
    await send_reply(message, escape(clip(text)), None, quote=False)
