"""The answering core: reads a question, scores it against the knowledge and decides the reply.

Nothing here knows about Telegram, the command line or maintainers' tools (``make lint`` checks
it). ``text`` and ``vocabulary`` read words; ``matching`` indexes and scores; ``decisions``
turns scores into answer / "did you mean" / decline; ``replies`` words the result.
"""
