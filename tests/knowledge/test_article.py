"""Tests for bot.knowledge.article: loading the article, its sentences and byte-for-byte lookups."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.knowledge.article import Article, load_article
from tests.support.paths import ARTICLE, REPO

SHARED_ARTICLE = REPO.parent / "shared" / "seeds" / "article.txt"


@pytest.fixture(scope="module")
def article() -> Article:
    """The shipped article, loaded once."""
    return load_article(ARTICLE)


def test_sentences_are_the_non_empty_lines_in_order(article: Article) -> None:
    """Every non-empty line of the file is one sentence, in file order, unchanged."""
    lines = [line for line in ARTICLE.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert article.sentences == tuple(lines)
    assert len(article.sentences) >= 2
    assert article.path == ARTICLE


def test_headline_is_the_first_line(article: Article) -> None:
    """The headline is line 1 of the file."""
    first_line = ARTICLE.read_text(encoding="utf-8").splitlines()[0]
    assert article.headline == first_line
    assert article.headline == article.sentences[0]


def test_load_article_accepts_a_string_path() -> None:
    """load_article takes a str as well as a Path, and records the path as a Path."""
    loaded = load_article(str(ARTICLE))
    assert isinstance(loaded.path, Path)
    assert loaded.sentences == load_article(ARTICLE).sentences


def test_line_of_every_sentence_is_its_one_based_line(article: Article) -> None:
    """line_of returns the 1-based position of each sentence and contains() agrees."""
    for number, sentence in enumerate(article.sentences, start=1):
        assert article.line_of(sentence) == number
        assert article.contains(sentence)


def test_straight_quotes_do_not_match_curly_quotes(article: Article) -> None:
    """A sentence typed with straight quotes is not the article's curly-quoted sentence."""
    curly = [s for s in article.sentences if "“" in s or "’" in s]
    assert curly, "the article is expected to use typographic quotes"
    for sentence in curly:
        straight = sentence.replace("“", '"').replace("”", '"').replace("’", "'")
        assert straight != sentence
        assert article.line_of(straight) is None
        assert not article.contains(straight)


@pytest.mark.parametrize(
    "change",
    [
        pytest.param(lambda s: s + " ", id="trailing-space"),
        pytest.param(lambda s: " " + s, id="leading-space"),
        pytest.param(lambda s: s.lower(), id="lower-case"),
        pytest.param(lambda s: s[:-1], id="truncated"),
        pytest.param(lambda s: s.replace("–", "-"), id="en-dash-to-hyphen"),
    ],
)
def test_lookups_are_byte_for_byte(article: Article, change) -> None:
    """Any change to a sentence (spacing, case, length, dashes) makes it not found."""
    headline = article.headline
    changed = change(headline)
    assert changed != headline
    assert article.line_of(changed) is None
    assert not article.contains(changed)


def test_part_of_a_sentence_is_not_a_sentence(article: Article) -> None:
    """Only whole lines count: a fragment of a sentence is not contained."""
    sentence = article.sentences[1]
    fragment = sentence[: len(sentence) // 2]
    assert article.line_of(fragment) is None
    assert not article.contains(fragment)


def test_blank_lines_are_skipped_and_crlf_is_handled(tmp_path: Path) -> None:
    """Blank and whitespace-only lines are not sentences; CRLF endings are not kept."""
    path = tmp_path / "a.txt"
    path.write_bytes("Headline “quoted”\r\n\r\n   \r\nSecond – line.\r\nThird line.".encode())
    loaded = load_article(path)
    assert loaded.sentences == ("Headline “quoted”", "Second – line.", "Third line.")
    assert loaded.headline == "Headline “quoted”"
    assert loaded.line_of("Second – line.") == 2
    assert loaded.line_of("Third line.") == 3


def test_sentences_keep_their_inner_whitespace(tmp_path: Path) -> None:
    """A line is stored verbatim, including its leading and trailing spaces."""
    path = tmp_path / "a.txt"
    path.write_text("Headline\n  indented line  \n", encoding="utf-8")
    loaded = load_article(path)
    assert loaded.sentences == ("Headline", "  indented line  ")
    assert loaded.contains("  indented line  ")
    assert not loaded.contains("indented line")


@pytest.mark.parametrize("content", ["", "\n\n", "   \n\t\n"], ids=["empty", "newlines", "blank"])
def test_empty_article_is_an_error_naming_the_file(tmp_path: Path, content: str) -> None:
    """An article with no non-empty line raises ValueError naming the file."""
    path = tmp_path / "empty.txt"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ValueError, match="empty") as info:
        load_article(path)
    assert str(path) in str(info.value)


def test_missing_article_raises_oserror(tmp_path: Path) -> None:
    """A missing article file is reported as an OSError (FileNotFoundError)."""
    with pytest.raises(OSError):
        load_article(tmp_path / "nope.txt")


def test_article_is_frozen(article: Article) -> None:
    """An Article cannot be modified after loading."""
    with pytest.raises(AttributeError):
        article.sentences = ()  # type: ignore[misc]


# SHA-256 of ../shared/seeds/article.txt when it was copied in; the shared copy is checked
# directly where it exists (CI lays shared/ beside the clone).
ARTICLE_SHA256 = "c4d5fd04142fe592774dc58c096da946921d7681e38d78c7581207d8a70208de"


def test_seed_article_is_byte_identical_to_shared_copy() -> None:
    """seeds/article.txt is a byte-for-byte copy of the shared article (or of its digest)."""
    import hashlib

    data = ARTICLE.read_bytes()
    if SHARED_ARTICLE.exists():
        assert data == SHARED_ARTICLE.read_bytes()
    assert hashlib.sha256(data).hexdigest() == ARTICLE_SHA256
