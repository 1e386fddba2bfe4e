"""Shared output helpers for the benchmark scripts: the figures table and the spread column.

Not a benchmark itself (``run_all.py`` skips files starting with ``_``).
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence


def spread(samples: Sequence[float]) -> str:
    """Return (max - min) / median as a percentage, or ``n=1`` for a single sample."""
    median = statistics.median(samples)
    if len(samples) < 2 or not median:
        return f"n={len(samples)}"
    return f"{(max(samples) - min(samples)) / median:.0%}"


def print_table(rows: Sequence[Sequence[str]], header: Sequence[str]) -> None:
    """Print rows under a header, first column left-aligned, the others right-aligned."""
    table = [list(header), *rows]
    widths = [max(len(row[i]) for row in table) for i in range(len(header))]
    for n, row in enumerate(table):
        cells = [
            cell.ljust(width) if i == 0 else cell.rjust(width)
            for i, (cell, width) in enumerate(zip(row, widths, strict=True))
        ]
        print("  ".join(cells).rstrip())
        if n == 0:
            print("  ".join("-" * width for width in widths))
