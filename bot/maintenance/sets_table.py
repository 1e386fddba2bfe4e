"""The README's quality table, generated from the manifest of labelled sets.

``make sets-table`` (``python -m bot eval --manifest tests/data/sets.yaml --update-readme``)
writes it between marker comments, and a test fails when the README's copy is out of date, so
the README, the manifest and the figures never disagree.
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.core.thresholds import Thresholds
from bot.maintenance.evaluation import Outcome, Summary, fraction, summarise
from bot.maintenance.fitting import describe
from bot.maintenance.sets import (
    DEFAULT_MANIFEST,
    MEASURES,
    README_END,
    README_START,
    Pair,
    Part,
    SetSpec,
    targets,
)

_HEAD = {"tune": "tuned on", "held-out": "held out", "blind": "**blind, never tuned on**"}


def usage(part: Part) -> str:
    """Say how a set was used, with its first blind and session-1 figures."""
    details = [part.note] if part.note else []
    if part.blind is not None:
        details.append(f"first blind run {_pair(part.blind)}")
    if part.session1 is not None:
        details.append(f"session-1 code {_pair(part.session1)}")
    return _HEAD[part.status] + (f" ({'; '.join(details)})" if details else "")


def _pair(pair: Pair) -> str:
    text = f"{pair.answered:.1f} % / {pair.declined:.1f} %"
    if pair.one_tap is not None and pair.wrong is not None:
        text += f", ≤ 1 tap {pair.one_tap:.1f} %, wrong {pair.wrong:.1f} %"
    return text


def _cells(summary: Summary, bold: bool) -> list[str]:
    cells = [
        fraction(summary.answered_correctly, summary.in_scope, summary.accuracy),
        fraction(summary.one_tap, summary.in_scope, summary.one_tap_rate),
        fraction(summary.wrong_answers, summary.total, summary.wrong_rate),
        fraction(summary.declined, summary.out_of_scope, summary.decline_rate),
    ]
    cells = [cell.replace("%", " %") for cell in cells]
    return [f"**{cell}**" for cell in cells] if bold else cells


def readme_table(results: Sequence[tuple[SetSpec, list[Outcome]]], limits: Thresholds) -> str:
    """Return the README's quality table, marker comments included, for sets already run.

    A set with splits gets a row per split; held-out and blind rows are in bold.
    """
    header = [
        "labelled set (in-scope + out-of-scope)",
        "written by",
        "how it was used (blind figures: answered / declined)",
        *(name for name, _ in MEASURES.values()),
    ]
    rows = [header, ["---"] * len(header)]
    every: list[Outcome] = []
    for spec, outcomes in results:
        every += outcomes
        chosen = targets(spec)[1:] or targets(spec)
        for target in chosen:
            summary = summarise(target.select(outcomes))
            name = f"`{spec.file}`" + (f" {target.split} split" if target.split else "")
            rows.append(
                [
                    f"{name} ({summary.in_scope} + {summary.out_of_scope})",
                    spec.written_by or "—",
                    usage(target.part),
                    *_cells(summary, target.part.status != "tune"),
                ]
            )
    total = summarise(every)
    rows.append(
        [f"all sets ({total.in_scope} + {total.out_of_scope})", "", "", *_cells(total, False)]
    )
    lines = [
        f"{README_START}: generated from {DEFAULT_MANIFEST.as_posix()} by `make sets-table`; "
        "do not edit -->",
        f"Thresholds: {describe(limits)}.",
        "",
        *("| " + " | ".join(row) + " |" for row in rows),
        README_END,
    ]
    return "\n".join(lines)


def replace_table(readme: str, table: str) -> str:
    """Return ``readme`` with the text between its sets-table markers replaced by ``table``.

    The markers are the first lines that start with them, so prose may quote them.
    """
    start = _line_starting(readme, README_START)
    end = _line_starting(readme, README_END, start if start is not None else 0)
    if start is None or end is None:
        raise ValueError(f"no {README_START} … {README_END} block")
    return readme[:start] + table + readme[end + len(README_END) :]


def _line_starting(text: str, prefix: str, begin: int = 0) -> int | None:
    """Return where the first line at or after ``begin`` that starts with ``prefix`` starts."""
    index = begin
    while (index := text.find(prefix, index)) >= 0:
        if index == 0 or text[index - 1] == "\n":
            return index
        index += 1
    return None
