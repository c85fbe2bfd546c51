"""``confessions rate --of TEXT`` on a processed table: any text gives exit 0 or 1 and never a traceback."""

from __future__ import annotations

import contextlib
import io
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analysis.cli import main

TOKENS = ["fc", "age", "dna", "not", "and", "or", "(", ")", "<", "==", "18", '"Murder"', "in", "[", "]", ",",
          "__import__('os')", "crime_category", "1e999", "-", "**", ".", "lambda", "x", "'", "\\", "\x00"]
EXAMPLES = 120

expressions = st.one_of(st.text(max_size=80), st.lists(st.sampled_from(TOKENS), max_size=25).map(" ".join))


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=expressions)
def test_rate_never_crashes(baseline: Path, text: str) -> None:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["rate", f"--of={text}"])
    assert code in (0, 1), (text, err.getvalue())
    assert "Traceback" not in err.getvalue()
    if code == 1:
        assert err.getvalue().startswith("error: ") and err.getvalue().count("\n") == 1, err.getvalue()
