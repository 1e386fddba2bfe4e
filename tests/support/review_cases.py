"""What the review tests share: the questions they teach, logging them, reading a file's diff."""

from __future__ import annotations

import difflib
import time

from bot.maintenance.store import Store

# Not answered today ("did you mean" with war-duration first); once a phrasing, answered.
CARNAGE = "how long has the carnage dragged on"
# Declined: no entry shares a word with it.
DECLINED = "carnage tenure"


def log_questions(store: Store, *rows: tuple[str, str]) -> None:
    """Log unanswered questions as the bot does: (text, outcome)."""
    now = time.time()
    store.record_batch({}, [(now, text, "private", outcome, None, None) for text, outcome in rows])


def added_lines(before: str, after: str) -> tuple[list[str], list[str]]:
    """The lines a `git diff` would show as added and removed."""
    diff = list(difflib.ndiff(before.splitlines(), after.splitlines()))
    return [d[2:] for d in diff if d.startswith("+ ")], [d[2:] for d in diff if d.startswith("- ")]
