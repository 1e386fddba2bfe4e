"""Tests for bot.maintenance.gazetteer: the shipped place names match their packages."""

from __future__ import annotations

from bot.core.places import COUNTRY_CODES_FILE, PLACES_FILE, country_codes
from bot.maintenance.gazetteer import country_codes_text, gazetteer_text


def _shipped_rows() -> dict[str, list[str]]:
    """Return the shipped places file as folded name -> [name as shown, needs a capital]."""
    return {
        line.split("\t")[0]: line.rstrip("\n").split("\t")[1:]
        for line in PLACES_FILE.read_text(encoding="utf-8").splitlines()
        if not line.startswith("#")
    }


def test_the_shipped_places_file_is_what_the_installed_packages_give() -> None:
    """bot/core/data/places.tsv equals a fresh `make places`: nobody edited it by hand."""
    assert PLACES_FILE.read_text(encoding="utf-8") == gazetteer_text(), "run `make places`"


def test_the_places_file_has_countries_cities_and_common_words_marked() -> None:
    """Yemen and Donetsk always count; Reading (common English) needs a capital."""
    rows = _shipped_rows()
    assert rows["yemen"] == ["Yemen", "0"]
    assert rows["donetsk"] == ["Donetsk", "0"]
    assert rows["reading"] == ["Reading", "1"]
    assert len(rows) > 5000


def test_the_places_file_reads_the_words_for_countries_people_as_those_countries() -> None:
    """'Chinese' is China (a common word: needs a capital), 'north korean' North Korea, the
    plural 'Germans' Germany; a word several countries share goes to the most populous."""
    rows = _shipped_rows()
    assert rows["chinese"] == ["China", "1"]
    assert rows["north korean"] == ["North Korea", "0"]
    assert rows["germans"][0] == rows["german"][0] == "Germany"
    assert rows["american"][0] == "United States"


def test_the_shipped_country_codes_are_what_the_installed_package_gives() -> None:
    """bot/core/data/country_codes.tsv equals a fresh `make places`, with both code lengths."""
    assert COUNTRY_CODES_FILE.read_text(encoding="utf-8") == country_codes_text()
    codes = country_codes()
    assert (codes["UA"], codes["UKR"], codes["RU"], codes["US"]) == (
        "Ukraine",
        "Ukraine",
        "Russia",
        "United States",
    )
