"""Entry point for ``python -m bot``: hands over to the command-line interface."""

from __future__ import annotations

from bot.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
