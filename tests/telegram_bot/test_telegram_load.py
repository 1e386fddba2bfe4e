"""End to end under load: bursts of questions, Telegram's rate limits, and the flood guard.

A burst of 1,000 questions from 200 readers must all be answered exactly once, each reader
getting the replies to their own questions, in bounded time. With ``rate_limit=True`` the bot
runs PTB's ``AIORateLimiter`` with its defaults (telegram/ext/_aioratelimiter.py: at most
``FloodLimit.MESSAGES_PER_SECOND`` = 30 requests per second overall and
``FloodLimit.MESSAGES_PER_MINUTE_PER_GROUP`` = 20 per minute in each group or channel; it has no
per-private-chat limit), and the send times the fake records must respect Telegram's limits in
any window, not just on average. The flood guard (``flood_limit`` questions per
``flood_window``) answers a too-eager reader with one notice, then silence.
"""

from __future__ import annotations

import asyncio
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

from telegram.constants import FloodLimit

from bot.core.replies import reply_to
from bot.telegram_bot.delivery import RetryingLimiter
from bot.telegram_bot.handlers import SLOW_DOWN
from tests.support.bot_runner import bot_running
from tests.support.fake_bot_api import Call, FakeBotAPI

IN_SCOPE = [
    "When was Crimea annexed?",
    "how long has the war lasted",
    "What is this article about?",
    "who is zelensky",
    "what does russia want",
    "would zelensky accept a ceasefire for nato membership",
]
OUT_OF_SCOPE = [
    "Is Finland a NATO member?",
    "what's the weather like in Paris tomorrow",
    "best recipe for pancakes",
    "who won the world cup in 1998",
]
QUESTIONS = [*IN_SCOPE, *OUT_OF_SCOPE]


def questions_of(user: int, count: int) -> list[str]:
    """A deterministic mix of in-scope and out-of-scope questions for one reader."""
    return [QUESTIONS[(user * 3 + i) % len(QUESTIONS)] for i in range(count)]


def sends_by_chat(calls: list[Call]) -> dict[int, list[Call]]:
    by_chat: dict[int, list[Call]] = defaultdict(list)
    for call in calls:
        by_chat[call.params["chat_id"]].append(call)
    return by_chat


def max_in_window(times: list[float], window: float) -> int:
    """The largest number of events in any half-open window [t, t + window)."""
    times = sorted(times)
    best = start = 0
    for end, moment in enumerate(times):
        while moment - times[start] >= window:
            start += 1
        best = max(best, end - start + 1)
    return best


def test_max_in_window_counts_sliding_windows() -> None:
    """The window helper counts events in the busiest window, wherever it starts."""
    assert max_in_window([], 1.0) == 0
    assert max_in_window([0.0, 0.5, 0.99, 1.0, 1.2], 1.0) == 4
    assert max_in_window([0.0, 1.0, 2.0, 3.0], 1.0) == 1
    assert max_in_window([5.0, 0.1, 0.2, 5.5], 1.0) == 2


async def test_burst_of_1000_questions_from_200_readers(
    fake_api: FakeBotAPI, tmp_path: Path, knowledge_copy: Path
) -> None:
    """1,000 questions (5 each from 200 readers in their private chats, in- and out-of-scope)
    pushed at once, rate limiter off: each reader gets exactly the 5 replies to their own
    questions, nothing is sent twice, and it all takes less than 60 s."""
    users = range(200_001, 200_201)
    asked = {user: questions_of(user, 5) for user in users}
    async with bot_running(
        fake_api, tmp_path, knowledge_copy, rate_limit=False, flood_limit=1000
    ) as application:
        knowledge = application.bot_data.services.live.current
        replies = {q: reply_to(knowledge, q) for q in QUESTIONS}
        kinds = Counter(replies[q].kind for qs in asked.values() for q in qs)
        assert kinds["answer"] >= 400 and kinds["decline"] >= 200, kinds
        started = time.monotonic()
        for round_ in range(5):
            for user in users:
                fake_api.push_message(asked[user][round_], chat_id=user, user_id=user)
        await fake_api.await_for("sendMessage", count=1000, timeout=60)
        elapsed = time.monotonic() - started
        await asyncio.sleep(1.0)
    print(f"\n1,000 questions answered in {elapsed:.2f} s ({1000 / elapsed:.0f} answers/s)")
    sends = fake_api.calls_to("sendMessage")
    assert len(sends) == 1000
    assert all(c.ok for c in sends), next(c.response for c in sends if not c.ok)
    by_chat = sends_by_chat(sends)
    assert set(by_chat) == set(users)
    for user in users:
        got = Counter(c.params["text"] for c in by_chat[user])
        assert got == Counter(replies[q].html for q in asked[user]), f"reader {user}"
    assert len(fake_api.sent_messages) == 1000
    assert elapsed < 60


async def test_rate_limited_burst_stays_within_telegram_limits(
    fake_api: FakeBotAPI, tmp_path: Path, knowledge_copy: Path
) -> None:
    """rate_limit=True: a burst of 60 private questions (3 readers, 20 each, 3 chats) and two
    /ask in a group are all answered exactly once, with at most 30 sendMessage calls in any
    1-second window overall and at most 20 in any minute in the group."""
    users = [300_001, 300_002, 300_003]
    group = -400_001
    async with bot_running(fake_api, tmp_path, knowledge_copy, rate_limit=True, flood_limit=1000):
        started = time.monotonic()
        for round_ in range(20):
            for user in users:
                fake_api.push_message(questions_of(user, 20)[round_], chat_id=user, user_id=user)
        for user in users[:2]:
            fake_api.push_message(
                "/ask " + IN_SCOPE[1], chat_id=group, user_id=user, chat_type="group"
            )
        await fake_api.await_for("sendMessage", count=62, timeout=25)
        elapsed = time.monotonic() - started
        await asyncio.sleep(1.0)
    sends = fake_api.calls_to("sendMessage")
    busiest_second = max_in_window([c.time for c in sends], 1.0)
    print(
        f"\n62 rate-limited answers in {elapsed:.2f} s; "
        f"busiest 1-second window: {busiest_second} sendMessage calls"
    )
    assert len(sends) == 62 and all(c.ok for c in sends)
    by_chat = sends_by_chat(sends)
    assert {chat: len(calls) for chat, calls in by_chat.items()} == {
        **dict.fromkeys(users, 20),
        group: 2,
    }
    assert all("1,000 days" in c.params["text"] for c in by_chat[group])
    assert all(c.params["reply_parameters"]["message_id"] for c in by_chat[group])
    group_minute = max_in_window([c.time for c in by_chat[group]], 60.0)
    assert group_minute <= FloodLimit.MESSAGES_PER_MINUTE_PER_GROUP
    assert busiest_second <= FloodLimit.MESSAGES_PER_SECOND, (
        f"{busiest_second} messages within one second"
    )


async def test_rate_limiter_keeps_a_group_within_20_messages_a_minute() -> None:
    """The bot's limiter (rate_limit=True) lets at most 20 sendMessage calls to one group
    through in any minute: of 22 queued at once, a first burst goes out at once and the rest
    is spread out (burst 4, then 16 a minute), never more than 20 in 60 s.

    (A limiter that obeys the limit needs more than a minute for all 22, so this runs the
    bot's RetryingLimiter directly with a recording callback and cancels what is left.)
    """
    limiter = RetryingLimiter(rate_limit=True)
    await limiter.initialize()
    loop = asyncio.get_running_loop()
    sent: list[float] = []

    async def send(*args: Any, **kwargs: Any) -> dict[str, Any]:
        sent.append(loop.time())
        return {"message_id": len(sent)}

    async def one(i: int) -> Any:
        data = {"chat_id": -100_123, "text": f"answer {i}"}
        return await limiter.process_request(send, (), {}, "sendMessage", data, None)

    tasks = [asyncio.create_task(one(i)) for i in range(22)]
    await asyncio.wait(tasks, timeout=4.0)
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    await limiter.shutdown()
    assert len(sent) >= 4, "the limiter held back even the first burst"
    assert sent[3] - sent[0] < 0.5, "the first burst was not sent at once"
    assert max_in_window(sent, 60.0) <= FloodLimit.MESSAGES_PER_MINUTE_PER_GROUP, (
        f"{len(sent)} messages to one group within {sent[-1] - sent[0]:.1f} s"
    )


async def test_flood_guard_answers_ten_then_one_notice_then_silence(
    fake_api: FakeBotAPI, tmp_path: Path, knowledge_copy: Path
) -> None:
    """flood_limit=10: 12 quick questions from one reader get 10 answers and exactly one
    "slow down" notice; a 13th question in the same window gets nothing, while another
    reader is still answered."""
    reader, other = 500_001, 500_002
    async with bot_running(fake_api, tmp_path, knowledge_copy, flood_limit=10, flood_window=60.0):
        for _ in range(12):
            fake_api.push_message(IN_SCOPE[1], chat_id=reader, user_id=reader)
        await fake_api.await_for("sendMessage", count=11, timeout=10)
        await asyncio.sleep(0.5)
        fake_api.push_message(IN_SCOPE[0], chat_id=reader, user_id=reader)
        fake_api.push_message(IN_SCOPE[0], chat_id=other, user_id=other)
        await fake_api.await_for("sendMessage", count=12, timeout=10)
        await asyncio.sleep(0.5)
    sends = fake_api.calls_to("sendMessage")
    assert len(sends) == 12 and all(c.ok for c in sends)
    to_reader = [c.params["text"] for c in sends if c.params["chat_id"] == reader]
    assert len(to_reader) == 11
    assert to_reader.count(SLOW_DOWN) == 1
    assert sum("1,000 days" in text for text in to_reader) == 10
    to_other = [c.params["text"] for c in sends if c.params["chat_id"] == other]
    assert len(to_other) == 1 and "2014" in to_other[0]
