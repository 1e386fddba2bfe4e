"""``outbox.py`` on its own: bounds, order, back-off and late marking, with a fake clock."""

from __future__ import annotations

from typing import Any

import pytest

from bot.telegram_bot import outbox as outbox_module
from bot.telegram_bot.outbox import LATE_PREFIX, Outbox, Outcome, Parked


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


async def never_called(*args: Any, **kwargs: Any) -> Any:
    raise AssertionError("the outbox does not call the request itself")


def parked(chat: int, text: str, first_try: float, parse_mode: str | None = "HTML") -> Parked:
    data = {"chat_id": chat, "text": text, "parse_mode": parse_mode}
    return Parked(chat, first_try, "sendMessage", data, never_called, ("sendMessage", data), {})


class Telegram:
    """``try_once`` for the outbox: answers with the queued outcomes, then "sent"."""

    def __init__(self, *outcomes: Outcome) -> None:
        self.outcomes = list(outcomes)
        self.tried: list[str] = []

    async def __call__(self, item: Parked) -> Outcome:
        self.tried.append(str(item.data["text"]))
        return self.outcomes.pop(0) if self.outcomes else "sent"


async def test_oldest_first_marked_late_once_and_counted() -> None:
    clock = Clock()
    box = Outbox(per_chat=5, max_age=3600, retry_max=30, clock=clock)
    for i, chat in enumerate([1, 2, 1]):
        box.park(parked(chat, f"<b>answer {i}</b>", clock.now))
    telegram = Telegram()
    await box.deliver(telegram)  # not due yet: the first back-off (1 s) has not passed
    assert telegram.tried == [] and box.pending == 3
    clock.now += 1.0
    await box.deliver(telegram)
    assert telegram.tried == [LATE_PREFIX + f"<b>answer {i}</b>" for i in range(3)]
    assert (box.pending, box.delivered, box.dropped) == (0, 3, 0)


async def test_while_down_one_try_per_round_with_a_doubling_back_off() -> None:
    clock = Clock()
    box = Outbox(per_chat=5, max_age=3600, retry_max=4, clock=clock)
    box.park(parked(1, "a", clock.now))
    box.park(parked(2, "b", clock.now))
    telegram = Telegram("down", "down", "down", "down")
    tries_at = []
    for _ in range(30):
        clock.now += 0.5
        before = len(telegram.tried)
        await box.deliver(telegram)
        if len(telegram.tried) > before:
            tries_at.append(clock.now - 1000.0)
    assert tries_at[:5] == [1.0, 2.0, 4.0, 8.0, 12.0]  # back-off 1, 2, 4, then 4 (the max)
    assert telegram.tried[:4] == [LATE_PREFIX + "a"] * 4  # the oldest, once a round
    assert box.pending == 0 and box.delivered == 2


async def test_bounds_per_chat_and_age_drop_the_oldest_and_count() -> None:
    clock = Clock()
    box = Outbox(per_chat=2, max_age=60, retry_max=30, clock=clock)
    for text in ("old", "mid", "new"):
        box.park(parked(7, text, clock.now))
    box.park(parked(8, "other", clock.now + 30))
    assert box.pending == 3 and box.dropped == 1
    clock.now += 61  # chat 7's answers are past the age limit, chat 8's is not
    telegram = Telegram()
    await box.deliver(telegram)
    assert telegram.tried == [LATE_PREFIX + "other"]
    assert (box.pending, box.delivered, box.dropped) == (0, 1, 3)


async def test_a_total_bound(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(outbox_module, "MAX_PARKED", 3)
    box = Outbox(per_chat=5)
    for chat in range(5):
        box.park(parked(chat, f"answer {chat}", 0.0))
    assert box.pending == 3 and box.dropped == 2


async def test_a_429_skips_the_chat_for_the_round_and_refusals_are_dropped() -> None:
    clock = Clock()
    box = Outbox(clock=clock)
    for chat, text in [(1, "a1"), (2, "b"), (1, "a2"), (3, "c")]:
        box.park(parked(chat, text, clock.now, parse_mode=None))
    clock.now += 1
    telegram = Telegram("flood", "refused")
    await box.deliver(telegram)
    assert telegram.tried == [LATE_PREFIX + t for t in ("a1", "b", "c")]  # a2 waits with a1
    assert (box.pending, box.delivered, box.dropped) == (2, 1, 1)


def test_other_parse_modes_are_not_prefixed() -> None:
    item = parked(1, "*bold*", 0.0, parse_mode="MarkdownV2")
    item.mark_late()
    assert item.data["text"] == "*bold*" and item.marked_late
