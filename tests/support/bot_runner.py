"""Test helper: the real bot application, built by ``build_application``, against the fake server.

``make_settings`` points the settings at a ``FakeBotAPI``; ``start_bot``/``stop_bot`` run the
application the way ``run_polling`` does without owning the event loop; ``bot_running`` does
both around a block; ``webhook_running`` serves the application on a loopback webhook instead.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

from telegram import Update
from telegram.ext import Application

from bot.core.thresholds import thresholds_from
from bot.knowledge.live import LiveKnowledge
from bot.settings import Settings
from bot.telegram_bot.app import build_application
from bot.telegram_bot.lifecycle import on_shutdown, on_startup
from bot.telegram_bot.webhook import start_webhook, stop_webhook
from tests.support.fake_bot_api import FakeBotAPI

ADMIN_ID = 4242
WEBHOOK_SECRET = "webhook-secret-0123456789"
# What Telegram sends with every webhook request (the secret set at registration).
WEBHOOK_HEADERS = {"X-Telegram-Bot-Api-Secret-Token": WEBHOOK_SECRET}


def make_settings(api: FakeBotAPI, tmp_path: Path, **overrides: object) -> Settings:
    """Settings that point the bot at the fake server, with quick timeouts for tests."""
    values: dict[str, object] = {
        "token": api.token,
        "api_base_url": api.base_url,
        "db_path": tmp_path / "log.sqlite3",
        "admin_ids": frozenset({ADMIN_ID}),
        "poll_timeout": 1,
        "request_timeout": 3.0,
        "reload_interval": 0,
        "rate_limit": False,
    }
    values.update(overrides)
    return Settings(_env_file=None, **values)  # type: ignore[arg-type]


async def start_bot(application: Application, poll: bool = True) -> None:
    """Start the application the way run_polling does, without owning the event loop."""
    await application.initialize()
    await on_startup(application)
    if poll:
        await application.updater.start_polling(timeout=1, allowed_updates=Update.ALL_TYPES)
    await application.start()


async def stop_bot(application: Application) -> None:
    """Stop what start_bot started."""
    if application.updater.running:
        await application.updater.stop()
    if application.running:
        await application.stop()
    await on_shutdown(application)
    await application.shutdown()


@contextlib.asynccontextmanager
async def bot_running(
    fake: FakeBotAPI, tmp_path: Path, knowledge: Path, **overrides: Any
) -> AsyncIterator[Application]:
    """The real application built by ``build_application`` with some settings overridden."""
    settings = make_settings(fake, tmp_path, knowledge_file=knowledge, **overrides)
    application = build_application(settings, LiveKnowledge(knowledge, thresholds_from(settings)))
    await start_bot(application)
    try:
        yield application
    finally:
        await stop_bot(application)


@contextlib.asynccontextmanager
async def webhook_running(
    fake: FakeBotAPI, tmp_path: Path, knowledge: Path, port: int, **overrides: Any
) -> AsyncIterator[tuple[Application, str]]:
    """The real application serving a webhook on loopback ``port`` with ``WEBHOOK_SECRET``,
    registered with the fake API; yields the application and the webhook's URL."""
    url = f"http://127.0.0.1:{port}/hook"
    settings = make_settings(
        fake,
        tmp_path,
        knowledge_file=knowledge,
        webhook_url=url,
        webhook_secret=WEBHOOK_SECRET,
        webhook_listen="127.0.0.1",
        webhook_port=port,
        **overrides,
    )
    application = build_application(settings, LiveKnowledge(knowledge, thresholds_from(settings)))
    server = await start_webhook(application, settings)
    try:
        yield application, url
    finally:
        await stop_webhook(application, server)
