"""End to end: group chats answer /ask, replies to the bot and mentions, and nothing else."""

from __future__ import annotations

import asyncio

from telegram.ext import Application

from tests.support.fake_bot_api import FakeBotAPI

GROUP = -200123


def group_message(fake: FakeBotAPI, text: str, **kwargs) -> dict:
    return fake.push_message(text, chat_id=GROUP, chat_type="group", user_id=77, **kwargs)


async def test_ask_command_is_answered_as_reply_to_the_asker(
    running_bot: Application, fake_api: FakeBotAPI
) -> None:
    """/ask question in a group gets the answer as a reply to the asking message."""
    update = group_message(fake_api, "/ask when was crimea annexed")
    (call,) = await fake_api.await_for("sendMessage")
    assert call.params["chat_id"] == GROUP
    assert call.params["reply_parameters"]["message_id"] == update["message"]["message_id"]
    assert "2014" in call.params["text"]


async def test_ask_addressed_to_this_bot_by_username(
    running_bot: Application, fake_api: FakeBotAPI
) -> None:
    """/ask@ArticleQABot question works; /ask@OtherBot is left to the other bot."""
    group_message(fake_api, "/ask@OtherBot how long has the war lasted")
    group_message(fake_api, "/ask@ArticleQABot how long has the war lasted")
    await fake_api.await_for("sendMessage")
    await asyncio.sleep(0.5)
    assert len(fake_api.calls_to("sendMessage")) == 1


async def test_ask_without_question_gets_usage_hint(
    running_bot: Application, fake_api: FakeBotAPI
) -> None:
    """/ask alone replies with how to use it."""
    group_message(fake_api, "/ask")
    (call,) = await fake_api.await_for("sendMessage")
    assert "Usage: /ask" in call.params["text"]


async def test_group_chatter_is_ignored(running_bot: Application, fake_api: FakeBotAPI) -> None:
    """Ordinary group messages, unknown commands and stickers get no reply at all."""
    group_message(fake_api, "when was crimea annexed")
    group_message(fake_api, "lol did you see the match")
    group_message(fake_api, "/frobnicate")
    fake_api.push_message(None, chat_id=GROUP, chat_type="group", extra={"sticker": _sticker()})
    group_message(fake_api, "/ask how long has the war lasted")
    calls = await fake_api.await_for("sendMessage")
    await asyncio.sleep(0.5)
    calls = fake_api.calls_to("sendMessage")
    assert len(calls) == 1
    assert "1,000 days" in calls[0].params["text"]


async def test_reply_to_bot_message_is_answered(
    running_bot: Application, fake_api: FakeBotAPI
) -> None:
    """Replying to one of the bot's messages asks a follow-up question."""
    group_message(fake_api, "/ask how long has the war lasted")
    await fake_api.await_for("sendMessage")
    bot_message = fake_api.sent_messages[-1]
    update = group_message(fake_api, "and when was crimea annexed?", reply_to_message=bot_message)
    calls = await fake_api.await_for("sendMessage", count=2)
    assert calls[1].params["reply_parameters"]["message_id"] == update["message"]["message_id"]
    assert "2014" in calls[1].params["text"]


async def test_reply_to_someone_else_is_ignored(
    running_bot: Application, fake_api: FakeBotAPI
) -> None:
    """A reply to another member's message is group chatter, not a question for the bot."""
    other = group_message(fake_api, "hello all")["message"]
    group_message(fake_api, "when was crimea annexed", reply_to_message=other)
    group_message(fake_api, "/ask how long has the war lasted")
    await fake_api.await_for("sendMessage")
    await asyncio.sleep(0.5)
    assert len(fake_api.calls_to("sendMessage")) == 1


async def test_mention_is_answered_without_the_mention_text(
    running_bot: Application, fake_api: FakeBotAPI
) -> None:
    """'@ArticleQABot question' is answered; the mention itself is not part of the question."""
    text = "@ArticleQABot when was crimea annexed"
    entities = [{"type": "mention", "offset": 0, "length": len("@ArticleQABot")}]
    group_message(fake_api, text, entities=entities)
    (call,) = await fake_api.await_for("sendMessage")
    assert "2014" in call.params["text"]
    assert "reply_parameters" in call.params


async def test_did_you_mean_in_group_edits_the_bot_message(
    running_bot: Application, fake_api: FakeBotAPI
) -> None:
    """A suggestion button pressed in a group edits the bot's suggestion into the answer."""
    group_message(fake_api, "/ask nato")
    (call,) = await fake_api.await_for("sendMessage")
    data = call.params["reply_markup"]["inline_keyboard"][0][0]["callback_data"]
    message = fake_api.sent_messages[-1]
    fake_api.push_callback_query(data, message=message, user_id=78)
    (edit,) = await fake_api.await_for("editMessageText")
    assert edit.params["chat_id"] == GROUP
    assert edit.params["message_id"] == message["message_id"]


def _sticker() -> dict:
    return {
        "file_id": "s",
        "file_unique_id": "s",
        "type": "regular",
        "width": 1,
        "height": 1,
        "is_animated": False,
        "is_video": False,
    }
