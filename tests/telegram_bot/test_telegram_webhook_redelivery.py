"""End to end: an update Telegram delivers twice to the webhook is answered once."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import httpx

from tests.support.bot_runner import WEBHOOK_HEADERS, webhook_running
from tests.support.fake_bot_api import FakeBotAPI, make_chat, make_user


async def test_a_redelivered_update_is_acknowledged_and_answered_once(
    fake_api: FakeBotAPI, tmp_path: Path, knowledge_copy: Path, unused_tcp_port: int
) -> None:
    """The same update_id three times (Telegram retrying after a timeout): 200, one answer."""
    message = {
        "message_id": 1,
        "from": make_user(121),
        "chat": make_chat(121, "private"),
        "date": int(time.time()),
        "text": "how long has the war lasted",
    }
    running = webhook_running(fake_api, tmp_path, knowledge_copy, unused_tcp_port)
    async with running as (_, url), httpx.AsyncClient(timeout=10) as client:
        for update_id in (7, 7, 7, 8):
            body = {"update_id": update_id, "message": {**message, "message_id": update_id}}
            answer = await client.post(url, json=body, headers=WEBHOOK_HEADERS)
            assert answer.status_code == 200
        await fake_api.await_for("sendMessage", count=2)
        await asyncio.sleep(0.5)  # time for a duplicate answer to show up, if any
    assert len(fake_api.calls_to("sendMessage")) == 2
