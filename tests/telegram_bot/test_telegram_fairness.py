"""End to end: a busy group does not freeze the bot for everyone else.

80 members ask in one group at once, with Telegram's rate limits on: the group's replies wait
for its budget (20 a minute) without holding the update slots other chats need, so a private
question asked right after is answered within 2 s; the group's questions beyond its backlog
(BOT_CHAT_BACKLOG) are dropped with a log line instead of queueing for minutes.
"""

from __future__ import annotations

import logging
import time
from pathlib import Path

import pytest

from tests.support.bot_runner import bot_running
from tests.support.fake_bot_api import FakeBotAPI

GROUP = -500_001
MEMBERS = 80
BACKLOG = 4


async def test_a_private_reader_is_answered_promptly_while_a_group_is_throttled(
    fake_api: FakeBotAPI, tmp_path: Path, knowledge_copy: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """80 /ask in one group, then a private question: answered in under 2 s."""
    caplog.set_level(logging.WARNING)
    async with bot_running(
        fake_api, tmp_path, knowledge_copy, rate_limit=True, chat_backlog=BACKLOG
    ) as application:
        for member in range(MEMBERS):
            fake_api.push_message(
                "/ask how long has the war lasted",
                chat_id=GROUP,
                user_id=10_000 + member,
                chat_type="group",
            )
        await fake_api.await_for("sendMessage", predicate=lambda c: c.params["chat_id"] == GROUP)
        asked = time.monotonic()
        fake_api.push_message("when was Crimea annexed", chat_id=171, user_id=171)
        await fake_api.await_for(
            "sendMessage", timeout=30, predicate=lambda c: c.params["chat_id"] == 171
        )
        waited = time.monotonic() - asked
        dropped = application.update_processor.dropped
    assert waited < 2.0, f"the private reader waited {waited:.1f} s"
    assert dropped >= MEMBERS - 2 * BACKLOG
    group_replies = [c for c in fake_api.calls_to("sendMessage") if c.params["chat_id"] == GROUP]
    assert len(group_replies) == MEMBERS - dropped
    lines = [r for r in caplog.records if "dropped one" in r.getMessage()]
    assert len(lines) == 1, [r.getMessage() for r in lines]
    assert str(GROUP) not in lines[0].getMessage()  # no chat id: a private one is a reader's
