"""Maintainers' commands: validate, eval, fit, explain, unanswered and feedback (and review).

Each is a thin layer over ``bot.knowledge.validation`` and ``bot.maintenance``;
``add_maintainer_commands`` registers them, with their help text, on the ``python -m bot`` parser
built in ``bot.cli.readers``.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Collection
from pathlib import Path
from typing import TYPE_CHECKING

from bot.cli.review import add_review_command
from bot.cli.support import CliError, cli_knowledge, cli_settings
from bot.core.thresholds import thresholds_from
from bot.knowledge.loader import load_knowledge
from bot.knowledge.schema import KnowledgeError

if TYPE_CHECKING:
    from bot.core.evidence import Evidence
    from bot.maintenance.labelled import Labelled

DEFAULT_QUESTIONS = Path("tests/data/questions.yaml")
DEFAULT_MANIFEST = Path("tests/data/sets.yaml")


def cmd_explain(args: argparse.Namespace) -> int:
    """Show how a question is read, scored and decided, to fix a wrong or missing answer."""
    from bot.maintenance.explaining import explain

    knowledge = cli_knowledge(cli_settings(), args.knowledge, thorough=False)
    print(explain(knowledge.matcher, args.question))
    return 0


def cmd_validate(args: argparse.Namespace) -> int:
    """Check a knowledge file; exit 0 when valid, 1 with every problem listed."""
    settings = cli_settings()
    path = Path(args.path or settings.knowledge_file)
    try:
        knowledge = load_knowledge(path, thresholds_from(settings))
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
    from bot.maintenance.evaluation import format_overview, format_report

    manifest_path = args.manifest
    if manifest_path is None and (args.readme_table or args.update_readme):
        manifest_path = str(DEFAULT_MANIFEST)
    if manifest_path is not None:
        if args.files:
            raise CliError("give labelled FILEs or --manifest, not both")
        return eval_manifest(args, Path(manifest_path))
    knowledge = cli_knowledge(cli_settings(), args.knowledge)
    sets = [
        (name, read_labelled(Path(name), knowledge.by_id))
        for name in args.files or [str(DEFAULT_QUESTIONS)]
    ]
    if len(sets) == 1:
        print(format_report(knowledge.matcher, sets[0][1], show_sweep=not args.no_sweep))
    else:
        print(format_overview(knowledge.matcher, sets))
    return 0


def eval_manifest(args: argparse.Namespace, path: Path) -> int:
    """Run every set of a manifest: the overview and the floors broken (exit 1), or its table."""
    from bot.maintenance.evaluation import format_overview_of, run
    from bot.maintenance.sets import (
        ManifestError,
        check_floors,
        load_manifest,
    )
    from bot.maintenance.sets_table import readme_table, replace_table

    try:
        manifest = load_manifest(path)
    except ManifestError as exc:
        raise CliError(f"{exc}\n{path}: INVALID manifest", 1) from exc
    knowledge = cli_knowledge(cli_settings(), args.knowledge)
    matcher = knowledge.matcher
    results = [
        (spec, run(matcher, read_labelled(manifest.path_of(spec), knowledge.by_id)))
        for spec in manifest.sets
    ]
    if args.readme_table or args.update_readme:
        table = readme_table(results, matcher.thresholds)
        if not args.update_readme:
            print(table)
            return 0
        readme = Path(args.update_readme)
        try:
            text = readme.read_text(encoding="utf-8")
            updated = replace_table(text, table)
        except (OSError, ValueError) as exc:
            raise CliError(f"{readme}: cannot update the sets table: {exc}", 1) from exc
        if updated == text:
            print(f"{readme}: the sets table is up to date")
        else:
            readme.write_text(updated, encoding="utf-8")
            print(f"{readme}: sets table rewritten from {path}")
        return 0
    named = [(str(manifest.path_of(spec)), outcomes) for spec, outcomes in results]
    print(format_overview_of(matcher.thresholds, named))
    broken = [line for spec, outcomes in results for line in check_floors(spec, outcomes)]
    if broken:
        print(f"\nbelow the floors set in {path}:")
        print("\n".join(f"  {line}" for line in broken))
        return 1
    print(f"\nevery set is within the floors set in {path}")
    return 0


def read_labelled(path: Path, known_ids: Collection[str]) -> list[Labelled]:
    """Load a labelled file; problems become a CliError (exit 1) listing file:line of each."""
    from bot.maintenance.labelled import LabelledFileError, load_labelled

    try:
        return load_labelled(path, known_ids)
    except LabelledFileError as exc:
        count = len(exc.problems)
        raise CliError(f"{exc}\n{path}: INVALID labelled file ({count} error(s))", 1) from exc


def cmd_fit(args: argparse.Namespace) -> int:
    """Fit the decision thresholds on labelled sets, with figures for each set left out.

    From a manifest, only the sets with status ``tune`` are fitted on, and a grid point must keep
    each of them within its floors; held-out and blind sets are measured with the thresholds now
    and the fitted ones, never fitted on.
    """
    from bot.maintenance.fitting import gather, report
    from bot.maintenance.sets import Floors, ManifestError, load_manifest

    knowledge = cli_knowledge(cli_settings(), args.knowledge, thorough=False)
    held_out: list[Path] = []
    floors: list[Floors | None] = []
    if args.files:
        paths = [Path(name) for name in args.files]
    else:
        try:
            manifest = load_manifest(Path(args.manifest))
        except ManifestError as exc:
            raise CliError(f"{exc}\n{args.manifest}: INVALID manifest", 1) from exc
        paths = [manifest.path_of(spec) for spec in manifest.sets if spec.status == "tune"]
        floors = [spec.floors for spec in manifest.sets if spec.status == "tune"]
        held_out = [manifest.path_of(spec) for spec in manifest.sets if spec.status != "tune"]

    def gathered(chosen: list[Path]) -> list[tuple[str, list[tuple[Labelled, Evidence]]]]:
        matcher = knowledge.matcher
        return [(p.name, gather(matcher, read_labelled(p, knowledge.by_id))) for p in chosen]

    print(report(gathered(paths), knowledge.matcher.thresholds, gathered(held_out), floors))
    return 0


def cmd_unanswered(args: argparse.Namespace) -> int:
    """Report declined and low-confidence questions, grouped and counted."""
    from bot.maintenance.reports import unanswered_report

    settings = cli_settings()
    knowledge = cli_knowledge(settings)
    print(unanswered_report(settings.db_path, knowledge, args.since, args.limit, args.json))
    return 0


def cmd_feedback(args: argparse.Namespace) -> int:
    """Report entries by 👍/👎 feedback, most 👎 first."""
    from bot.maintenance.reports import feedback_report

    settings = cli_settings()
    print(feedback_report(settings.db_path, args.limit, args.json))
    return 0


def add_maintainer_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register the maintainers' commands and their help text on the ``python -m bot`` parser."""
    _add_explain(sub)
    _add_validate(sub)
    _add_evaluate(sub)
    _add_fitting(sub)
    _add_unanswered(sub)
    _add_feedback(sub)
    add_review_command(sub)


def _add_explain(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    explain = sub.add_parser(
        "explain", help="show how a question is scored", description=cmd_explain.__doc__
    )
    explain.add_argument("question", help="the question to explain")
    explain.add_argument("--knowledge", help="knowledge file (default: BOT_KNOWLEDGE_FILE)")
    explain.set_defaults(func=cmd_explain)


def _add_validate(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    validate = sub.add_parser(
        "validate", help="check the knowledge file", description=cmd_validate.__doc__
    )
    validate.add_argument("path", nargs="?", help="knowledge file (default: BOT_KNOWLEDGE_FILE)")
    validate.set_defaults(func=cmd_validate)


def _add_evaluate(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
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
    evaluate.add_argument(
        "--manifest",
        metavar="SETS",
        help="every set listed in this manifest (tests/data/sets.yaml): one line each, then the "
        "floors broken, if any (exit 1)",
    )
    evaluate.add_argument(
        "--readme-table",
        action="store_true",
        help=f"print the README's quality table for the manifest (default {DEFAULT_MANIFEST})",
    )
    evaluate.add_argument(
        "--update-readme",
        metavar="README",
        nargs="?",
        const="README.md",
        help="rewrite that table in README (default README.md) between its marker comments",
    )
    evaluate.add_argument("--knowledge", help="knowledge file (default: BOT_KNOWLEDGE_FILE)")
    evaluate.add_argument("--no-sweep", action="store_true", help="skip the threshold sweep")
    evaluate.set_defaults(func=cmd_eval)


def _add_fitting(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    fitting = sub.add_parser(
        "fit", help="fit the decision thresholds on labelled sets", description=cmd_fit.__doc__
    )
    fitting.add_argument(
        "files", nargs="*", metavar="FILE", help="labelled files (default: every set of --manifest)"
    )
    fitting.add_argument(
        "--manifest", default=str(DEFAULT_MANIFEST), help=f"default {DEFAULT_MANIFEST}"
    )
    fitting.add_argument("--knowledge", help="knowledge file (default: BOT_KNOWLEDGE_FILE)")
    fitting.set_defaults(func=cmd_fit)


def _add_unanswered(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    unanswered = sub.add_parser(
        "unanswered", help="questions the bot could not answer", description=cmd_unanswered.__doc__
    )
    unanswered.add_argument("--since", help="only since this date (YYYY-MM-DD) or '7d', '24h'")
    unanswered.add_argument("--limit", type=int, default=20, help="how many groups (default 20)")
    unanswered.add_argument("--json", action="store_true", help="print JSON")
    unanswered.set_defaults(func=cmd_unanswered)


def _add_feedback(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    feedback = sub.add_parser(
        "feedback", help="entries with the most 👎", description=cmd_feedback.__doc__
    )
    feedback.add_argument("--limit", type=int, default=20, help="how many entries (default 20)")
    feedback.add_argument("--json", action="store_true", help="print JSON")
    feedback.set_defaults(func=cmd_feedback)
