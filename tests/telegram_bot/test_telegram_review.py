"""End to end over the fake Bot API: /review turns a question the bot missed into an answer."""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from telegram.ext import Application

from bot.telegram_bot.callbacks import ReviewButton
from tests.support.bot_runner import ADMIN_ID, bot_running
from tests.support.fake_bot_api import FakeBotAPI
from tests.support.review_cases import CARNAGE, added_lines

RELOAD_INTERVAL = 0.3
READER, OTHER_READER, STRANGER = 1001, 2002, 555
WAR_SENTENCE = "The war has now continued for more than 1,000 days."


@pytest.fixture
async def reviewing_bot(
    fake_api: FakeBotAPI, tmp_path: Path, knowledge_copy: Path
) -> AsyncIterator[Application]:
    """The real application, reloading every 0.3 s, with the regression file in tmp_path."""
    async with bot_running(
        fake_api,
        tmp_path,
        knowledge_copy,
        reload_interval=RELOAD_INTERVAL,
        regressions_file=tmp_path / "regressions.yaml",
    ) as application:
        yield application


def buttons(params: dict[str, Any]) -> list[dict[str, str]]:
    markup = params.get("reply_markup") or {}
    return [b for row in markup.get("inline_keyboard", []) for b in row]


def to_chat(chat_id: int) -> Any:
    return lambda call: call.params.get("chat_id") == chat_id


async def ask_and_open_review(fake_api: FakeBotAPI) -> tuple[dict[str, Any], dict[str, Any]]:
    """A reader's question is not answered; the admin opens /review: (review call, message)."""
    fake_api.push_message(CARNAGE, chat_id=READER, user_id=READER)
    (missed,) = await fake_api.await_for("sendMessage", predicate=to_chat(READER))
    assert "not sure I understood" in missed.params["text"]
    assert WAR_SENTENCE not in missed.params["text"]
    fake_api.push_message("/review", chat_id=ADMIN_ID, user_id=ADMIN_ID)
    (review,) = await fake_api.await_for("sendMessage", predicate=to_chat(ADMIN_ID))
    return review.params, fake_api.messages_in_chat(ADMIN_ID)[-1]


async def test_review_add_makes_the_next_reader_get_the_answer(
    reviewing_bot: Application, fake_api: FakeBotAPI, knowledge_copy: Path, tmp_path: Path
) -> None:
    """Reader missed → admin /review → ➕ → reload → another reader's same question answered."""
    before = knowledge_copy.read_text(encoding="utf-8")
    review, message = await ask_and_open_review(fake_api)
    assert CARNAGE in review["text"]
    labels = [b["text"] for b in buttons(review)]
    assert labels[0] == "➕ How long has the war lasted?"
    assert {"🚫 not in the article", "Skip"} <= set(labels) and len(labels) <= 5
    fake_api.push_callback_query(
        buttons(review)[0]["callback_data"], message=message, user_id=ADMIN_ID
    )
    (edit,) = await fake_api.await_for("editMessageText", predicate=to_chat(ADMIN_ID))
    assert f"added '{CARNAGE}' to war-duration" in edit.params["text"]
    await asyncio.sleep(RELOAD_INTERVAL)
    fake_api.push_message(CARNAGE, chat_id=OTHER_READER, user_id=OTHER_READER)
    (answer,) = await fake_api.await_for("sendMessage", predicate=to_chat(OTHER_READER))
    assert WAR_SENTENCE in answer.params["text"]
    added, removed = added_lines(before, knowledge_copy.read_text(encoding="utf-8"))
    assert removed == [] and [line.strip() for line in added] == [f"- {CARNAGE}"]
    db = sqlite3.connect(tmp_path / "log.sqlite3")
    rows = db.execute("SELECT admin_id, action, entry, phrasing FROM edits").fetchall()
    assert rows == [(ADMIN_ID, "add", "war-duration", CARNAGE)]


async def test_review_undo_puts_the_file_back(
    reviewing_bot: Application, fake_api: FakeBotAPI, knowledge_copy: Path
) -> None:
    before = knowledge_copy.read_text(encoding="utf-8")
    review, message = await ask_and_open_review(fake_api)
    fake_api.push_callback_query(
        buttons(review)[0]["callback_data"], message=message, user_id=ADMIN_ID
    )
    (edit,) = await fake_api.await_for("editMessageText", predicate=to_chat(ADMIN_ID))
    undo = next(b for b in buttons(edit.params) if b["text"] == "↩ Undo")
    fake_api.push_callback_query(undo["callback_data"], message=message, user_id=ADMIN_ID)
    edits = await fake_api.await_for("editMessageText", count=2, predicate=to_chat(ADMIN_ID))
    assert "undone" in edits[1].params["text"]
    assert knowledge_copy.read_text(encoding="utf-8") == before


async def test_non_admins_and_forged_review_callbacks_change_nothing(
    reviewing_bot: Application, fake_api: FakeBotAPI, knowledge_copy: Path, tmp_path: Path
) -> None:
    """A stranger's /review is an unknown command; their presses, even forged, do nothing."""
    before = knowledge_copy.read_text(encoding="utf-8")
    review, message = await ask_and_open_review(fake_api)
    fake_api.push_message("/review", chat_id=STRANGER, user_id=STRANGER)
    (reply,) = await fake_api.await_for("sendMessage", predicate=to_chat(STRANGER))
    assert reply.params["text"] == "Sorry, I don't know that command. Try /help."
    digest = ReviewButton.unpack(buttons(review)[0]["callback_data"]).digest  # type: ignore[union-attr]
    forged = [
        buttons(review)[0]["callback_data"],  # a real admin button pressed by a stranger
        ReviewButton("out", 0, digest).pack(),
        ReviewButton("add", 2, digest).pack(),
    ]
    for data in forged:
        fake_api.push_callback_query(data, message=message, user_id=STRANGER)
    # and malformed or stale data from the admin
    for data in ("v:a:9:" + digest, "v:x:0:" + digest, "v:a:0:000000000000"):
        fake_api.push_callback_query(data, message=message, user_id=ADMIN_ID)
    answers = await fake_api.await_for("answerCallbackQuery", count=6)
    assert all(a.params.get("text") == "Sorry, this button has expired." for a in answers)
    assert fake_api.calls_to("editMessageText") == []
    assert knowledge_copy.read_text(encoding="utf-8") == before
    assert not (tmp_path / "regressions.yaml").exists()


async def test_a_readers_pick_and_thumbs_down_are_review_evidence(
    reviewing_bot: Application, fake_api: FakeBotAPI, tmp_path: Path
) -> None:
    """Pressing a did-you-mean button links the question to the entry; a 👎 after it too."""
    fake_api.push_message(CARNAGE, chat_id=READER, user_id=READER)
    (missed,) = await fake_api.await_for("sendMessage", predicate=to_chat(READER))
    sent = fake_api.messages_in_chat(READER)[-1]
    fake_api.push_callback_query(buttons(missed.params)[0]["callback_data"], message=sent)
    (answer,) = await fake_api.await_for("editMessageText", predicate=to_chat(READER))
    down = next(b for b in buttons(answer.params) if b["text"] == "👎")
    fake_api.push_callback_query(down["callback_data"], message=sent)
    await fake_api.await_for("answerCallbackQuery", count=2)
    # queued off the handlers' path, written with the next flush of the log
    await reviewing_bot.bot_data.services.flush_counts()
    db = sqlite3.connect(tmp_path / "log.sqlite3")
    rows = db.execute("SELECT question, entry, kind FROM evidence ORDER BY id").fetchall()
    assert rows == [(CARNAGE, "war-duration", "pick"), (CARNAGE, "war-duration", "down")]
