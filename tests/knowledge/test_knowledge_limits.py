"""Unit: a huge knowledge file is refused before parsing, and errors keep few problems."""

from __future__ import annotations

import subprocess
import sys
import tracemalloc
from pathlib import Path

import pytest

from bot.knowledge.loader import load_knowledge
from bot.knowledge.schema import MAX_FILE_BYTES, MAX_PROBLEMS, KnowledgeError
from tests.support.knowledge_copies import huge_copy
from tests.support.paths import REPO


def test_a_file_over_the_limit_is_refused_before_parsing(knowledge_copy: Path) -> None:
    """40 MB: one problem naming the file and the limit, and next to no memory used."""
    path = huge_copy(knowledge_copy)
    tracemalloc.start()
    try:
        with pytest.raises(KnowledgeError) as caught:
            load_knowledge(path)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    (problem,) = caught.value.problems
    assert problem.file == str(path)
    assert f"{MAX_FILE_BYTES:,} bytes" in str(problem)
    assert peak < 1_000_000, f"peak {peak} bytes while refusing"


def test_a_file_just_under_the_limit_is_still_read(knowledge_copy: Path) -> None:
    """The limit refuses only what is over it: 3.9 MB of comments still load."""
    path = huge_copy(knowledge_copy, size=MAX_FILE_BYTES - 100 * 1024)
    assert len(load_knowledge(path, thorough=False).entries) > 10


def test_a_knowledge_error_keeps_at_most_max_problems(knowledge_copy: Path) -> None:
    """3,000 broken entries: MAX_PROBLEMS problems kept, then one line counting the rest."""
    broken = "".join(f"  - id: broken-{n}\n    answer: x\n" for n in range(3000))
    knowledge_copy.write_text(knowledge_copy.read_text(encoding="utf-8") + broken, encoding="utf-8")
    with pytest.raises(KnowledgeError) as caught:
        load_knowledge(knowledge_copy)
    problems = caught.value.problems
    assert len(problems) == MAX_PROBLEMS + 1
    assert "more problems not listed" in problems[-1].message


def test_validate_refuses_a_huge_file_with_its_name(knowledge_copy: Path) -> None:
    """`python -m bot validate` on a 40 MB file: exit 1, the file named, no traceback."""
    path = huge_copy(knowledge_copy)
    result = subprocess.run(
        [sys.executable, "-m", "bot", "validate", str(path)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1
    assert str(path) in result.stderr and "Traceback" not in result.stderr, result.stderr
