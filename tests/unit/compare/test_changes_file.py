"""reports/changes.json and changes.csv: the CHANGES.md entry's content for programs."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from analysis.compare.changes_file import CSV_COLUMNS, write_changes
from tests.unit.compare.test_diff import synthetic_diff


def test_changes_files_hold_every_record_level_change(tmp_path: Path):
    d = synthetic_diff()
    json_path, csv_path = write_changes(d, tmp_path)
    data = json.loads(json_path.read_text())
    assert data["old"]["snapshot_id"] == "2022-01-01-aaaaaaaa" and data["new"]["snapshot_date"] == "2023-01-01"
    assert data["counts"] == {"old_rows": 7, "new_rows": 6, "matched": 5, "added": 1, "removed": 2, "changed": 4,
                              "field_changes": 5}
    assert [r["record_id"] for r in data["added"]] == ["n8"]
    assert sorted(r["record_id"] for r in data["removed"]) == ["o4", "o6"]
    by_old = {c["old_id"]: c["fields"] for c in data["changed"]}
    assert by_old["o3"] == {"age": {"old": 30, "new": 31}, "fc": {"old": False, "new": True}}
    fc_all = next(h for h in data["headlines"] if h["id"] == "fc_share_all")
    assert (fc_all["old"]["k"], fc_all["old"]["n"], fc_all["new"]["k"], fc_all["new"]["n"]) == (0, 7, 1, 6)
    assert fc_all["new"]["ci_low"] < 1 / 6 < fc_all["new"]["ci_high"]
    assert data["schema"]["removed"] == ["*"]

    frame = pd.read_csv(csv_path, dtype=str, keep_default_na=False)
    assert list(frame.columns) == CSV_COLUMNS
    assert frame["kind"].value_counts().to_dict() == {"changed": 5, "removed": 2, "added": 1}
    age = frame[(frame["kind"] == "changed") & (frame["field"] == "age")].iloc[0]
    assert (age["old_id"], age["old"], age["new"]) == ("o3", "30", "31")
