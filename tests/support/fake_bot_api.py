"""A fake Telegram Bot API HTTP server for end-to-end tests of the bot.

`FakeBotAPI` runs a standard-library `ThreadingHTTPServer` on a random free port of 127.0.0.1
in a background thread, so it serves a real `telegram.Bot` (pointed at it with
``base_url=fake.base_url``) from sync and async tests alike, independent of any event loop.
Tests feed updates with the ``push_*`` helpers (served by long-polling ``getUpdates``),
inspect every request the bot made in ``calls`` (parameters decoded the way Telegram decodes
them) and what the user would see in ``sent_messages``, wait for calls with ``wait_for`` /
``await_for``, and inject faults (429 flood control, 5xx errors, nginx's HTML 502 and 504 pages,
dropped connections, slow answers, messages delivered but never acknowledged, sends processed
and then answered by a dropped connection or a proxy's 502/504) to exercise retry and error
handling, one by one (``inject``) or drawn at random for every call (``inject_mix``). Like
Telegram it also refuses common bot bugs: messages longer than 4096 characters, empty texts,
malformed HTML, over-long callback data and bad inline answers.
"""

from __future__ import annotations

import asyncio
import contextlib
import copy
import email.parser
import email.policy
import itertools
import json
import random
import re
import socket
import socketserver
import sys
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from html.parser import HTMLParser
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, NoReturn
from urllib.parse import parse_qsl, urlsplit

JSONDict = dict[str, Any]

DEFAULT_TOKEN = "123456:TEST-TOKEN"
BOT_FIRST_NAME = "Article QA"
DEFAULT_USER_ID = 1001
FIRST_BOT_MESSAGE_ID = 1000
FIRST_USER_MESSAGE_ID = 1

MAX_MESSAGE_LENGTH = 4096
MAX_CALLBACK_DATA_BYTES = 64
MAX_INLINE_RESULTS = 50
MAX_INLINE_RESULT_ID_BYTES = 64
MAX_GET_UPDATES_LIMIT = 100

# Faults whose request is not executed: 429, 500 (Telegram's JSON), a proxy's 502/504 page, a
# connection dropped after the request was read.
_ANSWERLESS_FAULTS = frozenset({"429", "500", "502_html", "504_html", "drop"})
# Faults whose request *is* executed (the message exists) but whose answer is lost: the
# connection dropped after processing, or a proxy answering 502/504 after the backend did it.
_PROCESSED_FAULTS = frozenset({"processed_then_drop", "processed_then_502", "processed_then_504"})
FAULT_KINDS = _ANSWERLESS_FAULTS | _PROCESSED_FAULTS | {"slow", "deliver_then_hang"}
_DELAYED_FAULTS = frozenset({"slow", "deliver_then_hang"})

# Parameters Telegram always treats as plain strings; everything else is JSON-decoded.
STRING_PARAMS = frozenset(
    [
        "text",
        "query",
        "caption",
        "parse_mode",
        "callback_query_id",
        "inline_query_id",
        "inline_message_id",
        "secret_token",
        "url",
        "next_offset",
        "switch_pm_text",
        "switch_pm_parameter",
        "language_code",
        "action",
        "title",
        "description",
        "short_description",
        "name",
        "emoji",
        "question",
        "explanation",
        "business_connection_id",
        "message_effect_id",
    ]
)

ALLOWED_HTML_TAGS = frozenset(
    [
        "b",
        "strong",
        "i",
        "em",
        "u",
        "ins",
        "s",
        "strike",
        "del",
        "span",
        "tg-spoiler",
        "a",
        "code",
        "pre",
        "blockquote",
        "tg-emoji",
    ]
)
_HTML_ENTITY_TYPES = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "span": "spoiler",
    "tg-spoiler": "spoiler",
    "a": "text_link",
    "code": "code",
    "pre": "pre",
    "blockquote": "blockquote",
    "tg-emoji": "custom_emoji",
}
_NAMED_HTML_ENTITIES = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
_HTML_ESCAPES = {"<": "&lt;", "&": "&amp;"}

_BUTTON_ACTIONS = frozenset(
    [
        "url",
        "callback_data",
        "web_app",
        "login_url",
        "switch_inline_query",
        "switch_inline_query_current_chat",
        "switch_inline_query_chosen_chat",
        "copy_text",
        "callback_game",
        "pay",
    ]
)
_COMMAND_RE = re.compile(r"[a-z0-9_]{1,32}")
_BOT_COMMAND_PREFIX_RE = re.compile(r"/[A-Za-z0-9_]+(?:@[A-Za-z0-9_]+)?")
_API_PATH_RE = re.compile(r"/bot([^/]+)/([^/]+)/?")

NOT_MODIFIED = (
    "Bad Request: message is not modified: specified new message content and reply markup "
    "are exactly the same as a current content and reply markup of the message"
)
QUERY_ID_INVALID = (
    "Bad Request: query is too old and response timeout expired or query ID is invalid"
)
NGINX_502_BODY = (
    b"<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n"
    b"<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx/1.18.0</center>\r\n"
    b"</body>\r\n</html>\r\n"
)
NGINX_504_BODY = NGINX_502_BODY.replace(b"502 Bad Gateway", b"504 Gateway Time-out")


def make_user(user_id: int, first_name: str = "Reader") -> JSONDict:
    """Return a Telegram ``User`` dict for a human user."""
    return {"id": user_id, "is_bot": False, "first_name": first_name, "language_code": "en"}


def make_chat(
    chat_id: int, chat_type: str, title: str | None = None, *, first_name: str = "Reader"
) -> JSONDict:
    """Return a Telegram ``Chat`` dict; private chats get a first name, the others a title."""
    if chat_type == "private":
        return {"id": chat_id, "type": "private", "first_name": first_name}
    if chat_type not in {"group", "supergroup", "channel"}:
        raise ValueError(f"unknown chat type {chat_type!r}")
    return {"id": chat_id, "type": chat_type, "title": title or f"Test {chat_type} {chat_id}"}


def utf16_length(text: str) -> int:
    """Length of ``text`` in UTF-16 code units, the unit of Telegram entity offsets."""
    return len(text.encode("utf-16-le")) // 2


def bot_command_entities(text: str | None) -> list[JSONDict]:
    """Entities Telegram adds to a message starting with a command such as ``/start@Bot``."""
    match = _BOT_COMMAND_PREFIX_RE.match(text or "")
    if match is None:
        return []
    return [{"type": "bot_command", "offset": 0, "length": utf16_length(match.group())}]


# --------------------------------------------------------------------------- request decoding


def decode_param(name: str, raw: str) -> Any:
    """Decode one form value: JSON unless ``name`` is a string parameter or it isn't JSON."""
    if name in STRING_PARAMS:
        return raw
    try:
        return json.loads(raw)
    except ValueError:
        return raw


def decode_query(query: str) -> JSONDict:
    """Decode a URL query string or an ``application/x-www-form-urlencoded`` body."""
    return {name: decode_param(name, raw) for name, raw in parse_qsl(query, keep_blank_values=True)}


def decode_body(content_type: str, body: bytes) -> JSONDict:
    """Decode a request body in any of the encodings the Bot API accepts."""
    if not body:
        return {}
    mime = content_type.split(";", 1)[0].strip().lower()
    if mime == "application/json":
        data = json.loads(body)
        if not isinstance(data, dict):
            raise ValueError("JSON body must be an object")
        return data
    if mime == "multipart/form-data":
        return _decode_multipart(content_type, body)
    return decode_query(body.decode("utf-8"))


def _decode_multipart(content_type: str, body: bytes) -> JSONDict:
    """Decode ``multipart/form-data``; uploaded files become a small description dict."""
    head = f"Content-Type: {content_type}\r\n\r\n".encode()
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(head + body)
    params: JSONDict = {}
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        if not isinstance(name, str):
            continue
        payload = part.get_payload(decode=True) or b""
        filename = part.get_filename()
        if filename is not None:
            params[name] = {
                "filename": filename,
                "content_type": part.get_content_type(),
                "size": len(payload),
            }
        else:
            text = payload.decode(part.get_content_charset() or "utf-8")
            params[name] = decode_param(name, text)
    return params


# --------------------------------------------------------------------------- errors and HTML


class ApiError(Exception):
    """A Bot API error answer: ``{"ok": false, "error_code": ..., "description": ...}``."""

    def __init__(self, error_code: int, description: str, parameters: JSONDict | None = None):
        super().__init__(description)
        self.error_code = error_code
        self.description = description
        self.parameters = parameters

    def payload(self) -> JSONDict:
        body: JSONDict = {"ok": False, "error_code": self.error_code}
        body["description"] = self.description
        if self.parameters:
            body["parameters"] = self.parameters
        return body


def bad_request(detail: str) -> ApiError:
    """A 400 error with Telegram's ``Bad Request: ...`` description."""
    return ApiError(400, f"Bad Request: {detail}")


class HTMLEntityError(ValueError):
    """Text that Telegram refuses with "can't parse entities" in HTML parse mode."""


@dataclass
class _OpenTag:
    name: str
    attrs: dict[str, str | None]
    offset: int
    language: str | None = None


class _TelegramHTMLParser(HTMLParser):
    """Turns Telegram-flavoured HTML into plain text plus ``MessageEntity`` dicts.

    Every callback "consumes" the raw characters it stands for, so input that
    `HTMLParser` silently skips (such as a trailing ``&A``) is reported as an error.
    """

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=False)
        self._text = text
        self._line_starts = [0] + [match.end() for match in re.finditer("\n", text)]
        self._consumed = 0
        self._parts: list[str] = []
        self._length16 = 0
        self._open: list[_OpenTag] = []
        self.entities: list[JSONDict] = []

    def parse(self) -> tuple[str, list[JSONDict]]:
        self.feed(self._text)
        self.close()
        if self._consumed != len(self._text):
            self._fail_unparsed(self._consumed)
        if self._open:
            tag = self._open[-1].name
            raise HTMLEntityError(f'Can\'t find end tag corresponding to start tag "{tag}"')
        self.entities.sort(key=lambda entity: (entity["offset"], -entity["length"]))
        return "".join(self._parts), self.entities

    # position helpers
    def _index(self) -> int:
        line, column = self.getpos()
        return self._line_starts[line - 1] + column

    def _fail(self, detail: str, index: int | None = None) -> NoReturn:
        at = self._index() if index is None else index
        byte_offset = len(self._text[:at].encode())
        raise HTMLEntityError(f"{detail} at byte offset {byte_offset}")

    def _fail_unparsed(self, index: int) -> NoReturn:
        char = self._text[index]
        if char in _HTML_ESCAPES:
            self._fail(f'Unescaped "{char}" (write it as {_HTML_ESCAPES[char]})', index)
        self._fail("Can't parse the text", index)

    def _consume(self, length: int) -> None:
        """Mark the raw text of the current callback as parsed; refuse skipped input."""
        index = self._index()
        if index != self._consumed:
            self._fail_unparsed(self._consumed)
        self._consumed = index + length

    def _append(self, text: str) -> None:
        self._parts.append(text)
        self._length16 += utf16_length(text)

    # HTMLParser callbacks
    def handle_data(self, data: str) -> None:
        self._consume(len(data))
        unescaped = [data.index(char) for char in _HTML_ESCAPES if char in data]
        if unescaped:
            self._fail_unparsed(self._index() + min(unescaped))
        self._append(data)

    def handle_entityref(self, name: str) -> None:
        if name not in _NAMED_HTML_ENTITIES:
            self._fail(f'Unsupported HTML entity "&{name};"')
        if not self._text.startswith(f"&{name};", self._index()):
            self._fail(f'HTML entity "&{name}" must end with ";"')
        self._consume(len(name) + 2)
        self._append(_NAMED_HTML_ENTITIES[name])

    def handle_charref(self, name: str) -> None:
        if not self._text.startswith(f"&#{name};", self._index()):
            self._fail(f'HTML entity "&#{name}" must end with ";"')
        self._consume(len(name) + 3)
        try:
            code_point = int(name[1:], 16) if name[:1] in "xX" else int(name)
            char = chr(code_point)
        except (ValueError, OverflowError):
            self._fail(f'Invalid HTML entity "&#{name};"')
        if 0xD800 <= code_point <= 0xDFFF or code_point == 0:
            self._fail(f'Invalid HTML entity "&#{name};"')
        self._append(char)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._consume(len(self.get_starttag_text() or ""))
        self._open_tag(tag, dict(attrs))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._consume(len(self.get_starttag_text() or ""))
        self._open_tag(tag, dict(attrs))
        self._close_tag(tag)

    def handle_endtag(self, tag: str) -> None:
        index = self._index()
        self._consume(self._text.find(">", index) + 1 - index)
        self._close_tag(tag)

    def handle_comment(self, data: str) -> None:
        self._fail("HTML comments are not supported")

    def handle_decl(self, decl: str) -> None:
        self._fail("HTML declarations are not supported")

    def unknown_decl(self, data: str) -> None:
        self._fail("HTML declarations are not supported")

    def handle_pi(self, data: str) -> None:
        self._fail("HTML processing instructions are not supported")

    # tags
    def _open_tag(self, tag: str, attributes: dict[str, str | None]) -> None:
        if tag not in ALLOWED_HTML_TAGS:
            self._fail(f'Unsupported start tag "{tag}"')
        if tag == "span" and attributes.get("class") != "tg-spoiler":
            self._fail('Tag "span" must have class "tg-spoiler"')
        if tag == "tg-emoji" and not attributes.get("emoji-id"):
            self._fail('Tag "tg-emoji" must have attribute "emoji-id"')
        self._open.append(_OpenTag(tag, attributes, self._length16))

    def _close_tag(self, tag: str) -> None:
        if not self._open:
            self._fail(f'Unexpected end tag "</{tag}>"')
        expected = self._open[-1].name
        if expected != tag:
            self._fail(f'Unmatched end tag, expected "</{expected}>", found "</{tag}>"')
        self._close_entity(self._open.pop())

    # entities
    def _close_entity(self, tag: _OpenTag) -> None:
        if tag.name == "code" and self._open and self._open[-1].name == "pre":
            language = tag.attrs.get("class") or ""
            if language.startswith("language-"):
                self._open[-1].language = language.removeprefix("language-")
            return
        length = self._length16 - tag.offset
        entity = self._entity_for(tag)
        if entity is not None and length > 0:
            self.entities.append({**entity, "offset": tag.offset, "length": length})

    @staticmethod
    def _entity_for(tag: _OpenTag) -> JSONDict | None:
        entity: JSONDict = {"type": _HTML_ENTITY_TYPES[tag.name]}
        if tag.name == "a":
            if not tag.attrs.get("href"):
                return None
            entity["url"] = tag.attrs["href"]
        elif tag.name == "pre" and tag.language:
            entity["language"] = tag.language
        elif tag.name == "blockquote" and "expandable" in tag.attrs:
            entity["type"] = "expandable_blockquote"
        elif tag.name == "tg-emoji":
            entity["custom_emoji_id"] = tag.attrs["emoji-id"]
        return entity


def parse_html(text: str) -> tuple[str, list[JSONDict]]:
    """Parse ``parse_mode="HTML"`` text like Telegram: return (plain text, entities).

    Raises `HTMLEntityError` for unsupported or unbalanced tags and for bare ``<``/``&``.
    """
    return _TelegramHTMLParser(text).parse()


# --------------------------------------------------------------------------- records


@dataclass
class Call:
    """One request the fake received.

    ``fault`` names the injected fault that answered (or delayed) it, ``None`` otherwise;
    ``status`` is the HTTP status it was answered with (``None`` while a long poll is
    waiting or when the connection was dropped) and ``response`` the JSON answer.
    """

    method: str
    params: JSONDict
    time: float
    token: str
    fault: str | None = None
    status: int | None = None
    response: JSONDict | None = None

    @property
    def ok(self) -> bool:
        return self.status == 200


@dataclass(frozen=True)
class _Fault:
    kind: str
    retry_after: int
    delay: float


@dataclass(frozen=True)
class _Reply:
    status: int
    body: bytes
    content_type: str = "application/json"

    @classmethod
    def json(cls, status: int, payload: JSONDict) -> _Reply:
        return cls(status, json.dumps(payload, ensure_ascii=False).encode("utf-8"))


def _summarise_calls(calls: list[Call]) -> str:
    """``getMe, getUpdates x3, sendMessage[429], sendMessage->400``: compact call history."""
    labels = []
    for call in calls:
        label = call.method
        if call.fault:
            label += f"[{call.fault}]"
        elif call.status not in (200, None):
            label += f"->{call.status}"
        labels.append(label)
    runs = [(label, len(list(group))) for label, group in itertools.groupby(labels)]
    return ", ".join(label if n == 1 else f"{label} x{n}" for label, n in runs) or "(none)"


# --------------------------------------------------------------------------- HTTP layer


class _Server(ThreadingHTTPServer):
    """Threading HTTP server that remembers its connections so `stop` can cut them."""

    daemon_threads = True
    # socketserver's default listen backlog is 5: a burst of new connections (a bot opening its
    # pool under a backlog) would overflow it and see connections reset.
    request_queue_size = 128

    def __init__(self, api: FakeBotAPI) -> None:
        self.api = api
        self._connections: dict[socket.socket, threading.Thread] = {}
        self._connections_lock = threading.Lock()
        super().__init__(("127.0.0.1", 0), _RequestHandler)

    def server_bind(self) -> None:
        # HTTPServer.server_bind calls socket.getfqdn(), which may wait on a DNS timeout.
        socketserver.TCPServer.server_bind(self)
        host, port = self.server_address[:2]
        self.server_name, self.server_port = str(host), int(port)

    def handle_error(self, request: Any, client_address: Any) -> None:
        if isinstance(sys.exc_info()[1], OSError):
            return  # the client went away (timed out, dropped): expected in fault tests
        super().handle_error(request, client_address)

    def track(self, connection: socket.socket) -> None:
        with self._connections_lock:
            self._connections[connection] = threading.current_thread()

    def untrack(self, connection: socket.socket) -> None:
        with self._connections_lock:
            self._connections.pop(connection, None)

    def close_connections(self, timeout: float) -> None:
        """Shut down every open connection and wait for the handler threads to finish."""
        with self._connections_lock:
            connections = dict(self._connections)
        for connection in connections:
            with contextlib.suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)
        deadline = time.monotonic() + timeout
        for thread in connections.values():
            thread.join(max(0.0, deadline - time.monotonic()))


class _RequestHandler(BaseHTTPRequestHandler):
    """Routes ``/bot<token>/<method>`` requests to `FakeBotAPI.handle_request`."""

    protocol_version = "HTTP/1.1"
    server: _Server

    def setup(self) -> None:
        super().setup()
        # Headers and body are written separately: without this, Nagle's algorithm and
        # delayed ACKs add ~40 ms to every answer.
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.server.track(self.connection)

    def finish(self) -> None:
        try:
            super().finish()
        except OSError:
            pass
        finally:
            self.server.untrack(self.connection)

    def do_GET(self) -> None:
        self._serve()

    def do_POST(self) -> None:
        self._serve()

    def log_message(self, format: str, *args: Any) -> None:
        """Keep test output quiet."""

    def _serve(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        url = urlsplit(self.path)
        match = _API_PATH_RE.fullmatch(url.path)
        if match is None:
            self._send(_Reply.json(404, ApiError(404, "Not Found").payload()))
            return
        try:
            params = decode_query(url.query)
            params.update(decode_body(self.headers.get("Content-Type", ""), body))
        except ValueError as exc:
            error = bad_request(f"can't parse request body: {exc}")
            self._send(_Reply.json(400, error.payload()))
            return
        token, method = match.groups()
        reply = self.server.api.handle_request(token, method, params)
        if reply is None:
            self._drop()
        else:
            self._send(reply)

    def _send(self, reply: _Reply) -> None:
        try:
            self.send_response(reply.status)
            self.send_header("Content-Type", reply.content_type)
            self.send_header("Content-Length", str(len(reply.body)))
            self.end_headers()
            self.wfile.write(reply.body)
        except OSError:
            self.close_connection = True

    def _drop(self) -> None:
        self.close_connection = True
        with contextlib.suppress(OSError):
            self.connection.shutdown(socket.SHUT_RDWR)


# --------------------------------------------------------------------------- the fake


class FakeBotAPI:
    """A fake Telegram Bot API server; see the module docstring."""

    def __init__(
        self,
        token: str = DEFAULT_TOKEN,
        bot_username: str = "ArticleQABot",
        bot_id: int = 123456,
    ) -> None:
        self.token = token
        self.bot_username = bot_username
        self.bot_id = bot_id
        self.calls: list[Call] = []
        self.sent_messages: list[JSONDict] = []
        self.internal_errors: list[BaseException] = []
        self._cond = threading.Condition()
        self._calls_version = 0
        self._stopping = threading.Event()
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None
        self._pending_updates: list[JSONDict] = []
        self._next_update_id = 1
        self._poll_generation = 0
        self._query_ids = itertools.count(1)
        self._chats: dict[int, JSONDict] = {}
        self._messages: dict[tuple[int, int], JSONDict] = {}
        self._next_message_ids: dict[tuple[int, bool], int] = {}
        self._inline_messages: dict[str, JSONDict] = {}
        self._callback_query_ids: set[str] = set()
        self._inline_query_ids: set[str] = set()
        self._faults: dict[str, deque[_Fault]] = {}
        self._mixes: dict[str, tuple[random.Random, list[str], list[float], float]] = {}
        self._commands: dict[tuple[str, str], list[JSONDict]] = {}
        self._webhook_url = ""
        self._handlers: dict[str, Callable[[JSONDict], Any]] = {
            "getme": self._get_me,
            "getupdates": self._get_updates,
            "setwebhook": self._set_webhook,
            "deletewebhook": self._delete_webhook,
            "getwebhookinfo": self._get_webhook_info,
            "setmycommands": self._set_my_commands,
            "deletemycommands": self._delete_my_commands,
            "getmycommands": self._get_my_commands,
            "sendmessage": self._send_message,
            "editmessagetext": self._edit_message_text,
            "editmessagereplymarkup": self._edit_message_reply_markup,
            "answercallbackquery": self._answer_callback_query,
            "answerinlinequery": self._answer_inline_query,
            "sendchataction": self._send_chat_action,
            "deletemessage": self._delete_message,
            "close": self._always_true,
            "logout": self._always_true,
        }

    # ----------------------------------------------------------------- lifecycle

    def start(self) -> FakeBotAPI:
        """Bind to a free port of 127.0.0.1 and serve in a daemon thread."""
        if self._server is not None:
            raise RuntimeError("FakeBotAPI is already running")
        self._stopping.clear()
        self._server = _Server(self)
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.05},
            name=f"FakeBotAPI:{self.port}",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving, wake waiting long polls and sleeping faults, close all connections."""
        server, thread = self._server, self._thread
        if server is None:
            return
        self._stopping.set()
        with self._cond:
            self._cond.notify_all()
        server.shutdown()
        server.server_close()
        server.close_connections(timeout=2.0)
        if thread is not None:
            thread.join(timeout=2.0)
        self._server = self._thread = None

    def __enter__(self) -> FakeBotAPI:
        return self.start() if self._server is None else self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    @property
    def port(self) -> int:
        if self._server is None:
            raise RuntimeError("FakeBotAPI is not running; call start() first")
        return int(self._server.server_address[1])

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/bot"

    @property
    def base_file_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/file/bot"

    @property
    def bot_user(self) -> JSONDict:
        """The bot as it appears in the ``from`` field of its messages."""
        return {
            "id": self.bot_id,
            "is_bot": True,
            "first_name": BOT_FIRST_NAME,
            "username": self.bot_username,
        }

    # ----------------------------------------------------------------- feeding updates

    def push_update(self, update: JSONDict) -> JSONDict:
        """Queue a raw update for ``getUpdates``; assigns the next ``update_id`` if missing."""
        update = copy.deepcopy(update)
        with self._cond:
            if "update_id" not in update:
                update["update_id"] = self._next_update_id
            self._next_update_id = max(self._next_update_id, int(update["update_id"]) + 1)
            self._remember_update(update)
            self._pending_updates.append(update)
            self._cond.notify_all()
        return copy.deepcopy(update)

    def push_message(
        self,
        text: str | None,
        *,
        chat_id: int = DEFAULT_USER_ID,
        user_id: int = DEFAULT_USER_ID,
        chat_type: str = "private",
        first_name: str = "Reader",
        reply_to_message: JSONDict | None = None,
        entities: list[JSONDict] | None = None,
        message_id: int | None = None,
        extra: JSONDict | None = None,
    ) -> JSONDict:
        """Queue a user's message; commands get a ``bot_command`` entity like in Telegram."""
        message = self._user_message(
            text,
            chat_id=chat_id,
            user_id=user_id,
            chat_type=chat_type,
            first_name=first_name,
            reply_to_message=reply_to_message,
            entities=entities,
            message_id=message_id,
            extra=extra,
        )
        return self.push_update({"message": message})

    def push_edited_message(self, text: str | None, **fields: Any) -> JSONDict:
        """Queue an ``edited_message`` update (pass the ``message_id`` of the original);
        ``fields`` are those of `push_message`."""
        message = self._user_message(text, **fields)
        message["edit_date"] = int(time.time())
        return self.push_update({"edited_message": message})

    def push_channel_post(
        self, text: str, chat_id: int = -100500, *, title: str | None = None
    ) -> JSONDict:
        """Queue a ``channel_post`` update in a channel the bot administers."""
        chat = make_chat(chat_id, "channel", title)
        with self._cond:
            message_id = self._next_message_id(chat_id, from_bot=False)
        message = {
            "message_id": message_id,
            "sender_chat": chat,
            "chat": chat,
            "date": int(time.time()),
            "text": text,
        }
        return self.push_update({"channel_post": message})

    def push_callback_query(
        self,
        data: str,
        *,
        message: JSONDict | None = None,
        inline_message_id: str | None = None,
        user_id: int = DEFAULT_USER_ID,
        chat_instance: str = "ci-1",
        first_name: str = "Reader",
    ) -> JSONDict:
        """Queue a button press on ``message`` (a dict the bot sent, e.g. from sent_messages)
        or on a message sent via inline mode (``inline_message_id``)."""
        if (message is None) == (inline_message_id is None):
            raise ValueError("pass exactly one of message= or inline_message_id=")
        query: JSONDict = {
            "id": str(next(self._query_ids)),
            "from": make_user(user_id, first_name),
            "chat_instance": chat_instance,
            "data": data,
        }
        if message is not None:
            query["message"] = copy.deepcopy(message)
        else:
            query["inline_message_id"] = inline_message_id
        return self.push_update({"callback_query": query})

    def push_inline_query(
        self,
        query: str,
        *,
        user_id: int = DEFAULT_USER_ID,
        offset: str = "",
        first_name: str = "Reader",
    ) -> JSONDict:
        """Queue an inline query typed by a user (``@bot query``)."""
        inline_query = {
            "id": str(next(self._query_ids)),
            "from": make_user(user_id, first_name),
            "query": query,
            "offset": offset,
        }
        return self.push_update({"inline_query": inline_query})

    @property
    def pending_updates(self) -> list[JSONDict]:
        """Updates queued and not yet confirmed by a ``getUpdates`` offset."""
        with self._cond:
            return copy.deepcopy(self._pending_updates)

    def _user_message(
        self,
        text: str | None,
        *,
        chat_id: int = DEFAULT_USER_ID,
        user_id: int = DEFAULT_USER_ID,
        chat_type: str = "private",
        first_name: str = "Reader",
        reply_to_message: JSONDict | None = None,
        entities: list[JSONDict] | None = None,
        message_id: int | None = None,
        extra: JSONDict | None = None,
    ) -> JSONDict:
        with self._cond:
            known = self._chats.get(chat_id)
            if known is not None and known["type"] == chat_type:
                chat = copy.deepcopy(known)
            else:
                chat = make_chat(chat_id, chat_type, first_name=first_name)
            if message_id is None:
                message_id = self._next_message_id(chat_id, from_bot=False)
        message: JSONDict = {
            "message_id": message_id,
            "from": make_user(user_id, first_name),
            "chat": chat,
            "date": int(time.time()),
        }
        if text is not None:
            message["text"] = text
            found = bot_command_entities(text) if entities is None else entities
            if found:
                message["entities"] = copy.deepcopy(found)
        if reply_to_message is not None:
            message["reply_to_message"] = _without_nested_reply(reply_to_message)
        message.update(copy.deepcopy(extra or {}))
        return message

    def _remember_update(self, update: JSONDict) -> None:
        """Learn chats, messages and query ids from a queued update (lock held)."""
        for key in ("message", "edited_message", "channel_post", "edited_channel_post"):
            if isinstance(update.get(key), dict):
                self._remember_message(update[key])
        callback_query = update.get("callback_query")
        if isinstance(callback_query, dict):
            self._callback_query_ids.add(str(callback_query.get("id")))
            if isinstance(callback_query.get("message"), dict):
                self._chats.setdefault(
                    callback_query["message"]["chat"]["id"], callback_query["message"]["chat"]
                )
        inline_query = update.get("inline_query")
        if isinstance(inline_query, dict):
            self._inline_query_ids.add(str(inline_query.get("id")))

    def _remember_message(self, message: JSONDict) -> None:
        chat = message.get("chat")
        if not isinstance(chat, dict) or "id" not in chat:
            return
        self._chats[chat["id"]] = copy.deepcopy(chat)
        if "message_id" in message:
            self._messages[(chat["id"], message["message_id"])] = copy.deepcopy(message)

    def _next_message_id(self, chat_id: int, *, from_bot: bool) -> int:
        """Per-chat ids: the bot's messages count from 1000, users' messages from 1."""
        key = (chat_id, from_bot)
        first = FIRST_BOT_MESSAGE_ID if from_bot else FIRST_USER_MESSAGE_ID
        message_id = self._next_message_ids.get(key, first)
        self._next_message_ids[key] = message_id + 1
        return message_id

    # ----------------------------------------------------------------- recorded calls

    def calls_to(self, method: str) -> list[Call]:
        """All calls to ``method`` (case-insensitive), faulted or not, in order."""
        return self._matching(method, None)

    def messages_in_chat(self, chat_id: int) -> list[JSONDict]:
        """The bot's delivered (and not deleted) messages in one chat, oldest first."""
        with self._cond:
            return [m for m in self.sent_messages if m["chat"]["id"] == chat_id]

    def wait_for(
        self,
        method: str,
        count: int = 1,
        timeout: float = 5.0,
        predicate: Callable[[Call], bool] | None = None,
    ) -> list[Call]:
        """Block until at least ``count`` matching calls were received; return them all."""
        deadline = time.monotonic() + timeout
        while True:
            with self._cond:
                version = self._calls_version
            matches = self._matching(method, predicate)
            if len(matches) >= count:
                return matches
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise AssertionError(self._timeout_message(method, count, timeout, predicate))
            self._wait_for_new_calls(version, remaining)

    def _wait_for_new_calls(self, version: int, timeout: float) -> None:
        with self._cond:
            self._cond.wait_for(lambda: self._calls_version != version, timeout)

    async def await_for(
        self,
        method: str,
        count: int = 1,
        timeout: float = 5.0,
        predicate: Callable[[Call], bool] | None = None,
    ) -> list[Call]:
        """Like `wait_for`, but polls with ``asyncio.sleep`` so the event loop keeps running."""
        deadline = time.monotonic() + timeout
        while True:
            matches = self._matching(method, predicate)
            if len(matches) >= count:
                return matches
            if time.monotonic() >= deadline:
                raise AssertionError(self._timeout_message(method, count, timeout, predicate))
            await asyncio.sleep(0.01)

    def _matching(self, method: str, predicate: Callable[[Call], bool] | None) -> list[Call]:
        with self._cond:
            snapshot = list(self.calls)
        name = method.lower()
        return [
            call
            for call in snapshot
            if call.method.lower() == name and (predicate is None or predicate(call))
        ]

    def _timeout_message(
        self,
        method: str,
        count: int,
        timeout: float,
        predicate: Callable[[Call], bool] | None,
    ) -> str:
        found = len(self._matching(method, predicate))
        condition = " matching the predicate" if predicate is not None else ""
        with self._cond:
            history = _summarise_calls(list(self.calls))
        return (
            f"timed out after {timeout}s waiting for {count} call(s) to {method}{condition}; "
            f"got {found}. Calls so far: {history}"
        )

    # ----------------------------------------------------------------- fault injection

    def inject(
        self,
        method: str,
        fault: str,
        *,
        times: int = 1,
        retry_after: int = 1,
        delay: float = 0.0,
    ) -> None:
        """Answer the next ``times`` calls to ``method`` with ``fault`` (queued, in order)."""
        if fault not in FAULT_KINDS:
            raise ValueError(f"unknown fault {fault!r}; expected one of {sorted(FAULT_KINDS)}")
        if fault in _DELAYED_FAULTS and delay <= 0:
            raise ValueError(f"fault {fault!r} needs delay > 0")
        with self._cond:
            queue = self._faults.setdefault(method.lower(), deque())
            queue.extend(_Fault(fault, retry_after, delay) for _ in range(times))

    def inject_mix(
        self, method: str, weights: dict[str, float], *, seed: int = 0, delay: float = 0.0
    ) -> None:
        """Draw a fault for every later call to ``method`` from ``weights`` (fault kind ->
        weight; the key ``"none"`` is the weight of answering normally), with a seeded random
        generator, after any faults queued by `inject`. ``delay`` serves the delayed kinds."""
        unknown = set(weights) - FAULT_KINDS - {"none"}
        if unknown:
            raise ValueError(f"unknown fault(s) {sorted(unknown)}")
        if delay <= 0 and _DELAYED_FAULTS & {k for k, w in weights.items() if w > 0}:
            raise ValueError("delayed faults in a mix need delay > 0")
        with self._cond:
            kinds, shares = list(weights), list(weights.values())
            self._mixes[method.lower()] = (random.Random(seed), kinds, shares, delay)

    def clear_faults(self, method: str | None = None) -> None:
        """Forget the faults queued or mixed for ``method`` (every method: ``None``)."""
        with self._cond:
            for table in (self._faults, self._mixes):
                if method is None:
                    table.clear()
                else:
                    table.pop(method.lower(), None)

    def _take_fault(self, method: str) -> _Fault | None:
        with self._cond:
            queue = self._faults.get(method.lower())
            if queue:
                return queue.popleft()
            mix = self._mixes.get(method.lower())
            if mix is None:
                return None
            rng, kinds, shares, delay = mix
            kind = rng.choices(kinds, shares)[0]
            return None if kind == "none" else _Fault(kind, 1, delay)

    # ----------------------------------------------------------------- request handling

    def handle_request(self, token: str, method: str, params: JSONDict) -> _Reply | None:
        """Answer one API request; ``None`` means: drop the connection without answering."""
        call = Call(method=method, params=params, time=time.time(), token=token)
        if token != self.token:
            return self._answer_without_handler(call, ApiError(401, "Unauthorized"))
        fault = self._take_fault(method)
        call.fault = fault.kind if fault else None
        if fault is not None and fault.kind in _ANSWERLESS_FAULTS:
            return self._answer_fault(call, fault)
        if fault is not None and fault.kind == "slow":
            self._record(call, None, None)  # visible to wait_for while it is being delayed
            self._stopping.wait(fault.delay)
        reply = self._execute(call, recorded=call.fault == "slow")
        if fault is not None and fault.kind == "deliver_then_hang":
            self._stopping.wait(fault.delay)
        if fault is not None and fault.kind in _PROCESSED_FAULTS:
            return _lost_answer(fault.kind)
        return reply

    def _answer_without_handler(self, call: Call, error: ApiError) -> _Reply:
        self._record(call, error.error_code, error.payload())
        return _Reply.json(error.error_code, error.payload())

    def _answer_fault(self, call: Call, fault: _Fault) -> _Reply | None:
        if fault.kind == "drop":
            self._record(call, None, None)
            return None
        if fault.kind in ("502_html", "504_html"):
            status = 502 if fault.kind == "502_html" else 504
            self._record(call, status, None)
            return _Reply(status, NGINX_502_BODY if status == 502 else NGINX_504_BODY, "text/html")
        if fault.kind == "429":
            error = ApiError(
                429,
                f"Too Many Requests: retry after {fault.retry_after}",
                {"retry_after": fault.retry_after},
            )
        else:
            error = ApiError(500, "Internal Server Error")
        return self._answer_without_handler(call, error)

    def _record(self, call: Call, status: int | None, response: JSONDict | None) -> None:
        with self._cond:
            call.status, call.response = status, response
            self.calls.append(call)
            self._calls_version += 1
            self._cond.notify_all()

    def _execute(self, call: Call, *, recorded: bool = False) -> _Reply:
        """Run the method handler, holding the lock so its effects and record are atomic."""
        handler = self._handlers.get(call.method.lower())
        with self._cond:
            if not recorded:
                self.calls.append(call)
            self._calls_version += 1
            self._cond.notify_all()
            try:
                if handler is None:
                    raise ApiError(404, "Not Found: method not found")
                status, payload = 200, {"ok": True, "result": handler(call.params)}
            except ApiError as error:
                status, payload = error.error_code, error.payload()
            except Exception as exc:  # a bug in the fake must not kill the server thread
                self.internal_errors.append(exc)
                status = 500
                payload = ApiError(500, f"Internal Server Error: fake failed: {exc!r}").payload()
            call.status, call.response = status, payload
            self._calls_version += 1
            self._cond.notify_all()
        return _Reply.json(status, payload)

    # ----------------------------------------------------------------- methods: bot & updates

    def _always_true(self, params: JSONDict) -> bool:
        return True

    def _get_me(self, params: JSONDict) -> JSONDict:
        return {
            **self.bot_user,
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": True,
        }

    def _get_updates(self, params: JSONDict) -> list[JSONDict]:
        """Confirm updates below ``offset``, then long-poll up to ``timeout`` seconds."""
        if self._webhook_url:
            raise ApiError(
                409,
                "Conflict: can't use getUpdates method while webhook is active; "
                "use deleteWebhook to delete the webhook first",
            )
        offset = _optional_int(params, "offset")
        limit = min(max(_optional_int(params, "limit") or MAX_GET_UPDATES_LIMIT, 1), 100)
        timeout = max(0.0, _number(params, "timeout"))
        self._confirm_updates(offset)
        self._poll_generation += 1
        generation = self._poll_generation
        self._cond.notify_all()  # an older poll still waiting is now superseded
        deadline = time.monotonic() + timeout
        while not self._pending_updates and not self._stopping.is_set():
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                break
            self._cond.wait(remaining)
            if generation != self._poll_generation:
                raise ApiError(
                    409,
                    "Conflict: terminated by other getUpdates request; "
                    "make sure that only one bot instance is running",
                )
        return copy.deepcopy(self._pending_updates[:limit])

    def _confirm_updates(self, offset: int | None) -> None:
        if offset is None:
            return
        if offset < 0:
            self._pending_updates = self._pending_updates[offset:]
        else:
            self._pending_updates = [
                update for update in self._pending_updates if update["update_id"] >= offset
            ]

    def _set_webhook(self, params: JSONDict) -> bool:
        self._webhook_url = str(params.get("url") or "")
        return True

    def _delete_webhook(self, params: JSONDict) -> bool:
        self._webhook_url = ""
        if params.get("drop_pending_updates"):
            self._pending_updates.clear()
        return True

    def _get_webhook_info(self, params: JSONDict) -> JSONDict:
        return {
            "url": self._webhook_url,
            "has_custom_certificate": False,
            "pending_update_count": len(self._pending_updates),
        }

    # ----------------------------------------------------------------- methods: commands

    def _set_my_commands(self, params: JSONDict) -> bool:
        commands = params.get("commands")
        if not isinstance(commands, list):
            raise bad_request("can't parse commands JSON object")
        for command in commands:
            if not isinstance(command, dict) or not _COMMAND_RE.fullmatch(
                str(command.get("command", ""))
            ):
                raise bad_request("BOT_COMMAND_INVALID")
            if not 1 <= len(str(command.get("description", ""))) <= 256:
                raise bad_request("BOT_COMMAND_DESCRIPTION_INVALID")
        self._commands[_commands_key(params)] = copy.deepcopy(commands)
        return True

    def _delete_my_commands(self, params: JSONDict) -> bool:
        self._commands.pop(_commands_key(params), None)
        return True

    def _get_my_commands(self, params: JSONDict) -> list[JSONDict]:
        return copy.deepcopy(self._commands.get(_commands_key(params), []))

    # ----------------------------------------------------------------- methods: messages

    def _send_message(self, params: JSONDict) -> JSONDict:
        chat = self._chat_for(params)
        text, entities = _render_text(params)
        markup = _inline_markup(params.get("reply_markup"))
        reply_to = self._reply_target(params, chat["id"])
        message: JSONDict = {
            "message_id": self._next_message_id(chat["id"], from_bot=True),
            "from": self.bot_user,
            "chat": copy.deepcopy(chat),
            "date": int(time.time()),
            "text": text,
            "entities": entities,
        }
        if reply_to is not None:
            message["reply_to_message"] = reply_to
        if markup is not None:
            message["reply_markup"] = markup
        self._messages[(chat["id"], message["message_id"])] = message
        self.sent_messages.append(message)
        return copy.deepcopy(message)

    def _edit_message_text(self, params: JSONDict) -> JSONDict | bool:
        text, entities = _render_text(params)
        content = {"text": text, "entities": entities}
        return self._edit(params, content, _inline_markup(params.get("reply_markup")))

    def _edit_message_reply_markup(self, params: JSONDict) -> JSONDict | bool:
        return self._edit(params, {}, _inline_markup(params.get("reply_markup")))

    def _edit(
        self, params: JSONDict, content: JSONDict, markup: JSONDict | None
    ) -> JSONDict | bool:
        """Apply an edit to a stored message, refusing no-op edits like Telegram."""
        inline_message_id = params.get("inline_message_id")
        if inline_message_id:
            # Messages sent via inline mode are unknown to the fake: accept any id.
            message = self._inline_messages.setdefault(str(inline_message_id), {})
        else:
            message = self._editable_message(params)
        unchanged = all(message.get(key) == value for key, value in content.items())
        if message and unchanged and message.get("reply_markup") == markup:
            raise ApiError(400, NOT_MODIFIED)
        message.update(copy.deepcopy(content))
        if markup is None:
            message.pop("reply_markup", None)
        else:
            message["reply_markup"] = markup
        if inline_message_id:
            return True
        message["edit_date"] = int(time.time())
        return copy.deepcopy(message)

    def _editable_message(self, params: JSONDict) -> JSONDict:
        key = (params.get("chat_id"), params.get("message_id"))
        message = self._messages.get(key)  # type: ignore[arg-type]
        if message is None:
            raise bad_request("message to edit not found")
        if message.get("from", {}).get("id") != self.bot_id:
            raise bad_request("message can't be edited")
        return message

    def _delete_message(self, params: JSONDict) -> bool:
        key = (params.get("chat_id"), params.get("message_id"))
        message = self._messages.pop(key, None)  # type: ignore[arg-type]
        if message is None:
            raise bad_request("message to delete not found")
        self.sent_messages[:] = [m for m in self.sent_messages if m is not message]
        return True

    def _send_chat_action(self, params: JSONDict) -> bool:
        self._chat_for(params)
        if not params.get("action"):
            raise bad_request("action is empty")
        return True

    def _chat_for(self, params: JSONDict) -> JSONDict:
        """The chat addressed by ``chat_id``; chats not seen in updates are made up."""
        chat_id = params.get("chat_id")
        if isinstance(chat_id, bool) or not isinstance(chat_id, int):
            raise bad_request("chat not found")
        if chat_id not in self._chats:
            self._chats[chat_id] = _default_chat(chat_id)
        return self._chats[chat_id]

    def _reply_target(self, params: JSONDict, chat_id: int) -> JSONDict | None:
        """The message replied to via ``reply_parameters`` or legacy ``reply_to_message_id``."""
        reply_parameters = params.get("reply_parameters")
        if isinstance(reply_parameters, dict) and "message_id" in reply_parameters:
            target = (reply_parameters.get("chat_id", chat_id), reply_parameters["message_id"])
            allow_missing = reply_parameters.get("allow_sending_without_reply", False)
        elif params.get("reply_to_message_id") is not None:
            target = (chat_id, params["reply_to_message_id"])
            allow_missing = params.get("allow_sending_without_reply", False)
        else:
            return None
        original = self._messages.get(target)
        if original is None:
            if allow_missing:
                return None
            raise bad_request("message to be replied not found")
        return _without_nested_reply(original)

    # ----------------------------------------------------------------- methods: queries

    def _answer_callback_query(self, params: JSONDict) -> bool:
        if str(params.get("callback_query_id")) not in self._callback_query_ids:
            raise ApiError(400, QUERY_ID_INVALID)
        return True

    def _answer_inline_query(self, params: JSONDict) -> bool:
        if str(params.get("inline_query_id")) not in self._inline_query_ids:
            raise ApiError(400, QUERY_ID_INVALID)
        results = params.get("results")
        if not isinstance(results, list):
            raise bad_request("can't parse inline query results JSON object")
        if len(results) > MAX_INLINE_RESULTS:
            raise bad_request("RESULTS_TOO_MUCH")
        seen: set[str] = set()
        for result in results:
            result_id = result.get("id") if isinstance(result, dict) else None
            if not isinstance(result_id, str) or not (
                0 < len(result_id.encode()) <= MAX_INLINE_RESULT_ID_BYTES
            ):
                raise bad_request("RESULT_ID_INVALID")
            if result_id in seen:
                raise bad_request("RESULT_ID_DUPLICATE")
            seen.add(result_id)
            _inline_markup(result.get("reply_markup"))
            content = result.get("input_message_content")
            if isinstance(content, dict) and "message_text" in content:
                _render_text({**content, "text": content["message_text"]})
        return True


# --------------------------------------------------------------------------- validation helpers


def _lost_answer(kind: str) -> _Reply | None:
    """What the client gets for a processed request whose answer was lost on the way."""
    if kind == "processed_then_drop":
        return None
    if kind == "processed_then_502":
        return _Reply(502, NGINX_502_BODY, "text/html")
    return _Reply(504, NGINX_504_BODY, "text/html")


def _render_text(params: JSONDict) -> tuple[str, list[JSONDict]]:
    """Validate a message text like Telegram; return the text users see and its entities."""
    text = params.get("text")
    if not isinstance(text, str) or not text.strip():
        raise bad_request("message text is empty")
    parse_mode = str(params.get("parse_mode") or "").lower()
    if parse_mode == "html":
        try:
            plain, entities = parse_html(text)
        except HTMLEntityError as exc:
            raise bad_request(f"can't parse entities: {exc}") from None
    elif parse_mode in ("", "markdown", "markdownv2"):
        # Markdown is not parsed by the fake: the text is kept as sent.
        plain, entities = text, copy.deepcopy(params.get("entities") or [])
    else:
        raise bad_request(f"unsupported parse_mode {params.get('parse_mode')!r}")
    if not plain.strip():
        raise bad_request("message text is empty")
    if len(plain) > MAX_MESSAGE_LENGTH:
        raise bad_request("message is too long")
    return plain, entities


def _inline_markup(markup: Any) -> JSONDict | None:
    """Validate ``reply_markup``; return it if it is an inline keyboard (the only kind that
    Telegram echoes in the sent Message), else ``None``."""
    if markup is None:
        return None
    if not isinstance(markup, dict):
        raise bad_request("can't parse reply keyboard markup JSON object")
    if "inline_keyboard" not in markup:
        return None
    rows = markup["inline_keyboard"]
    if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
        raise bad_request("can't parse inline keyboard markup: rows must be arrays")
    for button in itertools.chain.from_iterable(rows):
        _check_button(button)
    return copy.deepcopy(markup)


def _check_button(button: Any) -> None:
    if not isinstance(button, dict) or not isinstance(button.get("text"), str):
        raise bad_request("can't parse inline keyboard button: text is required")
    if not _BUTTON_ACTIONS.intersection(button):
        raise bad_request("text buttons are unallowed in the inline keyboard")
    if "callback_data" in button:
        data = button["callback_data"]
        if not isinstance(data, str) or not 0 < len(data.encode()) <= MAX_CALLBACK_DATA_BYTES:
            raise bad_request("BUTTON_DATA_INVALID")


def _commands_key(params: JSONDict) -> tuple[str, str]:
    scope = params.get("scope") or {"type": "default"}
    return json.dumps(scope, sort_keys=True), str(params.get("language_code") or "")


def _default_chat(chat_id: int) -> JSONDict:
    """A chat the fake has not seen in any update: private for positive ids, else a group."""
    if chat_id > 0:
        return make_chat(chat_id, "private")
    return make_chat(chat_id, "supergroup" if str(chat_id).startswith("-100") else "group")


def _without_nested_reply(message: JSONDict) -> JSONDict:
    """Telegram nests ``reply_to_message`` only one level deep."""
    reply = copy.deepcopy(message)
    reply.pop("reply_to_message", None)
    return reply


def _optional_int(params: JSONDict, name: str) -> int | None:
    value = params.get(name)
    if value is None or value == "":
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        raise bad_request(f'field "{name}" must be of type Integer') from None


def _number(params: JSONDict, name: str) -> float:
    try:
        return float(params.get(name) or 0)
    except (TypeError, ValueError):
        raise bad_request(f'field "{name}" must be a Number') from None
