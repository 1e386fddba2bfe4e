"""Fitting the decision policy's thresholds on labelled sets, with leave-one-set-out figures.

Each labelled question is read and scored once into ``Evidence``; the policy is then replayed
over a grid of thresholds. A grid point's utility counts a correct answer +1, a right entry
offered as a button +``TAP_VALUE``, and a wrong answer (the wrong entry, or any answer to an
out-of-scope question) -``WRONG_COST``: a wrong answer about a war is the worst outcome. Leave
one set out: fit on every set but one, measure on the one left out, for each set; the figures
on the left-out sets are what a new set of readers can expect.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from bot.core.decisions import decide
from bot.core.evidence import Evidence
from bot.core.matching import Matcher
from bot.core.thresholds import SETTING_OF, Thresholds
from bot.maintenance.labelled import Labelled

TAP_VALUE = 0.5
WRONG_COST = 3.0
ANSWER_GRID = (74.0, 78.0, 82.0)
MARGIN_GRID = (3.0, 6.0, 12.0)
CONFIDENT_GRID = (100.0,)
MAX_UNSEEN_GRID = (0.25, 0.35)
CLEAR_ANSWER_GRID = (55.0, 60.0, 65.0, 101.0)  # 101: no clear-winner route
CLEAR_MARGIN_GRID = (15.0, 20.0, 25.0)
CLEAR_MAX_UNSEEN_GRID = (0.25, 0.35, 0.45)
LONG_ANSWER_GRID = (40.0, 50.0, 101.0)  # 101: long questions get no route of their own
LONG_MARGIN_GRID = (15.0,)
LONG_MAX_UNSEEN_GRID = (0.45,)


@dataclass(frozen=True)
class Tally:
    """Counts of one labelled set (or several) under one set of thresholds."""

    in_scope: int = 0
    out_of_scope: int = 0
    correct: int = 0
    reached: int = 0
    wrong: int = 0
    out_answered: int = 0

    def __add__(self, other: Tally) -> Tally:
        return Tally(*(a + b for a, b in zip(self.as_tuple(), other.as_tuple(), strict=True)))

    def as_tuple(self) -> tuple[int, ...]:
        """Return the counts in field order."""
        return (
            self.in_scope,
            self.out_of_scope,
            self.correct,
            self.reached,
            self.wrong,
            self.out_answered,
        )

    def utility(self) -> float:
        """Return the fitting objective (see the module docstring)."""
        taps = self.reached - self.correct
        return self.correct + TAP_VALUE * taps - WRONG_COST * (self.wrong + self.out_answered)

    def figures(self) -> str:
        """Return answered correctly / reached in <= 1 tap / wrong answers, as percentages."""
        inside = max(self.in_scope, 1)
        total = max(self.in_scope + self.out_of_scope, 1)
        wrong = self.wrong + self.out_answered
        return (
            f"correct {100 * self.correct / inside:5.1f} %  "
            f"<=1 tap {100 * self.reached / inside:5.1f} %  "
            f"wrong {100 * wrong / total:4.1f} % ({wrong}/{total})"
        )


def tally(evidence: Sequence[tuple[Labelled, Evidence]], limits: Thresholds) -> Tally:
    """Replay the policy on gathered evidence and count the outcomes."""
    counts = [0, 0, 0, 0, 0, 0]
    for item, found in evidence:
        result = decide(found, limits)
        answered = result.kind == "answer" and result.best is not None
        if not item.in_scope:
            counts[1] += 1
            counts[5] += answered
            continue
        counts[0] += 1
        right = answered and result.best is not None and result.best.entry.id in item.expect
        counts[2] += right
        counts[4] += answered and not right
        offered = any(c.entry.id in item.expect for c in result.suggestions)
        counts[3] += right or offered
    return Tally(*counts)


def grid(base: Thresholds) -> Iterable[Thresholds]:
    """Yield every grid point (``suggest`` and the rest stay as in ``base``)."""
    for answer, margin, confident, max_unseen in itertools.product(
        ANSWER_GRID, MARGIN_GRID, CONFIDENT_GRID, MAX_UNSEEN_GRID
    ):
        if base.suggest > answer:
            continue
        point = replace(
            base, answer=answer, margin=margin, confident=confident, max_unseen=max_unseen
        )
        for clear_answer, clear_margin, clear_unseen in itertools.product(
            CLEAR_ANSWER_GRID, CLEAR_MARGIN_GRID, CLEAR_MAX_UNSEEN_GRID
        ):
            clear = replace(
                point,
                clear_answer=clear_answer,
                clear_margin=clear_margin,
                clear_max_unseen=clear_unseen,
            )
            for long_answer, long_margin, long_unseen in itertools.product(
                LONG_ANSWER_GRID, LONG_MARGIN_GRID, LONG_MAX_UNSEEN_GRID
            ):
                yield replace(
                    clear,
                    long_answer=long_answer,
                    long_margin=long_margin,
                    long_max_unseen=long_unseen,
                )


def fit(sets: Sequence[Sequence[tuple[Labelled, Evidence]]], base: Thresholds) -> Thresholds:
    """Return the grid point with the best total utility over ``sets``."""
    best, best_utility = base, float("-inf")
    for limits in grid(base):
        utility = sum(tally(s, limits).utility() for s in sets)
        if utility > best_utility:
            best, best_utility = limits, utility
    return best


def gather(matcher: Matcher, items: Iterable[Labelled]) -> list[tuple[Labelled, Evidence]]:
    """Read and score every labelled question once."""
    return [(item, matcher.gather(item.text)) for item in items]


def describe(limits: Thresholds) -> str:
    """Return the fitted thresholds as a short line."""
    return (
        f"answer {limits.answer:g}, suggest {limits.suggest:g}, margin {limits.margin:g}, "
        f"confident {limits.confident:g}, max unseen share {limits.max_unseen:g}; clear "
        f"winner: {limits.clear_answer:g} with margin {limits.clear_margin:g}, max unseen share "
        f"{limits.clear_max_unseen:g}; questions of "
        f"{limits.long_words}+ words: {limits.long_answer:g} with margin {limits.long_margin:g}, "
        f"max unseen share {limits.long_max_unseen:g}"
    )


def leave_one_out(
    named: Sequence[tuple[str, list[tuple[Labelled, Evidence]]]], base: Thresholds
) -> list[str]:
    """Fit on all sets but one and measure on that one, for each set; return report lines."""
    lines = []
    for index, (name, held_out) in enumerate(named):
        others = [s for i, (_, s) in enumerate(named) if i != index]
        limits = fit(others, base)
        lines.append(f"{name:<36} {tally(held_out, limits).figures()}   [{describe(limits)}]")
    return lines


# The thresholds the grid fits, in the order the settings are printed.
FITTED = (
    "answer",
    "margin",
    "confident",
    "max_unseen",
    "clear_answer",
    "clear_margin",
    "clear_max_unseen",
    "long_answer",
    "long_margin",
    "long_max_unseen",
)


def settings_lines(limits: Thresholds) -> list[str]:
    """Return the fitted thresholds as the settings that apply them."""
    return [f"BOT_{SETTING_OF[name].upper()}={getattr(limits, name):g}" for name in FITTED]


Named = Sequence[tuple[str, list[tuple[Labelled, Evidence]]]]


def _figures(title: str, named: Named, limits: Thresholds) -> list[str]:
    """Return one line per set and one for all of them, under ``title``."""
    lines = [title]
    total = Tally()
    for name, evidence in named:
        counts = tally(evidence, limits)
        total += counts
        lines.append(f"  {name:<36} {counts.figures()}")
    lines.append(f"  {'all sets':<36} {total.figures()}")
    return lines


def report(named: Named, base: Thresholds, held_out: Named = ()) -> str:
    """Return the fitting report: figures now, left-out figures, the fit on all ``named`` sets,
    and the ``held_out`` sets (never fitted on) measured with the thresholds now and fitted."""
    lines = _figures(f"thresholds now: {describe(base)}", named, base)
    lines.append("")
    lines.append(
        f"leave one set out (fit on the others, measure on it; a wrong answer costs "
        f"{WRONG_COST:g}, a button {TAP_VALUE:g}):"
    )
    lines += [f"  {line}" for line in leave_one_out(named, base)]
    best = fit([evidence for _, evidence in named], base)
    lines += ["", *_figures(f"fitted on every set: {describe(best)}", named, best)]
    lines += ["settings:", *(f"  {line}" for line in settings_lines(best))]
    if held_out:
        lines += [
            "",
            *_figures("never fitted on (held out or blind), thresholds now:", held_out, base),
        ]
        lines += _figures("never fitted on, fitted thresholds:", held_out, best)
    return "\n".join(lines)
