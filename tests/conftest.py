"""Shared fixtures: the shipped knowledge (loaded once per session), the fake Bot API server and
the real bot application running against it.

Their helpers live in ``tests/support/`` (the fake server, ``bot_runner``, paths).

Also marks the end-to-end tests ``e2e`` (``make test-fast`` leaves them out, ``make test-e2e``
runs only them): every test of a file that drives the real application, the fake server or
``python -m bot`` subprocesses, and any other test that uses the fake server's fixtures.
"""

from __future__ import annotations

import shutil
from collections.abc import AsyncIterator, Iterator
from fnmatch import fnmatch
from pathlib import Path

import pytest
from telegram.ext import Application

from bot.core.matching import Matcher
from bot.knowledge.knowledge import Knowledge
from bot.knowledge.loader import load_knowledge
from tests.support.bot_runner import bot_running
from tests.support.fake_bot_api import FakeBotAPI
from tests.support.paths import ARTICLE, QA

TESTS = Path(__file__).resolve().parent
# Whole files of end-to-end tests, as paths under tests/ (fnmatch patterns).
E2E_FILES = (
    "telegram_bot/test_telegram_*.py",  # the real application against the fake server
    "support/test_fake_bot_api.py",  # the fake server itself
    "cli/test_cli*.py",  # `python -m bot` subprocesses
)
# Fixtures that start the fake Bot API server (and with it, often, the real application).
E2E_FIXTURES = frozenset({"fake_api", "running_bot"})


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark the end-to-end tests ``e2e``, by file or by the fixtures they use."""
    for item in items:
        path = item.path.relative_to(TESTS).as_posix()
        fixtures = set(getattr(item, "fixturenames", ()))
        if any(fnmatch(path, pattern) for pattern in E2E_FILES) or fixtures & E2E_FIXTURES:
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def shipped_text() -> str:
    """The text of the shipped knowledge file."""
    return QA.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def knowledge() -> Knowledge:
    """The shipped knowledge, loaded and checked once, the way the bot loads it.

    Every test shares this one object: ``Knowledge`` and its matcher are frozen, and no test
    may change them. A test that needs other thresholds or an edited file builds its own.
    """
    return load_knowledge()


@pytest.fixture(scope="session")
def matcher(knowledge: Knowledge) -> Matcher:
    """The matcher of the shipped knowledge (default thresholds)."""
    return knowledge.matcher


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
    shutil.copy(QA, tmp_path / "knowledge" / "qa.yaml")
    shutil.copy(ARTICLE, tmp_path / "seeds" / "article.txt")
    return tmp_path / "knowledge" / "qa.yaml"


@pytest.fixture
async def running_bot(
    fake_api: FakeBotAPI, tmp_path: Path, knowledge_copy: Path
) -> AsyncIterator[Application]:
    """The real application, built by the factory `run` uses, polling the fake server."""
    async with bot_running(fake_api, tmp_path, knowledge_copy) as application:
        yield application
