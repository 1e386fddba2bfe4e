"""End to end: the flood guard covers every handler that sends or writes, per sender.

Commands, hints, unknown commands, button presses and votes count against the same budget as
questions; anonymous admins and channel posters are counted per ``sender_chat`` (Telegram gives
them all one user id); the guard's table is pruned by a job and bounded.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from telegram.ext import Application

from bot.telegram_bot.flood import SLOW_DOWN
from bot.telegram_bot.guard import FloodGuard
from tests.support.bot_runner import bot_running
from tests.support.fake_bot_api import FakeBotAPI, make_chat

LIMIT = 3
FLOOD = 12
GROUP = -1001
CHANNEL_BOT = 136817688  # the user id Telegram puts in "from" of every message sent as a channel
ANONYMOUS_ADMIN = 1087968824  # GroupAnonymousBot: "from" of every anonymous admin's message


@pytest.fixture
async def guarded_bot(
    fake_api: FakeBotAPI, tmp_path: Path, knowledge_copy: Path
) -> AsyncIterator[Application]:
    """The real application with a flood limit of LIMIT requests a minute."""
    async with bot_running(fake_api, tmp_path, knowledge_copy, flood_limit=LIMIT) as application:
        yield application


async def settle(fake: FakeBotAPI) -> None:
    """Wait until the bot has made no new call for half a second."""
    count = -1
    while count != len(fake.calls):
        count = len(fake.calls)
        await asyncio.sleep(0.5)


def sends_to(fake: FakeBotAPI, chat_id: int) -> list[str]:
    return [
        c.params["text"] for c in fake.calls_to("sendMessage") if c.params["chat_id"] == chat_id
    ]


MESSAGES: dict[str, dict[str, Any]] = {
    "/help in a group": {"text": "/help", "chat_type": "group"},
    "/start": {"text": "/start"},
    "/topics": {"text": "/topics"},
    "/source": {"text": "/source"},
    "/ask without a question": {"text": "/ask"},
    "unknown command": {"text": "/nosuchcommand"},
    "a photo's hint": {
        "text": None,
        "extra": {"photo": [{"file_id": "p", "file_unique_id": "u", "width": 1, "height": 1}]},
    },
    "questions": {"text": "how long has the war lasted"},
}


@pytest.mark.parametrize("kind", sorted(MESSAGES))
async def test_every_kind_of_message_is_flood_guarded(
    guarded_bot: Application, fake_api: FakeBotAPI, kind: str
) -> None:
    """FLOOD identical requests from one user: LIMIT replies, one "slow down", then silence."""
    fields = dict(MESSAGES[kind])
    chat_type = fields.pop("chat_type", "private")
    chat_id = GROUP if chat_type == "group" else 81
    for _ in range(FLOOD):
        fake_api.push_message(chat_id=chat_id, user_id=81, chat_type=chat_type, **fields)
    await settle(fake_api)
    texts = sends_to(fake_api, chat_id)
    assert texts.count(SLOW_DOWN) == 1, texts
    assert len(texts) == LIMIT + 1, texts


async def group_answer(fake: FakeBotAPI) -> dict[str, Any]:
    """A group answer with its buttons, asked by user 90."""
    fake.push_message(
        "/ask how long has the war lasted", chat_id=GROUP, user_id=90, chat_type="group"
    )
    await fake.await_for("sendMessage", predicate=lambda c: c.params["chat_id"] == GROUP)
    return fake.messages_in_chat(GROUP)[-1]


def button_data(message: dict[str, Any], prefix: str) -> str:
    rows = message["reply_markup"]["inline_keyboard"]
    return next(
        b["callback_data"] for row in rows for b in row if b["callback_data"].startswith(prefix)
    )


async def test_pressing_a_related_button_30_times_posts_at_most_the_limit(
    guarded_bot: Application, fake_api: FakeBotAPI
) -> None:
    """30 presses of one "related" button in a group: LIMIT answers posted, not 30."""
    message = await group_answer(fake_api)
    data = button_data(message, "a:r:")
    for _ in range(30):
        fake_api.push_callback_query(data, message=message, user_id=91)
    await settle(fake_api)
    assert len(sends_to(fake_api, GROUP)) == 1 + LIMIT
    notices = [
        c for c in fake_api.calls_to("answerCallbackQuery") if c.params.get("text") == SLOW_DOWN
    ]
    assert len(notices) == 1
    assert len(fake_api.calls_to("answerCallbackQuery")) == LIMIT + 1


async def test_votes_are_flood_guarded(guarded_bot: Application, fake_api: FakeBotAPI) -> None:
    """Votes on many answers: past the limit they are neither answered nor stored."""
    answers = []
    for n in range(LIMIT + 3):
        fake_api.push_message("how long has the war lasted", chat_id=100 + n, user_id=100 + n)
        await fake_api.await_for(
            "sendMessage", predicate=lambda c, n=n: c.params["chat_id"] == 100 + n
        )
        answers.append(fake_api.messages_in_chat(100 + n)[-1])
    for message in answers:
        fake_api.push_callback_query("u:war-duration", message=message, user_id=92)
    await settle(fake_api)
    from bot.maintenance.reports import feedback_rows

    await guarded_bot.bot_data.services.flush_counts()  # the log job's work, done now
    stored = feedback_rows(guarded_bot.bot_data.services.store)
    assert stored == [{"entry": "war-duration", "up": LIMIT, "down": 0}]


async def test_channel_posters_are_counted_per_channel(
    guarded_bot: Application, fake_api: FakeBotAPI
) -> None:
    """One channel flooding a group does not silence another channel posting there."""
    loud, quiet = make_chat(-2001, "channel"), make_chat(-2002, "channel")
    for _ in range(FLOOD):
        fake_api.push_message(
            "/ask how long has the war lasted",
            chat_id=GROUP,
            chat_type="group",
            user_id=CHANNEL_BOT,
            extra={"sender_chat": loud},
        )
    await settle(fake_api)
    fake_api.push_message(
        "/ask when was Crimea annexed",
        chat_id=GROUP,
        chat_type="group",
        user_id=CHANNEL_BOT,
        extra={"sender_chat": quiet},
    )
    await settle(fake_api)
    texts = sends_to(fake_api, GROUP)
    assert texts.count(SLOW_DOWN) == 1
    assert len(texts) == LIMIT + 2, texts  # the loud channel's LIMIT, its notice, the quiet one
    assert "2014" in texts[-1]


async def test_anonymous_admins_are_counted_per_group(
    guarded_bot: Application, fake_api: FakeBotAPI
) -> None:
    """Anonymous admins flooding one group do not silence anonymous admins of another."""
    for group in (-3001, -3002):
        chat = make_chat(group, "supergroup")
        count = FLOOD if group == -3001 else 1
        for _ in range(count):
            fake_api.push_message(
                "/ask how long has the war lasted",
                chat_id=group,
                chat_type="supergroup",
                user_id=ANONYMOUS_ADMIN,
                extra={"sender_chat": chat},
            )
        await settle(fake_api)
    assert len(sends_to(fake_api, -3001)) == LIMIT + 1
    assert len(sends_to(fake_api, -3002)) == 1


async def test_the_guard_is_pruned_by_a_job(guarded_bot: Application) -> None:
    """A repeating job forgets idle senders, whether or not any error happens."""
    (job,) = guarded_bot.job_queue.get_jobs_by_name("flood-guard")
    assert job.callback.__name__ == "prune_flood_guard"


def test_the_guard_table_is_bounded() -> None:
    """A million senders in one window: the table never holds more than max_senders."""
    now = [0.0]
    guard = FloodGuard(limit=2, window=60, clock=lambda: now[0], max_senders=1000)
    for sender in range(100_000):
        assert guard.check(sender) == "allow"
        assert len(guard) <= 1000
    now[0] = 61.0  # a window later every sender is idle: one new one makes room for all
    guard.check(-1)
    assert len(guard) == 1
