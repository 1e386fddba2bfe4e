"""Inline mode: ``@bot question`` in any chat offers answers to post there.

Up to five results, best first, each posting the answer with its quoted sentence. An empty
query lists popular topics; a question the article does not answer gives one "the article
doesn't say" result ("I don't give opinions or predictions" for a request for either). Result
ids are entry ids (unique, at most 40 bytes). Inline queries count against the flood guard
(``flood.py``); one over budget gets no answer.
"""

from __future__ import annotations

from telegram import (
    InlineQueryResultArticle,
    InlineQueryResultsButton,
    InputTextMessageContent,
    Update,
)
from telegram.constants import ParseMode

from bot.core.replies import answer_reply, decline_reply, display_question, example_entries
from bot.telegram_bot.flood import admitted
from bot.telegram_bot.state import BotContext

MAX_RESULTS = 5
MAX_QUERY = 256
DECLINE_TITLE = "The article doesn't say"


async def inline_query(update: Update, context: BotContext) -> None:
    """Answer an inline query with up to five ready-to-post answers."""
    query = update.inline_query
    if query is None or not await admitted(update, context.bot_data.services.guard):
        return
    knowledge = context.bot_data.services.live.current
    text = (query.query or "")[:MAX_QUERY].strip()
    if not text:
        entries = example_entries(knowledge, None, MAX_RESULTS)
    else:
        match = knowledge.matcher.match(text)
        limit = knowledge.matcher.thresholds.suggest
        entries = [c.entry for c in match.candidates if c.score >= limit][:MAX_RESULTS]
        if match.kind in ("decline", "empty") or not entries:
            reply = decline_reply(knowledge, match)
            title = "I don't give opinions or predictions" if match.opinion else DECLINE_TITLE
            result = InlineQueryResultArticle(
                id="not-in-article",
                title=title,
                description="Tap to post what the article can answer instead",
                input_message_content=InputTextMessageContent(
                    reply.html, parse_mode=ParseMode.HTML
                ),
            )
            await query.answer([result], cache_time=30, button=_private_button())
            return
    results = []
    for entry in entries:
        reply = answer_reply(knowledge, entry)
        results.append(
            InlineQueryResultArticle(
                id=entry.id,
                title=display_question(entry),
                description=entry.answer[:120],
                input_message_content=InputTextMessageContent(
                    reply.html, parse_mode=ParseMode.HTML
                ),
            )
        )
    await query.answer(results, cache_time=30, button=_private_button())


def _private_button() -> InlineQueryResultsButton:
    return InlineQueryResultsButton(text="Ask me in a private chat", start_parameter="inline")
