"""The maintainers' log: created on first use, WAL, versioned, no user data, never raises."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

from bot.maintenance.store import MAX_TEXT, SCHEMA_VERSION, Store, today


def test_created_on_first_write_in_wal_mode_with_schema_version(tmp_path: Path) -> None:
    """The file and its parent folder appear on first write; WAL and user_version are set."""
    path = tmp_path / "sub" / "log.sqlite3"
    store = Store(path)
    assert not path.exists()
    store.record_batch({}, [(1_000.0, "is finland in nato", "private", "decline", "summary", 21.5)])
    assert path.exists()
    db = sqlite3.connect(path)
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    row = db.execute(
        "SELECT asked_at, text, chat_type, outcome, best_entry, best_score FROM questions"
    )
    assert row.fetchone() == (1_000.0, "is finland in nato", "private", "decline", "summary", 21.5)


def test_counts_totals_and_top_entries(tmp_path: Path) -> None:
    """Outcome counts add up per outcome across batches and days, and answered entries rank by
    count."""
    store = Store(tmp_path / "log.sqlite3")
    day = today()
    store.record_batch({(day, "answer", "war-duration"): 1, (day, "answer", "summary"): 1}, [])
    store.record_batch({(day, "answer", "war-duration"): 1, (day, "decline", ""): 1}, [])
    store.record_batch({("2000-01-01", "answer", "summary"): 2}, [])
    assert store.totals() == {"answer": 5, "decline": 1}
    assert store.top_entries() == [("summary", 3), ("war-duration", 2)]
    assert store.top_entries(1) == [("summary", 3)]


def test_a_batch_without_counts_or_questions_writes_nothing(tmp_path: Path) -> None:
    """An empty batch does not even create the file."""
    path = tmp_path / "log.sqlite3"
    Store(path).record_batch({}, [])
    assert not path.exists()


def test_long_questions_are_cut(tmp_path: Path) -> None:
    """A question is stored up to MAX_TEXT characters."""
    store = Store(tmp_path / "log.sqlite3")
    store.record_batch({}, [(1.0, "x" * 5000, "private", "decline", None, None)])
    [(text,)] = store.rows("SELECT text FROM questions")
    assert text == "x" * MAX_TEXT


def test_reader_sees_writes_while_writer_is_open(tmp_path: Path) -> None:
    """A second connection (the CLI) reads what the bot's open connection wrote."""
    path = tmp_path / "log.sqlite3"
    writer = Store(path)
    writer.record_feedback("summary", -1)
    reader = Store(path)
    assert reader.rows("SELECT entry, vote FROM feedback") == [("summary", -1)]
    writer.record_feedback("summary", 1)
    assert len(reader.rows("SELECT * FROM feedback")) == 2


def test_newer_schema_is_refused_without_raising(tmp_path: Path) -> None:
    """A database from a newer version is not touched; the failure is reported, not raised."""
    path = tmp_path / "log.sqlite3"
    db = sqlite3.connect(path)
    db.execute(f"PRAGMA user_version={SCHEMA_VERSION + 1}")
    db.commit()
    db.close()
    store = Store(path)
    store.record_pick("summary", "suggest")
    assert store.healthy is False


def test_unusable_path_is_logged_not_raised(tmp_path: Path, caplog) -> None:
    """A path SQLite cannot open makes writes no-ops with an error in the log."""
    store = Store(tmp_path)  # a directory
    store.record_batch({}, [(1.0, "q", "private", "decline", None, None)])
    assert store.healthy is False
    assert any("could not record" in r.message for r in caplog.records)
    assert store.rows("SELECT * FROM questions") == []


def test_no_column_can_hold_a_user(tmp_path: Path) -> None:
    """No table has a column for user ids, chat ids or names."""
    path = tmp_path / "log.sqlite3"
    Store(path).record_batch({(today(), "answer", "summary"): 1}, [])
    db = sqlite3.connect(path)
    tables = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")]
    columns = [c[1] for t in tables for c in db.execute(f"PRAGMA table_info({t})")]
    assert not [c for c in columns if "user" in c or "chat_id" in c or "name" in c]


def test_concurrent_writers_lose_nothing(tmp_path: Path) -> None:
    """Writes from several threads all land (the bot records from worker threads)."""
    store = Store(tmp_path / "log.sqlite3")
    threads = [
        threading.Thread(target=lambda: [store.record_feedback("x", 1) for _ in range(50)])
        for _ in range(4)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert store.rows("SELECT COUNT(*) FROM feedback") == [(200,)]
