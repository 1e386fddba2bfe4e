"""Tests for bot.maintenance.fitting: replaying the policy, the grid fit, leave-one-set-out."""

from __future__ import annotations

from dataclasses import replace

import pytest

from bot.core.candidate import Candidate
from bot.core.evidence import Evidence
from bot.core.thresholds import Thresholds
from bot.knowledge.knowledge import Knowledge
from bot.maintenance import fitting
from bot.maintenance.labelled import Labelled
from bot.maintenance.sets import Floors


def evidence(knowledge: Knowledge, entry_id: str, score: float, rival: float = 0.0) -> Evidence:
    """Evidence whose top candidate is ``entry_id`` at ``score``, a rival from another sentence."""
    top = Candidate(knowledge.by_id[entry_id], score, "q", 1.0, 1.0)
    other = next(
        e
        for e in knowledge.entries
        if e.sentence != top.entry.sentence and e.id not in top.entry.related
    )
    return Evidence("q", (top, Candidate(other, rival, "q")))


def test_tally_counts_correct_buttons_and_wrong_answers(knowledge: Knowledge) -> None:
    """A confident right answer, a right button, a wrong answer and an answered trap."""
    limits = Thresholds(answer=70, suggest=20, margin=6, confident=100, max_unseen=0.25)
    gathered = [
        (Labelled("a", ("crimea-annexed",)), evidence(knowledge, "crimea-annexed", 90)),
        (Labelled("b", ("crimea-annexed",)), evidence(knowledge, "crimea-annexed", 50)),
        (Labelled("c", ("summary",)), evidence(knowledge, "crimea-annexed", 90)),
        (Labelled("d", ()), evidence(knowledge, "war-duration", 95)),
        (Labelled("e", ()), evidence(knowledge, "war-duration", 40)),
    ]
    tally = fitting.tally(gathered, limits)
    assert tally == fitting.Tally(
        in_scope=3, out_of_scope=2, correct=1, reached=2, wrong=1, out_answered=1
    )
    assert tally.utility() == pytest.approx(1 + 0.5 * 1 - fitting.WRONG_COST * 2)
    assert "wrong 40.0 % (2/5)" in tally.figures()


def test_tally_counts_an_answer_right_when_its_sibling_is_expected(knowledge: Knowledge) -> None:
    """A sibling 2 points behind is answered too: right for a question expecting it, still
    wrong for an out-of-scope question, where the sibling is also a needless second answer;
    with a sibling margin of 0 only the top counts."""
    top = knowledge.by_id["le-monde-referendum"]
    sibling = knowledge.by_id["referendum-timing"]
    found = Evidence("q", (Candidate(top, 90, "q"), Candidate(sibling, 88, "q")))
    gathered = [(Labelled("a", (sibling.id,)), found), (Labelled("b", ()), found)]
    limits = Thresholds(answer=70, suggest=20, margin=6, sibling_margin=5)
    paired = fitting.tally(gathered, limits)
    assert (paired.correct, paired.wrong, paired.out_answered) == (1, 0, 1)
    assert paired.needless == 1  # the trap's answer gave a sibling nobody asked for
    expected = 1 - fitting.WRONG_COST - fitting.COMPANION_COST
    assert paired.utility() == pytest.approx(expected)
    alone = fitting.tally(gathered, replace(limits, sibling_margin=0))
    assert (alone.correct, alone.wrong, alone.out_answered, alone.needless) == (0, 1, 1, 0)


def test_fit_picks_a_threshold_between_right_and_wrong_scores(knowledge: Knowledge) -> None:
    """Right answers score 90, a trap 65: the fit answers the first and not the second."""
    right = [
        (Labelled(f"r{i}", ("crimea-annexed",)), evidence(knowledge, "crimea-annexed", 90))
        for i in range(5)
    ]
    trap = [(Labelled("t", ()), evidence(knowledge, "war-duration", 65))]
    best = fitting.fit([right + trap], Thresholds())
    assert 65 < best.answer <= 90
    assert fitting.tally(right + trap, best).wrong + fitting.tally(trap, best).out_answered == 0


def test_fit_keeps_every_set_within_its_floors(knowledge: Knowledge) -> None:
    """Answering at 80 costs two traps but is the only way to keep set A's floor of 100 %."""
    right = [(Labelled("r", ("crimea-annexed",)), evidence(knowledge, "crimea-annexed", 80))]
    traps = [(Labelled(f"t{i}", ()), evidence(knowledge, "war-duration", 80)) for i in range(2)]
    free = fitting.fit([right, traps], Thresholds())
    assert fitting.tally(right, free).correct == 0  # the traps outweigh one right answer
    floored = fitting.fit([right, traps], Thresholds(), [Floors(answered=100), None])
    assert fitting.tally(right, floored).correct == 1
    floors = [Floors(answered=100), None]
    left_out = fitting.leave_one_out([("a", right), ("b", traps)], Thresholds(), floors)
    # a floor binds only the sets fitted on: A left out, the fit on the traps answers nothing at
    # 80 (A gets 0 %); the traps left out, A's floor makes the fit answer them (2 wrong of 2)
    assert "correct   0.0 %" in left_out[0] and "wrong 100.0 % (2/2)" in left_out[1]
    report = fitting.report([("a", right), ("b", traps)], Thresholds(), (), floors)
    assert "no grid point keeps" not in report
    unmeetable = [Floors(answered=100, declined=100)]
    mixed = right + traps
    assert "no grid point keeps every set within its floors" in fitting.report(
        [("m", mixed)], Thresholds(), (), unmeetable
    )


def test_a_tally_meets_floors_and_ceilings() -> None:
    """answered, one_tap and declined are floors; wrong is a ceiling; None checks nothing."""
    counts = fitting.Tally(in_scope=4, out_of_scope=2, correct=3, reached=4, wrong=0)
    assert counts.meets(None) and counts.meets(Floors())
    assert counts.meets(Floors(answered=75, one_tap=100, declined=100, wrong=0))
    assert not counts.meets(Floors(answered=76))
    assert not replace(counts, out_answered=1).meets(Floors(declined=60))
    assert not replace(counts, wrong=1).meets(Floors(wrong=10))


def test_grid_keeps_suggest_and_varies_the_fitted_limits() -> None:
    """Every grid point keeps the base's suggest and max_suggestions."""
    base = replace(Thresholds(), suggest=30, max_suggestions=2)
    points = list(fitting.grid(base))
    assert len(points) == len(set(points)) > 1
    assert {(p.suggest, p.max_suggestions) for p in points} == {(30, 2)}
    assert {p.answer for p in points} == set(fitting.GRID["answer"])


def test_leave_one_out_reports_one_line_per_set(knowledge: Knowledge) -> None:
    """Each set is measured with thresholds fitted on the others."""
    a = [(Labelled("a", ("summary",)), evidence(knowledge, "summary", 85))]
    b = [(Labelled("b", ()), evidence(knowledge, "summary", 60))]
    lines = fitting.leave_one_out([("a.yaml", a), ("b.yaml", b)], Thresholds())
    assert [line.split()[0] for line in lines] == ["a.yaml", "b.yaml"]
    assert all("[answer " in line for line in lines)


def test_settings_lines_name_the_environment_variables() -> None:
    """The fitted thresholds are printed as the settings that apply them."""
    limits = Thresholds(
        answer=72,
        margin=4,
        confident=95,
        max_unseen=0.3,
        clear_max_unseen=0.35,
        long_answer=45,
        long_margin=12,
    )
    assert fitting.settings_lines(limits) == [
        "BOT_ANSWER_THRESHOLD=72",
        "BOT_AMBIGUITY_MARGIN=4",
        "BOT_CONFIDENT_THRESHOLD=95",
        "BOT_MAX_UNKNOWN_SHARE=0.3",
        f"BOT_CLEAR_ANSWER_THRESHOLD={limits.clear_answer:g}",
        f"BOT_CLEAR_MARGIN={limits.clear_margin:g}",
        "BOT_CLEAR_MAX_UNKNOWN_SHARE=0.35",
        "BOT_LONG_ANSWER_THRESHOLD=45",
        "BOT_LONG_MARGIN=12",
        f"BOT_LONG_MAX_UNKNOWN_SHARE={limits.long_max_unseen:g}",
        f"BOT_SIBLING_MARGIN={limits.sibling_margin:g}",
        f"BOT_MIN_AGREEMENT={limits.min_agreement:g}",
        f"BOT_AGREED_ANSWER_THRESHOLD={limits.agreed_answer:g}",
        f"BOT_AGREED_SHARE={limits.agreed_share:g}",
        f"BOT_AGREED_MARGIN={limits.agreed_margin:g}",
        f"BOT_AGREED_MAX_UNKNOWN_SHARE={limits.agreed_max_unseen:g}",
    ]
