"""``reports/.build-state.json`` of the wrong shape: a warning and "no state, rebuild", never a traceback.

Through the command line (in-process for every shape, and once in a real subprocess) and through the runner.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import warnings
from pathlib import Path

import pytest

from analysis.pipeline.runner import StateFile, Step, run_step
from tests.adversarial.conftest import cli

CASES = {
    "a list": b"[]",
    "a number": b"42",
    "null": b"null",
    "a string": b'"process"',
    "an entry without keys": b'{"process": {}}',
    "entries of the wrong types": b'{"process": {"key": 1, "outputs": []}, "analyse": 5, "report": {"key": "k"}}',
    "not JSON": b"{'process': <garbage>",
    "not UTF-8": b'{"process": "\xff\xfe\x00"}',
    "nested 100,000 deep": b"[" * 100_000 + b"]" * 100_000,
    "a 5,000-digit number": b'{"process": ' + b"9" * 5000 + b"}",
}


def stderr_lines(err: str) -> list[str]:
    assert "Traceback" not in err and "internal error" not in err, err
    return err.splitlines()


@pytest.mark.parametrize("case", CASES)
def test_a_damaged_state_is_one_warning_line(project: Path, tmp_path: Path, capsys, case: str):
    (project / "reports" / ".build-state.json").write_bytes(CASES[case])
    missing = tmp_path / "missing.csv"
    with warnings.catch_warnings():
        warnings.simplefilter("always")
        code, _, err = cli(capsys, "all", "--skip-notebooks", "--from", str(missing))
    warning, error = stderr_lines(err)  # the state is read first; the missing file then ends the run
    assert code == 1 and error == f"error: no such file: {missing}"
    assert warning.startswith("warning: .build-state.json ") and warning.endswith(("runs again", "run again")), warning


def test_a_damaged_state_in_a_real_process(project: Path, tmp_path: Path):
    (project / "reports" / ".build-state.json").write_bytes(CASES["nested 100,000 deep"])
    done = subprocess.run([sys.executable, "-m", "analysis", "all", "--skip-notebooks", "--from",
                           str(tmp_path / "missing.csv")], env={**os.environ, "CONFESSIONS_HOME": str(project)},
                          capture_output=True, text=True, timeout=120)
    warning, error = stderr_lines(done.stderr)
    assert done.returncode == 1 and error.startswith("error: no such file: ")
    assert warning == "warning: .build-state.json is not valid JSON; treated as no state: every step runs again"


@pytest.mark.parametrize("case", CASES)
def test_a_damaged_state_means_rebuild(tmp_path: Path, case: str):
    """A step whose output is there and whose entry is missing or damaged runs again, and the state is rewritten
    whole; an entry of the right shape beside damaged ones is kept."""
    path = tmp_path / ".build-state.json"
    out = tmp_path / "out.txt"
    out.write_text("built earlier")
    runs = []
    process = Step("process", lambda: [], [], lambda: [out], lambda: runs.append(1))
    other = Step("other", lambda: [], [], lambda: [out], lambda: None)
    good = {"key": other.key(), "outputs": {str(out): hashlib.sha256(b"built earlier").hexdigest()}}
    data = CASES[case]
    if data.startswith(b"{") and data.endswith(b"}"):  # a damaged object: put a sound entry beside
        data = data[:-1] + b', "other": ' + json.dumps(good).encode() + b"}"
    path.write_bytes(data)
    with pytest.warns(UserWarning, match="runs? again"):
        state = StateFile(path)
    assert run_step(process, state).status == "rebuilt" and runs == [1]
    saved = json.loads(path.read_text())
    assert saved["process"]["key"] == process.key()
    # an object of steps keeps its sound entries; anything unreadable is no state at all
    kept = case in ("an entry without keys", "entries of the wrong types")
    assert ("other" in saved) == kept
    assert run_step(other, StateFile(path)).status == ("reused" if kept else "rebuilt")
