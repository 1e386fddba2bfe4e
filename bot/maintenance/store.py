"""The maintainers' log in SQLite: unanswered questions, picked suggestions and 👍/👎 feedback.

The file lives at ``BOT_DB_PATH``, is created on first use, runs in WAL mode so the CLI can read
while the bot writes, and carries a schema version (``PRAGMA user_version``). No readers' ids or
names are stored: a row says what was asked, when, in which kind of chat, and how the bot fared.
``evidence`` links a question to the entry a reader picked for it (or 👎'd), and ``edits`` logs
every change ``review`` made to the knowledge, with the admin's numeric id: admins are operators.
Writes never break answering: every failure is logged and swallowed (``Store.healthy`` tells;
``record_batch`` returns False so the caller can keep the rows for its next try). A log file
deleted or replaced while the bot runs is noticed (its inode changed) before the next read or
write, which then reopen the file at ``BOT_DB_PATH`` instead of the unlinked one.
"""

from __future__ import annotations

import logging
import os
import sqlite3
import threading
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

SCHEMA_VERSION = 2
SCHEMA = """
CREATE TABLE IF NOT EXISTS questions (
    id INTEGER PRIMARY KEY,
    asked_at REAL NOT NULL,
    text TEXT NOT NULL,
    chat_type TEXT NOT NULL,
    outcome TEXT NOT NULL,          -- answer | suggest | decline
    best_entry TEXT,
    best_score REAL
);
CREATE INDEX IF NOT EXISTS questions_outcome ON questions (outcome, asked_at);
CREATE TABLE IF NOT EXISTS picks (
    id INTEGER PRIMARY KEY,
    picked_at REAL NOT NULL,
    entry TEXT NOT NULL,
    source TEXT NOT NULL            -- suggest | decline | related | topics | start
);
CREATE TABLE IF NOT EXISTS outcome_counts (
    day TEXT NOT NULL,              -- YYYY-MM-DD (UTC)
    outcome TEXT NOT NULL,          -- answer | suggest | decline | smalltalk | empty
    entry TEXT NOT NULL DEFAULT '', -- the answered entry, '' otherwise
    count INTEGER NOT NULL,
    PRIMARY KEY (day, outcome, entry)
);
CREATE TABLE IF NOT EXISTS feedback (
    id INTEGER PRIMARY KEY,
    given_at REAL NOT NULL,
    entry TEXT NOT NULL,
    vote INTEGER NOT NULL           -- +1 or -1
);
CREATE TABLE IF NOT EXISTS evidence (
    id INTEGER PRIMARY KEY,
    given_at REAL NOT NULL,
    question TEXT NOT NULL,         -- what the reader asked
    entry TEXT NOT NULL,
    kind TEXT NOT NULL              -- pick (a did-you-mean or decline button) | down (👎)
);
CREATE TABLE IF NOT EXISTS edits (
    id INTEGER PRIMARY KEY,
    edited_at REAL NOT NULL,
    admin_id INTEGER,               -- Telegram user id of the admin; NULL from the terminal
    action TEXT NOT NULL,           -- add | out-of-scope | undo
    entry TEXT,
    phrasing TEXT NOT NULL
);
"""
MAX_TEXT = 1000
QuestionRow = tuple[float, str, str, str, "str | None", "float | None"]
VoteRow = tuple[float, str, int]  # given_at, entry, +1 or -1
PickRow = tuple[float, str, str]  # picked_at, entry, source
EvidenceRow = tuple[float, str, str, str]  # given_at, question, entry, pick or down


def _insert_batch(
    db: sqlite3.Connection,
    counts: Mapping[tuple[str, str, str], int],
    questions: Sequence[QuestionRow],
    votes: Sequence[VoteRow],
    picks: Sequence[PickRow],
    evidence: Sequence[EvidenceRow] = (),
) -> None:
    db.executemany(
        "INSERT INTO outcome_counts (day, outcome, entry, count) VALUES (?, ?, ?, ?) "
        "ON CONFLICT (day, outcome, entry) DO UPDATE SET count = count + excluded.count",
        [(day, outcome, entry, n) for (day, outcome, entry), n in counts.items()],
    )
    db.executemany(
        "INSERT INTO questions (asked_at, text, chat_type, outcome, best_entry, best_score) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        [(at, text[:MAX_TEXT], *rest) for at, text, *rest in questions],
    )
    db.executemany(
        "INSERT INTO feedback (given_at, entry, vote) VALUES (?, ?, ?)",
        [(at, entry, 1 if vote > 0 else -1) for at, entry, vote in votes],
    )
    db.executemany("INSERT INTO picks (picked_at, entry, source) VALUES (?, ?, ?)", picks)
    db.executemany(
        "INSERT INTO evidence (given_at, question, entry, kind) VALUES (?, ?, ?, ?)",
        [(at, question[:MAX_TEXT], entry, kind) for at, question, entry, kind in evidence],
    )


def today() -> str:
    """Return the UTC date the counts are filed under."""
    return time.strftime("%Y-%m-%d", time.gmtime())


class Store:
    """Thread-safe, failure-tolerant writer and reader of the maintainers' log."""

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        self._lock = threading.Lock()
        self._connection: sqlite3.Connection | None = None
        self._file_id: tuple[int, int] | None = None
        self.healthy = True

    def _file_changed(self) -> bool:
        """Tell whether the open connection's file was deleted or replaced (then drop it)."""
        if self._connection is None:
            return False
        try:
            stat = os.stat(self.path)
            current: tuple[int, int] | None = (stat.st_dev, stat.st_ino)
        except OSError:
            current = None
        if current == self._file_id:
            return False
        log.warning("maintainers' log: %s was deleted or replaced; reopening it", self.path)
        self._reset()
        return True

    def _connect(self) -> sqlite3.Connection:
        if self._connection is None:
            if self.path.parent and not self.path.parent.exists():
                self.path.parent.mkdir(parents=True, exist_ok=True)
            connection = sqlite3.connect(self.path, timeout=2.0, check_same_thread=False)
            connection.execute("PRAGMA journal_mode=WAL")
            # WAL with synchronous=NORMAL: no fsync per commit; a power cut may lose the last
            # commits of this log, never corrupt it.
            connection.execute("PRAGMA synchronous=NORMAL")
            connection.execute("PRAGMA busy_timeout=2000")
            version = connection.execute("PRAGMA user_version").fetchone()[0]
            if version > SCHEMA_VERSION:
                connection.close()
                raise sqlite3.DatabaseError(
                    f"{self.path} has schema version {version}, newer than {SCHEMA_VERSION}"
                )
            connection.executescript(SCHEMA)
            connection.execute(f"PRAGMA user_version={SCHEMA_VERSION}")
            connection.commit()
            stat = os.stat(self.path)
            self._file_id = (stat.st_dev, stat.st_ino)
            self._connection = connection
        return self._connection

    @contextmanager
    def _writing(self, what: str) -> Iterator[sqlite3.Connection | None]:
        """Yield a connection to write with (None when the log is unusable); commit after."""
        with self._lock:
            self._file_changed()
            try:
                connection = self._connect()
            except (sqlite3.Error, OSError) as exc:
                self._failed(what, exc)
                yield None
                return
            try:
                yield connection
                connection.commit()
                self.healthy = True
            except (sqlite3.Error, OSError) as exc:
                with suppress(sqlite3.Error):
                    connection.rollback()
                self._failed(what, exc)

    def _failed(self, what: str, exc: Exception) -> None:
        self.healthy = False
        log.error("maintainers' log: could not record %s in %s: %s", what, self.path, exc)
        self._reset()

    def _reset(self) -> None:
        if self._connection is not None:
            with suppress(sqlite3.Error):
                self._connection.close()
        self._connection = None

    def record_batch(
        self,
        counts: Mapping[tuple[str, str, str], int],
        questions: Sequence[QuestionRow],
        votes: Sequence[VoteRow] = (),
        picks: Sequence[PickRow] = (),
        evidence: Sequence[EvidenceRow] = (),
    ) -> bool:
        """Write reply counts keyed by (day, outcome, entry or ''), unanswered questions
        (asked_at, text, chat_type, outcome, best_entry, best_score), votes, picks and review
        evidence, in one transaction; tell whether they were written (nothing is, on failure)."""
        if not (counts or questions or votes or picks or evidence):
            return True
        with self._writing("counts, questions and votes") as db:
            if db is None:
                return False
            _insert_batch(db, counts, questions, votes, picks, evidence)
        return self.healthy

    def totals(self) -> dict[str, int]:
        """Return all-time reply counts per outcome."""
        rows = self.rows("SELECT outcome, SUM(count) FROM outcome_counts GROUP BY outcome")
        return {outcome: int(total) for outcome, total in rows}

    def top_entries(self, limit: int = 5) -> list[tuple[str, int]]:
        """Return the most answered entries of all time."""
        rows = self.rows(
            "SELECT entry, SUM(count) AS n FROM outcome_counts WHERE entry != '' "
            "GROUP BY entry ORDER BY n DESC, entry LIMIT ?",
            (limit,),
        )
        return [(entry, int(n)) for entry, n in rows]

    def record_pick(self, entry: str, source: str) -> None:
        """Log that a reader pressed a question button (which suggestion was picked)."""
        with self._writing("a pick") as db:
            if db is not None:
                db.execute(
                    "INSERT INTO picks (picked_at, entry, source) VALUES (?, ?, ?)",
                    (time.time(), entry, source),
                )

    def record_feedback(self, entry: str, vote: int) -> None:
        """Log a 👍 (+1) or 👎 (-1) on an entry's answer."""
        with self._writing("feedback") as db:
            if db is not None:
                db.execute(
                    "INSERT INTO feedback (given_at, entry, vote) VALUES (?, ?, ?)",
                    (time.time(), entry, 1 if vote > 0 else -1),
                )

    def record_evidence(self, question: str, entry: str, kind: str) -> None:
        """Log that the reader who asked ``question`` picked (``pick``) or 👎'd (``down``) entry."""
        with self._writing("evidence") as db:
            if db is not None:
                db.execute(
                    "INSERT INTO evidence (given_at, question, entry, kind) VALUES (?, ?, ?, ?)",
                    (time.time(), question[:MAX_TEXT], entry, kind),
                )

    def record_edit(
        self, admin_id: int | None, action: str, entry: str | None, phrasing: str
    ) -> None:
        """Log one change made by ``review``: who (an admin's id, None from the terminal), what."""
        with self._writing("an edit") as db:
            if db is not None:
                db.execute(
                    "INSERT INTO edits (edited_at, admin_id, action, entry, phrasing) "
                    "VALUES (?, ?, ?, ?, ?)",
                    (time.time(), admin_id, action, entry, phrasing[:MAX_TEXT]),
                )

    def rows(self, query: str, params: tuple[object, ...] = ()) -> list[tuple[Any, ...]]:
        """Run a read query; an unreadable or missing log reads as empty."""
        if not self.path.exists():
            return []
        with self._lock:
            self._file_changed()
            try:
                return self._connect().execute(query, params).fetchall()
            except sqlite3.Error as exc:
                log.error("maintainers' log: could not read %s: %s", self.path, exc)
                self._reset()
                return []

    def close(self) -> None:
        """Close the connection (the file stays)."""
        with self._lock:
            self._reset()
