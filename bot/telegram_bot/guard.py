"""Per-sender flood guard: at most N requests per window, then one notice, then silence.

Kept in memory only, keyed by a numeric id (a user, or the chat a message was sent on behalf
of: see ``flood.py``), and forgotten as windows expire: nothing about users is written anywhere.
Its memory is bounded twice over: the ``flood-guard`` job (``jobs.py``) forgets idle senders
every minute, and the table never holds more than ``max_senders`` — when full, idle senders are
forgotten at once, and if none is idle the oldest sender is dropped.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable
from typing import Literal

Verdict = Literal["allow", "notice", "silent"]
# About 0.7 KB each: 100,000 senders in one window is under 100 MB.
MAX_SENDERS = 100_000


class FloodGuard:
    """Sliding-window limit of requests per sender, over a bounded table."""

    def __init__(
        self,
        limit: int,
        window: float,
        clock: Callable[[], float] = time.monotonic,
        max_senders: int = MAX_SENDERS,
    ) -> None:
        self.limit = limit
        self.window = window
        self.clock = clock
        self.max_senders = max_senders
        self._times: dict[int, deque[float]] = {}
        self._noticed: set[int] = set()

    def __len__(self) -> int:
        return len(self._times)

    def check(self, user_id: int) -> Verdict:
        """Record a request from ``user_id`` and say whether to serve it."""
        now = self.clock()
        times = self._times.get(user_id)
        if times is None:
            self._make_room()
            times = self._times[user_id] = deque()
        while times and now - times[0] >= self.window:
            times.popleft()
        if len(times) < self.limit:
            times.append(now)
            self._noticed.discard(user_id)
            return "allow"
        if user_id in self._noticed:
            return "silent"
        self._noticed.add(user_id)
        return "notice"

    def _make_room(self) -> None:
        """Keep the table under ``max_senders``: forget idle senders, else the oldest one."""
        if len(self._times) < self.max_senders:
            return
        self.forget_idle()
        if len(self._times) >= self.max_senders:
            oldest = next(iter(self._times))
            self._times.pop(oldest)
            self._noticed.discard(oldest)

    def forget_idle(self) -> None:
        """Drop senders whose window has expired (keeps memory bounded)."""
        now = self.clock()
        for user_id in [u for u, t in self._times.items() if not t or now - t[-1] >= self.window]:
            self._times.pop(user_id, None)
            self._noticed.discard(user_id)
