"""Per-user flood guard: at most N questions per window, then one notice, then silence.

Kept in memory only, keyed by the numeric user id, and forgotten as windows expire: nothing
about users is written anywhere.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable
from typing import Literal

Verdict = Literal["allow", "notice", "silent"]


class FloodGuard:
    """Sliding-window limit of questions per user."""

    def __init__(
        self, limit: int, window: float, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.limit = limit
        self.window = window
        self.clock = clock
        self._times: dict[int, deque[float]] = {}
        self._noticed: set[int] = set()

    def check(self, user_id: int) -> Verdict:
        """Record a question from ``user_id`` and say whether to answer it."""
        now = self.clock()
        times = self._times.setdefault(user_id, deque())
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

    def forget_idle(self) -> None:
        """Drop users whose window has expired (keeps memory bounded)."""
        now = self.clock()
        for user_id in [u for u, t in self._times.items() if not t or now - t[-1] >= self.window]:
            self._times.pop(user_id, None)
            self._noticed.discard(user_id)
