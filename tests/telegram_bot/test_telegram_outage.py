"""End to end: an outage of a few seconds on sendMessage delays answers, it does not lose them.

Answers (``send*`` calls) are retried with back-off until 60 s after their first attempt; five
500s in a row (about 15 s of outage) used to exhaust the five attempts and drop the answer.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

from tests.support.bot_runner import bot_running
from tests.support.fake_bot_api import FakeBotAPI


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
