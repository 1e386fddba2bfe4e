"""Command-line interface: ``python -m bot COMMAND``, a thin layer over the answering core.

Readers' commands live here: ``ask`` (one question, or a batch with ``--json -``), ``chat``
(interactive terminal chat), ``run`` (the Telegram bot) and ``start`` (the Telegram bot when a
token is configured, the terminal chat otherwise). The maintainers' ``validate``, ``eval``,
``explain``, ``unanswered`` and ``feedback`` are in ``bot.cli.maintainers``. Only
``run``/``start`` ever import ``telegram``.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from typing import Any, TextIO

from bot.cli.maintainers import add_maintainer_commands
from bot.cli.support import CliError, cli_knowledge, cli_settings
from bot.core.match_result import MatchResult
from bot.core.replies import Reply, answer_reply, reply_to
from bot.knowledge.schema import KnowledgeError


def reply_as_json(question: str, reply: Reply) -> dict[str, Any]:
    """Return the JSON object ``ask --json`` prints for one question."""
    match = reply.match
    best = match.best if match else None
    matched = reply.kind == "answer"
    entry = None
    if matched and best is not None:
        entry = best.entry
    suggestions = []
    if reply.kind in ("suggest", "decline"):
        scores = {c.entry.id: c.score for c in match.candidates} if match else {}
        suggestions = [
            {"entry": b.value, "question": b.label, "score": scores.get(b.value)}
            for row in reply.buttons
            for b in row
            if b.action == "answer"
        ]
    return {
        "question": question,
        "matched": matched,
        "kind": reply.kind,
        "entry": entry.id if entry else None,
        "answer": entry.answer if entry else None,
        "sentence": entry.sentence if entry else None,
        "score": best.score if best else None,
        "also": _companion_json(match) if matched and match else None,
        "suggestions": suggestions,
        "lacks": (match.lacks or None) if match else None,
        "reply": reply.text,
    }


def _companion_json(match: MatchResult) -> dict[str, Any] | None:
    """Return the sibling entry an answer gave too (``MatchResult.companion``), if any."""
    if match.companion is None:
        return None
    entry = match.companion.entry
    return {
        "entry": entry.id,
        "answer": entry.answer,
        "sentence": entry.sentence,
        "score": match.companion.score,
    }


def _print_buttons(reply: Reply, out: TextIO) -> list[str]:
    choices = [b.value for row in reply.buttons for b in row if b.action == "answer"]
    labels = [b.label for row in reply.buttons for b in row if b.action == "answer"]
    if choices and reply.kind == "answer":
        print(
            "\nRelated: " + "  ".join(f"[{i}] {lab}" for i, lab in enumerate(labels, 1)), file=out
        )
    elif choices:
        last = len(choices)
        span = "1" if last == 1 else f"1-{last}"
        print(f"(type a number to pick: {span} for the questions above, in order)", file=out)
    return choices


def cmd_ask(args: argparse.Namespace) -> int:
    """Answer one question (or one per stdin line with ``-``)."""
    knowledge = cli_knowledge(cli_settings(), thorough=False)
    if args.question == "-":
        for line in sys.stdin:
            question = line.rstrip("\n")
            if not question.strip():
                continue
            reply = reply_to(knowledge, question)
            if args.json:
                print(json.dumps(reply_as_json(question, reply), ensure_ascii=False), flush=True)
            else:
                print(reply.text + "\n", flush=True)
        return 0
    reply = reply_to(knowledge, args.question)
    if args.json:
        print(json.dumps(reply_as_json(args.question, reply), ensure_ascii=False))
    else:
        print(reply.text)
        _print_buttons(reply, sys.stdout)
    return 0


def cmd_chat(args: argparse.Namespace) -> int:
    """Run an interactive chat in the terminal; piped stdin works too."""
    knowledge = cli_knowledge(cli_settings(), thorough=False)
    interactive = sys.stdin.isatty()
    print(f"Ask me about: “{knowledge.article.headline}”")
    print("Type a question; 'quit' or Ctrl-D to leave.\n")
    choices: list[str] = []
    while True:
        if interactive:
            try:
                line = input("you> ")
            except (EOFError, KeyboardInterrupt):
                print()
                return 0
        else:
            raw = sys.stdin.readline()
            if not raw:
                return 0
            line = raw.rstrip("\n")
            print(f"you> {line}")
        text = line.strip()
        if text.lower() in ("quit", "exit", ":q"):
            return 0
        if not text:
            continue
        if text.isdecimal() and 1 <= int(text) <= len(choices):
            reply = answer_reply(knowledge, knowledge.by_id[choices[int(text) - 1]])
        else:
            reply = reply_to(knowledge, text)
        print("bot> " + reply.text.replace("\n", "\n     "))
        choices = _print_buttons(reply, sys.stdout)
        print()


def cmd_run(args: argparse.Namespace) -> int:
    """Run the Telegram bot (polling, or webhook when BOT_WEBHOOK_URL is set)."""
    settings = cli_settings()
    if settings.token is None:
        raise CliError(
            "BOT_TOKEN is not set. Create a bot with @BotFather in Telegram, then put\n"
            "BOT_TOKEN=123456:ABC... in the environment or in .env (see README)."
        )
    from bot.telegram_bot.app import run_bot
    from bot.telegram_bot.lifecycle import StartupError

    try:
        run_bot(settings)
    except KnowledgeError as exc:
        raise CliError(f"The knowledge file has problems:\n{exc}", 1) from exc
    except StartupError as exc:
        raise CliError(f"error: {exc}", 1) from None
    return 0


def cmd_start(args: argparse.Namespace) -> int:
    """Start the Telegram bot when BOT_TOKEN is set, the terminal chat otherwise."""
    settings = cli_settings()
    if settings.token is not None:
        return cmd_run(args)
    print(
        "BOT_TOKEN is not set, so here is the terminal chat. To run the Telegram bot, set\n"
        "BOT_TOKEN (environment or .env; see README) and run `make run` again.\n"
    )
    return cmd_chat(args)


def build_parser() -> argparse.ArgumentParser:
    """Build the argument parser with every command and its help text."""
    parser = argparse.ArgumentParser(
        prog="python -m bot",
        description="Answer questions about one news article, quoting it verbatim.",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    ask = sub.add_parser("ask", help="answer one question", description=cmd_ask.__doc__)
    ask.add_argument("question", help="the question, or - to read one question per line")
    ask.add_argument("--json", action="store_true", help="print one JSON object per question")
    ask.set_defaults(func=cmd_ask)

    chat = sub.add_parser("chat", help="chat in the terminal", description=cmd_chat.__doc__)
    chat.set_defaults(func=cmd_chat)

    add_maintainer_commands(sub)

    run = sub.add_parser("run", help="run the Telegram bot", description=cmd_run.__doc__)
    run.set_defaults(func=cmd_run)

    start = sub.add_parser(
        "start", help="Telegram bot if BOT_TOKEN is set, else chat", description=cmd_start.__doc__
    )
    start.set_defaults(func=cmd_start)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Parse arguments, run the command, and turn known failures into exit codes."""
    args = build_parser().parse_args(argv)
    try:
        code: int = args.func(args)
        return code
    except CliError as exc:
        print(str(exc), file=sys.stderr)
        return exc.code
    except BrokenPipeError:
        return 0
