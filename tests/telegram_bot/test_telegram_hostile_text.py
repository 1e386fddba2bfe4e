"""End to end: a huge message does not hold other readers up, in polling and webhook mode.

Telegram never delivers more than 4096 characters, but a Bot API server (or a webhook request
past the secret) may: 200 KB of "will a will a …" used to cost a minute of backtracking in the
opinion pattern while every other reader waited.
"""

from __future__ import annotations

import time
from pathlib import Path

import httpx

from tests.support.bot_runner import WEBHOOK_HEADERS, bot_running, webhook_running
from tests.support.fake_bot_api import FakeBotAPI, make_chat, make_user

HUGE = ("will a " * 30_000)[:200_000]
# Well under what the huge message used to cost, well over an answer's time on a loaded CI.
PROMPT_SECONDS = 3.0


async def test_polling_a_huge_message_does_not_delay_other_readers(
    fake_api: FakeBotAPI, tmp_path: Path, knowledge_copy: Path
) -> None:
    """The huge message and a private question right after it are both answered promptly."""
    async with bot_running(fake_api, tmp_path, knowledge_copy):
        fake_api.push_message(HUGE, chat_id=61, user_id=61)
        pushed = time.monotonic()
        fake_api.push_message("how long has the war lasted", chat_id=62, user_id=62)
        await fake_api.await_for(
            "sendMessage", timeout=30, predicate=lambda c: c.params["chat_id"] == 62
        )
        await fake_api.await_for(
            "sendMessage", timeout=30, predicate=lambda c: c.params["chat_id"] == 61
        )
        waited = time.monotonic() - pushed
    assert waited < PROMPT_SECONDS, f"the two readers waited {waited:.1f} s"


async def test_webhook_a_huge_message_does_not_delay_other_readers(
    fake_api: FakeBotAPI, tmp_path: Path, knowledge_copy: Path, unused_tcp_port: int
) -> None:
    """The same through the webhook: both answered promptly."""
    running = webhook_running(fake_api, tmp_path, knowledge_copy, unused_tcp_port)
    async with running as (_, url), httpx.AsyncClient(timeout=30) as client:
        for update_id, (chat_id, text) in enumerate(
            [(63, HUGE), (64, "how long has the war lasted")]
        ):
            message = {
                "message_id": 1,
                "from": make_user(chat_id),
                "chat": make_chat(chat_id, "private"),
                "date": int(time.time()),
                "text": text,
            }
            answer = await client.post(
                url, json={"update_id": update_id + 1, "message": message}, headers=WEBHOOK_HEADERS
            )
            assert answer.status_code == 200
            if chat_id == 63:
                pushed = time.monotonic()
        await fake_api.await_for(
            "sendMessage", timeout=30, predicate=lambda c: c.params["chat_id"] == 64
        )
        await fake_api.await_for(
            "sendMessage", timeout=30, predicate=lambda c: c.params["chat_id"] == 63
        )
        waited = time.monotonic() - pushed
    assert waited < PROMPT_SECONDS, f"the two readers waited {waited:.1f} s"
