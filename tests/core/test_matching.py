"""Tests for bot.core.matching: answers, suggestions, declines, scores, thresholds, robustness."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.core.matching import Matcher, Thresholds, build_matcher
from bot.core.replies import reply_to
from bot.core.text import Normaliser, fold
from bot.core.wordlists import GENERIC_WORDS
from bot.knowledge.knowledge import Knowledge
from tests.support.html_checks import tags_of

# ---------------------------------------------------------------------------------------------
# answers


CLEAR_QUESTIONS = {
    "crimea-annexed": [
        "when was crimea annexed",
        "When did Russia annex Crimea?",
        "WHEN DID RUSSIA ANNEX CRIMEA",
        "when was crimia annexed",  # typo
        "When was Crimea anexed?",  # typo whose stem ("anex") is too short: looked up as written
        "Crimea annexed when",
        "crimea 2014",  # keywords only
    ],
    "war-duration": [
        "How long has the war lasted?",
        "how many days has the war lasted",
        "how long has the war lastd",  # typo
        "how long has the war been goin on",  # typo
        "war duration",  # keywords only
        "1,000 days",
    ],
    "russia-position": [
        "What does the Kremlin want?",
        "what does rusia say",  # typo
        "what does russsia say",  # typo
        "kremlin position",  # keywords only
    ],
    "ceasefire-for-nato": [
        "what does zelenksy want in return for a ceasfire",  # typos
        "ceasfire for nato memebrship",  # typos, keywords only
    ],
    "russian-controlled-share": [
        "How much of Ukraine does Russia control?",
        "how much of ukrane does russia control",  # typo
        "how much territory has ukraine lost",
        "one fifth",
    ],
    "le-monde-referendum": [
        "What did Zelensky tell Le Monde?",
        "what did zelensky tell le mond",  # typo
        "le monde",
    ],
    "victory-plan": ["whats the victory plan", "victory plan"],
    "hot-phase": ["hot phase of war?", "What is the hot phase of the war?"],
    "sky-news": ["what did he tell sky news"],
    "constitution": ["what does Ukraine's constitution say about giving up territory"],
}


@pytest.mark.parametrize(
    ("entry_id", "question"),
    [(entry_id, q) for entry_id, questions in CLEAR_QUESTIONS.items() for q in questions],
)
def test_clear_questions_are_answered(matcher: Matcher, entry_id: str, question: str) -> None:
    """Clear questions (any case, with typos, or keywords only) get the right entry's answer."""
    result = matcher.match(question)
    assert result.kind == "answer", [(c.entry.id, c.score) for c in result.candidates]
    assert result.answered
    assert result.best is not None
    assert result.best.entry.id == entry_id
    assert result.best.score >= matcher.thresholds.answer


def test_every_phrasing_answers_its_own_entry_with_100(matcher: Matcher) -> None:
    """Each phrasing in the knowledge file, typed exactly, answers its own entry with 100."""
    for entry in matcher.entries:
        for question in entry.questions:
            result = matcher.match(question)
            assert result.kind == "answer", question
            assert result.best.entry.id == entry.id, question
            assert result.best.score == 100.0, question


def test_exact_phrasing_ignores_case_and_end_punctuation(matcher: Matcher) -> None:
    """A phrasing typed with different case and a '?' still counts as exact and scores 100."""
    entry = matcher.entries[0]
    question = entry.questions[0].upper() + "?!"
    top = matcher.score_all(question)[0]
    assert (top.entry.id, top.score) == (entry.id, 100.0)


def test_greeting_prefix_does_not_change_the_answer(matcher: Matcher) -> None:
    """'hi,' before a question is a stop word: the same entry and score as without it."""
    plain = matcher.match("when was crimea annexed")
    greeted = matcher.match("hi, when was crimea annexed")
    assert greeted.kind == plain.kind == "answer"
    assert greeted.best.entry.id == plain.best.entry.id == "crimea-annexed"


# ---------------------------------------------------------------------------------------------
# suggestions and declines


@pytest.mark.parametrize("query", ["nato", "NATO", "Nato?", "ukraine", "russia", "territory"])
def test_one_ambiguous_word_gives_suggestions(matcher: Matcher, query: str) -> None:
    """A single word many entries share gives 'suggest' with at most 3 distinct suggestions."""
    result = matcher.match(query)
    assert result.kind == "suggest"
    assert not result.answered
    ids = [c.entry.id for c in result.suggestions]
    assert 1 <= len(ids) <= 3
    assert len(set(ids)) == len(ids)
    assert all(c.score >= matcher.thresholds.suggest for c in result.suggestions)
    scores = [c.score for c in result.suggestions]
    assert scores == sorted(scores, reverse=True)
    assert result.suggestions[0] == result.best


@pytest.mark.parametrize(
    "query",
    [
        "Is Finland a NATO member?",
        "How many soldiers have died?",
        "What did Biden say?",
        "Does the US back Zelenskyy's ceasefire proposal?",
        "what is the capital of France",
        "asdfgh",
        "Who won the football world cup?",
    ],
)
def test_near_topic_traps_and_unrelated_questions_are_not_answered(
    matcher: Matcher, query: str
) -> None:
    """Questions the article does not answer, even near-topic ones, get no answer."""
    result = matcher.match(query)
    assert result.kind in ("decline", "suggest"), [(c.entry.id, c.score) for c in result.candidates]
    assert not result.answered


@pytest.mark.parametrize(
    ("query", "names"),
    [
        ("Is Finland a NATO member?", ("Finland",)),
        ("How long has the war in Yemen lasted?", ("Yemen",)),
        ("who is the president of france", ("France",)),
        ("Does the US back Zelenskyy's ceasefire proposal?", ("US",)),
        ("what did the EU and the UN say about the offer", ("EU", "UN")),
        ("Will South Korea send troops?", ("South Korea",)),
        ("Is Donetsk among the occupied regions?", ("Donetsk",)),
    ],
)
def test_a_question_built_on_a_name_the_article_lacks_is_declined_with_it(
    matcher: Matcher, query: str, names: tuple[str, ...]
) -> None:
    """A place or organisation the article never mentions outweighs every shared word."""
    result = matcher.match(query)
    assert (result.kind, result.foreign) == ("decline", names)
    assert result.suggestions == ()


@pytest.mark.parametrize(
    "query",
    [
        "What did Zelensky tell Sky News in Kyiv?",
        "Reading the article, what does Zelensky want?",  # a capital at the start names nothing
        "does Moscow accept the offer",
        "TL;DR PLS",
        "Has Russia annexed Crimea?",
        "What did Vladimir Putin say about the ceasefire?",  # a city, but part of a known name
    ],
)
def test_names_the_knowledge_knows_or_chat_abbreviations_are_not_foreign(
    matcher: Matcher, query: str
) -> None:
    """Kyiv, Moscow, Crimea are the article's own; 'Reading' opens a sentence; TL;DR is chat."""
    assert matcher.read(query).names == ()


@pytest.mark.parametrize("query", ["", "   ", "???", "the a an", "!!! ... ,,,", "hi thanks"])
def test_text_without_content_words_is_empty(matcher: Matcher, query: str) -> None:
    """Text with no content words is 'empty', with no candidates."""
    result = matcher.match(query)
    assert result.kind == "empty"
    assert result.candidates == ()
    assert result.best is None


# ---------------------------------------------------------------------------------------------
# scores and ranking

SAMPLE_QUERIES = [
    "when was crimea annexed",
    "nato",
    "Is Finland a NATO member?",
    "how long has the war lasted",
    "what does russia say about the occupied territories",
    "zelensky ceasefire nato membership territory russia ukraine war",
    "How many soldiers have died?",
]


@pytest.mark.parametrize("query", SAMPLE_QUERIES)
def test_scores_are_between_0_and_100(matcher: Matcher, query: str) -> None:
    """Every candidate's score is within 0..100."""
    for candidate in matcher.score_all(query):
        assert 0.0 <= candidate.score <= 100.0


@pytest.mark.parametrize("query", SAMPLE_QUERIES)
def test_candidates_are_sorted_best_first(matcher: Matcher, query: str) -> None:
    """score_all ranks entries by score, best first, each entry at most once."""
    ranked = matcher.score_all(query)
    scores = [c.score for c in ranked]
    assert scores == sorted(scores, reverse=True)
    ids = [c.entry.id for c in ranked]
    assert len(ids) == len(set(ids))
    result = matcher.match(query)
    assert list(result.candidates) == ranked[: len(result.candidates)]
    assert len(result.candidates) <= 5


def test_candidate_question_is_a_phrasing_of_its_entry(matcher: Matcher) -> None:
    """The phrasing reported with a candidate belongs to that candidate's entry."""
    for query in SAMPLE_QUERIES:
        for candidate in matcher.score_all(query):
            assert candidate.question in candidate.entry.questions


def test_unrelated_words_score_nothing(matcher: Matcher) -> None:
    """A query sharing no word with the knowledge has no candidates at all."""
    assert matcher.score_all("asdfgh qwerty") == []


def test_results_are_deterministic(knowledge: Knowledge) -> None:
    """The same query gives the same result every time, and from a freshly built matcher."""
    fresh = build_matcher(knowledge.entries, knowledge.matcher.normaliser)
    for query in SAMPLE_QUERIES:
        first = knowledge.matcher.match(query)
        assert knowledge.matcher.match(query) == first
        assert fresh.match(query) == first


def test_exact_bonus_can_be_switched_off(matcher: Matcher) -> None:
    """score_all(exact=False) scores a phrasing by fuzzy matching alone, never above exact."""
    question = matcher.entries[0].questions[0]
    with_bonus = matcher.score_all(question)
    without = matcher.score_all(question, exact=False)
    assert with_bonus[0].score == 100.0
    assert without[0].score <= 100.0
    assert [c.entry.id for c in without] == [c.entry.id for c in with_bonus]


# ---------------------------------------------------------------------------------------------
# thresholds

# The plain answer route alone: no clear-winner or long-question route (101 is never reached).
PLAIN_ONLY: dict[str, float] = {"clear_answer": 101.0, "long_answer": 101.0, "agreed_answer": 101.0}


def test_strict_thresholds_decline_non_exact_questions(knowledge: Knowledge) -> None:
    """With answer=suggest=100, a question not typed as a phrasing is declined."""
    strict = build_matcher(
        knowledge.entries,
        knowledge.matcher.normaliser,
        Thresholds(answer=100, suggest=100, **PLAIN_ONLY),
    )
    question = "when was crimia annexed"
    assert 0 < knowledge.matcher.score_all(question)[0].score < 100
    assert knowledge.matcher.match(question).kind == "answer"
    assert strict.match(question).kind == "decline"
    exact = strict.match("when was Crimea annexed")
    assert exact.kind == "answer"
    assert exact.best.entry.id == "crimea-annexed"


def test_lenient_thresholds_answer_more(knowledge: Knowledge) -> None:
    """With every limit at its most lenient, anything that shares a word is answered (unless
    it asks for a detail the answer lacks: a time, a name, a number or a reaction)."""
    lenient = build_matcher(
        knowledge.entries,
        knowledge.matcher.normaliser,
        Thresholds(answer=0, suggest=0, margin=0, max_unseen=1.0),
    )
    assert not knowledge.matcher.match("are soldiers tired of the war").answered
    assert lenient.match("are soldiers tired of the war").kind == "answer"
    assert lenient.match("How many soldiers have died?").kind != "answer"  # no such number
    assert lenient.match("asdfgh").kind == "decline"


def test_answer_threshold_is_inclusive(knowledge: Knowledge) -> None:
    """A top score equal to the answer threshold is answered; just above it is not."""
    question = "when was crimia annexed"
    top = knowledge.matcher.score_all(question)[0].score
    assert 0 < top < 100
    normaliser = knowledge.matcher.normaliser
    at = build_matcher(
        knowledge.entries, normaliser, Thresholds(answer=top, suggest=top, **PLAIN_ONLY)
    )
    above = build_matcher(
        knowledge.entries, normaliser, Thresholds(answer=top + 0.1, suggest=top + 0.1, **PLAIN_ONLY)
    )
    assert at.match(question).kind == "answer"
    assert above.match(question).kind == "decline"


def test_between_thresholds_suggests(knowledge: Knowledge) -> None:
    """A top score between suggest and answer gives suggestions, not an answer."""
    question = "when was crimia annexed"
    top = knowledge.matcher.score_all(question)[0].score
    between = build_matcher(
        knowledge.entries,
        knowledge.matcher.normaliser,
        Thresholds(answer=top + 1, suggest=top - 1, **PLAIN_ONLY),
    )
    result = between.match(question)
    assert result.kind == "suggest"
    assert result.suggestions[0].entry.id == "crimea-annexed"


def test_max_suggestions_is_respected(knowledge: Knowledge) -> None:
    """No more suggestions are offered than Thresholds.max_suggestions."""
    for limit in (1, 2):
        limited = build_matcher(
            knowledge.entries,
            knowledge.matcher.normaliser,
            Thresholds(max_suggestions=limit),
        )
        result = limited.match("nato")
        assert result.kind in ("suggest", "answer")
        assert len(result.suggestions) <= limit


def test_default_thresholds_are_ordered() -> None:
    """The defaults satisfy 0 <= suggest <= answer <= 100."""
    limits = Thresholds()
    assert 0 <= limits.suggest <= limits.answer <= 100
    assert build_matcher((), Normaliser.from_synonyms({})).thresholds == limits


@pytest.mark.parametrize(
    ("answer", "suggest"),
    [(50, 60), (101, 50), (50, -1), (-1, -2), (100.5, 100.5)],
)
def test_thresholds_validation(answer: float, suggest: float) -> None:
    """Thresholds outside 0 <= suggest <= answer <= 100 raise ValueError."""
    with pytest.raises(ValueError, match="thresholds"):
        Thresholds(answer=answer, suggest=suggest)


@pytest.mark.parametrize(("answer", "suggest"), [(0, 0), (100, 100), (100, 0), (54, 49)])
def test_thresholds_valid_edges(answer: float, suggest: float) -> None:
    """The boundary values 0 and 100 and equal thresholds are accepted."""
    limits = Thresholds(answer=answer, suggest=suggest)
    assert (limits.answer, limits.suggest) == (answer, suggest)


# ---------------------------------------------------------------------------------------------
# the index is built once


def test_match_tokenises_only_the_query(
    knowledge: Knowledge, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Building the matcher tokenises the knowledge; matching tokenises only the question."""
    calls: list[str] = []
    original = Normaliser.folded_tokens_and_forms

    def counting(self: Normaliser, folded: str) -> tuple[list[str], dict[str, str]]:
        calls.append(folded)
        return original(self, folded)

    monkeypatch.setattr(Normaliser, "folded_tokens_and_forms", counting)
    matcher = build_matcher(knowledge.entries, knowledge.matcher.normaliser)
    assert len(calls) >= matcher.phrasing_count
    for query in ("when was crimea annexed", "nato", "Is Finland a NATO member?"):
        calls.clear()
        matcher.match(query)
        assert calls[0] == fold(query), "the question is tokenised first"
        assert calls.count(fold(query)) == 1, "and only once"
        assert all(c in fold(query) for c in calls[1:]), "then only the names it has"
        calls.clear()
        matcher.score_all(query)
        assert calls[0] == fold(query)
        assert calls.count(fold(query)) == 1


def test_phrasing_count_counts_every_question(knowledge: Knowledge) -> None:
    """Every phrasing with content words is indexed."""
    total = sum(len(e.questions) for e in knowledge.entries)
    assert knowledge.matcher.phrasing_count == total


def test_empty_matcher_declines() -> None:
    """A matcher with no entries declines (or reports empty) without failing."""
    matcher = build_matcher((), Normaliser.from_synonyms({}))
    assert matcher.phrasing_count == 0
    assert matcher.match("when was crimea annexed").kind == "decline"
    assert matcher.match("???").kind == "empty"


# ---------------------------------------------------------------------------------------------
# words the knowledge has never seen


def test_unseen_everyday_words_barely_lower_the_score(matcher: Matcher) -> None:
    """'right now', 'is it true', 'please' cost little: the question is still answered."""
    for query, entry_id in (
        ("what's the military situation right now", "battlefield"),
        ("give me the summary please", "summary"),
        ("is it true that about one fifth of ukraine is occupied", "russian-controlled-share"),
    ):
        result = matcher.match(query)
        assert (result.kind, result.best.entry.id if result.best else None) == ("answer", entry_id)


def test_unseen_topic_word_weighs_more_than_an_unseen_everyday_word(matcher: Matcher) -> None:
    """'Finland' in place of 'right' makes the question a decline, not an answer."""
    everyday = matcher.score_all("what's the military situation right now", exact=False)[0]
    topic = matcher.score_all("what's the military situation finland now", exact=False)[0]
    assert everyday.score - topic.score >= 15
    assert matcher.match("what's the military situation in finland now").kind != "answer"


def test_a_misspelt_repeat_of_a_word_does_not_count_against_the_question(
    matcher: Matcher,
) -> None:
    """'broadcaster ... intervew' both mean 'media': the misspelt repeat is ignored, not unknown."""
    once = matcher.score_all("which broadcaster did zelensky give it to", exact=False)[0]
    repeated = matcher.score_all(
        "which broadcaster did zelensky give the intervew to", exact=False
    )[0]
    assert repeated.entry.id == once.entry.id == "sky-news"
    assert repeated.score == once.score


def test_generic_words_are_single_lower_case_words() -> None:
    """The generic-word list holds plain lower-case words (it is compared with stems)."""
    assert GENERIC_WORDS
    assert all(word.isalpha() and word == word.lower() for word in GENERIC_WORDS)


# ---------------------------------------------------------------------------------------------
# robustness: arbitrary text never breaks matching or replies


def check_html(html: str) -> None:
    """Assert ``html`` uses only b, i and blockquote tags, properly balanced."""
    tags_of(html)


TRICKY = [
    "crimea",
    "annexed",
    "when",
    "nato",
    "Zelensky’s",
    "1,000",
    "<b>",
    "</blockquote>",
    "&amp;",
    "<script>alert(1)</script>",
    "🙂",
    "👍🏽",
    "🇺🇦",
    "مرحبا",
    "שלום",
    "\u202e",
    "\u2066",
    "\u200b",
    "\x00",
    "\x1b[31m",
    "\r\n",
    "\t",
    "ﬁ",
    "İ",
    "ß",
    "\ufeff",
    "—",
    "?",
    "hi",
    "thanks",
]

ANY_TEXT = st.one_of(
    st.text(max_size=4096),
    st.text(alphabet=st.characters(exclude_categories=("Cs",)), max_size=4096),
    st.text(alphabet=st.characters(categories=("Cc", "Cf", "Zs", "Zl", "Zp", "So", "Mn"))),
    st.lists(st.sampled_from(TRICKY) | st.text(max_size=8), max_size=400)
    .map(" ".join)
    .map(lambda s: s[:4096]),
)


@settings(max_examples=200, deadline=None)
@given(text=ANY_TEXT)
def test_any_text_never_breaks_match_or_reply(knowledge: Knowledge, text: str) -> None:
    """Any text (controls, emoji, RTL, markup) gives a consistent result and a safe HTML reply."""
    result = knowledge.matcher.match(text)
    limits = knowledge.matcher.thresholds
    assert result.kind in ("answer", "suggest", "decline", "empty")
    for candidate in result.candidates:
        assert 0.0 <= candidate.score <= 100.0
    if result.kind == "answer":
        assert result.best.score >= min(limits.answer, limits.clear_answer, limits.long_answer)
    elif result.kind == "suggest":
        ids = [c.entry.id for c in result.suggestions]
        assert 1 <= len(ids) <= limits.max_suggestions
        assert len(set(ids)) == len(ids)
        assert all(c.score >= limits.suggest for c in result.suggestions)
    elif result.kind == "decline" and not (result.opinion or result.foreign):
        assert result.best is None or result.best.score < limits.suggest
    reply = reply_to(knowledge, text)
    assert isinstance(reply.text, str)
    assert isinstance(reply.html, str)
    assert len(reply.text) <= 4096
    assert len(reply.html) <= 4096
    check_html(reply.html)


def test_a_request_for_names_needs_an_answer_that_gives_a_new_name(knowledge: Knowledge) -> None:
    """'Who interviewed him on Sky News?': the answer names Sky News, which the question has."""
    matcher = knowledge.matcher
    interviewer = matcher.gather("who interviewed him on sky news")
    assert interviewer.unnamed and interviewer.top is not None
    assert interviewer.top.entry.id == "sky-news"
    assert matcher.match("who interviewed him on sky news").kind != "answer"
    regions = matcher.match("which regions exactly did russia annex in september 2022")
    assert regions.kind != "answer"
    full_name = matcher.gather("what is the full name of the ukrainian president in the article")
    assert not full_name.unnamed  # the answer gives "Volodymyr Zelensky"
    assert matcher.match("who is the president of ukraine").kind == "answer"


@pytest.mark.parametrize(
    "question",
    [
        "has the war really lasted more than a thousand days",
        "Good morning. Could you tell me, in a nutshell, what this article is about?",
        "is this a big u-turn from zelensky or nah",
    ],
)
def test_number_words_greetings_and_slang_do_not_sink_an_answer(
    question: str, knowledge: Knowledge
) -> None:
    """'A thousand days' is '1,000 days'; greetings and chat slang weigh nothing."""
    assert knowledge.matcher.match(question).kind == "answer"


def test_a_tie_between_phrasings_names_the_entrys_earlier_phrasing() -> None:
    """Two phrasings of one entry that fit the question equally: the candidate names the one
    written first, whatever order the scorer reached them in."""
    from bot.knowledge.schema import Entry

    entry = Entry(
        id="tie",
        questions=("alpha beta gamma", "gamma beta alpha", "delta", "epsilon", "zeta", "eta"),
        answer="a",
        sentence="s",
    )
    matcher = build_matcher((entry,), Normaliser.from_synonyms({}))
    (candidate,) = matcher.score_all("beta gamma alpha")
    assert candidate.question == "alpha beta gamma"
