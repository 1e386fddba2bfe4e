"""End to end: hot reload, admin commands, the maintainers' log and feedback."""

from __future__ import annotations

import asyncio
import os
import sqlite3
import time
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from telegram.ext import Application

from bot.core.thresholds import thresholds_from
from bot.knowledge.live import LiveKnowledge
from bot.maintenance.reports import feedback_rows, unanswered_groups
from bot.telegram_bot.app import build_application
from tests.support.bot_runner import ADMIN_ID, bot_running, make_settings, start_bot, stop_bot
from tests.support.fake_bot_api import FakeBotAPI

RELOAD_INTERVAL = 0.3
NEW_ENTRY = """
  - id: reading-group-test
    questions:
      - what does the quasar memo say
      - quasar memo contents
      - contents of the quasar memo
      - what is in the quasar memo
      - quasar memo gist
      - quasar memo meaning
    answer: According to the article, the war has now lasted for more than 1,000 days.
    sentence: "The war has now continued for more than 1,000 days."
"""


@pytest.fixture
async def reloading_bot(
    fake_api: FakeBotAPI, tmp_path: Path, knowledge_copy: Path
) -> AsyncIterator[Application]:
    """The real application with the knowledge-file watcher running every 0.3 s."""
    async with bot_running(
        fake_api, tmp_path, knowledge_copy, reload_interval=RELOAD_INTERVAL
    ) as application:
        yield application


def touch_later(path: Path) -> None:
    """Make sure the modification time moves even on coarse file systems."""
    stamp = time.time() + 2
    os.utime(path, (stamp, stamp))


async def test_edited_knowledge_is_served_within_the_reload_interval(
    reloading_bot: Application, fake_api: FakeBotAPI, knowledge_copy: Path
) -> None:
    """Adding an entry to the file under the running bot makes its question answerable."""
    fake_api.push_message("what is in the quasar memo")
    (before,) = await fake_api.await_for("sendMessage")
    assert "doesn't say" in before.params["text"]
    knowledge_copy.write_text(knowledge_copy.read_text() + NEW_ENTRY)
    touch_later(knowledge_copy)
    await asyncio.sleep(RELOAD_INTERVAL * 4)
    fake_api.push_message("what is in the quasar memo")
    calls = await fake_api.await_for("sendMessage", count=2)
    assert "1,000 days" in calls[1].params["text"]


async def test_broken_edit_keeps_old_answers_and_notifies_admins(
    reloading_bot: Application, fake_api: FakeBotAPI, knowledge_copy: Path
) -> None:
    """A broken file is rejected: admins get the errors with line numbers, answers go on."""
    text = knowledge_copy.read_text().replace(
        'sentence: "The war has now continued for more than 1,000 days."',
        'sentence: "The war has continued for 1,000 days."',
    )
    knowledge_copy.write_text(text)
    touch_later(knowledge_copy)
    (note,) = await fake_api.await_for(
        "sendMessage", predicate=lambda c: c.params["chat_id"] == ADMIN_ID, timeout=5
    )
    assert "REJECTED" in note.params["text"]
    assert "qa.yaml:" in note.params["text"] and "war-duration" in note.params["text"]
    fake_api.push_message("how long has the war lasted")
    calls = await fake_api.await_for("sendMessage", predicate=lambda c: c.params["chat_id"] == 1001)
    assert "The war has now continued for more than 1,000 days." in calls[0].params["text"]


async def test_reload_command_for_admin_and_stranger(
    running_bot: Application, fake_api: FakeBotAPI
) -> None:
    """/reload reports the outcome to an admin; a stranger gets the unknown-command reply."""
    fake_api.push_message("/reload", chat_id=ADMIN_ID, user_id=ADMIN_ID)
    fake_api.push_message("/reload", chat_id=555, user_id=555)
    fake_api.push_message("/stats", chat_id=555, user_id=555)
    calls = await fake_api.await_for("sendMessage", count=3)
    by_chat = {c.params["chat_id"]: c.params["text"] for c in calls}
    assert "entries" in by_chat[ADMIN_ID]
    stranger = [c.params["text"] for c in calls if c.params["chat_id"] == 555]
    assert stranger == ["Sorry, I don't know that command. Try /help."] * 2


async def test_stats_and_unanswered_for_admin(
    running_bot: Application, fake_api: FakeBotAPI
) -> None:
    """/stats counts outcomes since start; /unanswered lists declined questions."""
    fake_api.push_message("how long has the war lasted", chat_id=9, user_id=9)
    fake_api.push_message("Is Finland a NATO member?", chat_id=9, user_id=9)
    await fake_api.await_for("sendMessage", count=2)
    await asyncio.sleep(0.2)
    fake_api.push_message("/stats", chat_id=ADMIN_ID, user_id=ADMIN_ID)
    fake_api.push_message("/unanswered", chat_id=ADMIN_ID, user_id=ADMIN_ID)
    calls = await fake_api.await_for(
        "sendMessage", count=2, predicate=lambda c: c.params["chat_id"] == ADMIN_ID
    )
    stats = next(c.params["text"] for c in calls if "Since start" in c.params["text"])
    assert "answer: 1" in stats and "decline: 1" in stats
    assert "war-duration" in stats
    unanswered = next(c.params["text"] for c in calls if "unanswered" in c.params["text"])
    assert "Finland" in unanswered


async def test_declined_questions_and_feedback_reach_the_log(
    running_bot: Application, fake_api: FakeBotAPI
) -> None:
    """Declines and suggestions are logged without user ids; 👎 is recorded per entry."""
    fake_api.push_message("Is Finland a NATO member?", chat_id=31, user_id=31)
    fake_api.push_message("is finland in nato", chat_id=32, user_id=32)
    fake_api.push_message("nato", chat_id=33, user_id=33)
    fake_api.push_message("how long has the war lasted", chat_id=34, user_id=34)
    await fake_api.await_for("sendMessage", count=4)
    answer = next(m for m in fake_api.sent_messages if m["chat"]["id"] == 34)
    fake_api.push_callback_query("d:war-duration", message=answer, user_id=34)
    await fake_api.await_for("answerCallbackQuery")
    await asyncio.sleep(0.3)
    services = running_bot.bot_data.services
    await services.flush_counts()  # the periodic job's work, done now
    groups = unanswered_groups(services.store, services.live.current)
    finland = next(g for g in groups if "finland" in g.example.lower())
    assert finland.count == 2
    assert any(g.outcomes.get("suggest") for g in groups)
    assert feedback_rows(services.store) == [{"entry": "war-duration", "up": 0, "down": 1}]
    db = sqlite3.connect(services.settings.db_path)
    columns = {
        row[1]
        for table in ("questions", "picks", "feedback")
        for row in db.execute(f"PRAGMA table_info({table})")
    }
    assert not any("user" in c or "chat_id" in c or "name" in c for c in columns)
    stored = " ".join(str(v) for row in db.execute("SELECT * FROM questions") for v in row)
    assert "31" not in stored.split() and "Reader" not in stored


@pytest.mark.parametrize("kind", ["directory", "not-a-database"])
async def test_unwritable_log_does_not_stop_answers(
    fake_api: FakeBotAPI, tmp_path: Path, knowledge_copy: Path, kind: str
) -> None:
    """A log that cannot be written (a directory, a corrupt file) is logged; answers go out.

    (A chmod 0444 file is no obstacle to root, who runs CI here, so the failures are made
    with paths SQLite cannot open as a database instead.)
    """
    db_path = tmp_path / "log.sqlite3"
    if kind == "directory":
        db_path.mkdir()
    else:
        db_path.write_bytes(b"this is not a database" * 100)
    settings = make_settings(fake_api, tmp_path, knowledge_file=knowledge_copy, db_path=db_path)
    application = build_application(
        settings, LiveKnowledge(knowledge_copy, thresholds_from(settings))
    )
    errors: list[object] = []

    async def record_error(update: object, context) -> None:
        errors.append(context.error)

    application.add_error_handler(record_error)
    await start_bot(application)
    try:
        fake_api.push_message("Is Finland a NATO member?")
        fake_api.push_message("how long has the war lasted")
        calls = await fake_api.await_for("sendMessage", count=2)
        await asyncio.sleep(0.3)
        assert all(c.ok for c in calls)
        assert len(fake_api.calls_to("sendMessage")) == 2  # no apology: nothing failed
        services = application.bot_data.services
        await services.flush_counts()  # the periodic write fails quietly, too
        assert errors == []
        assert services.store.healthy is False
    finally:
        await stop_bot(application)
