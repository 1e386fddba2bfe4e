"""Tests for bot.knowledge.validation: checks of a knowledge file against the article and itself."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from bot.core.matching import Thresholds, build_matcher
from bot.core.text import Normaliser
from bot.knowledge.article import load_article
from bot.knowledge.loader import load_knowledge
from bot.knowledge.schema import KnowledgeError, Problem, load_knowledge_file
from bot.knowledge.validation import check_knowledge
from tests.support.knowledge_copies import (
    ENTRY_START,
    entry_span,
    field_span,
    write_copy,
)
from tests.support.paths import ARTICLE, QA

# ---------------------------------------------------------------------------------------------
# helpers: broken copies of knowledge/qa.yaml, edited as text so that line numbers are known


@pytest.fixture(scope="module")
def shipped_data(shipped_text: str) -> dict:
    """The shipped knowledge file as plain data."""
    return yaml.safe_load(shipped_text)


@pytest.fixture(scope="module")
def normaliser(shipped_data: dict) -> Normaliser:
    """The normaliser built from the shipped synonyms."""
    return Normaliser.from_synonyms(shipped_data["synonyms"])


def replace_field(text: str, entry_id: str, field: str, new_line: str) -> tuple[str, int]:
    """Replace a field of an entry by one line; return the new text and that line's number."""
    lines = text.splitlines(keepends=True)
    start, stop = field_span(lines, entry_id, field)
    lines[start:stop] = [new_line + "\n"]
    return "".join(lines), start + 1


def add_question(text: str, entry_id: str, question: str) -> tuple[str, int]:
    """Append a question to an entry; return the new text and the question's line number."""
    lines = text.splitlines(keepends=True)
    _, stop = field_span(lines, entry_id, "questions")
    lines.insert(stop, f"      - {json.dumps(question, ensure_ascii=False)}\n")
    return "".join(lines), stop + 1


def question_line(text: str, entry_id: str, question: str) -> int:
    """Return the line of ``question`` inside the entry's question list."""
    lines = text.splitlines(keepends=True)
    start, stop = field_span(lines, entry_id, "questions")
    forms = {f"      - {question}\n", f"      - {json.dumps(question, ensure_ascii=False)}\n"}
    return next(i for i in range(start, stop) if lines[i] in forms) + 1


def problems_of(path: Path) -> list[Problem]:
    """Load a knowledge file expecting failure; return the problems of the KnowledgeError."""
    with pytest.raises(KnowledgeError) as info:
        load_knowledge(path)
    return info.value.problems


def matching(problems: list[Problem], **fields: object) -> list[Problem]:
    """Return the problems whose attributes equal ``fields``."""
    return [p for p in problems if all(getattr(p, k) == v for k, v in fields.items())]


def only(problems: list[Problem], **fields: object) -> Problem:
    """Return the single problem whose attributes equal ``fields``."""
    found = matching(problems, **fields)
    assert len(found) == 1, f"expected one problem with {fields}, got {problems}"
    return found[0]


# ---------------------------------------------------------------------------------------------
# sentences


def test_straight_quotes_differ_only_in_quotes(
    tmp_path: Path, shipped_text: str, shipped_data: dict
) -> None:
    """A sentence with straight instead of curly quotes is an error saying it differs in quotes."""
    article = load_article(ARTICLE)
    entry = next(e for e in shipped_data["entries"] if "“" in e["sentence"])
    straight = entry["sentence"].replace("“", '"').replace("”", '"').replace("’", "'")
    yaml_value = "'" + straight.replace("'", "''") + "'"
    text, line = replace_field(shipped_text, entry["id"], "sentence", f"    sentence: {yaml_value}")
    path = write_copy(tmp_path, text)
    problem = only(problems_of(path), entry=entry["id"], field="sentence")
    assert problem.file == str(path)
    assert problem.line == line
    assert problem.severity == "error"
    assert "quotes" in problem.message
    assert f"article line {article.line_of(entry['sentence'])}" in problem.message
    assert "byte for byte" in problem.message


def test_sentence_not_in_the_article(tmp_path: Path, shipped_text: str, shipped_data: dict) -> None:
    """A sentence that is nowhere in the article is an error at the sentence's line."""
    entry_id = shipped_data["entries"][2]["id"]
    text, line = replace_field(
        shipped_text, entry_id, "sentence", '    sentence: "Finland joined NATO in 2023."'
    )
    problem = only(problems_of(write_copy(tmp_path, text)), entry=entry_id, field="sentence")
    assert problem.line == line
    assert "not found verbatim" in problem.message


def test_sentence_that_is_only_part_of_a_line(
    tmp_path: Path, shipped_text: str, shipped_data: dict
) -> None:
    """A fragment of an article line is not verbatim: sentences are whole lines."""
    entry = shipped_data["entries"][1]
    fragment = entry["sentence"][: len(entry["sentence"]) // 2].rstrip()
    yaml_value = "'" + fragment.replace("'", "''") + "'"
    text, line = replace_field(shipped_text, entry["id"], "sentence", f"    sentence: {yaml_value}")
    problem = only(problems_of(write_copy(tmp_path, text)), entry=entry["id"], field="sentence")
    assert problem.line == line
    assert "not found verbatim" in problem.message


def test_unsupported_article_sentence_is_a_warning(tmp_path: Path, shipped_text: str) -> None:
    """An article line no entry quotes is a warning naming that line; the file still loads."""
    extra = "\nA sentence that no entry of the knowledge file supports.\n"
    knowledge = load_knowledge(write_copy(tmp_path, shipped_text, article_extra=extra))
    number = len(knowledge.article.sentences)
    warnings = [w for w in knowledge.warnings if "not the sentence of any entry" in w.message]
    assert len(warnings) == 1
    (warning,) = warnings
    assert warning.severity == "warning"
    assert f"article line {number}" in warning.message
    assert "A sentence that no entry" in warning.message


def test_removing_an_entry_leaves_its_sentence_unsupported(
    tmp_path: Path, shipped_text: str, shipped_data: dict
) -> None:
    """Deleting the only entry quoting a sentence gives a warning for that article line."""
    entries = shipped_data["entries"]
    referenced = {r for e in entries for r in e.get("related") or ()}
    sentences = [e["sentence"] for e in entries]
    candidates = [
        e for e in entries if sentences.count(e["sentence"]) == 1 and e["id"] not in referenced
    ]
    assert candidates, "need an entry that is the only one quoting its sentence"
    removed = candidates[-1]
    lines = shipped_text.splitlines(keepends=True)
    start, end = entry_span(lines, removed["id"])
    text = "".join(lines[:start] + lines[end:])
    text = text.replace(f", {removed['id']}]", "]").replace(f"[{removed['id']}, ", "[")
    knowledge = load_knowledge(write_copy(tmp_path, text))
    number = knowledge.article.line_of(removed["sentence"])
    unsupported = [w for w in knowledge.warnings if "not the sentence of any entry" in w.message]
    assert len(unsupported) == 1
    assert unsupported[0].message.startswith(f"article line {number} is not the sentence")
    assert unsupported[0].severity == "warning"


# ---------------------------------------------------------------------------------------------
# ids and related


def test_unknown_related_id(tmp_path: Path, shipped_text: str, shipped_data: dict) -> None:
    """A related id that names no entry is an error at the related line."""
    entry_id = shipped_data["entries"][6]["id"]
    text, line = replace_field(shipped_text, entry_id, "related", "    related: [no-such-entry]")
    problem = only(problems_of(write_copy(tmp_path, text)), entry=entry_id, field="related")
    assert problem.line == line
    assert "no-such-entry" in problem.message
    assert "unknown related id" in problem.message


def test_related_item_on_its_own_line(
    tmp_path: Path, shipped_text: str, shipped_data: dict
) -> None:
    """With related written as a block list, the error points at the bad item's own line."""
    entries = shipped_data["entries"]
    entry_id, good = entries[7]["id"], entries[0]["id"]
    text, line = replace_field(
        shipped_text, entry_id, "related", f"    related:\n      - {good}\n      - missing-one"
    )
    problem = only(problems_of(write_copy(tmp_path, text)), entry=entry_id, field="related")
    assert problem.line == line + 2


def test_entry_related_to_itself(tmp_path: Path, shipped_text: str, shipped_data: dict) -> None:
    """An entry listing itself as related is an error."""
    entry_id = shipped_data["entries"][8]["id"]
    text, line = replace_field(shipped_text, entry_id, "related", f"    related: [{entry_id}]")
    problem = only(problems_of(write_copy(tmp_path, text)), entry=entry_id, field="related")
    assert problem.line == line
    assert "itself" in problem.message


def test_duplicate_id(tmp_path: Path, shipped_text: str, shipped_data: dict) -> None:
    """A second entry with an existing id is an error at the second entry's id line."""
    last = shipped_data["entries"][-1]
    lines = shipped_text.splitlines(keepends=True)
    start, end = entry_span(lines, last["id"])
    block = lines[start:end]
    text = "".join(lines).rstrip("\n") + "\n\n" + "".join(block)
    second_line = [
        i + 1 for i, line in enumerate(text.splitlines()) if line == f"{ENTRY_START}{last['id']}"
    ][1]
    problem = only(problems_of(write_copy(tmp_path, text)), field="id")
    assert problem.entry == last["id"]
    assert problem.line == second_line
    assert f"duplicate id {last['id']!r}" in problem.message


# ---------------------------------------------------------------------------------------------
# questions


def test_same_question_in_two_entries(
    tmp_path: Path, shipped_text: str, shipped_data: dict
) -> None:
    """A phrasing already used by an earlier entry (case and '?' aside) is an error."""
    first, last = shipped_data["entries"][0], shipped_data["entries"][-1]
    original = first["questions"][0]
    copy = original[:1].upper() + original[1:] + "?"
    text, line = add_question(shipped_text, last["id"], copy)
    problems = problems_of(write_copy(tmp_path, text))
    problem = only(problems, entry=last["id"], field="questions", line=line)
    assert f"also a question of entry {first['id']!r}" in problem.message
    assert copy in problem.message


def test_same_question_twice_in_one_entry_is_a_warning(
    tmp_path: Path, shipped_text: str, shipped_data: dict
) -> None:
    """A phrasing written twice in one entry (case and '?' aside) is a warning on the second."""
    entry = shipped_data["entries"][3]
    copy = entry["questions"][0].upper() + "?"
    text, line = add_question(shipped_text, entry["id"], copy)
    knowledge = load_knowledge(write_copy(tmp_path, text))
    warning = only(list(knowledge.warnings), entry=entry["id"], field="questions", line=line)
    assert warning.severity == "warning"
    assert "appears twice in this entry" in warning.message


def test_question_tied_with_another_entry(
    tmp_path: Path, shipped_text: str, shipped_data: dict, normaliser: Normaliser
) -> None:
    """Another entry's phrasing plus a stop word ('so ...') has the same tokens: a tie, an error."""
    entries = shipped_data["entries"]
    rival, owner = entries[len(entries) // 2], entries[-1]
    original = rival["questions"][0]
    variant = "so " + original
    assert normaliser.tokens(variant) == normaliser.tokens(original) != ()
    text, line = add_question(shipped_text, owner["id"], variant)
    problems = problems_of(write_copy(tmp_path, text))
    mine = only(problems, entry=owner["id"], field="questions", line=line)
    assert f"for entry {rival['id']!r}" in mine.message
    assert "cannot tell them apart" in mine.message
    theirs = only(
        problems,
        entry=rival["id"],
        field="questions",
        line=question_line(text, rival["id"], original),
        severity="error",
    )
    assert f"for entry {owner['id']!r}" in theirs.message


def test_question_without_content_words(
    tmp_path: Path, shipped_text: str, shipped_data: dict, normaliser: Normaliser
) -> None:
    """A phrasing made only of stop words has nothing to match on: an error at its line."""
    owner = shipped_data["entries"][-1]
    question = "what is it"
    assert normaliser.tokens(question) == ()
    text, line = add_question(shipped_text, owner["id"], question)
    problem = only(problems_of(write_copy(tmp_path, text)), field="questions", line=line)
    assert problem.entry == owner["id"]
    assert "no content words" in problem.message


def test_strictest_thresholds_still_validate(tmp_path: Path, shipped_text: str) -> None:
    """With answer=suggest=100 the shipped phrasings still pass: each scores 100 for its entry."""
    loaded = load_knowledge_file(write_copy(tmp_path, shipped_text))
    article = load_article(loaded.article_path)
    normaliser = Normaliser.from_synonyms(loaded.model.synonyms)
    matcher = build_matcher(loaded.model.entries, normaliser, Thresholds(answer=100, suggest=100))
    problems = check_knowledge(loaded, article, matcher)
    assert not [p for p in problems if "below the answer threshold" in p.message]
    assert [p for p in problems if p.severity == "error"] == []


def test_check_knowledge_on_shipped_file_has_no_errors() -> None:
    """check_knowledge on the shipped file returns no errors and names the file in each problem."""
    loaded = load_knowledge_file(QA)
    article = load_article(loaded.article_path)
    matcher = build_matcher(
        loaded.model.entries, Normaliser.from_synonyms(loaded.model.synonyms), Thresholds()
    )
    problems = check_knowledge(loaded, article, matcher)
    assert [p for p in problems if p.severity == "error"] == []
    assert all(p.file == str(loaded.path) for p in problems)


def test_errors_and_warnings_travel_together(
    tmp_path: Path, shipped_text: str, shipped_data: dict
) -> None:
    """A KnowledgeError carries every problem, errors and warnings, each with a severity."""
    entry_id = shipped_data["entries"][6]["id"]
    text, _ = replace_field(shipped_text, entry_id, "related", "    related: [nope]")
    problems = problems_of(
        write_copy(tmp_path, text, article_extra="\nAn extra unsupported sentence.\n")
    )
    assert {p.severity for p in problems} == {"error", "warning"}
    assert all(p.file.endswith("qa.yaml") for p in problems)


def test_quick_load_skips_only_the_phrasing_checks(
    tmp_path: Path, shipped_text: str, shipped_data: dict, normaliser: Normaliser
) -> None:
    """load_knowledge(thorough=False) skips phrasing checks but still checks related ids."""
    entries = shipped_data["entries"]
    rival, owner = entries[len(entries) // 2], entries[-1]
    variant = "so " + rival["questions"][0]
    assert normaliser.tokens(variant) == normaliser.tokens(rival["questions"][0])
    tied, _ = add_question(shipped_text, owner["id"], variant)
    path = write_copy(tmp_path, tied)
    assert matching(problems_of(path), entry=owner["id"], field="questions")
    quick = load_knowledge(path, thorough=False)
    assert variant in quick.by_id[owner["id"]].questions
    broken, line = replace_field(tied, owner["id"], "related", "    related: [gone]")
    path.write_text(broken, encoding="utf-8")
    with pytest.raises(KnowledgeError) as info:
        load_knowledge(path, thorough=False)
    assert [(p.entry, p.field, p.line) for p in info.value.problems if p.severity == "error"] == [
        (owner["id"], "related", line)
    ]


def test_an_unknown_example_id_is_an_error_naming_line_and_field(
    tmp_path: Path, shipped_text: str
) -> None:
    """'examples' naming an entry that does not exist is an error with its line."""
    text = shipped_text.replace("examples: [summary,", "examples: [no-such-entry, summary,", 1)
    lines = text.splitlines()
    line = next(i for i, t in enumerate(lines, start=1) if t.startswith("examples:"))
    with pytest.raises(KnowledgeError) as caught:
        load_knowledge(write_copy(tmp_path, text), thorough=False)
    problems = [p for p in caught.value.problems if p.field == "examples"]
    assert [p.line for p in problems] == [line]
    assert "unknown example id 'no-such-entry'" in problems[0].message


def test_a_blank_name_is_a_schema_error(tmp_path: Path, shipped_text: str) -> None:
    """An empty string among 'names' is refused with the field named."""
    text = shipped_text.replace("names: [Zelensky,", 'names: ["  ", Zelensky,', 1)
    with pytest.raises(KnowledgeError) as caught:
        load_knowledge(write_copy(tmp_path, text), thorough=False)
    assert any(p.field and p.field.startswith("names") for p in caught.value.problems)
