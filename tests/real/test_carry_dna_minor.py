"""The minor-DNA marker (`*`) carried from the 2023-09 spreadsheet to the 2026 export, through the real command line.

Expected values are counted without the carry code: the 2023-09 file's `*` with Python's csv module, and the
2023-09 ↔ 2026 links with the matcher run here (neither file has a usable registry ID: the 2023-09 spreadsheet
publishes none, so comparing by ID is impossible). A second, cruder linkage — exact first word of the first name +
family name + state, kept only where that key is unique on both sides — checks the carried values without the
matcher at all.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import io
import json
from collections.abc import Iterator

import pandas as pd
import pytest

from analysis.cli import main
from analysis.compare import match_records
from analysis.formats.names import name_tokens
from tests.conftest import canonical_table, shared_file, skip_module_without_shared

skip_module_without_shared("the DNA-minor marker carried from the real 2023-09 spreadsheet")

OLD, NEW = "nre-publicspreadsheet-2023-09.csv", "nre-fullcsv-2026-06.csv"
OLD_DATE = pd.Timestamp("2023-09-22")  # SOURCES.md: the latest Posting Date of the 2023-09 file


def ingest(*names: str) -> None:
    for name in names:
        assert main(["ingest", "nre", "--from", str(shared_file("nre", name))]) == 0


def snapshot_id(prefix: str) -> str:
    from analysis.ingest.store import list_snapshots

    [found] = [m.snapshot_id for m in list_snapshots("nre") if m.snapshot_id.startswith(prefix)]
    return found


@pytest.fixture(scope="module")
def expected() -> dict:
    """What the carry should give, counted independently: the 2026 record ids that should get the marker (DNA in
    2026 and in 2023-09, matched, posted by 2023-09-22) and those that should get True (`*` in the raw csv)."""
    old, new = canonical_table(OLD), canonical_table(NEW)
    with shared_file("nre", OLD).open(encoding="utf-8-sig", newline="") as fh:
        raw = list(csv.DictReader(fh))
    assert len(raw) == len(old) == 3385
    # the canonical table keeps the file's row order: raw row i is canonical row i
    assert all(name_tokens(r["Last Name"]) == name_tokens(last) for r, last in zip(raw, old["last_name"], strict=True))
    star = {rid: r["*"].strip() == "*" for rid, r in zip(old["record_id"], raw, strict=True)}
    dna_2023 = {rid: r["DNA"].strip() == "DNA" for rid, r in zip(old["record_id"], raw, strict=True)}
    assert sum(star.values()) == 171 and all(dna_2023[rid] for rid, s in star.items() if s)

    pairs = match_records(old, new).dropna(subset=["old_id", "new_id"])
    link = dict(zip(pairs["new_id"], pairs["old_id"], strict=True))
    dna_2026 = new[new["dna"].fillna(False).astype(bool)]
    matched = [rid for rid, posted in zip(dna_2026["record_id"], dna_2026["posting_date"], strict=True)
               if rid in link and not posted > OLD_DATE]
    known = {rid for rid in matched if dna_2023[link[rid]]}
    return {"dna": set(dna_2026["record_id"]), "matched": set(matched), "known": known,
            "true": {rid for rid in known if star[link[rid]]}, "star_matched": sum(star[link[r]] for r in matched),
            "old": old, "new": new, "star": star}


@pytest.fixture(scope="module")
def both(tmp_path_factory) -> Iterator[dict]:  # noqa: ANN001
    """A scratch project with the 2026 export ingested, then the 2023-09 csv, then `confessions process`."""
    root = tmp_path_factory.mktemp("carry") / "project"
    for sub in ("data/raw", "data/processed", "reports"):
        (root / sub).mkdir(parents=True)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("CONFESSIONS_HOME", str(root))
        for var in ("CONFESSIONS_NRE_URL", "CONFESSIONS_IP_URL"):
            mp.delenv(var, raising=False)
        ingest(NEW, OLD)  # the older file second: the newest is still the 2026 export
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            assert main(["process"]) == 0
        meta = json.loads((root / "data/processed/exonerations.meta.json").read_text())
        table = pd.read_parquet(root / "data/processed/exonerations.parquet")
        yield {"root": root, "out": out.getvalue(), "meta": meta, "table": table,
               "old_id": snapshot_id("2023-09-22"), "new_id": snapshot_id("2026-06-26")}


def test_dna_minor_is_known_for_exactly_the_dna_records_matched_in_2023_09(both, expected):
    table = both["table"]
    assert both["meta"]["snapshot_id"] == both["new_id"]
    dna = table[table["dna"].fillna(False).astype(bool)]
    assert set(dna["record_id"]) == expected["dna"] and len(dna) == 647  # SOURCES.md section 6
    known = set(dna.loc[dna["dna_minor"].notna(), "record_id"])
    assert known == expected["known"]
    assert len(expected["known"]) >= 575  # seen: 581 of 647 (584 matched, 3 of them not DNA in 2023-09)
    assert set(dna.loc[dna["dna_minor"].fillna(False).astype(bool), "record_id"]) == expected["true"]
    # the count of DNA records with the marker equals the raw file's `*` among the matched ones
    assert int(dna["dna_minor"].fillna(False).sum()) == len(expected["true"]) == expected["star_matched"]
    assert len(expected["true"]) >= 165  # seen: 170 of the file's 171 (Johnetta Carr is no longer DNA in 2026)


def test_provenance_names_the_2023_snapshot_and_later_records_stay_missing(both):
    table = both["table"]
    filled = table["dna_minor"].notna()
    assert (table["dna_minor_from"].notna() == filled).all()
    assert set(table.loc[filled, "dna_minor_from"]) == {both["old_id"]}
    later = table["posting_date"] > OLD_DATE
    assert later.sum() > 400  # seen: 470 records of the 2026 export posted after 2023-09-22
    assert table.loc[later, "dna_minor"].isna().all() and table.loc[later, "dna_minor_from"].isna().all()


def test_carried_values_agree_with_a_linkage_that_does_not_use_the_matcher(both, expected):
    """Exact (first word of first name, family name, state) keys unique on both sides link most DNA records."""
    def keys(t: pd.DataFrame) -> pd.Series:
        first = t["first_name"].map(lambda v: (name_tokens(v) or ("",))[0])
        return first + "|" + t["last_name"].map(lambda v: " ".join(name_tokens(v))) + "|" + t["state"].fillna("")

    old, table = expected["old"], both["table"]
    old_keys, new_keys = keys(old), keys(table)
    unique_old = old_keys[~old_keys.duplicated(keep=False)]
    unique_new = new_keys[~new_keys.duplicated(keep=False)]
    old_by_key = dict(zip(unique_old, old.loc[unique_old.index, "record_id"], strict=True))
    checked = 0
    for i, key in unique_new.items():
        rid = old_by_key.get(key)
        if rid is None or pd.isna(table.at[i, "dna_minor"]) or not table.at[i, "dna"]:
            continue
        assert bool(table.at[i, "dna_minor"]) == expected["star"][rid], key
        checked += 1
    assert checked >= 550


def test_meta_cli_and_pipeline_report_the_same_carry(both, expected):
    from analysis.pipeline.outputs import process_newest
    from analysis.settings import Paths

    [entry] = both["meta"]["carried"]
    assert entry["column"] == "dna_minor" and entry["from_snapshot"] == both["old_id"]
    assert entry["from_date"] == "2023-09-22" and entry["provenance_column"] == "dna_minor_from"
    assert (entry["dna_records"], entry["dna_filled"], entry["dna_true"]) == (
        647, len(expected["known"]), len(expected["true"]))
    assert entry["posted_later"] == 0 and entry["matched"] >= 3380
    line = f"dna_minor carried from {both['old_id']} for {len(expected['known'])} of 647 DNA records"
    assert line in both["out"]

    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("CONFESSIONS_HOME", str(both["root"]))
        detail = process_newest(Paths(both["root"]), both["new_id"])
        assert line in detail and detail.startswith(f"4311 rows from {both['new_id']}")
        again = pd.read_parquet(both["root"] / "data/processed/exonerations.parquet")
    pd.testing.assert_frame_equal(again, both["table"])


def test_rate_dna_central_answers_on_the_latest_data(both, expected, capsys):
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("CONFESSIONS_HOME", str(both["root"]))
        capsys.readouterr()
        assert main(["rate", "--of", "fc", "--among", "dna and not dna_minor", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["n"] == len(expected["known"]) - len(expected["true"]) > 0
    assert 0 < out["k"] < out["n"] and 0 < out["share"] < 1
    assert out["snapshot"] is not None and "26 June 2026" in out["sentence"]


def test_with_only_the_2026_export_dna_minor_stays_unknown(project, capsys):
    ingest(NEW)
    capsys.readouterr()
    assert main(["process"]) == 0
    assert "dna_minor unknown: no older stored snapshot has the `*`" in capsys.readouterr().out
    table = pd.read_parquet(project / "data/processed/exonerations.parquet")
    assert table["dna_minor"].isna().all() and table["dna_minor_from"].isna().all()
    meta = json.loads((project / "data/processed/exonerations.meta.json").read_text())
    assert meta["carried"] == [] and meta["snapshot_date"] == dt.date(2026, 6, 26).isoformat()
    # with the marker unknown in every record, the rate command refuses (exit 1, one line), never a share
    assert main(["rate", "--of", "fc", "--among", "dna and not dna_minor"]) == 1
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err.count("\n") == 1
    assert captured.err.startswith("error: `dna_minor` is not recorded in this export")
