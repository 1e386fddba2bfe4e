"""``failures.py``: each Bot API failure, as PTB raises it, sorted by what it says about delivery.

The exceptions come from a real ``telegram.Bot`` talking to the fake Bot API with each fault
injected (and from PTB's own constructors for the failures the fake cannot make: a refused
connection, a pool timeout), so the sorting follows what PTB really raises.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import httpx
import pytest
from telegram import Bot
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError, TimedOut

from bot.telegram_bot.failures import AMBIGUOUS, FailureKind, failure_kind, retried
from tests.support.fake_bot_api import FakeBotAPI

pytestmark = pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")


@pytest.fixture
def fake() -> Iterator[FakeBotAPI]:
    with FakeBotAPI() as server:
        yield server


@pytest.fixture
async def bot(fake: FakeBotAPI) -> AsyncIterator[Bot]:
    async with Bot(fake.token, base_url=fake.base_url) as b:
        yield b


@pytest.mark.parametrize(
    ("fault", "kind"),
    [
        ("429", "flood"),
        ("500", "not_sent"),
        ("drop", "dropped"),
        ("processed_then_drop", "dropped"),
        ("502_html", "bad_gateway"),
        ("processed_then_502", "bad_gateway"),
        ("504_html", "gateway_timeout"),
        ("processed_then_504", "gateway_timeout"),
        ("deliver_then_hang", "read_timeout"),
    ],
)
async def test_each_fault_of_the_fake_is_sorted(
    fault: str, kind: FailureKind, fake: FakeBotAPI, bot: Bot
) -> None:
    """What the client sees decides, not what the server did: processed or not, a drop is a
    drop and a 502 page a 502 page."""
    fake.inject("sendMessage", fault, delay=1.0)
    with pytest.raises(TelegramError) as raised:
        await bot.send_message(1001, "hi", read_timeout=0.3)
    assert failure_kind(raised.value) == kind


def caused(error: TelegramError, cause: BaseException) -> TelegramError:
    error.__cause__ = cause
    return error


@pytest.mark.parametrize(
    ("error", "kind"),
    [
        (caused(NetworkError("httpx.ConnectError: refused"), httpx.ConnectError("no")), "not_sent"),
        (caused(TimedOut(), httpx.ConnectTimeout("connect")), "not_sent"),
        (caused(TimedOut("Pool timeout: all busy"), httpx.PoolTimeout("pool")), "not_sent"),
        (caused(NetworkError("httpx.WriteError: reset"), httpx.WriteError("w")), "not_sent"),
        (caused(TimedOut(), httpx.WriteTimeout("write")), "read_timeout"),
        (BadRequest("Bad Request: message text is empty"), "refused"),
        (Forbidden("Forbidden: bot was blocked by the user"), "refused"),
        (RetryAfter(3), "flood"),
    ],
)
def test_failures_the_fake_cannot_make_are_sorted(error: TelegramError, kind: str) -> None:
    assert failure_kind(error) == kind


def test_the_policy_for_answers_and_for_other_calls() -> None:
    """Answers: a 502 page or a drop is retried, a read timeout or a 504 is not; other calls
    are retried after anything but a refusal."""
    answers = {k for k in AMBIGUOUS if retried(k, creates_message=True)}
    assert answers == {"dropped", "bad_gateway"}
    assert retried("not_sent", True) and retried("flood", True)
    assert not retried("refused", True) and not retried("refused", False)
    assert all(retried(k, creates_message=False) for k in AMBIGUOUS)
    assert not retried("dropped", True, when_ambiguous=frozenset())
