"""End to end: an update Telegram delivers twice to the webhook is answered once."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import httpx

from bot.telegram_bot.app import build_application
from bot.telegram_bot.webhook import start_webhook, stop_webhook
from tests.support.bot_runner import make_settings
from tests.support.fake_bot_api import FakeBotAPI, make_chat, make_user

SECRET = "webhook-secret-0123456789"


async def test_a_redelivered_update_is_acknowledged_and_answered_once(
    fake_api: FakeBotAPI, tmp_path: Path, knowledge_copy: Path, unused_tcp_port: int
) -> None:
    """The same update_id three times (Telegram retrying after a timeout): 200, one answer."""
    url = f"http://127.0.0.1:{unused_tcp_port}/hook"
    settings = make_settings(
        fake_api,
        tmp_path,
        knowledge_file=knowledge_copy,
        webhook_url=url,
        webhook_secret=SECRET,
        webhook_port=unused_tcp_port,
    )
    application = build_application(settings)
    server = await start_webhook(application, settings)
    message = {
        "message_id": 1,
        "from": make_user(121),
        "chat": make_chat(121, "private"),
        "date": int(time.time()),
        "text": "how long has the war lasted",
    }
    headers = {"X-Telegram-Bot-Api-Secret-Token": SECRET}
    try:
        async with httpx.AsyncClient(timeout=10) as client:
            for update_id in (7, 7, 7, 8):
                body = {"update_id": update_id, "message": {**message, "message_id": update_id}}
                answer = await client.post(url, json=body, headers=headers)
                assert answer.status_code == 200
        await fake_api.await_for("sendMessage", count=2)
        await asyncio.sleep(0.5)  # time for a duplicate answer to show up, if any
    finally:
        await stop_webhook(application, server)
    assert len(fake_api.calls_to("sendMessage")) == 2
