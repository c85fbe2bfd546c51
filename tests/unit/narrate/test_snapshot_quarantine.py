"""`confessions snapshots show ID` lists the values normalisation quarantined for that snapshot (issue 14)."""

from __future__ import annotations

import warnings
from pathlib import Path

from analysis.formats import read_export
from analysis.ingest.store import describe, store_snapshot
from analysis.normalise import process
from tests.unit.ingest.test_ingest import nre_csv


def _stored(tmp_path: Path, name: str, data: bytes):
    path = tmp_path / name
    path.write_bytes(data)
    manifest, _ = store_snapshot("nre", path, str(path), read_export(path))
    return manifest


def test_show_lists_the_quarantined_values_of_the_processed_snapshot(project: Path, tmp_path: Path):
    bad = _stored(tmp_path, "bad.csv", nre_csv(3).replace(b",31,Black", b",thirty,Black")
                  .replace(b",1992,2014", b",1992,20x4"))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        meta, result = process(bad.snapshot_id)
    assert len(meta["quarantined"]) == 2
    lines = describe(bad)
    shown = [line for line in lines if line.startswith("quarantined: ")]
    assert len(shown) == 1 and shown[0].startswith("quarantined: 2 value(s) quarantined: row ")
    assert "'thirty'" in shown[0] and "'20x4'" in shown[0] and "column " in shown[0]
    assert shown[0].endswith("all in data/processed/exonerations.meta.json")

    other = _stored(tmp_path, "clean.csv", nre_csv(2))
    assert [line for line in describe(other) if line.startswith("quarantined: ")] == [
        f"quarantined: not known yet (the processed table is not from this snapshot; run `confessions process "
        f"--snapshot {other.snapshot_id}`)"]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        process(other.snapshot_id)
    assert "quarantined: none (every value was read)" in describe(other)
    assert not [line for line in describe(bad) if "'thirty'" in line]  # the processed table is another's now
