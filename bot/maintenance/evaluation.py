"""Evaluation of the knowledge file against labelled question sets.

A labelled file (``bot.maintenance.labelled``) lists questions with the entry ids that correctly
answer them, or none for questions the article does not answer, plus a ``split``. For each split
and each set the reports give four figures: in-scope questions *answered correctly*, in-scope
questions reached in *≤ 1 tap* (answered correctly, or an expected entry offered as a "did you
mean" button), *wrong answers* (answered with no expected entry, out of all questions) and
out-of-scope questions *declined* (not answered: a decline, or "did you mean" buttons); then
every miss with its score and a threshold sweep, so maintainers see the trade-off. An answer
that gave a sibling entry with the best one (``MatchResult.companion``) is right when either is
expected; a line says how many answers did so, how many were right only through the sibling,
and the figures when each answer is judged by its top entry alone.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from bot.core.candidate import Candidate
from bot.core.matching import Matcher
from bot.core.thresholds import Thresholds
from bot.maintenance.explaining import unseen_words
from bot.maintenance.labelled import Labelled


def answer_is_right(answered: Sequence[str], expect: Sequence[str]) -> bool:
    """Tell whether an answer that gave ``answered`` (the best entry, then any sibling given
    with it) gave an expected entry."""
    return any(entry in expect for entry in answered)


@dataclass(frozen=True)
class Outcome:
    """What the matcher did with one labelled question.

    ``offered`` holds the ids of the entries offered as "did you mean" buttons (the match's
    suggestions), so a reader is one tap away from any of them.
    """

    item: Labelled
    kind: str
    best: Candidate | None
    offered: tuple[str, ...] = ()
    companion: str | None = None  # a sibling entry the answer gave with the best one

    @property
    def answered(self) -> tuple[str, ...]:
        """Return the ids of the entries the answer gave (none unless answered)."""
        if self.kind != "answer" or self.best is None:
            return ()
        return (self.best.entry.id, *((self.companion,) if self.companion else ()))

    @property
    def right_through_companion(self) -> bool:
        """Tell whether the answer was right only through the sibling it gave as well."""
        return bool(self.answered) and self.answered[0] not in self.item.expect and self.correct

    @property
    def top_alone(self) -> str:
        """Judge the answer by its top entry alone (the companion not counted): "right",
        "wrong" or "" (not answered)."""
        if not self.answered:
            return ""
        return "right" if self.answered[0] in self.item.expect else "wrong"

    @property
    def correct(self) -> bool:
        """In scope: answered with an expected entry. Out of scope: declined (not answered).

        An out-of-scope question that gets "I'm not sure I understood — did you mean" with
        buttons is declined too: the bot says nothing as if the article answered it.
        """
        if self.item.in_scope:
            return answer_is_right(self.answered, self.item.expect)
        return self.kind != "answer"

    @property
    def within_one_tap(self) -> bool:
        """In scope, and answered correctly or an expected entry is offered as a button."""
        if not self.item.in_scope:
            return False
        return self.correct or any(entry in self.item.expect for entry in self.offered)

    @property
    def wrong_answer(self) -> bool:
        """Answered with no expected entry (any answer, for an out-of-scope question)."""
        return bool(self.answered) and not answer_is_right(self.answered, self.item.expect)


def run(matcher: Matcher, items: Iterable[Labelled]) -> list[Outcome]:
    """Match every labelled question and record the outcome."""
    outcomes = []
    for item in items:
        result = matcher.match(item.text)
        offered = tuple(c.entry.id for c in result.suggestions)
        companion = result.companion.entry.id if result.companion is not None else None
        outcomes.append(Outcome(item, result.kind, result.best, offered, companion))
    return outcomes


@dataclass(frozen=True)
class Summary:
    """Quality figures for a group of outcomes.

    ``answered_correctly`` and ``one_tap`` count in-scope questions, ``declined`` out-of-scope
    ones, ``wrong_answers`` any question answered with no expected entry (an answer that gave a
    sibling too is right if either entry is expected).
    """

    in_scope: int
    answered_correctly: int
    out_of_scope: int
    declined: int
    one_tap: int = 0
    wrong_answers: int = 0

    @property
    def total(self) -> int:
        """Return the number of questions, in and out of scope."""
        return self.in_scope + self.out_of_scope

    @property
    def accuracy(self) -> float:
        """Return the share of in-scope questions answered with a correct entry."""
        return self.answered_correctly / self.in_scope if self.in_scope else 1.0

    @property
    def one_tap_rate(self) -> float:
        """Return the share of in-scope questions answered correctly or one button away."""
        return self.one_tap / self.in_scope if self.in_scope else 1.0

    @property
    def wrong_rate(self) -> float:
        """Return the share of all questions answered with a wrong entry."""
        return self.wrong_answers / self.total if self.total else 0.0

    @property
    def decline_rate(self) -> float:
        """Return the share of out-of-scope questions declined."""
        return self.declined / self.out_of_scope if self.out_of_scope else 1.0

    def rate(self, measure: str) -> float:
        """Return one measure by name: answered, one_tap, wrong or declined."""
        return {
            "answered": self.accuracy,
            "one_tap": self.one_tap_rate,
            "wrong": self.wrong_rate,
            "declined": self.decline_rate,
        }[measure]


def summarise(outcomes: Iterable[Outcome]) -> Summary:
    """Count correct answers, answers within one tap, wrong answers and declines."""
    outcomes = list(outcomes)
    inside = [o for o in outcomes if o.item.in_scope]
    outside = [o for o in outcomes if not o.item.in_scope]
    return Summary(
        in_scope=len(inside),
        answered_correctly=sum(o.correct for o in inside),
        out_of_scope=len(outside),
        declined=sum(o.correct for o in outside),
        one_tap=sum(o.within_one_tap for o in inside),
        wrong_answers=sum(o.wrong_answer for o in outcomes),
    )


def sweep(matcher: Matcher, items: list[Labelled], answers: Iterable[float]) -> list[tuple]:
    """Re-run the set at several answer thresholds: (threshold, accuracy, decline rate)."""
    original = matcher.thresholds
    rows = []
    for answer in answers:
        suggest = max(0.0, answer - (original.answer - original.suggest))
        limits = replace(original, answer=answer, suggest=suggest)
        summary = summarise(run(replace(matcher, thresholds=limits), items))
        rows.append((answer, summary.accuracy, summary.decline_rate))
    return rows


# The columns of both reports: the header and how each figure is written.
COLUMNS = ("answered correctly", "≤ 1 tap", "wrong answers", "out-of-scope declined")
FIGURE_WIDTH = 22
LEGEND = (
    "answered correctly, ≤ 1 tap (answered correctly or an expected entry offered as a button):"
    " of in-scope questions;\nwrong answers (answered with no expected entry; an answer that gave"
    " a sibling too counts if either is expected): of all questions; declined: of out-of-scope "
    "questions"
)


def format_report(matcher: Matcher, items: list[Labelled], show_sweep: bool = True) -> str:
    """Return the full human-readable evaluation report."""
    outcomes = run(matcher, items)
    limits: Thresholds = matcher.thresholds
    lines = [_thresholds_line(limits), "", _row("split", COLUMNS, 10)]
    splits = sorted({o.item.split for o in outcomes})
    for name in [*splits, "all"]:
        group = [o for o in outcomes if name in ("all", o.item.split)]
        lines.append(_row(name, _figures(summarise(group)), 10))
    lines.append(LEGEND)
    lines.append(_pairs_line(outcomes))
    traps = [o for o in outcomes if o.item.near_topic]
    if traps:
        declined = sum(o.correct for o in traps)
        lines.append(f"near-topic traps declined: {declined}/{len(traps)}")
    misses = [o for o in outcomes if not o.correct]
    lines += ["", f"misses ({len(misses)}):"]
    for o in misses:
        got = f"{o.best.entry.id} ({o.best.score:.0f})" if o.best else "-"
        got += f" + {o.companion}" if len(o.answered) > 1 else ""
        want = ",".join(o.item.expect) or "decline"
        offered = f"; offered {','.join(o.offered)}" if o.offered else ""
        lines.append(
            f"  [{o.item.split}] {o.item.text!r}: {o.kind} {got}; expected {want}{offered}"
        )
    missed = [o.item.text for o in misses if o.item.in_scope]
    unseen = unseen_words(matcher, missed)
    if unseen:
        listed = ", ".join(f"{word} ({count})" for word, count in unseen)
        lines += [
            "",
            "words the knowledge never uses, in missed in-scope questions (add the ones the "
            "article covers to synonyms or questions; `python -m bot explain QUESTION` shows "
            f"how one question is read): {listed}",
        ]
    if show_sweep:
        lines += [
            "",
            "threshold sweep (answer threshold, suggest kept the same distance below: "
            "in-scope accuracy / out-of-scope declined):",
        ]
        for answer, acc, dec in sweep(matcher, items, range(40, 91, 5)):
            marker = "  <- current" if answer == limits.answer else ""
            lines.append(f"  {answer:>5.0f}: {acc:6.1%} / {dec:6.1%}{marker}")
    return "\n".join(lines)


def evaluate_sets(
    matcher: Matcher, sets: Sequence[tuple[str, list[Labelled]]]
) -> list[tuple[str, list[Outcome]]]:
    """Run every labelled set: (name, outcomes) in the given order."""
    return [(name, run(matcher, items)) for name, items in sets]


def format_overview(matcher: Matcher, sets: Sequence[tuple[str, list[Labelled]]]) -> str:
    """Return one line of figures per labelled set and a line for all of them together."""
    return format_overview_of(matcher.thresholds, evaluate_sets(matcher, sets))


def format_overview_of(limits: Thresholds, results: Sequence[tuple[str, list[Outcome]]]) -> str:
    """Return the overview of sets already run (see ``format_overview``)."""
    lines = [_thresholds_line(limits), "", _row("labelled set", COLUMNS, 36)]
    every: list[Outcome] = []
    for name, outcomes in results:
        every += outcomes
        lines.append(_row(name, _figures(summarise(outcomes)), 36))
    lines.append(_row("all sets", _figures(summarise(every)), 36))
    lines.append(LEGEND)
    lines.append(_pairs_line(every))
    return "\n".join(lines)


def _pairs_line(outcomes: Sequence[Outcome]) -> str:
    """Say how many answers gave a sibling too, how many were right only through it, and the
    figures when an answer is judged by its top entry alone."""
    paired = sum(len(o.answered) > 1 for o in outcomes)
    through = sum(o.right_through_companion for o in outcomes)
    right = sum(o.top_alone == "right" for o in outcomes if o.item.in_scope)
    wrong = sum(o.top_alone == "wrong" for o in outcomes)
    return (
        f"answers that gave a sibling entry too: {paired}; answered correctly only through "
        f"that sibling: {through}; judged by the top entry alone: answered correctly {right}, "
        f"wrong answers {wrong}"
    )


def _thresholds_line(limits: Thresholds) -> str:
    return (
        f"thresholds: answer >= {limits.answer:g}, suggest >= {limits.suggest:g}, "
        f"margin {limits.margin:g}"
    )


def fraction(count: int, total: int, rate: float) -> str:
    """Write a figure the way every report does: ``12/34 = 35.3%``."""
    return f"{count}/{total} = {rate:.1%}"


def _figures(s: Summary) -> tuple[str, ...]:
    return (
        fraction(s.answered_correctly, s.in_scope, s.accuracy),
        fraction(s.one_tap, s.in_scope, s.one_tap_rate),
        fraction(s.wrong_answers, s.total, s.wrong_rate),
        fraction(s.declined, s.out_of_scope, s.decline_rate),
    )


def _row(name: str, cells: Sequence[str], name_width: int) -> str:
    return f"{name:<{name_width}}" + "".join(f"{cell:>{FIGURE_WIDTH}}" for cell in cells)
