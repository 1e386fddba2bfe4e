"""End to end: `python -m bot run` fails at start with one clear line, never a traceback.

A token Telegram rejects (getMe answers 401, or 404 for a wrong BOT_API_BASE_URL path), in
polling and in webhook mode: exit status 1, one line saying so, and the token nowhere in the
output (PTB's own ``InvalidToken`` message contains it).
"""

from __future__ import annotations

import socket
import subprocess
from pathlib import Path

import pytest

from tests.support.fake_bot_api import FakeBotAPI
from tests.support.subprocess_env import bot_env, run_bot_process

TOKEN = "987654:REJECTED-token-ABCdefGHI_jklMNOpqr"


def free_port() -> int:
    """A TCP port of 127.0.0.1 nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def run_bot(tmp_path: Path, base_url: str, **env: str) -> subprocess.CompletedProcess[str]:
    """Run `python -m bot run` with TOKEN against ``base_url``; return when it exits."""
    environment = bot_env(
        token=TOKEN,
        api_base_url=base_url,
        poll_timeout="1",
        request_timeout="3",
        db_path=str(tmp_path / "log.sqlite3"),
    )
    environment.update(env)
    return run_bot_process(tmp_path, environment)


def assert_one_clear_line(result: subprocess.CompletedProcess[str], needle: str) -> None:
    """Exit 1, no traceback, the token nowhere, and exactly one line containing ``needle``."""
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert "Traceback" not in output, output
    assert TOKEN not in output and TOKEN.split(":")[1] not in output, output
    matching = [line for line in output.splitlines() if needle in line]
    assert len(matching) == 1, output


WEBHOOK = {"BOT_WEBHOOK_URL": "https://bot.example.org/hook", "BOT_WEBHOOK_SECRET": "s" * 24}


@pytest.mark.parametrize("mode", ["polling", "webhook"])
def test_a_token_telegram_rejects_exits_1_with_one_redacted_line(tmp_path: Path, mode: str) -> None:
    """getMe answers 401 Unauthorized: one line, exit 1, no token, no traceback."""
    extra = WEBHOOK | {"BOT_WEBHOOK_PORT": str(free_port())} if mode == "webhook" else {}
    with FakeBotAPI() as fake:  # expects its own token, so TOKEN gets 401
        result = run_bot(tmp_path, fake.base_url, **extra)
        assert fake.calls_to("getMe") and not fake.calls_to("getUpdates")
    assert_one_clear_line(result, "rejected the bot token")


def test_a_wrong_api_path_404_exits_1_with_one_redacted_line(tmp_path: Path) -> None:
    """A BOT_API_BASE_URL with a wrong path (getMe answers 404) is reported the same way."""
    with FakeBotAPI(token=TOKEN) as fake:
        result = run_bot(tmp_path, f"http://127.0.0.1:{fake.port}/wrong/bot")
    assert_one_clear_line(result, "rejected the bot token")
