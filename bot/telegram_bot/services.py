"""What the handlers share: ``Services``, reached as ``context.bot_data.services``.

The live knowledge, the maintainers' log, the flood guard, the outbox of answers waiting for
Telegram, the settings, in-memory counters since start and the votes accepted lately (one per
message and user). Reply counts, unanswered questions, votes and picks are queued here —
nothing on a handler's path waits for the database — and written to the log in one
transaction by ``flush_counts`` (the log job every few seconds, /stats, /unanswered and
shutdown). A flush that fails (the database locked by another process, a full disk) keeps its
rows for the next one, at most ``MAX_PENDING_ROWS`` of each kind.
"""

from __future__ import annotations

import asyncio
import time
from collections import Counter, OrderedDict
from dataclasses import dataclass, field

from bot.core.replies import Reply
from bot.knowledge.live import LiveKnowledge
from bot.maintenance.store import EvidenceRow, PickRow, QuestionRow, Store, VoteRow, today
from bot.settings import Settings
from bot.telegram_bot.guard import FloodGuard
from bot.telegram_bot.outbox import Outbox
from bot.telegram_bot.recent import RecentKeys

LOGGED_OUTCOMES = ("suggest", "decline")
# replies whose question is remembered, so a button or 👎 pressed on them is review evidence
REMEMBERED_REPLIES = 5000
# (chat, message, user) of the votes accepted lately: one vote per message and user.
VOTES_REMEMBERED = 100_000
# Rows of each kind kept for the next flush while the log cannot be written (newest kept).
MAX_PENDING_ROWS = 10_000


@dataclass
class Services:
    """Shared state of the running bot."""

    settings: Settings
    live: LiveKnowledge
    store: Store
    guard: FloodGuard
    # answers Telegram could not take during an outage, delivered late (outbox.py)
    outbox: Outbox = field(default_factory=Outbox)
    started_at: float = field(default_factory=time.time)
    outcomes: Counter[str] = field(default_factory=Counter)
    # reply counts not yet in the log, flushed every few seconds (one write, not one per reply)
    pending_counts: Counter[tuple[str, str, str]] = field(default_factory=Counter)
    pending_questions: list[QuestionRow] = field(default_factory=list)
    # the question behind each recent reply, by (chat id, message id); texts only, no reader ids
    asked: OrderedDict[tuple[int, int], str] = field(default_factory=OrderedDict)
    pending_votes: list[VoteRow] = field(default_factory=list)
    pending_picks: list[PickRow] = field(default_factory=list)
    pending_evidence: list[EvidenceRow] = field(default_factory=list)
    # One flush at a time: /unanswered right after /stats reads what /stats' flush wrote.
    flushing: asyncio.Lock = field(default_factory=asyncio.Lock)
    votes: RecentKeys = field(default_factory=lambda: RecentKeys(VOTES_REMEMBERED))

    def is_admin(self, user_id: int | None) -> bool:
        """Tell whether a numeric user id is one of BOT_ADMIN_IDS."""
        return user_id is not None and user_id in self.settings.admin_ids

    def record(self, question: str, reply: Reply, chat_type: str) -> None:
        """Count the outcome and queue unanswered questions for the log.

        Nothing touches the database here: ``flush_counts`` (every few seconds, at /stats,
        /unanswered and at shutdown) writes everything queued in one transaction, in a thread.
        """
        self.outcomes[reply.kind] += 1
        self.pending_counts[(today(), reply.kind, reply.entry_id or "")] += 1
        if reply.kind in LOGGED_OUTCOMES and reply.match is not None:
            best = reply.match.best
            self.pending_questions.append(
                (
                    time.time(),
                    question,
                    chat_type,
                    reply.kind,
                    best.entry.id if best else None,
                    best.score if best else None,
                )
            )

    async def flush_counts(self) -> None:
        """Write the pending counts, questions, votes and picks; keep them if that fails."""
        async with self.flushing:
            await self._flush()

    async def _flush(self) -> None:
        counts, self.pending_counts = self.pending_counts, Counter()
        questions, self.pending_questions = self.pending_questions, []
        votes, self.pending_votes = self.pending_votes, []
        picks, self.pending_picks = self.pending_picks, []
        evidence, self.pending_evidence = self.pending_evidence, []
        written = await asyncio.to_thread(
            self.store.record_batch, counts, questions, votes, picks, evidence
        )
        if written:
            return
        self.pending_evidence = (evidence + self.pending_evidence)[-MAX_PENDING_ROWS:]
        self.pending_counts.update(counts)
        self.pending_questions = (questions + self.pending_questions)[-MAX_PENDING_ROWS:]
        self.pending_votes = (votes + self.pending_votes)[-MAX_PENDING_ROWS:]
        self.pending_picks = (picks + self.pending_picks)[-MAX_PENDING_ROWS:]

    def record_vote(self, entry_id: str, vote: int) -> None:
        """Queue a 👍/👎 on an entry for the log."""
        self.pending_votes.append((time.time(), entry_id, vote))

    def record_pick(self, entry_id: str, source: str) -> None:
        """Queue which suggested or listed question a reader picked, for the log."""
        self.pending_picks.append((time.time(), entry_id, source))

    def remember_question(self, chat_id: int, message_id: int, question: str) -> None:
        """Remember which question a reply answered (the last few thousand replies)."""
        self.asked[(chat_id, message_id)] = question
        while len(self.asked) > REMEMBERED_REPLIES:
            self.asked.popitem(last=False)

    def record_evidence(self, chat_id: int, message_id: int, entry_id: str, kind: str) -> None:
        """Queue a pick or 👎 on a reply as evidence for ``review``, when its question is known."""
        question = self.asked.get((chat_id, message_id))
        if question is not None:
            self.pending_evidence.append((time.time(), question, entry_id, kind))
