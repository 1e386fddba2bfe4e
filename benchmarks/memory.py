"""Memory: peak RSS of the running bot (``python -m bot run``) under load, against an echo bot.

What it measures (all in one run, because the machine is shared and noisy):

1. ``python -m bot run`` as a subprocess of the same interpreter, pointed at a fresh
   ``tests.support.fake_bot_api.FakeBotAPI`` on 127.0.0.1 (``BOT_TOKEN``, ``BOT_API_BASE_URL``),
   with ``BOT_DB_PATH`` in a temporary directory, ``BOT_POLL_TIMEOUT=1`` and ``BOT_FLOOD_LIMIT``
   1,000,000 (every other setting at its default: shipped knowledge, rate limiter on, hot reload
   every 3 s).  Once it polls (its first ``getUpdates``), 500 private questions from 50 readers (a
   deterministic random mix of ``tests/data/questions.yaml``) are queued; when the fake has accepted
   all 500 answers, its peak resident set size is read from ``/proc/<pid>/status`` (``VmHWM``) and
   the process is stopped with SIGTERM.
   Target: <= 120 MiB.
2. Baseline, same procedure and the same questions: a bare python-telegram-bot echo bot (a
   tiny script written to a temporary file, networked like the real bot: concurrent updates,
   16 + 2 connections, 10 s timeouts) run with the same interpreter.  The difference is the
   bot's own share.  Also for context: the peak RSS of ``python -c "import telegram.ext"``, of
   ``python -c "import bot.telegram_bot.app"`` and of ``python -c pass`` (each command ends by
   printing its own ``VmHWM``), and each bot's RSS when idle and polling, before the load.

Why ``VmHWM`` and not ``ru_maxrss`` from ``os.wait4``: a child's ``ru_maxrss`` starts from the
peak of the process it was forked from (Linux carries the old memory map's high-water mark
across ``exec``), so it would report this script's own size for any smaller child.
``VmHWM`` belongs to the child's own memory map and starts afresh at ``exec``.

The real bot runs with its rate limiter on (as deployed), so its 500 answers take ~20 s at
Telegram's pace while the echo bot answers as fast as it can; RSS, not speed, is measured here.
Repetitions (3; 1 with ``--quick``) alternate the two bots; medians are reported, with
spread = (max - min) / median.  MiB = 2^20 bytes (``/proc`` reports kB of 1,024 bytes).
The script reports what it measured and exits 0 whether the target passes or misses.
"""

from __future__ import annotations

# The repository root must be on sys.path before the project imports below.
# ruff: noqa: E402
import argparse
import os
import random
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import yaml

from benchmarks._report import print_table, spread
from tests.support.fake_bot_api import FakeBotAPI

QUESTIONS_FILE = ROOT / "tests" / "data" / "questions.yaml"
TARGET_MIB = 120.0
SEED = 20240601
FIRST_USER_ID = 60_000
QUESTIONS = 500
READERS = 50
START_LIMIT_S = 60.0
ANSWER_LIMIT_S = 180.0
STOP_LIMIT_S = 20.0

BOT_RUN = [sys.executable, "-m", "bot", "run"]
# Each short command prints its own /proc/self/status last (see the docstring for why).
SELF_STATUS = "import sys; sys.stdout.write(open('/proc/self/status').read())"
IMPORT_PTB = [sys.executable, "-c", f"import telegram.ext; {SELF_STATUS}"]
IMPORT_BOT = [sys.executable, "-c", f"import bot.telegram_bot.app; {SELF_STATUS}"]
BARE = [sys.executable, "-c", f"pass; {SELF_STATUS}"]

ECHO_BOT = '''\
"""A bare python-telegram-bot echo bot, networked like bot.telegram_bot.app."""

import os

from telegram import Update
from telegram.ext import ApplicationBuilder, ContextTypes, MessageHandler, filters
from telegram.request import HTTPXRequest

POLL_TIMEOUT = int(os.environ["BOT_POLL_TIMEOUT"])
TIMEOUT = 10.0


async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    message = update.effective_message
    if message is not None and message.text:
        await context.bot.send_message(chat_id=message.chat_id, text=message.text)


application = (
    ApplicationBuilder()
    .token(os.environ["BOT_TOKEN"])
    .base_url(os.environ["BOT_API_BASE_URL"])
    .concurrent_updates(True)
    .connection_pool_size(16)
    .get_updates_request(
        HTTPXRequest(
            connection_pool_size=2,
            read_timeout=POLL_TIMEOUT + TIMEOUT,
            connect_timeout=TIMEOUT,
            write_timeout=TIMEOUT,
            pool_timeout=TIMEOUT,
        )
    )
    .read_timeout(TIMEOUT)
    .write_timeout(TIMEOUT)
    .connect_timeout(TIMEOUT)
    .pool_timeout(TIMEOUT)
    .build()
)
application.add_handler(MessageHandler(filters.TEXT, echo))
application.run_polling(allowed_updates=Update.ALL_TYPES, timeout=POLL_TIMEOUT)
'''


@dataclass
class BotRun:
    """One bot process under load; sizes in KiB, ``None`` when the step failed."""

    peak_kib: int | None = None  # VmHWM after all answers, before SIGTERM
    rss_kib: int | None = None  # VmRSS at the same moment
    idle_kib: int | None = None  # VmRSS once polling, before any question
    answer_s: float | None = None  # seconds from queuing the questions to the last answer
    answered: int = 0
    exit_code: int | None = None
    error: str = ""


def make_messages(count: int, users: int, seed: int) -> list[tuple[int, str]]:
    """``(user id, question)`` pairs: round-robin over readers, questions drawn at random."""
    data = yaml.safe_load(QUESTIONS_FILE.read_text(encoding="utf-8"))
    questions = [str(item["text"]) for item in data["questions"]]
    rng = random.Random(seed)
    return [(FIRST_USER_ID + i % users, rng.choice(questions)) for i in range(count)]


def proc_status(pid: int) -> dict[str, int]:
    """The ``Vm*`` lines of ``/proc/<pid>/status``, in KiB."""
    values: dict[str, int] = {}
    with open(f"/proc/{pid}/status", encoding="utf-8") as status:
        for line in status:
            name, _, rest = line.partition(":")
            if name.startswith("Vm") and rest.strip().endswith("kB"):
                values[name] = int(rest.split()[0])
    return values


def stop(process: subprocess.Popen[bytes], timeout: float) -> int | None:
    """SIGTERM, then SIGKILL after ``timeout`` s; return the exit code (None: killed)."""
    process.send_signal(signal.SIGTERM)
    try:
        return process.wait(timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(5.0)
        return None


def run_bot(command: Sequence[str], messages: Sequence[tuple[int, str]], workdir: Path) -> BotRun:
    """Start a bot process against a fresh fake, load it, read its memory, stop it."""
    result = BotRun()
    n = len(messages)
    with FakeBotAPI() as fake:
        env = {k: v for k, v in os.environ.items() if not k.startswith("BOT_")}
        env.update(
            BOT_TOKEN=fake.token,
            BOT_API_BASE_URL=fake.base_url,
            BOT_DB_PATH=str(workdir / f"log-{time.monotonic_ns()}.sqlite3"),
            BOT_POLL_TIMEOUT="1",
            BOT_FLOOD_LIMIT="1000000",
        )
        log_path = workdir / f"bot-{time.monotonic_ns()}.log"
        with open(log_path, "w", encoding="utf-8") as log:
            process = subprocess.Popen(
                list(command), cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT
            )
        try:
            deadline = time.monotonic() + START_LIMIT_S
            while not fake.calls_to("getUpdates"):
                if process.poll() is not None:
                    raise RuntimeError(f"exited with status {process.returncode} before polling")
                if time.monotonic() > deadline:
                    raise RuntimeError(f"not polling after {START_LIMIT_S:.0f} s")
                time.sleep(0.05)
            time.sleep(0.5)  # let start-up settle before reading the idle size
            result.idle_kib = proc_status(process.pid).get("VmRSS")
            start = time.perf_counter()
            for user_id, text in messages:
                fake.push_message(text, chat_id=user_id, user_id=user_id)
            deadline = time.monotonic() + ANSWER_LIMIT_S
            while len(fake.sent_messages) < n:
                if process.poll() is not None:
                    raise RuntimeError(f"exited with status {process.returncode} while answering")
                if time.monotonic() > deadline:
                    raise RuntimeError(
                        f"{len(fake.sent_messages)} of {n} answers after {ANSWER_LIMIT_S:.0f} s"
                    )
                time.sleep(0.01)
            result.answer_s = time.perf_counter() - start
            status = proc_status(process.pid)
            result.peak_kib, result.rss_kib = status.get("VmHWM"), status.get("VmRSS")
        except RuntimeError as exc:
            result.error = str(exc)
        finally:
            if process.poll() is None:
                result.exit_code = stop(process, STOP_LIMIT_S)
                if result.exit_code is None:
                    result.error = result.error or f"did not stop within {STOP_LIMIT_S:.0f} s"
            else:
                result.exit_code = process.returncode
            result.answered = sum(1 for call in fake.calls_to("sendMessage") if call.ok)
        if result.error:
            tail = log_path.read_text(encoding="utf-8", errors="replace").splitlines()[-15:]
            result.error += "\n    " + "\n    ".join(tail)
    return result


def self_reported_peak(command: Sequence[str]) -> int:
    """Peak RSS (KiB): the ``VmHWM`` a short command prints from its own status at the end."""
    done = subprocess.run(
        list(command), cwd=ROOT, capture_output=True, text=True, timeout=120, check=False
    )
    for line in done.stdout.splitlines():
        if done.returncode == 0 and line.startswith("VmHWM:"):
            return int(line.split()[1])
    raise RuntimeError(f"{command[-1]!r} exited with status {done.returncode}: {done.stderr}")


# --------------------------------------------------------------------------- reporting


def mib(kib: float) -> str:
    return f"{kib / 1024:,.1f} MiB"


def median_of(values: Sequence[int | None]) -> tuple[float | None, str]:
    known = [v for v in values if v is not None]
    if not known:
        return None, "-"
    return statistics.median(known), spread(known)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="one run of each bot")
    args = parser.parse_args(argv)
    repetitions = 1 if args.quick else 3
    print(
        f"memory benchmark{' (--quick)' if args.quick else ''}: {QUESTIONS} questions from "
        f"{READERS} readers per bot run; median of {repetitions} alternating run(s) per bot; "
        f"spread = (max - min) / median",
        flush=True,
    )
    messages = make_messages(QUESTIONS, READERS, SEED)
    runs: dict[str, list[BotRun]] = {"bot": [], "echo": []}
    with tempfile.TemporaryDirectory(prefix="bench-memory-") as tmp:
        workdir = Path(tmp)
        echo_script = workdir / "echo_bot.py"
        echo_script.write_text(ECHO_BOT, encoding="utf-8")
        commands = {"bot": BOT_RUN, "echo": [sys.executable, str(echo_script)]}
        for repetition in range(repetitions):
            order = ("echo", "bot") if repetition % 2 == 0 else ("bot", "echo")
            for kind in order:
                run = run_bot(commands[kind], messages, workdir)
                runs[kind].append(run)
                label = "python -m bot run" if kind == "bot" else "echo bot"
                if run.error:
                    print(f"  run {repetition + 1} {label}: FAILED: {run.error}", flush=True)
                    continue
                print(
                    f"  run {repetition + 1} {label}: idle {mib(run.idle_kib or 0)}, peak "
                    f"(VmHWM) {mib(run.peak_kib or 0)}, RSS {mib(run.rss_kib or 0)} after "
                    f"{run.answered} answers in {run.answer_s or 0:.1f} s; exit status "
                    f"{run.exit_code} after SIGTERM",
                    flush=True,
                )
        small: dict[str, list[int]] = {"bare": [], "ptb": [], "bot": []}
        for _ in range(repetitions):
            small["bare"].append(self_reported_peak(BARE))
            small["ptb"].append(self_reported_peak(IMPORT_PTB))
            small["bot"].append(self_reported_peak(IMPORT_BOT))

    bot_peak, bot_spread = median_of([r.peak_kib for r in runs["bot"]])
    echo_peak, echo_spread = median_of([r.peak_kib for r in runs["echo"]])
    bot_idle, bot_idle_spread = median_of([r.idle_kib for r in runs["bot"]])
    echo_idle, _ = median_of([r.idle_kib for r in runs["echo"]])
    bare, ptb, bot_import = (statistics.median(small[k]) for k in ("bare", "ptb", "bot"))
    complete = all(not r.error for r in runs["bot"])
    rows = [
        [
            f"python -m bot run: peak RSS (VmHWM) after {QUESTIONS} answers",
            mib(bot_peak) if bot_peak is not None else "failed",
            bot_spread,
            f"echo bot {mib(echo_peak)} ({echo_spread})" if echo_peak is not None else "-",
            f"+{mib(bot_peak - echo_peak)}"
            if bot_peak is not None and echo_peak is not None
            else "-",
            f"<= {TARGET_MIB:.0f} MiB",
            "PASS"
            if complete and bot_peak is not None and bot_peak / 1024 <= TARGET_MIB
            else "MISS",
        ],
        [
            "python -m bot run: RSS idle, polling, before questions",
            mib(bot_idle) if bot_idle is not None else "-",
            bot_idle_spread,
            f"echo bot {mib(echo_idle)}" if echo_idle is not None else "-",
            f"+{mib(bot_idle - echo_idle)}"
            if bot_idle is not None and echo_idle is not None
            else "-",
            "-",
            "",
        ],
        [
            'python -c "import bot.telegram_bot.app": peak RSS',
            mib(bot_import),
            spread(small["bot"]),
            f"import telegram.ext {mib(ptb)}",
            f"+{mib(bot_import - ptb)}",
            "-",
            "",
        ],
        [
            'python -c "import telegram.ext": peak RSS',
            mib(ptb),
            spread(small["ptb"]),
            f"python -c pass {mib(bare)}",
            f"+{mib(ptb - bare)}",
            "-",
            "",
        ],
    ]
    print()
    print_table(
        rows, ("measure", "value", "spread", "baseline (same run)", "vs baseline", "target", "")
    )
    if not complete:
        print("note: a run of the bot failed (see above); the target counts as missed")
    print(
        "note: the bot runs as deployed (rate limiter on, hot reload every 3 s, SQLite log, "
        "knowledge and matcher index in memory); the echo bot has none of these. VmHWM is the "
        "peak over the whole life of the process, start-up included."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
