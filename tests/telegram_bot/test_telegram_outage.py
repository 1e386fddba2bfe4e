"""End to end: an outage on sendMessage delays answers; it loses them only past the outbox's age.

Answers (``send*`` calls) are retried with back-off for BOT_ANSWER_RETRY_WINDOW (60 s); five
500s in a row (about 15 s of outage) used to exhaust five attempts and drop the answer. Past the
window an answer is parked in the outbox and delivered once Telegram answers again, marked as
late; only answers older than BOT_OUTBOX_MAX_AGE are dropped, counted in /stats and logged.

The long outages run on a shortened clock: a 1 s retry window stands for the 60 s one, so a
1.5 s outage of 500s and 502 pages stands for 90 s.
"""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path

import pytest

from bot.telegram_bot.outbox import LATE_PREFIX
from tests.support.bot_runner import ADMIN_ID, bot_running
from tests.support.fake_bot_api import FakeBotAPI

QUESTION = "how long has the war lasted"
ANSWER_SNIPPET = "1,000 days"
READERS = list(range(301, 307))
SCALE = 60.0  # seconds of real time per second of the test's clock
SCALED = {"answer_retry_window": 60 / SCALE, "outbox_retry_max": 0.25}
OUTAGE_FAULTS = {"500": 1.0, "502_html": 1.0}


def delivered_to(chat_id: int) -> object:
    return lambda c: c.ok and c.params.get("chat_id") == chat_id


async def ask_stats(fake_api: FakeBotAPI) -> str:
    """The admin's /stats text."""
    fake_api.push_message("/stats", chat_id=ADMIN_ID, user_id=ADMIN_ID)
    (call,) = await fake_api.await_for("sendMessage", predicate=delivered_to(ADMIN_ID))
    return str(call.params["text"])


async def test_a_15_second_run_of_500s_on_send_message_delays_but_delivers(
    fake_api: FakeBotAPI, tmp_path: Path, knowledge_copy: Path
) -> None:
    """A reader asks during five 500s in a row: answered, once."""
    async with bot_running(fake_api, tmp_path, knowledge_copy):
        fake_api.inject("sendMessage", "500", times=5)
        fake_api.push_message("how long has the war lasted", chat_id=131, user_id=131)
        delivered = await fake_api.await_for(
            "sendMessage", timeout=40, predicate=lambda c: c.ok and c.params["chat_id"] == 131
        )
        await asyncio.sleep(0.3)
    assert len(delivered) == 1
    assert len([c for c in fake_api.calls_to("sendMessage") if c.fault == "500"]) == 5


async def test_a_90_second_outage_delivers_every_answer_once_marked_late(
    fake_api: FakeBotAPI, tmp_path: Path, knowledge_copy: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """Six readers ask during a (scaled) 90 s outage: each gets the answer once afterwards,
    prefixed as late; /stats shows what waited; nothing is lost or repeated."""
    caplog.set_level(logging.INFO)
    async with bot_running(fake_api, tmp_path, knowledge_copy, **SCALED) as application:
        fake_api.inject_mix("sendMessage", OUTAGE_FAULTS, seed=1)
        for reader in READERS:
            fake_api.push_message(QUESTION, chat_id=reader, user_id=reader)
        outbox = application.bot_data.services.outbox
        await wait_until(lambda: outbox.pending == len(READERS), timeout=5)
        await asyncio.sleep(90 / SCALE - 1.0)  # the rest of the 90 s outage
        fake_api.clear_faults("sendMessage")
        for reader in READERS:
            await fake_api.await_for("sendMessage", timeout=5, predicate=delivered_to(reader))
        await asyncio.sleep(0.5)  # a second delivery would show by now
        stats = await ask_stats(fake_api)
    for reader in READERS:
        (message,) = fake_api.messages_in_chat(reader)
        assert message["text"].startswith(LATE_PREFIX.strip())
        assert ANSWER_SNIPPET in message["text"]
    assert "<b>Late answers</b>: 0 waiting for Telegram, 6 delivered late, 0 dropped" in stats
    lines = [r.getMessage() for r in caplog.records]
    assert any("an answer is kept for later" in line for line in lines)
    assert any(line.startswith("delivered") and "late answers" in line for line in lines)
    assert not any(str(reader) in line for line in lines for reader in READERS)


async def test_answers_older_than_the_outbox_age_are_dropped_and_counted(
    fake_api: FakeBotAPI, tmp_path: Path, knowledge_copy: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """An outage longer than BOT_OUTBOX_MAX_AGE: the answers are dropped, counted and logged;
    /stats says so, and the bot answers normally afterwards."""
    caplog.set_level(logging.WARNING)
    settings = {**SCALED, "outbox_max_age": 2.0}
    async with bot_running(fake_api, tmp_path, knowledge_copy, **settings) as application:
        fake_api.inject_mix("sendMessage", OUTAGE_FAULTS, seed=2)
        for reader in READERS[:3]:
            fake_api.push_message(QUESTION, chat_id=reader, user_id=reader)
        outbox = application.bot_data.services.outbox
        await wait_until(lambda: outbox.dropped == 3, timeout=6)
        fake_api.clear_faults("sendMessage")
        stats = await ask_stats(fake_api)
        fake_api.push_message(QUESTION, chat_id=READERS[3], user_id=READERS[3])
        await fake_api.await_for("sendMessage", predicate=delivered_to(READERS[3]))
    assert "<b>Late answers</b>: 0 waiting for Telegram, 0 delivered late, 3 dropped" in stats
    assert all(fake_api.messages_in_chat(reader) == [] for reader in READERS[:3])
    lines = [r.getMessage() for r in caplog.records]
    assert any("answers older than 2 s" in line for line in lines), lines
    assert not any(str(reader) in line for line in lines for reader in READERS)


async def wait_until(condition: object, timeout: float) -> None:
    """Poll ``condition()`` until it is true; fail after ``timeout`` seconds."""
    assert callable(condition)
    deadline = asyncio.get_running_loop().time() + timeout
    while not condition():
        assert asyncio.get_running_loop().time() < deadline, "timed out waiting"
        await asyncio.sleep(0.02)
