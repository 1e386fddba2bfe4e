"""One maintainer's pass over the suggestions: the edits both ``review`` surfaces perform.

``python -m bot review`` (``bot.cli.review``) and Telegram's ``/review``
(``bot.telegram_bot.review``) hold a ``ReviewSession`` and call the same methods, so a key in
the terminal and a button in Telegram make exactly the same edit: ``plan_add`` checks an
addition (digest, file on disk, validation, guard rails) and ``save`` writes it; ``out_of_scope``
appends the question to the regression file; ``skip`` moves on; ``undo`` takes the last edit of
this session back. Each edit is logged in the store's ``edits`` table with the admin's id.

The session knows the digest the knowledge file had when the suggestions were made and moves it
along with its own writes, so its second edit is not mistaken for someone else's; any other
change to the file in between refuses the edit.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from bot.core.thresholds import Thresholds
from bot.knowledge.knowledge import Knowledge
from bot.maintenance.knowledge_edit import (
    EditRefused,
    FileChange,
    PhrasingPlan,
    plan_phrasing,
    save_plan,
    undo,
)
from bot.maintenance.regressions import add_out_of_scope
from bot.maintenance.review import Suggestion
from bot.maintenance.store import Store

__all__ = ["EditRefused", "ReviewSession", "UndoStep"]


@dataclass(frozen=True)
class UndoStep:
    """An edit of this session, with what ``undo`` needs to take it back."""

    change: FileChange
    action: str
    entry: str | None
    phrasing: str
    position: int
    knowledge: Knowledge


@dataclass
class ReviewSession:
    """The suggestions being reviewed, where the maintainer is, and the edits made so far."""

    knowledge_path: Path
    regressions_path: Path
    knowledge: Knowledge
    suggestions: list[Suggestion]
    store: Store
    thresholds: Thresholds | None = None
    admin_id: int | None = None
    position: int = 0
    done: list[UndoStep] = field(default_factory=list)
    expected_digest: str = ""

    def __post_init__(self) -> None:
        if not self.expected_digest:
            self.expected_digest = self.knowledge.file.digest

    @property
    def current(self) -> Suggestion | None:
        """Return the suggestion shown now, None when the review is over."""
        if 0 <= self.position < len(self.suggestions):
            return self.suggestions[self.position]
        return None

    def _suggestion(self) -> Suggestion:
        if self.current is None:
            raise EditRefused("no suggestion left to review")
        return self.current

    def plan_add(self, option: int) -> PhrasingPlan:
        """Check adding the current question to candidate ``option`` (0-based); no write."""
        suggestion = self._suggestion()
        if not 0 <= option < len(suggestion.options):
            raise EditRefused(f"there is no candidate {option + 1}")
        entry_id = suggestion.options[option].entry_id
        variants = tuple(v for v in suggestion.variants if v != suggestion.question)
        return plan_phrasing(
            self.knowledge_path,
            entry_id,
            suggestion.question,
            self.expected_digest,
            self.thresholds,
            variants,
        )

    def save(self, plan: PhrasingPlan) -> str:
        """Write a planned addition, log it, move to the next suggestion; return a summary."""
        change = save_plan(plan)
        self._did(change, "add", plan.entry_id, plan.phrasing, self.knowledge)
        self.knowledge = plan.knowledge
        self.expected_digest = change.after_digest
        return f"added {plan.phrasing!r} to {plan.entry_id} in {self.knowledge_path}"

    def out_of_scope(self) -> str:
        """Record the current question as not answered by the article; move on."""
        suggestion = self._suggestion()
        ids = list(self.knowledge.by_id)
        change = add_out_of_scope(self.regressions_path, suggestion.question, ids)
        self._did(change, "out-of-scope", None, suggestion.question, self.knowledge)
        return f"recorded {suggestion.question!r} as out of scope in {self.regressions_path}"

    def skip(self) -> None:
        """Leave the current suggestion as it is and move to the next."""
        self.position += 1

    def undo(self) -> str:
        """Take back this session's last edit and show its suggestion again."""
        if not self.done:
            raise EditRefused("nothing to undo in this review")
        step = self.done[-1]
        reverted = undo(step.change)
        self.done.pop()
        if step.action == "add":
            self.knowledge = step.knowledge
            self.expected_digest = reverted.after_digest
        self.position = step.position
        self.store.record_edit(self.admin_id, "undo", step.entry, step.phrasing)
        what = f"{step.phrasing!r} " + (f"from {step.entry}" if step.entry else "as out of scope")
        return f"undone: {what}"

    def _did(
        self, change: FileChange, action: str, entry: str | None, phrasing: str, before: Knowledge
    ) -> None:
        self.done.append(UndoStep(change, action, entry, phrasing, self.position, before))
        self.store.record_edit(self.admin_id, action, entry, phrasing)
        self.position += 1
