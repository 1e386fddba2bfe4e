"""Throughput: private questions answered per second through the fake Bot API, against an echo bot.

What it measures (all in one run, because the machine is shared and noisy):

1. The real bot (``bot.telegram_bot.app.build_application``, shipped knowledge) polling a fresh
   ``tests.support.fake_bot_api.FakeBotAPI`` on 127.0.0.1 with the rate limiter off
   (``rate_limit=False``), the flood guard out of the way (``flood_limit`` 1,000,000), hot reload
   off (``reload_interval=0``) and a 1 s long poll (``poll_timeout=1``).  N private messages from M
   readers (1,000 from 100; 300 from 30 with ``--quick``), a deterministic random mix of the
   questions in ``tests/data/questions.yaml``, are queued on the fake before polling starts;
   the clock runs from ``updater.start_polling()`` until the fake has accepted all N
   ``sendMessage`` calls.  Figure: N / elapsed seconds.
2. Baseline, on its own fresh fake server with the same N messages: a bare python-telegram-bot
   echo bot (``ApplicationBuilder`` with one ``MessageHandler`` that sends the text back with
   ``bot.send_message``).  Target: real bot >= 0.8x the echo bot's rate.

Both bots are configured alike for the network: ``concurrent_updates(64)`` (as the bot),
a 16-connection pool for sending, a separate 2-connection pool for ``getUpdates``, 10 s
timeouts (the production default of ``BOT_REQUEST_TIMEOUT``), HTTP/1.1 via httpx, the same
long-poll timeout.  What differs is the bot itself, listed in the output: the real bot runs
every update through its handler chain, the flood guard, the matcher, builds an HTML reply with
an inline keyboard, passes each call through its ``RetryingLimiter`` wrapper and counts each
outcome for the SQLite log.  The fake server runs in a process of its own, as Telegram's
servers are not in the bot's process; it still shares the machine's 2 cores, and it parses the
real bot's HTML and keyboards, which the echo bot's plain text spares it (that server-side cost
is measured separately and reported).

Method: one untimed warm-up run of each bot (100 messages), then R runs of each, alternating
(3; 2 with ``--quick``); medians and spread = (max - min) / median.  The bot process's CPU
time per answer is reported for context.  The script reports what
it measured and exits 0 whether the target passes or misses.
"""

from __future__ import annotations

# The repository root must be on sys.path before the project imports below.
# ruff: noqa: E402
import argparse
import asyncio
import gc
import importlib.util
import random
import statistics
import sys
import tempfile
import textwrap
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import yaml
from telegram import Update
from telegram.ext import Application, ApplicationBuilder, ContextTypes, MessageHandler, filters
from telegram.request import HTTPXRequest

from benchmarks._report import print_table, spread
from bot.core.thresholds import thresholds_from
from bot.knowledge.live import LiveKnowledge
from bot.settings import DEFAULT_KNOWLEDGE_FILE, Settings
from bot.telegram_bot.app import build_application
from bot.telegram_bot.lifecycle import on_shutdown, on_startup
from tests.support import fake_bot_api
from tests.support.fake_bot_api import FakeBotAPI

QUESTIONS_FILE = ROOT / "tests" / "data" / "questions.yaml"
TARGET_RATIO = 0.8
SEED = 20240601
FIRST_USER_ID = 50_000
POLL_TIMEOUT = 1
REQUEST_TIMEOUT = 10.0  # Settings' default, used for both bots
SEND_POOL = 16  # build_application's connection_pool_size
GET_UPDATES_POOL = 2  # build_application's getUpdates pool
FLOOD_LIMIT = 1_000_000
WAIT_LIMIT_S = 180.0


@dataclass(frozen=True)
class Plan:
    messages: int
    users: int
    repetitions: int
    warmup_messages: int = 100
    warmup_users: int = 10


FULL = Plan(messages=1_000, users=100, repetitions=3)
QUICK = Plan(messages=300, users=30, repetitions=2)


@dataclass
class RunResult:
    elapsed: float  # seconds from start_polling until N answers were accepted (inf: timed out)
    cpu: float  # process CPU seconds over the same span
    answered: int  # sendMessage calls the fake accepted by the end of the run
    failed: int  # sendMessage calls the fake refused or that never got an answer
    send_params: list[dict[str, Any]]  # parameters of the accepted sendMessage calls

    def rate(self, n: int) -> float:
        return n / self.elapsed if self.elapsed > 0 else 0.0


# --------------------------------------------------------------------------- the two bots


def real_bot(fake: FakeServer, workdir: Path, live: LiveKnowledge) -> Application:
    """The production application, built by the one factory ``python -m bot run`` uses."""
    settings = Settings(  # type: ignore[call-arg]
        _env_file=None,
        token=fake.token,
        api_base_url=fake.base_url,
        db_path=workdir / f"log-{time.monotonic_ns()}.sqlite3",
        knowledge_file=DEFAULT_KNOWLEDGE_FILE,
        poll_timeout=POLL_TIMEOUT,
        request_timeout=REQUEST_TIMEOUT,
        reload_interval=0,
        rate_limit=False,
        flood_limit=FLOOD_LIMIT,
    )
    return build_application(settings, live)


async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    message = update.effective_message
    if message is not None and message.text:
        await context.bot.send_message(chat_id=message.chat_id, text=message.text)


def echo_bot(fake: FakeServer) -> Application:
    """A bare PTB echo bot, networked exactly like ``build_application`` networks the real one."""
    get_updates_request = HTTPXRequest(
        connection_pool_size=GET_UPDATES_POOL,
        read_timeout=POLL_TIMEOUT + REQUEST_TIMEOUT,
        connect_timeout=REQUEST_TIMEOUT,
        write_timeout=REQUEST_TIMEOUT,
        pool_timeout=REQUEST_TIMEOUT,
    )
    application = (
        ApplicationBuilder()
        .token(fake.token)
        .base_url(fake.base_url)
        .concurrent_updates(64)
        .connection_pool_size(SEND_POOL)
        .get_updates_request(get_updates_request)
        .read_timeout(REQUEST_TIMEOUT)
        .write_timeout(REQUEST_TIMEOUT)
        .connect_timeout(REQUEST_TIMEOUT)
        .pool_timeout(REQUEST_TIMEOUT)
        .build()
    )
    application.add_handler(MessageHandler(filters.TEXT, echo))
    return application


# --------------------------------------------------------------------------- one run


def make_messages(count: int, users: int, seed: int) -> list[tuple[int, str]]:
    """``(user id, question)`` pairs: round-robin over readers, questions drawn at random."""
    data = yaml.safe_load(QUESTIONS_FILE.read_text(encoding="utf-8"))
    questions = [str(item["text"]) for item in data["questions"]]
    rng = random.Random(seed)
    return [(FIRST_USER_ID + i % users, rng.choice(questions)) for i in range(count)]


@dataclass(frozen=True)
class FakeServer:
    """Where the fake Bot API listens (in its own process, so it does not share our CPU time)."""

    base_url: str
    token: str


def serve_fake(messages_file: str) -> int:
    """Child process: run a FakeBotAPI with the queued messages; report on stdout.

    Prints ``READY <base_url> <token>``, then ``DONE`` once every message has an accepted
    sendMessage; after ``STOP`` on stdin, prints one JSON line with the accepted sendMessage
    parameters and the number of refused ones.
    """
    import json
    import threading

    messages = json.loads(Path(messages_file).read_text(encoding="utf-8"))
    with FakeBotAPI() as fake:
        for user_id, text in messages:
            fake.push_message(text, chat_id=user_id, user_id=user_id)
        print(f"READY {fake.base_url} {fake.token}", flush=True)

        def watch() -> None:
            while len(fake.sent_messages) < len(messages):
                time.sleep(0.001)
            print("DONE", flush=True)

        threading.Thread(target=watch, daemon=True).start()
        sys.stdin.readline()  # STOP
        sends = fake.calls_to("sendMessage")
        accepted = [dict(call.params) for call in sends if call.ok]
        print(json.dumps({"accepted": accepted, "failed": len(sends) - len(accepted)}), flush=True)
    return 0


async def one_run(
    kind: str, messages: Sequence[tuple[int, str]], workdir: Path, live: LiveKnowledge
) -> RunResult:
    """Queue ``messages`` on a fresh fake (its own process), start polling, time all answers."""
    import json
    import subprocess

    messages_file = workdir / f"messages-{time.monotonic_ns()}.json"
    messages_file.write_text(json.dumps(list(messages)), encoding="utf-8")
    child = subprocess.Popen(
        [sys.executable, __file__, "--serve-fake", str(messages_file)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert child.stdin is not None and child.stdout is not None
    try:
        _, base_url, token = child.stdout.readline().split()
        fake = FakeServer(base_url, token)
        application = real_bot(fake, workdir, live) if kind == "bot" else echo_bot(fake)
        updater = application.updater
        assert updater is not None, "both bots are built with an updater"
        await application.initialize()  # getMe
        if kind == "bot":
            await on_startup(application)  # command menus, as run_polling's post_init does
        gc.collect()
        done = asyncio.create_task(asyncio.to_thread(child.stdout.readline))
        cpu_start = time.process_time()
        start = time.perf_counter()
        await updater.start_polling(timeout=POLL_TIMEOUT, allowed_updates=Update.ALL_TYPES)
        await application.start()
        elapsed = float("inf")
        try:
            if (await asyncio.wait_for(done, WAIT_LIMIT_S)).strip() == "DONE":
                elapsed = time.perf_counter() - start
        except TimeoutError:
            pass
        cpu = time.process_time() - cpu_start
        try:
            if updater.running:
                await updater.stop()
            if application.running:
                await application.stop()
            if kind == "bot":
                await on_shutdown(application)
        finally:
            await application.shutdown()
        child.stdin.write("STOP\n")
        child.stdin.flush()
        line = child.stdout.readline()
        while line.strip() == "DONE":
            line = child.stdout.readline()
        report = json.loads(line)
    finally:
        child.stdin.close()
        child.wait(timeout=30)
    return RunResult(
        elapsed=elapsed,
        cpu=cpu,
        answered=len(report["accepted"]),
        failed=report["failed"],
        send_params=report["accepted"],
    )


# --------------------------------------------------------------------------- reporting


def server_cost_us(params: Sequence[dict[str, Any]]) -> float | None:
    """µs per reply the fake spends validating a sendMessage (text/HTML and keyboard)."""
    render: Callable[[dict[str, Any]], object] | None = getattr(fake_bot_api, "_render_text", None)
    markup: Callable[[Any], object] | None = getattr(fake_bot_api, "_inline_markup", None)
    if render is None or markup is None or not params:
        return None
    best = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        for p in params:
            render(p)
            markup(p.get("reply_markup"))
        best = min(best, time.perf_counter() - start)
    return best / len(params) * 1e6


def describe_replies(params: Sequence[dict[str, Any]]) -> str:
    if not params:
        return "no replies"
    length = statistics.mean(len(str(p.get("text", ""))) for p in params)
    html = sum(1 for p in params if str(p.get("parse_mode", "")).upper() == "HTML")
    keyboards = sum(1 for p in params if p.get("reply_markup"))
    return (
        f"{length:,.0f} chars on average, {html / len(params):.0%} HTML, "
        f"{keyboards / len(params):.0%} with an inline keyboard"
    )


# --------------------------------------------------------------------------- main


async def benchmark(plan: Plan, workdir: Path) -> dict[str, list[RunResult]]:
    live = LiveKnowledge(DEFAULT_KNOWLEDGE_FILE, thresholds_from(Settings(_env_file=None)))  # type: ignore[call-arg]
    warmup = make_messages(plan.warmup_messages, plan.warmup_users, SEED - 1)
    for kind in ("echo", "bot"):
        await one_run(kind, warmup, workdir, live)
    messages = make_messages(plan.messages, plan.users, SEED)
    results: dict[str, list[RunResult]] = {"echo": [], "bot": []}
    for repetition in range(plan.repetitions):
        # Alternate which bot goes first, so a drift in machine load hits both alike.
        order = ("echo", "bot") if repetition % 2 == 0 else ("bot", "echo")
        for kind in order:
            result = await one_run(kind, messages, workdir, live)
            results[kind].append(result)
            label = "real bot" if kind == "bot" else "echo bot"
            timing = (
                f"{result.elapsed:.2f} s, {result.rate(plan.messages):,.0f}/s"
                if result.elapsed != float("inf")
                else f"TIMED OUT after {WAIT_LIMIT_S:.0f} s"
            )
            print(
                f"  run {repetition + 1} {label}: {timing}, {result.answered} answered, "
                f"{result.failed} failed sendMessage, CPU {result.cpu:.2f} s",
                flush=True,
            )
    return results


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer messages and runs")
    parser.add_argument("--serve-fake", metavar="FILE", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.serve_fake:
        return serve_fake(args.serve_fake)
    plan = QUICK if args.quick else FULL
    n = plan.messages
    print(
        f"throughput benchmark{' (--quick)' if args.quick else ''}: {n:,} private questions "
        f"from {plan.users} readers queued before polling starts; median of "
        f"{plan.repetitions} alternating runs per bot after one warm-up each "
        f"({plan.warmup_messages} messages); spread = (max - min) / median",
        flush=True,
    )
    with tempfile.TemporaryDirectory(prefix="bench-throughput-") as tmp:
        results = asyncio.run(benchmark(plan, Path(tmp)))

    bot_runs, echo_runs = results["bot"], results["echo"]
    complete = all(r.elapsed != float("inf") for r in bot_runs + echo_runs)
    bot_rates = [r.rate(n) for r in bot_runs]
    echo_rates = [r.rate(n) for r in echo_runs]
    bot_rate, echo_rate = statistics.median(bot_rates), statistics.median(echo_rates)
    ratio = bot_rate / echo_rate if echo_rate else 0.0
    bot_cpu = statistics.median(r.cpu / n for r in bot_runs)
    echo_cpu = statistics.median(r.cpu / n for r in echo_runs)
    rows = [
        [
            f"real bot: answers per second ({n:,} questions, {plan.users} readers)",
            f"{bot_rate:,.0f}/s",
            spread(bot_rates),
            f"echo bot {echo_rate:,.0f}/s ({spread(echo_rates)})",
            f"{ratio:.2f}x",
            f">= {TARGET_RATIO}x echo",
            "PASS" if complete and ratio >= TARGET_RATIO else "MISS",
        ],
        [
            "real bot: bot process CPU per answer",
            f"{bot_cpu * 1e3:.2f} ms",
            spread([r.cpu for r in bot_runs]),
            f"echo bot {echo_cpu * 1e3:.2f} ms",
            f"{bot_cpu / echo_cpu:.2f}x" if echo_cpu else "-",
            "-",
            "",
        ],
    ]
    print()
    print_table(
        rows, ("measure", "value", "spread", "baseline (same run)", "vs baseline", "target", "")
    )
    if not complete:
        print(f"note: some runs timed out before all {n:,} answers were accepted (MISS)")

    bot_params, echo_params = bot_runs[-1].send_params, echo_runs[-1].send_params
    bot_server, echo_server = server_cost_us(bot_params), server_cost_us(echo_params)
    notes = [
        (
            "same for both",
            f"a fresh FakeBotAPI per run on 127.0.0.1, in a process of its own (as Telegram's "
            f"servers are not in ours; the 2 cores are shared); the same {n:,} updates queued "
            f"before polling; "
            f"concurrent_updates(64); {SEND_POOL} connections for sending, "
            f"{GET_UPDATES_POOL} for getUpdates; {REQUEST_TIMEOUT:.0f} s timeouts; long poll "
            f"{POLL_TIMEOUT} s; no rate limiter",
        ),
        (
            "real bot only",
            "the full handler chain (commands, filters), flood guard (limit "
            f"{FLOOD_LIMIT:,}), matching, an HTML reply with an inline keyboard, the "
            "RetryingLimiter wrapper (rate_limit=False: retries only), counts and unanswered "
            "questions queued for the SQLite log (written every 5 s in a thread), the watchdog "
            "job; command menus set before the clock starts",
        ),
        (
            "echo bot only",
            "one MessageHandler(filters.TEXT), a plain-text send_message, a plain HTTPXRequest "
            "for getUpdates (the real bot's WatchedRequest only notes a timestamp)",
        ),
        (
            "replies",
            f"real bot {describe_replies(bot_params)}; echo bot {describe_replies(echo_params)}",
        ),
    ]
    if bot_server is not None and echo_server is not None:
        notes.append(
            (
                "fake server",
                "validating each reply (HTML parsing, keyboard checks) costs it "
                f"{bot_server:.1f} µs for the real bot's and {echo_server:.1f} µs for the "
                "echo bot's, in its own process",
            )
        )
    if importlib.util.find_spec("sniffio") is None:
        notes.append(
            (
                "note",
                "sniffio is not installed, so httpcore retries `import sniffio` (a failed "
                "import: a search of sys.path) for every lock it creates, several times per "
                "request; both bots pay this in their HTTP client",
            )
        )
    print()
    for label, text in notes:
        print(textwrap.fill(text, 100, initial_indent=f"{label}: ", subsequent_indent="  "))
    return 0


if __name__ == "__main__":
    sys.exit(main())
