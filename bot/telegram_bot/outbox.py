"""Answers that could not be delivered during an outage, kept in memory and delivered later.

An answer (a ``send*`` call) is retried for BOT_ANSWER_RETRY_WINDOW seconds (``delivery.py``);
if Telegram is still unreachable then, the call is *parked* here instead of being dropped, and
its handler ends (its update slot is freed). The ``late-answers`` job (``jobs.py``) calls
``deliver`` about every second: while the API stays down it tries the oldest parked answer
once per round, with a back-off doubling up to BOT_OUTBOX_RETRY_MAX seconds; once a try gets
through, every parked answer goes out, oldest first, each prefixed with ``LATE_PREFIX`` so the
reader knows why it comes late. A chat held back by a 429 is skipped for the round.

Bounds: at most BOT_OUTBOX_PER_CHAT answers per chat and ``MAX_PARKED`` in all (the oldest
give way), none older than BOT_OUTBOX_MAX_AGE (an answer to a question an hour old is
dropped). Every answer dropped is counted (``dropped``) and logged without its chat — the outbox
lives in memory only and no reader id is written anywhere; ``/stats`` shows the counts.
"""

from __future__ import annotations

import logging
import time
from collections import Counter, deque
from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import dataclass
from typing import Any, Literal

log = logging.getLogger(__name__)
LATE_PREFIX = "(Sorry for the delay: Telegram could not be reached for a while.)\n\n"
MAX_PARKED = 10_000
FIRST_BACKOFF = 1.0
# What one try of a parked answer came to (``delivery.RetryingLimiter.try_parked``).
Outcome = Literal["sent", "flood", "down", "refused", "maybe"]


@dataclass(eq=False)  # identity: two answers with the same text are two answers
class Parked:
    """One undelivered Bot API call, as PTB handed it to the rate limiter."""

    chat: object
    first_try: float  # clock time of the call's first attempt
    endpoint: str
    data: dict[str, Any]
    callback: Callable[..., Coroutine[Any, Any, Any]]
    args: Any
    kwargs: dict[str, Any]
    marked_late: bool = False

    def mark_late(self) -> None:
        """Prefix the text with LATE_PREFIX (plain text or HTML; other modes left as they are)."""
        text, mode = self.data.get("text"), str(self.data.get("parse_mode") or "").upper()
        if not self.marked_late and isinstance(text, str) and mode in ("", "HTML"):
            self.data["text"] = LATE_PREFIX + text
        self.marked_late = True


class Outbox:
    """Parked answers, oldest first, bounded per chat, in all and in age; see the module."""

    def __init__(
        self,
        per_chat: int = 5,
        max_age: float = 3600.0,
        retry_max: float = 30.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.per_chat = per_chat
        self.max_age = max_age
        self.retry_max = retry_max
        self.first_backoff = min(FIRST_BACKOFF, retry_max)
        self.clock = clock
        self.delivered = 0  # delivered late since start
        self.dropped = 0  # given up since start: too old, too many, or refused by Telegram
        self._parked: deque[Parked] = deque()
        self._chats: Counter[object] = Counter()
        self._backoff = self.first_backoff
        self._next_try = 0.0
        self.busy = False  # a round is under way

    @property
    def pending(self) -> int:
        """Answers waiting to be delivered."""
        return len(self._parked)

    def park(self, item: Parked) -> None:
        """Keep an undelivered answer; the chat's oldest (or the oldest of all) gives way."""
        if not self._parked:
            self._next_try = self.clock() + self._backoff
        self._parked.append(item)
        self._chats[item.chat] += 1
        if self._chats[item.chat] > self.per_chat:
            self._drop(next(p for p in self._parked if p.chat == item.chat), "per-chat bound")
        if len(self._parked) > MAX_PARKED:
            self._drop(self._parked[0], "outbox bound")
        if self.pending == 1 or self.pending % 100 == 0:
            log.warning(
                "Telegram unreachable: an answer is kept for later (%d waiting)", self.pending
            )

    def due(self) -> bool:
        """Tell whether a round would do something now (expire or try answers)."""
        if self.busy or not self._parked:
            return False
        oldest = self._parked[0].first_try
        return self.clock() >= min(self._next_try, oldest + self.max_age)

    async def deliver(self, try_once: Callable[[Parked], Awaitable[Outcome]]) -> None:
        """One round: expire old answers, then (when due) try the parked ones, oldest first."""
        if self.busy:
            return
        self.busy = True
        try:
            self._expire()
            if self._parked and self.clock() >= self._next_try:
                await self._round(try_once)
        finally:
            self.busy = False

    async def _round(self, try_once: Callable[[Parked], Awaitable[Outcome]]) -> None:
        held: set[object] = set()  # chats a 429 holds back this round
        sent = 0
        for item in list(self._parked):
            if item.chat in held:
                continue
            item.mark_late()
            outcome = await try_once(item)
            if outcome == "down":
                self._back_off()
                break
            if outcome == "flood":
                held.add(item.chat)
                continue
            self._remove(item)
            sent += outcome == "sent"
            if outcome == "refused":
                self.dropped += 1
        else:
            self._backoff = self.first_backoff
        self.delivered += sent
        if sent:
            log.info("delivered %d late answers (%d still waiting)", sent, self.pending)

    def _back_off(self) -> None:
        self._next_try = self.clock() + self._backoff
        self._backoff = min(self._backoff * 2, self.retry_max)

    def _expire(self) -> None:
        limit = self.clock() - self.max_age
        expired = [p for p in self._parked if p.first_try < limit]
        for item in expired:
            self._remove(item)
        if expired:
            self.dropped += len(expired)
            log.warning(
                "dropped %d answers older than %.0f s (Telegram unreachable; %d dropped so far)",
                len(expired),
                self.max_age,
                self.dropped,
            )

    def _drop(self, item: Parked, reason: str) -> None:
        self._remove(item)
        self.dropped += 1
        log.warning("dropped an undelivered answer (%s; %d dropped so far)", reason, self.dropped)

    def _remove(self, item: Parked) -> None:
        self._parked.remove(item)
        self._chats[item.chat] -= 1
        if self._chats[item.chat] <= 0:
            del self._chats[item.chat]
