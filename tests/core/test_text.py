"""Tests for bot.core.text: folding, word splitting, stemming and the synonym-aware normaliser."""

from __future__ import annotations

import pytest

from bot.core.text import STOP_WORDS, Normaliser, fold, stem, words

# ---------------------------------------------------------------------------------------------
# fold


@pytest.mark.parametrize(
    ("raw", "folded"),
    [
        ("Ukraine’s", "ukraine's"),
        ("‘single’", "'single'"),
        ("“double”", '"double"'),
        ("„low“", '"low"'),
        ("«guillemets»", '"guillemets"'),
        ("`tick`", "'tick'"),
    ],
)
def test_fold_unifies_quotes(raw: str, folded: str) -> None:
    """Curly, low and angle quotes and backticks become straight quotes."""
    assert fold(raw) == folded


@pytest.mark.parametrize("dash", ["\u2010", "\u2011", "\u2012", "\u2013", "\u2014", "\u2015", "−"])
def test_fold_unifies_dashes(dash: str) -> None:
    """Every Unicode dash and the minus sign become an ASCII hyphen."""
    assert fold(f"war{dash}in") == "war-in"


@pytest.mark.parametrize(
    ("raw", "folded"),
    [
        ("ＮＡＴＯ", "nato"),  # full-width letters
        ("ﬁnland", "finland"),  # ligature
        ("２０１４", "2014"),  # full-width digits
        ("Crimea\u00a0annexed", "crimea annexed"),  # no-break space
        ("e\u0301", "é"),  # combining accent composed
        ("Straße", "strasse"),  # case folding, not just lower()
    ],
)
def test_fold_applies_nfkc_and_casefold(raw: str, folded: str) -> None:
    """NFKC compatibility forms and case folding give one canonical spelling."""
    assert fold(raw) == folded


@pytest.mark.parametrize(
    "invisible",
    [
        "\u200b",  # zero width space
        "\u200c",  # zero width non-joiner
        "\u200d",  # zero width joiner
        "\u200e",  # left-to-right mark
        "\u200f",  # right-to-left mark
        "\u202a",  # left-to-right embedding
        "\u202e",  # right-to-left override
        "\u2060",  # word joiner
        "\ufeff",  # byte order mark / zero width no-break space
    ],
    ids=lambda c: f"U+{ord(c):04X}",
)
def test_fold_removes_invisible_characters_inside_words(invisible: str) -> None:
    """Zero-width and bidi control characters vanish, so a word is not split by them."""
    assert fold(f"cri{invisible}mea") == "crimea"
    assert words(fold(f"when was cri{invisible}mea annexed")) == [
        "when",
        "was",
        "crimea",
        "annexed",
    ]


def test_fold_removes_bidi_isolates_and_soft_hyphens_inside_words() -> None:
    """Other invisible format characters vanish too: bidi isolates U+2066..9 and soft hyphen.

    They are as invisible as the bidi embeddings U+202A..E that are removed, and common in text
    pasted from RTL clients and web pages; left in, they split a word in two.
    """
    for invisible in "\u2066\u2067\u2068\u2069\u00ad":
        assert fold(f"cri{invisible}mea") == "crimea", f"U+{ord(invisible):04X} was kept"


def test_fold_collapses_whitespace() -> None:
    """Runs of spaces, tabs and newlines become single spaces; ends are trimmed."""
    assert fold("  When \t was\n\nCrimea   annexed?  ") == "when was crimea annexed?"


def test_fold_is_idempotent() -> None:
    """Folding folded text changes nothing."""
    text = "  “Zelensky’s” ＮＡＴＯ – plan\u200b  "
    assert fold(fold(text)) == fold(text)


# ---------------------------------------------------------------------------------------------
# words


def test_words_drop_possessives() -> None:
    """'s after a word is dropped, for straight and (after folding) curly apostrophes."""
    assert words(fold("Ukraine’s constitution")) == ["ukraine", "constitution"]
    assert words(fold("Kyiv's control")) == ["kyiv", "control"]


def test_words_join_thousands_separators() -> None:
    """A number written with a thousands comma becomes one word: 1,000 -> 1000."""
    assert words("more than 1,000 days") == ["more", "than", "1000", "days"]
    assert words("12,345") == ["12345"]


def test_words_join_every_thousands_group() -> None:
    """A number with several thousands groups (1,000,000) becomes a single word."""
    assert words("1,000,000 people") == ["1000000", "people"]


def test_words_keep_list_commas_between_numbers_apart() -> None:
    """A comma not followed by exactly three digits is punctuation: '2014, 2022' stays two."""
    assert words("2014, 2022") == ["2014", "2022"]
    assert words("1,50") == ["1", "50"]


def test_words_treat_punctuation_and_underscores_as_spaces() -> None:
    """Punctuation and underscores separate words and never appear in them."""
    assert words("tl;dr: what's-new? (nato)_plan!") == ["tl", "dr", "what", "new", "nato", "plan"]


def test_words_remove_filler_phrases() -> None:
    """Filler such as 'according to the article' and 'can you tell me' is removed."""
    assert words("according to the article when was crimea annexed") == [
        "when",
        "was",
        "crimea",
        "annexed",
    ]
    assert words("can you tell me who is zelensky") == ["who", "is", "zelensky"]


def test_words_keep_filler_words_inside_other_words() -> None:
    """Filler phrases are matched on word boundaries, not inside longer words."""
    assert words("retell meaning") == ["retell", "meaning"]


def test_words_of_empty_or_punctuation_only_text_is_empty() -> None:
    """Text without letters or digits has no words."""
    assert words("") == []
    assert words("?!... --- ,,,") == []


# ---------------------------------------------------------------------------------------------
# stem


@pytest.mark.parametrize(
    ("word", "stemmed"),
    [
        ("annexed", "annex"),
        ("regions", "region"),
        ("territories", "territory"),
        ("occupied", "occupy"),
        ("occupies", "occupy"),
        ("occupy", "occupy"),
        ("stopped", "stop"),
        ("gaining", "gain"),
        ("talks", "talk"),
        ("getting", "get"),
        ("putting", "put"),
    ],
)
def test_stem_reduces_word_forms(word: str, stemmed: str) -> None:
    """Common inflections are stripped so word forms meet at one stem."""
    assert stem(word) == stemmed


@pytest.mark.parametrize("word", ["war", "days", "nato", "is", "2014", "1000000"])
def test_stem_leaves_short_words_and_numbers_alone(word: str) -> None:
    """Words of four letters or fewer and numbers are not stemmed."""
    assert stem(word) == word


def test_stem_keeps_at_least_four_letters() -> None:
    """A suffix is only removed when at least four letters remain."""
    assert stem("seeds") == "seed"
    assert stem("eased") == "eased"


# ---------------------------------------------------------------------------------------------
# Normaliser


@pytest.fixture(scope="module")
def normaliser() -> Normaliser:
    """A normaliser with a small synonym table, including multi-word variants."""
    return Normaliser.from_synonyms(
        {
            "nato": ["north atlantic treaty organization", "the alliance"],
            "occupied": ["occupy", "held by russia"],
            "give up": ["cede", "hand over"],
            "russia": ["kremlin", "moscow"],
        }
    )


def test_normaliser_maps_multi_word_variants(normaliser: Normaliser) -> None:
    """A multi-word variant is replaced by its canonical word as one token."""
    assert normaliser.tokens("Is Ukraine joining the North Atlantic Treaty Organization?") == (
        "ukraine",
        "join",
        "nato",
    )
    assert normaliser.tokens("the alliance") == ("nato",)


def test_normaliser_multi_word_canonical_becomes_one_token(normaliser: Normaliser) -> None:
    """A canonical with several words ('give up') becomes one underscore-joined token."""
    assert normaliser.tokens("will Ukraine give up Crimea") == ("ukraine", "give_up", "crimea")
    assert normaliser.tokens("will they hand over Crimea") == ("give_up", "crimea")
    assert normaliser.tokens("cede") == ("give_up",)


def test_normaliser_looks_variants_up_by_stem(normaliser: Normaliser) -> None:
    """Variants match other forms of the same word: 'occupies' finds the variant 'occupy'."""
    assert normaliser.tokens("Russia occupies Crimea") == ("russia", "occupied", "crimea")
    assert normaliser.tokens("the occupied areas") == ("occupied", "area")
    assert normaliser.tokens("areas held by Russia") == ("area", "occupied")


def test_normaliser_prefers_the_longest_phrase() -> None:
    """When phrases overlap, the longest one starting at a position wins."""
    norm = Normaliser.from_synonyms({"short": ["red fox"], "long": ["red fox jumps"]})
    assert norm.longest_phrase == 3
    assert norm.tokens("the red fox jumps") == ("long",)
    assert norm.tokens("the red fox sleeps") == ("short", "sleep")


def test_normaliser_drops_stop_words(normaliser: Normaliser) -> None:
    """Stop words (articles, auxiliaries, pronouns, greetings) never become tokens."""
    assert normaliser.tokens("is it the war that they did have") == ("war",)
    assert normaliser.tokens("the a an is was were") == ()
    assert normaliser.tokens("hi thanks, please") == ()


@pytest.mark.parametrize("question_word", ["when", "where", "who", "why", "how"])
def test_normaliser_keeps_question_words(normaliser: Normaliser, question_word: str) -> None:
    """Question words carry meaning, so they are kept as tokens."""
    assert question_word not in STOP_WORDS
    assert normaliser.tokens(f"{question_word} was Crimea annexed") == (
        question_word,
        "crimea",
        "annex",
    )


def test_normaliser_folds_before_tokenising(normaliser: Normaliser) -> None:
    """Case, curly quotes, invisible characters and possessives do not change the tokens."""
    plain = normaliser.tokens("the kremlin's position")
    assert normaliser.tokens("The KREMLIN’S\u200b position") == plain == ("russia", "position")


def test_normaliser_without_synonyms() -> None:
    """An empty synonym table still tokenises: stems, stop words out."""
    norm = Normaliser.from_synonyms({})
    assert norm.longest_phrase == 1
    assert norm.tokens("When were the regions annexed?") == ("when", "region", "annex")


def test_normaliser_canonical_maps_to_itself(normaliser: Normaliser) -> None:
    """The canonical word itself (in any form) maps to the canonical token."""
    assert normaliser.tokens("NATO") == ("nato",)
    assert normaliser.tokens("Russia") == ("russia",)


def test_a_phrasal_verb_split_by_a_few_words_is_read_as_its_phrase(
    normaliser: Normaliser,
) -> None:
    """'hand the occupied land over' reads like 'hand over' (up to three words between)."""
    assert normaliser.tokens("hand the occupied land over") == ("give_up", "occupied", "land")
    assert normaliser.tokens("handing them over") == ("give_up",)


def test_a_particle_too_far_away_is_left_alone(normaliser: Normaliser) -> None:
    """With four words between verb and particle, neither becomes the phrase."""
    tokens = normaliser.tokens("hand the occupied eastern land over")
    assert "give_up" not in tokens
    assert {"hand", "over"} <= set(tokens)


def test_a_longer_contiguous_phrase_wins_over_a_split_one() -> None:
    """'hold back' next to each other is the phrase; 'hold' alone keeps its own synonym."""
    normaliser = Normaliser.from_synonyms({"restrain": ["hold back"], "control": ["hold"]})
    assert normaliser.tokens("hold back") == ("restrain",)
    assert normaliser.tokens("hold the line back") == ("restrain", "line")
    assert normaliser.tokens("hold the line") == ("control", "line")


def test_time_fillers_are_dropped_but_a_meaningful_now_stays(normaliser: Normaliser) -> None:
    """'right now' and 'at the moment' are filler; the 'now' of 'why now' is kept."""
    assert normaliser.tokens("what about the land russia holds right now") == normaliser.tokens(
        "what about the land russia holds"
    )
    assert normaliser.tokens("at the moment, what is nato doing") == ("nato",)
    assert "now" in normaliser.tokens("why now")


def test_forms_give_the_written_word_of_each_stemmed_token(normaliser: Normaliser) -> None:
    """Stemmed tokens keep the word as written; synonyms and unchanged words have no form."""
    tokens, forms = normaliser.folded_tokens_and_forms(
        fold("when was crimea anexed by the kremlin")
    )
    assert tokens == ["when", "crimea", "anex", "russia"]
    assert forms == {"anex": "anexed"}


def test_words_read_number_words_as_digits() -> None:
    """'A thousand days' is read as the article writes it: '1,000 days'."""
    assert words(fold("more than a thousand days")) == ["more", "than", "a", "1000", "days"]
    assert words(fold("Twenty percent")) == ["20", "percent"]
    assert words(fold("the other one")) == ["the", "other", "one"]  # "one" stays a word


@pytest.mark.parametrize("contraction", ["hes", "whos", "hows", "thats", "theyre", "gonna"])
def test_contractions_typed_without_apostrophe_are_stop_words(contraction: str) -> None:
    """'whats the deal hes floating': contractions typed without an apostrophe carry no topic."""
    assert Normaliser.from_synonyms({}).tokens(f"{contraction} ceasefire") == ("ceasefire",)


@pytest.mark.parametrize(
    "framing", ["Good morning.", "Forgive me, but", "Pardon my ignorance, but", "smth atm nah"]
)
def test_greetings_and_chat_framing_carry_no_topic(framing: str) -> None:
    """Greetings, apologies and chat slang around a question are not read as its topic."""
    assert Normaliser.from_synonyms({}).tokens(f"{framing} ceasefire") == ("ceasefire",)
