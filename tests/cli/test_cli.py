"""Tests for bot.cli, run as `python -m bot` subprocesses the way maintainers and readers use it."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from bot.cli.readers import reply_as_json
from bot.core.replies import reply_to
from bot.knowledge.article import load_article
from bot.knowledge.knowledge import Knowledge
from tests.support.paths import ARTICLE, QA, REPO
from tests.support.subprocess_env import clean_env

COMMANDS = [
    "ask",
    "chat",
    "explain",
    "validate",
    "eval",
    "fit",
    "unanswered",
    "feedback",
    "review",
    "run",
    "start",
]
CRIMEA_SENTENCE = next(s for s in load_article(ARTICLE).sentences if "annexed in 2014" in s)
TIMEOUT = 60


@dataclass(frozen=True)
class Run:
    """One `python -m bot` invocation: arguments, stdin, extra environment, working directory.

    ``cwd`` None means the repository root; "tmp" means a fresh empty directory (no .env).
    """

    args: tuple[str, ...]
    stdin: str = ""
    env: tuple[tuple[str, str], ...] = ()
    cwd: str | None = None
    dotenv: str | None = None


def broken_copy(root: Path) -> tuple[Path, int]:
    """Write a knowledge copy with an unknown related id; return its path and that line."""
    (root / "seeds").mkdir()
    shutil.copyfile(ARTICLE, root / "seeds" / "article.txt")
    (root / "knowledge").mkdir()
    lines = QA.read_text(encoding="utf-8").splitlines(keepends=True)
    index = next(i for i, line in enumerate(lines) if line.startswith("    related: ["))
    lines[index] = "    related: [no-such-entry]\n"
    path = root / "knowledge" / "qa.yaml"
    path.write_text("".join(lines), encoding="utf-8")
    return path, index + 1


MISSPELT_LABELS = """\
questions:
  - text: "When was Crimea annexed?"
    expect: [crimea-annexed]
  - text: "how long has the war lasted"
    expcet: [war-duration]
  - text: "Is Finland a NATO member?"
    expect: [no-such-entry]
"""
STRICT_MANIFEST = """\
sets:
  - file: q.yaml
    status: tune
    floors: {answered: 100, wrong: 0}
"""
# Labelled so that one question is answered with an entry it does not expect (a wrong answer)
# and one is not answered: both floors of STRICT_MANIFEST break, whatever the thresholds.
BREACHING_SET = """\
questions:
  - text: "how long has the war lasted"
    expect: ["summary"]
  - text: "zzz qqq"
    expect: ["war-duration"]
"""
STALE_README = (
    "# title\n\n<!-- sets-table:start -->\nstale figures\n<!-- sets-table:end -->\n\nafter\n"
)
BATCH = ["when was crimea annexed", "Is Finland a NATO member?", "how long has the war lasted"]
RUNS: dict[str, Run] = {
    "help": Run(("--help",)),
    **{f"help-{name}": Run((name, "--help")) for name in COMMANDS},
    "unknown-command": Run(("frobnicate",)),
    "ask": Run(("ask", "when was crimea annexed")),
    "ask-json": Run(("ask", "--json", "when was crimea annexed")),
    "ask-json-out-of-scope": Run(("ask", "--json", "what is the capital of France")),
    "ask-json-vague": Run(("ask", "--json", "nato")),
    "ask-json-batch": Run(("ask", "--json", "-"), stdin="\n".join(BATCH) + "\n"),
    "ask-json-batch-blank": Run(("ask", "--json", "-"), stdin="\n   \nwhen was crimea annexed\n\n"),
    "chat": Run(
        ("chat",), stdin="hi\nwhen was crimea annexed\nquit\nhow long has the war lasted\n"
    ),
    "chat-pick": Run(("chat",), stdin="nato\n1\n"),
    "chat-eof": Run(("chat",)),
    "chat-odd-digits": Run(("chat",), stdin="nato\n²\n①\nwhen was crimea annexed\nquit\n"),
    "validate": Run(("validate",)),
    "validate-broken": Run(("validate", "BROKEN")),
    "validate-missing": Run(("validate", "MISSING")),
    "eval": Run(("eval", "--no-sweep")),
    "eval-missing": Run(("eval", "MISSING", "--no-sweep")),
    "eval-misspelt": Run(("eval", "MISSPELT", "--no-sweep")),
    "eval-manifest": Run(("eval", "--manifest", "tests/data/sets.yaml")),
    "eval-manifest-breach": Run(("eval", "--manifest", "STRICT")),
    "eval-manifest-and-file": Run(("eval", "tests/data/questions.yaml", "--manifest", "STRICT")),
    "eval-readme-table": Run(("eval", "--readme-table")),
    "eval-update-readme": Run(("eval", "--update-readme", "README")),
    "eval-several": Run(
        ("eval", "tests/data/questions.yaml", "tests/data/questions_unseen.yaml", "--no-sweep")
    ),
    "explain": Run(("explain", "when was crimia annexed in finland")),
    "fit-two": Run(("fit", "tests/data/questions_unseen.yaml", "tests/data/questions_blind.yaml")),
    "ask-json-unsure": Run(
        ("ask", "--json", "Under the proposal, how might the areas Moscow holds revert to Kyiv?")
    ),
    "run-no-token": Run(("run",), cwd="tmp"),
    "start-no-token": Run(("start",), stdin="when was crimea annexed\nquit\n", cwd="tmp"),
    **{
        f"bad-port-{args[0]}": Run(args, env=(("BOT_WEBHOOK_PORT", "abc"),), cwd="tmp")
        for args in [("run",), ("ask", "x"), ("validate",)]
    },
    "bad-port-dotenv": Run(("run",), cwd="tmp", dotenv="BOT_WEBHOOK_PORT=abc\n"),
}


@dataclass(frozen=True)
class Runs:
    """The finished runs by name, plus the broken copy given to `validate`."""

    results: dict[str, subprocess.CompletedProcess[str]]
    broken: Path
    broken_line: int
    missing: Path
    misspelt: Path
    readme: Path

    def __getitem__(self, name: str) -> subprocess.CompletedProcess[str]:
        return self.results[name]


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> Runs:
    """Every invocation in RUNS, started together (each is mostly interpreter start-up)."""
    broken, broken_line = broken_copy(tmp_path_factory.mktemp("broken"))
    missing = tmp_path_factory.mktemp("missing") / "none.yaml"
    misspelt = tmp_path_factory.mktemp("misspelt") / "questions.yaml"
    misspelt.write_text(MISSPELT_LABELS, encoding="utf-8")
    strict = tmp_path_factory.mktemp("strict") / "sets.yaml"
    (strict.parent / "q.yaml").write_text(BREACHING_SET, encoding="utf-8")
    strict.write_text(STRICT_MANIFEST, encoding="utf-8")
    readme = tmp_path_factory.mktemp("readme") / "README.md"
    readme.write_text(STALE_README, encoding="utf-8")
    started = {}
    for name, run in RUNS.items():
        cwd = REPO
        if run.cwd == "tmp":
            cwd = tmp_path_factory.mktemp(name)
            if run.dotenv is not None:
                (cwd / ".env").write_text(run.dotenv, encoding="utf-8")
        paths = {
            "BROKEN": broken,
            "MISSING": missing,
            "MISSPELT": misspelt,
            "STRICT": strict,
            "README": readme,
        }
        args = [str(paths[arg]) if arg in paths else arg for arg in run.args]
        process = subprocess.Popen(
            [sys.executable, "-m", "bot", *args],
            cwd=cwd,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            encoding="utf-8",
            env=clean_env(**dict(run.env)),
        )
        started[name] = (process, run.stdin)
    results = {}
    for name, (process, stdin) in started.items():
        try:
            out, err = process.communicate(stdin, timeout=TIMEOUT)
        except subprocess.TimeoutExpired:
            process.kill()
            out, err = process.communicate()
        results[name] = subprocess.CompletedProcess(process.args, process.returncode, out, err)
    return Runs(results, broken, broken_line, missing, misspelt, readme)


# ---------------------------------------------------------------------------------------------
# help


def test_top_level_help_lists_every_command(runs: Runs) -> None:
    """`python -m bot --help` exits 0, prints usage and names every command."""
    result = runs["help"]
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("usage: python -m bot")
    for name in COMMANDS:
        assert name in result.stdout


@pytest.mark.parametrize("name", COMMANDS)
def test_command_help(runs: Runs, name: str) -> None:
    """`python -m bot COMMAND --help` exits 0 and prints that command's usage."""
    result = runs[f"help-{name}"]
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"usage: python -m bot {name}")
    assert result.stderr == ""


def test_unknown_command_is_a_usage_error(runs: Runs) -> None:
    """An unknown command exits 2 with argparse's usage message on stderr."""
    result = runs["unknown-command"]
    assert result.returncode == 2
    assert "usage:" in result.stderr


# ---------------------------------------------------------------------------------------------
# ask


def test_ask_prints_the_answer_and_sentence(runs: Runs) -> None:
    """`ask QUESTION` prints the answer with the article sentence verbatim."""
    result = runs["ask"]
    assert result.returncode == 0, result.stderr
    assert CRIMEA_SENTENCE in result.stdout
    assert "2014" in result.stdout


def test_ask_json_answer(runs: Runs) -> None:
    """`ask --json` prints one JSON object: matched, entry, answer and the verbatim sentence."""
    result = runs["ask-json"]
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == 1
    data = json.loads(lines[0])
    keys = {"question", "matched", "entry", "answer", "sentence", "score", "suggestions", "lacks"}
    keys |= {"also", "kind", "reply"}
    assert keys <= set(data)
    assert data["question"] == "when was crimea annexed"
    assert data["matched"] is True
    assert data["entry"] == "crimea-annexed"
    assert data["sentence"] == CRIMEA_SENTENCE
    assert "2014" in data["answer"]
    assert data["score"] == 100.0
    assert data["suggestions"] == []
    assert data["also"] is None  # no sibling came within the margin


def test_ask_json_gives_the_sibling_answered_too(knowledge: Knowledge) -> None:
    """Getting the occupied areas back: the answer gives occupied-areas-return and, in
    `also`, its neighbour recover-diplomatically, each with its verbatim sentence."""
    question = "what does zelensky say about getting the occupied areas back"
    data = reply_as_json(question, reply_to(knowledge, question))
    assert (data["kind"], data["entry"]) == ("answer", "occupied-areas-return")
    also = data["also"]
    assert also is not None and also["entry"] == "recover-diplomatically"
    companion = knowledge.by_id["recover-diplomatically"]
    assert (also["answer"], also["sentence"]) == (companion.answer, companion.sentence)
    assert also["score"] < data["score"]
    assert f"“{companion.sentence}”" in data["reply"]


def test_ask_json_out_of_scope(runs: Runs) -> None:
    """An out-of-scope question gives matched false and a null sentence."""
    result = runs["ask-json-out-of-scope"]
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["matched"] is False
    assert data["sentence"] is None
    assert data["entry"] is None
    assert data["answer"] is None


def test_ask_json_lists_every_button_of_a_decline_or_a_did_you_mean(runs: Runs) -> None:
    """`suggestions` holds every entry offered as a button, best first, with its label."""
    out_of_scope = json.loads(runs["ask-json-out-of-scope"].stdout)
    assert out_of_scope["kind"] == "decline"
    assert len(out_of_scope["suggestions"]) == 3
    assert all(s["entry"] and s["question"] for s in out_of_scope["suggestions"])
    unsure = json.loads(runs["ask-json-unsure"].stdout)
    assert unsure["kind"] == "suggest" and unsure["matched"] is False
    scores = [s["score"] for s in unsure["suggestions"]]
    assert scores and scores == sorted(scores, reverse=True)
    assert unsure["reply"].startswith("I'm not sure I understood")
    assert unsure["lacks"] is None


def test_ask_json_says_what_the_closest_answer_lacks(knowledge: Knowledge) -> None:
    """'who interviewed him on sky news': `lacks` is "name", and the reply says so."""
    question = "who interviewed him on sky news"
    data = reply_as_json(question, reply_to(knowledge, question))
    assert (data["kind"], data["lacks"]) == ("suggest", "name")
    assert data["reply"].startswith("The article doesn't give that name.")


def test_fit_prints_left_out_figures_and_the_settings_to_apply(runs: Runs) -> None:
    """`fit FILE FILE` fits on all but one, measures on that one, then fits on both."""
    result = runs["fit-two"]
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert out.startswith("thresholds now: answer ")
    assert "leave one set out" in out
    left_out = out.split("leave one set out", 1)[1].split("fitted on every set", 1)[0]
    assert "questions_unseen.yaml" in left_out and "questions_blind.yaml" in left_out
    assert re.search(r"^  BOT_ANSWER_THRESHOLD=\d+$", out, re.M)
    assert re.search(r"^  BOT_MAX_UNKNOWN_SHARE=[\d.]+$", out, re.M)


def test_ask_json_suggestions(runs: Runs) -> None:
    """A vague one-word question is not matched and lists suggestions with entry and score."""
    data = json.loads(runs["ask-json-vague"].stdout)
    assert data["matched"] is False
    assert data["sentence"] is None
    assert 1 <= len(data["suggestions"]) <= 3
    for suggestion in data["suggestions"]:
        assert set(suggestion) == {"entry", "question", "score"}


def test_ask_json_batch_from_stdin(runs: Runs) -> None:
    """`ask --json -` answers one question per stdin line, one JSON object per line."""
    result = runs["ask-json-batch"]
    assert result.returncode == 0, result.stderr
    objects = [json.loads(line) for line in result.stdout.splitlines()]
    assert [o["question"] for o in objects] == BATCH
    assert [o["matched"] for o in objects] == [True, False, True]
    assert objects[0]["sentence"] == CRIMEA_SENTENCE
    assert objects[1]["sentence"] is None


def test_ask_batch_skips_blank_lines(runs: Runs) -> None:
    """Blank stdin lines are not questions."""
    result = runs["ask-json-batch-blank"]
    assert result.returncode == 0, result.stderr
    (line,) = result.stdout.splitlines()
    assert json.loads(line)["question"] == "when was crimea annexed"


def test_ask_does_not_import_telegram() -> None:
    """Answering from the CLI never imports the telegram package."""
    code = (
        "import sys; from bot.cli import main; main(['ask','x']); "
        "assert 'telegram' not in sys.modules, 'telegram imported'"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=REPO,
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=clean_env(),
        timeout=TIMEOUT,
    )
    assert result.returncode == 0, result.stderr


# ---------------------------------------------------------------------------------------------
# chat


def test_chat_with_piped_stdin(runs: Runs) -> None:
    """`chat` reads piped lines, replies to each and stops at 'quit'."""
    result = runs["chat"]
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "you> hi" in out
    assert "bot> Hello!" in out
    assert "you> when was crimea annexed" in out
    assert CRIMEA_SENTENCE in out
    assert out.split("you> quit")[1].strip() == ""


def test_chat_number_picks_a_button(runs: Runs) -> None:
    """Typing a listed number in chat answers the question of that button."""
    result = runs["chat-pick"]
    assert result.returncode == 0, result.stderr
    before, after = result.stdout.split("you> 1")
    assert "type a number to pick" in before
    assert "From the article:" in after


def test_chat_ends_at_end_of_input(runs: Runs) -> None:
    """`chat` exits 0 when stdin ends without 'quit'."""
    result = runs["chat-eof"]
    assert result.returncode == 0, result.stderr
    assert "Ask me about" in result.stdout


def test_chat_survives_digit_like_characters(runs: Runs) -> None:
    """Characters that are digits to str.isdigit but not to int ('²', '①') do not crash chat."""
    result = runs["chat-odd-digits"]
    assert "Traceback" not in result.stderr, result.stderr
    assert result.returncode == 0
    assert CRIMEA_SENTENCE in result.stdout.split("you> ①")[1]


# ---------------------------------------------------------------------------------------------
# validate and eval


def test_validate_shipped_file(runs: Runs) -> None:
    """`validate` exits 0 on the shipped file and reports OK."""
    result = runs["validate"]
    assert result.returncode == 0, result.stderr
    assert "OK" in result.stdout


def test_validate_broken_copy_names_file_and_line(runs: Runs) -> None:
    """`validate PATH` exits 1 with file:line of each problem on stderr."""
    result = runs["validate-broken"]
    assert result.returncode == 1
    assert f"{runs.broken}:{runs.broken_line}: error" in result.stderr
    assert "no-such-entry" in result.stderr
    assert "INVALID" in result.stderr


def test_validate_missing_file(runs: Runs) -> None:
    """`validate` of a file that does not exist exits 1 naming it."""
    result = runs["validate-missing"]
    assert result.returncode == 1
    assert str(runs.missing) in result.stderr


def test_eval_prints_accuracy_lines(runs: Runs) -> None:
    """`eval --no-sweep` prints a line per split and overall, with four figures each."""
    result = runs["eval"]
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    header = next(line for line in lines if line.startswith("split"))
    for column in ("answered correctly", "≤ 1 tap", "wrong answers", "out-of-scope declined"):
        assert column in header
    for split in ("tune", "holdout", "all"):
        line = next(line for line in lines if line.startswith(split))
        assert line.count("%") == 4
    assert "threshold sweep" not in result.stdout


def test_eval_of_several_files_prints_one_line_each_and_a_total(runs: Runs) -> None:
    """`eval A B` prints a line per file and an 'all sets' line whose counts add up."""
    result = runs["eval-several"]
    assert result.returncode == 0, result.stderr
    counts = {}
    for line in result.stdout.splitlines():
        found = re.match(r"(\S+(?: sets)?)\s+\d+/\d+ = ", line)
        if found:
            figures = re.findall(r"(\d+)/(\d+) = [\d.]+%", line)
            assert len(figures) == 4, line
            counts[found.group(1)] = tuple(int(n) for pair in figures for n in pair)
    assert set(counts) == {
        "tests/data/questions.yaml",
        "tests/data/questions_unseen.yaml",
        "all sets",
    }
    first, second = counts["tests/data/questions.yaml"], counts["tests/data/questions_unseen.yaml"]
    assert counts["all sets"] == tuple(a + b for a, b in zip(first, second, strict=True))
    assert "thresholds: answer >=" in result.stdout


def test_eval_missing_file_is_an_error(runs: Runs) -> None:
    """`eval` of a missing labelled file exits 1 with a message naming it."""
    result = runs["eval-missing"]
    assert result.returncode == 1
    assert f"{runs.missing}: error: cannot read" in result.stderr
    assert "Traceback" not in result.stderr


def test_eval_of_a_misspelt_labelled_file_names_file_and_line(runs: Runs) -> None:
    """A misspelt key exits 1 with file:line, question and a hint, no traceback."""
    result = runs["eval-misspelt"]
    assert result.returncode == 1
    path = runs.misspelt
    err = result.stderr
    assert f"{path}:5: error: question 2 ('how long has the war lasted'): field 'expcet'" in err
    assert "did you mean 'expect'?" in err
    assert "Traceback" not in err
    assert result.stdout == ""


def test_eval_manifest_runs_every_listed_set_and_checks_floors(runs: Runs) -> None:
    """`eval --manifest` prints one line per listed file and a total, within every floor."""
    result = runs["eval-manifest"]
    assert result.returncode == 0, result.stdout + result.stderr
    names = [line.split()[0] for line in result.stdout.splitlines() if " = " in line]
    listed = sorted(p.name for p in (REPO / "tests" / "data").glob("questions*.yaml"))
    assert sorted(Path(n).name for n in names if n.endswith(".yaml")) == listed
    assert "all" in names
    assert "every set is within the floors set in tests/data/sets.yaml" in result.stdout


def test_eval_manifest_below_a_floor_exits_1_naming_it(runs: Runs) -> None:
    """A set below its floor (or above its wrong-answer ceiling) is listed; exit status 1."""
    result = runs["eval-manifest-breach"]
    assert result.returncode == 1
    assert "below the floors set in" in result.stdout
    assert re.search(r"q\.yaml: answered correctly \d+\.\d % \(must be >= 100 %\)", result.stdout)
    assert re.search(r"q\.yaml: wrong answers \d+\.\d % \(must be <= 0 %\)", result.stdout)


def test_eval_manifest_with_files_is_a_usage_error(runs: Runs) -> None:
    """FILEs and --manifest do not mix."""
    result = runs["eval-manifest-and-file"]
    assert result.returncode == 2
    assert "not both" in result.stderr


def test_eval_readme_table_is_the_readmes(runs: Runs) -> None:
    """`eval --readme-table` prints the README's quality table as it stands."""
    result = runs["eval-readme-table"]
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() in (REPO / "README.md").read_text(encoding="utf-8")
    assert result.stdout.startswith("<!-- sets-table:start")


def test_eval_update_readme_rewrites_only_the_table(runs: Runs) -> None:
    """`eval --update-readme FILE` replaces the block between the markers."""
    result = runs["eval-update-readme"]
    assert result.returncode == 0, result.stderr
    text = runs.readme.read_text(encoding="utf-8")
    assert text.startswith("# title\n\n<!-- sets-table:start: generated from")
    assert text.endswith("<!-- sets-table:end -->\n\nafter\n")
    assert "stale figures" not in text and "| all sets (" in text


def test_explain_shows_words_candidates_and_decision(runs: Runs) -> None:
    """`explain` names the typo, the unknown word, the closest entry and the decision."""
    result = runs["explain"]
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "typo of crimea" in out
    assert "finland" in out and "UNKNOWN" in out
    assert "crimea-annexed" in out
    assert "decision: " in out
    assert "hint: finland never appears" in out


# ---------------------------------------------------------------------------------------------
# settings: the Telegram bot needs a token; malformed settings name the variable


def test_run_without_token(runs: Runs) -> None:
    """`run` with no BOT_TOKEN (environment or .env) exits non-zero mentioning BOT_TOKEN."""
    result = runs["run-no-token"]
    assert result.returncode != 0
    assert "BOT_TOKEN" in result.stderr
    assert "Traceback" not in result.stderr


def test_start_without_token_runs_the_chat(runs: Runs) -> None:
    """`start` with no BOT_TOKEN explains it and falls back to the terminal chat."""
    result = runs["start-no-token"]
    assert result.returncode == 0, result.stderr
    assert "BOT_TOKEN" in result.stdout
    assert "Ask me about" in result.stdout
    assert CRIMEA_SENTENCE in result.stdout


@pytest.mark.parametrize("command", ["run", "ask", "validate"])
def test_malformed_setting_names_the_variable(runs: Runs, command: str) -> None:
    """BOT_WEBHOOK_PORT=abc stops any command with exit 2 naming BOT_WEBHOOK_PORT."""
    result = runs[f"bad-port-{command}"]
    assert result.returncode == 2
    assert "BOT_WEBHOOK_PORT" in result.stderr
    assert "Traceback" not in result.stderr


def test_malformed_setting_in_dotenv(runs: Runs) -> None:
    """A malformed value in .env in the working directory is reported the same way."""
    result = runs["bad-port-dotenv"]
    assert result.returncode == 2
    assert "BOT_WEBHOOK_PORT" in result.stderr
