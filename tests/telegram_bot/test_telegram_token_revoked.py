"""End to end: 401/404 on getUpdates after start — retried when transient, fatal when not.

PTB stops polling for good at the first 401/404 on getUpdates: the process stays up, deaf,
unseen by any supervisor. A short run of them is retried with back-off; a token refused
MAX_REJECTIONS times in a row stops `python -m bot run` with one line (no token), exit 1.
"""

from __future__ import annotations

import time
from pathlib import Path

from tests.support.bot_runner import bot_running
from tests.support.fake_bot_api import FakeBotAPI
from tests.support.subprocess_env import bot_env, start_bot_process

TOKEN = "987654:REVOKED-token-ABCdefGHI_jklMNOpqr"


async def test_a_short_run_of_401_on_get_updates_is_retried(
    fake_api: FakeBotAPI, tmp_path: Path, knowledge_copy: Path
) -> None:
    """Two refused polls (a proxy or API hiccup), then the token works again: answers go on."""
    async with bot_running(fake_api, tmp_path, knowledge_copy) as application:
        real = fake_api.token
        refused_before = len([c for c in fake_api.calls_to("getUpdates") if c.status == 401])
        fake_api.token = "0:someone-else"
        await fake_api.await_for(
            "getUpdates", count=refused_before + 2, timeout=15, predicate=lambda c: c.status == 401
        )
        fake_api.token = real
        fake_api.push_message("how long has the war lasted", chat_id=111, user_id=111)
        await fake_api.await_for(
            "sendMessage", timeout=15, predicate=lambda c: c.params["chat_id"] == 111
        )
        assert application.updater.running and not application.bot.token_rejected


def test_a_token_revoked_while_running_exits_1_with_one_line(tmp_path: Path) -> None:
    """The token stops working for good: the process exits 1, one line, no token, no traceback."""
    with FakeBotAPI(token=TOKEN) as fake:
        env = bot_env(
            token=TOKEN,
            api_base_url=fake.base_url,
            poll_timeout="1",
            db_path=str(tmp_path / "log.sqlite3"),
        )
        process = start_bot_process(tmp_path, env)
        try:
            fake.push_message("how long has the war lasted")
            fake.wait_for("sendMessage", predicate=lambda c: c.ok, timeout=30)
            revoked = time.monotonic()
            fake.token = "0:revoked"
            output, _ = process.communicate(timeout=60)
        finally:
            if process.poll() is None:
                process.kill()
                process.communicate()
    took = time.monotonic() - revoked
    assert process.returncode == 1, output
    assert "Traceback" not in output, output
    assert TOKEN not in output and TOKEN.split(":")[1] not in output, output
    assert len([line for line in output.splitlines() if "rejected the bot token" in line]) == 1
    assert took < 40, f"exited {took:.0f} s after the token was revoked"
