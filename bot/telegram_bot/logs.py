"""Logging set-up that never leaks the bot token.

``httpx`` and ``httpcore`` log request URLs, which contain the token, so they are held at
WARNING. On top of that every handler gets a formatter that replaces the token wherever it
appears in the final line, tracebacks included, so no level and no exception can print it.
Records carrying PTB's ``InvalidToken`` (whose message holds the token) are dropped: the start-up
code reports a rejected token in one line of its own.
"""

from __future__ import annotations

import logging

from telegram.error import InvalidToken

REDACTED = "[REDACTED-TOKEN]"
NOISY_LOGGERS = ("httpx", "httpcore", "apscheduler")


class RedactingFormatter(logging.Formatter):
    """A formatter that removes secrets (and their URL-encoded forms) from every line."""

    def __init__(self, secrets: list[str], fmt: str | None = None) -> None:
        super().__init__(fmt)
        variants = set()
        for secret in secrets:
            if secret:
                variants.update({secret, secret.replace(":", "%3A"), secret.split(":")[-1]})
        self.secrets = sorted((v for v in variants if len(v) >= 8), key=len, reverse=True)

    def format(self, record: logging.LogRecord) -> str:
        """Format the record, then scrub every secret out of it."""
        text = super().format(record)
        for secret in self.secrets:
            text = text.replace(secret, REDACTED)
        return text


def drop_invalid_token(record: logging.LogRecord) -> bool:
    """Drop a record whose exception is PTB's InvalidToken (reported in one line elsewhere)."""
    return not (record.exc_info and isinstance(record.exc_info[1], InvalidToken))


def configure_logging(level: str, secrets: list[str]) -> None:
    """Log to stderr at ``level`` with secrets redacted and token-bearing loggers quietened."""
    formatter = RedactingFormatter(secrets, "%(asctime)s %(levelname)s %(name)s: %(message)s")
    root = logging.getLogger()
    root.setLevel(level)
    if not root.handlers:
        root.addHandler(logging.StreamHandler())
    for handler in root.handlers:
        handler.setFormatter(formatter)
        handler.addFilter(drop_invalid_token)
    for name in NOISY_LOGGERS:
        logging.getLogger(name).setLevel(logging.WARNING)
