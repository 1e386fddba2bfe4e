"""Tests for the fake Telegram Bot API server used by the end-to-end tests.

They talk to `FakeBotAPI` through a real `telegram.Bot` (so PTB must accept every answer) and
through plain httpx (to check the wire format), covering update delivery, recorded calls,
Telegram's validation rules, every injectable fault and a clean shutdown.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dtm
import html
import json
import threading
import time
from collections.abc import AsyncIterator, Iterator

import httpx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from telegram import (
    Bot,
    BotCommand,
    BotCommandScopeAllGroupChats,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InlineQueryResultArticle,
    InputTextMessageContent,
    ReplyParameters,
    Update,
)
from telegram.error import (
    BadRequest,
    Conflict,
    InvalidToken,
    NetworkError,
    RetryAfter,
    TelegramError,
    TimedOut,
)
from telegram.ext import ApplicationBuilder, CommandHandler, ContextTypes

from tests.support.fake_bot_api import DEFAULT_TOKEN, FakeBotAPI, make_chat, make_user, parse_html

# PTB 22 warns that RetryAfter.retry_after will become a timedelta; not our concern here.
IGNORE_RETRY_AFTER_DEPRECATION = pytest.mark.filterwarnings(
    "ignore::telegram.warnings.PTBDeprecationWarning"
)
KEYBOARD = InlineKeyboardMarkup([[InlineKeyboardButton("More", callback_data="more:1")]])


@pytest.fixture
def fake() -> Iterator[FakeBotAPI]:
    with FakeBotAPI() as server:
        yield server
    assert server.internal_errors == []  # no handler of the fake crashed


@pytest.fixture
async def bot(fake: FakeBotAPI) -> AsyncIterator[Bot]:
    async with Bot(fake.token, base_url=fake.base_url, base_file_url=fake.base_file_url) as b:
        yield b


def api_url(fake: FakeBotAPI, method: str, token: str = DEFAULT_TOKEN) -> str:
    return f"{fake.base_url}{token}/{method}"


def retry_after_seconds(error: RetryAfter) -> float:
    """``RetryAfter.retry_after`` as seconds, whichever type PTB's deprecation phase returns."""
    value = error.retry_after
    return value.total_seconds() if isinstance(value, dtm.timedelta) else float(value)


# --------------------------------------------------------------------------- identity & updates


async def test_get_me_returns_the_configured_bot_identity(fake: FakeBotAPI, bot: Bot) -> None:
    """`async with Bot` calls getMe; PTB accepts the answer and learns the bot's username."""
    me = await bot.get_me()
    assert (bot.username, me.id, me.first_name) == ("ArticleQABot", 123456, "Article QA")
    assert me.is_bot and me.supports_inline_queries and not me.can_read_all_group_messages
    assert [call.method for call in fake.calls] == ["getMe", "getMe"]
    assert fake.calls[0].ok and fake.calls[0].fault is None


async def test_long_poll_returns_an_update_pushed_while_waiting(fake: FakeBotAPI, bot: Bot) -> None:
    """A getUpdates with timeout waits and answers as soon as an update is pushed."""
    poll = asyncio.create_task(bot.get_updates(timeout=5))
    await fake.await_for("getUpdates")
    started = time.monotonic()
    pushed = fake.push_message("/start@ArticleQABot hello")
    updates = await asyncio.wait_for(poll, timeout=2)
    assert time.monotonic() - started < 1
    assert [u.update_id for u in updates] == [pushed["update_id"]] == [1]
    message = updates[0].message
    assert message is not None and message.text == "/start@ArticleQABot hello"
    assert message.entities[0].type == "bot_command" and message.entities[0].length == 19
    assert message.chat.type == "private" and message.from_user.id == 1001


async def test_long_poll_without_updates_returns_empty_after_timeout(fake: FakeBotAPI) -> None:
    """An empty long poll lasts about ``timeout`` seconds, then answers an empty list."""
    async with httpx.AsyncClient() as client:
        started = time.monotonic()
        response = await client.post(api_url(fake, "getUpdates"), data={"timeout": "0.3"})
    assert 0.25 < time.monotonic() - started < 1.5
    assert response.json() == {"ok": True, "result": []}


async def test_get_updates_offset_confirms_and_limit_caps(fake: FakeBotAPI, bot: Bot) -> None:
    """Updates below ``offset`` are dropped for good; ``limit`` caps one answer."""
    for text in ("one", "two", "three"):
        fake.push_message(text)
    assert [u.message.text for u in await bot.get_updates(limit=2)] == ["one", "two"]
    assert [u.update_id for u in await bot.get_updates(offset=2)] == [2, 3]
    assert [u.update_id for u in await bot.get_updates()] == [2, 3]  # not confirmed yet
    assert await bot.get_updates(offset=4) == ()
    assert fake.pending_updates == []
    assert fake.push_message("four")["update_id"] == 4


async def test_every_pushed_update_kind_is_accepted_by_ptb(fake: FakeBotAPI, bot: Bot) -> None:
    """Messages in groups, stickers, edits, channel posts, callback and inline queries
    all parse into the right `telegram.Update` attributes."""
    sent = await bot.send_message(1001, "pick one", reply_markup=KEYBOARD)
    fake.push_message("hi all", chat_id=-100777, chat_type="supergroup", user_id=7)
    fake.push_message(None, extra={"sticker": _sticker()})
    fake.push_edited_message("fixed typo", message_id=1)
    fake.push_channel_post("news")
    fake.push_callback_query("more:1", message=fake.sent_messages[0])
    fake.push_inline_query("who", offset="10")
    updates = await bot.get_updates()
    group, sticker, edit, post, callback, inline = updates
    assert group.message.chat.type == "supergroup" and group.message.chat.title
    assert sticker.message.sticker.file_id == "sticker-1" and sticker.message.text is None
    assert edit.edited_message.text == "fixed typo" and edit.edited_message.edit_date
    assert post.channel_post.chat.type == "channel" and post.channel_post.sender_chat
    assert callback.callback_query.data == "more:1"
    assert callback.callback_query.message.message_id == sent.message_id
    assert callback.callback_query.message.reply_markup == KEYBOARD
    assert (inline.inline_query.query, inline.inline_query.offset) == ("who", "10")
    assert isinstance(updates[0], Update)


def test_push_update_keeps_given_ids_and_continues_after_them(fake: FakeBotAPI) -> None:
    """A raw update keeps its own update_id and later ones number on from it."""
    raw = {
        "update_id": 41,
        "message": {"message_id": 5, "date": 0, "chat": make_chat(9, "private")},
    }
    assert fake.push_update(raw)["update_id"] == 41
    assert fake.push_message("next")["update_id"] == 42


def test_make_helpers_build_telegram_shaped_dicts() -> None:
    """make_user/make_chat build users, private chats and titled groups."""
    assert make_user(5) == {"id": 5, "is_bot": False, "first_name": "Reader", "language_code": "en"}
    assert make_chat(5, "private")["first_name"] == "Reader"
    assert make_chat(-5, "group", "Readers") == {"id": -5, "type": "group", "title": "Readers"}
    with pytest.raises(ValueError):
        make_chat(5, "secret")


# --------------------------------------------------------------------------- sending messages


async def test_send_message_is_recorded_with_decoded_params(fake: FakeBotAPI, bot: Bot) -> None:
    """sendMessage params arrive decoded (ints, dicts) while the text stays a string, and the
    returned Message carries id 1000, the keyboard and the replied-to message."""
    question = fake.push_message("what happened?")["message"]
    sent = await bot.send_message(
        1001, "123", reply_markup=KEYBOARD, reply_parameters=ReplyParameters(question["message_id"])
    )
    (call,) = fake.calls_to("sendMessage")
    assert call.params["chat_id"] == 1001 and call.params["text"] == "123"
    assert call.params["reply_markup"] == {
        "inline_keyboard": [[{"text": "More", "callback_data": "more:1"}]]
    }
    assert call.params["reply_parameters"] == {"message_id": 1}
    assert sent.message_id == 1000 and sent.text == "123" and sent.from_user.id == fake.bot_id
    assert sent.reply_markup == KEYBOARD and sent.reply_to_message.text == "what happened?"
    assert fake.sent_messages == [call.response["result"]]
    assert fake.sent_messages[0]["entities"] == []
    assert [m["text"] for m in fake.messages_in_chat(1001)] == ["123"]
    assert fake.messages_in_chat(42) == []


async def test_message_ids_count_per_chat_and_chat_type_is_preserved(
    fake: FakeBotAPI, bot: Bot
) -> None:
    """Each chat numbers the bot's messages from 1000; a group seen in an update keeps its
    type and title in the bot's replies."""
    fake.push_message("hi", chat_id=-200, chat_type="group")
    first = await bot.send_message(-200, "a")
    second = await bot.send_message(-200, "b")
    private = await bot.send_message(1001, "c")
    assert (first.message_id, second.message_id, private.message_id) == (1000, 1001, 1000)
    assert first.chat.type == "group" and first.chat.title == "Test group -200"
    assert private.chat.type == "private"


async def test_legacy_reply_to_message_id_and_missing_reply_target(
    fake: FakeBotAPI, bot: Bot
) -> None:
    """reply_to_message_id still works; replying to an unknown message is a BadRequest
    unless allow_sending_without_reply is set."""
    fake.push_message("question")
    async with httpx.AsyncClient() as client:
        response = await client.post(
            api_url(fake, "sendMessage"),
            data={"chat_id": "1001", "text": "answer", "reply_to_message_id": "1"},
        )
    assert response.json()["result"]["reply_to_message"]["text"] == "question"
    with pytest.raises(BadRequest, match=r"(?i)message to be replied not found"):
        await bot.send_message(1001, "x", reply_parameters=ReplyParameters(99))
    sent = await bot.send_message(
        1001, "x", reply_parameters=ReplyParameters(99, allow_sending_without_reply=True)
    )
    assert sent.reply_to_message is None


async def test_html_text_is_stored_as_plain_text_with_entities(fake: FakeBotAPI, bot: Bot) -> None:
    """parse_mode=HTML: users see the text without tags and with entities unescaped."""
    html = '<b>Answer</b> &amp; <i>"quote"</i> <a href="https://x.test/?a=1&b=2">src</a>'
    sent = await bot.send_message(1001, html, parse_mode="HTML")
    assert sent.text == 'Answer & "quote" src'
    assert [(e.type, e.offset, e.length) for e in sent.entities] == [
        ("bold", 0, 6),
        ("italic", 9, 7),
        ("text_link", 17, 3),
    ]
    assert sent.entities[2].url == "https://x.test/?a=1&b=2"
    assert fake.calls_to("sendMessage")[0].params["text"] == html


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("<foo>x</foo>", 'Unsupported start tag "foo"'),
        ("<b>bold", 'Can\'t find end tag corresponding to start tag "b"'),
        ("<b><i>x</b></i>", 'expected "</i>", found "</b>"'),
        ("a < b", 'Unescaped "<"'),
        ("Q&A", 'Unescaped "&"'),
        ("&nbsp;", "Unsupported HTML entity"),
        ("<span>x</span>", 'must have class "tg-spoiler"'),
    ],
)
async def test_html_parse_errors_are_bad_requests(
    fake: FakeBotAPI, bot: Bot, text: str, reason: str
) -> None:
    """Malformed HTML is refused with "can't parse entities" and nothing is delivered."""
    with pytest.raises(BadRequest, match=r"(?i)parse entities") as caught:
        await bot.send_message(1001, text, parse_mode="HTML")
    (call,) = fake.calls_to("sendMessage")
    assert call.status == 400 and reason in call.response["description"]
    assert caught.value.message.startswith("Can't parse entities") and fake.sent_messages == []


def test_parse_html_handles_nesting_code_blocks_and_utf16_offsets() -> None:
    """Entity offsets count UTF-16 units; <pre><code class=language-x> is one pre entity."""
    text, entities = parse_html(
        '😀 <b>x<i>y</i></b>\n<pre><code class="language-py">1</code></pre>'
    )
    assert text == "😀 xy\n1"
    assert entities == [
        {"type": "bold", "offset": 3, "length": 2},
        {"type": "italic", "offset": 4, "length": 1},
        {"type": "pre", "language": "py", "offset": 6, "length": 1},
    ]


async def test_text_length_limit_applies_after_html_parsing(fake: FakeBotAPI, bot: Bot) -> None:
    """4096 visible characters pass even with tags around them; 4097 are "too long"."""
    await bot.send_message(1001, "<b>" + "&amp;" * 4096 + "</b>", parse_mode="HTML")
    with pytest.raises(BadRequest, match=r"(?i)message is too long"):
        await bot.send_message(1001, "x" * 4097)
    assert len(fake.sent_messages) == 1 and fake.sent_messages[0]["text"] == "&" * 4096


async def test_empty_text_is_refused(bot: Bot) -> None:
    """Whitespace-only text, or HTML with no visible text, is "message text is empty"."""
    with pytest.raises(BadRequest, match=r"(?i)message text is empty"):
        await bot.send_message(1001, "  \n")
    with pytest.raises(BadRequest, match=r"(?i)message text is empty"):
        await bot.send_message(1001, "<b> </b>", parse_mode="HTML")


async def test_callback_data_over_64_bytes_is_refused(fake: FakeBotAPI, bot: Bot) -> None:
    """A button whose callback_data exceeds 64 bytes (UTF-8) is BUTTON_DATA_INVALID."""
    ok = InlineKeyboardMarkup([[InlineKeyboardButton("ok", callback_data="x" * 64)]])
    await bot.send_message(1001, "fits", reply_markup=ok)
    too_long = InlineKeyboardMarkup([[InlineKeyboardButton("no", callback_data="é" * 33)]])
    with pytest.raises(BadRequest, match=r"(?i)BUTTON_DATA_INVALID"):
        await bot.send_message(1001, "too long", reply_markup=too_long)
    assert [m["text"] for m in fake.sent_messages] == ["fits"]


# --------------------------------------------------------------------------- editing & deleting


async def test_edit_message_text_updates_the_stored_message(fake: FakeBotAPI, bot: Bot) -> None:
    """editMessageText changes the text in sent_messages, keeps the keyboard only when it is
    sent again, and refuses an edit that changes nothing."""
    sent = await bot.send_message(1001, "draft", reply_markup=KEYBOARD)
    edited = await bot.edit_message_text("final", 1001, sent.message_id, reply_markup=KEYBOARD)
    assert edited.text == "final" and edited.edit_date and edited.reply_markup == KEYBOARD
    assert fake.sent_messages[0]["text"] == "final"
    with pytest.raises(BadRequest, match=r"(?i)message is not modified"):
        await bot.edit_message_text("final", 1001, sent.message_id, reply_markup=KEYBOARD)
    await bot.edit_message_text("final", 1001, sent.message_id)  # drops the keyboard
    assert "reply_markup" not in fake.sent_messages[0]
    with pytest.raises(BadRequest, match=r"(?i)message to edit not found"):
        await bot.edit_message_text("x", 1001, 4242)


async def test_edit_message_text_refuses_user_messages_and_bad_html(
    fake: FakeBotAPI, bot: Bot
) -> None:
    """The bot can't edit a user's message, and edits obey the same text rules as sends."""
    user_message = fake.push_message("mine")["message"]
    with pytest.raises(BadRequest, match=r"(?i)message can't be edited"):
        await bot.edit_message_text("yours", 1001, user_message["message_id"])
    sent = await bot.send_message(1001, "ok")
    with pytest.raises(BadRequest, match=r"(?i)parse entities"):
        await bot.edit_message_text("<b>oops", 1001, sent.message_id, parse_mode="HTML")


async def test_inline_message_edits_answer_true(fake: FakeBotAPI, bot: Bot) -> None:
    """Edits by inline_message_id answer True and still detect no-op edits."""
    assert await bot.edit_message_text("v1", inline_message_id="inl-1") is True
    with pytest.raises(BadRequest, match=r"(?i)not modified"):
        await bot.edit_message_text("v1", inline_message_id="inl-1")
    assert await bot.edit_message_reply_markup(inline_message_id="inl-1", reply_markup=KEYBOARD)


async def test_edit_message_reply_markup_swaps_and_removes_keyboards(
    fake: FakeBotAPI, bot: Bot
) -> None:
    """editMessageReplyMarkup replaces the stored keyboard; the same keyboard is not modified."""
    sent = await bot.send_message(1001, "menu", reply_markup=KEYBOARD)
    with pytest.raises(BadRequest, match=r"(?i)not modified"):
        await bot.edit_message_reply_markup(1001, sent.message_id, reply_markup=KEYBOARD)
    edited = await bot.edit_message_reply_markup(1001, sent.message_id)
    assert edited.reply_markup is None and edited.text == "menu"
    assert "reply_markup" not in fake.sent_messages[0]


async def test_delete_message_removes_it_from_what_the_user_sees(
    fake: FakeBotAPI, bot: Bot
) -> None:
    """deleteMessage drops the message from sent_messages; deleting twice is an error."""
    sent = await bot.send_message(1001, "oops")
    assert await bot.delete_message(1001, sent.message_id) is True
    assert fake.sent_messages == []
    with pytest.raises(BadRequest, match=r"(?i)message to delete not found"):
        await bot.delete_message(1001, sent.message_id)


# --------------------------------------------------------------------------- queries & commands


async def test_answer_callback_query_accepts_only_pushed_queries(
    fake: FakeBotAPI, bot: Bot
) -> None:
    """answerCallbackQuery works for a pushed query id and refuses an unknown one."""
    await bot.send_message(1001, "menu", reply_markup=KEYBOARD)
    update = fake.push_callback_query("more:1", message=fake.sent_messages[0])
    assert await bot.answer_callback_query(update["callback_query"]["id"], text="ok") is True
    with pytest.raises(BadRequest, match=r"(?i)query ID is invalid"):
        await bot.answer_callback_query("nope")


async def test_answer_inline_query_validates_results(fake: FakeBotAPI, bot: Bot) -> None:
    """answerInlineQuery accepts up to 50 unique results and refuses duplicates or more."""
    query_id = fake.push_inline_query("climate")["inline_query"]["id"]

    def article(result_id: str) -> InlineQueryResultArticle:
        return InlineQueryResultArticle(result_id, "t", InputTextMessageContent("body"))

    assert await bot.answer_inline_query(query_id, [article(str(i)) for i in range(50)])
    with pytest.raises(BadRequest, match=r"(?i)RESULT_ID_DUPLICATE"):
        await bot.answer_inline_query(query_id, [article("a"), article("a")])
    with pytest.raises(BadRequest, match=r"(?i)RESULTS_TOO_MUCH"):
        await bot.answer_inline_query(query_id, [article(str(i)) for i in range(51)])
    with pytest.raises(BadRequest, match=r"(?i)query ID is invalid"):
        await bot.answer_inline_query("unknown", [])
    assert fake.calls_to("answerInlineQuery")[0].params["results"][0]["id"] == "0"


async def test_my_commands_are_stored_per_scope(bot: Bot) -> None:
    """getMyCommands returns what setMyCommands stored for that scope, else nothing."""
    commands = [BotCommand("start", "Start"), BotCommand("ask", "Ask about the article")]
    assert await bot.set_my_commands(commands)
    assert await bot.get_my_commands() == tuple(commands)
    assert await bot.get_my_commands(scope=BotCommandScopeAllGroupChats()) == ()
    assert await bot.delete_my_commands()
    assert await bot.get_my_commands() == ()
    with pytest.raises(BadRequest, match=r"(?i)BOT_COMMAND_INVALID"):
        await bot.set_my_commands([BotCommand("Bad-Name", "x")])


async def test_webhook_methods_and_polling_conflict(fake: FakeBotAPI, bot: Bot) -> None:
    """While a webhook is set getUpdates is a Conflict; deleteWebhook can drop the backlog."""
    assert await bot.set_webhook("https://example.test/hook")
    assert (await bot.get_webhook_info()).url == "https://example.test/hook"
    with pytest.raises(Conflict, match="webhook is active"):
        await bot.get_updates()
    fake.push_message("backlog")
    assert (await bot.get_webhook_info()).pending_update_count == 1
    assert await bot.delete_webhook(drop_pending_updates=True)
    assert await bot.get_updates() == ()


async def test_simple_methods_answer_true(bot: Bot) -> None:
    """sendChatAction, close and logOut answer True."""
    assert await bot.send_chat_action(1001, "typing") is True
    assert await bot.close() is True
    assert await bot.log_out() is True


async def test_a_second_poller_terminates_the_first(fake: FakeBotAPI) -> None:
    """Two concurrent getUpdates: the older long poll ends with 409 like Telegram's
    "terminated by other getUpdates request"."""
    async with (
        Bot(fake.token, base_url=fake.base_url) as first,
        Bot(fake.token, base_url=fake.base_url) as second,
    ):
        poll = asyncio.create_task(first.get_updates(timeout=5))
        await fake.await_for("getUpdates")
        assert await second.get_updates() == ()
        with pytest.raises(Conflict, match="terminated by other getUpdates"):
            await asyncio.wait_for(poll, timeout=2)


# --------------------------------------------------------------------------- faults


@IGNORE_RETRY_AFTER_DEPRECATION
async def test_fault_429_raises_retry_after_and_is_consumed(fake: FakeBotAPI, bot: Bot) -> None:
    """A 429 surfaces as RetryAfter with the injected delay; the next call succeeds."""
    fake.inject("sendMessage", "429", retry_after=7)
    with pytest.raises(RetryAfter) as caught:
        await bot.send_message(1001, "hi")
    assert retry_after_seconds(caught.value) == 7
    await bot.send_message(1001, "hi")
    assert [c.fault for c in fake.calls_to("sendMessage")] == ["429", None]
    assert fake.calls_to("sendMessage")[0].response["parameters"] == {"retry_after": 7}
    assert [m["text"] for m in fake.sent_messages] == ["hi"]


async def test_fault_500_raises_network_error(fake: FakeBotAPI, bot: Bot) -> None:
    """An injected 500 is a JSON error that PTB raises as a NetworkError."""
    fake.inject("sendMessage", "500")
    with pytest.raises(NetworkError, match=r"(?i)Internal Server Error") as caught:
        await bot.send_message(1001, "hi")
    assert isinstance(caught.value, TelegramError) and fake.sent_messages == []


async def test_fault_502_html_answers_like_nginx(fake: FakeBotAPI, bot: Bot) -> None:
    """502_html answers an HTML page (not JSON); PTB raises NetworkError."""
    fake.inject("getMe", "502_html", times=2)
    async with httpx.AsyncClient() as client:
        response = await client.post(api_url(fake, "getMe"))
    assert response.status_code == 502
    assert response.headers["content-type"] == "text/html"
    assert "<h1>502 Bad Gateway</h1>" in response.text
    with pytest.raises(NetworkError, match=r"(?i)Bad Gateway"):
        await bot.get_me()


async def test_fault_drop_closes_the_connection(fake: FakeBotAPI, bot: Bot) -> None:
    """A dropped connection is a NetworkError (not a timeout) and the call is recorded."""
    fake.inject("sendMessage", "drop")
    with pytest.raises(NetworkError) as caught:
        await bot.send_message(1001, "hi")
    assert not isinstance(caught.value, TimedOut)
    assert fake.calls_to("sendMessage")[0].fault == "drop" and fake.sent_messages == []
    await bot.send_message(1001, "again")  # a fresh connection works


async def test_fault_slow_get_updates_times_out(fake: FakeBotAPI, bot: Bot) -> None:
    """A getUpdates answered later than the client's read timeout raises TimedOut."""
    fake.inject("getUpdates", "slow", delay=1.0)
    started = time.monotonic()
    with pytest.raises(TimedOut):
        await bot.get_updates(timeout=0, read_timeout=0.2)
    assert time.monotonic() - started < 0.9
    assert fake.calls_to("getUpdates")[0].fault == "slow"


async def test_fault_slow_answers_normally_after_the_delay(fake: FakeBotAPI, bot: Bot) -> None:
    """With a patient client a slow call just takes longer."""
    fake.inject("getMe", "slow", delay=0.3)
    started = time.monotonic()
    assert (await bot.get_me()).username == "ArticleQABot"
    assert time.monotonic() - started >= 0.3


async def test_fault_deliver_then_hang_delivers_but_times_out(fake: FakeBotAPI, bot: Bot) -> None:
    """The message reaches the user although the client gets TimedOut."""
    fake.inject("sendMessage", "deliver_then_hang", delay=1.0)
    with pytest.raises(TimedOut):
        await bot.send_message(1001, "delivered?", read_timeout=0.2)
    assert [m["text"] for m in fake.sent_messages] == ["delivered?"]
    assert fake.calls_to("sendMessage")[0].fault == "deliver_then_hang"


@IGNORE_RETRY_AFTER_DEPRECATION
async def test_faults_are_consumed_in_order_per_method(fake: FakeBotAPI, bot: Bot) -> None:
    """Queued faults hit successive calls of their own method only."""
    fake.inject("sendMessage", "500", times=2)
    fake.inject("sendMessage", "429")
    for expected in (NetworkError, NetworkError, RetryAfter):
        with pytest.raises(expected):
            await bot.send_message(1001, "hi")
    await bot.send_chat_action(1001, "typing")
    await bot.send_message(1001, "hi")
    assert [c.fault for c in fake.calls_to("sendMessage")] == ["500", "500", "429", None]
    assert fake.calls_to("sendChatAction")[0].fault is None


@pytest.mark.parametrize(
    ("fault", "error"),
    [
        ("processed_then_drop", r"RemoteProtocolError"),
        ("processed_then_502", r"Bad Gateway \(502\)"),
        ("processed_then_504", r"Gateway Timeout \(504\)"),
    ],
)
async def test_processed_faults_deliver_but_the_answer_is_lost(
    fault: str, error: str, fake: FakeBotAPI, bot: Bot
) -> None:
    """The message exists (the backend did it), yet the client sees a drop or a proxy page."""
    fake.inject("sendMessage", fault)
    with pytest.raises(NetworkError, match=error) as caught:
        await bot.send_message(1001, "delivered?")
    assert not isinstance(caught.value, TimedOut)
    assert [m["text"] for m in fake.sent_messages] == ["delivered?"]
    (call,) = fake.calls_to("sendMessage")
    assert (call.fault, call.ok) == (fault, True)


async def test_fault_504_html_is_not_processed(fake: FakeBotAPI, bot: Bot) -> None:
    """504_html: nginx's gateway-timeout page, and nothing was sent."""
    fake.inject("sendMessage", "504_html")
    with pytest.raises(NetworkError, match=r"Gateway Timeout \(504\)"):
        await bot.send_message(1001, "hi")
    assert fake.sent_messages == [] and fake.calls_to("sendMessage")[0].status == 504


async def test_a_fault_mix_draws_faults_for_every_call_until_cleared(
    fake: FakeBotAPI, bot: Bot
) -> None:
    """inject_mix draws per call with its seed (same seed, same draws); clear_faults ends it."""
    fake.inject_mix("sendMessage", {"none": 1, "500": 1}, seed=7)
    for _ in range(20):
        with contextlib.suppress(NetworkError):
            await bot.send_message(1001, "hi")
    drawn = [c.fault for c in fake.calls_to("sendMessage")]
    assert set(drawn) == {None, "500"}
    assert len(fake.sent_messages) == drawn.count(None)
    fake.clear_faults("sendMessage")
    await bot.send_message(1001, "clear")
    assert fake.calls_to("sendMessage")[-1].fault is None
    with FakeBotAPI() as other:
        other.inject_mix("sendMessage", {"none": 1, "500": 1}, seed=7)
        async with Bot(other.token, base_url=other.base_url) as other_bot:
            for _ in range(20):
                with contextlib.suppress(NetworkError):
                    await other_bot.send_message(1001, "hi")
        assert [c.fault for c in other.calls_to("sendMessage")] == drawn
    with pytest.raises(ValueError, match="unknown fault"):
        fake.inject_mix("sendMessage", {"503": 1})
    with pytest.raises(ValueError, match="delay"):
        fake.inject_mix("sendMessage", {"deliver_then_hang": 1})


def test_inject_rejects_unknown_faults_and_missing_delays(fake: FakeBotAPI) -> None:
    """Typos in fault names and delay-less slow faults fail loudly."""
    with pytest.raises(ValueError, match="unknown fault"):
        fake.inject("sendMessage", "503")
    with pytest.raises(ValueError, match="delay"):
        fake.inject("getUpdates", "slow")


# --------------------------------------------------------------------------- HTTP details


async def test_wrong_token_is_unauthorized(fake: FakeBotAPI) -> None:
    """A wrong token gets Telegram's 401, which PTB raises as InvalidToken."""
    with pytest.raises(InvalidToken):
        async with Bot("999:WRONG", base_url=fake.base_url):
            pass
    async with httpx.AsyncClient() as client:
        response = await client.post(api_url(fake, "getMe", token="999:WRONG"))
    assert response.status_code == 401
    assert response.json() == {"ok": False, "error_code": 401, "description": "Unauthorized"}
    assert fake.calls[0].token == "999:WRONG" and fake.calls[0].status == 401


def test_unknown_method_is_404(fake: FakeBotAPI) -> None:
    """Unknown methods get 404 "Not Found: method not found"."""
    response = httpx.post(api_url(fake, "sendTelepathy"))
    assert response.status_code == 404
    assert response.json() == {
        "ok": False,
        "error_code": 404,
        "description": "Not Found: method not found",
    }
    assert httpx.get(f"{fake.base_file_url}{fake.token}/x.jpg").status_code == 404


@pytest.mark.parametrize("encoding", ["form", "json", "multipart", "query"])
def test_request_encodings_decode_to_the_same_params(fake: FakeBotAPI, encoding: str) -> None:
    """Form, JSON, multipart and query-string requests decode alike; string params such as a
    numeric-looking text stay strings."""
    params = {"chat_id": 1001, "text": "123", "reply_markup": KEYBOARD.to_dict()}
    wire = {k: v if isinstance(v, str) else json.dumps(v) for k, v in params.items()}
    url = api_url(fake, "sendMessage")
    if encoding == "form":
        response = httpx.post(url, data=wire)
    elif encoding == "json":
        response = httpx.post(url, json=params)
    elif encoding == "multipart":
        response = httpx.post(url, data=wire, files={"extra": ("a.txt", b"abc", "text/plain")})
    else:
        response = httpx.get(url, params=wire)
    assert response.json()["ok"] is True
    recorded = fake.calls_to("sendMessage")[0].params
    assert {k: recorded[k] for k in params} == params
    if encoding == "multipart":
        assert recorded["extra"] == {"filename": "a.txt", "content_type": "text/plain", "size": 3}


def test_string_params_are_never_json_decoded(fake: FakeBotAPI) -> None:
    """A text of "true" stays the string "true" while chat_id "1001" becomes an int."""
    response = httpx.post(api_url(fake, "sendMessage"), data={"chat_id": "1001", "text": "true"})
    assert response.json()["result"]["text"] == "true"
    assert fake.calls[0].params == {"chat_id": 1001, "text": "true"}


# --------------------------------------------------------------------------- waiting & shutdown


def test_wait_for_blocks_until_calls_arrive_from_another_thread(fake: FakeBotAPI) -> None:
    """wait_for returns once enough matching calls exist, honouring the predicate."""

    def send_later() -> None:
        time.sleep(0.1)
        for text in ("a", "b"):
            httpx.post(api_url(fake, "sendMessage"), data={"chat_id": "1", "text": text})

    threading.Thread(target=send_later).start()
    calls = fake.wait_for("sendMessage", predicate=lambda c: c.params["text"] == "b", timeout=2)
    assert [c.params["text"] for c in calls] == ["b"]
    assert len(fake.wait_for("sendmessage", count=2)) == 2  # method names are case-insensitive


def test_wait_for_timeout_lists_the_calls_seen(fake: FakeBotAPI) -> None:
    """On timeout wait_for raises AssertionError naming every method called so far."""
    fake.inject("getMe", "429")
    for _ in range(3):
        httpx.post(api_url(fake, "getMe"))
    with pytest.raises(AssertionError, match=r"sendMessage.*getMe\[429\], getMe x2"):
        fake.wait_for("sendMessage", timeout=0.1)


async def test_await_for_does_not_block_the_event_loop(fake: FakeBotAPI, bot: Bot) -> None:
    """await_for lets other tasks (here: the bot itself) run while it waits."""
    sender = asyncio.create_task(bot.send_message(1001, "hi"))
    calls = await fake.await_for("sendMessage", timeout=2)
    await sender
    assert calls[0].ok
    with pytest.raises(AssertionError, match="deleteMessage"):
        await fake.await_for("deleteMessage", timeout=0.05)


def test_stop_wakes_a_waiting_long_poll_and_leaves_no_threads() -> None:
    """stop() returns promptly while a 30 s long poll is waiting, and every server thread
    (the accept loop and the request handlers) has ended afterwards."""
    before = set(threading.enumerate())
    fake = FakeBotAPI().start()
    outcome: list[object] = []

    def long_poll() -> None:
        try:
            url = api_url(fake, "getUpdates")
            outcome.append(httpx.post(url, data={"timeout": "30"}, timeout=40).json())
        except httpx.HTTPError as exc:
            outcome.append(exc)

    poller = threading.Thread(target=long_poll)
    poller.start()
    fake.wait_for("getUpdates")
    started = time.monotonic()
    fake.stop()
    poller.join(timeout=2)
    assert time.monotonic() - started < 1.5 and not poller.is_alive()
    assert len(outcome) == 1
    assert isinstance(outcome[0], httpx.HTTPError) or outcome[0] == {"ok": True, "result": []}
    assert [t for t in threading.enumerate() if t not in before and t.is_alive()] == []
    with pytest.raises(RuntimeError):
        _ = fake.base_url


def test_stop_interrupts_sleeping_faults() -> None:
    """A request held by a 30 s slow fault doesn't keep stop() waiting for the delay."""
    fake = FakeBotAPI().start()
    fake.inject("getMe", "slow", delay=30)

    def call_get_me() -> None:
        with contextlib.suppress(httpx.HTTPError):
            httpx.post(api_url(fake, "getMe"), timeout=40)

    client = threading.Thread(target=call_get_me)
    client.start()
    assert fake.wait_for("getMe")[0].status is None  # recorded on arrival, still sleeping
    started = time.monotonic()
    fake.stop()
    client.join(timeout=2)
    assert time.monotonic() - started < 1.5 and not client.is_alive()


# --------------------------------------------------------------------------- a whole application


async def test_a_ptb_application_polls_and_replies_end_to_end(fake: FakeBotAPI) -> None:
    """An Application with a /start handler polls the fake, replies, and shuts down cleanly."""

    async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        await update.effective_message.reply_html("<b>Welcome!</b>")

    app = ApplicationBuilder().token(fake.token).base_url(fake.base_url).build()
    app.add_handler(CommandHandler("start", start))
    async with app:
        await app.updater.start_polling(poll_interval=0, timeout=1)
        await app.start()
        fake.push_message("/start")
        (call,) = await fake.await_for("sendMessage", timeout=3)
        await app.updater.stop()
        await app.stop()
    assert call.params["parse_mode"] == "HTML"
    assert fake.messages_in_chat(1001)[0]["text"] == "Welcome!"
    assert fake.calls_to("deleteWebhook") and fake.pending_updates == []


def _sticker() -> dict[str, object]:
    return {
        "file_id": "sticker-1",
        "file_unique_id": "u-1",
        "type": "regular",
        "width": 512,
        "height": 512,
        "is_animated": False,
        "is_video": False,
    }


@given(st.text(max_size=60))
@settings(max_examples=200, deadline=None)
def test_parse_html_accepts_any_properly_escaped_text(text: str) -> None:
    """Whatever the text, html.escape() makes it valid HTML that users see unchanged."""
    assert parse_html(html.escape(text, quote=False)) == (text, [])
