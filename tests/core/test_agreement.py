"""Tests for bot.core.agreement: how far the phrasings nearest a question agree on its entry."""

from __future__ import annotations

from dataclasses import replace

import pytest

from bot.core.agreement import agreement
from bot.core.candidate import Candidate
from bot.core.decisions import decide
from bot.knowledge.knowledge import Knowledge


def _index_of(knowledge: Knowledge, entry_id: str) -> int:
    return [e.id for e in knowledge.entries].index(entry_id)


def test_shares_count_the_top_entry_and_its_siblings_by_closeness(knowledge: Knowledge) -> None:
    """Own share: the top entry's phrasings; kin share: its siblings' too; weighted by F1."""
    top = knowledge.by_id["le-monde-referendum"]
    assert "referendum-timing" in top.related
    nearest = [
        (0.8, _index_of(knowledge, "le-monde-referendum")),
        (0.6, _index_of(knowledge, "referendum-timing")),  # a sibling: kin, not own
        (0.6, _index_of(knowledge, "war-duration")),  # another sentence: neither
    ]
    own, kin = agreement(knowledge.entries, Candidate(top, 70, "q"), nearest)
    assert own == pytest.approx(0.8 / 2.0)
    assert kin == pytest.approx(1.4 / 2.0)


def test_nothing_near_disagrees(knowledge: Knowledge) -> None:
    """No candidate or no phrasing near the question: both shares are 1 (no evidence against)."""
    top = Candidate(knowledge.by_id["summary"], 50, "q")
    assert agreement(knowledge.entries, None, [(0.5, 0)]) == (1.0, 1.0)
    assert agreement(knowledge.entries, top, []) == (1.0, 1.0)
    assert agreement(knowledge.entries, top, [(0.0, 3)]) == (1.0, 1.0)


def test_a_question_near_one_entrys_phrasings_agrees_on_it(knowledge: Knowledge) -> None:
    """'why's he saying this stuff now' scores low (chat words), but its nearest phrasings are
    why-now's: it is answered on the agreed route, and without that route it is not."""
    matcher = knowledge.matcher
    evidence = matcher.gather("why's he saying this stuff now")
    assert evidence.top is not None and evidence.top.entry.id == "why-now"
    assert evidence.agreement >= matcher.thresholds.agreed_share
    assert evidence.top.score < matcher.thresholds.answer
    assert decide(evidence, matcher.thresholds).kind == "answer"
    no_route = replace(matcher.thresholds, agreed_answer=101.0)
    assert decide(evidence, no_route).kind == "suggest"


def test_a_question_whose_nearest_phrasings_are_other_sentences_is_not_answered(
    knowledge: Knowledge,
) -> None:
    """'when did zelensky become president' shares 'when … become' with crimea-annexed's
    'when did Crimea become Russian', a clear winner by score; but most of its nearest
    phrasings are who-is-zelensky's: it gets "did you mean", and is answered only without the
    check."""
    matcher = knowledge.matcher
    evidence = matcher.gather("when did zelensky become president")
    assert evidence.top is not None and evidence.top.entry.id == "crimea-annexed"
    assert evidence.kin_agreement < matcher.thresholds.min_agreement
    assert decide(evidence, matcher.thresholds).kind == "suggest"
    unchecked = replace(matcher.thresholds, min_agreement=0.0)
    assert decide(evidence, unchecked).kind == "answer"


def test_shares_are_between_zero_and_one_and_exact_phrasings_agree(knowledge: Knowledge) -> None:
    """Every entry's own phrasings, typed exactly, are nearest to themselves."""
    for entry in knowledge.entries:
        evidence = knowledge.matcher.gather(entry.questions[0])
        assert 0.0 <= evidence.agreement <= evidence.kin_agreement <= 1.0
        assert evidence.kin_agreement >= 0.2, entry.questions[0]
