"""Unit: the work done per message is bounded, whatever a reader sends.

Every pattern run on readers' text is linear in its length (timed on 50,000 characters built to
make a backtracking pattern quadratic), a question is never read past Telegram's 4096
characters, and long words do not grow the stem cache.
"""

from __future__ import annotations

import time
import tracemalloc
from collections.abc import Callable

import pytest

from bot.core.alternatives import offered_alternatives
from bot.core.details import missing_detail
from bot.core.framing import framing_words
from bot.core.opinions import OpinionDetector
from bot.core.places import foreign_names
from bot.core.query import MAX_QUESTION_CHARS, read_query
from bot.core.text import _cached_stem, fold, stem, words
from bot.knowledge.knowledge import Knowledge
from bot.knowledge.loader import load_knowledge

LENGTH = 50_000
# A quadratic pattern takes seconds on these at 50,000 characters; a linear one milliseconds.
LIMIT_SECONDS = 0.25
UNITS = [
    "will a ",
    "ukraine will join nato ",
    "will ",
    "a-",
    "a'",
    "when ",
    "should the ",
    "x",
    "a or ",
    "what did a ",
    "did the ",
]


def hostile(unit: str) -> str:
    """``unit`` repeated to LENGTH characters."""
    return (unit * (LENGTH // len(unit) + 1))[:LENGTH]


@pytest.fixture(scope="module")
def knowledge() -> Knowledge:
    return load_knowledge()


def seconds(work: Callable[[], object]) -> float:
    start = time.perf_counter()
    work()
    return time.perf_counter() - start


@pytest.mark.parametrize("unit", UNITS)
def test_patterns_on_readers_text_are_linear(unit: str, knowledge: Knowledge) -> None:
    """Opinions, places, "when" questions, details asked for, offered options, a framing clause
    and word splitting:
    fast on 50,000 hostile characters."""
    text = hostile(unit)
    folded = fold(text)
    detector = OpinionDetector.for_names(["Zelensky", "Putin"])
    normaliser = knowledge.matcher.index.normaliser
    facts = knowledge.matcher.index.facts["sky-news"]
    checks: dict[str, Callable[[], object]] = {
        "opinions": lambda: detector.asks_for_opinion(folded),
        "places": lambda: foreign_names(text, lambda name: False),
        "asks when": lambda: read_query(text, normaliser).asks_when,
        "words": lambda: words(folded),
        "options": lambda: offered_alternatives(folded, normaliser.tokens, lambda t: t == "x"),
        "framing": lambda: framing_words(folded, normaliser.tokens, lambda t: t == "x"),
        "details": lambda: missing_detail(folded, normaliser.tokens, facts),
    }
    slow = {name: t for name, check in checks.items() if (t := seconds(check)) > LIMIT_SECONDS}
    assert not slow, f"{unit!r} × {LENGTH}: {slow}"


def test_predictions_are_still_recognised() -> None:
    """The linear "will … next year" check finds what the old pattern found, and no more."""
    detector = OpinionDetector.for_names()
    assert detector.asks_for_opinion("will ukraine join nato next year?")
    assert detector.asks_for_opinion("will the war be over by 2030")
    assert detector.asks_for_opinion("so will they sign it in 2026?")
    assert not detector.asks_for_opinion("how many people will stay next to the border")
    assert not detector.asks_for_opinion("what happened next year after the annexation in 2014")
    assert not detector.asks_for_opinion("willpower next year")


def test_a_question_is_never_read_past_telegrams_limit(knowledge: Knowledge) -> None:
    """200 KB of text: the matcher reads the first 4096 characters, quickly."""
    text = hostile("will a ") * 4
    took = seconds(lambda: knowledge.matcher.match(text))
    assert knowledge.matcher.read(text).text == text[:MAX_QUESTION_CHARS]
    assert took < LIMIT_SECONDS


def test_long_words_do_not_grow_the_stem_cache() -> None:
    """3,000 distinct 3,000-character words: stemmed right, cached not, memory flat."""
    before = _cached_stem.cache_info().currsize
    tracemalloc.start()
    try:
        for n in range(3000):
            word = f"w{n:05d}" + "ab" * 1497
            assert stem(word + "ing") == word  # the suffix is stripped as for short words
        growth, _ = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert _cached_stem.cache_info().currsize == before
    assert growth < 1_000_000, f"{growth} bytes kept"
    assert stem("annexed") == "annex"
