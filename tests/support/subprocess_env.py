"""The environment `python -m bot` subprocesses of the tests run in, and how they start."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.support.paths import QA, REPO


def clean_env(**extra: str) -> dict[str, str]:
    """The current environment without any BOT_* variable, UTF-8 I/O, the repo importable."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("BOT_")}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")]))
    env["PYTHONIOENCODING"] = "utf-8"
    env.update(extra)
    return env


def bot_env(**settings: str | Path) -> dict[str, str]:
    """``clean_env`` plus settings for `python -m bot`: ``api_base_url="…"`` sets
    ``BOT_API_BASE_URL``; the shipped knowledge file unless ``knowledge_file`` is given."""
    env = clean_env(BOT_KNOWLEDGE_FILE=str(QA))
    env.update({f"BOT_{name.upper()}": str(value) for name, value in settings.items()})
    return env


BOT_RUN = [sys.executable, "-m", "bot", "run"]


def run_bot_process(cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """Run `python -m bot run` to its end (at most a minute); output captured as text."""
    return subprocess.run(BOT_RUN, cwd=cwd, env=env, capture_output=True, text=True, timeout=60)


def start_bot_process(cwd: Path, env: dict[str, str]) -> subprocess.Popen[str]:
    """Start `python -m bot run` in the background, stdout and stderr in one text pipe."""
    return subprocess.Popen(
        BOT_RUN, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
