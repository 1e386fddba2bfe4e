"""Delivery that survives rate limits and network faults: a retrying rate limiter for PTB.

Every Bot API call except getUpdates passes through ``RetryingLimiter``. It optionally applies
PTB's ``AIORateLimiter`` (Telegram's per-chat and overall limits, waits out 429 ``retry_after``)
and retries transient failures with exponential back-off (0.5 s doubling to 8 s): Telegram's
5xx answers, 502 pages, dropped connections, connect and pool timeouts, and 429s the inner
limiter gave up on. A ``send*`` call — an answer — is retried until ``send_deadline``
(BOT_ANSWER_RETRY_WINDOW, 60 s) has passed since its first attempt, so a minute-long outage
delays answers instead of losing them; other calls get ``attempts`` tries (a button's answer is
useless after a few seconds anyway). At most ``in_flight`` requests are handed to httpx at once
(``_attempt``).

A 429's ``retry_after`` holds back only the chat Telegram said it for: later calls to that chat
wait it out, calls to other chats go on (PTB's ``AIORateLimiter`` would pause every call; here
it gets no retries of its own). A 429 on a call without a chat (answering a button press or an
inline query, setting commands) still holds back every call.

Which failures of an answer are retried is ``failures.py``'s policy: not a read timeout or a
proxy's 504 (the request may well have been delivered: Telegram has no idempotency key, and a
retry would be a duplicate answer; logged as a warning), but connection failures, Telegram's
errors, 502 pages and dropped connections. An answer still undelivered when its deadline
passes is parked in the ``Outbox`` (``outbox.py``) and delivered late once Telegram answers
again (``try_parked``), instead of being lost; the handler gets ``Undelivered``.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import time
from collections.abc import Callable, Coroutine
from typing import Any

from telegram.error import NetworkError, RetryAfter, TelegramError
from telegram.ext import AIORateLimiter, BaseRateLimiter

from bot.telegram_bot.failures import (
    AMBIGUOUS,
    RETRIED_WHEN_AMBIGUOUS,
    FailureKind,
    failure_kind,
    retried,
)
from bot.telegram_bot.outbox import Outbox, Outcome, Parked

log = logging.getLogger(__name__)
Callback = Callable[..., Coroutine[Any, Any, bool | dict[str, Any] | list[dict[str, Any]]]]


class Undelivered(NetworkError):
    """An answer not delivered within its deadline; parked in the outbox for later."""


class RetryingLimiter(BaseRateLimiter[int]):
    """Rate limiting (optional) plus bounded retries of transient Bot API failures."""

    def __init__(
        self,
        rate_limit: bool = True,
        attempts: int = 5,
        base_delay: float = 0.5,
        max_delay: float = 8.0,
        max_retry_after: float = 60.0,
        send_deadline: float = 60.0,
        clock: Callable[[], float] = time.monotonic,
        outbox: Outbox | None = None,
        retried_when_ambiguous: frozenset[FailureKind] = RETRIED_WHEN_AMBIGUOUS,
        in_flight: int | None = None,
    ) -> None:
        self.inner = telegram_limits() if rate_limit else None
        # Requests on the wire at once (None: no bound); see ``_attempt``.
        self._in_flight = asyncio.Semaphore(in_flight) if in_flight else None
        self.attempts = attempts
        self.send_deadline = send_deadline
        self.clock = clock
        self.outbox = outbox
        self.retried_when_ambiguous = retried_when_ambiguous
        # chat id (None: every call) -> monotonic time before which its calls wait (429s)
        self._held_until: dict[object, float] = {}
        self.base_delay = base_delay
        self.max_delay = max_delay
        self.max_retry_after = max_retry_after

    async def initialize(self) -> None:
        """Initialise the inner rate limiter."""
        if self.inner is not None:
            await self.inner.initialize()

    async def shutdown(self) -> None:
        """Shut the inner rate limiter down."""
        if self.inner is not None:
            await self.inner.shutdown()

    async def process_request(
        self,
        callback: Callback,
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> bool | dict[str, Any] | list[dict[str, Any]]:
        """Send one request, retrying transient failures with back-off."""
        creates_message = endpoint.startswith("send")
        started, slept, waited = self.clock(), 0.0, 0.0  # back-off; retry_after waits
        attempt = 0
        chat = data.get("chat_id") if isinstance(data, dict) else None
        while True:
            attempt += 1
            waited += await self._wait_if_held(chat)
            try:
                return await self._attempt(callback, args, kwargs, endpoint, data)
            except (RetryAfter, NetworkError) as exc:
                delay, flood = self._retry_delay(exc, attempt, creates_message, endpoint)
                error = exc
                if flood:
                    self._hold(chat, delay)
            spent = max(self.clock() - started - waited, slept)
            if self._gives_up(creates_message and not flood, attempt, spent + delay):
                if creates_message and chat is not None and self.outbox is not None:
                    self._park(chat, started, (callback, args, kwargs, endpoint, data))
                    raise Undelivered(f"{endpoint} kept for later: {error}") from error
                raise error
            log.warning(
                "%s failed (%s: %s); retry %d in %.1fs",
                endpoint,
                type(error).__name__,
                error,
                attempt,
                delay,
            )
            if not flood:  # a 429 is waited out by _wait_if_held, with the chat's other calls
                await asyncio.sleep(delay)
                slept += delay

    async def try_parked(self, item: Parked) -> Outcome:
        """Try a parked answer once (rate limits applied): what it came to, for the outbox."""
        if self._held_for(item.chat) > 0:
            return "flood"
        call = (item.callback, item.args, item.kwargs, item.endpoint, item.data)
        try:
            await self._attempt(*call)
        except TelegramError as exc:
            kind = failure_kind(exc)
            if isinstance(exc, RetryAfter):
                self._hold(item.chat, min(_retry_seconds(exc), self.max_retry_after))
                return "flood"
            if kind == "refused":
                log.warning("a late answer was refused (%s: %s)", type(exc).__name__, exc)
                return "refused"
            return "down" if retried(kind, True, self.retried_when_ambiguous) else "maybe"
        return "sent"

    async def _attempt(
        self, callback: Callback, args: Any, kwargs: dict[str, Any], endpoint: str, data: Any
    ) -> bool | dict[str, Any] | list[dict[str, Any]]:
        """One try, after the rate limits; holding one of the ``in_flight`` places meanwhile.

        httpx's connection pool re-examines every connection and every waiting request each
        time a request arrives or ends: with more requests than connections that bookkeeping
        grew to most of the bot's CPU under a backlog. Requests beyond the pool's size wait
        here instead, in a plain semaphore, and only after the rate limiter let them through
        (a reply waiting for its group's budget holds no place).
        """
        if self._in_flight is not None:
            callback = functools.partial(self._bounded, callback)
        if self.inner is not None:
            return await self.inner.process_request(callback, args, kwargs, endpoint, data, None)
        return await callback(*args, **kwargs)

    async def _bounded(self, callback: Callback, *args: Any, **kwargs: Any) -> Any:
        assert self._in_flight is not None
        async with self._in_flight:
            return await callback(*args, **kwargs)

    def _park(self, chat: object, started: float, call: tuple[Any, ...]) -> None:
        assert self.outbox is not None
        callback, args, kwargs, endpoint, data = call
        self.outbox.park(Parked(chat, started, endpoint, data, callback, args, kwargs))

    def _hold(self, chat: object, seconds: float) -> None:
        """Hold back the chat's calls (every call: ``chat`` None) for ``seconds``."""
        now = time.monotonic()
        if len(self._held_until) > 1000:  # forget holds that have ended (memory stays bounded)
            self._held_until = {c: t for c, t in self._held_until.items() if t > now}
        self._held_until[chat] = now + seconds

    def _held_for(self, chat: object) -> float:
        """Seconds a 429 still holds back this chat (or every call)."""
        until = max(self._held_until.get(chat, 0.0), self._held_until.get(None, 0.0))
        return until - time.monotonic()

    async def _wait_if_held(self, chat: object) -> float:
        """Wait while a 429 holds back this chat (or every call); return the seconds waited."""
        delay = self._held_for(chat)
        if delay <= 0:
            self._held_until.pop(chat, None)
            return 0.0
        await asyncio.sleep(delay)
        return delay

    def _retry_delay(
        self, exc: Exception, attempt: int, creates_message: bool, endpoint: str
    ) -> tuple[float, bool]:
        """How long to wait before retrying after ``exc``, and whether it was a 429; or raise."""
        kind = failure_kind(exc)
        if isinstance(exc, RetryAfter):
            return min(_retry_seconds(exc), self.max_retry_after), True
        if not retried(kind, creates_message, self.retried_when_ambiguous):
            if kind in AMBIGUOUS:
                log.warning("%s: %s after sending; not retried (may be delivered)", endpoint, kind)
            raise exc
        return self._backoff(attempt), False

    def _gives_up(self, by_deadline: bool, attempt: int, spent_by_next_try: float) -> bool:
        """Failed answers are retried within their deadline; 429s and other calls, N times."""
        if by_deadline:
            return spent_by_next_try > self.send_deadline
        return attempt >= self.attempts

    def _backoff(self, attempt: int) -> float:
        return min(self.base_delay * 2 ** (attempt - 1), self.max_delay)


def _retry_seconds(exc: RetryAfter) -> float:
    # PTB 22 keeps a timedelta and warns when ``retry_after`` is read as an int.
    value = getattr(exc, "_retry_after", None)
    if value is None:
        value = exc.retry_after
    return value.total_seconds() if hasattr(value, "total_seconds") else float(value)


class _QuietRateLimitGiveUp(logging.Filter):
    """Drop AIORateLimiter's traceback for a 429 it passes on (RetryingLimiter handles it)."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not record.getMessage().startswith("Rate limit hit after maximum of 0 retries")


logging.getLogger("telegram.ext.AIORateLimiter").addFilter(_QuietRateLimitGiveUp())


def telegram_limits() -> AIORateLimiter:
    """PTB's limiter, configured so no window ever exceeds Telegram's limits.

    ``AIORateLimiter`` is a leaky bucket: with its defaults (30 per second, 20 per minute per
    group) a full bucket plus a window's refill lets about twice the limit through in one
    window. Small buckets drained a little below the limits keep every 1-second window under
    30 messages (burst 4 + 20/s, with room for timer jitter) and every minute in a group at or
    under 20 (burst 4 + 16/min).
    """
    return AIORateLimiter(
        overall_max_rate=4,
        overall_time_period=0.2,
        group_max_rate=4,
        group_time_period=15,
        max_retries=0,  # RetryingLimiter waits out 429s, for the chat concerned only
    )
