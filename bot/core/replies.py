"""Replies shared by every surface: what to say, as plain text and as Telegram-safe HTML.

``reply_to`` turns a reader's message into a ``Reply``: an answer with its supporting sentence
quoted verbatim, "did you mean" suggestions, a polite decline with example questions, or a
small-talk line. A reply is one structure of styled blocks, rendered to plain text and to
Telegram HTML (every piece of text escaped there). Buttons are described abstractly (label,
action, value); the Telegram layer turns them into inline keyboards and the terminal prints them
as a numbered list. Example questions are the knowledge file's ``examples``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html import escape as _escape
from typing import Literal

from bot.core.candidate import Candidate
from bot.core.match_result import MatchResult
from bot.core.smalltalk import SmallTalk, detect_smalltalk
from bot.knowledge.knowledge import Knowledge
from bot.knowledge.schema import Entry


def escape(text: str) -> str:
    """Escape text for Telegram HTML: only &, < and > need it (quotes stay readable)."""
    return _escape(text, quote=False)


ReplyKind = Literal["answer", "suggest", "decline", "smalltalk", "empty"]
Action = Literal["answer", "vote_up", "vote_down", "topics"]
BlockStyle = Literal["plain", "quote", "title", "bullets"]
MAX_LABEL = 60


@dataclass(frozen=True)
class Button:
    """A button under a reply: pressing it asks for ``action`` on ``value`` (an entry id)."""

    label: str
    action: Action
    value: str


@dataclass(frozen=True)
class Block:
    """One line or paragraph of a reply, with the style it is rendered in.

    ``plain`` is text as is; ``quote`` a verbatim article sentence; ``title`` the article's
    headline; ``bullets`` a list of questions, one per line. An empty plain block is a blank line.
    """

    style: BlockStyle
    text: str

    def as_text(self) -> str:
        """Render for a terminal."""
        if self.style == "quote":
            return f"From the article:\n“{self.text}”"
        if self.style == "title":
            return f"“{self.text}”"
        return self.text

    def as_html(self) -> str:
        """Render as Telegram HTML, every piece of text escaped."""
        if self.style == "quote":
            return f"<blockquote>{escape(self.text)}</blockquote>"
        if self.style == "title":
            return f"<i>{escape(self.text)}</i>"
        return escape(self.text)


@dataclass(frozen=True)
class Reply:
    """What the bot says, as blocks rendered to plain text and HTML, with its buttons."""

    kind: ReplyKind
    blocks: tuple[Block, ...]
    buttons: tuple[tuple[Button, ...], ...] = ()
    entry_id: str | None = None
    match: MatchResult | None = field(default=None, compare=False)

    @property
    def text(self) -> str:
        """Return the reply as plain text (terminal, inline message text)."""
        return "\n".join(block.as_text() for block in self.blocks)

    @property
    def html(self) -> str:
        """Return the reply as Telegram HTML."""
        return "\n".join(block.as_html() for block in self.blocks)


def _bullets(entries: list[Entry]) -> Block:
    return Block("bullets", "\n".join(f"• {display_question(e)}" for e in entries))


def display_question(entry: Entry) -> str:
    """Return the entry's first phrasing as a tidy question: capitalised, with a '?'."""
    text = entry.questions[0].strip()
    text = text[:1].upper() + text[1:]
    if not text.endswith(("?", ".", "!")) and " " in text:
        text += "?"
    return text if len(text) <= MAX_LABEL else text[: MAX_LABEL - 1] + "…"


def _question_buttons(entries: list[Entry]) -> tuple[tuple[Button, ...], ...]:
    return tuple((Button(display_question(e), "answer", e.id),) for e in entries)


ALSO_INTRO = "The article also says:"


def _answer_blocks(entry: Entry, companion: Entry | None) -> tuple[Block, ...]:
    """Return the answer and its sentence, then the companion's (its sentence once only)."""
    blocks = [Block("plain", entry.answer), Block("plain", ""), Block("quote", entry.sentence)]
    if companion is not None:
        blocks += [Block("plain", ""), Block("plain", ALSO_INTRO), Block("plain", companion.answer)]
        if companion.sentence != entry.sentence:
            blocks += [Block("plain", ""), Block("quote", companion.sentence)]
    return tuple(blocks)


def answer_reply(knowledge: Knowledge, entry: Entry, match: MatchResult | None = None) -> Reply:
    """Render the answer of ``entry``: the answer, then its sentence quoted verbatim.

    When the policy answered a sibling with it (``MatchResult.companion``), the sibling's answer
    and sentence follow, and the related buttons leave it out.
    """
    companion = match.companion.entry if match is not None and match.companion else None
    blocks = _answer_blocks(entry, companion)
    by_id = knowledge.by_id
    shown = {entry.id} | ({companion.id} if companion else set())
    related = [by_id[r] for r in entry.related if r in by_id and r not in shown][:3]
    rows = [*_question_buttons(related)]
    rows.append((Button("👍", "vote_up", entry.id), Button("👎", "vote_down", entry.id)))
    return Reply("answer", blocks, tuple(rows), entry.id, match)


SUGGEST_INTRO = "I'm not sure I understood — did you mean:"
# When the closest answer lacks what the question asks for, the reply says so.
LACKS_INTRO = {
    "time": "The article doesn't say when. The closest it comes:",
    "name": "The article doesn't give that name. The closest it comes:",
    "number": "The article doesn't give that number. The closest it comes:",
    "more": "The article doesn't say anything more on that. The closest it comes:",
    "speaker": "The article doesn't report what they said. The closest it comes:",
    "reaction": "The article doesn't report that reaction. The closest it comes:",
}


def suggestion_reply(suggestions: tuple[Candidate, ...], match: MatchResult) -> Reply:
    """Render "did you mean" with one line and one button per suggested entry."""
    entries = [c.entry for c in suggestions]
    blocks = (
        Block("plain", LACKS_INTRO.get(match.lacks, SUGGEST_INTRO)),
        _bullets(entries),
    )
    return Reply("suggest", blocks, _question_buttons(entries), None, match)


def example_entries(knowledge: Knowledge, match: MatchResult | None, count: int = 3) -> list[Entry]:
    """Pick questions to offer: the entries the policy offered, else the nearest, else general.

    The nearest are entries that came close (score 30 or more) to a question that names
    nothing foreign to the article.
    """
    chosen: list[Entry] = []
    if match is not None:
        chosen = [c.entry for c in match.suggestions][:count]
        if not chosen and not match.foreign:
            chosen = [c.entry for c in match.candidates if c.score >= NEAR_SCORE][:count]
    for entry in knowledge.examples:
        if len(chosen) >= count:
            break
        if entry not in chosen:
            chosen.append(entry)
    for entry in knowledge.entries:
        if len(chosen) >= count:
            break
        if entry not in chosen:
            chosen.append(entry)
    return chosen


NEAR_SCORE = 30.0
OPINION_INTRO = (
    "I don't give opinions or predictions: I only report what this article says. It is about:"
)


DECLINE_INTRO = "Sorry, the article doesn't say. I can only answer questions about this article:"


def foreign_intro(names: tuple[str, ...]) -> str:
    """Return "The article doesn't mention Yemen." for the names a question is built on."""
    shown = list(names[:3])
    listed = shown[0] if len(shown) == 1 else ", ".join(shown[:-1]) + " or " + shown[-1]
    return f"The article doesn't mention {listed}. It is about:"


def decline_reply(knowledge: Knowledge, match: MatchResult | None) -> Reply:
    """Render a polite "the article doesn't say" with example questions it can answer."""
    examples = example_entries(knowledge, match)
    headline = knowledge.article.headline
    intro = DECLINE_INTRO
    if match is not None and match.opinion:
        intro = OPINION_INTRO
    elif match is not None and match.foreign:
        intro = foreign_intro(match.foreign)
    blocks = (
        Block("plain", intro),
        Block("title", headline),
        Block("plain", ""),
        Block("plain", "You could ask, for example:"),
        _bullets(examples),
    )
    return Reply("decline", blocks, _question_buttons(examples), None, match)


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
    buttons = _question_buttons(examples) if kind in ("greeting", "help") else ()
    return Reply("smalltalk", (Block("plain", line), Block("title", headline)), buttons)


EMPTY_TEXT = "Please send your question as text, for example: “What is this article about?”"


def reply_to(knowledge: Knowledge, message: str) -> Reply:
    """Decide and render the reply to one message from a reader."""
    query = knowledge.matcher.read(message)
    kind = detect_smalltalk(query.folded)
    if kind is not None:
        return smalltalk_reply(knowledge, kind)
    match = knowledge.matcher.match(query)
    if match.kind == "answer" and match.best is not None:
        return answer_reply(knowledge, match.best.entry, match)
    if match.kind == "suggest":
        return suggestion_reply(match.suggestions, match)
    if match.kind == "empty":
        return Reply("empty", (Block("plain", EMPTY_TEXT),), (), None, match)
    return decline_reply(knowledge, match)
