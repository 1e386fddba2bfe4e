"""Tests for bot.maintenance.evaluation: outcomes, summaries, sweeps, reports."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.core.matching import Candidate, Thresholds, build_matcher
from bot.knowledge.knowledge import Knowledge
from bot.maintenance.evaluation import (
    Outcome,
    Summary,
    format_overview,
    format_report,
    run,
    summarise,
    sweep,
)
from bot.maintenance.labelled import Labelled, load_labelled
from tests.support.labelled_cases import SMALL_SET
from tests.support.paths import DATA

QUESTIONS = DATA / "questions.yaml"


def candidate(knowledge: Knowledge, entry_id: str, score: float = 90.0) -> Candidate:
    """A candidate for the shipped entry ``entry_id``."""
    return Candidate(knowledge.by_id[entry_id], score, knowledge.by_id[entry_id].questions[0])


@pytest.fixture
def small_file(tmp_path: Path) -> Path:
    """A small labelled file with two splits, out-of-scope items and a missing split."""
    path = tmp_path / "questions.yaml"
    path.write_text(SMALL_SET, encoding="utf-8")
    return path


# ---------------------------------------------------------------------------------------------
# Outcome.correct


def test_in_scope_answer_with_expected_entry_is_correct(knowledge: Knowledge) -> None:
    """In scope: an answer with one of the expected entries is correct."""
    item = Labelled("q", ("crimea-annexed", "refused-to-cede"))
    assert Outcome(item, "answer", candidate(knowledge, "crimea-annexed")).correct
    assert Outcome(item, "answer", candidate(knowledge, "refused-to-cede")).correct


def test_in_scope_answer_with_other_entry_is_wrong(knowledge: Knowledge) -> None:
    """In scope: an answer with an entry not expected is wrong."""
    item = Labelled("q", ("crimea-annexed",))
    assert not Outcome(item, "answer", candidate(knowledge, "war-duration")).correct


@pytest.mark.parametrize("kind", ["suggest", "decline", "empty"])
def test_in_scope_without_answer_is_wrong(knowledge: Knowledge, kind: str) -> None:
    """In scope: suggesting (even the right entry), declining or 'empty' is not correct."""
    item = Labelled("q", ("crimea-annexed",))
    assert not Outcome(item, kind, candidate(knowledge, "crimea-annexed")).correct
    assert not Outcome(item, kind, None).correct


@pytest.mark.parametrize(("kind", "correct"), [("decline", True), ("empty", True)])
def test_out_of_scope_decline_is_correct(knowledge: Knowledge, kind: str, correct: bool) -> None:
    """Out of scope: declining (or having nothing to match) is correct."""
    item = Labelled("q", ())
    assert Outcome(item, kind, None).correct is correct
    assert Outcome(item, kind, candidate(knowledge, "summary", 20.0)).correct is correct


def test_out_of_scope_answer_is_wrong_and_a_suggestion_is_a_decline(knowledge: Knowledge) -> None:
    """Out of scope: an answer is wrong; "not sure, did you mean" answers nothing: declined."""
    item = Labelled("q", ())
    answered = Outcome(item, "answer", candidate(knowledge, "summary"))
    assert (answered.correct, answered.wrong_answer) == (False, True)
    suggested = Outcome(item, "suggest", candidate(knowledge, "summary"), ("summary",))
    assert (suggested.correct, suggested.wrong_answer) == (True, False)


def test_within_one_tap_counts_correct_answers_and_offered_buttons(knowledge: Knowledge) -> None:
    """In scope: answered correctly, or an expected entry among the offered buttons."""
    item = Labelled("q", ("crimea-annexed", "refused-to-cede"))
    right = candidate(knowledge, "crimea-annexed")
    other = candidate(knowledge, "war-duration")
    assert Outcome(item, "answer", right).within_one_tap
    assert Outcome(item, "suggest", other, ("war-duration", "refused-to-cede")).within_one_tap
    assert not Outcome(item, "suggest", other, ("war-duration", "summary")).within_one_tap
    assert not Outcome(item, "answer", other).within_one_tap
    assert not Outcome(item, "decline", None).within_one_tap
    outside = Labelled("q", ())
    assert not Outcome(outside, "decline", None).within_one_tap


def test_an_answer_with_a_sibling_is_right_when_either_entry_is_expected(
    knowledge: Knowledge,
) -> None:
    """The answer gave the best entry and its sibling: right if either is expected (and then
    counted as right only through the sibling when the best is not), wrong if neither is."""
    top = candidate(knowledge, "le-monde-referendum")
    through = Outcome(Labelled("q", ("referendum-timing",)), "answer", top, (), "referendum-timing")
    assert through.answered == ("le-monde-referendum", "referendum-timing")
    assert through.correct and through.within_one_tap and not through.wrong_answer
    assert through.right_through_companion
    direct = Outcome(Labelled("q", ("le-monde-referendum",)), "answer", top, (), "x")
    assert direct.correct and not direct.right_through_companion
    neither = Outcome(Labelled("q", ("summary",)), "answer", top, (), "referendum-timing")
    assert neither.wrong_answer and not neither.correct
    outside = Outcome(Labelled("q", ()), "answer", top, (), "referendum-timing")
    assert outside.wrong_answer and not outside.correct
    unsure = Outcome(Labelled("q", ("referendum-timing",)), "suggest", top, (), "x")
    assert unsure.answered == () and not unsure.correct


@pytest.mark.parametrize(
    ("expect", "kind", "entry", "wrong"),
    [
        (("crimea-annexed",), "answer", "crimea-annexed", False),
        (("crimea-annexed",), "answer", "war-duration", True),
        (("crimea-annexed",), "suggest", "war-duration", False),
        (("crimea-annexed",), "decline", "war-duration", False),
        ((), "answer", "summary", True),
        ((), "suggest", "summary", False),
        ((), "decline", "summary", False),
    ],
)
def test_wrong_answer_is_any_answer_with_an_entry_not_expected(
    knowledge: Knowledge, expect: tuple[str, ...], kind: str, entry: str, wrong: bool
) -> None:
    """Only answers count as wrong answers: suggestions and declines never do."""
    outcome = Outcome(Labelled("q", expect), kind, candidate(knowledge, entry))
    assert outcome.wrong_answer is wrong


# ---------------------------------------------------------------------------------------------
# summarise, run, sweep


def test_summarise_counts(knowledge: Knowledge) -> None:
    """summarise counts in-scope items, correct answers, answers within one tap, wrong answers,
    out-of-scope items and declines."""
    inside = Labelled("a", ("crimea-annexed",))
    outside = Labelled("b", ())
    offered = ("war-duration", "crimea-annexed")
    outcomes = [
        Outcome(inside, "answer", candidate(knowledge, "crimea-annexed")),
        Outcome(inside, "answer", candidate(knowledge, "war-duration")),
        Outcome(inside, "suggest", candidate(knowledge, "war-duration"), offered),
        Outcome(inside, "suggest", candidate(knowledge, "crimea-annexed"), ("summary",)),
        Outcome(outside, "decline", None),
        Outcome(outside, "suggest", candidate(knowledge, "summary"), ("summary",)),
        Outcome(outside, "answer", candidate(knowledge, "summary")),
    ]
    summary = summarise(outcomes)
    assert summary == Summary(
        in_scope=4, answered_correctly=1, out_of_scope=3, declined=2, one_tap=2, wrong_answers=2
    )
    assert summary.total == 7
    assert summary.accuracy == pytest.approx(1 / 4)
    assert summary.one_tap_rate == pytest.approx(2 / 4)
    assert summary.wrong_rate == pytest.approx(2 / 7)
    assert summary.decline_rate == pytest.approx(2 / 3)
    assert [summary.rate(m) for m in ("answered", "one_tap", "wrong", "declined")] == [
        summary.accuracy,
        summary.one_tap_rate,
        summary.wrong_rate,
        summary.decline_rate,
    ]


def test_summary_of_nothing_is_perfect() -> None:
    """With no items of a kind, its rate is perfect rather than a division by zero."""
    summary = summarise([])
    assert summary == Summary(0, 0, 0, 0)
    assert summary.accuracy == 1.0
    assert summary.one_tap_rate == 1.0
    assert summary.wrong_rate == 0.0
    assert summary.decline_rate == 1.0


def test_run_records_the_matcher_decision(knowledge: Knowledge, small_file: Path) -> None:
    """run gives one outcome per item, with the matcher's kind and best candidate."""
    items = load_labelled(small_file)
    outcomes = run(knowledge.matcher, items)
    assert [o.item for o in outcomes] == items
    for outcome in outcomes:
        result = knowledge.matcher.match(outcome.item.text)
        assert outcome.kind == result.kind
        assert outcome.best == result.best
        assert outcome.offered == tuple(c.entry.id for c in result.suggestions)
    assert outcomes[0].correct
    assert outcomes[2].correct


def test_sweep_returns_a_row_per_threshold(knowledge: Knowledge) -> None:
    """sweep gives (threshold, accuracy, decline rate) rows and restores the thresholds.

    At the current answer threshold the row equals a plain run (suggest keeps its distance).
    """
    items = load_labelled(QUESTIONS)
    matcher = knowledge.matcher
    before = matcher.thresholds
    thresholds = [40, before.answer, 70, 100]
    rows = sweep(matcher, items, thresholds)
    assert matcher.thresholds is before
    assert [row[0] for row in rows] == thresholds
    for _, accuracy, decline_rate in rows:
        assert 0.0 <= accuracy <= 1.0
        assert 0.0 <= decline_rate <= 1.0
    current = summarise(run(matcher, items))
    assert rows[1][1:] == (current.accuracy, current.decline_rate)


def test_sweep_decline_rate_never_falls_as_the_threshold_rises(knowledge: Knowledge) -> None:
    """Raising the answer threshold (suggest follows) can only decline more questions."""
    items = [item for item in load_labelled(QUESTIONS) if not item.in_scope]
    rows = sweep(knowledge.matcher, items, range(40, 101, 10))
    rates = [row[2] for row in rows]
    assert rates == sorted(rates)


def test_sweep_restores_thresholds_after_an_error(knowledge: Knowledge) -> None:
    """Even when a threshold is invalid, the matcher's thresholds are restored."""
    matcher = knowledge.matcher
    before = matcher.thresholds
    with pytest.raises(ValueError):
        sweep(matcher, [Labelled("nato", ())], [150])
    assert matcher.thresholds is before


# ---------------------------------------------------------------------------------------------
# format_report


def test_format_report_mentions_each_split(knowledge: Knowledge, small_file: Path) -> None:
    """The report has a line per split and for all, the thresholds, traps and misses."""
    items = load_labelled(small_file)
    report = format_report(knowledge.matcher, items, show_sweep=False)
    lines = report.splitlines()
    for split in ("alpha", "beta", "tune", "all"):
        assert any(line.startswith(split) for line in lines), split
    limits = knowledge.matcher.thresholds
    assert f"answer >= {limits.answer:g}" in report
    assert "near-topic traps declined:" in report
    assert "misses (" in report
    assert "threshold sweep" not in report
    summary = summarise(run(knowledge.matcher, items))
    all_line = next(line for line in lines if line.startswith("all"))
    figures = re.findall(r"(\d+)/(\d+) = ", all_line)
    assert figures == [
        (str(summary.answered_correctly), str(summary.in_scope)),
        (str(summary.one_tap), str(summary.in_scope)),
        (str(summary.wrong_answers), str(summary.total)),
        (str(summary.declined), str(summary.out_of_scope)),
    ]
    header = next(line for line in lines if line.startswith("split"))
    for column in ("answered correctly", "≤ 1 tap", "wrong answers", "out-of-scope declined"):
        assert column in header


def test_format_report_shows_what_a_suggestion_offered(knowledge: Knowledge) -> None:
    """A missed question answered with "did you mean" lists the entries offered."""
    items = [Labelled("nato", ("crimea-annexed",), "alpha")]
    [outcome] = run(knowledge.matcher, items)
    assert outcome.kind == "suggest"
    report = format_report(knowledge.matcher, items, show_sweep=False)
    assert f"; offered {','.join(outcome.offered)}" in report


def test_reports_count_answers_that_gave_a_sibling_and_those_right_only_through_it(
    knowledge: Knowledge,
) -> None:
    """Both reports say how many answers gave a sibling too, how many of the correct ones were
    right only through it, and the figures judged by the top entry alone."""
    question = "what does zelensky say about getting the occupied areas back"
    items = [
        Labelled(question, ("recover-diplomatically",), "alpha"),
        Labelled(question, ("occupied-areas-return",), "alpha"),
        Labelled("when was crimea annexed", ("crimea-annexed",), "alpha"),
    ]
    outcomes = run(knowledge.matcher, items)
    assert [o.companion for o in outcomes] == ["recover-diplomatically"] * 2 + [None]
    line = (
        "answers that gave a sibling entry too: 2; answered correctly only through that sibling: "
        "1; judged by the top entry alone: answered correctly 2, wrong answers 1"
    )
    assert line in format_report(knowledge.matcher, items, show_sweep=False)
    assert line in format_overview(knowledge.matcher, [("set", items)])


def test_format_overview_has_a_line_per_set_and_a_total(
    knowledge: Knowledge, small_file: Path
) -> None:
    """One line per set with its four figures, then an 'all sets' line that adds them up."""
    first = load_labelled(small_file)
    second = load_labelled(QUESTIONS)[:30]
    report = format_overview(knowledge.matcher, [("first", first), ("second", second)])
    rows = {}
    for line in report.splitlines():
        found = re.match(r"(first|second|all sets)\s", line)
        if found:
            rows[found.group(1)] = [
                int(n) for pair in re.findall(r"(\d+)/(\d+) = ", line) for n in pair
            ]
    assert set(rows) == {"first", "second", "all sets"}
    assert rows["all sets"] == [a + b for a, b in zip(rows["first"], rows["second"], strict=True)]
    summary = summarise(run(knowledge.matcher, first))
    assert rows["first"] == [
        summary.answered_correctly,
        summary.in_scope,
        summary.one_tap,
        summary.in_scope,
        summary.wrong_answers,
        summary.total,
        summary.declined,
        summary.out_of_scope,
    ]


def test_format_report_lists_misses(knowledge: Knowledge) -> None:
    """Every wrong outcome is listed with its split, text, kind and expectation."""
    items = [Labelled("asdfgh", ("crimea-annexed",), "alpha")]
    report = format_report(knowledge.matcher, items, show_sweep=False)
    assert "misses (1):" in report
    assert "[alpha] 'asdfgh': decline -; expected crimea-annexed" in report


def test_format_report_lists_unknown_words_of_missed_questions(knowledge: Knowledge) -> None:
    """Words the knowledge never uses, in missed in-scope questions, are counted for maintainers."""
    items = [
        Labelled("zorblat frobnitz", ("crimea-annexed",)),
        Labelled("zorblat", ("summary",)),
        Labelled("finland zorblat", ()),  # out of scope: its unknown words are not listed
    ]
    report = format_report(knowledge.matcher, items, show_sweep=False)
    line = next(line for line in report.splitlines() if "never uses" in line)
    assert line.endswith("zorblat (2), frobnitz (1)")
    assert "finland" not in line


def test_format_report_with_sweep_marks_the_current_threshold(knowledge: Knowledge) -> None:
    """With the sweep, rows from 40 to 90 appear and the current threshold's row is marked."""
    items = load_labelled(QUESTIONS)[:20]
    matcher = build_matcher(
        knowledge.entries, knowledge.matcher.normaliser, Thresholds(answer=55, suggest=50)
    )
    report = format_report(matcher, items)
    assert "threshold sweep" in report
    sweep_lines = report.split("threshold sweep")[1].splitlines()[1:]
    assert [int(line.split(":")[0]) for line in sweep_lines] == list(range(40, 91, 5))
    marked = [line for line in sweep_lines if "<- current" in line]
    assert len(marked) == 1
    assert marked[0].split(":")[0].strip() == "55"
    assert matcher.thresholds == Thresholds(answer=55, suggest=50)
