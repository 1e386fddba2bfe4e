"""What a failed Bot API call says about delivery, and which failures of an answer are retried.

Telegram has no idempotency key: a ``send*`` call retried after Telegram did process it is a
second message in the reader's chat. ``failure_kind`` sorts a failure by what it tells about
the request: ``flood`` (a 429), ``refused`` (Telegram's final answer: bad request, forbidden,
…), ``not_sent`` (surely not delivered: the connection could not be made, no free connection,
the request could not be written, or Telegram's own JSON error such as a 500), or one of the
ambiguous kinds, where the request reached the other side and its fate is unknown:
``dropped`` (the connection closed after the request was written), ``bad_gateway`` (a proxy's
502/503 page), ``gateway_timeout`` (a proxy's 504 page) and ``read_timeout`` (no answer in
time; a write timeout counts here too).

``RETRIED_WHEN_AMBIGUOUS`` is the policy for answers: a 502 page or a dropped connection is
retried — both are mostly the backend not reached or restarting, and they are what an outage
looks like, so not retrying them would lose every answer of an outage — while a read timeout or a
504 means the backend had the request and was slow: usually it is delivered, so it is not
retried. ``benchmarks/ambiguous_delivery.py`` measures duplicates and losses of each policy
(README, Reliability). Calls that create nothing (edits, button answers) are retried after
any failure but ``refused``.
"""

from __future__ import annotations

from typing import Literal

import httpx
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Conflict,
    Forbidden,
    InvalidToken,
    NetworkError,
    RetryAfter,
    TelegramError,
    TimedOut,
)

FailureKind = Literal[
    "flood", "refused", "not_sent", "dropped", "bad_gateway", "gateway_timeout", "read_timeout"
]
AMBIGUOUS: frozenset[FailureKind] = frozenset(
    {"dropped", "bad_gateway", "gateway_timeout", "read_timeout"}
)
RETRIED_WHEN_AMBIGUOUS: frozenset[FailureKind] = frozenset({"dropped", "bad_gateway"})
# httpx errors raised before the request was completely written: the server cannot act on it.
_NOT_SENT_CAUSES = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout, httpx.WriteError)
_REFUSED = (BadRequest, Forbidden, InvalidToken, Conflict, ChatMigrated)


def failure_kind(error: Exception) -> FailureKind:
    """Sort a Bot API failure (as PTB raises it) by what it tells about delivery."""
    if isinstance(error, RetryAfter):
        return "flood"
    if isinstance(error, _REFUSED) or not isinstance(error, NetworkError):
        return "refused"
    cause = error.__cause__
    if isinstance(cause, _NOT_SENT_CAUSES):
        return "not_sent"
    if isinstance(error, TimedOut):
        # PTB raises its pool timeout without a cause in some versions: its message says so.
        return "not_sent" if "pool" in str(error).lower() else "read_timeout"
    if isinstance(cause, httpx.HTTPError):
        return "dropped"  # RemoteProtocolError, ReadError: after the request was written
    if isinstance(cause, TelegramError):  # an answer that is not Telegram's JSON: a proxy's page
        return "gateway_timeout" if "(504)" in str(error) else "bad_gateway"
    return "not_sent"  # Telegram's own JSON error (a 500): it says it did not do it


def retried(
    kind: FailureKind,
    creates_message: bool,
    when_ambiguous: frozenset[FailureKind] = RETRIED_WHEN_AMBIGUOUS,
) -> bool:
    """Tell whether a call that failed so is tried again (within its retry budget)."""
    if kind == "refused":
        return False
    if creates_message and kind in AMBIGUOUS:
        return kind in when_ambiguous
    return True
