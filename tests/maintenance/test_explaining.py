"""Tests for bot.maintenance.explaining: how a question was read, scored and decided."""

from __future__ import annotations

import pytest

from bot.knowledge.knowledge import Knowledge
from bot.maintenance.explaining import explain, unseen_words


def word_line(text: str, token: str) -> str:
    """Return the explanation line describing ``token``."""
    return next(line for line in text.splitlines() if line.split()[:1] == [token])


def test_each_word_is_read_as_known_typo_everyday_or_unknown(knowledge: Knowledge) -> None:
    """A known word, a typo, an everyday word and an unknown word are told apart."""
    text = explain(knowledge.matcher, "was crimia annexed lately in finland")
    assert "known word" in word_line(text, "annexed")
    assert "typo of crimea" in word_line(text, "crimia")
    assert "everyday word" in word_line(text, "lately")
    assert "UNKNOWN" in word_line(text, "finland")
    assert "hint: finland never appears in the knowledge" in text


def test_synonyms_are_shown_as_the_word_they_are_read_as(knowledge: Knowledge) -> None:
    """'Kremlin' is explained as 'russia', the synonym group it belongs to."""
    text = explain(knowledge.matcher, "what does the kremlin want")
    assert "known word" in word_line(text, "russia")
    assert "kremlin" not in text.split("words kept")[1]


def test_candidates_and_decision_match_what_the_bot_does(knowledge: Knowledge) -> None:
    """The top candidate and the decision line agree with ``Matcher.match``."""
    question = "how long has the war lasted"
    result = knowledge.matcher.match(question)
    assert result.best is not None
    text = explain(knowledge.matcher, question)
    candidates = text.split("closest entries")[1].splitlines()[1]
    assert result.best.entry.id in candidates
    assert f"decision: {result.kind} {result.best.entry.id}" in text
    assert "hint:" not in text


def test_an_answer_with_a_sibling_names_both_entries(knowledge: Knowledge) -> None:
    """The decision line names the best entry and the sibling answered with it, and the
    reason shows the sibling gap against the margin."""
    text = explain(
        knowledge.matcher, "what does zelensky say about getting the occupied areas back"
    )
    assert "decision: answer occupied-areas-return + recover-diplomatically\n" in text
    assert "< 15: answered together with recover-diplomatically" in text


def test_words_set_aside_as_the_readers_purpose_options_or_home_are_listed(
    knowledge: Knowledge,
) -> None:
    """A word the matcher set aside does not just vanish from the explanation."""
    text = explain(knowledge.matcher, "For my dissertation, when was Crimea annexed?")
    assert "set aside (the reader's options, purpose or home, not the topic): dissertation" in text
    options = explain(knowledge.matcher, "was it sky news or the BBC that he spoke to?")
    assert "set aside (the reader's options, purpose or home, not the topic): bbc" in options
    home = explain(knowledge.matcher, "I'm from Poland, who is Zelensky?")
    assert "set aside (the reader's options, purpose or home, not the topic): poland" in home
    assert "names the article never mentions" not in home


def test_a_decline_names_no_entry(knowledge: Knowledge) -> None:
    """A declined question's decision line has no entry id, and 'why' names the rule."""
    text = explain(knowledge.matcher, "best banana bread recipe")
    assert "decision: decline\n" in text
    assert "why: shares no word with the knowledge (rule 3)" in text


def test_explain_shows_every_signal_and_the_rule_that_decided(knowledge: Knowledge) -> None:
    """Coverage and closeness per entry; score, unseen share and margin against the limits."""
    text = explain(knowledge.matcher, "when was crimea annexed by russia")
    assert "cover " in text and "close " in text
    why = next(line for line in text.splitlines() if line.startswith("why: "))
    limits = knowledge.matcher.thresholds
    assert why.startswith("why: answer (rule 5): nearest phrasings on the top entry or its ")
    assert "plain: score " in why
    assert f">= {limits.answer:g}" in why and "unseen share" in why and "margin" in why
    assert "clear winner: " in why and "long question: words " in why and "agreed: words" in why
    assert "nearest phrasings (the 10 closest, by closeness): 1.00 the top entry's own" in text


def test_explain_says_when_the_nearest_phrasings_point_elsewhere(knowledge: Knowledge) -> None:
    """A question whose nearest phrasings belong to other sentences is not answered, and
    explain prints both shares and the failed check with the same numbers."""
    question = "when did zelensky become president"
    evidence = knowledge.matcher.gather(question)
    limits = knowledge.matcher.thresholds
    assert evidence.kin_agreement < limits.min_agreement
    text = explain(knowledge.matcher, question)
    assert (
        f"{evidence.agreement:.2f} the top entry's own, {evidence.kin_agreement:.2f} with its "
        "siblings" in text
    )
    assert f"its siblings {evidence.kin_agreement:.3g} < {limits.min_agreement:g}" in text
    assert "decision: answer" not in text


@pytest.mark.parametrize(
    ("question", "rule"),
    [
        ("How long has the war in Yemen lasted?", "names what the article never mentions: Yemen"),
        ("is this a good idea?", "asks for an opinion or a prediction"),
        ("nato", "one or two words that many entries share"),
    ],
)
def test_explain_names_the_rule_of_a_decline_or_a_suggestion(
    knowledge: Knowledge, question: str, rule: str
) -> None:
    """The 'why' line names the rule that fired, and the foreign name when there is one."""
    assert f"why: {rule}" in explain(knowledge.matcher, question)


def test_stop_words_only_is_reported_as_empty(knowledge: Knowledge) -> None:
    """A question of stop words only says nothing is left to match."""
    assert "no content words left" in explain(knowledge.matcher, "what is it?")


def test_unseen_words_are_counted_across_questions(knowledge: Knowledge) -> None:
    """Unknown words are counted over many questions; known and everyday words are not."""
    counts = unseen_words(
        knowledge.matcher, ["is finland in nato", "finland and sweden", "right now"]
    )
    assert counts == [("finland", 2), ("sweden", 1)]


def test_explain_says_small_words_are_not_compared_with_the_nearest_phrasings(
    knowledge: Knowledge,
) -> None:
    """'what is this about?' is compared whole with the phrasings: no shares are printed as if
    measured."""
    text = explain(knowledge.matcher, "what is this about?")
    assert "nearest phrasings: not compared (small words only" in text
    assert "the top entry's own" not in text
