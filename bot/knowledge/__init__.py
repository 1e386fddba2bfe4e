"""The knowledge file: its schema, the article it quotes, loading, validation and live reload.

Like the core, this layer knows nothing about Telegram, the command line or maintainers' tools.
"""
