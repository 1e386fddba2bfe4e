"""A watchdog against the "deaf bot": polling that silently stops receiving updates.

A getUpdates connection that dies without an error can leave PTB's polling waiting forever
(python-telegram-bot issues describe bots that stay online but hear nothing). ``WatchedRequest``
is the HTTP client used for getUpdates only; it notes when each call finishes, successfully or
not. ``check_polling`` runs on the job queue: when no getUpdates call has finished for longer than
a long poll plus its read timeout plus a grace period, it logs the fact and restarts polling.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from telegram import Update
from telegram.ext import ContextTypes
from telegram.request import HTTPXRequest

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


async def check_polling(context: ContextTypes.DEFAULT_TYPE) -> None:
    """Restart polling when getUpdates has been silent for too long."""
    application = context.application
    request: WatchedRequest = application.bot_data["get_updates_request"]
    limit: float = application.bot_data["polling_silence_limit"]
    updater = application.updater
    if updater is None or not updater.running:
        return
    silent = time.monotonic() - request.last_finished
    if silent <= limit:
        return
    log.error("no getUpdates call finished for %.0f s; restarting polling", silent)
    request.restarts += 1
    await updater.stop()
    request.last_finished = time.monotonic()
    await updater.start_polling(
        timeout=application.bot_data["poll_timeout"], allowed_updates=Update.ALL_TYPES
    )
