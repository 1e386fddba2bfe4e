"""The command line (``python -m bot COMMAND``): a thin layer over the core and the tools.

``readers`` has the readers' commands (``ask``, ``chat``, ``run``, ``start``) and builds the
parser; ``maintainers`` adds the maintainers' commands; ``support`` holds what both share.
"""

from __future__ import annotations

from bot.cli.readers import main

__all__ = ["main"]
