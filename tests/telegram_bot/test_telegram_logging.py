"""The bot token never appears in the output, at DEBUG, with faults and tracebacks."""

from __future__ import annotations

import logging
import signal
import sys
import time
from pathlib import Path

from bot.telegram_bot.logs import REDACTED, RedactingFormatter, configure_logging
from tests.support.fake_bot_api import FakeBotAPI
from tests.support.subprocess_env import bot_env, start_bot_process

TOKEN = "987654:SECRET-token-ABCdefGHI_jklMNOpqr"


def test_formatter_redacts_token_in_message_args_and_traceback() -> None:
    """The redacting formatter scrubs the token from messages, arguments and exceptions."""
    formatter = RedactingFormatter([TOKEN], "%(message)s")
    try:
        raise RuntimeError(f"failed https://api.telegram.org/bot{TOKEN}/getMe")
    except RuntimeError:
        record = logging.LogRecord("x", logging.ERROR, __file__, 1, "url %s", (TOKEN,), None)
        record.exc_info = sys.exc_info()
    text = formatter.format(record)
    assert TOKEN not in text
    assert TOKEN.split(":")[1] not in text
    assert REDACTED in text


def test_configure_logging_quietens_httpx() -> None:
    """httpx and httpcore (which log URLs with the token) are held at WARNING."""
    configure_logging("DEBUG", [TOKEN])
    assert logging.getLogger("httpx").getEffectiveLevel() == logging.WARNING
    assert logging.getLogger("httpcore").getEffectiveLevel() == logging.WARNING


def test_running_bot_at_debug_never_prints_the_token(tmp_path: Path) -> None:
    """`python -m bot run` at DEBUG, with a 500 and a dropped connection, never logs the token."""
    with FakeBotAPI(token=TOKEN) as fake:
        fake.inject("sendMessage", "500")
        fake.inject("getUpdates", "drop")
        env = bot_env(
            token=TOKEN,
            api_base_url=fake.base_url,
            log_level="DEBUG",
            poll_timeout="1",
            db_path=str(tmp_path / "log.sqlite3"),
        )
        process = start_bot_process(tmp_path, env)
        try:
            fake.push_message("how long has the war lasted")
            fake.wait_for("sendMessage", predicate=lambda c: c.ok, timeout=30)
            fake.push_message("/nosuchcommand")
            fake.wait_for("sendMessage", count=2, predicate=lambda c: c.ok, timeout=30)
            time.sleep(0.3)
        finally:
            process.send_signal(signal.SIGTERM)
            output, _ = process.communicate(timeout=30)
    assert process.returncode == 0, output
    assert "DEBUG" in output
    assert "serving @ArticleQABot with" in output
    assert "sendMessage failed" in output  # the injected 500 was logged, and retried
    assert TOKEN not in output
    assert TOKEN.split(":")[1] not in output
    assert TOKEN.replace(":", "%3A") not in output
