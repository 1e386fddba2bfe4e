"""Tests for bot.maintenance.gazetteer: the shipped place names match their packages."""

from __future__ import annotations

from bot.core.places import COUNTRY_CODES_FILE, PEOPLES_FILE, PLACES_FILE, country_codes
from bot.maintenance.gazetteer import country_codes_text, gazetteer_text, peoples_text


def test_the_shipped_places_file_is_what_the_installed_packages_give() -> None:
    """bot/core/data/places.tsv equals a fresh `make places`: nobody edited it by hand."""
    assert PLACES_FILE.read_text(encoding="utf-8") == gazetteer_text(), "run `make places`"


def test_the_places_file_has_countries_cities_and_common_words_marked() -> None:
    """Yemen and Donetsk always count; Reading (common English) needs a capital."""
    rows = {
        line.split("\t")[0]: line.rstrip("\n").split("\t")[1:]
        for line in PLACES_FILE.read_text(encoding="utf-8").splitlines()
        if not line.startswith("#")
    }
    assert rows["yemen"] == ["Yemen", "0"]
    assert rows["donetsk"] == ["Donetsk", "0"]
    assert rows["reading"] == ["Reading", "1"]
    assert len(rows) > 5000


def test_the_shipped_peoples_file_is_what_the_installed_packages_give() -> None:
    """bot/core/data/peoples.tsv equals a fresh `make places`: 'chinese' is China (the most
    populous of the countries sharing the word), 'north korean' North Korea."""
    assert PEOPLES_FILE.read_text(encoding="utf-8") == peoples_text(), "run `make places`"
    peoples = {
        line.split("\t")[0]: line.rstrip("\n").split("\t")[1]
        for line in PEOPLES_FILE.read_text(encoding="utf-8").splitlines()
        if not line.startswith("#")
    }
    assert (peoples["chinese"], peoples["north korean"], peoples["american"]) == (
        "China",
        "North Korea",
        "United States",
    )


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
