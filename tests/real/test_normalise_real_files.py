"""Every real NRE export normalises into the one canonical table with the hand-checked counts."""

from __future__ import annotations

import warnings

import pandas as pd
import pytest

from analysis.formats import read_export
from analysis.normalise import normalise_file
from analysis.normalise.schema import COLUMN_NAMES, dataframe_schema
from tests.conftest import canonical_table, shared_file, skip_module_without_shared
from tests.golden.files import NRE_FILES

skip_module_without_shared("the hand-checked counts of every real export (SOURCES.md)")


@pytest.fixture(scope="module")
def tables() -> dict[str, pd.DataFrame]:
    return {name: canonical_table(name) for name in NRE_FILES}


@pytest.mark.parametrize("name", sorted(NRE_FILES))
def test_counts_match_hand_checked_values(tables, name):
    g = NRE_FILES[name]
    records, post, dna, fc, both, homicide, juvenile = (g.records, g.post_1989, g.dna, g.fc, g.dna_fc, g.homicide,
                                                         g.juvenile)
    table = tables[name]
    assert len(table) == records
    p = table[~table["pre_1989"]]
    assert len(p) == post
    assert int(p["dna"].fillna(False).sum()) == dna
    assert int(p["fc"].sum()) == fc
    assert int((p["dna"].fillna(False) & p["fc"]).sum()) == both
    assert int(p["homicide"].fillna(False).sum()) == homicide
    assert int(p["juvenile"].fillna(False).sum()) == juvenile


@pytest.mark.parametrize("name", sorted(NRE_FILES))
def test_format_and_snapshot_date_come_from_the_content(tables, name, tmp_path):
    fmt, day, evidence = NRE_FILES[name].format, NRE_FILES[name].snapshot_date, NRE_FILES[name].evidence
    # copy under a misleading name: detection must not depend on the file name
    disguised = tmp_path / "download.bin"
    disguised.write_bytes(shared_file("nre", name).read_bytes())
    read = read_export(disguised)
    assert read.format == fmt
    assert (read.snapshot_date.isoformat() if read.snapshot_date else None) == day
    assert evidence in read.snapshot_date_evidence


def test_every_table_passes_the_schema_with_the_same_columns(tables):
    schema = dataframe_schema()
    for table in tables.values():
        assert tuple(table.columns) == COLUMN_NAMES
        schema.validate(table)
        assert table["record_id"].is_unique


def test_record_ids_are_stable_across_runs():
    path = shared_file("nre", "nre-publicspreadsheet-2023-09.csv")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        first = normalise_file(path).table["record_id"]
        second = normalise_file(path).table["record_id"]
    assert first.tolist() == second.tolist()
    assert first.str.startswith("ps-").all()


def test_same_records_from_csv_and_xlsx_copies(tables):
    """SOURCES.md: the 2024-04-10 csv has the same 3,497 records and field values as the xlsx."""
    a = tables["nre-publicspreadsheet-2024-04-10.csv"].sort_values("record_id").reset_index(drop=True)
    b = tables["nre-publicspreadsheet-2024-04-10.xlsx"].sort_values("record_id").reset_index(drop=True)
    pd.testing.assert_frame_equal(a, b)


def test_abbitt_reads_the_same_in_every_vintage(tables):
    """Joseph Abbitt (SOURCES.md: age 31, Forsyth County NC, DNA and MWID, Child Sex Abuse) in every file."""
    for name, table in tables.items():
        row = table[table["last_name"].eq("Abbitt")].iloc[0]
        assert row["age"] == 31, name
        assert row["state_abbr"] == "NC" and row["county"] == "Forsyth", name
        assert bool(row["dna"]) and bool(row["mwid"]) and not bool(row["fc"]), name
        assert row["crime_category"] == "Child sex abuse", name
        assert row["sex"] == "Male", name


def test_full_export_specifics(tables):
    table = tables["nre-fullcsv-2026-06.csv"]
    assert int(table["pre_1989"].sum()) == 476
    abbitt = table[table["record_id"].eq("NRE-11010")].iloc[0]  # SOURCES.md: Abbitt is ID 11010
    assert abbitt["last_name"] == "Abbitt"
    assert (table["years_lost_basis"].dropna() == "given").all()
    # "Age at Crime Years is 0 in 105 rows": unknown, not age 0
    assert table["age"].isna().sum() >= 105
    # SOURCES.md: "False Confession has 548 Yes"
    assert int(table["fc"].sum()) == 548
    # DNA is blank for 473 of the 476 pre-1989 rows: missing, not False
    assert int(table.loc[table["pre_1989"], "dna"].isna().sum()) == 473
    jr = table[table["name"].eq("Myles Connor Jr.")].iloc[0]
    assert (jr["first_name"], jr["last_name"]) == ("Myles", "Connor Jr.")


def test_list_view_specifics(tables):
    table = tables["nre-detaillist-scrape-2019-12.csv"]
    assert table["posting_date"].isna().all()
    fed = table[table["federal"]]
    assert len(fed) > 0 and fed["state_abbr"].notna().sum() >= len(fed) - fed["state"].eq("Military (federal)").sum()
    # sex derived from the F tag: every tagged woman is Female
    assert (table.loc[table["female"].fillna(False), "sex"] == "Female").all()


def test_tags_missing_before_they_existed(tables):
    """SOURCES.md: SA first appears 2022-07-06, IO in 2018-10-15, OM Tags in 2021-04-07; JV and BM are said to
    come in 2024 but the 2023-09 csv already has them (32 BM, 300 JV counted with the csv module)."""
    assert tables["nre-publicspreadsheet-2021-04-07.xlsx"]["sexual_assault"].isna().all()
    assert tables["nre-publicspreadsheet-2022-07-06.xlsx"]["sexual_assault"].notna().all()
    assert tables["nre-publicspreadsheet-2022-07-06.xlsx"]["bitemark"].isna().all()
    assert int(tables["nre-publicspreadsheet-2023-09.csv"]["bitemark"].sum()) == 32
    assert int(tables["nre-publicspreadsheet-2023-09.csv"]["juvenile_tag"].sum()) == 300
    assert tables["nre-publicspreadsheet-2017-07-06.xlsx"]["innocence_org"].isna().all()
    assert tables["nre-publicspreadsheet-2018-10-15.xlsx"]["om_police"].isna().all()
    assert tables["nre-publicspreadsheet-2021-04-07.xlsx"]["om_police"].notna().all()
    # dna_minor: known while the `*` column existed, unknown after it was dropped (2024)
    assert tables["nre-publicspreadsheet-2023-09.csv"]["dna_minor"].notna().all()
    assert tables["nre-publicspreadsheet-2024-03-11.xlsx"]["dna_minor"].isna().all()


def test_homicide_derivation_agrees_with_the_tag_where_both_exist(tables):
    """The rule used for files without the H tag (Murder or Manslaughter) against the tag itself."""
    table = tables["nre-publicspreadsheet-2024-04-10.xlsx"]
    derived = table["worst_crime"].isin(["Murder", "Manslaughter"])
    disagree = int((derived != table["homicide"]).sum())
    assert disagree == 1  # one Attempted Murder case carries the H tag


def test_sex_derivation_agrees_with_sex_where_both_exist(tables):
    """docs/data-dictionary.md: the Female tag agrees with `Sex` in all but 1 of the 3,497 records of 2024-04-10."""
    table = tables["nre-publicspreadsheet-2024-04-10.xlsx"]
    derived = table["female"].map({True: "Female", False: "Male"})
    assert len(table) == 3497
    assert int((derived != table["sex"]).sum()) == 1


def test_one_multi_race_cell_becomes_other():
    """docs/data-dictionary.md: a cell with several races (once, 2017-07-06) becomes `Other`."""
    path = shared_file("nre", "nre-publicspreadsheet-2017-07-06.xlsx")
    raw = read_export(path).frame
    multi = raw["Race"].str.contains(";#", regex=False)
    assert int(multi.sum()) == 1  # SOURCES.md: `Hispanic;#Caucasian`, once in 2017-07-06
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        table = normalise_file(path).table
    assert table.loc[multi.to_numpy(), "race"].tolist() == ["Other"]
