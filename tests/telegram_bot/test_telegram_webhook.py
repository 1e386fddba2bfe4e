"""End to end: webhook mode accepts updates only with the right secret token."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from telegram.ext import Application

from tests.support.bot_runner import WEBHOOK_SECRET, webhook_running
from tests.support.fake_bot_api import FakeBotAPI

SECRET = WEBHOOK_SECRET


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
async def webhook_bot(
    fake_api: FakeBotAPI, tmp_path: Path, knowledge_copy: Path
) -> AsyncIterator[tuple[Application, str]]:
    """The real application serving a webhook on loopback, registered with the fake API."""
    async with webhook_running(fake_api, tmp_path, knowledge_copy, free_port()) as running:
        yield running


async def post(url: str, update: dict, secret: str | None) -> int:
    headers = {"X-Telegram-Bot-Api-Secret-Token": secret} if secret is not None else {}
    async with httpx.AsyncClient() as client:
        response = await client.post(url, json=update, headers=headers)
    return response.status_code


async def test_webhook_is_registered_with_secret(
    webhook_bot: tuple[Application, str], fake_api: FakeBotAPI
) -> None:
    """Start-up registers the webhook URL and secret token with Telegram."""
    (call,) = fake_api.calls_to("setWebhook")
    assert call.params["url"] == webhook_bot[1]
    assert call.params["secret_token"] == SECRET


async def test_update_with_right_secret_is_answered(
    webhook_bot: tuple[Application, str], fake_api: FakeBotAPI
) -> None:
    """A POST with the right secret gets 200 and the question is answered."""
    update = fake_api.push_message("when was crimea annexed")
    assert await post(webhook_bot[1], update, SECRET) == 200
    (call,) = await fake_api.await_for("sendMessage")
    assert "2014" in call.params["text"]


@pytest.mark.parametrize("secret", ["wrong-secret", "", None, SECRET + "x", SECRET[:-1]])
async def test_update_with_wrong_or_missing_secret_is_refused(
    webhook_bot: tuple[Application, str], fake_api: FakeBotAPI, secret: str | None
) -> None:
    """A POST with a wrong, empty or missing secret gets 403 and is not processed."""
    update = fake_api.push_message("when was crimea annexed")
    assert await post(webhook_bot[1], update, secret) == 403
    await asyncio.sleep(0.3)
    assert fake_api.calls_to("sendMessage") == []


async def test_malformed_body_gets_400(webhook_bot: tuple[Application, str]) -> None:
    """A body that is not an update gets 400, and the server keeps serving."""
    headers = {"X-Telegram-Bot-Api-Secret-Token": SECRET}
    async with httpx.AsyncClient() as client:
        response = await client.post(webhook_bot[1], content=b"not json", headers=headers)
    assert response.status_code == 400


async def test_secret_is_compared_in_constant_time(
    webhook_bot: tuple[Application, str], fake_api: FakeBotAPI, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every request's secret goes through hmac.compare_digest, never a plain comparison."""
    import hmac

    from bot.telegram_bot import webhook

    seen: list[tuple[bytes, bytes]] = []
    original = hmac.compare_digest

    def recording(a: bytes, b: bytes) -> bool:
        seen.append((a, b))
        return original(a, b)

    monkeypatch.setattr(webhook.hmac, "compare_digest", recording)
    update = fake_api.push_message("when was crimea annexed")
    assert await post(webhook_bot[1], update, "nope") == 403
    assert await post(webhook_bot[1], update, SECRET) == 200
    assert seen == [(b"nope", SECRET.encode()), (SECRET.encode(), SECRET.encode())]
