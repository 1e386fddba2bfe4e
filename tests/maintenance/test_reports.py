"""Maintainers' reports: unanswered questions grouped and counted, feedback per entry."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from bot.maintenance.reports import feedback_rows, parse_since, unanswered_groups
from bot.maintenance.store import QuestionRow, Store
from tests.support.paths import REPO


def fill(store: Store) -> None:
    """Log five unanswered questions the way the bot does, in one batch."""
    now = time.time()
    rows: list[QuestionRow] = [
        (now, text, "private", "decline", "ceasefire-for-nato", 40.0)
        for text in ["Is Finland a NATO member?", "is finland in nato", "finland nato membership"]
    ]
    rows.append((now, "how many soldiers died", "group", "decline", None, None))
    rows.append((now, "nato", "private", "suggest", "occupied-areas-return", 80.0))
    store.record_batch({}, rows)


def test_similar_questions_are_grouped_and_sorted_by_count(tmp_path: Path, knowledge) -> None:
    """Rewordings of one question form one group; the most asked group comes first."""
    store = Store(tmp_path / "log.sqlite3")
    fill(store)
    groups = unanswered_groups(store, knowledge)
    assert groups[0].count == 3
    assert "finland" in groups[0].example.lower()
    assert len(groups[0].variants) == 3
    assert sum(g.count for g in groups) == 5
    assert all(g.nearest_entry for g in groups if "nato" in g.example.lower())


def test_groups_name_the_words_the_knowledge_never_uses(tmp_path: Path, knowledge) -> None:
    """Each group lists the unknown words of its questions, the next synonyms to consider."""
    store = Store(tmp_path / "log.sqlite3")
    fill(store)
    by_example = {g.example: g for g in unanswered_groups(store, knowledge)}
    assert by_example["Is Finland a NATO member?"].unknown_words == ["finland"]
    assert by_example["nato"].unknown_words == []


def test_since_and_limit(tmp_path: Path, knowledge) -> None:
    """--since drops older questions; --limit caps the number of groups."""
    store = Store(tmp_path / "log.sqlite3")
    fill(store)
    assert unanswered_groups(store, knowledge, since=4_102_444_800.0) == []  # year 2100
    assert len(unanswered_groups(store, knowledge, limit=1)) == 1


@pytest.mark.parametrize(
    ("value", "seconds_ago"), [("7d", 7 * 86400), ("24h", 86400), ("30m", 1800)]
)
def test_parse_since_relative(value: str, seconds_ago: int) -> None:
    """Relative --since values count back from now."""
    assert parse_since(value, now=1_000_000.0) == 1_000_000.0 - seconds_ago


def test_parse_since_rejects_garbage() -> None:
    """A --since that is neither relative nor a date is a clear error."""
    with pytest.raises(ValueError, match="--since"):
        parse_since("last tuesday")


def test_feedback_most_down_votes_first(tmp_path: Path) -> None:
    """Entries are ranked by 👎, then fewer 👍."""
    store = Store(tmp_path / "log.sqlite3")
    for entry, vote in [("a", -1), ("a", -1), ("b", -1), ("b", 1), ("c", 1)]:
        store.record_feedback(entry, vote)
    rows = feedback_rows(store)
    assert [r["entry"] for r in rows] == ["a", "b", "c"]
    assert rows[0] == {"entry": "a", "up": 0, "down": 2}


def run_cli(tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    """Run `python -m bot ARGS` in tmp_path with its log there (tests using it are e2e)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("BOT_")}
    env.update({"BOT_DB_PATH": str(tmp_path / "log.sqlite3"), "PYTHONPATH": str(REPO)})
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.e2e
def test_cli_unanswered_and_feedback_read_the_log(tmp_path: Path) -> None:
    """`unanswered` and `feedback` (text and --json) show what the bot logged."""
    store = Store(tmp_path / "log.sqlite3")
    fill(store)
    store.record_feedback("war-duration", -1)
    store.close()
    text = run_cli(tmp_path, "unanswered")
    assert text.returncode == 0, text.stderr
    assert "Is Finland a NATO member?" in text.stdout and "also:" in text.stdout
    assert "new words: finland" in text.stdout
    data = json.loads(run_cli(tmp_path, "unanswered", "--json", "--limit", "2").stdout)
    assert len(data) == 2 and data[0]["count"] == 3
    assert data[0]["unknown_words"] == ["finland"]
    feedback = json.loads(run_cli(tmp_path, "feedback", "--json").stdout)
    assert feedback == [{"entry": "war-duration", "up": 0, "down": 1}]


@pytest.mark.e2e
def test_cli_reports_on_missing_log(tmp_path: Path) -> None:
    """With no log yet, the reports say so instead of failing (and create nothing)."""
    assert "No unanswered questions" in run_cli(tmp_path, "unanswered").stdout
    assert "No feedback" in run_cli(tmp_path, "feedback").stdout
    assert not (tmp_path / "log.sqlite3").exists()
