"""End to end: the maintainers' log loses nothing when locked, and notices a replaced file.

A flush that cannot write (another process holding the database lock longer than SQLite's busy
timeout) keeps its rows for the next flush; a vote is answered at once however long the
database stays locked; a log file deleted while the bot runs is recreated, not written to
unlinked.
"""

from __future__ import annotations

import asyncio
import sqlite3
import time
from pathlib import Path
from typing import Any

import pytest
from telegram.ext import Application

from bot.maintenance.reports import feedback_rows
from bot.maintenance.store import Store
from tests.support.fake_bot_api import FakeBotAPI

DECLINED = ["Is Finland a NATO member?", "is finland in nato", "who won the 1966 world cup"]


async def ask(fake: FakeBotAPI, chat_id: int, text: str) -> dict:
    fake.push_message(text, chat_id=chat_id, user_id=chat_id)
    await fake.await_for("sendMessage", predicate=lambda c: c.params["chat_id"] == chat_id)
    return fake.messages_in_chat(chat_id)[-1]


async def test_a_locked_log_keeps_rows_for_the_next_flush_and_votes_stay_fast(
    running_bot: Application, fake_api: FakeBotAPI
) -> None:
    """Questions and a vote while another process holds the lock: nothing lost, vote prompt."""
    services = running_bot.bot_data.services
    answer = await ask(fake_api, 141, "how long has the war lasted")
    await services.flush_counts()  # the log exists, with its schema
    other = sqlite3.connect(services.settings.db_path, timeout=0.1)
    other.execute("BEGIN EXCLUSIVE")
    try:
        for n, text in enumerate(DECLINED):
            await ask(fake_api, 142 + n, text)
        pressed = time.monotonic()
        fake_api.push_callback_query("d:war-duration", message=answer, user_id=141)
        await fake_api.await_for("answerCallbackQuery", timeout=5)
        vote_took = time.monotonic() - pressed
        await services.flush_counts()  # fails: the database is locked
        assert not services.store.healthy
    finally:
        other.rollback()
        other.close()
    await services.flush_counts()
    assert services.store.healthy
    asked = [row[0] for row in services.store.rows("SELECT text FROM questions")]
    assert sorted(asked) == sorted(DECLINED)
    assert feedback_rows(services.store) == [{"entry": "war-duration", "up": 0, "down": 1}]
    assert vote_took < 1.0, f"the vote was answered {vote_took:.1f} s after the press"


async def _until_queued(services: Any, timeout: float = 5.0) -> None:
    """Wait until a handler has queued its question for the maintainers' log."""
    deadline = time.monotonic() + timeout
    while not services.pending_questions:
        assert time.monotonic() < deadline, "the question was never queued for the log"
        await asyncio.sleep(0.01)


async def test_a_deleted_log_file_is_recreated(
    running_bot: Application, fake_api: FakeBotAPI
) -> None:
    """The log file deleted under the bot: the next flush writes a new file at BOT_DB_PATH."""
    services = running_bot.bot_data.services
    await ask(fake_api, 151, DECLINED[0])
    await _until_queued(services)  # the handler queues its log row just after the reply
    await services.flush_counts()
    path = Path(services.settings.db_path)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    await ask(fake_api, 152, DECLINED[1])
    await _until_queued(services)
    await services.flush_counts()
    assert path.exists()
    fresh = Store(path)
    try:
        asked = [row[0] for row in fresh.rows("SELECT text FROM questions")]
    finally:
        fresh.close()
    assert asked == [DECLINED[1]]


async def test_a_flush_waits_for_the_one_under_way(
    running_bot: Application, fake_api: FakeBotAPI, monkeypatch: pytest.MonkeyPatch
) -> None:
    """/stats and /unanswered at once: the second flush waits, then reads what the first wrote."""
    services = running_bot.bot_data.services
    await ask(fake_api, 161, DECLINED[0])
    slow_write = services.store.record_batch

    def record_batch_slowly(*args: object) -> bool:
        if args[1]:  # the questions: the first flush writes slowly, an empty one is quick
            time.sleep(0.3)
        return slow_write(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(services.store, "record_batch", record_batch_slowly)

    async def flush_then_read() -> list[str]:
        await asyncio.sleep(0.05)  # the first flush is writing by now
        await services.flush_counts()
        return [row[0] for row in services.store.rows("SELECT text FROM questions")]

    _, seen = await asyncio.gather(services.flush_counts(), flush_then_read())
    assert seen == [DECLINED[0]]
