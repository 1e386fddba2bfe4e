"""Replies shared by every surface: what to say, as plain text and as Telegram-safe HTML.

``reply_to`` turns a reader's message into a ``Reply``: an answer with its supporting sentence
quoted verbatim, "did you mean" suggestions, a polite decline with example questions, or a
small-talk line. Buttons are described abstractly (label, action, value); the Telegram layer
turns them into inline keyboards and the terminal prints them as a numbered list. Every piece of
text that goes into HTML is escaped here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html import escape as _escape
from typing import Literal

from bot.core.decisions import Candidate, MatchResult
from bot.core.smalltalk import SmallTalk, detect_smalltalk
from bot.knowledge.loader import Knowledge
from bot.knowledge.schema import Entry


def escape(text: str) -> str:
    """Escape text for Telegram HTML: only &, < and > need it (quotes stay readable)."""
    return _escape(text, quote=False)


ReplyKind = Literal["answer", "suggest", "decline", "smalltalk", "empty"]
Action = Literal["answer", "vote_up", "vote_down", "topics"]
DEFAULT_EXAMPLES = ("summary", "ceasefire-for-nato", "russia-position", "war-duration")
MAX_LABEL = 60


@dataclass(frozen=True)
class Button:
    """A button under a reply: pressing it asks for ``action`` on ``value`` (an entry id)."""

    label: str
    action: Action
    value: str


@dataclass(frozen=True)
class Reply:
    """What the bot says, in plain text and HTML, with the buttons to show under it."""

    kind: ReplyKind
    text: str
    html: str
    buttons: tuple[tuple[Button, ...], ...] = ()
    entry_id: str | None = None
    match: MatchResult | None = field(default=None, compare=False)


def display_question(entry: Entry) -> str:
    """Return the entry's first phrasing as a tidy question: capitalised, with a '?'."""
    text = entry.questions[0].strip()
    text = text[:1].upper() + text[1:]
    if not text.endswith(("?", ".", "!")) and " " in text:
        text += "?"
    return text if len(text) <= MAX_LABEL else text[: MAX_LABEL - 1] + "…"


def _question_buttons(entries: list[Entry]) -> tuple[tuple[Button, ...], ...]:
    return tuple((Button(display_question(e), "answer", e.id),) for e in entries)


def answer_reply(knowledge: Knowledge, entry: Entry, match: MatchResult | None = None) -> Reply:
    """Render the answer of ``entry``: the answer, then its sentence quoted verbatim."""
    text = f"{entry.answer}\n\nFrom the article:\n“{entry.sentence}”"
    html = f"{escape(entry.answer)}\n\n<blockquote>{escape(entry.sentence)}</blockquote>"
    by_id = knowledge.by_id
    related = [by_id[r] for r in entry.related if r in by_id][:3]
    rows = [*_question_buttons(related)]
    rows.append((Button("👍", "vote_up", entry.id), Button("👎", "vote_down", entry.id)))
    return Reply("answer", text, html, tuple(rows), entry.id, match)


def suggestion_reply(suggestions: tuple[Candidate, ...], match: MatchResult) -> Reply:
    """Render "did you mean" with one line and one button per suggested entry."""
    entries = [c.entry for c in suggestions]
    lines = [f"• {display_question(e)}" for e in entries]
    text = "I'm not sure which question you mean. Did you mean:\n" + "\n".join(lines)
    html = "I'm not sure which question you mean. Did you mean:\n" + "\n".join(
        escape(line) for line in lines
    )
    return Reply("suggest", text, html, _question_buttons(entries), None, match)


def example_entries(knowledge: Knowledge, match: MatchResult | None, count: int = 3) -> list[Entry]:
    """Pick questions to offer: the nearest entries when any came close, else general ones."""
    by_id = knowledge.by_id
    chosen: list[Entry] = []
    if match is not None:
        chosen = [c.entry for c in match.candidates if c.score >= 30][:count]
    for entry_id in DEFAULT_EXAMPLES:
        if len(chosen) >= count:
            break
        entry = by_id.get(entry_id)
        if entry is not None and entry not in chosen:
            chosen.append(entry)
    for entry in knowledge.entries:
        if len(chosen) >= count:
            break
        if entry not in chosen:
            chosen.append(entry)
    return chosen


OPINION_INTRO = (
    "I don't give opinions or predictions: I only report what this article says. It is about:"
)


def decline_reply(knowledge: Knowledge, match: MatchResult | None) -> Reply:
    """Render a polite "the article doesn't say" with example questions it can answer."""
    examples = example_entries(knowledge, match)
    headline = knowledge.article.headline
    intro = (
        OPINION_INTRO
        if match is not None and match.opinion
        else "Sorry, the article doesn't say. I can only answer questions about this article:"
    )
    lines = "\n".join(f"• {display_question(e)}" for e in examples)
    text = f"{intro}\n“{headline}”\n\nYou could ask, for example:\n{lines}"
    html = (
        f"{escape(intro)}\n<i>{escape(headline)}</i>\n\nYou could ask, for example:\n"
        f"{escape(lines)}"
    )
    return Reply("decline", text, html, _question_buttons(examples), None, match)


SMALLTALK_LINES: dict[SmallTalk, str] = {
    "greeting": "Hello! Ask me anything about the article:",
    "thanks": "You're welcome! Anything else about the article?",
    "bye": "Goodbye! Come back with more questions about the article any time.",
    "help": "I answer questions about one news article, quoting the sentence I rely on:",
}


def smalltalk_reply(knowledge: Knowledge, kind: SmallTalk) -> Reply:
    """Render a short friendly line with the headline and a few example questions."""
    examples = example_entries(knowledge, None)
    line = SMALLTALK_LINES[kind]
    headline = knowledge.article.headline
    text = f"{line}\n“{headline}”"
    html = f"{escape(line)}\n<i>{escape(headline)}</i>"
    buttons = _question_buttons(examples) if kind in ("greeting", "help") else ()
    return Reply("smalltalk", text, html, buttons)


EMPTY_TEXT = "Please send your question as text, for example: “What is this article about?”"


def reply_to(knowledge: Knowledge, message: str) -> Reply:
    """Decide and render the reply to one message from a reader."""
    kind = detect_smalltalk(message)
    if kind is not None:
        return smalltalk_reply(knowledge, kind)
    match = knowledge.matcher.match(message)
    if match.kind == "answer" and match.best is not None:
        return answer_reply(knowledge, match.best.entry, match)
    if match.kind == "suggest":
        return suggestion_reply(match.suggestions, match)
    if match.kind == "empty":
        return Reply("empty", EMPTY_TEXT, escape(EMPTY_TEXT), (), None, match)
    return decline_reply(knowledge, match)
