"""Tests for bot.knowledge.schema: problems name file, line, entry and field; the shipped file."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from pydantic import ValidationError

from bot.knowledge.knowledge import Knowledge
from bot.knowledge.loader import load_knowledge
from bot.knowledge.schema import (
    MAX_ANSWER_CHARS,
    MAX_ID_BYTES,
    MIN_QUESTIONS,
    Entry,
    KnowledgeError,
    Problem,
    SourceMap,
    load_knowledge_file,
    parse_yaml,
)
from tests.support.knowledge_copies import (
    ENTRY_START,
    entry_span,
    field_span,
    write_copy,
)
from tests.support.paths import QA

# ---------------------------------------------------------------------------------------------
# helpers: broken copies of knowledge/qa.yaml, edited as text so that line numbers are known


@pytest.fixture(scope="module")
def entry_ids(shipped_text: str) -> list[str]:
    """The entry ids of the shipped file, in order."""
    return [entry["id"] for entry in yaml.safe_load(shipped_text)["entries"]]


def replace_field(text: str, entry_id: str, field: str, new_lines: list[str]) -> tuple[str, int]:
    """Replace a field of an entry; return the new text and the 1-based line of the new field."""
    lines = text.splitlines(keepends=True)
    start, stop = field_span(lines, entry_id, field)
    lines[start:stop] = [line + "\n" for line in new_lines]
    return "".join(lines), start + 1


def entry_line(text: str, entry_id: str) -> int:
    """Return the 1-based line where the entry with ``entry_id`` starts."""
    return entry_span(text.splitlines(keepends=True), entry_id)[0] + 1


def problems_of(path: Path) -> list[Problem]:
    """Load a knowledge file expecting failure; return the problems of the KnowledgeError."""
    with pytest.raises(KnowledgeError) as info:
        load_knowledge(path)
    assert info.value.problems, "a KnowledgeError must carry at least one problem"
    return info.value.problems


def only(problems: list[Problem], **fields: object) -> Problem:
    """Return the single problem whose attributes equal ``fields``."""
    found = [p for p in problems if all(getattr(p, k) == v for k, v in fields.items())]
    assert len(found) == 1, f"expected one problem with {fields}, got {problems}"
    return found[0]


# ---------------------------------------------------------------------------------------------
# the shipped file


def test_shipped_file_loads_without_errors(knowledge: Knowledge) -> None:
    """knowledge/qa.yaml passes every check (load_knowledge raises on any error)."""
    assert knowledge.entries
    assert all(p.severity == "warning" for p in knowledge.warnings)
    assert knowledge.file.path.resolve() == QA.resolve()


def test_shipped_file_supports_every_article_sentence(knowledge: Knowledge) -> None:
    """Every sentence of the article is the supporting sentence of at least one entry."""
    supported = {entry.sentence for entry in knowledge.entries}
    missing = [s for s in knowledge.article.sentences if s not in supported]
    assert missing == []
    assert not [w for w in knowledge.warnings if "not the sentence of any entry" in w.message]


def test_shipped_entries_quote_the_article_verbatim(knowledge: Knowledge) -> None:
    """Every entry's sentence is one whole line of the article, byte for byte."""
    for entry in knowledge.entries:
        assert knowledge.article.contains(entry.sentence), entry.id


def test_shipped_entries_have_enough_questions(knowledge: Knowledge) -> None:
    """Every entry has at least MIN_QUESTIONS (6) different phrasings."""
    assert MIN_QUESTIONS == 6
    for entry in knowledge.entries:
        assert len(entry.questions) >= MIN_QUESTIONS, entry.id
        assert len(set(entry.questions)) == len(entry.questions), entry.id


def test_shipped_related_ids_exist(knowledge: Knowledge) -> None:
    """Every related id names another existing entry."""
    ids = {entry.id for entry in knowledge.entries}
    for entry in knowledge.entries:
        for related in entry.related:
            assert related in ids, f"{entry.id} -> {related}"
            assert related != entry.id


def test_shipped_ids_are_unique_short_slugs(knowledge: Knowledge) -> None:
    """Ids are unique slugs of at most 40 bytes."""
    ids = [entry.id for entry in knowledge.entries]
    assert len(ids) == len(set(ids))
    for entry_id in ids:
        assert len(entry_id.encode()) <= MAX_ID_BYTES == 40
        assert entry_id == entry_id.lower()


def test_shipped_answers_are_short(knowledge: Knowledge) -> None:
    """Every answer is non-empty and at most 400 characters."""
    for entry in knowledge.entries:
        assert 0 < len(entry.answer) <= MAX_ANSWER_CHARS == 400, entry.id


def test_shipped_version_includes_a_digest(knowledge: Knowledge) -> None:
    """The version label carries the maintainer's version and a 12-hex content digest."""
    label, digest = knowledge.version.rstrip(")").split(" (")
    assert label == str(knowledge.file.model.version)
    assert len(digest) == 12
    int(digest, 16)


# ---------------------------------------------------------------------------------------------
# broken copies: schema errors


def test_copy_of_the_shipped_file_loads(
    tmp_path: Path, shipped_text: str, knowledge: Knowledge
) -> None:
    """The helper's unmodified copy (with the article alongside) is valid: the baseline."""
    copied = load_knowledge(write_copy(tmp_path, shipped_text))
    assert copied.entries == knowledge.entries
    assert copied.article.sentences == knowledge.article.sentences


def test_bad_yaml_names_the_line(tmp_path: Path, shipped_text: str, entry_ids) -> None:
    """A YAML syntax error is one problem with the file and the line of the error."""
    target = entry_ids[len(entry_ids) // 2]
    text, line = replace_field(shipped_text, target, "id", [f"{ENTRY_START}{target}: oops"])
    path = write_copy(tmp_path, text)
    (problem,) = problems_of(path)
    assert problem.file == str(path)
    assert problem.line == line
    assert "bad YAML" in problem.message
    assert str(problem).startswith(f"{path}:{line}: error: bad YAML")


def test_bad_yaml_in_parse_yaml_directly() -> None:
    """parse_yaml turns a syntax error into a KnowledgeError with the line."""
    with pytest.raises(KnowledgeError) as info:
        parse_yaml("a: 1\nb: [unclosed\nc: 3\n", "f.yaml")
    (problem,) = info.value.problems
    assert problem.file == "f.yaml"
    assert problem.line is not None and problem.line >= 2
    assert problem.message.startswith("bad YAML")


def test_parse_yaml_maps_paths_to_lines() -> None:
    """The source map gives each key and list item its line, falling back to the parent."""
    data, source = parse_yaml("top: 1\nentries:\n  - id: x\n    questions:\n      - a\n", "f")
    assert data == {"top": 1, "entries": [{"id": "x", "questions": ["a"]}]}
    assert source.line(("top",)) == 1
    assert source.line(("entries",)) == 2
    assert source.line(("entries", 0)) == 3
    assert source.line(("entries", 0, "questions", 0)) == 5
    assert source.line(("entries", 0, "answer")) == 3
    assert source.line(("nowhere", 7)) == 1
    assert SourceMap({}).line(("a",)) is None


def test_missing_answer_names_entry_line_and_field(
    tmp_path: Path, shipped_text: str, entry_ids
) -> None:
    """An entry without ``answer`` is reported at the entry's line, with its id and 'answer'."""
    target = entry_ids[3]
    text, _ = replace_field(shipped_text, target, "answer", [])
    path = write_copy(tmp_path, text)
    problem = only(problems_of(path), field="answer")
    assert problem.file == str(path)
    assert problem.entry == target
    assert problem.line == entry_line(text, target)
    assert problem.severity == "error"
    assert "required" in problem.message.lower()
    assert f"{path}:{problem.line}: error: entry '{target}': field 'answer'" in str(problem)


def test_missing_id_names_the_entry_by_position(
    tmp_path: Path, shipped_text: str, entry_ids
) -> None:
    """An entry without ``id`` is named by its position (#n) and field 'id'."""
    position = 2
    target = entry_ids[position]
    lines = shipped_text.splitlines(keepends=True)
    start, _ = entry_span(lines, target)
    # "  - id: x" + "    questions:" becomes "  - questions:"
    assert lines[start + 1] == "    questions:\n"
    lines[start : start + 2] = ["  - questions:\n"]
    path = write_copy(tmp_path, "".join(lines))
    problem = only(problems_of(path), field="id")
    assert problem.entry == f"#{position + 1}"
    assert problem.line == start + 1


def test_answer_over_400_chars(tmp_path: Path, shipped_text: str, entry_ids) -> None:
    """An answer longer than 400 characters is reported at the answer's line."""
    target = entry_ids[-1]
    long_answer = "x" * (MAX_ANSWER_CHARS + 1)
    text, line = replace_field(shipped_text, target, "answer", [f"    answer: {long_answer}"])
    path = write_copy(tmp_path, text)
    problem = only(problems_of(path), field="answer")
    assert (problem.entry, problem.line) == (target, line)
    assert "400" in problem.message


def test_answer_of_exactly_400_chars_is_accepted(
    tmp_path: Path, shipped_text: str, entry_ids
) -> None:
    """The limit is inclusive: 400 characters pass the schema."""
    target = entry_ids[-1]
    answer = "y" * MAX_ANSWER_CHARS
    text, _ = replace_field(shipped_text, target, "answer", [f"    answer: {answer}"])
    loaded = load_knowledge_file(write_copy(tmp_path, text))
    by_id = {e.id: e for e in loaded.model.entries}
    assert by_id[target].answer == answer


def test_fewer_than_six_questions(tmp_path: Path, shipped_text: str, entry_ids) -> None:
    """An entry with 5 questions is reported at its ``questions`` line."""
    target = entry_ids[1]
    lines = shipped_text.splitlines(keepends=True)
    key, stop = field_span(lines, target, "questions")
    kept = lines[key + 1 : stop][: MIN_QUESTIONS - 1]
    lines[key:stop] = [lines[key], *kept]
    text = "".join(lines)
    path = write_copy(tmp_path, text)
    problem = only(problems_of(path), field="questions")
    assert (problem.entry, problem.line) == (target, key + 1)
    assert "6" in problem.message


def test_blank_question_is_reported(tmp_path: Path, shipped_text: str, entry_ids) -> None:
    """A question that is only spaces is an error on the entry's questions."""
    target = entry_ids[0]
    lines = shipped_text.splitlines(keepends=True)
    key, _ = field_span(lines, target, "questions")
    lines.insert(key + 1, '      - "   "\n')
    path = write_copy(tmp_path, "".join(lines))
    problem = only(problems_of(path), entry=target, field="questions")
    assert "empty" in problem.message
    assert problem.line == key + 1


@pytest.mark.parametrize(
    ("bad_id", "expected"),
    [
        ("Crimea_Annexed", "slug"),
        ("double--hyphen", "slug"),
        ("-leading", "slug"),
        ("with space", "slug"),
        ("a" * (MAX_ID_BYTES + 1), "40"),
    ],
    ids=["capitals-underscore", "double-hyphen", "leading-hyphen", "space", "41-bytes"],
)
def test_bad_id(tmp_path: Path, shipped_text: str, entry_ids, bad_id: str, expected: str) -> None:
    """An id that is not a slug, or is over 40 bytes, is reported on the id line."""
    target = entry_ids[4]
    text, line = replace_field(shipped_text, target, "id", [f"{ENTRY_START}{bad_id}"])
    path = write_copy(tmp_path, text)
    problem = only(problems_of(path), field="id")
    assert problem.entry == bad_id
    assert problem.line == line
    assert expected in problem.message


def test_id_length_limit_is_inclusive() -> None:
    """A 40-byte slug is a valid id; 41 bytes is not."""
    base = {
        "questions": [f"q{i}" for i in range(MIN_QUESTIONS)],
        "answer": "a",
        "sentence": "s",
    }
    assert Entry(id="a" * MAX_ID_BYTES, **base).id == "a" * MAX_ID_BYTES
    with pytest.raises(ValidationError):
        Entry(id="a" * (MAX_ID_BYTES + 1), **base)


def test_unknown_field_in_an_entry(tmp_path: Path, shipped_text: str, entry_ids) -> None:
    """A misspelt key inside an entry is reported at that key's line."""
    target = entry_ids[5]
    lines = shipped_text.splitlines(keepends=True)
    start, _ = entry_span(lines, target)
    lines.insert(start + 1, "    anwser: typo\n")
    path = write_copy(tmp_path, "".join(lines))
    problem = only(problems_of(path), field="anwser")
    assert (problem.entry, problem.line) == (target, start + 2)


def test_unknown_top_level_key(tmp_path: Path, shipped_text: str) -> None:
    """An unexpected top-level key is reported at its line with no entry."""
    text = shipped_text.rstrip("\n") + "\n\nextra_key: 1\n"
    path = write_copy(tmp_path, text)
    problem = only(problems_of(path), field="extra_key")
    assert problem.entry is None
    assert problem.line == len(text.splitlines())


def test_empty_synonym_group(tmp_path: Path, shipped_text: str) -> None:
    """An empty synonym list is reported under 'synonyms', naming the group, near its line."""
    lines = shipped_text.splitlines(keepends=True)
    synonyms_line = lines.index("synonyms:\n")
    lines.insert(synonyms_line + 1, "  emptygroup: []\n")
    path = write_copy(tmp_path, "".join(lines))
    (problem,) = problems_of(path)
    assert problem.field == "synonyms"
    assert problem.entry is None
    assert "emptygroup" in problem.message
    assert problem.line in (synonyms_line + 1, synonyms_line + 2)


def test_synonym_group_with_empty_variant(tmp_path: Path, shipped_text: str) -> None:
    """A synonym group with a blank variant is an error naming the group."""
    lines = shipped_text.splitlines(keepends=True)
    synonyms_line = lines.index("synonyms:\n")
    lines.insert(synonyms_line + 1, '  somegroup: [fine, " "]\n')
    (problem,) = problems_of(write_copy(tmp_path, "".join(lines)))
    assert problem.field == "synonyms"
    assert "somegroup" in problem.message


def test_null_synonym_group_points_at_its_line(tmp_path: Path, shipped_text: str) -> None:
    """A synonym group with no value at all is reported at the group's own line."""
    lines = shipped_text.splitlines(keepends=True)
    synonyms_line = lines.index("synonyms:\n")
    lines.insert(synonyms_line + 1, "  nullgroup:\n")
    (problem,) = problems_of(write_copy(tmp_path, "".join(lines)))
    assert problem.field == "synonyms.nullgroup"
    assert problem.line == synonyms_line + 2


def test_duplicate_synonym_group_is_reported(tmp_path: Path, shipped_text: str) -> None:
    """A key written twice (YAML forbids it) is an error, not a silent loss of the first value."""
    lines = shipped_text.splitlines(keepends=True)
    synonyms_line = lines.index("synonyms:\n")
    existing = lines[synonyms_line + 1]
    name = existing.strip().split(":")[0]
    lines.insert(synonyms_line + 1, f"  {name}: [first-definition-lost]\n")
    path = write_copy(tmp_path, "".join(lines))
    with pytest.raises(KnowledgeError) as info:
        load_knowledge(path)
    problems = [p for p in info.value.problems if p.severity == "error"]
    assert any(
        name in p.message and p.line in (synonyms_line + 2, synonyms_line + 3) for p in problems
    ), problems


def test_several_schema_problems_are_all_reported(
    tmp_path: Path, shipped_text: str, entry_ids
) -> None:
    """Every schema problem is reported at once, each with its own entry and line."""
    first, second = entry_ids[1], entry_ids[-2]
    text, _ = replace_field(shipped_text, first, "answer", [])
    text, second_line = replace_field(text, second, "answer", ["    answer: " + "z" * 500])
    problems = problems_of(write_copy(tmp_path, text))
    assert only(problems, entry=first, field="answer").line == entry_line(text, first)
    assert only(problems, entry=second, field="answer").line == second_line
    assert len(problems) == 2


def test_not_a_mapping(tmp_path: Path) -> None:
    """A file whose top level is not a mapping is one problem at line 1."""
    (problem,) = problems_of(write_copy(tmp_path, "- a\n- b\n"))
    assert problem.line == 1
    assert "mapping" in problem.message


def test_empty_file(tmp_path: Path) -> None:
    """An empty knowledge file is rejected at line 1."""
    (problem,) = problems_of(write_copy(tmp_path, ""))
    assert problem.line == 1


def test_invalid_utf8_names_the_line(tmp_path: Path, shipped_text: str) -> None:
    """Bytes that are not UTF-8 are reported with the line they are on."""
    raw = shipped_text.encode()
    lines = raw.split(b"\n")
    lines[20] = lines[20] + b" \xff\xfe"
    (problem,) = problems_of(write_copy(tmp_path, b"\n".join(lines)))
    assert problem.line == 21
    assert "UTF-8" in problem.message


def test_unreadable_file(tmp_path: Path) -> None:
    """A missing knowledge file is one problem naming the file, without a line."""
    path = tmp_path / "missing.yaml"
    with pytest.raises(KnowledgeError) as info:
        load_knowledge_file(path)
    (problem,) = info.value.problems
    assert problem.file == str(path)
    assert problem.line is None
    assert "cannot read" in problem.message


def test_missing_article_names_the_article_line(tmp_path: Path, shipped_text: str) -> None:
    """An article path that does not exist is reported at the ``article:`` line."""
    lines = shipped_text.splitlines(keepends=True)
    index = next(i for i, line in enumerate(lines) if line.startswith("article:"))
    lines[index] = "article: ../seeds/missing.txt\n"
    (problem,) = problems_of(write_copy(tmp_path, "".join(lines)))
    assert problem.field == "article"
    assert problem.line == index + 1
    assert "cannot read article" in problem.message


def test_article_path_is_relative_to_the_knowledge_file(tmp_path: Path, shipped_text: str) -> None:
    """``article: ../seeds/article.txt`` resolves next to the knowledge file, not the cwd."""
    loaded = load_knowledge_file(write_copy(tmp_path, shipped_text))
    assert loaded.article_path == (tmp_path / "seeds" / "article.txt").resolve()


def test_problem_str_and_error_message() -> None:
    """A problem prints as file:line: severity: entry: field: message; the error joins them."""
    one = Problem("qa.yaml", 12, "some-id", "answer", "too long")
    two = Problem("qa.yaml", None, None, None, "article line 3 unused", "warning")
    assert str(one) == "qa.yaml:12: error: entry 'some-id': field 'answer': too long"
    assert str(two) == "qa.yaml: warning: article line 3 unused"
    error = KnowledgeError([one, two])
    assert error.problems == [one, two]
    assert str(error) == f"{one}\n{two}"
