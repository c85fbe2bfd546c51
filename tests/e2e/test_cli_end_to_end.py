"""The README's path on a fresh project, through the installed ``confessions`` command in real subprocesses."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from analysis.cli import HANDLERS
from tests.conftest import shared_file

BIN = Path(sys.executable).parent / "confessions"


def confessions(home: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "CONFESSIONS_HOME": str(home)}
    return subprocess.run([str(BIN), *args], env=env, capture_output=True, text=True, timeout=300)


def test_ingest_then_process_gives_4311_rows(tmp_path):
    home = tmp_path / "fresh"
    home.mkdir()
    ingest = confessions(home, "ingest", "nre", "--from", str(shared_file("nre", "nre-fullcsv-2026-06.csv")))
    assert ingest.returncode == 0, ingest.stderr
    assert "2026-06-26-d3738287" in ingest.stdout
    process = confessions(home, "process")
    assert process.returncode == 0, process.stderr
    table = pd.read_parquet(home / "data" / "processed" / "exonerations.parquet")
    assert len(table) == 4311  # SOURCES.md: 4311 records in the 2026 full export
    assert len(pd.read_csv(home / "data" / "processed" / "exonerations.csv", low_memory=False)) == 4311
    listing = confessions(home, "snapshots")
    assert "2026-06-26-d3738287" in listing.stdout and "4311" in listing.stdout


@pytest.mark.parametrize("command", sorted(HANDLERS))
def test_every_command_has_help(command, tmp_path):
    result = confessions(tmp_path, command, "--help")
    assert result.returncode == 0 and "usage: confessions" in result.stdout and len(result.stdout) > 120


def test_python_dash_m_is_the_same_command(tmp_path):
    env = {**os.environ, "CONFESSIONS_HOME": str(tmp_path)}
    result = subprocess.run([sys.executable, "-m", "analysis", "--help"], env=env, capture_output=True, text=True)
    assert result.returncode == 0 and "ingest" in result.stdout


def test_usage_error_exits_2_and_user_error_exits_1_without_traceback(tmp_path):
    usage = confessions(tmp_path, "ingest", "bogus-source")
    assert usage.returncode == 2
    user = confessions(tmp_path, "process")
    assert user.returncode == 1 and user.stderr.startswith("error: ") and "Traceback" not in user.stderr
    assert user.stderr.count("\n") == 1
