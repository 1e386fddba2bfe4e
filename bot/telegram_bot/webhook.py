"""Webhook mode: a small tornado server that feeds verified updates to the application.

PTB's built-in webhook server compares the secret token with ``!=`` and logs a wrong token at
DEBUG, so we serve the webhook ourselves (as in PTB's custom-webhook example): every request must
carry ``X-Telegram-Bot-Api-Secret-Token`` matching BOT_WEBHOOK_SECRET, compared in constant time
with ``hmac.compare_digest``; anything else gets 403 and is not processed. Bodies over 1 MiB are
refused; malformed or too deeply nested JSON, and updates PTB cannot parse, get 400. An update
whose id is among the last 10,000 (Telegram redelivering one it thinks lost) gets 200 and is not
handled again. The server
(``webserver.py``) times out slow headers, idle keep-alives and slow bodies after
BOT_WEBHOOK_TIMEOUT seconds and holds at most BOT_WEBHOOK_MAX_CONNECTIONS connections. It binds
its port before anything else: a port in use, or a Bot API unreachable at start, is one line
(``StartupError``), not a traceback. Start-up and shutdown run the application's own post_init
and post_shutdown hooks (``lifecycle.py``), as PTB's ``run_webhook`` would.
"""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
import signal
from types import TracebackType
from typing import Any
from urllib.parse import urlparse

import tornado.web
from telegram import Update
from telegram.error import NetworkError
from telegram.ext import Application
from tornado.httpserver import HTTPServer

from bot.settings import Settings
from bot.telegram_bot.errors import StartupError
from bot.telegram_bot.recent import RecentKeys
from bot.telegram_bot.webserver import WebhookServer

log = logging.getLogger(__name__)
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
MAX_BODY = 1024 * 1024
# Update ids remembered to answer a redelivery 200 without handling it twice.
RECENT_UPDATE_IDS = 10_000
AnyApplication = Application[Any, Any, Any, Any, Any, Any]


class TelegramUpdateHandler(tornado.web.RequestHandler):
    """Accept one update per POST from Telegram, after checking the secret token."""

    def initialize(self, bot_application: AnyApplication, secret: str, seen: RecentKeys) -> None:
        """Keep the application, the expected secret and the recent update ids."""
        self.bot_application = bot_application
        self.secret = secret.encode()
        self.seen = seen

    async def post(self) -> None:
        """Verify the secret, parse the update and queue it for the handlers."""
        given = self.request.headers.get(SECRET_HEADER, "").encode()
        if not hmac.compare_digest(given, self.secret):
            log.warning("webhook request refused: missing or wrong secret token")
            raise tornado.web.HTTPError(403)
        try:
            data = json.loads(self.request.body)
            update = Update.de_json(data, self.bot_application.bot)
        except (ValueError, TypeError, KeyError, AttributeError, RecursionError) as exc:
            log.warning("webhook request refused: not an update (%s)", type(exc).__name__)
            raise tornado.web.HTTPError(400) from exc
        if update is None:
            raise tornado.web.HTTPError(400)
        if self.seen.first_time(update.update_id):  # Telegram redelivers what it thinks lost
            await self.bot_application.update_queue.put(update)
        else:
            log.info("webhook update %d delivered again; already handled", update.update_id)
        self.set_status(200)

    def log_exception(
        self,
        typ: type[BaseException] | None,
        value: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        """Keep tornado from printing tracebacks for refused requests."""
        if not isinstance(value, tornado.web.HTTPError):
            super().log_exception(typ, value, tb)


def webhook_path(settings: Settings) -> str:
    """Return the URL path the webhook listens on (the path of BOT_WEBHOOK_URL)."""
    path = urlparse(settings.webhook_url or "").path
    return path if path.startswith("/") and path != "/" else "/telegram"


async def start_webhook(application: AnyApplication, settings: Settings) -> HTTPServer:
    """Start the application, the HTTP server, and register the webhook with Telegram."""
    if not settings.webhook_url or not settings.webhook_secret:
        raise ValueError("BOT_WEBHOOK_URL and BOT_WEBHOOK_SECRET are both required")
    secret = settings.webhook_secret.get_secret_value()
    app = tornado.web.Application(
        [
            (
                webhook_path(settings),
                TelegramUpdateHandler,
                {
                    "bot_application": application,
                    "secret": secret,
                    "seen": RecentKeys(RECENT_UPDATE_IDS),
                },
            )
        ]
    )
    server = _bound_server(app, settings)
    try:
        await application.initialize()
    except NetworkError as exc:
        server.stop()
        host = urlparse(settings.api_base_url).netloc
        raise StartupError(f"cannot reach the Bot API at {host} ({type(exc).__name__})") from None
    if application.post_init is not None:
        await application.post_init(application)
    await application.start()
    await application.bot.set_webhook(
        url=settings.webhook_url, secret_token=secret, allowed_updates=Update.ALL_TYPES
    )
    log.info("webhook listening on %s:%s", settings.webhook_listen, settings.webhook_port)
    return server


def _bound_server(app: tornado.web.Application, settings: Settings) -> WebhookServer:
    """The webhook's HTTP server, listening already; StartupError if the port is taken."""
    server = WebhookServer(
        app,
        max_body_size=MAX_BODY,
        idle_connection_timeout=settings.webhook_timeout,
        body_timeout=settings.webhook_timeout,
        max_connections=settings.webhook_max_connections,
    )
    where = f"{settings.webhook_listen}:{settings.webhook_port}"
    try:
        server.bind(settings.webhook_port, settings.webhook_listen)
    except OSError as exc:
        raise StartupError(f"cannot listen on {where}: {exc.strerror or exc}") from None
    return server


async def stop_webhook(application: AnyApplication, server: HTTPServer) -> None:
    """Stop accepting requests, finish queued updates, and shut the application down."""
    server.stop()
    await server.close_all_connections()
    if application.running:
        await application.stop()
    if application.post_shutdown is not None:
        await application.post_shutdown(application)
    await application.shutdown()


async def serve_webhook(application: AnyApplication, settings: Settings) -> None:
    """Run the webhook server until SIGINT or SIGTERM, then shut down gracefully."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    server = await start_webhook(application, settings)
    try:
        await stop.wait()
    finally:
        log.info("stopping the webhook server")
        await stop_webhook(application, server)
