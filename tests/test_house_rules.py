"""House rules for the code under bot/: docstrings, short modules and short functions.

Every module under ``bot/`` (``__init__.py`` files included) must open with a module
docstring, be at most 300 lines long, and keep every function and method at most 50 lines
(``end_lineno - lineno + 1`` from ``ast``).  The public Telegram handlers — ``async def``
functions taking ``(update, context)`` in handlers.py, buttons.py, admin.py and inline.py —
each carry a one-line docstring.  Each failing rule lists every offender.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from functools import cache
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
BOT = REPO / "bot"
MAX_MODULE_LINES = 300
MAX_FUNCTION_LINES = 50
HANDLER_MODULES = ("handlers.py", "buttons.py", "admin.py", "inline.py")
HANDLER_PARAMETERS = ["update", "context"]

FunctionNode = ast.FunctionDef | ast.AsyncFunctionDef


def bot_modules() -> list[Path]:
    """Every Python module under bot/, sorted."""
    return sorted(BOT.rglob("*.py"))


def shown(path: Path) -> str:
    """The path relative to the repository, as offenders are listed."""
    return path.relative_to(REPO).as_posix()


@cache
def parsed(path: Path) -> ast.Module:
    """The module's syntax tree (parsed once per test session)."""
    return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def functions(tree: ast.AST) -> Iterator[FunctionNode]:
    """Every function and method in the tree, nested ones included."""
    for node in ast.walk(tree):
        if isinstance(node, FunctionNode):
            yield node


def offenders_message(rule: str, offenders: list[str]) -> str:
    """The assertion message: the rule, then one offender a line."""
    return f"{len(offenders)} offender(s) of: {rule}\n" + "\n".join(offenders)


def test_the_rules_see_every_module_under_bot() -> None:
    modules = bot_modules()
    assert len(modules) > 10, f"expected the bot package under {BOT}, found {modules}"
    for name in HANDLER_MODULES:
        assert BOT / "telegram_bot" / name in modules, f"bot/telegram_bot/{name} is missing"


def test_every_module_opens_with_a_docstring() -> None:
    offenders = [
        f"{shown(path)}:1 (no module docstring)"
        for path in bot_modules()
        if ast.get_docstring(parsed(path)) is None
    ]
    assert not offenders, offenders_message("every module opens with a docstring", offenders)


def test_every_module_has_at_most_300_lines() -> None:
    offenders = []
    for path in bot_modules():
        length = len(path.read_text(encoding="utf-8").splitlines())
        if length > MAX_MODULE_LINES:
            offenders.append(f"{shown(path)}:1 (module) {length} lines")
    assert not offenders, offenders_message(
        f"every module has at most {MAX_MODULE_LINES} lines", offenders
    )


def test_every_function_and_method_has_at_most_50_lines() -> None:
    offenders = []
    for path in bot_modules():
        for node in functions(parsed(path)):
            assert node.end_lineno is not None
            length = node.end_lineno - node.lineno + 1
            if length > MAX_FUNCTION_LINES:
                offenders.append(f"{shown(path)}:{node.lineno} {node.name} {length} lines")
    assert not offenders, offenders_message(
        f"every function and method has at most {MAX_FUNCTION_LINES} lines", offenders
    )


def public_handlers(tree: ast.Module) -> Iterator[ast.AsyncFunctionDef]:
    """Every public module-level ``async def name(update, context, ...)`` of the module."""
    for node in tree.body:
        if isinstance(node, ast.AsyncFunctionDef) and not node.name.startswith("_"):
            positional = [a.arg for a in (*node.args.posonlyargs, *node.args.args)]
            if positional[:2] == HANDLER_PARAMETERS:
                yield node


def test_every_public_telegram_handler_has_a_one_line_docstring() -> None:
    offenders = []
    handlers_seen = 0
    for name in HANDLER_MODULES:
        path = BOT / "telegram_bot" / name
        for node in public_handlers(parsed(path)):
            handlers_seen += 1
            docstring = ast.get_docstring(node)
            if docstring is None:
                offenders.append(f"{shown(path)}:{node.lineno} {node.name} (no docstring)")
            elif len(docstring.strip().splitlines()) != 1:
                lines = len(docstring.strip().splitlines())
                offenders.append(f"{shown(path)}:{node.lineno} {node.name} docstring {lines} lines")
    assert handlers_seen, f"no public (update, context) handlers found in {HANDLER_MODULES}"
    assert not offenders, offenders_message(
        "every public (update, context) handler has a one-line docstring", offenders
    )
