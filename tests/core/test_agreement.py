"""Tests for bot.core.agreement: how far the phrasings nearest a question agree on its entry."""

from __future__ import annotations

from dataclasses import replace

import pytest

from bot.core.agreement import AGREEMENT_PHRASINGS, Agreement, nearest_phrasings, shares
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
    own, kin = shares(knowledge.entries, Candidate(top, 70, "q"), nearest)
    assert own == pytest.approx(0.8 / 2.0)
    assert kin == pytest.approx(1.4 / 2.0)


def test_nothing_near_disagrees(knowledge: Knowledge) -> None:
    """No candidate or no phrasing near the question: both shares are 1 (no evidence against)."""
    top = Candidate(knowledge.by_id["summary"], 50, "q")
    assert shares(knowledge.entries, None, [(0.5, 0)]) == (1.0, 1.0)
    assert shares(knowledge.entries, top, []) == (1.0, 1.0)
    assert shares(knowledge.entries, top, [(0.0, 3)]) == (1.0, 1.0)
    assert (Agreement().own, Agreement().kin) == (1.0, 1.0)


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


def test_the_nearest_are_the_highest_f1_and_every_phrasing_tied_at_the_cut() -> None:
    """Ten phrasings by F1, best first; a phrasing tied with the tenth votes too, so the order
    of the knowledge file never decides which of two tied entries counts."""
    reached = list(range(14))
    f1s = [0.9, 0.1, 0.8, 0.7, 0.6, 0.5, 0.45, 0.44, 0.43, 0.42, 0.40, 0.40, 0.05, 0.40]
    entry_of = list(range(14))
    best = f1s  # one phrasing per entry here
    near = nearest_phrasings(reached, f1s, entry_of, best)
    assert sorted(f1 for f1, _ in near)[-1] == 0.9
    assert {e for _, e in near} == {0, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 13}
    assert len(near) == AGREEMENT_PHRASINGS + 2  # 0.40 three times at the cut


def test_one_word_questions_are_not_answered_on_the_agreed_route(knowledge: Knowledge) -> None:
    """A single word's nearest phrasings agree on whichever entry uses it most: 'first' is no
    question about the ceasefire's terms."""
    for word in ("first", "inside", "through"):
        result = knowledge.matcher.match(word)
        assert result.kind != "answer", word


def test_the_small_words_path_opens_no_agreed_route(knowledge: Knowledge) -> None:
    """A question of stop words only is compared whole, with no F1 to vote: its own share is
    0, so the agreed route stays closed, and nothing vetoes (as before the route existed)."""
    evidence = knowledge.matcher.gather("what about the the")
    assert (evidence.agreement, evidence.kin_agreement) == (0.0, 1.0)
    assert knowledge.matcher.match("what about the bot").kind != "answer"


def test_a_typo_of_a_phrasing_is_answered_whatever_the_nearest_say(knowledge: Knowledge) -> None:
    """'when should this happn' (urgency's phrasing 'when should this happen' with a typo):
    few of its nearest phrasings are urgency's, but its closest is near enough to need no vote."""
    matcher = knowledge.matcher
    evidence = matcher.gather("when should this happn")
    assert evidence.top is not None and evidence.top.entry.id == "urgency"
    assert evidence.top.closeness >= matcher.thresholds.close_phrasing
    assert evidence.kin_agreement < matcher.thresholds.min_agreement
    assert matcher.match("when should this happn").kind == "answer"
