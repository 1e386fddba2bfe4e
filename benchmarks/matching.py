"""Matching speed: µs per question for ``Matcher.match``, against a difflib baseline.

What it measures (all in one run, because the machine is shared and noisy):

1. Shipped knowledge (``knowledge/qa.yaml``, loaded with ``bot.knowledge.loader``): µs per
   question for ``knowledge.matcher.match(q)`` over the ``text`` of every item in
   ``tests/data/questions.yaml``.  Target: ≤ 150 µs per question (582 phrasings).  Baseline:
   ``difflib.get_close_matches(q.lower(), all_phrasings_lowercased, n=3, cutoff=0.0)`` mapped
   back to entries, on the same questions; the speed-up ratio is reported (no target).
2. Synthetic knowledge of 1,000 and 10,000 entries x 8 phrasings, generated deterministically
   (``random.Random(seed)``) from a fixed vocabulary of ~3,000 made-up words drawn with a
   Zipf-like skew plus real English question and function words; indexed with
   ``build_matcher(entries, Normaliser.from_synonyms({}))``.  200 sample questions: half are
   phrasings of an entry with one typo or one dropped word, half are random phrasings.
   Targets: <= 10 ms per question at 10,000 entries; >= 50x faster than difflib on the same
   phrasings (checked at both sizes).  difflib compares a question with every phrasing
   (80,000 at 10,000 entries, seconds per question), so both difflib and the matcher are timed
   on the same subset of 20 of the 200 questions for the ratio (5 and 2 with ``--quick``).
3. Index build time at each size (baseline: only normalising every text, no index), and the
   shipped file's full ``load_knowledge`` time including validation (baseline: reading the file
   and ``yaml.safe_load`` alone).  No targets; reported for context.

Timing: ``time.perf_counter``, one warm-up pass, garbage collector off while timing, median of
several repetitions (each repetition runs every question once; figures are per question).
``--quick`` takes fewer repetitions and a smaller difflib subset, for a CI smoke run (about a
minute on a 2-core machine; the full run takes several minutes, mostly difflib).
The script reports what it measured and exits 0 whether targets pass or miss.
"""

from __future__ import annotations

import argparse
import difflib
import gc
import random
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import yaml

from bot.core.matching import Matcher, build_matcher
from bot.core.text import Normaliser
from bot.core.wordlists import STOP_WORDS
from bot.knowledge.loader import load_knowledge
from bot.knowledge.schema import Entry
from bot.settings import DEFAULT_KNOWLEDGE_FILE

ROOT = Path(__file__).resolve().parent.parent
QUESTIONS_FILE = ROOT / "tests" / "data" / "questions.yaml"

SHIPPED_TARGET_US = 150.0
SYNTHETIC_TARGET_US = 10_000.0  # at 10,000 entries
SPEEDUP_TARGET = 50.0
SIZES = (1_000, 10_000)
PHRASINGS_PER_ENTRY = 8
SAMPLE_QUESTIONS = 200
VOCABULARY_SIZE = 3_000
SEED = 20240601


# --------------------------------------------------------------------------- timing helpers


@dataclass(frozen=True)
class Timing:
    """Median and spread of several repetitions, in seconds per repetition."""

    samples: tuple[float, ...]

    @property
    def median(self) -> float:
        return statistics.median(self.samples)

    @property
    def spread(self) -> str:
        """(max - min) / median: how noisy the repetitions were ("n=1" for a single one)."""
        if len(self.samples) < 2 or not self.median:
            return f"n={len(self.samples)}"
        return f"{(max(self.samples) - min(self.samples)) / self.median:.0%}"


def timed(
    fn: Callable[[], object], repetitions: int, warmup: Callable[[], object] | None = None
) -> Timing:
    """Run ``fn`` (or a cheaper ``warmup``) once untimed, then ``repetitions`` times timed."""
    (warmup or fn)()
    samples = []
    gc.collect()
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        for _ in range(repetitions):
            start = time.perf_counter()
            fn()
            samples.append(time.perf_counter() - start)
    finally:
        if was_enabled:
            gc.enable()
    return Timing(tuple(samples))


def timed_pair(
    fn_a: Callable[[], object],
    fn_b: Callable[[], object],
    repetitions: int,
    repetitions_b: int | None = None,
    warmup: Callable[[], object] | None = None,
) -> tuple[Timing, Timing]:
    """Time two jobs with their repetitions interleaved, so machine noise hits both alike.

    ``fn_b`` runs ``repetitions_b`` times (default: as often as ``fn_a``). Both jobs run once
    untimed first, unless a (cheaper) ``warmup`` is given instead.
    """
    if repetitions_b is None:
        repetitions_b = repetitions
    if warmup is None:
        fn_a()
        fn_b()
    else:
        warmup()
    a: list[float] = []
    b: list[float] = []
    gc.collect()
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        for i in range(max(repetitions, repetitions_b)):
            for fn, samples, count in ((fn_a, a, repetitions), (fn_b, b, repetitions_b)):
                if i < count:
                    start = time.perf_counter()
                    fn()
                    samples.append(time.perf_counter() - start)
    finally:
        if was_enabled:
            gc.enable()
    return Timing(tuple(a)), Timing(tuple(b))


def us(seconds: float) -> str:
    return f"{seconds * 1e6:,.1f} µs"


def ms(seconds: float) -> str:
    return f"{seconds * 1e3:,.1f} ms"


def verdict(ok: bool) -> str:
    return "PASS" if ok else "MISS"


def print_table(rows: Sequence[Sequence[str]]) -> None:
    header = ("measure", "value", "spread", "baseline (same run)", "vs baseline", "target", "")
    table = [header, *rows]
    widths = [max(len(row[i]) for row in table) for i in range(len(header))]
    for n, row in enumerate(table):
        cells = [
            cell.rjust(w) if 0 < i < 6 else cell.ljust(w)
            for i, (cell, w) in enumerate(zip(row, widths, strict=True))
        ]
        print("  ".join(cells).rstrip())
        if n == 0:
            print("  ".join("-" * w for w in widths))


# --------------------------------------------------------------------------- difflib baseline


class DifflibBaseline:
    """The naive job: closest lower-cased phrasings by difflib, mapped back to entry ids."""

    def __init__(self, phrasings: Sequence[tuple[str, str]]) -> None:
        """``phrasings`` holds ``(entry id, phrasing)`` pairs."""
        self.owner: dict[str, list[str]] = {}
        for entry_id, text in phrasings:
            self.owner.setdefault(text.lower(), []).append(entry_id)
        self.choices = list(self.owner)

    def match(self, question: str) -> list[str]:
        found = difflib.get_close_matches(question.lower(), self.choices, n=3, cutoff=0.0)
        ids: list[str] = []
        for text in found:
            for entry_id in self.owner[text]:
                if entry_id not in ids:
                    ids.append(entry_id)
        return ids


def each_question(match: Callable[[str], object], questions: Sequence[str]) -> Callable[[], None]:
    def job() -> None:
        for question in questions:
            match(question)

    return job


# --------------------------------------------------------------------------- synthetic data

OPENERS = (
    "what",
    "how",
    "why",
    "when",
    "who",
    "where",
    "which",
    "is",
    "does",
    "did",
    "will",
    "can you tell me",
    "how much",
    "how many",
)
CONNECTORS = ("the", "of", "in", "to", "and", "for", "about", "with", "on", "a", "by")
ONSETS: tuple[str, ...] = ("b", "br", "c", "ch", "d", "dr", "f", "g", "gr", "h", "k", "l", "m")
ONSETS += ("n", "p", "pr", "r", "s", "sh", "st", "t", "tr", "v", "w", "z", "")
VOWELS = ("a", "e", "i", "o", "u", "ai", "ea", "ou", "io")
CODAS = ("", "", "", "n", "r", "l", "s", "t", "m", "nd", "rk", "st")


def make_vocabulary(rng: random.Random, size: int) -> list[str]:
    """Return ``size`` distinct made-up words (3-12 letters), in a fixed frequency rank order."""
    seen: set[str] = set()
    vocabulary: list[str] = []
    while len(vocabulary) < size:
        word = "".join(
            rng.choice(ONSETS) + rng.choice(VOWELS) + rng.choice(CODAS)
            for _ in range(rng.choice((1, 1, 2, 2, 2, 3)))
        )
        if 3 <= len(word) <= 12 and word not in seen and word not in STOP_WORDS:
            seen.add(word)
            vocabulary.append(word)
    return vocabulary


class Generator:
    """Deterministic English-like phrasings over a Zipf-like (Mandelbrot, q=10) vocabulary."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.vocabulary = make_vocabulary(self.rng, VOCABULARY_SIZE)
        self.weights = [1.0 / (rank + 10) for rank in range(len(self.vocabulary))]
        self.cumulative: list[float] = []
        total = 0.0
        for weight in self.weights:
            total += weight
            self.cumulative.append(total)

    def words(self, count: int) -> list[str]:
        return self.rng.choices(self.vocabulary, cum_weights=self.cumulative, k=count)

    def phrasing(self, topic: Sequence[str]) -> str:
        rng = self.rng
        content = rng.sample(list(topic), k=min(len(topic), rng.randint(2, 3)))
        content += self.words(rng.randint(0, 2))
        rng.shuffle(content)
        parts = [rng.choice(OPENERS)]
        for word in content:
            if rng.random() < 0.4:
                parts.append(rng.choice(CONNECTORS))
            parts.append(word)
        text = " ".join(parts)
        return text[0].upper() + text[1:] + rng.choice(("?", "?", "?", "", "."))

    def prose(self, low: int, high: int, limit: int) -> str:
        words = []
        for word in self.words(self.rng.randint(low, high)):
            words.append(word)
            if self.rng.random() < 0.3:
                words.append(self.rng.choice(CONNECTORS))
        text = " ".join(words)
        if len(text) > limit:
            text = text[:limit].rsplit(" ", 1)[0]
        return text[0].upper() + text[1:] + "."

    def entries(self, count: int) -> list[Entry]:
        entries = []
        for index in range(count):
            topic = self.words(3)
            questions: list[str] = []
            while len(questions) < PHRASINGS_PER_ENTRY:
                candidate = self.phrasing(topic)
                if candidate not in questions:
                    questions.append(candidate)
            entries.append(
                Entry(
                    id=f"synthetic-{index:05d}",
                    questions=tuple(questions),
                    answer=self.prose(10, 30, 390),
                    sentence=self.prose(15, 35, 1000),
                )
            )
        return entries

    def perturb(self, text: str) -> str:
        """One typo in a content word, or one dropped word."""
        rng = self.rng
        words = text.split()
        function_words = {w for phrase in OPENERS for w in phrase.split()} | set(CONNECTORS)
        long_words = [
            i
            for i, w in enumerate(words)
            if len(w.strip("?.")) >= 4 and w.strip("?.").lower() not in function_words
        ]
        if rng.random() < 0.5 and len(words) > 3:
            del words[rng.randrange(1, len(words))]
            return " ".join(words)
        if not long_words:
            return text + " " + self.words(1)[0]
        i = rng.choice(long_words)
        word = words[i].rstrip("?.")
        tail = words[i][len(word) :]
        pos = rng.randrange(1, len(word) - 1)
        kind = rng.choice(("delete", "swap", "replace", "insert"))
        letter = rng.choice("abcdefghijklmnopqrstuvwxyz")
        if kind == "delete":
            word = word[:pos] + word[pos + 1 :]
        elif kind == "swap":
            word = word[:pos] + word[pos + 1] + word[pos] + word[pos + 2 :]
        elif kind == "replace":
            word = word[:pos] + letter + word[pos + 1 :]
        else:
            word = word[:pos] + letter + word[pos:]
        words[i] = word + tail
        return " ".join(words)

    def samples(self, entries: Sequence[Entry], count: int) -> list[str]:
        half = count // 2
        perturbed = [
            self.perturb(self.rng.choice(self.rng.choice(entries).questions)) for _ in range(half)
        ]
        unrelated = [self.phrasing(self.words(3)) for _ in range(count - half)]
        questions = perturbed + unrelated
        self.rng.shuffle(questions)
        return questions


# --------------------------------------------------------------------------- benchmarks


@dataclass(frozen=True)
class Plan:
    """How many repetitions of what: the full run, or ``--quick``."""

    shipped: int  # shipped knowledge: matcher and load_knowledge repetitions
    shipped_difflib: int  # difflib on the shipped knowledge (274 q x 196 phrasings: seconds)
    synthetic: int  # matcher over the 200 synthetic questions
    builds: int  # index builds
    difflib_subset_1k: int  # synthetic questions timed against difflib at 1,000 entries
    difflib_subset_10k: int  # ... and at 10,000 entries (about 10 s each)
    difflib_1k: int  # difflib repetitions at 1,000 entries (always one at 10,000)


FULL = Plan(
    shipped=15,
    shipped_difflib=3,
    synthetic=5,
    builds=3,
    difflib_subset_1k=20,
    difflib_subset_10k=20,
    difflib_1k=3,
)
QUICK = Plan(
    shipped=5,
    shipped_difflib=1,
    synthetic=1,
    builds=1,
    difflib_subset_1k=5,
    difflib_subset_10k=2,
    difflib_1k=1,
)


def shipped(plan: Plan) -> list[list[str]]:
    rows: list[list[str]] = []
    knowledge = load_knowledge()
    data = yaml.safe_load(QUESTIONS_FILE.read_text(encoding="utf-8"))
    questions = [item["text"] for item in data["questions"]]
    n = len(questions)
    phrasings = [(e.id, q) for e in knowledge.entries for q in e.questions]
    baseline = DifflibBaseline(phrasings)
    matcher_t, difflib_t = timed_pair(
        each_question(knowledge.matcher.match, questions),
        each_question(baseline.match, questions),
        plan.shipped,
        plan.shipped_difflib,
    )
    per_q = matcher_t.median / n
    base_q = difflib_t.median / n
    rows.append(
        [
            f"shipped: match per question ({n} q, {len(phrasings)} phrasings)",
            us(per_q),
            matcher_t.spread,
            f"difflib {us(base_q)}",
            f"{base_q / per_q:,.0f}x faster",
            f"<= {SHIPPED_TARGET_US:.0f} µs",
            verdict(per_q * 1e6 <= SHIPPED_TARGET_US),
        ]
    )

    def parse_only() -> object:
        return yaml.safe_load(DEFAULT_KNOWLEDGE_FILE.read_text(encoding="utf-8"))

    load_t, parse_t = timed_pair(load_knowledge, parse_only, plan.shipped)
    rows.append(
        [
            "shipped: load_knowledge (parse, schema, index, validate)",
            ms(load_t.median),
            load_t.spread,
            f"yaml.safe_load {ms(parse_t.median)}",
            f"{load_t.median / parse_t.median:,.1f}x",
            "-",
            "",
        ]
    )
    return rows


def synthetic(size: int, plan: Plan) -> tuple[list[list[str]], str]:
    rows: list[list[str]] = []
    generator = Generator(SEED + size)
    made = time.perf_counter()
    entries = generator.entries(size)
    made = time.perf_counter() - made
    questions = generator.samples(entries, SAMPLE_QUESTIONS)
    normaliser = Normaliser.from_synonyms({})
    texts = [t for e in entries for t in (*e.questions, e.answer, e.sentence)]
    built: list[Matcher] = []

    def build() -> None:
        built[:] = [build_matcher(entries, Normaliser.from_synonyms({}))]

    def normalise_only() -> None:
        for text in texts:
            normaliser.tokens(text)

    def warm_build() -> None:
        build_matcher(entries[:50], Normaliser.from_synonyms({}))

    build_t, norm_t = timed_pair(build, normalise_only, plan.builds, warmup=warm_build)
    matcher = built[0]
    rows.append(
        [
            f"{size:,} entries: index build ({matcher.phrasing_count:,} phrasings)",
            ms(build_t.median),
            build_t.spread,
            f"normalise only {ms(norm_t.median)}",
            f"{build_t.median / norm_t.median:,.1f}x",
            "-",
            "",
        ]
    )

    match_t = timed(
        each_question(matcher.match, questions),
        plan.synthetic,
        warmup=each_question(matcher.match, questions[:20]),
    )
    per_q = match_t.median / len(questions)
    has_target = size == 10_000
    rows.append(
        [
            f"{size:,} entries: match per question ({len(questions)} q)",
            us(per_q),
            match_t.spread,
            "-",
            "-",
            f"<= {SYNTHETIC_TARGET_US / 1000:.0f} ms" if has_target else "-",
            verdict(per_q * 1e6 <= SYNTHETIC_TARGET_US) if has_target else "",
        ]
    )

    subset = questions[: plan.difflib_subset_1k if size < 10_000 else plan.difflib_subset_10k]
    baseline = DifflibBaseline([(e.id, q) for e in entries for q in e.questions])
    # difflib takes seconds per question at 10,000 entries: one repetition there, and the
    # warm-up is the matcher's only (difflib is pure Python, there is nothing to warm).
    difflib_reps = plan.difflib_1k if size < 10_000 else 1
    sub_t, difflib_t = timed_pair(
        each_question(matcher.match, subset),
        each_question(baseline.match, subset),
        plan.synthetic,
        difflib_reps,
        warmup=each_question(matcher.match, subset),
    )
    sub_q = sub_t.median / len(subset)
    base_q = difflib_t.median / len(subset)
    ratio = base_q / sub_q
    rows.append(
        [
            f"{size:,} entries: match vs difflib ({len(subset)} q subset)",
            us(sub_q),
            sub_t.spread,
            f"difflib {ms(base_q)}",
            f"{ratio:,.0f}x faster",
            f">= {SPEEDUP_TARGET:.0f}x",
            verdict(ratio >= SPEEDUP_TARGET),
        ]
    )
    # Describe the workload (via the matcher's private index; skipped if that ever changes).
    postings = getattr(matcher, "_postings", None)
    vocabulary = getattr(getattr(matcher, "vocabulary", None), "words", None)
    workload = ""
    if postings and vocabulary and len(postings) == len(vocabulary):
        top = max(range(len(postings)), key=lambda i: len(postings[i]))
        share = len(postings[top]) / max(matcher.phrasing_count, 1)
        workload = (
            f"{len(vocabulary):,} distinct tokens, the commonest ({vocabulary[top]!r}) in "
            f"{share:.0%} of phrasings; "
        )
    note = (
        f"{size:,} entries: {workload}{len(entries):,} Entry objects generated in {made:.1f} s; "
        f"difflib timed on the first {len(subset)} of the {len(questions)} questions only "
        f"({difflib_reps} repetition(s)), the matcher on the same subset for the ratio"
    )
    return rows, note


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repetitions (CI smoke run)")
    args = parser.parse_args(argv)
    plan = QUICK if args.quick else FULL
    print(
        f"matching benchmark{' (--quick)' if args.quick else ''}: medians after a warm-up, "
        f"spread = (max - min) / median; repetitions: shipped {plan.shipped} (difflib "
        f"{plan.shipped_difflib}), synthetic {plan.synthetic}, index builds {plan.builds}"
    )
    sys.stdout.flush()
    rows = shipped(plan)
    notes = []
    for size in SIZES:
        size_rows, note = synthetic(size, plan)
        rows += size_rows
        notes.append(note)
    print_table(rows)
    for note in notes:
        print(f"note: {note}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
