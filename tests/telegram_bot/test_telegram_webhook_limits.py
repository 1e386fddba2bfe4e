"""End to end: the webhook server's limits, and failures at start that are one line.

Idle and slow connections are closed after BOT_WEBHOOK_TIMEOUT; at most
BOT_WEBHOOK_MAX_CONNECTIONS are held, so idle connections cannot starve Telegram's requests;
running out of file descriptors is logged once, not per accept attempt; deeply nested JSON is a
400; a port in use or an unreachable Bot API stops `python -m bot run` with one line, exit 1.
"""

from __future__ import annotations

import asyncio
import errno
import resource
import socket
import subprocess
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import tornado.web

from bot.settings import Settings
from bot.telegram_bot.webserver import WebhookServer, raise_descriptor_limit
from tests.support.bot_runner import WEBHOOK_SECRET, webhook_running
from tests.support.fake_bot_api import FakeBotAPI, make_chat, make_user
from tests.support.subprocess_env import bot_env, run_bot_process

SECRET = WEBHOOK_SECRET
TIMEOUT = 1.0
CAP = 8


@pytest.fixture
async def webhook(
    fake_api: FakeBotAPI, tmp_path: Path, knowledge_copy: Path, unused_tcp_port: int
) -> AsyncIterator[tuple[str, int]]:
    """The real application behind a webhook with a 1 s timeout and a cap of 8 connections."""
    limits = {"webhook_timeout": TIMEOUT, "webhook_max_connections": CAP}
    running = webhook_running(fake_api, tmp_path, knowledge_copy, unused_tcp_port, **limits)
    async with running as (_, url):
        yield url, unused_tcp_port


def update(update_id: int, chat_id: int) -> dict[str, Any]:
    message = {
        "message_id": 1,
        "from": make_user(chat_id),
        "chat": make_chat(chat_id, "private"),
        "date": int(time.time()),
        "text": "how long has the war lasted",
    }
    return {"update_id": update_id, "message": message}


async def closed_by_server(sock: socket.socket, within: float) -> bool:
    """Tell whether the server closes ``sock`` within ``within`` seconds."""
    loop = asyncio.get_running_loop()
    try:
        data = await asyncio.wait_for(loop.sock_recv(sock, 1024), within)
    except (TimeoutError, ConnectionError):
        return False
    return data == b"" or b"408" in data or b"400" in data


async def open_idle(port: int, count: int, first_line: bytes = b"") -> list[socket.socket]:
    loop = asyncio.get_running_loop()
    sockets = []
    for _ in range(count):
        sock = socket.socket()
        sock.setblocking(False)
        await loop.sock_connect(sock, ("127.0.0.1", port))
        if first_line:
            await loop.sock_sendall(sock, first_line)
        sockets.append(sock)
    return sockets


@pytest.mark.parametrize(
    "sent",
    [
        b"",
        b"POST /hook HTTP/1.1\r\nHost: x\r\n",
        b"POST /hook HTTP/1.1\r\nContent-Length: 500\r\n\r\n{",
    ],
    ids=["nothing", "half the headers", "a slow body"],
)
async def test_idle_and_slow_connections_are_closed(
    webhook: tuple[str, int], fake_api: FakeBotAPI, sent: bytes
) -> None:
    """A connection sending nothing, half its headers or a slow body is closed."""
    _, port = webhook
    (sock,) = await open_idle(port, 1, sent)
    try:
        assert await closed_by_server(sock, TIMEOUT + 3)
    finally:
        sock.close()


async def test_idle_connections_cannot_starve_telegram(
    webhook: tuple[str, int], fake_api: FakeBotAPI
) -> None:
    """3× the cap of idle connections: those over the cap are closed at once, and after the
    timeout Telegram's update is accepted and answered."""
    url, port = webhook
    sockets = await open_idle(port, 3 * CAP)
    try:
        closed = await asyncio.gather(*(closed_by_server(s, 0.5) for s in sockets))
        assert sum(closed) >= 2 * CAP - 1, closed  # the connections over the cap
        await asyncio.sleep(TIMEOUT + 0.5)
        async with httpx.AsyncClient(timeout=5) as client:
            headers = {"X-Telegram-Bot-Api-Secret-Token": SECRET}
            answer = await client.post(url, json=update(1, 95), headers=headers)
        assert answer.status_code == 200
        await fake_api.await_for("sendMessage", predicate=lambda c: c.params["chat_id"] == 95)
    finally:
        for sock in sockets:
            sock.close()


async def test_deeply_nested_json_gets_400(
    webhook: tuple[str, int], caplog: pytest.LogCaptureFixture
) -> None:
    """100,000 nested arrays: 400, and no traceback in the log."""
    url, _ = webhook
    body = "[" * 100_000 + "]" * 100_000
    async with httpx.AsyncClient(timeout=10) as client:
        headers = {"X-Telegram-Bot-Api-Secret-Token": SECRET, "Content-Type": "application/json"}
        answer = await client.post(url, content=body, headers=headers)
    assert answer.status_code == 400
    assert "Traceback" not in caplog.text and not any(r.exc_info for r in caplog.records)


class OutOfDescriptors:
    """A listening socket whose accept() always fails with EMFILE (and counts the attempts)."""

    def __init__(self, sock: socket.socket) -> None:
        self.sock = sock
        self.attempts = 0

    def fileno(self) -> int:
        return self.sock.fileno()

    def accept(self) -> Any:
        self.attempts += 1
        raise OSError(errno.EMFILE, "Too many open files")


async def test_running_out_of_descriptors_is_logged_once_without_spinning(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A pending connection the server cannot accept: one log line a few attempts a second."""
    server = WebhookServer(tornado.web.Application([]), max_connections=CAP)
    listener = socket.create_server(("127.0.0.1", 0))
    listener.setblocking(False)
    failing = OutOfDescriptors(listener)
    remove = server._accept_from(failing)  # type: ignore[arg-type]
    client = socket.create_connection(listener.getsockname())  # stays pending: never accepted
    try:
        await asyncio.sleep(1.0)
    finally:
        remove()
        client.close()
        listener.close()
    lines = [r for r in caplog.records if "too many open files" in r.getMessage()]
    assert len(lines) == 1 and lines[0].exc_info is None
    assert failing.attempts <= 20, f"{failing.attempts} accept attempts in 1 s"


def test_the_soft_descriptor_limit_is_raised_at_start() -> None:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    low = min(256, hard)
    resource.setrlimit(resource.RLIMIT_NOFILE, (low, hard))
    try:
        raised = raise_descriptor_limit()
        assert resource.getrlimit(resource.RLIMIT_NOFILE)[0] == raised
        assert raised == hard or (hard == resource.RLIM_INFINITY and raised >= 65536)
    finally:
        resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))


def test_the_webhook_listens_on_loopback_by_default() -> None:
    """Behind a reverse proxy, as the README advises: not on every interface."""
    assert Settings(_env_file=None).webhook_listen == "127.0.0.1"  # type: ignore[call-arg]


def run_webhook(
    tmp_path: Path, api: str, token: str, port: int
) -> subprocess.CompletedProcess[str]:
    env = bot_env(
        token=token,
        api_base_url=api,
        request_timeout="2",
        webhook_url="https://bot.example.org/hook",
        webhook_secret=SECRET,
        webhook_port=str(port),
        db_path=str(tmp_path / "log.sqlite3"),
    )
    return run_bot_process(tmp_path, env)


def assert_one_line(result: subprocess.CompletedProcess[str], needle: str, token: str) -> None:
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert "Traceback" not in output and token not in output, output
    assert len([line for line in output.splitlines() if needle in line]) == 1, output


def test_a_port_in_use_exits_1_with_one_line(fake_api: FakeBotAPI, tmp_path: Path) -> None:
    with socket.create_server(("127.0.0.1", 0)) as taken:
        port = taken.getsockname()[1]
        result = run_webhook(tmp_path, fake_api.base_url, fake_api.token, port)
    assert_one_line(result, f"cannot listen on 127.0.0.1:{port}", fake_api.token)
    assert not fake_api.calls  # refused before talking to the Bot API


def test_an_unreachable_api_at_start_exits_1_with_one_line(
    tmp_path: Path, unused_tcp_port: int
) -> None:
    with socket.create_server(("127.0.0.1", 0)) as closed:
        dead = closed.getsockname()[1]
    token = "123456:UNREACHABLE-token-abcdefgh"
    result = run_webhook(tmp_path, f"http://127.0.0.1:{dead}/bot", token, unused_tcp_port)
    assert_one_line(result, "cannot reach the Bot API at 127.0.0.1", token)
