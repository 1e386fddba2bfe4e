"""The bot's typed runtime state, and the context type every handler and job receives.

PTB hands each callback a ``CallbackContext`` whose ``bot_data`` is shared by the whole
application. ``CONTEXT_TYPES`` (``ContextTypes(bot_data=BotData)``, as in PTB's
contexttypesbot example) makes it a ``BotData`` instead of a dict, so ``context.bot_data.services``
is typed and a misspelt name is a type error rather than a KeyError in a running handler. PTB
creates ``BotData()`` with no arguments while it builds the application; ``build_application``
fills both fields at once, before any update or job can run. Handlers are annotated with
``BotContext`` and receive a ``BotApplication``'s context.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from telegram.ext import Application, CallbackContext, ContextTypes, ExtBot

from bot.telegram_bot.services import Services
from bot.telegram_bot.updates import TolerantBot
from bot.telegram_bot.watchdog import PollingWatch


@dataclass
class BotData:
    """``context.bot_data``: the shared services and the polling watchdog's state.

    Both fields are assigned by ``build_application`` right after PTB creates the object;
    reading one before that raises AttributeError.
    """

    services: Services = field(init=False)
    polling: PollingWatch = field(init=False)


BotContext = CallbackContext[ExtBot[Any], dict[Any, Any], dict[Any, Any], BotData]
# The last parameter (the job queue's type) is Any: PTB's builder keeps its default there, and
# ``application.job_queue`` is typed from the context type anyway.
BotApplication = Application[TolerantBot, BotContext, dict[Any, Any], dict[Any, Any], BotData, Any]
CONTEXT_TYPES = ContextTypes(bot_data=BotData)
