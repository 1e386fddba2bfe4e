"""A watchdog against the "deaf bot": polling that silently stops receiving updates.

A getUpdates connection that dies without an error can leave PTB's polling waiting forever
(python-telegram-bot issues describe bots that stay online but hear nothing). ``WatchedRequest``
is the HTTP client used for getUpdates only; it notes when each call finishes, successfully or
not. ``PollingWatch`` holds it with the long-poll timeout and the silence limit: a long poll plus
its read timeout plus a grace period. ``restart_polling_if_silent`` (run by the watchdog job in
``jobs.py``) logs and restarts polling once no getUpdates call has finished for longer than that.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from typing import Any

from telegram import Update
from telegram.ext import Updater
from telegram.request import HTTPXRequest

from bot.settings import Settings

log = logging.getLogger(__name__)
GRACE_SECONDS = 15.0


class WatchedRequest(HTTPXRequest):
    """An HTTPXRequest that remembers when its last request finished."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.last_finished = time.monotonic()
        self.restarts = 0

    async def do_request(self, *args: Any, **kwargs: Any) -> tuple[int, bytes]:
        """Send the request and note when it finished."""
        try:
            return await super().do_request(*args, **kwargs)
        finally:
            self.last_finished = time.monotonic()


@dataclass
class PollingWatch:
    """The getUpdates client, the long-poll timeout, and how long polling may stay silent."""

    request: WatchedRequest
    poll_timeout: int
    silence_limit: float

    @classmethod
    def from_settings(cls, settings: Settings) -> PollingWatch:
        """Make the getUpdates client and its limits from BOT_POLL_TIMEOUT, BOT_REQUEST_TIMEOUT."""
        # Two connections for getUpdates and a read timeout past the long poll: a dropped
        # connection times out and is replaced instead of leaving the bot deaf.
        request = WatchedRequest(
            connection_pool_size=2,
            read_timeout=settings.poll_timeout + settings.request_timeout,
            connect_timeout=settings.request_timeout,
            write_timeout=settings.request_timeout,
            pool_timeout=settings.request_timeout,
        )
        silence_limit = settings.poll_timeout + settings.request_timeout + GRACE_SECONDS
        return cls(request, settings.poll_timeout, silence_limit)


async def restart_polling_if_silent(updater: Updater | None, watch: PollingWatch) -> None:
    """Restart polling when getUpdates has been silent for longer than the limit."""
    if updater is None or not updater.running:
        return
    silent = time.monotonic() - watch.request.last_finished
    if silent <= watch.silence_limit:
        return
    log.error("no getUpdates call finished for %.0f s; restarting polling", silent)
    watch.request.restarts += 1
    await updater.stop()
    watch.request.last_finished = time.monotonic()
    await updater.start_polling(timeout=watch.poll_timeout, allowed_updates=Update.ALL_TYPES)
