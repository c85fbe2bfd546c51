"""Real-data tests split from `test_ingest`: they read the shared exports and skip with a reason when absent."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from analysis.ingest.store import (
    get_snapshot,
    list_snapshots,
    newest_snapshot,
    snapshot_file,
)
from tests.conftest import IP_DIR, NRE_DIR, shared_file, skip_module_without_shared
from tests.golden.files import FILES
from tests.unit.ingest.test_ingest import cli, sha, temp_names, tree

skip_module_without_shared("the snapshot ids and dates of every real file")

REAL_FILES: dict[str, tuple[str, int, str, int, str | None, str]] = {
    name: (g.source, g.bytes, g.sha256, g.records, g.snapshot_date, g.format) for name, g in FILES.items()}


def test_every_shared_file_is_listed() -> None:
    if not NRE_DIR.is_dir() or not IP_DIR.is_dir():
        pytest.skip(f"shared data not available: {NRE_DIR.parent}")
    on_disk = {p.name for d in (NRE_DIR, IP_DIR) for p in d.iterdir() if p.is_file()}
    assert on_disk == set(REAL_FILES)


def test_ingest_every_real_file(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    paths = {name: shared_file("nre" if spec[0] == "nre" else "innocence_project", name)
             for name, spec in REAL_FILES.items()}
    problems = []
    for name, (source, size, digest, rows, snapshot_date, fmt) in REAL_FILES.items():
        code, out, err = cli(capsys, "ingest", source, "--from", str(paths[name]))
        snapshot_id = f"{snapshot_date or 'undated'}-{digest[:8]}"
        expected = (f"stored snapshot {snapshot_id} ({fmt}, {rows} rows, snapshot date "
                    f"{snapshot_date or 'unknown'})\n")
        # successive exports a month apart share ≥ 99% of their records (2024-03-11, the 2024-04-10 csv and xlsx):
        # that is said on stderr, one warning line naming the snapshot (issue: notice a second copy of an export)
        warned = err == "" or (err.startswith(f"warning: {snapshot_id} holds nearly the same records as ")
                               and err.count("\n") == 1)
        if (code, out) != (0, expected) or not warned:
            problems.append(f"{name}: got {(code, out, err)!r}, expected {expected!r}")
            continue
        manifest = get_snapshot(snapshot_id, source=source)
        got = (manifest.bytes, manifest.sha256, manifest.rows, manifest.format, manifest.original_name)
        if got != (size, digest, rows, fmt, name):
            problems.append(f"{name}: manifest {got!r}")
        stored = snapshot_file(manifest)
        if stored.stat().st_size != size or sha(stored.read_bytes()) != digest:
            problems.append(f"{name}: stored file differs from the original")
        if name == "nre-publicspreadsheet-2024-04-10.xlsx" and (
                manifest.sheet_name != "owssvr - 2024-04-10T132458.420" or "sheet name" not in
                manifest.snapshot_date_evidence):
            problems.append(f"{name}: date not from the sheet name: {manifest.snapshot_date_evidence!r}")
    assert problems == [], "\n".join(problems)
    assert len(list_snapshots("nre")) == 12 and len(list_snapshots("ip")) == 2
    assert newest_snapshot("nre").snapshot_id == "2026-06-26-d3738287"
    ajax = get_snapshot("undated-4fc663e1", source="ip")
    assert any(n.startswith("count: 350 ") for n in ajax.notes)

    before = tree(project / "data")
    for name, (source, *_rest) in REAL_FILES.items():
        code, out, _ = cli(capsys, "ingest", source, "--from", str(paths[name]))
        assert code == 0 and out.startswith("already stored as "), (name, out)
    assert tree(project / "data") == before
    assert os.listdir(project / "data" / "raw" / "nre").count(".tmp") == 0
    assert temp_names(project / "data") == []

