"""Tests for bot.core.decisions: each rule of the policy, each answer route, and its reasons."""

from __future__ import annotations

from dataclasses import replace

import pytest

from bot.core.agreement import Agreement
from bot.core.candidate import Candidate
from bot.core.decisions import answers, decide, reason
from bot.core.evidence import Evidence
from bot.core.thresholds import Thresholds
from bot.knowledge.knowledge import Knowledge

LIMITS = Thresholds(
    answer=78,
    suggest=20,
    margin=6,
    confident=100,
    max_unseen=0.25,
    clear_answer=55,
    clear_margin=20,
    clear_max_unseen=0.45,
    long_words=8,
    long_answer=40,
    long_margin=15,
    long_max_unseen=0.45,
    sibling_margin=5,
    min_agreement=0.2,
    agreed_answer=65,
    agreed_share=0.5,
    agreed_margin=6,
    agreed_max_unseen=0.45,
)


def found(knowledge: Knowledge, top: float, rival: float, **signals: object) -> Evidence:
    """Evidence: crimea-annexed at ``top``, an unrelated entry of another sentence at ``rival``;
    none of the nearest phrasings its own unless ``agreement`` says so (routes one at a time)."""
    own, kin = signals.pop("agreement", 0.0), signals.pop("kin_agreement", 1.0)
    signals["nearest"] = Agreement.fixed(float(own), float(kin))  # type: ignore[arg-type]
    first = knowledge.by_id["crimea-annexed"]
    other = knowledge.by_id["war-duration"]
    assert other.id not in first.related and other.sentence != first.sentence
    candidates = (Candidate(first, top, "q"), Candidate(other, rival, "q"))
    return replace(Evidence("q", candidates), **signals)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("top", "rival", "signals", "kind"),
    [
        (85, 70, {}, "answer"),  # plain: score and margin
        (85, 82, {}, "suggest"),  # plain, but a rival within the margin
        (100, 99, {}, "answer"),  # typed exactly as a phrasing: no margin needed
        (85, 70, {"unseen_share": 0.3}, "suggest"),  # too much of it unknown
        (70, 45, {}, "answer"),  # clear winner
        (70, 55, {}, "suggest"),  # not clear enough
        (70, 45, {"unseen_share": 0.4}, "answer"),  # a clear winner may carry paraphrase
        (70, 45, {"unseen_share": 0.5}, "suggest"),  # clear, but too much unknown
        (45, 25, {"length": 9, "unseen_share": 0.4}, "answer"),  # long question
        (45, 25, {"length": 7, "unseen_share": 0.4}, "suggest"),  # not long enough
        (45, 35, {"length": 9}, "suggest"),  # long, but no clear margin
        (45, 25, {"length": 9, "unseen_share": 0.5}, "suggest"),  # long, too much unknown
        (95, 20, {"missing": "time"}, "suggest"),  # asks "when", the answer gives no time
        (95, 20, {"missing": "name"}, "suggest"),  # asks for names, the answer gives none new
        (95, 20, {"missing": "speaker"}, "suggest"),  # asks what someone the entry lacks said
        (95, 20, {"missing": "more"}, "suggest"),  # "what else": more than the answer gives
        (70, 60, {"agreement": 0.6, "length": 3}, "answer"),  # agreed: the nearest are its own
        (70, 60, {"agreement": 0.4, "length": 3}, "suggest"),  # too few of them its own
        (70, 60, {"agreement": 0.9, "length": 1}, "suggest"),  # one word: no vote worth having
        (70, 66, {"agreement": 0.9, "length": 3}, "suggest"),  # agreed, a rival within the margin
        (62, 40, {"agreement": 0.9, "length": 3, "unseen_share": 0.5}, "suggest"),  # too low
        (70, 60, {"agreement": 0.9, "length": 3, "unseen_share": 0.5}, "suggest"),  # unknown
        (85, 70, {"kin_agreement": 0.1}, "suggest"),  # the nearest phrasings are other sentences'
        (70, 45, {"kin_agreement": 0.1}, "suggest"),  # … which blocks every route
        (100, 99, {"kin_agreement": 0.0}, "answer"),  # typed as a phrasing: not checked
        (15, 10, {}, "decline"),  # nothing close enough to offer
    ],
)
def test_each_answer_route_and_its_limits(
    knowledge: Knowledge, top: float, rival: float, signals: dict[str, object], kind: str
) -> None:
    """Plain, clear-winner, long-question and agreed routes answer; anything short of them, or
    nearest phrasings that belong to other sentences, does not."""
    result = decide(found(knowledge, top, rival, **signals), LIMITS)
    assert result.kind == kind, reason(found(knowledge, top, rival, **signals), LIMITS)
    if kind == "suggest":
        assert [c.entry.id for c in result.suggestions][:1] == ["crimea-annexed"]


def test_a_related_runner_up_is_no_rival(knowledge: Knowledge) -> None:
    """A close entry the answer offers as a related button does not block the answer."""
    first = knowledge.by_id["crimea-annexed"]
    related = knowledge.by_id[first.related[0]]
    evidence = Evidence("q", (Candidate(first, 85, "q"), Candidate(related, 84, "q")))
    assert evidence.margin == 85
    assert answers(evidence, LIMITS)


@pytest.mark.parametrize(
    ("signals", "kind", "flag"),
    [
        ({"opinion": True}, "decline", "opinion"),
        ({"foreign": ("Yemen",)}, "decline", "foreign"),
        ({"vague": True}, "suggest", None),
    ],
)
def test_opinion_foreign_name_and_vague_rules_come_before_any_answer(
    knowledge: Knowledge, signals: dict[str, object], kind: str, flag: str | None
) -> None:
    """Even a perfect score is declined for an opinion or a foreign name; vague suggests."""
    result = decide(found(knowledge, 100, 60, **signals), LIMITS)
    assert result.kind == kind
    if flag == "opinion":
        assert result.opinion and result.suggestions
    if flag == "foreign":
        assert result.foreign == ("Yemen",) and result.suggestions == ()


def test_no_candidate_is_a_decline_and_an_empty_message_is_empty() -> None:
    """Nothing shared: decline; nothing at all: empty."""
    assert decide(Evidence("q"), LIMITS).kind == "decline"
    assert decide(Evidence("", empty=True), LIMITS).kind == "empty"


def test_reason_names_the_rule_and_every_route_with_its_numbers(knowledge: Knowledge) -> None:
    """The explanation shows each route's comparisons, so a maintainer sees what blocked it."""
    text = reason(found(knowledge, 70, 55), LIMITS)
    assert text.startswith(
        "not sure (rule 6): nearest phrasings on the top entry or its siblings 1 >= 0.2; "
        "plain: score 70 < 78"
    )
    assert "clear winner: score 70 >= 55, margin 15 < 20, unseen share 0 <= 0.45" in text
    assert "long question: words 0 < 8" in text
    assert "agreed: words 0 < 2, score 70 >= 65, own share of the nearest phrasings 0 < 0.5" in text


def test_a_typo_of_a_phrasing_needs_no_agreement(knowledge: Knowledge) -> None:
    """The nearest phrasings point elsewhere, but the closest phrasing is almost the question
    (F1 0.9 >= close_phrasing 0.8): answered, and the reason says why no vote was needed."""
    first, other = knowledge.by_id["crimea-annexed"], knowledge.by_id["war-duration"]
    near = (Candidate(first, 85, "q", closeness=0.9), Candidate(other, 70, "q"))
    evidence = Evidence("q", near, nearest=Agreement.fixed(0.0, 0.1))
    limits = replace(LIMITS, close_phrasing=0.8)
    assert decide(evidence, limits).kind == "answer"
    assert "(not needed: closest phrasing 0.9 >= 0.8)" in reason(evidence, limits)
    assert decide(evidence, replace(limits, close_phrasing=0.95)).kind == "suggest"
    assert reason(found(knowledge, 100, 1, foreign=("EU",)), LIMITS).endswith("EU (rule 2)")


def _with_sibling(knowledge: Knowledge, score: float, gap: float, **signals: object) -> Evidence:
    """Evidence: le-monde-referendum at ``score``, its related referendum-timing ``gap`` behind."""
    top, sibling = knowledge.by_id["le-monde-referendum"], knowledge.by_id["referendum-timing"]
    assert sibling.id in top.related
    candidates = (Candidate(top, score, "q"), Candidate(sibling, score - gap, "q"))
    return replace(Evidence("q", candidates), **signals)  # type: ignore[arg-type]


def test_a_sibling_within_the_margin_is_answered_together_with_the_top(
    knowledge: Knowledge,
) -> None:
    """referendum-timing 2 points behind le-monde-referendum (its related entry): the answer
    gives both, on the plain route and on the lower-score ones; 8 points behind (beyond the
    margin of 5) the top is answered alone, the sibling left as a related button."""
    for evidence in (
        _with_sibling(knowledge, 90, 2),
        _with_sibling(knowledge, 70, 2),
        _with_sibling(knowledge, 45, 2, length=9),
    ):
        paired = decide(evidence, LIMITS)
        assert paired.kind == "answer"
        assert paired.answered_ids == ("le-monde-referendum", "referendum-timing")
    alone = decide(_with_sibling(knowledge, 70, 8), LIMITS)
    assert alone.kind == "answer" and alone.companion is None
    assert alone.answered_ids == ("le-monde-referendum",)


def test_a_sibling_never_makes_an_answer_of_a_question_that_gets_none(
    knowledge: Knowledge,
) -> None:
    """The companion rides on an answer; it neither blocks one nor creates one: at 50 (no
    route) "did you mean" offers both, and a margin of 0 never pairs."""
    unsure = decide(_with_sibling(knowledge, 50, 2), LIMITS)
    assert unsure.kind == "suggest" and unsure.companion is None
    assert unsure.answered_ids == ()
    assert [c.entry.id for c in unsure.suggestions][:2] == [
        "le-monde-referendum",
        "referendum-timing",
    ]
    never = decide(_with_sibling(knowledge, 90, 0.5), replace(LIMITS, sibling_margin=0))
    assert never.kind == "answer" and never.companion is None


def test_no_sibling_for_a_question_typed_as_a_phrasing_or_one_that_scores_too_low(
    knowledge: Knowledge,
) -> None:
    """At 100 (typed exactly as a phrasing) the top is answered alone; a sibling below the
    lowest answer score (40 here) is never given; `explain` says which held it back."""
    exact = _with_sibling(knowledge, 100, 2)
    assert decide(exact, LIMITS).companion is None
    assert "alone (typed as a phrasing" in reason(exact, LIMITS)
    low = _with_sibling(knowledge, 42, 4, length=9)  # long route at 42, its sibling at 38
    result = decide(low, LIMITS)
    assert result.kind == "answer" and result.companion is None
    assert "alone (the sibling scores below 40)" in reason(low, LIMITS)
    no_long_route = replace(LIMITS, long_answer=101, clear_answer=55)
    clear = _with_sibling(knowledge, 62, 4)
    assert decide(clear, no_long_route).companion is not None  # 58 >= the lowest route, 55


def test_the_reason_says_whether_the_sibling_is_answered_too(knowledge: Knowledge) -> None:
    """`explain` shows the sibling gap against the margin and what follows from it."""
    close = reason(_with_sibling(knowledge, 70, 2), LIMITS)
    assert "sibling gap 2 < 5: answered together with referendum-timing" in close
    far = reason(_with_sibling(knowledge, 70, 8), LIMITS)
    assert "sibling gap 8 >= 5: alone" in far
    unsure = reason(_with_sibling(knowledge, 50, 2), LIMITS)
    assert unsure.startswith("not sure") and "an answer would give referendum-timing too" in unsure
    assert reason(found(knowledge, 70, 40), LIMITS).endswith("no sibling scored")


def test_a_rival_within_the_plain_margin_still_leaves_the_agreed_route(
    knowledge: Knowledge,
) -> None:
    """A high score with a rival 5 behind fails the plain route (margin 6) but passes the agreed
    route (margin 4) when the nearest phrasings agree: answered, as it would be at a lower
    score — raising the answer threshold must never answer more."""
    limits = replace(LIMITS, agreed_margin=4)
    evidence = found(knowledge, 85, 80, agreement=0.9, length=3)
    assert decide(evidence, limits).kind == "answer"
    assert decide(evidence, replace(limits, answer=90, suggest=20)).kind == "answer"
    assert decide(found(knowledge, 85, 80, agreement=0.3, length=3), limits).kind == "suggest"
