"""End to end: a huge knowledge file is refused at reload (admins told) and at start."""

from __future__ import annotations

from pathlib import Path

from tests.support.bot_runner import ADMIN_ID, bot_running
from tests.support.fake_bot_api import FakeBotAPI
from tests.support.knowledge_copies import huge_copy
from tests.support.subprocess_env import bot_env, run_bot_process


async def test_reloading_a_huge_file_is_refused_and_answers_go_on(
    fake_api: FakeBotAPI, tmp_path: Path, knowledge_copy: Path
) -> None:
    """A 40 MB edit under the running bot: the admin is told, with the file; answers go on."""
    async with bot_running(fake_api, tmp_path, knowledge_copy, reload_interval=0.3):
        huge_copy(knowledge_copy)
        (notice,) = await fake_api.await_for(
            "sendMessage", timeout=15, predicate=lambda c: c.params["chat_id"] == ADMIN_ID
        )
        assert "REJECTED" in notice.params["text"]
        assert "qa.yaml" in notice.params["text"] and "bytes" in notice.params["text"]
        fake_api.push_message("how long has the war lasted", chat_id=71, user_id=71)
        (answer,) = await fake_api.await_for(
            "sendMessage", predicate=lambda c: c.params["chat_id"] == 71
        )
        assert "1,000 days" in answer.params["text"]


def test_starting_with_a_huge_file_exits_1_naming_it(
    fake_api: FakeBotAPI, tmp_path: Path, knowledge_copy: Path
) -> None:
    """`python -m bot run` with a 40 MB knowledge file: exit 1, file named, no traceback."""
    path = huge_copy(knowledge_copy)
    env = bot_env(
        token=fake_api.token,
        api_base_url=fake_api.base_url,
        db_path=str(tmp_path / "log.sqlite3"),
        knowledge_file=str(path),
    )
    result = run_bot_process(tmp_path, env)
    assert result.returncode == 1
    assert str(path) in result.stderr and "Traceback" not in result.stderr, result.stderr
