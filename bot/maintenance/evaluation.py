"""Evaluation of the knowledge file against a labelled question set.

A labelled file (``bot.maintenance.labelled``) lists questions with the entry ids that correctly
answer them (``expect``) or an empty list for questions the article does not answer, plus a
``split`` (tune / holdout). The
report gives in-scope accuracy (answered with a correct entry), out-of-scope decline rate, every
miss with its score, and a threshold sweep, per split, so maintainers see the trade-off.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace

from bot.core.decisions import Candidate, Thresholds
from bot.core.matching import Matcher
from bot.maintenance.explaining import unseen_words
from bot.maintenance.labelled import Labelled


@dataclass(frozen=True)
class Outcome:
    """What the matcher did with one labelled question."""

    item: Labelled
    kind: str
    best: Candidate | None

    @property
    def correct(self) -> bool:
        """In scope: answered with an expected entry. Out of scope: declined."""
        if self.item.in_scope:
            return (
                self.kind == "answer"
                and self.best is not None
                and (self.best.entry.id in self.item.expect)
            )
        return self.kind in ("decline", "empty")


def run(matcher: Matcher, items: Iterable[Labelled]) -> list[Outcome]:
    """Match every labelled question and record the outcome."""
    outcomes = []
    for item in items:
        result = matcher.match(item.text)
        outcomes.append(Outcome(item, result.kind, result.best))
    return outcomes


@dataclass(frozen=True)
class Summary:
    """Accuracy figures for a group of outcomes."""

    in_scope: int
    answered_correctly: int
    out_of_scope: int
    declined: int

    @property
    def accuracy(self) -> float:
        """Return the share of in-scope questions answered with a correct entry."""
        return self.answered_correctly / self.in_scope if self.in_scope else 1.0

    @property
    def decline_rate(self) -> float:
        """Return the share of out-of-scope questions declined."""
        return self.declined / self.out_of_scope if self.out_of_scope else 1.0


def summarise(outcomes: Iterable[Outcome]) -> Summary:
    """Count correct answers and declines."""
    outcomes = list(outcomes)
    inside = [o for o in outcomes if o.item.in_scope]
    outside = [o for o in outcomes if not o.item.in_scope]
    return Summary(
        in_scope=len(inside),
        answered_correctly=sum(o.correct for o in inside),
        out_of_scope=len(outside),
        declined=sum(o.correct for o in outside),
    )


def sweep(matcher: Matcher, items: list[Labelled], answers: Iterable[float]) -> list[tuple]:
    """Re-run the set at several answer thresholds: (threshold, accuracy, decline rate)."""
    original = matcher.thresholds
    rows = []
    try:
        for answer in answers:
            suggest = max(0.0, answer - (original.answer - original.suggest))
            matcher.thresholds = replace(original, answer=answer, suggest=suggest)
            summary = summarise(run(matcher, items))
            rows.append((answer, summary.accuracy, summary.decline_rate))
    finally:
        matcher.thresholds = original
    return rows


def format_report(matcher: Matcher, items: list[Labelled], show_sweep: bool = True) -> str:
    """Return the full human-readable evaluation report."""
    outcomes = run(matcher, items)
    limits: Thresholds = matcher.thresholds
    lines = [
        _thresholds_line(limits),
        "",
        _row("split", "in-scope accuracy", "out-of-scope declined"),
    ]
    splits = sorted({o.item.split for o in outcomes})
    for name in [*splits, "all"]:
        group = [o for o in outcomes if name in ("all", o.item.split)]
        lines.append(_row(name, *_figures(summarise(group))))
    traps = [o for o in outcomes if o.item.near_topic]
    if traps:
        declined = sum(o.correct for o in traps)
        lines.append(f"near-topic traps declined: {declined}/{len(traps)}")
    misses = [o for o in outcomes if not o.correct]
    lines += ["", f"misses ({len(misses)}):"]
    for o in misses:
        got = f"{o.best.entry.id} ({o.best.score:.0f})" if o.best else "-"
        want = ",".join(o.item.expect) or "decline"
        lines.append(f"  [{o.item.split}] {o.item.text!r}: {o.kind} {got}; expected {want}")
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


def format_overview(matcher: Matcher, sets: list[tuple[str, list[Labelled]]]) -> str:
    """Return one line per labelled set (in-scope accuracy, decline rate) and a total line."""
    widths = (36, 22, 26)
    header = _row("labelled set", "in-scope accuracy", "out-of-scope declined", widths)
    lines = [_thresholds_line(matcher.thresholds), "", header]
    every: list[Outcome] = []
    for name, items in sets:
        outcomes = run(matcher, items)
        every += outcomes
        lines.append(_row(name, *_figures(summarise(outcomes)), widths))
    lines.append(_row("all sets", *_figures(summarise(every)), widths))
    return "\n".join(lines)


def _thresholds_line(limits: Thresholds) -> str:
    return (
        f"thresholds: answer >= {limits.answer:g}, suggest >= {limits.suggest:g}, "
        f"margin {limits.margin:g}"
    )


def _figures(s: Summary) -> tuple[str, str]:
    return (
        f"{s.answered_correctly}/{s.in_scope} = {s.accuracy:.1%}",
        f"{s.declined}/{s.out_of_scope} = {s.decline_rate:.1%}",
    )


def _row(
    name: str, accuracy: str, declines: str, widths: tuple[int, int, int] = (10, 24, 28)
) -> str:
    return f"{name:<{widths[0]}}{accuracy:>{widths[1]}}{declines:>{widths[2]}}"
