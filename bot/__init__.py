"""Article Q&A bot: answers questions about one news article, quoting it verbatim.

The answering core (``article``, ``knowledge``, ``matching``, ``replies``) knows nothing about
Telegram; ``bot.cli`` and ``bot.telegram`` are thin layers over it.
"""

from __future__ import annotations

__version__ = "0.1.0"
