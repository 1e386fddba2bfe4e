"""Ambiguous delivery: duplicate and lost answers under a fault mix, per retry policy, same run.

What it measures: the real bot (``build_application``, shipped knowledge, rate limiter off,
request timeout 1 s) polling a fresh in-process ``FakeBotAPI``; N readers (1,000; 400 with
``--quick``), each in a private chat of their own, ask one question each. Every ``sendMessage``
draws a fault from ``MIX`` with a fixed seed (``FakeBotAPI.inject_mix``): about 10 % of sends
fail, among them the ambiguous ones, where the client cannot tell whether Telegram delivered
the message: a connection dropped after the request was written, a proxy's 502 or 504 page, a
read timeout — each either after the backend processed the send (``processed_then_*``,
``deliver_then_hang``) or before (``drop``, ``502_html``, ``504_html``). Once every reader has
an answer or no send has happened for a few seconds, it counts readers with two or more
answers (duplicates) and readers with none (losses), per 1,000 readers.

Policies, each run on the same mix and seed: ``chosen`` (failures.RETRIED_WHEN_AMBIGUOUS:
retry a 502 page and a dropped connection, not a 504 page or a read timeout), ``retry none``
(no ambiguous failure retried: no duplicate possible) and ``retry all`` (every ambiguous
failure retried: no loss possible). The mix is an assumption, written down in ``MIX``: the real
API's shares are not known; the per-kind lines let a reader redo the sums for another mix.
"""

from __future__ import annotations

# The repository root must be on sys.path before the project imports below.
# ruff: noqa: E402
import argparse
import asyncio
import logging
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks._report import print_table
from bot.settings import DEFAULT_KNOWLEDGE_FILE
from bot.telegram_bot.failures import AMBIGUOUS, RETRIED_WHEN_AMBIGUOUS, FailureKind
from tests.support.bot_runner import bot_running
from tests.support.fake_bot_api import FakeBotAPI

# Share of sendMessage calls answered with each fault. Assumed, not measured on Telegram:
# a 502 page is mostly the backend down or restarting (not processed, 4 to 1), a dropped
# connection mostly a connection that died before the backend acted (3 to 1); a 504 page and
# a read timeout mean the backend had the request and was slow (processed, 3 to 1 and always).
MIX = {
    "none": 0.90,
    "429": 0.01,
    "500": 0.01,
    "drop": 0.015,
    "processed_then_drop": 0.005,
    "502_html": 0.02,
    "processed_then_502": 0.005,
    "504_html": 0.005,
    "processed_then_504": 0.015,
    "deliver_then_hang": 0.015,
}
POLICIES: dict[str, frozenset[FailureKind]] = {
    "chosen": RETRIED_WHEN_AMBIGUOUS,
    "retry none": frozenset(),
    "retry all": AMBIGUOUS,
}
QUESTION = "how long has the war lasted"
FIRST_READER = 70_000
SEED = 11
HANG = 1.5  # seconds a deliver_then_hang answer is held (the bot's read timeout is 1 s)
QUIET = 4.0  # seconds without a send after which the run is over


async def one_run(policy: frozenset[FailureKind], readers: int, workdir: Path) -> Counter[str]:
    """Run the bot with ``policy`` against the mix; count answers per reader and faults."""
    workdir.mkdir(parents=True, exist_ok=True)
    with FakeBotAPI() as fake:
        async with bot_running(
            fake, workdir, DEFAULT_KNOWLEDGE_FILE, request_timeout=1.0, flood_limit=1_000
        ) as application:
            application.bot.rate_limiter.retried_when_ambiguous = policy
            fake.inject_mix("sendMessage", MIX, seed=SEED, delay=HANG)
            ids = range(FIRST_READER, FIRST_READER + readers)
            for reader in ids:
                fake.push_message(QUESTION, chat_id=reader, user_id=reader)
            await settle(fake, ids)
        counts: Counter[str] = Counter()
        for reader in ids:
            answers = len(fake.messages_in_chat(reader))
            counts["duplicate" if answers > 1 else "lost" if answers == 0 else "once"] += 1
        for call in fake.calls_to("sendMessage"):
            if call.fault is not None:
                counts[f"fault {call.fault}"] += 1
    return counts


async def settle(fake: FakeBotAPI, readers: Sequence[int]) -> None:
    """Wait until every reader has an answer and retries are over, or nothing moves."""
    last_count, last_change = -1, time.monotonic()
    while time.monotonic() - last_change < QUIET:
        count = len(fake.calls_to("sendMessage"))
        if count != last_count:
            last_count, last_change = count, time.monotonic()
        await asyncio.sleep(0.1)
        if all(fake.messages_in_chat(r) for r in readers) and time.monotonic() - last_change > 2:
            return


def per_thousand(n: int, readers: int) -> str:
    return f"{1000 * n / readers:.1f}"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="400 readers instead of 1,000")
    args = parser.parse_args(argv)
    readers = 400 if args.quick else 1000
    logging.disable(logging.ERROR)  # the retries' warnings and errors would drown the figures
    print(
        f"ambiguous delivery{' (--quick)' if args.quick else ''}: {readers} readers, one "
        f"question each, sendMessage faults drawn from the mix below (seed {SEED})",
        flush=True,
    )
    results: dict[str, Counter[str]] = {}
    with tempfile.TemporaryDirectory(prefix="bench-ambiguous-") as tmp:
        for name, policy in POLICIES.items():
            results[name] = asyncio.run(
                one_run(policy, readers, Path(tmp) / name.replace(" ", "-"))
            )
            print(f"  {name}: {dict(sorted(results[name].items()))}", flush=True)
    rows = []
    for name, counts in results.items():
        retried = ", ".join(sorted(POLICIES[name])) or "-"
        rows.append(
            [
                name,
                retried,
                per_thousand(counts["duplicate"], readers),
                per_thousand(counts["lost"], readers),
                per_thousand(counts["duplicate"] + counts["lost"], readers),
            ]
        )
    print()
    print_table(
        rows,
        ("policy", "ambiguous kinds retried", "dup per 1,000", "lost per 1,000", "sum"),
    )
    print()
    print("mix (share of sendMessage calls): " + ", ".join(f"{k} {v:.1%}" for k, v in MIX.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
