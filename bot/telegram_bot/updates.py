"""Reading a getUpdates batch one update at a time, so one unreadable update cannot stop polling.

PTB parses a whole getUpdates batch at once: a single update it cannot parse (a message without
``date``, ``from`` as a string, an entity without ``offset``…) fails the batch, PTB logs it at
CRITICAL with every update's content (names, texts) and polls again from the same offset,
forever. ``TolerantBot`` is PTB's ``ExtBot`` with a ``get_updates`` that parses each update on
its own. An update it cannot parse is replaced by an empty ``Update`` with the same id — no
handler matches it, and the offset moves past it — counted in ``skipped_updates``, and logged
once at WARNING with its id and the exception's type only (never its content). Webhook mode
refuses such an update with 400 (``webhook.py``).

A 401/404 on getUpdates after start (PTB would stop polling for good at the first one, leaving
the process up and deaf) is retried as a network error, with PTB's back-off, up to
``MAX_REJECTIONS`` times in a row; then the token counts as really rejected: ``token_rejected``
is set, the ``when_token_rejected`` callbacks run (``app.py``'s stops the application) and
``python -m bot run`` exits 1 with one line without the token (``lifecycle.py``).
"""

from __future__ import annotations

import asyncio
import datetime as dtm
import logging
from collections.abc import Callable, Sequence
from typing import Any

from telegram import Update
from telegram._utils.defaultvalue import DEFAULT_NONE, DefaultValue
from telegram._utils.types import JSONDict, ODVInput
from telegram.error import InvalidToken, NetworkError
from telegram.ext import ExtBot

log = logging.getLogger(__name__)
# 401/404 answers to getUpdates in a row before the token counts as really rejected: with PTB's
# back-off (1, 1.5, 2.25… s) about 8 s of them.
MAX_REJECTIONS = 5


class TolerantBot(ExtBot[int]):
    """PTB's ExtBot whose getUpdates skips (and counts) the updates it cannot parse."""

    __slots__ = ("_on_token_rejected", "_rejections", "_skipped")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        with self._unfrozen():  # PTB freezes its objects' attributes after __init__
            self._skipped = [0]
            self._rejections = [0]
            self._on_token_rejected: list[Callable[[], None]] = []

    def when_token_rejected(self, callback: Callable[[], None]) -> None:
        """Call ``callback`` once getUpdates has been refused MAX_REJECTIONS times in a row."""
        self._on_token_rejected.append(callback)

    @property
    def token_rejected(self) -> bool:
        """Tell whether getUpdates was refused (401/404) MAX_REJECTIONS times in a row."""
        return self._rejections[0] >= MAX_REJECTIONS

    @property
    def skipped_updates(self) -> int:
        """How many updates could not be parsed and were skipped since start."""
        return self._skipped[0]

    async def get_updates(
        self,
        offset: int | None = None,
        limit: int | None = None,
        timeout: int | dtm.timedelta | None = None,
        allowed_updates: Sequence[str] | None = None,
        *,
        read_timeout: ODVInput[float] = DEFAULT_NONE,
        write_timeout: ODVInput[float] = DEFAULT_NONE,
        connect_timeout: ODVInput[float] = DEFAULT_NONE,
        pool_timeout: ODVInput[float] = DEFAULT_NONE,
        api_kwargs: JSONDict | None = None,
    ) -> tuple[Update, ...]:
        """Fetch updates like PTB does, then parse them one at a time."""
        if self.token_rejected:  # the application is stopping: poll no more
            await asyncio.sleep(1)
            return ()
        data: JSONDict = {
            "timeout": timeout,
            "offset": offset,
            "limit": limit,
            "allowed_updates": allowed_updates,
        }
        try:
            result = await self._post(
                "getUpdates",
                data,
                read_timeout=self._long_poll_read_timeout(read_timeout, timeout),
                write_timeout=write_timeout,
                connect_timeout=connect_timeout,
                pool_timeout=pool_timeout,
                api_kwargs=api_kwargs,
            )
        except InvalidToken:
            if self._rejected():
                return ()
            raise NetworkError("getUpdates answered 401/404") from None
        self._rejections[0] = 0
        parsed = (self._parse(item) for item in result or [])
        return tuple(update for update in parsed if update is not None)

    def _rejected(self) -> bool:
        """Count a 401/404 on getUpdates; tell whether the token now counts as rejected."""
        self._rejections[0] += 1
        count = self._rejections[0]
        if not self.token_rejected:
            log.warning("getUpdates answered 401/404 (%d of %d in a row)", count, MAX_REJECTIONS)
            return False
        for callback in self._on_token_rejected:
            callback()
        return True

    def _long_poll_read_timeout(
        self, read_timeout: ODVInput[float], timeout: int | dtm.timedelta | None
    ) -> float:
        """The read timeout plus the long poll's own duration (as PTB computes it)."""
        if isinstance(read_timeout, DefaultValue):
            base = self._request[0].read_timeout or 0
        else:
            base = read_timeout or 0
        if isinstance(timeout, dtm.timedelta):
            return base + timeout.total_seconds()
        return base + (timeout or 0)

    def _parse(self, item: object) -> Update | None:
        """Parse one update; an unreadable one becomes an empty update with its id (or None)."""
        try:
            if not isinstance(item, dict):
                raise TypeError("an update must be a JSON object")
            update = Update.de_json(item, self)
        except Exception as exc:  # any parsing failure: skip this update, never the batch
            return self._skip(item, exc)
        self.insert_callback_data(update)
        return update

    def _skip(self, item: object, exc: Exception) -> Update | None:
        self._skipped[0] += 1
        update_id = item.get("update_id") if isinstance(item, dict) else None
        if not isinstance(update_id, int) or isinstance(update_id, bool):
            update_id = None
        log.warning(
            "update %s could not be parsed (%s); skipped (%d so far)",
            update_id,
            type(exc).__name__,
            self.skipped_updates,
        )
        return Update(update_id) if update_id is not None else None
