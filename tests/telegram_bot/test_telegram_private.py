"""End to end: private chats, commands and buttons, through the fake Bot API over HTTP."""

from __future__ import annotations

from html.parser import HTMLParser

from telegram.ext import Application

from tests.support.fake_bot_api import FakeBotAPI

ARTICLE_CRIMEA = (
    "Throughout the conflict, the Ukrainian president has consistently refused to cede any "
    "occupied territory to Russia, including Crimea, which was annexed in 2014."
)


def buttons(call_params: dict) -> list[dict]:
    markup = call_params.get("reply_markup") or {}
    return [b for row in markup.get("inline_keyboard", []) for b in row]


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.tags: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)

    def handle_data(self, data):
        self.parts.append(data)


def visible(html: str) -> tuple[str, list[str]]:
    parser = _Text()
    parser.feed(html)
    return "".join(parser.parts), parser.tags


async def test_private_question_gets_answer_with_verbatim_blockquote(
    running_bot: Application, fake_api: FakeBotAPI
) -> None:
    """A private question is answered in HTML: answer, then the sentence in a blockquote."""
    fake_api.push_message("When was Crimea annexed?")
    (call,) = await fake_api.await_for("sendMessage")
    params = call.params
    assert params["chat_id"] == 1001
    assert params["parse_mode"] == "HTML"
    text, tags = visible(params["text"])
    assert "2014" in text.split("\n")[0]
    assert ARTICLE_CRIMEA in text
    assert "blockquote" in tags
    labels = [b["text"] for b in buttons(params)]
    assert "👍" in labels and "👎" in labels
    data = [b["callback_data"] for b in buttons(params)]
    assert "u:crimea-annexed" in data and "d:crimea-annexed" in data
    assert all(len(d.encode()) <= 64 for d in data)
    assert "reply_parameters" not in params


async def test_did_you_mean_button_edits_message_into_answer(
    running_bot: Application, fake_api: FakeBotAPI
) -> None:
    """An ambiguous question offers buttons; pressing one edits that message into the answer."""
    fake_api.push_message("nato")
    (call,) = await fake_api.await_for("sendMessage")
    assert "did you mean" in call.params["text"]
    options = buttons(call.params)
    assert 2 <= len(options) <= 3
    sent = fake_api.sent_messages[-1]
    fake_api.push_callback_query(options[0]["callback_data"], message=sent)
    (edit,) = await fake_api.await_for("editMessageText")
    assert edit.params["message_id"] == sent["message_id"]
    assert edit.params["chat_id"] == 1001
    assert "<blockquote>" in edit.params["text"]
    await fake_api.await_for("answerCallbackQuery")


async def test_out_of_scope_question_is_declined_with_example_buttons(
    running_bot: Application, fake_api: FakeBotAPI
) -> None:
    """A question the article does not answer gets a polite decline and example questions."""
    fake_api.push_message("What is the best banana bread recipe?")
    (call,) = await fake_api.await_for("sendMessage")
    assert "doesn't say" in call.params["text"]
    assert len(buttons(call.params)) == 3
    assert all(b["callback_data"].startswith("a:d:") for b in buttons(call.params))


async def test_question_on_a_name_the_article_lacks_is_declined_naming_it(
    running_bot: Application, fake_api: FakeBotAPI
) -> None:
    """'Is Finland a NATO member?' gets 'The article doesn't mention Finland.' and examples."""
    fake_api.push_message("Is Finland a NATO member?")
    (call,) = await fake_api.await_for("sendMessage")
    assert call.params["text"].startswith("The article doesn't mention Finland.")
    assert len(buttons(call.params)) == 3


async def test_a_question_about_a_peoples_state_the_article_lacks_names_their_country(
    running_bot: Application, fake_api: FakeBotAPI
) -> None:
    """'What did the German chancellor say …?' gets 'The article doesn't mention Germany.'"""
    fake_api.push_message("What did the German chancellor say about the offer?")
    (call,) = await fake_api.await_for("sendMessage")
    assert call.params["text"].startswith("The article doesn't mention Germany.")
    assert len(buttons(call.params)) == 3


async def test_where_the_reader_is_is_no_foreign_name(
    running_bot: Application, fake_api: FakeBotAPI
) -> None:
    """'I'm from Poland, who is Zelensky?' is answered with the sentence quoted, not declined
    for Poland."""
    fake_api.push_message("I'm from Poland, who is Zelensky?")
    (call,) = await fake_api.await_for("sendMessage")
    assert "doesn't mention" not in call.params["text"]
    assert "President of Ukraine" in call.params["text"]
    assert "<blockquote>" in call.params["text"]


async def test_low_confidence_question_offers_the_closest_entries_as_buttons(
    running_bot: Application, fake_api: FakeBotAPI
) -> None:
    """A long paraphrase the bot is unsure of gets 'did you mean' with the closest entries."""
    fake_api.push_message(
        "Under the proposal, how might the areas Moscow holds eventually revert to Kyiv?"
    )
    (call,) = await fake_api.await_for("sendMessage")
    assert call.params["text"].startswith("I'm not sure I understood — did you mean:")
    options = buttons(call.params)
    assert 1 <= len(options) <= 3
    assert all(b["callback_data"].startswith("a:s:") for b in options)


async def test_a_question_on_someone_the_article_never_quotes_says_so_with_buttons(
    running_bot: Application, fake_api: FakeBotAPI
) -> None:
    """'What did Peskov say …?' is not answered with Zelensky's words; the reply says why."""
    fake_api.push_message("What did Peskov say about the Sky News interview?")
    (call,) = await fake_api.await_for("sendMessage")
    assert call.params["text"].startswith("The article doesn't report what they said.")
    assert "<blockquote>" not in call.params["text"]
    assert "a:s:sky-news" in [b["callback_data"] for b in buttons(call.params)]


async def test_an_option_the_reader_offers_is_no_foreign_name(
    running_bot: Application, fake_api: FakeBotAPI
) -> None:
    """'Sky News or the BBC?' is answered from the article, not declined for the BBC."""
    fake_api.push_message("was it sky news or the BBC that he spoke to?")
    (call,) = await fake_api.await_for("sendMessage")
    assert "Sky News" in call.params["text"] and "<blockquote>" in call.params["text"]
    assert "doesn't mention" not in call.params["text"]


async def test_a_near_tie_between_neighbouring_sentences_gets_both_quoted(
    running_bot: Application, fake_api: FakeBotAPI
) -> None:
    """Getting the occupied areas back: both neighbouring entries are answered, each sentence
    in its own blockquote, and the neighbour is no longer offered as a button."""
    fake_api.push_message("what does zelensky say about getting the occupied areas back")
    (call,) = await fake_api.await_for("sendMessage")
    text = call.params["text"]
    assert text.count("<blockquote>") == 2
    assert "The article also says:" in text
    data = [b["callback_data"] for b in buttons(call.params)]
    assert not any(d.endswith(":recover-diplomatically") for d in data)
    assert "u:occupied-areas-return" in data  # the votes are on the best entry


async def test_the_readers_purpose_before_the_question_does_not_sink_the_answer(
    running_bot: Application, fake_api: FakeBotAPI
) -> None:
    """'For a quantitative section of my report, …' is answered with the quoted sentence."""
    fake_api.push_message(
        "For a quantitative section of my report, how much of Ukraine does Russia hold?"
    )
    (call,) = await fake_api.await_for("sendMessage")
    assert "<blockquote>" in call.params["text"]
    assert "u:russian-controlled-share" in [b["callback_data"] for b in buttons(call.params)]


async def test_a_phrasing_with_its_topic_swapped_is_not_answered(
    running_bot: Application, fake_api: FakeBotAPI
) -> None:
    """'How long has the pandemic lasted?' gets "did you mean" with the war's duration as a
    button, never the war's duration as its answer."""
    fake_api.push_message("How long has the pandemic lasted?")
    (call,) = await fake_api.await_for("sendMessage")
    assert call.params["text"].startswith("I'm not sure I understood")
    assert "<blockquote>" not in call.params["text"]
    assert "a:s:war-duration" in [b["callback_data"] for b in buttons(call.params)]


async def test_a_chatty_question_its_nearest_phrasings_agree_on_is_answered(
    running_bot: Application, fake_api: FakeBotAPI
) -> None:
    """'why's he saying this stuff now' scores below the plain answer threshold, but the
    phrasings nearest it are why-now's: it is answered, the sentence quoted."""
    fake_api.push_message("why's he saying this stuff now")
    (call,) = await fake_api.await_for("sendMessage")
    sentence = "Ukrainian forces face mounting pressure in the east of the country."
    assert f"{sentence}</blockquote>" in call.params["text"]
    assert not call.params["text"].startswith("I'm not sure I understood")


async def test_a_question_near_other_sentences_phrasings_gets_did_you_mean(
    running_bot: Application, fake_api: FakeBotAPI
) -> None:
    """'When did Zelensky become president?' shares 'when … become' with crimea-annexed, but its
    nearest phrasings are about who Zelensky is: "did you mean", never the annexation date."""
    fake_api.push_message("When did Zelensky become president?")
    (call,) = await fake_api.await_for("sendMessage")
    assert call.params["text"].startswith("I'm not sure I understood")
    assert "<blockquote>" not in call.params["text"]


async def test_request_for_an_opinion_is_declined_neutrally(
    running_bot: Application, fake_api: FakeBotAPI
) -> None:
    """'Is it a good idea?' gets no answer but a neutral line and the nearest factual questions."""
    fake_api.push_message("Is Zelensky's ceasefire offer a good idea?")
    (call,) = await fake_api.await_for("sendMessage")
    assert call.params["text"].startswith("I don't give opinions or predictions")
    assert "<blockquote>" not in call.params["text"]
    assert "a:d:ceasefire-for-nato" in [b["callback_data"] for b in buttons(call.params)]


async def test_html_in_question_is_escaped_and_never_echoed_raw(
    running_bot: Application, fake_api: FakeBotAPI
) -> None:
    """Markup typed by a reader never reaches the reply unescaped (the fake rejects bad HTML)."""
    fake_api.push_message("<b>when</b> was <i>crimea & annexed")
    calls = await fake_api.await_for("sendMessage")
    assert calls[0].ok, calls[0].response


async def test_non_text_message_gets_a_hint(running_bot: Application, fake_api: FakeBotAPI) -> None:
    """A sticker in a private chat gets a one-line hint to type a question."""
    fake_api.push_message(None, extra={"sticker": _sticker()})
    (call,) = await fake_api.await_for("sendMessage")
    assert "only read text" in call.params["text"]


async def test_edited_messages_and_channel_posts_are_not_answered(
    running_bot: Application, fake_api: FakeBotAPI
) -> None:
    """Edits and channel posts get no reply; a later question does (proving the bot was alive)."""
    fake_api.push_edited_message("When was Crimea annexed?")
    fake_api.push_channel_post("When was Crimea annexed?")
    fake_api.push_message("how long has the war lasted")
    calls = await fake_api.await_for("sendMessage")
    await _settle()
    calls = fake_api.calls_to("sendMessage")
    assert len(calls) == 1
    assert "1,000 days" in calls[0].params["text"]


async def test_start_welcomes_with_three_example_buttons(
    running_bot: Application, fake_api: FakeBotAPI
) -> None:
    """/start greets, names the article and offers three example questions as buttons."""
    fake_api.push_message("/start")
    (call,) = await fake_api.await_for("sendMessage")
    assert "Zelensky indicates" in call.params["text"]
    assert len(buttons(call.params)) == 3


async def test_start_deep_link_with_entry_id_answers_it(
    running_bot: Application, fake_api: FakeBotAPI
) -> None:
    """/start war-duration (a deep link) answers that entry straight away."""
    fake_api.push_message("/start war-duration")
    (call,) = await fake_api.await_for("sendMessage")
    assert "The war has now continued for more than 1,000 days." in call.params["text"]


async def test_help_source_and_topics_commands(
    running_bot: Application, fake_api: FakeBotAPI
) -> None:
    """/help explains usage, /source shows the headline, /topics pages through questions."""
    fake_api.push_message("/help")
    fake_api.push_message("/source")
    fake_api.push_message("/topics")
    calls = await fake_api.await_for("sendMessage", count=3)
    texts = " ".join(c.params["text"] for c in calls)
    assert "/ask" in texts
    assert "Zelensky indicates" in texts
    topics = next(c for c in calls if "page 1 of" in c.params["text"])
    data = [b["callback_data"] for b in buttons(topics.params)]
    assert "t:1" in data
    message = next(m for m in fake_api.sent_messages if "page 1 of" in m["text"])
    fake_api.push_callback_query("t:1", message=message)
    (edit,) = await fake_api.await_for("editMessageText")
    assert "page 2 of" in edit.params["text"]


async def test_feedback_vote_is_acknowledged_and_buttons_removed(
    running_bot: Application, fake_api: FakeBotAPI
) -> None:
    """Pressing 👎 thanks the user and removes the vote row so it cannot be pressed twice."""
    fake_api.push_message("how long has the war lasted")
    await fake_api.await_for("sendMessage")
    message = fake_api.sent_messages[-1]
    fake_api.push_callback_query("d:war-duration", message=message)
    (answer,) = await fake_api.await_for("answerCallbackQuery")
    assert "feedback" in answer.params.get("text", "").lower()
    (edit,) = await fake_api.await_for("editMessageReplyMarkup")
    data = [b["callback_data"] for b in buttons(edit.params)]
    assert not any(d.startswith(("u:", "d:")) for d in data)


async def test_unknown_or_stale_button_is_answered_politely(
    running_bot: Application, fake_api: FakeBotAPI
) -> None:
    """Callback data we never issued, or naming a removed entry, gets a short notice."""
    fake_api.push_message("how long has the war lasted")
    await fake_api.await_for("sendMessage")
    message = fake_api.sent_messages[-1]
    fake_api.push_callback_query("zzz-not-ours", message=message)
    fake_api.push_callback_query("a:s:removed-entry", message=message)
    calls = await fake_api.await_for("answerCallbackQuery", count=2)
    assert all(c.params.get("text") for c in calls)
    assert not fake_api.calls_to("editMessageText")


async def test_unknown_command_in_private_chat(
    running_bot: Application, fake_api: FakeBotAPI
) -> None:
    """An unknown command gets a pointer to /help in a private chat."""
    fake_api.push_message("/frobnicate")
    (call,) = await fake_api.await_for("sendMessage")
    assert "/help" in call.params["text"]


async def test_commands_menus_are_published_at_start(
    running_bot: Application, fake_api: FakeBotAPI
) -> None:
    """setMyCommands is called for private chats, groups and each admin's own chat."""
    calls = fake_api.calls_to("setMyCommands")
    scopes = [c.params["scope"]["type"] for c in calls]
    assert "all_private_chats" in scopes and "all_group_chats" in scopes
    admin = next(c for c in calls if c.params["scope"]["type"] == "chat")
    names = [c["command"] for c in admin.params["commands"]]
    assert "reload" in names and "stats" in names
    public = next(c for c in calls if c.params["scope"]["type"] == "all_private_chats")
    assert "reload" not in [c["command"] for c in public.params["commands"]]


def _sticker() -> dict:
    return {
        "file_id": "sticker-1",
        "file_unique_id": "u1",
        "type": "regular",
        "width": 512,
        "height": 512,
        "is_animated": False,
        "is_video": False,
    }


async def _settle(seconds: float = 0.5) -> None:
    import asyncio

    await asyncio.sleep(seconds)


async def test_user_input_cannot_steer_file_paths(
    running_bot: Application, fake_api: FakeBotAPI
) -> None:
    """Path-like deep links and button data are just unknown ids: no file is read or swapped."""
    services = running_bot.bot_data.services
    knowledge_path, db_path = services.live.path, services.store.path
    served = services.live.current
    fake_api.push_message("/start ../../etc/passwd")
    fake_api.push_message("/start ..%2F..%2Fknowledge%2Fqa.yaml")
    await fake_api.await_for("sendMessage", count=2)
    message = fake_api.sent_messages[-1]
    fake_api.push_callback_query("a:s:../../etc/passwd", message=message)
    await fake_api.await_for("answerCallbackQuery")
    texts = [c.params["text"] for c in fake_api.calls_to("sendMessage")]
    assert all("Hello!" in t for t in texts)  # plain welcome, nothing loaded
    assert services.live.path == knowledge_path and services.store.path == db_path
    assert services.live.current is served
