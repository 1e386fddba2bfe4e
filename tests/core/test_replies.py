"""Tests for bot.core.replies: answers, suggestions, declines, small talk, empty input."""

from __future__ import annotations

import re
from html import unescape

import pytest

from bot.core.candidate import Candidate
from bot.core.match_result import MatchResult
from bot.core.replies import (
    ALSO_INTRO,
    EMPTY_TEXT,
    LACKS_INTRO,
    MAX_LABEL,
    SUGGEST_INTRO,
    Reply,
    answer_reply,
    decline_reply,
    display_question,
    foreign_intro,
    reply_to,
    smalltalk_reply,
)
from bot.knowledge.knowledge import Knowledge
from bot.knowledge.loader import load_knowledge
from bot.knowledge.schema import Entry
from tests.support.html_checks import tags_of
from tests.support.paths import ARTICLE, QA

BLOCKQUOTE = re.compile(r"<blockquote>(.*?)</blockquote>", re.DOTALL)

MARKUP_SENTENCE = "Tags like <b> & <i> stay text, and so does </blockquote> in a sentence."
MARKUP_ANSWER = "Markup <b>bold</b> & <i>italic</i> & </blockquote> is shown as text."
MARKUP_ENTRY = f"""
  - id: markup-test
    questions:
      - what about xyzzy tags
      - xyzzy markup
      - are xyzzy tags kept
      - xyzzy bold and italic
      - xyzzy ampersand
      - xyzzy angle brackets
    answer: "{MARKUP_ANSWER}"
    sentence: "{MARKUP_SENTENCE}"
    related: [crimea-annexed]
"""


@pytest.fixture(scope="module")
def markup_knowledge(tmp_path_factory: pytest.TempPathFactory) -> Knowledge:
    """A copy of the knowledge with an entry whose answer and sentence contain <b>, & and <i>."""
    root = tmp_path_factory.mktemp("markup")
    (root / "seeds").mkdir()
    (root / "knowledge").mkdir()
    article = ARTICLE.read_text(encoding="utf-8").rstrip("\n") + "\n" + MARKUP_SENTENCE + "\n"
    (root / "seeds" / "article.txt").write_text(article, encoding="utf-8")
    text = QA.read_text(encoding="utf-8").rstrip("\n") + "\n" + MARKUP_ENTRY
    (root / "knowledge" / "qa.yaml").write_text(text, encoding="utf-8")
    return load_knowledge(root / "knowledge" / "qa.yaml")


def answer_values(reply: Reply) -> list[str]:
    """Return the entry ids of the reply's 'answer' buttons, in order."""
    return [b.value for row in reply.buttons for b in row if b.action == "answer"]


# ---------------------------------------------------------------------------------------------
# answers


def test_answer_reply_contains_answer_and_sentence_verbatim(knowledge: Knowledge) -> None:
    """An answer's text holds the answer and the supporting sentence, byte for byte, quoted."""
    reply = reply_to(knowledge, "when was crimea annexed")
    entry = knowledge.by_id["crimea-annexed"]
    assert reply.kind == "answer"
    assert reply.entry_id == entry.id
    assert reply.text.startswith(entry.answer)
    assert f"“{entry.sentence}”" in reply.text
    assert knowledge.article.contains(entry.sentence)
    assert reply.match is not None and reply.match.best.entry.id == entry.id


def test_answer_html_quotes_the_sentence_in_a_blockquote(knowledge: Knowledge) -> None:
    """The HTML puts exactly the article sentence inside one <blockquote>."""
    for entry in knowledge.entries:
        reply = answer_reply(knowledge, entry)
        quotes = BLOCKQUOTE.findall(reply.html)
        assert len(quotes) == 1, entry.id
        assert unescape(quotes[0]) == entry.sentence
        assert knowledge.article.contains(unescape(quotes[0]))
        assert unescape(reply.html.split("<blockquote>")[0]).strip() == entry.answer
        assert tags_of(reply.html) == ["blockquote", "blockquote"]


def test_answer_html_escapes_markup_from_the_knowledge(markup_knowledge: Knowledge) -> None:
    """&, < and > in an answer and its sentence are escaped in HTML and kept as-is in text."""
    reply = reply_to(markup_knowledge, "xyzzy markup")
    assert reply.kind == "answer"
    assert reply.entry_id == "markup-test"
    assert MARKUP_ANSWER in reply.text
    assert MARKUP_SENTENCE in reply.text
    assert "&lt;b&gt;bold&lt;/b&gt; &amp; &lt;i&gt;" in reply.html
    assert "<b>" not in reply.html and "<i>" not in reply.html
    (quoted,) = BLOCKQUOTE.findall(reply.html)
    assert unescape(quoted) == MARKUP_SENTENCE
    assert tags_of(reply.html) == ["blockquote", "blockquote"]


def test_answer_reply_of_a_constructed_entry_escapes_html(knowledge: Knowledge) -> None:
    """answer_reply escapes a hand-built entry and skips related ids that do not exist."""
    entry = Entry(
        id="built",
        questions=tuple(f"question {i}" for i in range(6)),
        answer="a <b>& c",
        sentence="x < y && z > w",
        related=("no-such-entry", "crimea-annexed"),
    )
    reply = answer_reply(knowledge, entry)
    assert "a &lt;b&gt;&amp; c" in reply.html
    assert "<blockquote>x &lt; y &amp;&amp; z &gt; w</blockquote>" in reply.html
    assert answer_values(reply) == ["crimea-annexed"]


def test_answer_buttons_are_related_then_votes(knowledge: Knowledge) -> None:
    """Buttons: up to 3 related questions, one per row, then a 👍/👎 row for the entry."""
    by_id = knowledge.by_id
    for entry in knowledge.entries:
        reply = answer_reply(knowledge, entry)
        *related_rows, votes = reply.buttons
        expected = [r for r in entry.related if r in by_id][:3]
        assert [row[0].value for row in related_rows] == expected
        for row in related_rows:
            assert len(row) == 1
            assert row[0].action == "answer"
            assert row[0].label == display_question(by_id[row[0].value])
        assert [(b.label, b.action, b.value) for b in votes] == [
            ("👍", "vote_up", entry.id),
            ("👎", "vote_down", entry.id),
        ]


def _paired(knowledge: Knowledge, top: Entry, companion: Entry) -> MatchResult:
    first, second = Candidate(top, 80, "q"), Candidate(companion, 76, "q")
    return MatchResult("q", "answer", (first, second), companion=second)


def test_an_answer_with_a_companion_gives_both_answers_and_both_sentences(
    knowledge: Knowledge,
) -> None:
    """The best entry's answer and sentence come first, then the sibling's, each sentence
    quoted verbatim (in HTML too); the sibling is no longer offered as a related button."""
    top, other = knowledge.by_id["le-monde-referendum"], knowledge.by_id["referendum-timing"]
    assert top.sentence != other.sentence and other.id in top.related
    reply = answer_reply(knowledge, top, _paired(knowledge, top, other))
    assert reply.kind == "answer" and reply.entry_id == top.id
    text = reply.text
    assert text.startswith(top.answer)
    assert text.index(top.answer) < text.index(ALSO_INTRO) < text.index(other.answer)
    assert f"“{top.sentence}”" in text and f"“{other.sentence}”" in text
    assert reply.html.count("<blockquote>") == 2
    assert other.id not in answer_values(reply)
    assert reply.buttons[-1][0].value == top.id  # the votes stay on the best entry


def test_a_companion_of_the_same_sentence_quotes_it_once(knowledge: Knowledge) -> None:
    """Two entries of one sentence: both answers, the sentence quoted a single time."""
    by_sentence: dict[str, list[Entry]] = {}
    for entry in knowledge.entries:
        by_sentence.setdefault(entry.sentence, []).append(entry)
    top, other = next(group for group in by_sentence.values() if len(group) > 1)[:2]
    reply = answer_reply(knowledge, top, _paired(knowledge, top, other))
    assert top.answer in reply.text and other.answer in reply.text
    assert reply.text.count(f"“{top.sentence}”") == 1


def test_at_most_three_related_buttons(knowledge: Knowledge) -> None:
    """An entry with more than 3 related ids shows only the first 3."""
    ids = [e.id for e in knowledge.entries[:5]]
    entry = Entry(
        id="many-related",
        questions=tuple(f"question {i}" for i in range(6)),
        answer="answer",
        sentence=knowledge.article.headline,
        related=tuple(ids),
    )
    reply = answer_reply(knowledge, entry)
    assert answer_values(reply) == ids[:3]
    assert len(reply.buttons) == 4


# ---------------------------------------------------------------------------------------------
# suggestions


def test_suggestion_reply_lists_each_suggestion_with_a_button(knowledge: Knowledge) -> None:
    """'Did you mean' lists every suggested question with one button each, same order."""
    reply = reply_to(knowledge, "nato")
    assert reply.kind == "suggest"
    assert reply.entry_id is None
    suggestions = reply.match.suggestions
    assert 1 <= len(suggestions) <= 3
    assert answer_values(reply) == [c.entry.id for c in suggestions]
    assert all(len(row) == 1 for row in reply.buttons)
    for candidate in suggestions:
        label = display_question(candidate.entry)
        assert f"• {label}" in reply.text
        assert label in unescape(reply.html)
    assert reply.text.startswith(SUGGEST_INTRO)
    tags_of(reply.html)


# ---------------------------------------------------------------------------------------------
# declines


@pytest.mark.parametrize("question", ["what is the best banana bread recipe", "asdfgh"])
def test_decline_reply_shows_headline_and_three_examples(
    knowledge: Knowledge, question: str
) -> None:
    """A decline says so politely, shows the headline and offers 3 example questions."""
    reply = reply_to(knowledge, question)
    assert reply.kind == "decline"
    headline = knowledge.article.headline
    assert headline in reply.text
    assert f"<i>{headline}</i>" in reply.html
    assert "doesn't say" in reply.text
    values = answer_values(reply)
    assert len(values) == 3
    assert len(set(values)) == 3
    assert set(values) <= set(knowledge.by_id)
    for row in reply.buttons:
        assert len(row) == 1
        assert f"• {row[0].label}" in reply.text
    assert tags_of(reply.html) == ["i", "i"]


def test_an_opinion_decline_offers_the_entries_the_policy_offered(knowledge: Knowledge) -> None:
    """A declined opinion question offers the closest factual entries first, as buttons."""
    reply = reply_to(knowledge, "Is Zelensky's ceasefire offer a good idea?")
    assert reply.kind == "decline" and reply.match.opinion
    offered = [c.entry.id for c in reply.match.suggestions]
    assert offered, "the opinion is expected to come near some entries"
    assert answer_values(reply)[: len(offered)] == offered
    assert len(answer_values(reply)) == 3


def test_a_question_on_a_foreign_name_is_declined_with_that_name(knowledge: Knowledge) -> None:
    """'The article doesn't mention Yemen.' then what it is about, and general examples."""
    reply = reply_to(knowledge, "How long has the war in Yemen lasted?")
    assert reply.kind == "decline"
    assert reply.text.startswith("The article doesn't mention Yemen. It is about:")
    assert knowledge.article.headline in reply.text
    assert answer_values(reply) == [e.id for e in knowledge.examples][:3]


def test_foreign_names_are_listed_with_or(knowledge: Knowledge) -> None:
    """Several names are joined: 'EU or UN'."""
    assert foreign_intro(("EU", "UN")) == "The article doesn't mention EU or UN. It is about:"
    assert foreign_intro(("A", "B", "C")).startswith("The article doesn't mention A, B or C.")


def test_a_low_confidence_question_gets_did_you_mean_with_the_closest_entries(
    knowledge: Knowledge,
) -> None:
    """A question close to entries but not confident: 'not sure I understood' + 3 buttons."""
    question = "Under the proposal, how might the areas Moscow holds eventually revert to Kyiv?"
    reply = reply_to(knowledge, question)
    assert reply.kind == "suggest"
    assert reply.text.startswith(SUGGEST_INTRO)
    offered = [c.entry.id for c in reply.match.candidates[:3]]
    assert answer_values(reply) == offered
    assert {"recover-diplomatically", "occupied-areas-return"} & set(offered)


@pytest.mark.parametrize(
    ("message", "entry_id"),
    [("what is this about?", "summary"), ("What is going on?", "summary")],
)
def test_a_question_of_small_words_only_still_gets_its_answer(
    knowledge: Knowledge, message: str, entry_id: str
) -> None:
    """'What is this about?' is all stop words, yet it is compared whole with every phrasing."""
    reply = reply_to(knowledge, message)
    assert (reply.kind, reply.entry_id) == ("answer", entry_id)


@pytest.mark.parametrize(
    "message",
    [
        "yo bot, what's the big news here in a nutshell",
        "quick question pls: what is the article about",
        "according to the headline, what is this story about?",
    ],
)
def test_chat_and_meta_words_never_count_against_an_answer(
    knowledge: Knowledge, message: str
) -> None:
    """'yo', 'bot', 'quick question', 'pls', 'according to the headline' weigh nothing."""
    reply = reply_to(knowledge, message)
    assert (reply.kind, reply.entry_id) == ("answer", "summary")


def test_decline_without_a_match(knowledge: Knowledge) -> None:
    """decline_reply works without a match result and still offers 3 distinct examples."""
    reply = decline_reply(knowledge, None)
    assert reply.kind == "decline"
    assert len(set(answer_values(reply))) == 3


# ---------------------------------------------------------------------------------------------
# small talk and empty input


@pytest.mark.parametrize(
    ("message", "kind", "buttons"),
    [("hi", "greeting", 3), ("help", "help", 3), ("thanks", "thanks", 0), ("bye", "bye", 0)],
)
def test_smalltalk_reply(knowledge: Knowledge, message: str, kind: str, buttons: int) -> None:
    """Small talk gets a friendly line and the headline; greetings and help offer examples."""
    reply = reply_to(knowledge, message)
    assert reply.kind == "smalltalk"
    assert reply == smalltalk_reply(knowledge, kind)
    assert knowledge.article.headline in reply.text
    assert f"<i>{knowledge.article.headline}</i>" in reply.html
    assert len(answer_values(reply)) == buttons
    tags_of(reply.html)


@pytest.mark.parametrize("message", ["???", "   ", "", "!!! ...", "\u200b"])
def test_empty_input_gets_a_polite_prompt(knowledge: Knowledge, message: str) -> None:
    """Input without words gets kind 'empty' and a polite request for a question."""
    reply = reply_to(knowledge, message)
    assert reply.kind == "empty"
    assert reply.text == EMPTY_TEXT
    assert "Please" in reply.text
    assert reply.buttons == ()
    assert reply.entry_id is None
    assert unescape(reply.html) == reply.text
    tags_of(reply.html)


# ---------------------------------------------------------------------------------------------
# display_question


def _entry(first_question: str) -> Entry:
    return Entry(
        id="e",
        questions=(first_question, *(f"question {i}" for i in range(5))),
        answer="a",
        sentence="s",
    )


@pytest.mark.parametrize(
    ("question", "shown"),
    [
        ("when was crimea annexed", "When was crimea annexed?"),
        ("What is the victory plan?", "What is the victory plan?"),
        ("tell me more.", "Tell me more."),
        ("summary", "Summary"),
        ("  padded question  ", "Padded question?"),
    ],
)
def test_display_question(question: str, shown: str) -> None:
    """The first phrasing is shown capitalised, with a '?' added to multi-word questions."""
    assert display_question(_entry(question)) == shown


def test_display_question_truncates_long_questions() -> None:
    """A label longer than the limit is cut to MAX_LABEL characters ending with '…'."""
    label = display_question(_entry("why " + "very " * 30 + "long"))
    assert len(label) == MAX_LABEL
    assert label.endswith("…")
    assert label.startswith("Why very")


def test_a_question_the_closest_answer_cannot_answer_says_what_the_article_lacks(
    knowledge: Knowledge,
) -> None:
    """'Who interviewed him on Sky News?': no name in the article; the closest entries follow."""
    reply = reply_to(knowledge, "who interviewed him on sky news")
    assert reply.kind == "suggest"
    assert reply.text.startswith(LACKS_INTRO["name"])
    assert "sky-news" in [b.value for row in reply.buttons for b in row]
    dated = reply_to(knowledge, "On what exact date did Zelensky give the Sky News interview?")
    assert dated.kind == "suggest" and dated.text.startswith(LACKS_INTRO["time"])
    said = reply_to(knowledge, "What did Peskov say about the Sky News interview?")
    assert said.kind == "suggest" and said.text.startswith(LACKS_INTRO["speaker"])
    more = reply_to(knowledge, "what else did the victory plan contain apart from the land part")
    assert more.kind == "suggest" and more.text.startswith(LACKS_INTRO["more"])
    unsure = reply_to(knowledge, "what about the nato thing and the land")
    assert unsure.kind == "suggest" and unsure.text.startswith(SUGGEST_INTRO)
