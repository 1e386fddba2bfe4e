"""Review: suggestions from the log, one-line edits of the knowledge file, refusals and undo."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.knowledge.knowledge import Knowledge
from bot.knowledge.loader import load_knowledge
from bot.maintenance.knowledge_edit import (
    EditRefused,
    digest_of,
    insert_phrasing,
    plan_phrasing,
    save_plan,
    undo,
    yaml_scalar,
)
from bot.maintenance.labelled import load_labelled
from bot.maintenance.regressions import add_out_of_scope, decided_questions
from bot.maintenance.review import suggestions, suggestions_json
from bot.maintenance.review_session import ReviewSession
from bot.maintenance.store import Store
from tests.support.review_cases import CARNAGE, DECLINED, added_lines, log_questions


@pytest.fixture
def knowledge(knowledge_copy: Path) -> Knowledge:
    return load_knowledge(knowledge_copy)


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return Store(tmp_path / "log.sqlite3")


def session_for(
    knowledge_copy: Path, knowledge: Knowledge, store: Store, tmp_path: Path
) -> ReviewSession:
    found = suggestions(store, knowledge)
    regressions = tmp_path / "regressions.yaml"
    return ReviewSession(
        knowledge_copy, regressions, knowledge, found, store, knowledge.matcher.thresholds, 7
    )


def test_suggestions_group_similar_questions_and_rank_picks_first(
    store: Store, knowledge: Knowledge
) -> None:
    """Picks are evidence: "3 readers who asked X picked Y" comes before a more asked question."""
    log_questions(store, *[("how long is the skirmishing", "suggest")] * 4)
    log_questions(store, (CARNAGE, "suggest"), ("How long has the carnage dragged on?", "suggest"))
    for _ in range(3):
        store.record_evidence(CARNAGE, "war-duration", "pick")
    store.record_evidence(CARNAGE, "crimea-annexed", "pick")
    store.record_evidence(CARNAGE, "crimea-annexed", "down")  # picked, then 👎: no evidence
    found = suggestions(store, knowledge)
    assert [s.question for s in found[:2]] == [CARNAGE, "how long is the skirmishing"]
    top = found[0]
    assert top.asked == 2 and top.picks == {"war-duration": 3} and top.evidence == 3
    assert "3 readers picked war-duration" in top.headline()
    assert top.options[0].entry_id == "war-duration" and top.options[0].picked == 3
    assert top.options[0].question == "How long has the war lasted?"  # as on the buttons
    assert len(top.options) <= 3 and top.digest == knowledge.file.digest
    assert '"evidence": 3' in suggestions_json(found)


def test_answered_but_disliked_questions_are_listed(store: Store, knowledge: Knowledge) -> None:
    store.record_evidence("who interviewed him", "sky-news", "down")
    (found,) = suggestions(store, knowledge)
    assert found.kind == "disliked" and found.downs == {"sky-news": 1}


def test_answered_and_decided_questions_are_left_out(store: Store, knowledge: Knowledge) -> None:
    log_questions(store, ("how long has the war lasted", "suggest"), (DECLINED, "decline"))
    assert [s.question for s in suggestions(store, knowledge)] == [DECLINED]
    assert suggestions(store, knowledge, decided=[DECLINED]) == []


def test_adding_a_phrasing_is_one_added_line_and_comments_stay(
    knowledge_copy: Path, knowledge: Knowledge
) -> None:
    before = knowledge_copy.read_text(encoding="utf-8")
    plan = plan_phrasing(knowledge_copy, "war-duration", CARNAGE, knowledge.file.digest)
    assert plan.warnings == ()
    change = save_plan(plan)
    after = knowledge_copy.read_text(encoding="utf-8")
    added, removed = added_lines(before, after)
    assert removed == [] and [line.strip() for line in added] == [f"- {CARNAGE}"]
    comments = [line for line in before.splitlines() if line.lstrip().startswith("#")]
    assert comments == [line for line in after.splitlines() if line.lstrip().startswith("#")]
    assert change.backup is not None and change.backup.read_text(encoding="utf-8") == before
    fresh = load_knowledge(knowledge_copy)
    assert fresh.by_id["war-duration"].questions[-1] == CARNAGE
    assert fresh.matcher.match(CARNAGE).best.entry.id == "war-duration"
    assert fresh.matcher.match(CARNAGE).kind == "answer"


def test_a_phrasing_that_needs_quotes_is_quoted() -> None:
    text = "entries:\n  - id: a\n    questions:\n      - one\n      - 'two: 2'  # note\n    x: 1\n"
    edited = insert_phrasing(text, "a", "three: yes # really?")
    assert edited.splitlines()[5] == "      - 'three: yes # really?'"
    assert edited.splitlines()[4] == "      - 'two: 2'  # note"
    assert yaml_scalar("plain words") == "plain words"


def test_a_file_edited_meanwhile_is_refused_and_nothing_is_lost(
    knowledge_copy: Path, knowledge: Knowledge
) -> None:
    plan = plan_phrasing(knowledge_copy, "war-duration", CARNAGE, knowledge.file.digest)
    by_hand = knowledge_copy.read_text(encoding="utf-8") + "# a maintainer's note\n"
    knowledge_copy.write_text(by_hand, encoding="utf-8")
    with pytest.raises(EditRefused, match="changed by someone else"):
        save_plan(plan)
    with pytest.raises(EditRefused, match="changed by someone else"):
        plan_phrasing(knowledge_copy, "war-duration", CARNAGE, knowledge.file.digest)
    assert knowledge_copy.read_text(encoding="utf-8") == by_hand


def test_a_broken_file_on_disk_is_never_written(knowledge_copy: Path) -> None:
    broken = knowledge_copy.read_text(encoding="utf-8").replace("  - id: war-duration", "  - id:")
    knowledge_copy.write_text(broken, encoding="utf-8")
    digest = digest_of(broken.encode())
    with pytest.raises(EditRefused, match="does not load as it is on disk") as refused:
        plan_phrasing(knowledge_copy, "war-duration", CARNAGE, digest or "")
    assert "qa.yaml:" in str(refused.value) and "python -m bot validate" in str(refused.value)
    assert knowledge_copy.read_text(encoding="utf-8") == broken


def test_an_edit_that_would_not_validate_is_refused(
    knowledge_copy: Path, knowledge: Knowledge
) -> None:
    before = knowledge_copy.read_text(encoding="utf-8")
    with pytest.raises(EditRefused, match="fail validation"):
        plan_phrasing(
            knowledge_copy, "crimea-annexed", "how long has the war", knowledge.file.digest
        )
    assert knowledge_copy.read_text(encoding="utf-8") == before


def test_guard_rails_warn_when_the_entry_still_would_not_answer(
    knowledge_copy: Path, knowledge: Knowledge
) -> None:
    plan = plan_phrasing(
        knowledge_copy,
        "war-duration",
        CARNAGE,
        knowledge.file.digest,
        variants=("what is the death toll",),
    )
    assert any("still not answered" in w and "death toll" in w for w in plan.warnings)


def test_session_add_out_of_scope_skip_undo(
    knowledge_copy: Path, knowledge: Knowledge, store: Store, tmp_path: Path
) -> None:
    """The same session both surfaces drive: every step logged with the admin's id."""
    log_questions(store, *[(CARNAGE, "suggest")] * 3, *[(DECLINED, "decline")] * 2)
    log_questions(store, ("how long is the skirmishing", "suggest"))
    original = knowledge_copy.read_text(encoding="utf-8")
    session = session_for(knowledge_copy, knowledge, store, tmp_path)
    assert [s.question for s in session.suggestions][:2] == [CARNAGE, DECLINED]
    assert session.suggestions[0].options[0].entry_id == "war-duration"
    session.save(session.plan_add(0))
    session.out_of_scope()
    session.skip()
    assert session.current is None
    regressions = load_labelled(session.regressions_path, list(knowledge.by_id))
    assert [(q.text, q.expect) for q in regressions] == [(DECLINED, ())]
    assert "undone" in session.undo()  # the out-of-scope decision
    assert decided_questions(session.regressions_path) == []
    assert session.position == 1
    session.undo()  # the phrasing
    assert knowledge_copy.read_text(encoding="utf-8") == original
    with pytest.raises(EditRefused, match="nothing to undo"):
        session.undo()
    rows = store.rows("SELECT admin_id, action, entry, phrasing FROM edits ORDER BY id")
    assert rows == [
        (7, "add", "war-duration", CARNAGE),
        (7, "out-of-scope", None, DECLINED),
        (7, "undo", None, DECLINED),
        (7, "undo", "war-duration", CARNAGE),
    ]


def test_two_edits_in_one_session_are_not_mistaken_for_someone_elses(
    knowledge_copy: Path, knowledge: Knowledge, store: Store, tmp_path: Path
) -> None:
    log_questions(store, (CARNAGE, "suggest"), ("how long is the skirmishing", "suggest"))
    session = session_for(knowledge_copy, knowledge, store, tmp_path)
    session.save(session.plan_add(0))
    session.save(session.plan_add(0))
    questions = load_knowledge(knowledge_copy).by_id["war-duration"].questions
    assert {CARNAGE, "how long is the skirmishing"} <= set(questions)


def test_undo_refuses_when_the_file_changed_since(
    knowledge_copy: Path, knowledge: Knowledge
) -> None:
    change = save_plan(
        plan_phrasing(knowledge_copy, "war-duration", CARNAGE, knowledge.file.digest)
    )
    edited = knowledge_copy.read_text(encoding="utf-8") + "# later note\n"
    knowledge_copy.write_text(edited, encoding="utf-8")
    with pytest.raises(EditRefused, match="changed by someone else"):
        undo(change)
    assert knowledge_copy.read_text(encoding="utf-8") == edited


def test_out_of_scope_keeps_a_human_file_as_written(tmp_path: Path) -> None:
    path = tmp_path / "regressions.yaml"
    path.write_text(
        "# mine\nquestions:\n  - text: Is Finland a NATO member?  # yes\n    expect: []\n"
    )
    before = path.read_text()
    add_out_of_scope(path, "who won the 2022 world cup", [])
    added, removed = added_lines(before, path.read_text())
    assert removed == [] and len(added) == 2 and path.read_text().startswith(before)
    with pytest.raises(EditRefused, match="already"):
        add_out_of_scope(path, "Who won the 2022 World Cup", [])
