"""/review for admins: one suggestion at a time, with buttons that edit the knowledge file.

A thin layer over ``bot.maintenance.review_session.ReviewSession``, the same code the terminal's
``python -m bot review`` drives: "➕ <entry's first question>" (top 3) adds the reader's
question as a phrasing of that entry, "🚫 not in the article" records it in the regression
file, "Skip" moves on, "↩ Undo" takes the last edit back. After an edit the bot reloads the
knowledge at once, so the next reader asking that question gets the answer. When the guard rails
find something the message lists it with "💾 Save anyway" and "Skip".

Admins are the numeric ids of BOT_ADMIN_IDS; anyone else gets the unknown-command reply to
/review, and a review button pressed by anyone else (even with well-formed, forged data) is
answered "expired" and changes nothing. Each admin's session lives in PTB's ``user_data``; a
button carries the digest of the knowledge file it was drawn for, so a stale one is refused.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass

from telegram import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.constants import ParseMode
from telegram.ext import CallbackQueryHandler, CommandHandler, filters

from bot.core.replies import escape
from bot.maintenance.knowledge_edit import EditRefused, PhrasingPlan
from bot.maintenance.regressions import decided_questions
from bot.maintenance.review import suggestions
from bot.maintenance.review_session import ReviewSession
from bot.telegram_bot.admin import Handler, admin_only, clip
from bot.telegram_bot.buttons import EXPIRED
from bot.telegram_bot.callbacks import ReviewAction, ReviewButton
from bot.telegram_bot.handlers import send_reply
from bot.telegram_bot.state import BotApplication, BotContext

log = logging.getLogger(__name__)
SESSION_KEY = "review"
LABEL_CHARS = 48
NOTHING_TO_REVIEW = "Nothing to review: no unanswered or 👎'd questions in the log."


@dataclass
class TelegramReview:
    """An admin's review: the shared session and a plan waiting for "save anyway"."""

    session: ReviewSession
    pending: PhrasingPlan | None = None


def _label(text: str) -> str:
    return text if len(text) <= LABEL_CHARS else text[: LABEL_CHARS - 1] + "…"


def _button(text: str, action: ReviewAction, digest: str, option: int = 0) -> InlineKeyboardButton:
    return InlineKeyboardButton(text, callback_data=ReviewButton(action, option, digest).pack())


def render(review: TelegramReview, note: str = "") -> tuple[str, InlineKeyboardMarkup | None]:
    """Return the message (HTML) and buttons for the suggestion shown now."""
    session = review.session
    digest = session.expected_digest
    lines = [escape(note)] if note else []
    undo_row = [_button("↩ Undo", "undo", digest)] if session.done else []
    if review.pending is not None:
        lines += ["<b>Before saving, note:</b>"]
        lines += [f"⚠ {escape(w)}" for w in review.pending.warnings]
        rows = [[_button("💾 Save anyway", "save", digest), _button("Skip", "skip", digest)]]
        return clip("\n".join(lines)), InlineKeyboardMarkup(rows)
    suggestion = session.current
    if suggestion is None:
        lines.append(f"Review finished: {len(session.done)} edit(s) kept.")
        return "\n".join(lines), InlineKeyboardMarkup([undo_row]) if undo_row else None
    number, total = session.position + 1, len(session.suggestions)
    lines.append(f"<b>Review {number}/{total}</b>: {escape(suggestion.headline())}")
    lines.append(f"“{escape(suggestion.question)}”")
    lines += [f"also: “{escape(v)}”" for v in suggestion.variants if v != suggestion.question]
    rows = [
        [_button(f"➕ {_label(option.question)}", "add", digest, index)]
        for index, option in enumerate(suggestion.options[:3])
    ]
    rows.append([_button("🚫 not in the article", "out", digest), _button("Skip", "skip", digest)])
    if undo_row:
        rows.append(undo_row)
    return clip("\n".join(lines)), InlineKeyboardMarkup(rows)


@admin_only
async def review_command(update: Update, context: BotContext) -> None:
    """Start reviewing the log's suggestions, one at a time (admins only)."""
    message, user = update.effective_message, update.effective_user
    if message is None or user is None or context.user_data is None:
        return
    services = context.bot_data.services
    await services.flush_counts()
    knowledge = services.live.current
    settings = services.settings
    decided = await asyncio.to_thread(decided_questions, settings.regressions_file)
    found = await asyncio.to_thread(suggestions, services.store, knowledge, decided=decided)
    if not found:
        await send_reply(message, escape(NOTHING_TO_REVIEW), None, quote=False)
        return
    session = ReviewSession(
        services.live.path,
        settings.regressions_file,
        knowledge,
        found,
        services.store,
        services.live.thresholds,
        user.id,
    )
    review = TelegramReview(session)
    context.user_data[SESSION_KEY] = review
    text, markup = render(review)
    await send_reply(message, text, markup, quote=False)


async def _pressed(
    update: Update, context: BotContext
) -> tuple[CallbackQuery, ReviewButton, TelegramReview] | None:
    """Return the press when an admin pressed a current button of their review; else refuse."""
    query, user = update.callback_query, update.effective_user
    button = ReviewButton.unpack(query.data) if query is not None else None
    services = context.bot_data.services
    if query is None or button is None or user is None or not services.is_admin(user.id):
        if query is not None:
            await query.answer(EXPIRED)
        return None
    review = (context.user_data or {}).get(SESSION_KEY)
    if not isinstance(review, TelegramReview) or button.digest != review.session.expected_digest:
        await query.answer(EXPIRED)
        return None
    return query, button, review


async def _show(query: CallbackQuery, review: TelegramReview, note: str = "") -> None:
    text, markup = render(review, note)
    await query.answer()
    await query.edit_message_text(text, parse_mode=ParseMode.HTML, reply_markup=markup)


async def _reload(context: BotContext) -> None:
    outcome = await asyncio.to_thread(context.bot_data.services.live.reload)
    log.info("after a review edit: %s", outcome.summary())


async def _edit(
    update: Update, context: BotContext, step: Callable[[TelegramReview, ReviewButton], str]
) -> None:
    """Run one edit of the session in a thread, reload the knowledge, show what comes next."""
    pressed = await _pressed(update, context)
    if pressed is None:
        return
    query, button, review = pressed
    try:
        note = await asyncio.to_thread(step, review, button)
    except EditRefused as exc:
        note = f"✘ {exc}"
    await _reload(context)
    await _show(query, review, note)


def _add(review: TelegramReview, button: ReviewButton) -> str:
    plan = review.session.plan_add(button.option)
    if plan.warnings:
        review.pending = plan
        return ""
    return "✔ " + review.session.save(plan)


def _save_anyway(review: TelegramReview, button: ReviewButton) -> str:
    plan, review.pending = review.pending, None
    if plan is None:
        raise EditRefused("nothing is waiting to be saved")
    return "✔ " + review.session.save(plan)


def _out(review: TelegramReview, button: ReviewButton) -> str:
    return "✔ " + review.session.out_of_scope()


def _skip(review: TelegramReview, button: ReviewButton) -> str:
    if review.pending is not None:
        review.pending = None
    review.session.skip()
    return ""


def _undo(review: TelegramReview, button: ReviewButton) -> str:
    review.pending = None
    return "↩ " + review.session.undo()


async def review_add_pressed(update: Update, context: BotContext) -> None:
    """➕: add the question as a phrasing of the chosen entry (or list the warnings first)."""
    await _edit(update, context, _add)


async def review_save_pressed(update: Update, context: BotContext) -> None:
    """💾 Save anyway: write the addition the guard rails warned about."""
    await _edit(update, context, _save_anyway)


async def review_out_pressed(update: Update, context: BotContext) -> None:
    """🚫: record the question as not answered by the article."""
    await _edit(update, context, _out)


async def review_skip_pressed(update: Update, context: BotContext) -> None:
    """Skip: leave the suggestion and show the next."""
    await _edit(update, context, _skip)


async def review_undo_pressed(update: Update, context: BotContext) -> None:
    """↩ Undo: take the last edit of this review back."""
    await _edit(update, context, _undo)


def add_review_handlers(application: BotApplication) -> None:
    """Register /review and one handler per review button kind (before the catch-all)."""
    add = application.add_handler
    private = filters.ChatType.PRIVATE
    add(CommandHandler("review", review_command, filters=filters.UpdateType.MESSAGE & private))
    handlers: dict[ReviewAction, Handler] = {
        "add": review_add_pressed,
        "save": review_save_pressed,
        "out": review_out_pressed,
        "skip": review_skip_pressed,
        "undo": review_undo_pressed,
    }
    for action, handler in handlers.items():
        add(CallbackQueryHandler(handler, pattern=ReviewButton.kind(action)))
