"""Real-data tests split from `test_diff`: they read the shared exports and skip with a reason when absent."""

from __future__ import annotations

import time
from functools import cache
from pathlib import Path

import pytest

from analysis.compare import (
    Loaded,
    diff_snapshots,
    load_file,
    match_records,
)
from tests.conftest import shared_file, skip_module_without_shared

skip_module_without_shared("differences between real registry exports")


@cache
def real(name: str) -> Loaded:
    return load_file(shared_file("nre", name))


def real_diff(old: str, new: str):
    a, b = real(old), real(new)
    return diff_snapshots(a.table, b.table, a.meta, b.meta, a.columns, b.columns)


def test_real_2024_spreadsheet_against_2026_full_export():
    old, new = real("nre-publicspreadsheet-2024-04-10.xlsx"), real("nre-fullcsv-2026-06.csv")
    start = time.perf_counter()
    m = match_records(old.table, new.table)
    assert time.perf_counter() - start < 5
    matched = int((m["old_id"].notna() & m["new_id"].notna()).sum())
    # SOURCES.md: 99.7% of the 3,497 records have a counterpart by normalised first + last name
    assert matched / 3497 >= 0.997
    assert matched >= 3490  # measured 3,496 (99.97%): only Thelonious Searcy (MI) has no counterpart
    assert m["old_id"].dropna().is_unique and m["new_id"].dropna().is_unique
    assert len(m) == 3497 + 4311 - matched
    d = diff_snapshots(old.table, new.table, old.meta, new.meta, old.columns, new.columns)
    assert len(d.added) == 4311 - matched
    assert int(d.added["pre_1989"].sum()) == 476  # the new export also lists the pre-1989 exonerations
    assert ("FC", "False Confession", "known") in d.schema.renamed
    fc_dna = next(h for h in d.headlines if h.id == "fc_share_dna")
    assert (fc_dna.old_k, fc_dna.old_n, fc_dna.new_k, fc_dna.new_n) == (143, 596, 162, 647)  # SOURCES.md §6


def test_real_same_snapshot_csv_and_xlsx_are_identical():
    d = real_diff("nre-publicspreadsheet-2024-04-10.csv", "nre-publicspreadsheet-2024-04-10.xlsx")
    assert d.matched == 3497
    assert len(d.added) == len(d.removed) == d.changed_records == 0
    assert not d.coding and d.schema.empty
    assert all(h.change_points == 0 for h in d.headlines)


def test_real_2022_against_2023():
    d = real_diff("nre-publicspreadsheet-2022-07-06.xlsx", "nre-publicspreadsheet-2023-09.csv")
    assert len(d.added) - len(d.removed) == 3385 - 3178 == 207
    assert len(d.removed) < 100  # measured 57, mostly Illinois weapon-possession cases no longer listed
    assert d.matched / d.old_rows > 0.98  # measured 3,121 of 3,178
    assert d.schema.empty


def test_real_2015_names_written_differently():
    d = real_diff("nre-publicspreadsheet-2015-01.csv", "nre-publicspreadsheet-2022-07-06.xlsx")
    m, old, new = d.matches, real("nre-publicspreadsheet-2015-01.csv").table, real(
        "nre-publicspreadsheet-2022-07-06.xlsx").table
    names = m.merge(old[["record_id", "name"]], left_on="old_id", right_on="record_id").merge(
        new[["record_id", "name"]], left_on="new_id", right_on="record_id", suffixes=("_old", "_new"))
    got = dict(zip(names["name_old"], names["name_new"], strict=True))
    assert got["Habib Warith Abdal"] == "Warith Habib Abdal"
    assert got["Paul Phllips"] == "Paul Phillips"
    assert d.matched / d.old_rows >= 0.995  # measured 1,530 of 1,535


def test_run_with_stored_snapshots_writes_changelog_once(project: Path, capsys: pytest.CaptureFixture):
    from analysis.cli import main
    from analysis.ingest import ingest

    ids = [ingest("nre", str(shared_file("nre", name)))[0].snapshot_id
           for name in ("nre-publicspreadsheet-2022-07-06.xlsx", "nre-publicspreadsheet-2023-09.csv")]
    assert main(["diff", *ids, "--write"]) == 0
    assert main(["diff", *ids, "--write"]) == 0
    out = capsys.readouterr().out
    assert "added 264, removed 57" in out
    text = (project / "reports" / "CHANGES.md").read_text(encoding="utf-8")
    assert text.count(f"snapshot {ids[1]} (compared with {ids[0]})") == 1
    assert text.startswith("# Data changelog")



def test_diff_by_dates_alone(project: Path, capsys: pytest.CaptureFixture):
    """`confessions diff 2024-04-10 2026-06-26` (issue 14): each date names one stored snapshot and the comparison
    is the one of the full ids; with a second export of the same date stored (`ingest --date`), the date is
    ambiguous and the error lists both candidates on one line."""
    from analysis.cli import main
    from analysis.ingest import ingest

    old, new = (ingest("nre", str(shared_file("nre", name)))[0].snapshot_id
                for name in ("nre-publicspreadsheet-2024-04-10.xlsx", "nre-fullcsv-2026-06.csv"))
    assert old.startswith("2024-04-10-") and new.startswith("2026-06-26-")
    capsys.readouterr()
    assert main(["diff", "2024-04-10", "2026-06-26"]) == 0
    by_date = capsys.readouterr().out
    assert main(["diff", old, new]) == 0
    assert capsys.readouterr().out == by_date and old in by_date and new in by_date
    # the csv copy reads as 2024-04-07 (its latest posting date): dated by hand as the day it was exported
    csv_copy = shared_file("nre", "nre-publicspreadsheet-2024-04-10.csv")
    assert main(["ingest", "nre", "--from", str(csv_copy), "--date", "2024-04-10"]) == 0
    from analysis.ingest.store import list_snapshots

    [other] = [m.snapshot_id for m in list_snapshots("nre") if m.snapshot_id not in (old, new)]
    assert other.startswith("2024-04-10-")
    capsys.readouterr()
    assert main(["diff", "2024-04-10", "2026-06-26"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and old in err and other in err
