"""``python -m bot review``: teach the bot from the log, one suggestion at a time, in a terminal.

A thin loop over ``bot.maintenance.review_session.ReviewSession``: it prints a suggestion (the
question and its variants, how often it was asked, what readers picked, the candidate entries
with their first question and score) and reads one key a line — ``1``-``3`` adds the question as
a phrasing of that candidate, ``o`` records it as out of scope, ``s`` skips, ``u`` undoes the last
edit, ``q`` quits. When the guard rails find something, it asks "save anyway? [y/N]". Works with
piped stdin (end of input quits). ``--json`` prints the suggestions for scripts instead.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from bot.cli.support import CliError, cli_knowledge, cli_settings
from bot.core.thresholds import thresholds_from

if TYPE_CHECKING:  # imported when the command runs: `ask` starts without ruamel.yaml
    from bot.maintenance.review import Suggestion
    from bot.maintenance.review_session import ReviewSession

KEYS = "1-3: add as a phrasing of that entry · o: not in the article · s: skip · u: undo · q: quit"


def show(suggestion: Suggestion, number: int, total: int, out: TextIO) -> None:
    """Print one suggestion with its numbered candidate entries."""
    label = "👎 answered" if suggestion.kind == "disliked" else "not answered"
    print(f"\n[{number}/{total}] {label}: {suggestion.headline()}", file=out)
    print(f"  “{suggestion.question}”", file=out)
    for variant in suggestion.variants:
        if variant != suggestion.question:
            print(f"     also: “{variant}”", file=out)
    for index, option in enumerate(suggestion.options, 1):
        picked = f", picked by {option.picked}" if option.picked else ""
        print(
            f"  {index}) {option.entry_id} ({option.score:.0f}{picked}): {option.question}",
            file=out,
        )
    if not suggestion.options:
        print("  (no entry comes close: o if the article does not answer it)", file=out)
    print(f"  {KEYS}", file=out)


def _keys(source: TextIO, out: TextIO) -> Iterator[str]:
    while True:
        print("> ", end="", file=out, flush=True)
        line = source.readline()
        if not line:
            print(file=out)
            return
        yield line.strip().lower()


def _add(session: ReviewSession, option: int, ask: Callable[[], str], out: TextIO) -> None:
    plan = session.plan_add(option)
    if plan.warnings:
        print("  before saving, note:", file=out)
        for warning in plan.warnings:
            print(f"    ⚠ {warning}", file=out)
        print("  save anyway? [y/N] ", end="", file=out, flush=True)
        if ask() not in ("y", "yes"):
            session.skip()
            print("  skipped: nothing written", file=out)
            return
    print(f"  ✔ {session.save(plan)}", file=out)


def _act(session: ReviewSession, key: str, ask: Callable[[], str], out: TextIO) -> None:
    if key.isdigit():
        _add(session, int(key) - 1, ask, out)
    elif key == "o":
        print(f"  ✔ {session.out_of_scope()}", file=out)
    elif key == "s":
        session.skip()
    elif key == "u":
        print(f"  ↩ {session.undo()}", file=out)
    else:
        print(f"  ? {KEYS}", file=out)


def run_loop(session: ReviewSession, source: TextIO, out: TextIO) -> None:
    """Show suggestions and apply keys until the last suggestion, ``q`` or end of input."""
    from bot.maintenance.knowledge_edit import EditRefused

    keys = _keys(source, out)
    shown = -1
    while session.current is not None or session.done:
        if session.current is not None and shown != session.position:
            show(session.current, session.position + 1, len(session.suggestions), out)
            shown = session.position
        elif session.current is None and shown != session.position:
            print("\nNo more suggestions (u: undo the last edit, q: quit).", file=out)
            shown = session.position
        key = next(keys, "q")
        if key in ("q", "quit"):
            break
        try:
            _act(session, key, lambda: next(keys, "n"), out)
        except EditRefused as exc:
            print(f"  ✘ {exc}", file=out)
    edits = len(session.done)
    print(f"\n{edits} edit(s) kept. Check with: python -m bot validate && make eval", file=out)


def cmd_review(args: argparse.Namespace) -> int:
    """Review declined, did-you-mean and 👎'd questions from the log, most evidence first."""
    from bot.maintenance.regressions import decided_questions
    from bot.maintenance.reports import parse_since
    from bot.maintenance.review import suggestions, suggestions_json
    from bot.maintenance.review_session import ReviewSession
    from bot.maintenance.store import Store

    settings = cli_settings()
    path = Path(args.knowledge or settings.knowledge_file)
    regressions = Path(args.regressions or settings.regressions_file)
    knowledge = cli_knowledge(settings, str(path))
    store = Store(settings.db_path)
    try:
        since = parse_since(args.since)
    except ValueError as exc:
        raise CliError(str(exc)) from exc
    found = suggestions(
        store, knowledge, since=since, limit=args.limit, decided=decided_questions(regressions)
    )
    if args.json:
        print(suggestions_json(found))
        return 0
    if not found:
        print("Nothing to review: no unanswered or 👎'd questions in the log.")
        return 0
    session = ReviewSession(
        path, regressions, knowledge, found, store, thresholds=thresholds_from(settings)
    )
    run_loop(session, sys.stdin, sys.stdout)
    store.close()
    return 0


def add_review_command(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register ``review`` and its help text on the ``python -m bot`` parser."""
    review = sub.add_parser(
        "review",
        help="teach the bot from the log, one suggestion at a time",
        description=f"{cmd_review.__doc__} Keys: {KEYS}.",
    )
    review.add_argument("--json", action="store_true", help="print the suggestions as JSON")
    review.add_argument("--since", help="only since this date (YYYY-MM-DD) or '7d', '24h'")
    review.add_argument("--limit", type=int, default=20, help="how many suggestions (default 20)")
    review.add_argument("--knowledge", help="knowledge file (default: BOT_KNOWLEDGE_FILE)")
    review.add_argument(
        "--regressions",
        help="where out-of-scope decisions go (default: BOT_REGRESSIONS_FILE)",
    )
    review.set_defaults(func=cmd_review)
