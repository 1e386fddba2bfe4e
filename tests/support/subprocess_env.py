"""The environment `python -m bot` subprocesses of the tests run in."""

from __future__ import annotations

import os

from tests.support.paths import REPO


def clean_env(**extra: str) -> dict[str, str]:
    """The current environment without any BOT_* variable, UTF-8 I/O, the repo importable."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("BOT_")}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")]))
    env["PYTHONIOENCODING"] = "utf-8"
    env.update(extra)
    return env
