"""Shared fixtures: the fake Bot API server and the real bot application running against it.

Also marks the end-to-end tests ``e2e`` (``make test-fast`` leaves them out, ``make test-e2e``
runs only them): every test of a file that drives the real application, the fake server or
``python -m bot`` subprocesses, and any other test that uses the fake server's fixtures.
"""

from __future__ import annotations

import contextlib
import shutil
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest
from telegram import Update
from telegram.ext import Application

from bot.core.thresholds import thresholds_from
from bot.knowledge.live import LiveKnowledge
from bot.settings import Settings
from bot.telegram_bot.app import build_application
from bot.telegram_bot.lifecycle import on_shutdown, on_startup
from tests.fake_bot_api import FakeBotAPI

REPO = Path(__file__).resolve().parent.parent
ADMIN_ID = 4242
# Whole files of end-to-end tests (besides every tests/test_telegram_*.py).
E2E_FILES = frozenset({"test_fake_bot_api.py", "test_cli.py"})
# Fixtures that start the fake Bot API server (and with it, often, the real application).
E2E_FIXTURES = frozenset({"fake_api", "running_bot"})


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark the end-to-end tests ``e2e``, by file or by the fixtures they use."""
    for item in items:
        name = item.path.name
        fixtures = set(getattr(item, "fixturenames", ()))
        if name.startswith("test_telegram_") or name in E2E_FILES or fixtures & E2E_FIXTURES:
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def shipped_text() -> str:
    """The text of the shipped knowledge file."""
    return (REPO / "knowledge" / "qa.yaml").read_text(encoding="utf-8")


@pytest.fixture
def fake_api() -> Iterator[FakeBotAPI]:
    """A fake Telegram Bot API on 127.0.0.1, stopped after the test."""
    with FakeBotAPI() as api:
        yield api


@pytest.fixture
def knowledge_copy(tmp_path: Path) -> Path:
    """A writable copy of the shipped knowledge file and article, laid out like the repo."""
    (tmp_path / "knowledge").mkdir()
    (tmp_path / "seeds").mkdir()
    shutil.copy(REPO / "knowledge" / "qa.yaml", tmp_path / "knowledge" / "qa.yaml")
    shutil.copy(REPO / "seeds" / "article.txt", tmp_path / "seeds" / "article.txt")
    return tmp_path / "knowledge" / "qa.yaml"


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


@pytest.fixture
async def running_bot(
    fake_api: FakeBotAPI, tmp_path: Path, knowledge_copy: Path
) -> AsyncIterator[Application]:
    """The real application, built by the factory `run` uses, polling the fake server."""
    async with bot_running(fake_api, tmp_path, knowledge_copy) as application:
        yield application
