"""Run every benchmark script in ``benchmarks/`` and print their reports under one header.

Discovers ``benchmarks/*.py`` by glob (so scripts added later are picked up), skipping itself
and helper modules whose name starts with ``_``; runs each one in turn (sorted by name, never
in parallel, so they do not slow each other down) as a subprocess of the same interpreter,
passing ``--quick`` through.  The header names the machine: platform, CPU model, cores,
Python version and date.  Targets are the scripts' own: each prints its figures with the
target and PASS/MISS; this script counts those lines per script.  Exit status: 0 when every
script ran (whatever PASS/MISS said), 1 when a script crashed (non-zero exit).
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import re
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
VERDICT = re.compile(r"\b(PASS|MISS)\b")


def cpu_model() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as cpuinfo:
            for line in cpuinfo:
                if line.lower().startswith(("model name", "hardware", "cpu model")):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine() or "unknown"


def cores() -> str:
    total = os.cpu_count() or 0
    try:
        usable = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return str(total)
    return str(total) if usable == total else f"{usable} usable of {total}"


def scripts() -> list[Path]:
    me = Path(__file__).resolve()
    return sorted(
        path for path in HERE.glob("*.py") if path.resolve() != me and not path.name.startswith("_")
    )


def run_script(path: Path, quick: bool) -> tuple[int, int, int, float]:
    """Run one script, echoing its output; return (exit code, PASS count, MISS count, s)."""
    command = [sys.executable, str(path), *(["--quick"] if quick else [])]
    passed = missed = 0
    start = time.perf_counter()
    with subprocess.Popen(
        command,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        bufsize=1,
    ) as process:
        assert process.stdout is not None
        for line in process.stdout:
            print(line, end="", flush=True)
            for verdict in VERDICT.findall(line):
                if verdict == "PASS":
                    passed += 1
                else:
                    missed += 1
    return process.returncode, passed, missed, time.perf_counter() - start


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="pass --quick to every script")
    args = parser.parse_args(argv)

    now = datetime.datetime.now().astimezone().isoformat(timespec="seconds")
    found = scripts()
    print("benchmarks" + (" (--quick)" if args.quick else ""))
    print(f"  machine:  {platform.platform()}")
    print(f"  cpu:      {cpu_model()}, {cores()} cores")
    print(f"  python:   {platform.python_implementation()} {platform.python_version()}")
    print(f"  date:     {now}")
    print(f"  scripts:  {', '.join(p.name for p in found) or 'none'}")
    try:
        load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
        print(f"  load avg: {load} (1, 5, 15 min; the machine is shared, figures are noisy)")
    except OSError:
        pass

    summary = []
    for path in found:
        print(f"\n=== {path.relative_to(ROOT)} ===", flush=True)
        code, passed, missed, seconds = run_script(path, args.quick)
        summary.append((path.name, code, passed, missed, seconds))
        if code != 0:
            print(f"!!! {path.name} exited with status {code}")

    print("\n=== summary ===")
    width = max((len(name) for name, *_ in summary), default=0)
    for name, code, passed, missed, seconds in summary:
        status = "ran" if code == 0 else f"CRASHED (exit {code})"
        print(f"{name.ljust(width)}  {status}, {passed} PASS, {missed} MISS, {seconds:.0f} s wall")
    return 0 if all(code == 0 for _, code, *_ in summary) else 1


if __name__ == "__main__":
    sys.exit(main())
