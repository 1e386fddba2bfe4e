"""`python -m bot review` driven with piped keys, then `validate` and `eval` on what it wrote."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from bot.maintenance.store import Store
from tests.support.review_cases import CARNAGE, DECLINED, added_lines, log_questions
from tests.support.subprocess_env import clean_env

pytestmark = pytest.mark.e2e
SKIRMISH = "how long is the skirmishing"
TIMEOUT = 120


def bot(args: list[str], env: dict[str, str], stdin: str = "") -> subprocess.CompletedProcess[str]:
    """Run `python -m bot ARGS` with that environment and stdin."""
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        timeout=TIMEOUT,
        check=False,
    )


@pytest.fixture
def review_env(knowledge_copy: Path, tmp_path: Path) -> dict[str, str]:
    """A log with three unanswered questions, and the settings `review` reads."""
    store = Store(tmp_path / "log.sqlite3")
    log_questions(store, *[(CARNAGE, "suggest")] * 3, *[(SKIRMISH, "suggest")] * 2)
    log_questions(store, (DECLINED, "decline"))
    store.record_evidence(CARNAGE, "war-duration", "pick")
    store.close()
    return clean_env(
        BOT_KNOWLEDGE_FILE=str(knowledge_copy),
        BOT_DB_PATH=str(tmp_path / "log.sqlite3"),
        BOT_REGRESSIONS_FILE=str(tmp_path / "regressions.yaml"),
    )


def test_review_with_piped_keys_add_undo_skip_out_of_scope(
    review_env: dict[str, str], knowledge_copy: Path, tmp_path: Path
) -> None:
    """1 adds, 1 adds, u undoes the second, s skips it, o marks the declined question."""
    before = knowledge_copy.read_text(encoding="utf-8")
    result = bot(["review"], review_env, stdin="1\n1\nu\ns\no\nq\n")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "[1/3]" in out and "1 reader picked war-duration" in out
    assert f"✔ added '{CARNAGE}' to war-duration" in out
    assert f"↩ undone: '{SKIRMISH}' from war-duration" in out
    assert f"✔ recorded '{DECLINED}' as out of scope" in out
    assert "2 edit(s) kept" in out
    added, removed = added_lines(before, knowledge_copy.read_text(encoding="utf-8"))
    assert removed == [] and [line.strip() for line in added] == [f"- {CARNAGE}"]
    validate = bot(["validate"], review_env)
    assert validate.returncode == 0, validate.stderr
    evaluation = bot(["eval", str(tmp_path / "regressions.yaml"), "--no-sweep"], review_env)
    assert evaluation.returncode == 0, evaluation.stderr
    all_row = next(line for line in evaluation.stdout.splitlines() if line.startswith("all"))
    assert all_row.endswith("1/1 = 100.0%")  # the out-of-scope question is declined
    assert "misses (0)" in evaluation.stdout
    asked = bot(["ask", "--json", CARNAGE], review_env)
    assert json.loads(asked.stdout)["entry"] == "war-duration"


def test_review_json_lists_the_suggestions(review_env: dict[str, str]) -> None:
    result = bot(["review", "--json"], review_env)
    assert result.returncode == 0, result.stderr
    rows = json.loads(result.stdout)
    assert [row["question"] for row in rows] == [CARNAGE, SKIRMISH, DECLINED]
    assert rows[0]["evidence"] == 1 and rows[0]["options"][0]["entry_id"] == "war-duration"


def test_review_refuses_when_the_file_was_edited_meanwhile(
    review_env: dict[str, str], knowledge_copy: Path
) -> None:
    """The file edited (here: broken) by hand after review started: refused, nothing written."""
    script = "1\n"  # the knowledge file is broken below, before the key is read
    broken = knowledge_copy.read_text(encoding="utf-8").replace("  - id: war-duration", "  - id:")
    process = subprocess.Popen(
        [sys.executable, "-m", "bot", "review"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=review_env,
    )
    assert process.stdout is not None and process.stdin is not None
    for line in process.stdout:
        if line.strip().startswith("1-3:"):
            break
    knowledge_copy.write_text(broken, encoding="utf-8")
    out, err = process.communicate(script + "q\n", timeout=TIMEOUT)
    assert process.returncode == 0, err
    assert "changed by someone else" in out
    assert knowledge_copy.read_text(encoding="utf-8") == broken
