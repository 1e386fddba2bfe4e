"""The per-user flood guard: N questions per window, then one notice, then silence."""

from __future__ import annotations

from bot.telegram_bot.guard import FloodGuard
from bot.telegram_bot.jobs import prune_flood_guard
from bot.telegram_bot.state import BotApplication


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_limit_then_one_notice_then_silence_then_recovery() -> None:
    """The 4th question in a window of 3 gets a notice, the 5th nothing; later ones pass."""
    clock = Clock()
    guard = FloodGuard(limit=3, window=60, clock=clock)
    assert [guard.check(7) for _ in range(5)] == ["allow"] * 3 + ["notice", "silent"]
    clock.now = 61
    assert guard.check(7) == "allow"


def test_users_are_independent() -> None:
    """One user's flood does not limit another."""
    guard = FloodGuard(limit=1, window=60, clock=Clock())
    assert guard.check(1) == "allow"
    assert guard.check(1) == "notice"
    assert guard.check(2) == "allow"


def test_forget_idle_drops_expired_users() -> None:
    """Users whose window expired are forgotten (memory stays bounded)."""
    clock = Clock()
    guard = FloodGuard(limit=2, window=10, clock=clock)
    for user in range(100):
        guard.check(user)
    clock.now = 11
    guard.forget_idle()
    assert guard._times == {}


async def test_a_periodic_job_forgets_idle_users(running_bot: BotApplication) -> None:
    """The running bot prunes the guard on a schedule, not only when an error happens."""
    assert "flood-guard" in [job.name for job in running_bot.job_queue.jobs()]
    guard = running_bot.bot_data.services.guard
    clock = Clock()
    guard.clock = clock
    guard.check(7)
    clock.now = guard.window + 1
    await prune_flood_guard(running_bot.context_types.context(running_bot))
    assert guard._times == {}
