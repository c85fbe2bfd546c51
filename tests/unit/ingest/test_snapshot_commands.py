"""Everyday snapshot handling: date an undated export, show and remove a snapshot, notice a second copy of an export
already stored, and one lock for every command that writes. Through ``analysis.cli.main`` on a real project folder."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from analysis.cli import main
from analysis.ingest.store import list_snapshots
from analysis.pipeline.lock import exclusive_run
from tests.unit.ingest.test_ingest import ROSTER, nre_csv, roster_json, tree


def cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def _ingest(capsys, path: Path, *extra: str, source: str = "nre") -> tuple[int, str, str]:
    return cli(capsys, "ingest", source, "--from", str(path), *extra)


def test_date_an_undated_export(project: Path, tmp_path: Path, capsys):
    roster = tmp_path / "roster.json"
    roster.write_bytes(roster_json())
    code, out, err = _ingest(capsys, roster, "--date", "2026-07-15", source="ip")
    assert (code, err) == (0, ""), err
    [m] = list_snapshots("ip")
    assert m.snapshot_date.isoformat() == "2026-07-15" and m.snapshot_id.startswith("2026-07-15-")
    assert m.snapshot_date_evidence.startswith("given by the user (--date 2026-07-15)")
    assert "the file itself carries no date" in m.snapshot_date_evidence
    assert len(ROSTER) == m.rows
    manifest = json.loads((m.folder / "manifest.json").read_text())
    assert manifest["snapshot_date"] == "2026-07-15"


def test_a_dated_export_keeps_its_own_evidence_beside_the_users_date(project: Path, tmp_path: Path, capsys):
    path = tmp_path / "e.csv"
    path.write_bytes(nre_csv(2))
    assert _ingest(capsys, path, "--date", "2015-04-01")[0] == 0
    [m] = list_snapshots("nre")
    assert m.snapshot_date.isoformat() == "2015-04-01"
    assert "the file itself suggested 2015-03-04" in m.snapshot_date_evidence


def test_bad_dates_are_one_line(project: Path, tmp_path: Path, capsys):
    path = tmp_path / "e.csv"
    path.write_bytes(nre_csv(2))
    before = tree(project / "data")
    code, out, err = _ingest(capsys, path, "--date", "2015-13-01")
    assert (code, out) == (1, "") and err == "error: --date must be a date like 2024-04-10, not '2015-13-01'\n"
    assert tree(project / "data") == before


def test_show_and_remove(project: Path, tmp_path: Path, capsys, monkeypatch):
    a, b = tmp_path / "a.csv", tmp_path / "b.csv"
    a.write_bytes(nre_csv(2))
    b.write_bytes(nre_csv(3))
    _ingest(capsys, a)
    _ingest(capsys, b)
    keep, drop = (m for m in list_snapshots("nre") if m.rows == 2), (m for m in list_snapshots("nre") if m.rows == 3)
    keep, drop = next(keep), next(drop)
    kept_tree = tree(keep.folder)

    code, out, _ = cli(capsys, "snapshots", "show", drop.snapshot_id[:14])
    assert code == 0 and f"snapshot_id: {drop.snapshot_id}" in out and f"sha256: {drop.sha256}" in out

    # not a terminal and no --yes: refused, nothing removed
    monkeypatch.setattr(sys.stdin, "isatty", lambda: False)
    code, out, err = cli(capsys, "snapshots", "remove", drop.snapshot_id)
    assert code == 1 and "pass --yes" in err and err.count("\n") == 1
    assert len(list_snapshots("nre")) == 2

    # asked, and answered no
    monkeypatch.setattr(sys.stdin, "isatty", lambda: True)
    monkeypatch.setattr("builtins.input", lambda prompt: "n")
    assert cli(capsys, "snapshots", "remove", drop.snapshot_id)[0] == 1
    assert len(list_snapshots("nre")) == 2

    code, out, err = cli(capsys, "snapshots", "remove", drop.snapshot_id, "--yes")
    assert (code, err) == (0, "") and out.startswith(f"removed snapshot {drop.snapshot_id}")
    assert [m.snapshot_id for m in list_snapshots("nre")] == [keep.snapshot_id]
    assert not drop.folder.exists() and tree(keep.folder) == kept_tree
    assert not [p for p in drop.folder.parent.iterdir() if p.name.startswith(".")]


def test_a_second_copy_of_the_same_records_is_noticed(project: Path, tmp_path: Path, capsys):
    first, copy, other = tmp_path / "export.csv", tmp_path / "export-again.csv", tmp_path / "other.csv"
    first.write_bytes(nre_csv(3))
    copy.write_bytes(nre_csv(3).replace(b"\r\n", b"\n"))  # other bytes, same records
    other.write_bytes(nre_csv(2))
    assert _ingest(capsys, first)[2] == ""
    code, out, err = _ingest(capsys, copy)
    assert code == 0 and out.startswith("stored snapshot")
    assert err.startswith("warning: ") and "holds nearly the same records as" in err
    assert "100.0% of records shared" in err
    code, out, err = _ingest(capsys, other)
    assert code == 0 and err == ""  # 2 records against 3: not the same export


def test_writers_wait_for_no_one_and_say_so(project: Path, tmp_path: Path):
    path = tmp_path / "e.csv"
    path.write_bytes(nre_csv(2))
    env = {"CONFESSIONS_HOME": str(project), "PATH": "/usr/bin:/bin", "PYTHONWARNINGS": "ignore"}
    with exclusive_run(project / "data" / ".confessions.lock"):
        for argv in (["ingest", "nre", "--from", str(path)], ["process"], ["snapshots", "remove", "x", "--yes"]):
            done = subprocess.run([sys.executable, "-m", "analysis", *argv], env=env, capture_output=True, text=True)
            assert done.returncode == 1, (argv, done.stderr)
            assert done.stderr.startswith("error: another confessions run is in progress"), (argv, done.stderr)
    assert list_snapshots("nre") == []


@pytest.mark.parametrize("name", ["README.md", "Makefile", "pyproject.toml"])
def test_files_that_are_no_export_say_so(project: Path, capsys, name: str):
    from tests.conftest import REPO_ROOT

    code, out, err = cli(capsys, "ingest", "nre", "--from", str(REPO_ROOT / name))
    assert (code, out) == (1, "") and err.count("\n") == 1
    assert err.startswith(f"error: {name} is not a registry export or Innocence Project roster")
