"""What researchers see in the notebooks: shares as percentages, and notebook 06 comparing its own snapshot."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from analysis.ingest.store import store_snapshot
from analysis.narrate.session import Session, compared_pair, readable
from analysis.settings import paths
from tests.conftest import snap
from tests.unit.ingest.test_ingest import nre_csv


def test_readable_formats_shares_and_points_only():
    frame = pd.DataFrame({"group": ["a", "b"], "k": [1, 2], "n": [8, 9], "share": [0.125, None],
                          "ci_low": [0.030769, 0.1], "change_points": [1.25, -3.0]})
    out = readable(frame)
    assert out["share"].tolist() == ["12.5%", ""]
    assert out["ci_low"].tolist() == ["3.1%", "10.0%"]
    assert out["change_points"].tolist() == ["+1.2 pts", "-3.0 pts"]
    assert out["k"].tolist() == [1, 2] and frame["share"].iloc[0] == 0.125  # counts kept, input untouched


def _store(tmp_path: Path, name: str, rows: int, posting: str) -> str:
    from analysis.formats import read_export

    path = tmp_path / name
    path.write_bytes(nre_csv(rows).replace(b"3/4/15", posting.encode()))
    manifest, _ = store_snapshot("nre", path, str(path), read_export(path))
    return manifest.snapshot_id


def test_notebook_06_compares_its_own_snapshot_with_the_one_before(project: Path, tmp_path: Path):
    a = _store(tmp_path, "a.csv", 2, "3/4/15")
    b = _store(tmp_path, "b.csv", 3, "3/4/18")
    c = _store(tmp_path, "c.csv", 2, "3/4/21")

    def session_on(snapshot_id: str) -> Session:
        return Session(snapshot=snap(pd.DataFrame(), {"snapshot_id": snapshot_id}), where=paths())

    assert compared_pair(session_on(b)) == (a, b)  # not the two newest (b, c)
    assert compared_pair(session_on(c)) == (b, c)
    assert compared_pair(session_on(a)) is None
    assert compared_pair(session_on("not-stored")) == (b, c)
