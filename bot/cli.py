"""Command-line interface: ``python -m bot COMMAND``, a thin layer over the answering core.

Commands: ``ask`` (one question, or a batch with ``--json -``), ``chat`` (interactive terminal
chat), ``validate``, ``eval`` and ``explain`` (for maintainers), ``unanswered`` and ``feedback``
(reports from the maintainers' log), ``run`` (the Telegram bot) and ``start`` (the Telegram bot
when a token is configured, the terminal chat otherwise). Only ``run``/``start`` ever import
``telegram``.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from pydantic import ValidationError

from bot.knowledge import KnowledgeError
from bot.loader import Knowledge, load_knowledge
from bot.replies import Reply, answer_reply, reply_to
from bot.settings import Settings, load_settings, settings_error

DEFAULT_QUESTIONS = Path("tests/data/questions.yaml")


class CliError(Exception):
    """A failure to report on stderr with exit status ``code``."""

    def __init__(self, message: str, code: int = 2) -> None:
        super().__init__(message)
        self.code = code


def _settings() -> Settings:
    try:
        return load_settings()
    except ValidationError as exc:
        raise CliError(settings_error(exc)) from exc


def _knowledge(settings: Settings, path: str | None = None, *, thorough: bool = True) -> Knowledge:
    try:
        return load_knowledge(
            path or settings.knowledge_file, settings.thresholds, thorough=thorough
        )
    except KnowledgeError as exc:
        raise CliError(f"The knowledge file has problems:\n{exc}", 1) from exc


def reply_as_json(question: str, reply: Reply) -> dict:
    """Return the JSON object ``ask --json`` prints for one question."""
    match = reply.match
    best = match.best if match else None
    matched = reply.kind == "answer"
    entry = None
    if matched and best is not None:
        entry = best.entry
    suggestions = []
    if match is not None and reply.kind == "suggest":
        from bot.replies import display_question

        suggestions = [
            {"entry": c.entry.id, "question": display_question(c.entry), "score": c.score}
            for c in match.suggestions
        ]
    return {
        "question": question,
        "matched": matched,
        "kind": reply.kind,
        "entry": entry.id if entry else None,
        "answer": entry.answer if entry else None,
        "sentence": entry.sentence if entry else None,
        "score": best.score if best else None,
        "suggestions": suggestions,
        "reply": reply.text,
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
    knowledge = _knowledge(_settings(), thorough=False)
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
    knowledge = _knowledge(_settings(), thorough=False)
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


def cmd_explain(args: argparse.Namespace) -> int:
    """Show how a question is read, scored and decided, to fix a wrong or missing answer."""
    from bot.explaining import explain

    knowledge = _knowledge(_settings(), args.knowledge, thorough=False)
    print(explain(knowledge.matcher, args.question))
    return 0


def cmd_validate(args: argparse.Namespace) -> int:
    """Check a knowledge file; exit 0 when valid, 1 with every problem listed."""
    settings = _settings()
    path = Path(args.path or settings.knowledge_file)
    try:
        knowledge = load_knowledge(path, settings.thresholds)
    except KnowledgeError as exc:
        errors = [p for p in exc.problems if p.severity == "error"]
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        print(f"{path}: INVALID ({len(errors)} error(s))", file=sys.stderr)
        return 1
    for problem in knowledge.warnings:
        print(problem)
    entries = len(knowledge.entries)
    phrasings = knowledge.matcher.phrasing_count
    sentences = len(knowledge.article.sentences)
    print(
        f"{path}: OK: {entries} entries, {phrasings} questions, "
        f"{sentences} article sentences, {len(knowledge.warnings)} warning(s)"
    )
    return 0


def cmd_eval(args: argparse.Namespace) -> int:
    """Evaluate the knowledge file against labelled question sets."""
    from bot.evaluation import format_overview, format_report, load_labelled, unknown_labels

    knowledge = _knowledge(_settings(), args.knowledge)
    sets = []
    for name in args.files or [str(DEFAULT_QUESTIONS)]:
        path = Path(name)
        try:
            items = load_labelled(path)
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise CliError(f"{path}: cannot read the labelled questions: {exc}") from exc
        stale = unknown_labels(items, set(knowledge.by_id))
        if stale:
            print(
                f"warning: {path}: labels name unknown entries: {', '.join(stale)}", file=sys.stderr
            )
        sets.append((name, items))
    if len(sets) == 1:
        print(format_report(knowledge.matcher, sets[0][1], show_sweep=not args.no_sweep))
    else:
        print(format_overview(knowledge.matcher, sets))
    return 0


def cmd_unanswered(args: argparse.Namespace) -> int:
    """Report declined and low-confidence questions, grouped and counted."""
    from bot.reports import unanswered_report

    settings = _settings()
    knowledge = _knowledge(settings)
    print(unanswered_report(settings.db_path, knowledge, args.since, args.limit, args.json))
    return 0


def cmd_feedback(args: argparse.Namespace) -> int:
    """Report entries by 👍/👎 feedback, most 👎 first."""
    from bot.reports import feedback_report

    settings = _settings()
    print(feedback_report(settings.db_path, args.limit, args.json))
    return 0


def cmd_run(args: argparse.Namespace) -> int:
    """Run the Telegram bot (polling, or webhook when BOT_WEBHOOK_URL is set)."""
    settings = _settings()
    if settings.token is None:
        raise CliError(
            "BOT_TOKEN is not set. Create a bot with @BotFather in Telegram, then put\n"
            "BOT_TOKEN=123456:ABC... in the environment or in .env (see README)."
        )
    from bot.telegram_bot.app import run_bot

    try:
        run_bot(settings)
    except KnowledgeError as exc:
        raise CliError(f"The knowledge file has problems:\n{exc}", 1) from exc
    return 0


def cmd_start(args: argparse.Namespace) -> int:
    """Start the Telegram bot when BOT_TOKEN is set, the terminal chat otherwise."""
    settings = _settings()
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

    explain = sub.add_parser(
        "explain", help="show how a question is scored", description=cmd_explain.__doc__
    )
    explain.add_argument("question", help="the question to explain")
    explain.add_argument("--knowledge", help="knowledge file (default: BOT_KNOWLEDGE_FILE)")
    explain.set_defaults(func=cmd_explain)

    chat = sub.add_parser("chat", help="chat in the terminal", description=cmd_chat.__doc__)
    chat.set_defaults(func=cmd_chat)

    validate = sub.add_parser(
        "validate", help="check the knowledge file", description=cmd_validate.__doc__
    )
    validate.add_argument("path", nargs="?", help="knowledge file (default: BOT_KNOWLEDGE_FILE)")
    validate.set_defaults(func=cmd_validate)

    evaluate = sub.add_parser(
        "eval", help="score against labelled questions", description=cmd_eval.__doc__
    )
    evaluate.add_argument(
        "files",
        nargs="*",
        metavar="FILE",
        help="labelled file(s); one gives the full report, several one line each "
        f"(default: {DEFAULT_QUESTIONS})",
    )
    evaluate.add_argument("--knowledge", help="knowledge file (default: BOT_KNOWLEDGE_FILE)")
    evaluate.add_argument("--no-sweep", action="store_true", help="skip the threshold sweep")
    evaluate.set_defaults(func=cmd_eval)

    unanswered = sub.add_parser(
        "unanswered", help="questions the bot could not answer", description=cmd_unanswered.__doc__
    )
    unanswered.add_argument("--since", help="only since this date (YYYY-MM-DD) or '7d', '24h'")
    unanswered.add_argument("--limit", type=int, default=20, help="how many groups (default 20)")
    unanswered.add_argument("--json", action="store_true", help="print JSON")
    unanswered.set_defaults(func=cmd_unanswered)

    feedback = sub.add_parser(
        "feedback", help="entries with the most 👎", description=cmd_feedback.__doc__
    )
    feedback.add_argument("--limit", type=int, default=20, help="how many entries (default 20)")
    feedback.add_argument("--json", action="store_true", help="print JSON")
    feedback.set_defaults(func=cmd_feedback)

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
        return args.func(args)
    except CliError as exc:
        print(str(exc), file=sys.stderr)
        return exc.code
    except BrokenPipeError:
        return 0
