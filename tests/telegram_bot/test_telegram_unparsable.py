"""End to end: an update PTB cannot parse is skipped and counted; polling goes on.

Without care one such update in a getUpdates batch makes PTB log CRITICAL with the whole batch
(names, texts) and poll again from the same offset, forever. In webhook mode it gets 400.
"""

from __future__ import annotations

import logging
import time
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.support.bot_runner import WEBHOOK_HEADERS, bot_running, webhook_running
from tests.support.fake_bot_api import FakeBotAPI, make_chat, make_user

SECRET_WORDS = "my-very-private-words"


def message(**changes: Any) -> dict[str, Any]:
    """A private message carrying SECRET_WORDS, with some fields changed or removed."""
    base: dict[str, Any] = {
        "message_id": 7,
        "from": make_user(2002),
        "chat": make_chat(2002, "private"),
        "date": int(time.time()),
        "text": f"{SECRET_WORDS} when was Crimea annexed",
    }
    base.update(changes)
    return {k: v for k, v in base.items() if v is not None}


BAD_MESSAGES = {
    "no date": message(date=None),
    "from as a string": message(**{"from": "someone"}),
    "chat as a list": message(chat=[2002]),
    "entity without offset": message(entities=[{"type": "bold", "length": 2}]),
    "photo without width": message(
        text=None, photo=[{"file_id": "f", "file_unique_id": "u", "height": 9, "file_size": 1}]
    ),
}


@pytest.mark.parametrize("case", sorted(BAD_MESSAGES))
async def test_polling_skips_an_unparsable_update_and_answers_the_next(
    fake_api: FakeBotAPI,
    tmp_path: Path,
    knowledge_copy: Path,
    caplog: pytest.LogCaptureFixture,
    case: str,
) -> None:
    """The bad update is skipped (offset moves past it), counted, logged once without text.

    At INFO and above, that is: at DEBUG PTB logs every Bot API answer, updates included.
    """
    caplog.set_level(logging.INFO)
    async with bot_running(fake_api, tmp_path, knowledge_copy) as application:
        fake_api.push_update({"message": BAD_MESSAGES[case]})
        fake_api.push_message("When was Crimea annexed?", chat_id=3003, user_id=3003)
        await fake_api.await_for("sendMessage", predicate=lambda c: c.params["chat_id"] == 3003)
        polls = len(fake_api.calls_to("getUpdates"))
        assert application.bot.skipped_updates == 1
    assert not fake_api.pending_updates  # confirmed: the offset moved past both
    assert polls < 10, f"{polls} getUpdates calls: polling spun on the bad update"
    texts = [r.getMessage() for r in caplog.records] + [caplog.text]
    assert not any(SECRET_WORDS in text for text in texts), caplog.text
    skipped = [r for r in caplog.records if "could not be parsed" in r.getMessage()]
    assert len(skipped) == 1 and skipped[0].levelno == logging.WARNING, caplog.text
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR], caplog.text


async def test_webhook_refuses_an_unparsable_update_with_400_and_goes_on(
    fake_api: FakeBotAPI, tmp_path: Path, knowledge_copy: Path, unused_tcp_port: int
) -> None:
    """Webhook mode: 400 for each bad update, and the next good one is answered."""
    running = webhook_running(fake_api, tmp_path, knowledge_copy, unused_tcp_port)
    async with running as (_, url), httpx.AsyncClient() as client:
        for number, bad in enumerate(BAD_MESSAGES.values(), start=1):
            answer = await client.post(
                url, json={"update_id": number, "message": bad}, headers=WEBHOOK_HEADERS
            )
            assert answer.status_code == 400
        good = {"update_id": 99, "message": message(chat=make_chat(4004, "private"))}
        assert (await client.post(url, json=good, headers=WEBHOOK_HEADERS)).status_code == 200
        await fake_api.await_for("sendMessage", predicate=lambda c: c.params["chat_id"] == 4004)
