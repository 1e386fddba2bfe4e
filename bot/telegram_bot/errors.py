"""``StartupError``: the bot cannot start, for a reason one line can tell (no traceback).

Raised by start-up code (``lifecycle.py``, ``webhook.py``) and turned by ``python -m bot run``
into that line on stderr and exit status 1. The message never holds a secret.
"""

from __future__ import annotations


class StartupError(Exception):
    """The bot cannot start; the message is one line, safe to print (it holds no secret)."""
