"""The manifest of labelled sets (tests/data/sets.yaml): every set within its floors, every file
listed, the README's quality table generated from it; and bot.maintenance.sets itself."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.core.matching import Thresholds
from bot.knowledge.knowledge import Knowledge
from bot.maintenance.evaluation import Outcome, Summary, run, summarise
from bot.maintenance.labelled import Labelled, load_labelled
from bot.maintenance.sets import (
    DEFAULT_MANIFEST,
    README_END,
    LoadedManifest,
    ManifestError,
    SetSpec,
    Target,
    breaches,
    check_floors,
    load_manifest,
    targets,
)
from bot.maintenance.sets_table import readme_table, replace_table, usage
from tests.support.paths import DATA, REPO

MANIFEST = load_manifest(REPO / DEFAULT_MANIFEST)
TARGETS = [target for spec in MANIFEST.sets for target in targets(spec)]


@pytest.fixture(scope="module")
def results(knowledge: Knowledge) -> dict[str, list[Outcome]]:
    """Every listed set, run once: outcomes by file name."""
    known = set(knowledge.by_id)
    return {
        spec.file: run(knowledge.matcher, load_labelled(MANIFEST.path_of(spec), known))
        for spec in MANIFEST.sets
    }


# ---------------------------------------------------------------------------------------------
# the shipped manifest


def test_every_labelled_file_is_in_the_manifest() -> None:
    """Each tests/data/questions*.yaml is listed, and each listed file exists."""
    on_disk = {path.name for path in DATA.glob("questions*.yaml")}
    listed = {spec.file for spec in MANIFEST.sets}
    assert on_disk == listed
    assert len(listed) == len(MANIFEST.sets)


def test_listed_splits_are_the_files_splits(results: dict[str, list[Outcome]]) -> None:
    """A set that lists splits lists exactly the splits its questions use."""
    for spec in MANIFEST.sets:
        if spec.splits:
            used = {o.item.split for o in results[spec.file]}
            assert {s.split for s in spec.splits} == used, spec.file


def test_every_set_has_floors_and_both_kinds_of_question(results: dict[str, list[Outcome]]) -> None:
    """Every set and split has all four limits, and in- and out-of-scope questions to apply
    them to."""
    for target in TARGETS:
        floors = target.part.floors
        assert None not in (floors.answered, floors.one_tap, floors.wrong, floors.declined)
        summary = summarise(target.select(results[target.spec.file]))
        assert summary.in_scope > 0 and summary.out_of_scope > 0, target.label


def test_blind_sets_have_their_blind_figures() -> None:
    """A set marked blind has been measured once: its first blind figures are recorded."""
    for target in TARGETS:
        if target.part.status == "blind":
            assert target.part.blind is not None, target.label


@pytest.mark.parametrize("target", TARGETS, ids=[t.label for t in TARGETS])
def test_each_labelled_set_stays_within_its_floors(
    target: Target, results: dict[str, list[Outcome]]
) -> None:
    """Answered correctly, ≤ 1 tap and declined at or above their floors, wrong answers at or
    below their ceiling, for every set and split of the manifest."""
    summary = summarise(target.select(results[target.spec.file]))
    figures = (
        f"{target.label}: answered {summary.accuracy:.3f}, 1 tap {summary.one_tap_rate:.3f}, "
        f"wrong {summary.wrong_rate:.3f}, declined {summary.decline_rate:.3f}"
    )
    print(figures)
    assert breaches(target, summary) == [], figures


def test_readme_table_is_up_to_date(results: dict[str, list[Outcome]]) -> None:
    """The README's quality table is what `make sets-table` writes now."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    generated = readme_table([(spec, results[spec.file]) for spec in MANIFEST.sets], Thresholds())
    assert replace_table(readme, generated) == readme, "README.md is stale: run `make sets-table`"


# ---------------------------------------------------------------------------------------------
# loading a manifest

GOOD = """\
sets:
  - file: a.yaml
    written_by: casual users
    status: tune
    floors: {answered: 90, wrong: 5}
    splits:
      - split: x
        status: held-out
        note: read once
  - file: b.yaml
    status: blind
    blind: {answered: 80, declined: 70.5}
"""


def write(tmp_path: Path, text: str) -> Path:
    """Write a manifest and return its path."""
    path = tmp_path / "sets.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_manifest_is_read_with_its_files_beside_it(tmp_path: Path) -> None:
    """Fields are read, defaults apply, and files are relative to the manifest."""
    manifest = load_manifest(write(tmp_path, GOOD))
    first, second = manifest.sets
    assert first.written_by == "casual users" and second.written_by is None
    assert first.floors.answered == 90 and first.floors.declined is None
    assert first.splits[0].split == "x" and first.splits[0].status == "held-out"
    assert second.blind is not None and second.blind.declined == 70.5
    assert manifest.path_of(second) == tmp_path / "b.yaml"
    assert [t.label for t in targets(first)] == ["a.yaml", "a.yaml x split"]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (("written_by:", "writen_by:"), ":3: error: set 'a.yaml': field 'writen_by': unknown"),
        (("status: blind", "status: secret"), ":11: error: set 'b.yaml': field 'status'"),
        (("answered: 90", "answered: 190"), ":5: error: set 'a.yaml': field 'floors.answered'"),
        (("file: b.yaml", "file: a.yaml"), "a file is listed twice"),
        (("split: x", "splt: x"), ":7: error: set 'a.yaml': field 'splits.0.splt'"),
        (("sets:", "set:"), "field 'set': unknown field"),
    ],
)
def test_manifest_errors_name_file_line_and_set(
    tmp_path: Path, change: tuple[str, str], message: str
) -> None:
    """A misspelt field, a bad status, an impossible floor or a file listed twice is an error
    naming the manifest's line and the set."""
    path = write(tmp_path, GOOD.replace(*change))
    with pytest.raises(ManifestError) as caught:
        load_manifest(path)
    assert message in str(caught.value)
    assert str(caught.value).startswith(str(path))


@pytest.mark.parametrize("content", ["", "[]\n", "sets: []\n", "sets: [\n"])
def test_empty_or_broken_manifests_are_errors(tmp_path: Path, content: str) -> None:
    """A manifest must be a mapping listing at least one set."""
    with pytest.raises(ManifestError):
        load_manifest(write(tmp_path, content))


def test_missing_manifest(tmp_path: Path) -> None:
    """A missing manifest is an error naming it."""
    with pytest.raises(ManifestError, match="cannot read"):
        load_manifest(tmp_path / "none.yaml")


# ---------------------------------------------------------------------------------------------
# floors


def spec_with(floors: dict[str, float], splits: list[dict] | None = None) -> SetSpec:
    """A set spec with these floors (and splits)."""
    return SetSpec.model_validate(
        {"file": "a.yaml", "status": "tune", "floors": floors, "splits": splits or []}
    )


def test_breaches_compare_each_measure_in_its_direction() -> None:
    """Floors are minimums except `wrong`, a maximum; a figure equal to its limit passes."""
    summary = Summary(in_scope=10, answered_correctly=9, out_of_scope=10, declined=8, one_tap=9,
                      wrong_answers=2)  # fmt: skip
    spec = spec_with({"answered": 90, "one_tap": 90, "wrong": 10, "declined": 80})
    assert breaches(Target(spec, spec), summary) == []
    spec = spec_with({"answered": 91, "one_tap": 95, "wrong": 9.9, "declined": 81})
    assert breaches(Target(spec, spec), summary) == [
        "a.yaml: answered correctly 90.0 % (must be >= 91 %)",
        "a.yaml: ≤ 1 tap 90.0 % (must be >= 95 %)",
        "a.yaml: wrong answers 10.0 % (must be <= 9.9 %)",
        "a.yaml: out-of-scope declined 80.0 % (must be >= 81 %)",
    ]


def test_check_floors_covers_the_set_and_each_split(knowledge: Knowledge) -> None:
    """A split's floors apply to its questions only, the set's to all of them."""
    items = [
        Labelled("when was crimea annexed", ("crimea-annexed",), "x"),
        Labelled("asdfgh qwerty", ("crimea-annexed",), "y"),
    ]
    outcomes = run(knowledge.matcher, items)
    spec = spec_with(
        {"answered": 60},
        [{"split": "x", "status": "tune", "floors": {"answered": 100}},
         {"split": "y", "status": "blind", "floors": {"answered": 10}}],
    )  # fmt: skip
    assert check_floors(spec, outcomes) == [
        "a.yaml: answered correctly 50.0 % (must be >= 60 %)",
        "a.yaml y split: answered correctly 0.0 % (must be >= 10 %)",
    ]


# ---------------------------------------------------------------------------------------------
# the README table


def test_usage_says_how_a_set_was_used(tmp_path: Path) -> None:
    """Status first, then the note, the first blind figures and the session-1 figures."""
    manifest = load_manifest(write(tmp_path, GOOD))
    first, second = manifest.sets
    assert usage(first) == "tuned on"
    assert usage(first.splits[0]) == "held out (read once)"
    assert usage(second) == "**blind, never tuned on** (first blind run 80.0 % / 70.5 %)"


def test_readme_table_rows_splits_bold_and_total(knowledge: Knowledge, tmp_path: Path) -> None:
    """A row per split (or per set without splits), held-out and blind figures in bold, and
    a total row; the markers frame it."""
    manifest: LoadedManifest = load_manifest(write(tmp_path, GOOD))
    first, second = manifest.sets
    a = run(knowledge.matcher, [Labelled("when was crimea annexed", ("crimea-annexed",), "x"),
                                Labelled("capital of france", (), "x")])  # fmt: skip
    b = run(knowledge.matcher, [Labelled("how long has the war lasted", ("war-duration",))])
    table = readme_table([(first, a), (second, b)], Thresholds())
    lines = table.splitlines()
    assert lines[0].startswith("<!-- sets-table:start") and lines[-1] == README_END
    limits = Thresholds()
    thresholds = next(line for line in lines if line.startswith("Thresholds: "))
    start = f"Thresholds: answer {limits.answer:g}, suggest {limits.suggest:g},"
    assert thresholds.startswith(start)
    assert f"agreed: {limits.agreed_answer:g} with {limits.agreed_share:g}" in thresholds
    rows = [line for line in lines if line.startswith("| ")]
    assert rows[2].startswith("| `a.yaml` x split (1 + 1) | casual users | held out (read once) |")
    assert rows[2].endswith("| **1/1 = 100.0 %** | **1/1 = 100.0 %** | **0/2 = 0.0 %** | "
                            "**1/1 = 100.0 %** |")  # fmt: skip
    assert rows[3].startswith("| `b.yaml` (1 + 0) | — | **blind, never tuned on**")
    assert rows[4] == (
        "| all sets (2 + 1) |  |  | 2/2 = 100.0 % | 2/2 = 100.0 % | 0/3 = 0.0 % | 1/1 = 100.0 % |"
    )


def test_replace_table_swaps_only_the_block() -> None:
    """Text outside the markers is kept; a README without markers is refused."""
    readme = "intro\n<!-- sets-table:start -->\nold\n<!-- sets-table:end -->\nafter\n"
    new = "<!-- sets-table:start: x -->\nnew\n<!-- sets-table:end -->"
    replaced = replace_table(readme, new)
    assert replaced == f"intro\n{new}\nafter\n"
    assert replace_table(replaced, new) == replaced
    with pytest.raises(ValueError):
        replace_table("no table", new)
    with pytest.raises(ValueError):
        replace_table("<!-- sets-table:end -->\n<!-- sets-table:start -->\n", new)


def test_replace_table_skips_markers_quoted_in_prose() -> None:
    """Only markers at the start of a line count."""
    readme = (
        "see `<!-- sets-table:start -->`\n<!-- sets-table:start -->\nold\n<!-- sets-table:end -->\n"
    )
    new = "<!-- sets-table:start -->\nnew\n<!-- sets-table:end -->"
    assert replace_table(readme, new) == f"see `<!-- sets-table:start -->`\n{new}\n"
