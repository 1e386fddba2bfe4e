"""End to end: a 429 on one chat holds back that chat only, with the rate limiter on.

Telegram's ``retry_after`` on a sendMessage is about the chat it was sent to; PTB's limiter
paused every call for it, so one busy chat's 429 stalled every reader.
"""

from __future__ import annotations

import time
from pathlib import Path

from tests.support.bot_runner import bot_running
from tests.support.fake_bot_api import FakeBotAPI

RETRY_AFTER = 4


async def test_a_429_on_one_chat_does_not_stall_the_others(
    fake_api: FakeBotAPI, tmp_path: Path, knowledge_copy: Path
) -> None:
    """Chat A's answer gets 429 retry_after=4: B is answered at once, A after the wait."""
    async with bot_running(fake_api, tmp_path, knowledge_copy, rate_limit=True):
        fake_api.inject("sendMessage", "429", retry_after=RETRY_AFTER)
        fake_api.push_message("how long has the war lasted", chat_id=181, user_id=181)
        (flooded,) = await fake_api.await_for("sendMessage", predicate=lambda c: c.fault == "429")
        fake_api.push_message("when was Crimea annexed", chat_id=182, user_id=182)
        (other,) = await fake_api.await_for(
            "sendMessage", predicate=lambda c: c.ok and c.params["chat_id"] == 182
        )
        (retried,) = await fake_api.await_for(
            "sendMessage", timeout=15, predicate=lambda c: c.ok and c.params["chat_id"] == 181
        )
    assert flooded.params["chat_id"] == 181
    assert other.time - flooded.time < 1.5, "another chat waited for chat 181's retry_after"
    assert retried.time - flooded.time >= RETRY_AFTER - 0.2
    assert time.time() >= retried.time
