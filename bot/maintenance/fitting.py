"""Fitting the decision policy's thresholds on labelled sets, with leave-one-set-out figures.

Each labelled question is read and scored once into ``Evidence``; the policy is then replayed
over a grid of thresholds. A grid point's utility counts a correct answer +1, a right entry
offered as a button +``TAP_VALUE``, and a wrong answer (the wrong entry, or any answer to an
out-of-scope question) -``WRONG_COST``: a wrong answer about a war is the worst outcome; a
sibling given with an answer that was not asked for costs ``COMPANION_COST`` (a second answer
the reader reads for nothing), so the sibling margin is fitted, not simply set as wide as the
grid allows. Leave
one set out: fit on every set but one, measure on the one left out, for each set; the figures
on the left-out sets are what a new set of readers can expect. A grid point is chosen only if
it keeps every set fitted on within its regression floors (``tests/data/sets.yaml``): a refit
may not buy fewer wrong answers by failing one kind of reader.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Any

from bot.core.decisions import decide
from bot.core.evidence import Evidence
from bot.core.matching import Matcher
from bot.core.thresholds import SETTING_OF, Thresholds
from bot.maintenance.evaluation import Summary, answer_is_right
from bot.maintenance.labelled import Labelled
from bot.maintenance.sets import Floors, broken_floors

TAP_VALUE = 0.5
WRONG_COST = 3.0
COMPANION_COST = 0.25
# The values each fitted threshold may take. Values earlier fits never chose are left out (each
# new signal multiplies the grid, and `make fit` should stay a few minutes): answer 74, margin 3
# and 12, max unknown share 0.35, clear-winner 65 and margin 15, long-question 50 and margin 10,
# sibling margins 5 and 10.
GRID: dict[str, tuple[float, ...]] = {
    "answer": (78.0, 82.0),
    "margin": (6.0,),
    "confident": (100.0,),
    "max_unseen": (0.25,),
    "clear_answer": (55.0, 60.0, 101.0),  # 101: no clear-winner route
    "clear_margin": (20.0, 25.0),
    "clear_max_unseen": (0.35, 0.45),
    "long_answer": (40.0, 101.0),  # 101: long questions get no route of their own
    "long_margin": (12.0, 15.0),
    "long_max_unseen": (0.45, 0.55),
    "sibling_margin": (0.0, 15.0),  # 0: an answer never gives a sibling too
    "min_agreement": (0.0, 0.2, 0.3),  # 0: the nearest phrasings are not checked
    "agreed_answer": (60.0, 65.0, 101.0),  # 101: no route for agreeing phrasings
    "agreed_share": (0.4, 0.5),
    "agreed_margin": (4.0, 6.0),
    "agreed_max_unseen": (0.45,),
}


@dataclass(frozen=True)
class Tally:
    """Counts of one labelled set (or several) under one set of thresholds."""

    in_scope: int = 0
    out_of_scope: int = 0
    correct: int = 0
    reached: int = 0
    wrong: int = 0
    out_answered: int = 0
    needless: int = 0  # answers that gave a sibling not expected

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
            self.needless,
        )

    def utility(self) -> float:
        """Return the fitting objective (see the module docstring)."""
        taps = self.reached - self.correct
        wrong = self.wrong + self.out_answered
        return self.correct + TAP_VALUE * taps - WRONG_COST * wrong - COMPANION_COST * self.needless

    def meets(self, floors: Floors | None) -> bool:
        """Tell whether these counts keep a set within its regression floors (as `eval` checks
        them: ``bot.maintenance.sets.broken_floors``)."""
        summary = Summary(
            in_scope=self.in_scope,
            answered_correctly=self.correct,
            out_of_scope=self.out_of_scope,
            declined=self.out_of_scope - self.out_answered,
            one_tap=self.reached,
            wrong_answers=self.wrong + self.out_answered,
        )
        return floors is None or not broken_floors(floors, summary)

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
    counts = [0, 0, 0, 0, 0, 0, 0]
    for item, found in evidence:
        result = decide(found, limits)
        answered = result.answered_ids
        counts[6] += len(answered) > 1 and answered[1] not in item.expect
        if not item.in_scope:
            counts[1] += 1
            counts[5] += bool(answered)
            continue
        counts[0] += 1
        right = answer_is_right(answered, item.expect)
        counts[2] += right
        counts[4] += bool(answered) and not right
        offered = any(c.entry.id in item.expect for c in result.suggestions)
        counts[3] += right or offered
    return Tally(*counts)


def grid(base: Thresholds) -> Iterable[Thresholds]:
    """Yield every grid point (``suggest`` and the rest stay as in ``base``)."""
    names = list(GRID)
    for values in itertools.product(*GRID.values()):
        point: dict[str, Any] = dict(zip(names, values, strict=True))
        if base.suggest <= point["answer"]:
            yield replace(base, **point)


Sets = Sequence[Sequence[tuple[Labelled, Evidence]]]
Table = list[list[tuple[float, bool]]]  # grid point -> set -> (utility, within its floors)


def utilities(
    sets: Sets, base: Thresholds, floors: Sequence[Floors | None] = ()
) -> tuple[list[Thresholds], Table]:
    """Return every grid point and, for each, its utility on each set and whether the set stays
    within its floors (computed once; ``floors`` align with ``sets``, none when empty)."""
    limits_of = list(floors) or [None] * len(sets)
    points = list(grid(base))
    table = []
    for limits in points:
        counts = [tally(s, limits) for s in sets]
        table.append([(c.utility(), c.meets(f)) for c, f in zip(counts, limits_of, strict=True)])
    return points, table


def _admissible(table: Table, left_out: int = -1) -> list[bool]:
    """Tell, per grid point, whether it keeps every set but ``left_out`` within its floors."""
    return [all(ok for index, (_, ok) in enumerate(row) if index != left_out) for row in table]


def _best(points: list[Thresholds], table: Table, left_out: int = -1) -> Thresholds:
    """Return the first grid point with the best total utility without set ``left_out``, among
    those that keep every other set within its floors (all points when none does)."""
    totals = [sum(u for index, (u, _) in enumerate(row) if index != left_out) for row in table]
    admissible = _admissible(table, left_out)
    candidates = [i for i in range(len(points)) if admissible[i]] or list(range(len(points)))
    return points[max(candidates, key=totals.__getitem__)]


def fit(sets: Sets, base: Thresholds, floors: Sequence[Floors | None] = ()) -> Thresholds:
    """Return the grid point with the best total utility over ``sets`` within their floors."""
    return _best(*utilities(sets, base, floors))


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
        f"max unseen share {limits.long_max_unseen:g}; a sibling within "
        f"{limits.sibling_margin:g} of the top is answered with it; nearest phrasings on the "
        f"top or its siblings >= {limits.min_agreement:g}; agreed: {limits.agreed_answer:g} "
        f"with {limits.agreed_share:g} of them its own, margin {limits.agreed_margin:g}, max "
        f"unseen share {limits.agreed_max_unseen:g}"
    )


def leave_one_out(
    named: Sequence[tuple[str, list[tuple[Labelled, Evidence]]]],
    base: Thresholds,
    floors: Sequence[Floors | None] = (),
) -> list[str]:
    """Fit on all sets but one and measure on that one, for each set; return report lines."""
    points, table = utilities([evidence for _, evidence in named], base, floors)
    return _left_out_lines(named, points, table)


def _left_out_lines(
    named: Sequence[tuple[str, list[tuple[Labelled, Evidence]]]],
    points: list[Thresholds],
    table: Table,
) -> list[str]:
    """Return a line per set: its figures with the thresholds fitted on the others."""
    lines = []
    for index, (name, held_out) in enumerate(named):
        limits = _best(points, table, left_out=index)
        lines.append(f"{name:<36} {tally(held_out, limits).figures()}   [{describe(limits)}]")
    return lines


# The thresholds the grid fits, in the order the settings are printed.
FITTED = tuple(GRID)


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


def report(
    named: Named, base: Thresholds, held_out: Named = (), floors: Sequence[Floors | None] = ()
) -> str:
    """Return the fitting report: figures now, left-out figures, the fit on all ``named`` sets
    (within their ``floors``, aligned with them), and the ``held_out`` sets (never fitted on)
    measured with the thresholds now and fitted."""
    points, table = utilities([evidence for _, evidence in named], base, floors)
    lines = _figures(f"thresholds now: {describe(base)}", named, base)
    lines.append("")
    lines.append(
        f"leave one set out (fit on the others, measure on it; a wrong answer costs "
        f"{WRONG_COST:g}, a button {TAP_VALUE:g}):"
    )
    lines += [f"  {line}" for line in _left_out_lines(named, points, table)]
    best = _best(points, table)
    if not any(_admissible(table)):
        lines += ["", "no grid point keeps every set within its floors: fitted without them"]
    lines += ["", *_figures(f"fitted on every set: {describe(best)}", named, best)]
    lines += ["settings:", *(f"  {line}" for line in settings_lines(best))]
    if held_out:
        lines += [
            "",
            *_figures("never fitted on (held out or blind), thresholds now:", held_out, base),
        ]
        lines += _figures("never fitted on, fitted thresholds:", held_out, best)
    return "\n".join(lines)
