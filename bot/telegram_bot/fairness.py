"""Fair use of the update slots: one busy chat cannot hold the workers every chat needs.

PTB handles up to 64 updates at once; a handler whose reply waits in the rate limiter's bucket
for its group (20 messages a minute) holds one of those slots all the while, so 80 questions
in one group used to keep a private reader waiting for most of a minute. ``PerChatUpdates``
lets at most ``IN_FLIGHT_PER_CHAT`` updates of one chat hold a slot; the chat's others wait
outside the slots, and at most BOT_CHAT_BACKLOG of one chat wait or run at once: beyond that a
chat's new updates are dropped, with a log line (the first drop in a chat, then every 100th).
Updates without a chat (inline queries) only take a slot.
"""

from __future__ import annotations

import asyncio
import inspect
import logging
from collections.abc import Awaitable
from dataclasses import dataclass, field
from typing import Any

from telegram import Update
from telegram.ext import BaseUpdateProcessor

log = logging.getLogger(__name__)
IN_FLIGHT_PER_CHAT = 4
# PTB's own bound (its semaphore, taken before ``do_process_update``): updates accepted at once,
# waiting included. The real slots are ``slots`` below, taken after the chat's turn.
MAX_ACCEPTED = 4096


@dataclass
class _Chat:
    """One chat's gate: its updates in a slot at most IN_FLIGHT_PER_CHAT, and how many wait."""

    gate: asyncio.Semaphore = field(default_factory=lambda: asyncio.Semaphore(IN_FLIGHT_PER_CHAT))
    pending: int = 0
    dropped: int = 0


class PerChatUpdates(BaseUpdateProcessor):
    """PTB's concurrent update processing with a per-chat share of the slots and a backlog cap."""

    def __init__(self, slots: int, backlog: int) -> None:
        super().__init__(MAX_ACCEPTED)
        self.slots = slots
        self.backlog = backlog
        self.dropped = 0
        self._slots = asyncio.Semaphore(slots)
        self._chats: dict[int, _Chat] = {}

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        """Wait for the chat's turn (outside the slots), then for a slot, then handle."""
        chat_id = _chat_id(update)
        if chat_id is None:
            async with self._slots:
                await coroutine
            return
        chat = self._chats.setdefault(chat_id, _Chat())
        if chat.pending >= self.backlog:
            self._drop(chat_id, chat, coroutine)
            return
        chat.pending += 1
        try:
            async with chat.gate, self._slots:
                await coroutine
        finally:
            chat.pending -= 1
            if chat.pending == 0:
                self._chats.pop(chat_id, None)

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to tear down."""

    def _drop(self, chat_id: int, chat: _Chat, coroutine: Awaitable[Any]) -> None:
        if inspect.iscoroutine(coroutine):
            coroutine.close()
        chat.dropped += 1
        self.dropped += 1
        if chat.dropped % 100 == 1:  # no chat id: a private chat's id is its reader's
            log.warning(
                "a %s chat has %d updates waiting; dropped one (%d in this chat so far)",
                "group" if chat_id < 0 else "private",
                chat.pending,
                chat.dropped,
            )


def _chat_id(update: object) -> int | None:
    if isinstance(update, Update) and update.effective_chat is not None:
        return update.effective_chat.id
    return None
