"""The webhook's HTTP server: tornado's, with limits for the open internet.

``WebhookServer`` is tornado's ``HTTPServer`` with a header (and keep-alive idle) timeout and a
body timeout, so a connection that sends nothing, or a body slowly, is closed; and with a cap on
open connections, past which new ones are closed at once, so idle connections cannot use up the
process's file descriptors. Its accept loop survives running out of descriptors anyway: on
EMFILE/ENFILE it stops accepting for a moment and logs one line at most every
``EMFILE_LOG_INTERVAL`` seconds (tornado's own loop raised on every wake-up: a traceback per
attempt, ~100,000 a second, with the CPU spinning). ``raise_descriptor_limit`` lifts the soft
limit on open files to the hard limit at start.
"""

from __future__ import annotations

import asyncio
import errno
import logging
import resource
import socket
import time
from typing import Any

from tornado.httpserver import HTTPServer
from tornado.iostream import IOStream
from tornado.netutil import bind_sockets

log = logging.getLogger(__name__)
ACCEPT_BATCH = 128
ACCEPT_PAUSE = 0.1
EMFILE_LOG_INTERVAL = 10.0
OUT_OF_DESCRIPTORS = (errno.EMFILE, errno.ENFILE)


def raise_descriptor_limit() -> int:
    """Lift the soft limit on open files to the hard limit; return the soft limit now."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard == resource.RLIM_INFINITY or soft < hard:
        target = hard if hard != resource.RLIM_INFINITY else max(soft, 65536)
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
            soft = target
        except (ValueError, OSError) as exc:
            log.warning("could not raise the open-files limit from %d: %s", soft, exc)
    return soft


class WebhookServer(HTTPServer):
    """Tornado's HTTP server with a connection cap and a descriptor-proof accept loop."""

    def initialize(  # type: ignore[override]
        self, *args: Any, max_connections: int = 100, **kwargs: Any
    ) -> None:
        """Set up tornado's server; remember the connection cap."""
        super().initialize(*args, **kwargs)
        self.max_connections = max_connections
        self.refused = 0
        self._last_emfile_log = float("-inf")

    def handle_stream(self, stream: IOStream, address: tuple[Any, ...]) -> None:
        """Serve a new connection, or close it at once when the cap is reached."""
        if len(self._connections) >= self.max_connections:
            self.refused += 1
            stream.close()
            return
        super().handle_stream(stream, address)

    def bind(self, port: int, address: str) -> None:  # type: ignore[override]
        """Listen on ``address:port`` (OSError if it cannot) with our accept loop."""
        for sock in bind_sockets(port, address=address):
            self._sockets[sock.fileno()] = sock
            self._handlers[sock.fileno()] = self._accept_from(sock)

    def _accept_from(self, sock: socket.socket) -> Any:
        """Accept connections from ``sock`` whenever it is readable; return the remover."""
        loop = asyncio.get_running_loop()

        def accept() -> None:
            for _ in range(ACCEPT_BATCH):
                try:
                    connection, address = sock.accept()
                except (BlockingIOError, InterruptedError):
                    return
                except ConnectionAbortedError:
                    continue
                except OSError as exc:
                    if exc.errno not in OUT_OF_DESCRIPTORS:
                        raise
                    self._out_of_descriptors()
                    loop.remove_reader(sock)
                    loop.call_later(ACCEPT_PAUSE, _resume)
                    return
                self._handle_connection(connection, address)

        def _resume() -> None:
            if sock.fileno() in self._sockets:
                loop.add_reader(sock, accept)

        loop.add_reader(sock, accept)
        return lambda: loop.remove_reader(sock)

    def _out_of_descriptors(self) -> None:
        now = time.monotonic()
        if now - self._last_emfile_log >= EMFILE_LOG_INTERVAL:
            self._last_emfile_log = now
            log.error("too many open files: not accepting webhook connections for a moment")
