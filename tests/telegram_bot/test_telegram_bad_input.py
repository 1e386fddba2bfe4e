"""End to end with hostile and odd input: arbitrary text, odd commands, forged buttons, inline.

Hypothesis generates messages, callback data and inline queries and pushes them through the fake
Bot API to the real handlers. Whatever arrives, the bot must answer each private message exactly
once with something Telegram accepts (the fake refuses malformed HTML, texts over 4096
characters and callback data over 64 bytes), answer every button press and inline query, and
never end up in its error handler. Each test ends by checking that a normal question still gets
its normal answer.

The application runs in its own event loop in a background thread (``BotInThread``), started
once per test, so Hypothesis drives it with plain synchronous examples.
"""

from __future__ import annotations

import asyncio
import itertools
import threading
import time
from collections.abc import Coroutine, Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from telegram.ext import Application, ContextTypes

from bot.core.replies import EMPTY_TEXT
from bot.core.thresholds import thresholds_from
from bot.knowledge.live import LiveKnowledge
from bot.telegram_bot.app import build_application
from bot.telegram_bot.buttons import EXPIRED
from bot.telegram_bot.handlers import ASK_USAGE, NOT_TEXT, UNKNOWN_COMMAND
from tests.support.bot_runner import make_settings, start_bot, stop_bot
from tests.support.fake_bot_api import Call, FakeBotAPI

QUESTION = "how long has the war lasted"
ANSWER_SNIPPET = "1,000 days"
APOLOGY = "Sorry, something went wrong on my side"
HYPOTHESIS = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
SETTLE = 0.05  # time for a duplicate reply to show up after the first one

_ids = itertools.count(10_000_001)


def fresh_id() -> int:
    """A chat/user id never used before in this session (no flood guard carry-over)."""
    return next(_ids)


class BotInThread:
    """The application from ``build_application``, polling the fake from a background loop.

    ``errors`` collects every exception that reached the application's error handlers.
    """

    def __init__(self, fake: FakeBotAPI, tmp_path: Path, knowledge: Path) -> None:
        self.settings = make_settings(fake, tmp_path, knowledge_file=knowledge, flood_limit=1000)
        self.knowledge = knowledge
        self.errors: list[BaseException] = []
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, name="bot", daemon=True)
        self.application: Application | None = None

    def run(self, coroutine: Coroutine[Any, Any, Any], timeout: float = 30.0) -> Any:
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop).result(timeout)

    async def _start(self) -> None:
        live = LiveKnowledge(self.knowledge, thresholds_from(self.settings))
        self.application = build_application(self.settings, live)
        self.application.add_error_handler(self._record_error)
        await start_bot(self.application)

    async def _record_error(self, update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        if context.error is not None:
            self.errors.append(context.error)

    def __enter__(self) -> BotInThread:
        self.thread.start()
        self.run(self._start())
        return self

    def __exit__(self, *exc_info: object) -> None:
        try:
            if self.application is not None:
                self.run(stop_bot(self.application))
        finally:
            self.loop.call_soon_threadsafe(self.loop.stop)
            self.thread.join(timeout=10)
            self.loop.close()


@pytest.fixture
def bot(fake_api: FakeBotAPI, tmp_path: Path, knowledge_copy: Path) -> Iterator[BotInThread]:
    """The real bot, running in a background thread for the whole test."""
    with BotInThread(fake_api, tmp_path, knowledge_copy) as running:
        yield running


def to_chat(chat_id: int) -> Any:
    return lambda call: call.params.get("chat_id") == chat_id


def sends_to(fake: FakeBotAPI, chat_id: int) -> list[Call]:
    return [c for c in fake.calls_to("sendMessage") if to_chat(chat_id)(c)]


def only_reply(fake: FakeBotAPI, text: str | None, chat_id: int) -> Call:
    """Push ``text`` in a private chat; return the one reply, checking there is no second."""
    fake.push_message(text, chat_id=chat_id, user_id=chat_id)
    fake.wait_for("sendMessage", predicate=to_chat(chat_id), timeout=10)
    time.sleep(SETTLE)
    replies = sends_to(fake, chat_id)
    assert len(replies) == 1, [c.params.get("text", "")[:60] for c in replies]
    (reply,) = replies
    assert reply.ok, reply.response
    assert APOLOGY not in reply.params["text"]
    return reply


def assert_still_answers(bot: BotInThread, fake: FakeBotAPI, chat_ids: list[int]) -> None:
    """No error reached the error handler, every chat got one reply, normal service goes on."""
    time.sleep(0.3)
    assert bot.errors == [], bot.errors[:3]
    for chat_id in chat_ids:
        assert len(sends_to(fake, chat_id)) == 1, chat_id
    assert not fake.internal_errors
    reply = only_reply(fake, QUESTION, fresh_id())
    assert ANSWER_SNIPPET in reply.params["text"]
    assert "<blockquote>" in reply.params["text"]


# --------------------------------------------------------------------------- private messages

AWKWARD = [
    "<b>",
    "</b>",
    "<b>bold</i>",
    "&",
    "&amp;",
    "&#0;",
    "&#xD800;",
    "*_`[",
    "](http://example.com)",
    "<script>alert(1)</script>",
    "<a href='javascript:alert(1)'>x</a>",
    "\u200b",
    "\u200c\u200d",
    "\u200e\u200f",
    "\u202e",
    "\u2066\u2069",
    "\ufeff",
    "\x00",
    "\x1b[31m",
    "\r\n",
    "🇺🇦",
    "👨‍👩‍👧‍👦",
    "e\u0301\u0301\u0301",
    "שלום",
    "مرحبا",
    "@ArticleQABot",
    "crimea",
    " war ",
    "?",
]
WHITESPACE_ONLY = ["", " ", "   \n\t  ", "\u200b", "\u3000", "\u00a0\u2009", "\ufeff", "\n\n\n"]

awkward_texts = st.one_of(
    st.text(max_size=4096),
    st.lists(st.one_of(st.sampled_from(AWKWARD), st.text(max_size=30)), max_size=60).map(
        lambda parts: "".join(parts)[:4096]
    ),
    st.builds(lambda char, n: char * n, st.characters(), st.integers(1, 4096)),
    st.builds(
        lambda word, n: (word * n)[:4096],
        st.text(min_size=1, max_size=12).filter(lambda w: not w.isspace()),
        st.integers(100, 4096),
    ),
    st.sampled_from(WHITESPACE_ONLY + AWKWARD),
)


def test_any_private_text_gets_exactly_one_accepted_reply(
    bot: BotInThread, fake_api: FakeBotAPI
) -> None:
    """Any unicode text up to 4096 characters (emoji, RTL and zero-width marks, control
    characters, HTML/Markdown syntax, very long words) gets exactly one reply that Telegram
    accepts, never an apology."""
    chats: list[int] = []

    @HYPOTHESIS
    @given(text=awkward_texts)
    def check(text: str) -> None:
        chat_id = fresh_id()
        chats.append(chat_id)
        only_reply(fake_api, text, chat_id)

    check()
    assert_still_answers(bot, fake_api, chats)


def test_empty_and_whitespace_messages_get_a_hint(bot: BotInThread, fake_api: FakeBotAPI) -> None:
    """An empty or whitespace-only message (spaces, tabs, newlines, zero-width and other
    invisible spaces) gets exactly one hint asking for the question as text."""
    wrong = {}
    for text in WHITESPACE_ONLY:
        shown = only_reply(fake_api, text, fresh_id()).params["text"]
        if shown != (NOT_TEXT if text == "" else EMPTY_TEXT):
            wrong[text] = shown
    assert wrong == {}
    assert_still_answers(bot, fake_api, [])


COMMANDS = [
    ("/ask", ASK_USAGE),
    ("/ask   ", ASK_USAGE),
    ("/ask\n\t", ASK_USAGE),
    ("/ask <script>alert(1)</script>", None),
    ("/ask@ArticleQABot *_`[ & <b>", None),
    ("/start " + "x" * 300, "Ask me anything"),
    ("/start " + "<b>&" * 80, "Ask me anything"),
    ("/start a:s:no-such-entry", "Ask me anything"),
    ("/start ../../etc/passwd", "Ask me anything"),
    ("/start@ArticleQABot", "Ask me anything"),
    ("/start@articleqabot war-duration", ANSWER_SNIPPET),
    ("/START", "Ask me anything"),
    ("/topics extra args", "page 1 of"),
    ("/topics 999", "page 1 of"),
    ("/help me please", "/ask"),
    ("/source <i>", "Knowledge version"),
    ("/start@SomeOtherBot", UNKNOWN_COMMAND),
    ("/reload now", UNKNOWN_COMMAND),
    ("/stats", UNKNOWN_COMMAND),
    ("/unanswered 5", UNKNOWN_COMMAND),
    ("/" + "a" * 64, UNKNOWN_COMMAND),
    ("/_", UNKNOWN_COMMAND),
]


def test_commands_with_odd_arguments_get_one_reply(bot: BotInThread, fake_api: FakeBotAPI) -> None:
    """Commands with missing, empty, hostile or very long arguments, odd case or another
    bot's @name get exactly one accepted reply (admin commands from a reader: "unknown")."""
    wrong = {}
    for command, expected in COMMANDS:
        shown = only_reply(fake_api, command, fresh_id()).params["text"]
        if expected is not None and expected not in shown:
            wrong[command] = shown[:200]
    assert wrong == {}
    assert_still_answers(bot, fake_api, [])


# --------------------------------------------------------------------------- buttons


def bot_message(fake: FakeBotAPI, text: str = QUESTION) -> dict[str, Any]:
    """Ask ``text`` in a new private chat; return the bot's reply as the client stores it."""
    chat_id = fresh_id()
    only_reply(fake, text, chat_id)
    (message,) = fake.messages_in_chat(chat_id)
    return message


def press(fake: FakeBotAPI, data: str, message: dict[str, Any]) -> Call:
    """Press a button with ``data`` on ``message``; return the one answerCallbackQuery."""
    query_id = fake.push_callback_query(data, message=message, user_id=message["chat"]["id"])[
        "callback_query"
    ]["id"]

    def answers_it(call: Call) -> bool:
        return call.params.get("callback_query_id") == query_id

    fake.wait_for("answerCallbackQuery", predicate=answers_it, timeout=10)
    time.sleep(SETTLE)
    (answer,) = [c for c in fake.calls_to("answerCallbackQuery") if answers_it(c)]
    assert answer.ok, answer.response
    return answer


def within_64_bytes(data: str) -> bool:
    return len(data.encode()) <= 64


callback_data = st.one_of(
    st.text(max_size=64).filter(within_64_bytes),
    st.builds(
        str.__add__,
        st.sampled_from(["a:", "a:s:", "a:d:", "a:g:", "a:t:", "a:r:", "u:", "d:", "t:", "t:-"]),
        st.text(max_size=60),
    ).filter(within_64_bytes),
    st.integers(-(10**6), 10**9).map(lambda n: f"t:{n}"),
)

FORGED = [
    "a:s:no-such-entry",
    "a:d:no-such-entry",
    "a:r:no-such-entry",
    "t:999",
    "t:-1",
    "t:",
    "t:1.5",
    "u:",
    "d:",
    "a:x:y",
    "a:s:",
    "a::war-duration",
    "a:s:war-duration:extra",
    "zzz-not-ours",
    "a:s:" + "x" * 60,
    "🙂" * 16,
    "",
]


def test_forged_and_stale_buttons_are_answered_without_errors(
    bot: BotInThread, fake_api: FakeBotAPI
) -> None:
    """Callback data the bot never issued, or naming a removed entry, gets its query
    answered (once) and no error; the message pressed on is left valid."""
    for data in FORGED:
        message = bot_message(fake_api, "/topics")
        answer = press(fake_api, data, message)
        if data.startswith("a:") and data.endswith("no-such-entry"):
            assert "no longer answer" in answer.params.get("text", "")
        elif data != "t:999":  # the only valid one: the last page, clamped
            assert answer.params.get("text") == EXPIRED
    for call in fake_api.calls_to("editMessageText"):
        assert call.ok, call.response
    assert_still_answers(bot, fake_api, [])


def test_random_callback_data_is_answered_without_errors(
    bot: BotInThread, fake_api: FakeBotAPI
) -> None:
    """Any callback data up to 64 bytes pressed on one of the bot's answers is answered
    exactly once and never reaches the error handler."""

    @HYPOTHESIS
    @given(data=callback_data)
    def check(data: str) -> None:
        press(fake_api, data, bot_message(fake_api))
        assert bot.errors == [], (data, bot.errors)

    check()
    for call in fake_api.calls_to("editMessageText") + fake_api.calls_to("sendMessage"):
        assert call.ok, call.response
    assert_still_answers(bot, fake_api, [])


def test_double_tap_on_a_topics_page_button_is_harmless(
    bot: BotInThread, fake_api: FakeBotAPI
) -> None:
    """Tapping "Next »" twice on the same /topics message (the second tap arrives after the
    first already turned the page) answers both taps, without an error or an apology."""
    message = bot_message(fake_api, "/topics")
    press(fake_api, "t:1", message)
    press(fake_api, "t:1", message)
    time.sleep(0.3)
    assert bot.errors == [], bot.errors
    assert not [m for m in fake_api.messages_in_chat(message["chat"]["id"]) if APOLOGY in m["text"]]
    assert_still_answers(bot, fake_api, [])


def test_double_tap_on_a_suggestion_is_harmless(bot: BotInThread, fake_api: FakeBotAPI) -> None:
    """Tapping a "did you mean" suggestion twice (the second tap arrives after the message was
    already edited into the answer) answers both taps, without an error or an apology."""
    message = bot_message(fake_api, "nato")
    assert "did you mean" in message["text"]
    data = message["reply_markup"]["inline_keyboard"][0][0]["callback_data"]
    assert data.startswith("a:s:")
    press(fake_api, data, message)
    press(fake_api, data, message)
    time.sleep(0.3)
    assert bot.errors == [], bot.errors
    assert not [m for m in fake_api.messages_in_chat(message["chat"]["id"]) if APOLOGY in m["text"]]
    assert_still_answers(bot, fake_api, [])


# --------------------------------------------------------------------------- inline queries

inline_queries = st.one_of(
    st.text(max_size=256),
    st.text(min_size=256, max_size=256),
    st.builds(lambda char: char * 256, st.characters()),
    st.lists(st.sampled_from(AWKWARD), max_size=40).map(lambda parts: "".join(parts)[:256]),
    st.sampled_from(["", " ", "crimea", "when was crimea annexed", "x" * 256, "🇺🇦" * 64]),
)


def test_inline_queries_are_always_answered_validly(bot: BotInThread, fake_api: FakeBotAPI) -> None:
    """Any inline query up to 256 characters is answered once, accepted by Telegram, with at
    most 50 results with unique ids."""

    @HYPOTHESIS
    @given(query=inline_queries)
    def check(query: str) -> None:
        query_id = fake_api.push_inline_query(query, user_id=fresh_id())["inline_query"]["id"]

        def answers_it(call: Call) -> bool:
            return call.params.get("inline_query_id") == query_id

        fake_api.wait_for("answerInlineQuery", predicate=answers_it, timeout=10)
        time.sleep(SETTLE)
        (answer,) = [c for c in fake_api.calls_to("answerInlineQuery") if answers_it(c)]
        assert answer.ok, answer.response
        results = answer.params["results"]
        assert 1 <= len(results) <= 50
        ids = [r["id"] for r in results]
        assert len(set(ids)) == len(ids)
        assert all(0 < len(i.encode()) <= 64 for i in ids)

    check()
    assert_still_answers(bot, fake_api, [])
