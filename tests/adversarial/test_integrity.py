"""Stored data that was tampered with is refused by name, never trusted: snapshot files checked against their
manifests, manifests confined to their own folders and reported when missing, caches and the processed table
checked by hash. Real files, the real command line."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from analysis.ingest.store import list_snapshots
from tests.adversarial.conftest import HEADER, ROWS, cli, one_error_line, tree


def _store_second(project: Path, tmp_path: Path, capsys) -> None:  # noqa: ANN001
    other = tmp_path / "other.csv"
    other.write_bytes(("\r\n".join([HEADER, *ROWS[:3]]) + "\r\n").encode("utf-8"))
    assert cli(capsys, "ingest", "nre", "--from", str(other))[0] == 0


def _stored_file(manifest) -> Path:  # noqa: ANN001
    return manifest.folder / manifest.stored_name


def test_a_replaced_snapshot_file_is_refused_by_name(baseline: Path, tmp_path: Path, capsys):
    [m] = list_snapshots("nre")
    stored = _stored_file(m)
    stored.chmod(0o644)
    stored.write_bytes(stored.read_bytes().replace(b"Abbitt", b"Abbott"))  # same size, other bytes
    processed = tree(baseline / "data" / "processed")
    code, out, err = cli(capsys, "process")
    assert code == 1 and out == ""
    message = one_error_line(err)
    assert message.startswith(f"snapshot {m.snapshot_id}: its file's sha256 does not match its manifest")
    assert tree(baseline / "data" / "processed") == processed  # nothing downstream changed

    code, out, _ = cli(capsys, "snapshots", "verify")
    assert code == 1 and f"FAILED snapshot {m.snapshot_id}" in out and out.rstrip().endswith("1 problem(s)")


def test_a_truncated_file_is_named_by_size(baseline: Path, capsys):
    [m] = list_snapshots("nre")
    stored = _stored_file(m)
    stored.chmod(0o644)
    stored.write_bytes(stored.read_bytes()[:-10])
    message = one_error_line(cli(capsys, "process")[2])
    assert f"snapshot {m.snapshot_id}: its file is {m.bytes - 10:,} bytes, its manifest says {m.bytes:,}" in message


def test_a_manifest_pointing_outside_its_folder_is_not_a_snapshot(baseline: Path, tmp_path: Path, capsys):
    _store_second(baseline, tmp_path, capsys)
    first, second = list_snapshots("nre")
    path = first.folder / "manifest.json"
    data = json.loads(path.read_text())
    data["stored_name"] = f"../{second.snapshot_id}/{second.stored_name}"
    path.chmod(0o644)
    path.write_text(json.dumps(data))
    code, out, err = cli(capsys, "snapshots")
    assert code == 0 and first.snapshot_id not in out and second.snapshot_id in out
    assert "is not a usable snapshot: its stored file" in err and "outside its own folder" in err
    code, out, _ = cli(capsys, "snapshots", "verify")
    assert code == 1 and "outside its own folder" in out


def test_a_missing_manifest_is_reported_not_skipped_quietly(baseline: Path, capsys):
    [m] = list_snapshots("nre")
    (m.folder / "manifest.json").unlink()
    code, out, err = cli(capsys, "snapshots")
    assert code == 0
    assert f"{m.folder} has no manifest.json: it is not a usable snapshot" in err


def test_a_manifest_that_names_another_snapshot_is_refused(baseline: Path, tmp_path: Path, capsys):
    _store_second(baseline, tmp_path, capsys)
    first, second = list_snapshots("nre")
    path = first.folder / "manifest.json"
    data = json.loads(path.read_text())
    data["snapshot_id"] = second.snapshot_id
    path.chmod(0o644)
    path.write_text(json.dumps(data))
    _, out, err = cli(capsys, "snapshots")
    assert f"its manifest.json names nre/{second.snapshot_id}" in err
    assert out.count(second.snapshot_id) == 1


def test_an_edited_processed_table_is_refused(baseline: Path, capsys):
    parquet = baseline / "data" / "processed" / "exonerations.parquet"
    table = pd.read_parquet(parquet)
    table["fc"] = True  # 100% false confessions
    table.to_parquet(parquet, index=False)
    code, out, err = cli(capsys, "rate", "--of", "fc")
    assert code == 1 and out == ""
    assert one_error_line(err).startswith("the processed table does not match its metadata")


@pytest.mark.parametrize("damage", ["garbage", "not-an-object", "deleted"])
def test_a_damaged_processed_meta_is_one_line(baseline: Path, capsys, damage: str):
    meta = baseline / "data" / "processed" / "exonerations.meta.json"
    if damage == "deleted":
        meta.unlink()
    else:
        meta.write_text("{{{" if damage == "garbage" else "[1, 2]")
    code, out, err = cli(capsys, "rate", "--of", "fc")
    assert code == 1 and "processed table" in one_error_line(err)


def test_an_edited_snapshot_cache_is_not_trusted(baseline: Path, tmp_path: Path, capsys):
    from analysis.normalise.load import snapshot_table
    from analysis.settings import paths

    [m] = list_snapshots("nre")
    where = paths()
    first = snapshot_table(m, where).table
    cache = where.processed / "snapshots" / f"{m.snapshot_id}.parquet"
    edited = first.copy()
    edited["fc"] = True
    edited.to_parquet(cache, index=False)
    again = snapshot_table(m, where).table
    pd.testing.assert_frame_equal(again, first)  # rebuilt from the verified export, not read from the edit
