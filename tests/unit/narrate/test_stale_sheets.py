"""The states index removes the sheets of jurisdictions that no longer get one, and nothing else."""

from __future__ import annotations

from pathlib import Path

from analysis.narrate.states import jurisdictions, write_index
from tests.conftest import snap


def test_a_sheet_no_longer_current_is_removed_and_other_folders_kept(demo_normalised, tmp_path: Path):
    snapshot = snap(demo_normalised.table.copy(), {"snapshot_id": "demo-1", "snapshot_date": "2026-06-30"})
    current = set(jurisdictions(snapshot).query("sheet")["slug"])
    out = tmp_path / "states"
    (out / "zz").mkdir(parents=True)  # a sheet of an earlier build for a jurisdiction without one now
    (out / "zz" / "facts.json").write_text("{}")
    (out / "notes").mkdir()  # the user's folder, not a sheet
    (out / "notes" / "draft.txt").write_text("keep me")
    kept = sorted(current)[0]
    (out / kept).mkdir()
    (out / kept / "facts.json").write_text("{}")
    write_index(snapshot, out)
    assert not (out / "zz").exists()
    assert (out / "notes" / "draft.txt").read_text() == "keep me"
    assert (out / kept / "facts.json").is_file() and (out / "index.html").is_file()
