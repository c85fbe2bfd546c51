"""Real-data tests split from `test_tables`: they read the shared exports and skip with a reason when absent."""

from __future__ import annotations

import csv
import warnings
from pathlib import Path

import pandas as pd
import pytest

from analysis.analyse.history import history_table
from analysis.analyse.rates import wilson_interval
from analysis.analyse.tables import AGE_GROUPS, TABLES
from analysis.normalise import normalise_file
from tests.conftest import canonical_table, shared_file, skip_module_without_shared, snap
from tests.golden.files import NRE_FILES

skip_module_without_shared("the tables of the real exports")


def _normalise(path: Path) -> pd.DataFrame:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return normalise_file(path).table


@pytest.fixture(scope="module")
def latest() -> pd.DataFrame:
    return canonical_table("nre-fullcsv-2026-06.csv")


def _raw_age_groups(path: Path) -> dict[str, tuple[int, int]]:
    """Counted with the csv module straight from the raw export (Pre-1989 = No; age 0 or blank = unknown)."""
    counts: dict[str, list[int]] = {g: [0, 0] for g in AGE_GROUPS}
    with path.open(encoding="utf-8-sig", newline="") as fh:
        for rec in csv.DictReader(fh):
            if rec["Pre-1989"] != "No":
                continue
            age = int(rec["Age at Crime Years"]) if rec["Age at Crime Years"].strip() else 0
            group = ("Unknown" if age == 0 else "13 and under" if age <= 13 else "14–15" if age <= 15 else
                     "16–17" if age <= 17 else "18–24" if age <= 24 else "25 and over")
            counts[group][0] += 1
            counts[group][1] += rec["False Confession"] == "Yes"
    return {g: (n, k) for g, (n, k) in counts.items()}


def test_age_groups_on_the_2026_export_match_the_raw_file(latest):
    # Hand-checked 2026-06 export, post-1989 rows, counted with the csv module (not project code):
    # (records, false confessions) per age group.
    golden = {"13 and under": (11, 7), "14–15": (60, 30), "16–17": (276, 81), "18–24": (1392, 196),
              "25 and over": (2075, 173), "Unknown": (21, 0)}
    assert _raw_age_groups(shared_file("nre", "nre-fullcsv-2026-06.csv")) == golden
    out = TABLES["age_group"](latest)
    assert {g: (int(n), int(k)) for g, n, k in out[["group", "n", "k"]].values} == golden
    assert out["group"].tolist() == AGE_GROUPS


def test_confession_and_co_occurrence_tables_on_the_2026_export(latest):
    # Counted with the csv module on the raw 2026 export (Pre-1989 = No, 3,835 rows): `False Confession` = Yes
    # 487; `Codefendant confessed` in Case Characteristics 529; `Plea` 921; FC or codefendant 832; FC or
    # codefendant or plea 1,624. Among the 487 FC rows: Official Misconduct = Yes 403; INT - Misconduct in
    # Interrogation = Yes 265 (blank 1); DNA = Yes 162.
    types = TABLES["confession_types"](latest)
    assert types["k"].tolist() == [487, 529, 921, 832, 1624]
    assert set(types["n"]) == {3835}
    co = TABLES["co_occurring"](latest).set_index("expression")
    assert set(co["n"]) == {487}
    assert co.loc["om", "k"] == 403
    assert co.loc["om_interrogation", ["k", "unknown"]].tolist() == [265, 1]
    assert co.loc["dna", "k"] == 162


def test_other_tables_on_the_2026_export(latest):
    # csv-module counts on the raw 2026 export, post-1989 rows: Official Misconduct = Yes 2,333 (403 with FC);
    # State Illinois 582 + Fed-IL 7 = 589 (151 with FC); DNA = Yes 647 (162 with FC);
    # Years Lost among FC rows: 487 values, sum 6,878.5, all given; 11 of them are 0 under a custodial sentence
    # with release = first conviction date (placeholders: left out), so 476 values, median 13.55 (statistics
    # module; 13.4 with the placeholders read as zero years).
    misconduct = TABLES["misconduct"](latest).set_index("group")
    assert misconduct.loc["Official misconduct: yes", ["n", "k"]].tolist() == [2333, 403]
    state = TABLES["state"](latest).set_index("group")
    assert state.loc["Illinois", ["n", "k", "state_abbr"]].tolist() == [589, 151, "IL"]
    assert TABLES["dna"](latest)[["group", "n", "k"]].values.tolist()[0] == ["DNA", 647, 162]
    assert TABLES["overall"](latest)[["n", "k"]].values.tolist() == [[3835, 487]]
    fc = TABLES["time_lost"](latest).set_index("group").loc["False confession"]
    assert (fc["n_known"], fc["n_placeholder"], fc["median"], fc["basis"]) == (476, 11, 13.55, "given")
    assert fc["total"] == pytest.approx(6878.5)
    crime = TABLES["crime_category"](latest)
    assert crime["n"].is_monotonic_decreasing and crime["n"].sum() == 3835


HISTORY = {
    "nre-publicspreadsheet-2015-01.csv": (390, 82, "21.0%"),
    "nre-publicspreadsheet-2017-02.csv": (436, 96, "22.0%"),
    "nre-publicspreadsheet-2017-07-06.xlsx": (449, 99, "22.0%"),
    "nre-publicspreadsheet-2018-10-15.xlsx": (478, 112, "23.4%"),
    "nre-detaillist-scrape-2019-12.csv": (500, 121, "24.2%"),
    "nre-publicspreadsheet-2021-04-07.xlsx": (534, 127, "23.8%"),
    "nre-publicspreadsheet-2022-07-06.xlsx": (560, 133, "23.7%"),
    "nre-publicspreadsheet-2023-09.csv": (583, 137, "23.5%"),
    "nre-publicspreadsheet-2024-03-11.xlsx": (596, 143, "24.0%"),
    "nre-publicspreadsheet-2024-04-10.csv": (596, 143, "24.0%"),
    "nre-publicspreadsheet-2024-04-10.xlsx": (596, 143, "24.0%"),
    "nre-fullcsv-2026-06.csv": (647, 162, "25.0%"),
}


def test_history_table_reproduces_sources_section_6(latest):
    snapshots = []
    for name in HISTORY:
        table = latest if name == "nre-fullcsv-2026-06.csv" else canonical_table(name)
        fmt, day = NRE_FILES[name].format, NRE_FILES[name].snapshot_date
        snapshots.append(snap(table, {"snapshot_id": name, "snapshot_date": day, "format": fmt}))
    out = history_table(snapshots)
    assert len(out) == len(HISTORY)
    for rec in out.itertuples():
        n_dna, k, share = HISTORY[rec.snapshot_id]
        assert (rec.n_dna, rec.k_fc_dna) == (n_dna, k), rec.snapshot_id
        assert rec.share == k / n_dna
        # SOURCES.md prints one decimal (133 of 560 = 23.75% is printed 23.7%): agree to within rounding
        assert abs(rec.share * 100 - float(share.rstrip("%"))) <= 0.05 + 1e-9
        assert (rec.ci_low, rec.ci_high) == pytest.approx(wilson_interval(k, n_dna))
    # sorted by date; the list view has no date and comes last
    assert out["snapshot_id"].iloc[-1] == "nre-detaillist-scrape-2019-12.csv"
    dated = out["snapshot_date"].iloc[:-1].tolist()
    assert dated == sorted(dated)

