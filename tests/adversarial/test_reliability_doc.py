"""docs/reliability.md states the suite's counts; they must equal the cases the tests actually try."""

from __future__ import annotations

import re

from tests.adversarial import test_bad_files, test_cli_fuzz, test_downloads, test_drift, test_injection
from tests.conftest import REPO_ROOT

DOC = REPO_ROOT / "docs" / "reliability.md"


def counts() -> dict[str, int]:
    """Faults injected, bad inputs tried and fuzz examples, from the modules' case lists."""
    return {
        "Faults injected": len(test_downloads.CASES),
        "Bad inputs tried": len(test_bad_files.CASES) + len(test_injection.CASES) + len(test_drift.CASES),
        "Random `rate --of` expressions per run": test_cli_fuzz.EXAMPLES,
    }


def test_doc_counts_match_the_cases() -> None:
    text = DOC.read_text(encoding="utf-8")
    for label, number in counts().items():
        found = re.search(rf"^- {re.escape(label)}[^:]*: \*\*(\d+)\*\*", text, re.MULTILINE)
        assert found, f"{label} missing from {DOC}"
        assert int(found[1]) == number, f"{DOC}: {label} says {found[1]}, the tests try {number}"


if __name__ == "__main__":  # print the counts: python -m tests.adversarial.test_reliability_doc
    for label, number in counts().items():
        print(f"{label}: {number}")
