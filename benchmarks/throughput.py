"""Throughput under a backlog: the bot vs a bare PTB echo bot, same run; and a fairness figure.

What it measures (all in one run, because the machine is shared and noisy):

1. The real bot (``bot.telegram_bot.app.build_application``, shipped knowledge) polling a fresh
   ``tests.support.fake_bot_api.FakeBotAPI`` on 127.0.0.1 with the rate limiter off
   (``rate_limit=False``), the flood guard out of the way (``flood_limit`` 1,000,000), hot reload
   off (``reload_interval=0``) and a 1 s long poll (``poll_timeout=1``).  N private questions
   from N distinct readers (1,000; 600 with ``--quick``), a deterministic random mix of the
   questions in ``tests/data/questions.yaml``, are queued on the fake before polling starts —
   a restart with a backlog; the clock runs from ``updater.start_polling()`` until the fake has
   accepted all N ``sendMessage`` calls.  Figure: N / elapsed seconds.
2. Baseline, on its own fresh fake server with the same N messages: a bare python-telegram-bot
   echo bot (``ApplicationBuilder`` with one ``MessageHandler`` that sends the text back with
   ``bot.send_message``).  Target: real bot >= 0.8x the echo bot's rate.
3. Both, twice: with the fake in a process of its own (as Telegram's servers are not in the
   bot's process) and with the fake in this process (its threads share our interpreter, as in
   the end-to-end tests).
4. Fairness, with the rate limiter on: 80 members of one group ask at once, then a private
   reader asks; figure: seconds until the private reader's answer (target <= 2 s).

The echo bot is networked like the bot used to be, and as PTB's examples would: 64 updates at
once, a 16-connection pool for sending, 2 for ``getUpdates``, 10 s timeouts, the same long poll.
The real bot runs its own configuration (``app.py``): 64 update slots, ``SEND_CONNECTIONS``
connections and at most that many requests handed to httpx at once (``--connections N`` and
``--unbounded`` try other settings).  What else differs is the
bot itself, listed in the output.

Method: one untimed warm-up run of each bot (100 messages), then R runs of each, alternating
(3; 2 with ``--quick``); medians and spread = (max - min) / median.  The bot process's CPU
time per answer is reported for context.  The script reports what it measured and exits 0
whether the targets pass or miss.
"""

from __future__ import annotations

# The repository root must be on sys.path before the project imports below.
# ruff: noqa: E402
import argparse
import asyncio
import gc
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
from bot.telegram_bot import app as app_module
from bot.telegram_bot.app import build_application
from bot.telegram_bot.lifecycle import on_shutdown, on_startup
from tests.support import fake_bot_api
from tests.support.bot_runner import bot_running
from tests.support.fake_bot_api import FakeBotAPI

QUESTIONS_FILE = ROOT / "tests" / "data" / "questions.yaml"
TARGET_RATIO = 0.8
SEED = 20240601
FIRST_USER_ID = 50_000
POLL_TIMEOUT = 1
REQUEST_TIMEOUT = 10.0  # Settings' default, used for both bots
ECHO_SEND_POOL = 16  # the echo bot's connection_pool_size
GET_UPDATES_POOL = 2  # build_application's getUpdates pool
FLOOD_LIMIT = 1_000_000
WAIT_LIMIT_S = 180.0
STALL_S = 10.0  # no Bot API call for this long: the run is over, incomplete


@dataclass(frozen=True)
class Plan:
    messages: int
    users: int
    repetitions: int
    warmup_messages: int = 100
    warmup_users: int = 10


FULL = Plan(messages=1_000, users=1_000, repetitions=3)
QUICK = Plan(messages=600, users=600, repetitions=2)
FAIRNESS_GROUP = -500_001
FAIRNESS_MEMBERS = 80
FAIRNESS_TARGET_S = 2.0


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
        .connection_pool_size(ECHO_SEND_POOL)
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


class StallWatch:
    """Tells when no sendMessage has reached the fake for STALL_S seconds (checked every 0.1 s):
    an answer was lost (the echo bot does not retry), so the run would never complete."""

    def __init__(self, fake: FakeBotAPI) -> None:
        self.fake = fake
        self.sends, self.since, self.checked = -1, time.monotonic(), 0.0

    def stalled(self) -> bool:
        now = time.monotonic()
        if now - self.checked < 0.1:
            return False
        self.checked = now
        sends = len(self.fake.calls_to("sendMessage"))
        if sends != self.sends:
            self.sends, self.since = sends, now
        return now - self.since > STALL_S


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
            stall = StallWatch(fake)
            while len(fake.sent_messages) < len(messages):
                if stall.stalled():
                    print("STALLED", flush=True)  # an answer was lost: the run never completes
                    return
                time.sleep(0.001)
            print("DONE", flush=True)

        threading.Thread(target=watch, daemon=True).start()
        sys.stdin.readline()  # STOP
        sends = fake.calls_to("sendMessage")
        accepted = [dict(call.params) for call in sends if call.ok]
        print(json.dumps({"accepted": accepted, "failed": len(sends) - len(accepted)}), flush=True)
    return 0


async def own_process_run(
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
        while line.strip() in ("DONE", "STALLED"):
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


async def in_process_run(
    kind: str, messages: Sequence[tuple[int, str]], workdir: Path, live: LiveKnowledge
) -> RunResult:
    """Queue ``messages`` on a fresh fake in this process, start polling, time all answers."""
    with FakeBotAPI() as fake:
        for user_id, text in messages:
            fake.push_message(text, chat_id=user_id, user_id=user_id)
        server = FakeServer(fake.base_url, fake.token)
        application = real_bot(server, workdir, live) if kind == "bot" else echo_bot(server)
        updater = application.updater
        assert updater is not None, "both bots are built with an updater"
        await application.initialize()
        if kind == "bot":
            await on_startup(application)
        gc.collect()
        cpu_start = time.process_time()
        start = time.perf_counter()
        await updater.start_polling(timeout=POLL_TIMEOUT, allowed_updates=Update.ALL_TYPES)
        await application.start()
        elapsed, stall = float("inf"), StallWatch(fake)
        while time.perf_counter() - start < WAIT_LIMIT_S and not stall.stalled():
            if len(fake.sent_messages) >= len(messages):
                elapsed = time.perf_counter() - start
                break
            await asyncio.sleep(0.002)
        cpu = time.process_time() - cpu_start
        await _stop(kind, application)
        sends = fake.calls_to("sendMessage")
        accepted = [dict(call.params) for call in sends if call.ok]
    return RunResult(elapsed, cpu, len(accepted), len(sends) - len(accepted), accepted)


async def _stop(kind: str, application: Application) -> None:
    updater = application.updater
    try:
        if updater is not None and updater.running:
            await updater.stop()
        if application.running:
            await application.stop()
        if kind == "bot":
            await on_shutdown(application)
    finally:
        await application.shutdown()


async def fairness_wait(workdir: Path) -> float:
    """Seconds a private reader waits while one group's 80 questions are throttled."""
    knowledge = DEFAULT_KNOWLEDGE_FILE
    with FakeBotAPI() as fake:
        async with bot_running(fake, workdir, knowledge, rate_limit=True, chat_backlog=4):
            for member in range(FAIRNESS_MEMBERS):
                fake.push_message(
                    "/ask how long has the war lasted",
                    chat_id=FAIRNESS_GROUP,
                    user_id=10_000 + member,
                    chat_type="group",
                )
            await fake.await_for(
                "sendMessage", timeout=30, predicate=lambda c: c.params["chat_id"] < 0
            )
            asked = time.monotonic()
            fake.push_message("when was Crimea annexed", chat_id=171, user_id=171)
            await fake.await_for(
                "sendMessage", timeout=60, predicate=lambda c: c.params["chat_id"] == 171
            )
            return time.monotonic() - asked


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


MODES = {"own process": own_process_run, "same process": in_process_run}


async def benchmark(plan: Plan, workdir: Path) -> dict[tuple[str, str], list[RunResult]]:
    """Every mode, bot and echo alternating; results by (mode, kind)."""
    live = LiveKnowledge(DEFAULT_KNOWLEDGE_FILE, thresholds_from(Settings(_env_file=None)))  # type: ignore[call-arg]
    warmup = make_messages(plan.warmup_messages, plan.warmup_users, SEED - 1)
    messages = make_messages(plan.messages, plan.users, SEED)
    results: dict[tuple[str, str], list[RunResult]] = {}
    for mode, run in MODES.items():
        for kind in ("echo", "bot"):
            await run(kind, warmup, workdir, live)
        for repetition in range(plan.repetitions):
            # Alternate which bot goes first, so a drift in machine load hits both alike.
            order = ("echo", "bot") if repetition % 2 == 0 else ("bot", "echo")
            for kind in order:
                result = await run(kind, messages, workdir, live)
                results.setdefault((mode, kind), []).append(result)
                print(f"  {mode}, run {repetition + 1}: {describe_run(kind, result, plan)}")
    return results


def describe_run(kind: str, result: RunResult, plan: Plan) -> str:
    label = "real bot" if kind == "bot" else "echo bot"
    timing = (
        f"{result.elapsed:.2f} s, {result.rate(plan.messages):,.0f}/s"
        if result.elapsed != float("inf")
        else "INCOMPLETE (no answer for 10 s, or over the time limit)"
    )
    return (
        f"{label}: {timing}, {result.answered} answered, {result.failed} failed sendMessage, "
        f"CPU {result.cpu:.2f} s"
    )


def throughput_rows(results: dict[tuple[str, str], list[RunResult]], plan: Plan) -> list[list[str]]:
    """One row per mode (answers per second, ratio) and one for CPU per answer."""
    n, rows = plan.messages, []
    for mode in MODES:
        bot_runs, echo_runs = results[(mode, "bot")], results[(mode, "echo")]
        complete = all(r.elapsed != float("inf") for r in bot_runs + echo_runs)
        bot_rates = [r.rate(n) for r in bot_runs]
        echo_rates = [r.rate(n) for r in echo_runs]
        bot_rate, echo_rate = statistics.median(bot_rates), statistics.median(echo_rates)
        ratio = bot_rate / echo_rate if echo_rate else 0.0
        rows.append(
            [
                f"answers/s, fake in {mode} ({n:,} readers, one question each)",
                f"{bot_rate:,.0f}/s",
                spread(bot_rates),
                f"echo bot {echo_rate:,.0f}/s ({spread(echo_rates)})",
                f"{ratio:.2f}x",
                f">= {TARGET_RATIO}x echo",
                "PASS" if complete and ratio >= TARGET_RATIO else "MISS",
            ]
        )
        bot_cpu = statistics.median(r.cpu / n for r in bot_runs)
        echo_cpu = statistics.median(r.cpu / n for r in echo_runs)
        rows.append(
            [
                f"  bot process CPU per answer, fake in {mode}",
                f"{bot_cpu * 1e3:.2f} ms",
                spread([r.cpu for r in bot_runs]),
                f"echo bot {echo_cpu * 1e3:.2f} ms",
                f"{bot_cpu / echo_cpu:.2f}x" if echo_cpu else "-",
                "-",
                "",
            ]
        )
    return rows


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer messages and runs")
    parser.add_argument(
        "--connections",
        type=int,
        help=f"the bot's connections (app.py: {app_module.SEND_CONNECTIONS})",
    )
    parser.add_argument(
        "--unbounded", action="store_true", help="hand httpx every request at once (as before)"
    )
    parser.add_argument("--serve-fake", metavar="FILE", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.serve_fake:
        return serve_fake(args.serve_fake)
    if args.connections:
        app_module.SEND_CONNECTIONS = args.connections
    app_module.BOUND_IN_FLIGHT = not args.unbounded
    plan = QUICK if args.quick else FULL
    print(
        f"throughput benchmark{' (--quick)' if args.quick else ''}: {plan.messages:,} private "
        f"questions from {plan.users:,} distinct readers queued before polling starts; median "
        f"of {plan.repetitions} alternating runs per bot and mode after one warm-up each "
        f"({plan.warmup_messages} messages); spread = (max - min) / median",
        flush=True,
    )
    with tempfile.TemporaryDirectory(prefix="bench-throughput-") as tmp:
        results = asyncio.run(benchmark(plan, Path(tmp)))
        waited = asyncio.run(fairness_wait(Path(tmp)))
    rows = throughput_rows(results, plan)
    rows.append(
        [
            f"fairness: a private reader's wait while a group's {FAIRNESS_MEMBERS} are throttled",
            f"{waited:.2f} s",
            "n=1",
            "-",
            "-",
            f"<= {FAIRNESS_TARGET_S:.0f} s",
            "PASS" if waited <= FAIRNESS_TARGET_S else "MISS",
        ]
    )
    print()
    print_table(
        rows, ("measure", "value", "spread", "baseline (same run)", "vs baseline", "target", "")
    )
    print_notes(results, plan)
    return 0


def print_notes(results: dict[tuple[str, str], list[RunResult]], plan: Plan) -> None:
    bot_params = results[("own process", "bot")][-1].send_params
    echo_params = results[("own process", "echo")][-1].send_params
    bot_server, echo_server = server_cost_us(bot_params), server_cost_us(echo_params)
    notes = [
        (
            "same for both",
            f"a fresh FakeBotAPI per run on 127.0.0.1, in a process of its own or in ours; the "
            f"same {plan.messages:,} updates queued before polling; 64 updates handled at once; "
            f"{GET_UPDATES_POOL} connections for getUpdates; {REQUEST_TIMEOUT:.0f} s timeouts; "
            f"long poll {POLL_TIMEOUT} s; no rate limiter",
        ),
        (
            "real bot only",
            f"{app_module.SEND_CONNECTIONS} connections for sending, "
            + (
                "every request handed to httpx at once"
                if not app_module.BOUND_IN_FLIGHT
                else f"at most {app_module.SEND_CONNECTIONS} requests handed to httpx at once"
            )
            + " (app.py); the full handler chain (commands, filters), "
            f"flood guard (limit {FLOOD_LIMIT:,}), per-chat update slots, matching, an HTML "
            "reply with an inline keyboard, the RetryingLimiter (rate_limit=False: retries "
            "only), counts and unanswered questions queued for the SQLite log, the jobs; "
            "command menus set before the clock starts",
        ),
        (
            "echo bot only",
            f"{ECHO_SEND_POOL} connections for sending, no bound on requests handed to httpx; "
            "one MessageHandler(filters.TEXT), a plain-text send_message",
        ),
        (
            "replies",
            f"real bot {describe_replies(bot_params)}; echo bot {describe_replies(echo_params)}",
        ),
        (
            "fairness",
            f"the real bot with the rate limiter on and BOT_CHAT_BACKLOG 4; {FAIRNESS_MEMBERS} "
            "/ask in one group, then one private question once the group's first reply is out",
        ),
    ]
    if bot_server is not None and echo_server is not None:
        notes.append(
            (
                "fake server",
                "validating each reply (HTML parsing, keyboard checks) costs it "
                f"{bot_server:.1f} µs for the real bot's and {echo_server:.1f} µs for the "
                "echo bot's",
            )
        )
    print()
    for label, text in notes:
        print(textwrap.fill(text, 100, initial_indent=f"{label}: ", subsequent_indent="  "))


if __name__ == "__main__":
    sys.exit(main())
