"""The command line's last line of defence: a closed pipe, a machine failure or an unexpected error is one line
and exit status, never a traceback (``--debug`` gives the traceback back). Real processes, real pipes."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from analysis.cli import environment_error, main
from analysis.ingest.demo import write_demo

PYTHON = [sys.executable, "-m", "analysis"]


def _env(home: Path) -> dict[str, str]:
    return {**os.environ, "CONFESSIONS_HOME": str(home), "PYTHONWARNINGS": "ignore"}


@pytest.fixture(scope="module")
def two_snapshots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    home = tmp_path_factory.mktemp("home")
    for seed in (1, 2):
        export = write_demo(home / f"demo-{seed}.csv", rows=60, seed=seed)
        subprocess.run([*PYTHON, "ingest", "nre", "--from", str(export)], env=_env(home), check=True,
                       capture_output=True)
    return home


def test_a_closed_pipe_ends_quietly(two_snapshots: Path):
    ids = subprocess.run([*PYTHON, "snapshots"], env=_env(two_snapshots), capture_output=True, text=True, check=True)
    snapshot_ids = [line.split()[1] for line in ids.stdout.splitlines()[1:] if line.split()[:1] in (["nre"], ["demo"])]
    assert len(snapshot_ids) == 2, ids.stdout
    # `confessions diff A B | head -1`, with the reader gone before anything is written (the command takes a second
    # or more to import and compare; the read end is closed at once), so the write meets a closed pipe every time
    diff = subprocess.Popen([*PYTHON, "diff", *snapshot_ids], env=_env(two_snapshots), stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)
    diff.stdout.close()
    err = diff.stderr.read().decode()
    assert diff.wait(timeout=120) == 0, err
    assert "Traceback" not in err and "BrokenPipe" not in err and "Exception ignored" not in err


def test_unexpected_errors_are_one_line_unless_debug(monkeypatch: pytest.MonkeyPatch, project: Path, capsys):
    def boom(args):  # noqa: ANN001, ANN202
        raise ZeroDivisionError("division by zero")

    monkeypatch.setitem(__import__("analysis.cli", fromlist=["HANDLERS"]).HANDLERS, "snapshots", boom)
    monkeypatch.delenv("CONFESSIONS_DEBUG", raising=False)
    assert main(["snapshots"]) == 1
    err = capsys.readouterr().err
    assert err == "internal error: ZeroDivisionError: division by zero (rerun with --debug for details)\n"
    with pytest.raises(ZeroDivisionError):
        main(["--debug", "snapshots"])


def test_machine_failures_name_the_path_and_cause():
    assert environment_error(PermissionError(13, "Permission denied", "/r/index.html")) == (
        "cannot complete: /r/index.html: permission denied")
    assert environment_error(OSError(28, "No space left on device")) == (
        "cannot complete: no space left on the device")
