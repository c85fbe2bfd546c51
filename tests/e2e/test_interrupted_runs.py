"""Killing ``confessions all`` at any point leaves the previous outputs complete; concurrent runs never interleave.

Real subprocesses, real SIGKILL. The previous state is a finished run on the 2024-04-10 export; the killed run
ingests the 2026 export (without ../shared: two synthetic demo exports of different sizes in their place).
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from analysis.formats import read_export
from tests.conftest import export_for_e2e

BIN = Path(sys.executable).parent / "confessions"


def run_all(home: Path, *args: str, **kwargs) -> subprocess.CompletedProcess:  # noqa: ANN003
    env = {**os.environ, "CONFESSIONS_HOME": str(home)}
    return subprocess.run([str(BIN), "all", "--skip-notebooks", *args], env=env, capture_output=True, text=True,
                          **kwargs)


def start_all(home: Path, *args: str) -> subprocess.Popen:
    env = {**os.environ, "CONFESSIONS_HOME": str(home)}
    return subprocess.Popen([str(BIN), "all", "--skip-notebooks", *args], env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def temporaries(home: Path) -> list[Path]:
    return [p for p in home.rglob(".*") if p.name.endswith(".tmp") or p.name.startswith(".tmp-")]


def consistent_outputs(home: Path) -> tuple[int, str]:
    """Check the processed table and the report are whole; return (rows, snapshot id)."""
    processed = home / "data" / "processed"
    table = pd.read_parquet(processed / "exonerations.parquet")
    csv = pd.read_csv(processed / "exonerations.csv", low_memory=False)
    meta = json.loads((processed / "exonerations.meta.json").read_text())
    assert len(table) == len(csv)
    stats = json.loads((home / "reports" / "stats.json").read_text())
    assert stats["stats"]
    html = (home / "reports" / "index.html").read_text()
    assert html.rstrip().endswith("</html>")
    return len(table), meta["snapshot_id"]


@pytest.fixture(scope="module")
def exports(tmp_path_factory) -> dict:
    """The older export (finished run), the newer one (killed run) and the newer one's rows and year."""
    folder = tmp_path_factory.mktemp("exports")
    old = export_for_e2e(folder, "nre-publicspreadsheet-2024-04-10.xlsx", rows=800, seed=11)
    new = export_for_e2e(folder, rows=1500, seed=12)
    read = read_export(new)  # 4311 rows of 2026 for the real export
    return {"old": old, "new": new, "rows": read.rows, "year": str(read.snapshot_date.year)}


@pytest.fixture(scope="module")
def finished_project(tmp_path_factory, exports) -> Path:
    home = tmp_path_factory.mktemp("killed") / "project"
    (home / "notebooks").mkdir(parents=True)
    done = run_all(home, "--from", str(exports["old"]))
    assert done.returncode == 0, done.stderr
    return home


@pytest.mark.parametrize("delay", [0.5, 4.0])  # during ingest or process; among the charts
def test_sigkill_at_any_point_leaves_previous_outputs_whole(finished_project, exports, delay):
    home = finished_project
    rows_before, snap_before = consistent_outputs(home)
    raw_before = sorted(p.relative_to(home) for p in (home / "data" / "raw").rglob("*") if p.is_file())
    proc = start_all(home, "--from", str(exports["new"]))
    time.sleep(delay)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    rows, snap = consistent_outputs(home)
    # either the old complete table or the new complete one, never a mixture
    assert (rows, snap.split("-")[0]) in {(rows_before, snap_before.split("-")[0]), (exports["rows"],
                                                                                     exports["year"])}
    raw_after = sorted(p.relative_to(home) for p in (home / "data" / "raw").rglob("*") if p.is_file())
    assert set(raw_before) <= set(raw_after)  # earlier snapshots untouched
    # and the next run finishes the job
    again = run_all(home, "--from", str(exports["new"]))
    assert again.returncode == 0, again.stderr
    rows, snap = consistent_outputs(home)
    assert rows == exports["rows"] and snap.startswith(exports["year"])
    assert temporaries(home) == []  # whatever the kill left behind was swept by the next run
    # put the project back to its earlier state for the next kill: process the older snapshot again
    env = {**os.environ, "CONFESSIONS_HOME": str(home)}
    subprocess.run([str(BIN), "process", "--snapshot", snap_before], env=env, check=True, capture_output=True)


def lock_held_by(home: Path, proc: subprocess.Popen) -> bool:
    """True once ``proc`` holds the project lock (it writes its pid into the lock file after taking it)."""
    lock = home / "data" / ".confessions.lock"
    while proc.poll() is None:
        if lock.is_file() and lock.read_text().strip() == str(proc.pid):
            return True
        time.sleep(0.05)
    return False


def test_second_concurrent_run_is_refused(finished_project):
    """Poll the lock's state (not the clock): once the first run holds it, a second run is refused."""
    home = finished_project
    first = start_all(home, "--force")
    try:
        assert lock_held_by(home, first), "the first run ended before taking the lock"
        second = run_all(home)
        assert second.returncode == 1
        assert "another confessions run is in progress" in second.stderr
        assert f"pid {first.pid}" in second.stderr
    finally:
        first.wait()
    assert first.returncode == 0
    consistent_outputs(home)
