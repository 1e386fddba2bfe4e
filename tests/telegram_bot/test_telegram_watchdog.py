"""The polling watchdog restarts a getUpdates loop that has gone silent (the "deaf bot")."""

from __future__ import annotations

import asyncio
import time

from telegram.ext import Application

from bot.telegram_bot.jobs import check_polling
from bot.telegram_bot.state import BotApplication, BotContext
from tests.support.fake_bot_api import FakeBotAPI


def job_context(application: BotApplication) -> BotContext:
    """The context the job queue hands a job of this application."""
    return application.context_types.context(application)


async def test_watchdog_leaves_healthy_polling_alone(
    running_bot: Application, fake_api: FakeBotAPI
) -> None:
    """While getUpdates calls keep finishing, the watchdog does nothing."""
    request = running_bot.bot_data.polling.request
    await fake_api.await_for("getUpdates", count=2)
    await check_polling(job_context(running_bot))
    assert request.restarts == 0


async def test_watchdog_restarts_polling_stuck_on_a_hung_connection(
    running_bot: Application, fake_api: FakeBotAPI
) -> None:
    """A getUpdates that hangs is abandoned and polling restarts; questions are answered."""
    request = running_bot.bot_data.polling.request
    fake_api.inject("getUpdates", "slow", delay=6.0)
    await fake_api.await_for("getUpdates", predicate=lambda c: c.fault == "slow")
    running_bot.bot_data.polling.silence_limit = 0.3
    await asyncio.sleep(0.5)
    started = time.monotonic()
    await check_polling(job_context(running_bot))
    assert request.restarts == 1
    fake_api.push_message("how long has the war lasted")
    (call,) = await fake_api.await_for("sendMessage", timeout=5)
    assert "1,000 days" in call.params["text"]
    assert time.monotonic() - started < 5.0
