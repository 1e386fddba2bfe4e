"""End to end: inline mode answers with well-formed results."""

from __future__ import annotations

from telegram.ext import Application

from tests.support.fake_bot_api import FakeBotAPI


def check_well_formed(results: list[dict]) -> None:
    assert 1 <= len(results) <= 50
    ids = [r["id"] for r in results]
    assert len(ids) == len(set(ids))
    assert all(len(i.encode()) <= 64 for i in ids)
    for result in results:
        content = result["input_message_content"]
        assert content["parse_mode"] == "HTML"
        assert len(content["message_text"]) <= 4096


async def test_inline_question_gives_best_matches_first(
    running_bot: Application, fake_api: FakeBotAPI
) -> None:
    """An inline question yields up to 5 results, best first, each posting answer and quote."""
    fake_api.push_inline_query("when was crimea annexed")
    (call,) = await fake_api.await_for("answerInlineQuery")
    assert call.ok, call.response
    results = call.params["results"]
    check_well_formed(results)
    assert len(results) <= 5
    assert results[0]["id"] == "crimea-annexed"
    assert "<blockquote>" in results[0]["input_message_content"]["message_text"]


async def test_empty_inline_query_lists_popular_topics(
    running_bot: Application, fake_api: FakeBotAPI
) -> None:
    """An empty inline query lists topics to pick from."""
    fake_api.push_inline_query("")
    (call,) = await fake_api.await_for("answerInlineQuery")
    check_well_formed(call.params["results"])
    assert len(call.params["results"]) == 5


async def test_inline_question_outside_article_gives_one_decline(
    running_bot: Application, fake_api: FakeBotAPI
) -> None:
    """A question the article does not answer yields a single 'doesn't say' result."""
    fake_api.push_inline_query("Is Finland a NATO member?")
    (call,) = await fake_api.await_for("answerInlineQuery")
    results = call.params["results"]
    check_well_formed(results)
    assert len(results) == 1
    assert "doesn't say" in results[0]["title"]
    assert call.params["button"]["start_parameter"] == "inline"


async def test_inline_request_for_an_opinion_gives_one_neutral_result(
    running_bot: Application, fake_api: FakeBotAPI
) -> None:
    """An inline request for an opinion yields one result saying the bot gives none."""
    fake_api.push_inline_query("is zelensky's ceasefire offer a good idea")
    (call,) = await fake_api.await_for("answerInlineQuery")
    results = call.params["results"]
    check_well_formed(results)
    assert len(results) == 1
    assert results[0]["title"] == "I don't give opinions or predictions"
    assert "opinions" in results[0]["input_message_content"]["message_text"]
