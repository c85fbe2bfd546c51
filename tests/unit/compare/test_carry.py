"""Carrying a column a newer export dropped (``dna_minor``) from older snapshots, on small built snapshots."""

from __future__ import annotations

import pandas as pd

from analysis.compare.carry import NOT_CARRIED, carriable, carry_columns, carry_text
from tests.conftest import snap
from tests.unit.analyse.test_tables import canonical

DAY = pd.Timestamp


def person(first: str, last: str, **values) -> dict:  # noqa: ANN003
    """A record the matcher can link by name and state (posted 2010 unless told). ``crime_category`` is set
    because the matcher cannot read a missing one (``str(pd.NA or "")`` raises in ``match._people``)."""
    return {"first_name": first, "last_name": last, "name": f"{first} {last}", "state": "Illinois",
            "state_abbr": "IL", "worst_crime": "Murder", "crime_category": "Murder",
            "posting_date": DAY("2010-01-01"), **values}


def snapshot(snapshot_id: str, day: str | None, rows: list[dict], prefix: str):  # noqa: ANN201
    rows = [{"record_id": f"{prefix}-{i}", **r} for i, r in enumerate(rows)]
    return snap(canonical(rows), {"snapshot_id": snapshot_id, "snapshot_date": day})


def old_2023(**minor: bool | None):  # noqa: ANN201
    """2023-09-22: Adams (DNA, minor), Baker (DNA, central), Clark (no DNA); ``minor`` overrides by last name."""
    marks = {"Adams": True, "Baker": False, "Clark": False, **minor}
    return snapshot("2023", "2023-09-22", [
        person("Ann", "Adams", dna=True, dna_minor=marks["Adams"]),
        person("Bob", "Baker", dna=True, dna_minor=marks["Baker"]),
        person("Cy", "Clark", dna=False, dna_minor=marks["Clark"]),
    ], "ps")


def new_2026(*extra: dict):  # noqa: ANN201
    """2026-06-26, no `*` column: the three 2023 records, then ``extra``."""
    return snapshot("2026", "2026-06-26", [
        person("Ann", "Adams", dna=True), person("Bob", "Baker", dna=True), person("Cy", "Clark"), *extra,
    ], "NRE")


def by_last(table: pd.DataFrame, column: str) -> dict:
    return {last: (None if pd.isna(v) else v) for last, v in zip(table["last_name"], table[column], strict=True)}


def test_matched_records_get_the_marker_and_its_source():
    newest = new_2026(person("Dee", "Dunn", dna=True, posting_date=DAY("2025-02-01")),  # posted after 2023-09-22
                      person("Eve", "Evans", dna=True))  # posted before, but not in the 2023 snapshot
    filled, carried = carry_columns(newest, [old_2023()])
    table = filled.table
    assert by_last(table, "dna_minor") == {"Adams": True, "Baker": False, "Clark": False, "Dunn": None,
                                           "Evans": None}
    assert by_last(table, "dna_minor_from") == {"Adams": "2023", "Baker": "2023", "Clark": "2023", "Dunn": None,
                                                "Evans": None}
    assert table["dna_minor"].dtype == "boolean" and table["dna_minor_from"].dtype == "string"
    [c] = carried
    assert (c.column, c.source.id, c.matched, c.filled, c.posted_later, c.recoded) == ("dna_minor", "2023", 3, 3, 0,
                                                                                        0)
    assert (c.dna_records, c.dna_filled, c.true, c.dna_true) == (4, 2, 1, 1)
    assert c.to_json()["from_snapshot"] == "2023" and c.to_json()["provenance_column"] == "dna_minor_from"
    assert "for 2 of 4 DNA records (1 True)" in carry_text(carried, table)
    assert newest.table["dna_minor"].isna().all()  # the input is not changed


def test_a_matched_record_posted_after_the_source_stays_missing():
    newest = new_2026()
    newest.table.loc[newest.table["last_name"] == "Adams", "posting_date"] = DAY("2024-01-05")
    filled, [c] = carry_columns(newest, [old_2023()])
    assert by_last(filled.table, "dna_minor")["Adams"] is None
    assert by_last(filled.table, "dna_minor_from")["Adams"] is None
    assert (c.matched, c.filled, c.posted_later) == (3, 2, 1)


def test_a_record_recoded_as_dna_since_stays_missing():
    """Clark had no DNA in 2023 (no `*` either), DNA in 2026: the old marker says nothing about DNA's role."""
    newest = new_2026()
    newest.table.loc[newest.table["last_name"] == "Clark", "dna"] = True
    filled, [c] = carry_columns(newest, [old_2023()])
    assert by_last(filled.table, "dna_minor") == {"Adams": True, "Baker": False, "Clark": None}
    assert (c.recoded, c.dna_records, c.dna_filled) == (1, 3, 2)


def test_nothing_is_carried_when_no_older_snapshot_has_the_column():
    no_marker = snapshot("2024", "2024-03-11", [person("Ann", "Adams", dna=True)], "ps")
    newest = new_2026()
    for others in ([], [no_marker], [newest]):
        same, carried = carry_columns(newest, others)
        assert carried == [] and same is newest
        assert "no older stored snapshot has the `*`" in carry_text(carried, same.table)


def test_only_snapshots_dated_before_the_newest_are_used():
    later = snapshot("2027", "2027-01-01", [person("Ann", "Adams", dna=True, dna_minor=True)], "ps")
    undated = snapshot("undated", None, [person("Ann", "Adams", dna=True, dna_minor=True)], "ps")
    assert carry_columns(new_2026(), [later, undated])[1] == []
    undated_newest = snapshot("x", None, [person("Ann", "Adams", dna=True)], "NRE")
    assert carry_columns(undated_newest, [old_2023()])[1] == []


def test_the_latest_older_snapshot_wins():
    old_2019 = snapshot("2019", "2019-12-07", [
        person("Ann", "Adams", dna=True, dna_minor=False), person("Bob", "Baker", dna=True, dna_minor=True),
        person("Cy", "Clark", dna=False, dna_minor=False)], "dl")
    no_marker_2024 = snapshot("2024", "2024-03-11", [person("Ann", "Adams", dna=True)], "ps")
    for order in ([old_2019, old_2023(), no_marker_2024], [no_marker_2024, old_2023(), old_2019]):
        filled, [c] = carry_columns(new_2026(), order)
        assert c.source.id == "2023"
        assert by_last(filled.table, "dna_minor") == {"Adams": True, "Baker": False, "Clark": False}
        assert set(filled.table["dna_minor_from"]) == {"2023"}


def test_any_dropped_column_is_carried_but_not_identity_bookkeeping_or_derived_ones():
    old = old_2023()
    old.table["crime_year"] = pd.array([1990, 1991, None], dtype="Int64")
    newest = new_2026()
    newest.table["posting_date"] = pd.Series(pd.NaT, index=newest.table.index, dtype="datetime64[ns]")
    filled, carried = carry_columns(newest, [old])
    assert [c.column for c in carried] == ["crime_year", "dna_minor"]
    assert by_last(filled.table, "crime_year") == {"Adams": 1990, "Baker": 1991, "Clark": None}
    assert filled.table["posting_date"].isna().all()  # never carried: --as-of would drop the unmatched silently
    crime_year = next(c for c in carried if c.column == "crime_year")
    assert crime_year.true is None and crime_year.to_json()["provenance_column"] is None
    assert not any(carriable(name) for name in NOT_CARRIED)
    assert not carriable("dna_minor_from") and not carriable("juvenile") and carriable("dna_minor")
