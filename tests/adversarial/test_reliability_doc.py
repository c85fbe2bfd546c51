"""docs/reliability.md states the suite's counts and names its tests; the counts must equal the cases the tests
actually try, and every test it names (``file.py::test_name``; a bare file name is under tests/adversarial/) must
exist."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from tests.adversarial import (
    test_bad_files,
    test_build_state,
    test_cli_fuzz,
    test_downloads,
    test_drift,
    test_injection,
    test_killed_runs,
)
from tests.conftest import REPO_ROOT

DOC = REPO_ROOT / "docs" / "reliability.md"
_NAMED = re.compile(r"`((?:tests/[\w/]+/)?test_\w+\.py)(?:::(test_\w+))?`")


def counts() -> dict[str, int]:
    """Faults injected, bad inputs tried, fuzz examples, damaged states and user files kept, from the modules."""
    return {
        "Faults injected": len(test_downloads.CASES),
        "Bad inputs tried": len(test_bad_files.CASES) + len(test_injection.CASES) + len(test_drift.CASES),
        "Random `rate --of` expressions per run": test_cli_fuzz.EXAMPLES,
        "Damaged `.build-state.json` shapes tried": len(test_build_state.CASES),
        "User files named like temporaries that the sweep must keep": len(test_killed_runs.user_files(Path("/"))),
    }


def test_doc_counts_match_the_cases() -> None:
    text = DOC.read_text(encoding="utf-8")
    for label, number in counts().items():
        found = re.search(rf"^- {re.escape(label)}[^:]*: \*\*(\d+)\*\*", text, re.MULTILINE)
        assert found, f"{label} missing from {DOC}"
        assert int(found[1]) == number, f"{DOC}: {label} says {found[1]}, the tests try {number}"


def defined_tests(path: Path) -> set[str]:
    """The names of the test functions (module level or in classes) defined in ``path``."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return {node.name for node in ast.walk(tree)
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.name.startswith("test_")}


def test_every_named_test_exists() -> None:
    named = _NAMED.findall(DOC.read_text(encoding="utf-8"))
    assert len(named) >= 30, named  # the doc names its tests (the pattern still finds them)
    missing = []
    for file, test in named:
        path = REPO_ROOT / file if "/" in file else REPO_ROOT / "tests" / "adversarial" / file
        if not path.is_file():
            missing.append(file)
        elif test and test not in defined_tests(path):
            missing.append(f"{file}::{test}")
    assert not missing, f"{DOC} names tests that do not exist: {missing}"


def test_every_guarantee_names_a_test() -> None:
    rows = [line for line in DOC.read_text(encoding="utf-8").splitlines() if line.startswith("| **")]
    assert len(rows) >= 25
    untested = [row.split("**")[1] for row in rows if not _NAMED.search(row.rsplit("|", 2)[-2])]
    assert not untested, f"guarantees without a test in their 'tested in' column: {untested}"


if __name__ == "__main__":  # print the counts: python -m tests.adversarial.test_reliability_doc
    for label, number in counts().items():
        print(f"{label}: {number}")
