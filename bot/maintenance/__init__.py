"""Maintainers' tools: evaluation on labelled sets, explaining a decision, reports from the log.

``store`` holds the maintainers' log (SQLite) with all of its SQL; the Telegram layer writes to
it and the reports read it. Nothing in the core or the knowledge layer imports this package.
"""
