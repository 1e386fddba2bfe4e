"""End to end: forged or repeated button presses are "expired" and stored nowhere.

A vote counts once per message and user, only for an entry of the served knowledge and only
when its data is one of the message's own buttons. Readers' text shown to maintainers — the
`feedback` and `unanswered` commands and the admin's /unanswered — has its control characters
escaped, so an escape sequence in a question cannot reach a terminal.
"""

from __future__ import annotations

import asyncio
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from telegram.ext import Application

from bot.maintenance.reports import feedback_rows
from bot.maintenance.store import Store
from bot.telegram_bot.buttons import EXPIRED
from tests.support.bot_runner import ADMIN_ID, bot_running
from tests.support.fake_bot_api import FakeBotAPI
from tests.support.subprocess_env import bot_env

ESCAPES = "\x1b[2J\x1b]0;owned\x07\x1b]52;c;ZXZpbA==\x07\x9b31m\u202e"


async def answer_in(fake: FakeBotAPI, chat_id: int) -> dict[str, Any]:
    """Ask a question the bot answers in chat ``chat_id``; return the answer message."""
    fake.push_message("how long has the war lasted", chat_id=chat_id, user_id=chat_id)
    await fake.await_for("sendMessage", predicate=lambda c: c.params["chat_id"] == chat_id)
    return fake.messages_in_chat(chat_id)[-1]


async def press_all(fake: FakeBotAPI, presses: list[tuple[str, dict[str, Any], int]]) -> list[str]:
    """Push every press at once; return each one's answerCallbackQuery text, in order."""
    ids = [
        fake.push_callback_query(data, message=message, user_id=user)["callback_query"]["id"]
        for data, message, user in presses
    ]
    calls = await fake.await_for(
        "answerCallbackQuery",
        count=len(ids),
        timeout=15,
        predicate=lambda c: c.params["callback_query_id"] in ids,
    )
    by_id = {c.params["callback_query_id"]: c.params.get("text", "") for c in calls}
    return [by_id[i] for i in ids]


async def votes_stored(application: Application) -> list[dict[str, Any]]:
    """The votes in the log once the queued rows are written (the log job's work, done now)."""
    await asyncio.sleep(0.2)
    await application.bot_data.services.flush_counts()
    return feedback_rows(application.bot_data.services.store)


async def test_forty_thumbs_up_from_one_user_count_once(
    fake_api: FakeBotAPI, tmp_path: Path, knowledge_copy: Path
) -> None:
    """40 presses of 👍 on one message by one user (a stale or scripted client): one vote.

    (The flood limit and the chat's backlog are raised so that every press is answered and the
    votes, not the flood guard or the fairness cap, are what is tested.)
    """
    async with bot_running(
        fake_api, tmp_path, knowledge_copy, flood_limit=100, chat_backlog=100
    ) as application:
        message = await answer_in(fake_api, 51)
        texts = await press_all(fake_api, [("u:war-duration", message, 51)] * 40)
        assert texts.count(EXPIRED) == 39, texts
        assert await votes_stored(application) == [{"entry": "war-duration", "up": 1, "down": 0}]


async def test_votes_for_unknown_or_foreign_entries_are_expired_and_not_stored(
    running_bot: Application, fake_api: FakeBotAPI
) -> None:
    """A vote naming an entry the knowledge lacks, or another message's entry: expired."""
    message = await answer_in(fake_api, 52)
    forged = ["u:no-such-entry", "d:no-such-entry", "u:crimea-annexed", "t:²", "u:war-duration\n"]
    texts = await press_all(fake_api, [(data, message, 52) for data in forged])
    assert texts == [EXPIRED] * len(forged)
    assert await votes_stored(running_bot) == []
    assert not fake_api.calls_to("editMessageReplyMarkup")


async def test_admin_unanswered_escapes_control_characters(
    running_bot: Application, fake_api: FakeBotAPI
) -> None:
    """/unanswered shows a declined question's escape sequences as text, never raw."""
    fake_api.push_message(f"is finland in nato {ESCAPES}", chat_id=53, user_id=53)
    await fake_api.await_for("sendMessage", predicate=lambda c: c.params["chat_id"] == 53)
    fake_api.push_message("/unanswered", chat_id=ADMIN_ID, user_id=ADMIN_ID)
    (call,) = await fake_api.await_for(
        "sendMessage", predicate=lambda c: c.params["chat_id"] == ADMIN_ID
    )
    text = call.params["text"]
    assert "finland" in text.lower() and "\\x1b" in text
    assert not any(char in text for char in "\x1b\x07\x9b\u202e"), repr(text)


def maintainer_command(tmp_path: Path, *args: str) -> str:
    """Run a maintainers' command on the log in tmp_path; return its stdout."""
    env = bot_env(
        db_path=str(tmp_path / "log.sqlite3"),
    )
    result = subprocess.run(
        [sys.executable, "-m", "bot", *args],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return result.stdout


def test_feedback_and_unanswered_reports_escape_control_characters(tmp_path: Path) -> None:
    """Rows logged before votes were checked, and readers' questions, print escaped."""
    store = Store(tmp_path / "log.sqlite3")
    store.record_feedback(f"forged{ESCAPES}", -1)
    store.record_batch(
        {}, [(time.time(), f"finland nato {ESCAPES}", "private", "decline", None, 1)]
    )
    store.close()
    for args in (("feedback",), ("feedback", "--json"), ("unanswered",), ("unanswered", "--json")):
        output = maintainer_command(tmp_path, *args)
        assert "forged" in output or "finland" in output, output
        assert not any(char in output for char in "\x1b\x07\x9b\u202e"), (args, repr(output))
