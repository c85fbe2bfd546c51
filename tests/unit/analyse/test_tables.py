"""The standard tables: exact expectations on small synthetic tables, golden checks on the real exports."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.analyse.coding_rules import CODED_ONLY_ON_FC
from analysis.analyse.history import history_table
from analysis.analyse.rates import wilson_interval
from analysis.analyse.tables import AGE_GROUPS, TABLES, share_by, write_tables, years_lost_bins
from analysis.normalise.schema import COLUMNS, empty_frame
from tests.conftest import snap

FALSE_BY_DEFAULT = ("pre_1989", "federal", "dna", "fc", "mwid", "fmfe", "pfa", "om", "ild", "homicide",
                    "codefendant_confessed", "guilty_plea")


def canonical(rows: list[dict]) -> pd.DataFrame:
    """A canonical table (schema dtypes) from partial rows; factors and main tags default to False."""
    data = {}
    for col in COLUMNS:
        default = False if col.name in FALSE_BY_DEFAULT else None
        values = [row.get(col.name, f"t-{i}" if col.name == "record_id" else default) for i, row in enumerate(rows)]
        if col.name == "juvenile":
            values = [row.get("juvenile", None if row.get("age") is None else row["age"] < 18) for row in rows]
        data[col.name] = pd.Series(values, dtype=col.dtype)
    out = pd.DataFrame(data)
    assert list(out.dtypes) == list(empty_frame().dtypes)
    return out


def row(df: pd.DataFrame, group: object) -> pd.Series:
    found = df[df["group"] == group]
    assert len(found) == 1, f"{group!r} not found once in {df['group'].tolist()}"
    return found.iloc[0]


# ---------------------------------------------------------------------------------------------------------
# share_by
# ---------------------------------------------------------------------------------------------------------


def test_share_by_counts_k_of_n_with_wilson_interval_and_leaves_out_pre_1989():
    table = canonical([
        {"race": "Black", "fc": True}, {"race": "Black"}, {"race": "Black", "fc": True},
        {"race": "White"}, {"race": None, "fc": True},
        {"race": "White", "fc": True, "pre_1989": True},  # outside the default population
    ])
    out = share_by(table, "race")
    assert list(out.columns[:6]) == ["group", "n", "k", "share", "ci_low", "ci_high"]
    assert out["group"].tolist() == ["Black", "White", "Unknown"]
    assert out[["n", "k"]].values.tolist() == [[3, 2], [1, 0], [1, 1]]
    black = row(out, "Black")
    assert black["share"] == pytest.approx(2 / 3)
    assert (black["ci_low"], black["ci_high"]) == pytest.approx(wilson_interval(2, 3))


def test_share_by_order_gives_empty_groups_as_n_zero_rows_not_errors():
    table = canonical([{"sex": "Male", "fc": True}, {"sex": "Male"}])
    out = share_by(table, "sex", order=["Female", "Male"])
    assert out["group"].tolist() == ["Female", "Male"]
    female = row(out, "Female")
    assert (female["n"], female["k"]) == (0, 0)
    assert pd.isna(female["share"]) and pd.isna(female["ci_low"]) and pd.isna(female["ci_high"])
    assert row(out, "Male")["share"] == 0.5


def test_share_by_among_and_of_and_a_series_of_labels():
    table = canonical([{"dna": True, "fc": True, "homicide": True}, {"dna": True, "homicide": True},
                       {"dna": False, "fc": True, "homicide": True}, {"dna": True, "fc": True}])
    labels = pd.Series(["a", "a", "a", "b"], index=table.index)
    out = share_by(table, labels, among="dna")
    assert out[["group", "n", "k"]].values.tolist() == [["a", 2, 1], ["b", 1, 1]]
    out = share_by(table, labels, of="homicide", among="fc")
    assert out[["group", "n", "k"]].values.tolist() == [["a", 2, 2], ["b", 1, 0]]
    with pytest.raises(ValueError, match="index"):
        share_by(table, labels.reset_index(drop=True).set_axis([9, 8, 7, 6]))


def test_table_names_are_the_published_ones_in_order():
    standard = ["overall", "dna", "crime_category", "age_group", "race", "sex", "state", "exoneration_year",
                "exoneration_decade", "misconduct", "confession_types", "co_occurring", "time_lost",
                "juvenile_by_decade", "juvenile_by_crime", "time_lost_by_crime", "misconduct_comparison"]
    assert list(TABLES)[:len(standard)] == standard


@pytest.mark.parametrize("name", list(TABLES))
def test_every_table_works_on_an_empty_table(name):
    out = TABLES[name](empty_frame())
    assert list(out.columns[:6]) == ["group", "n", "k", "share", "ci_low", "ci_high"]
    assert (out["n"] == 0).all()
    assert out["share"].isna().all()


# ---------------------------------------------------------------------------------------------------------
# The tables on a small synthetic table
# ---------------------------------------------------------------------------------------------------------


@pytest.fixture
def small() -> pd.DataFrame:
    return canonical([
        {"age": 13, "fc": True, "dna": True, "dna_minor": False, "exoneration_year": 1989, "om": True,
         "om_interrogation": True, "years_lost": 10.0, "years_lost_basis": "given", "codefendant_confessed": True},
        {"age": 14, "fc": True, "dna": True, "dna_minor": True, "exoneration_year": 1992, "om": True,
         "om_interrogation": False, "years_lost": 20.0, "years_lost_basis": "given"},
        {"age": 17, "dna": True, "dna_minor": False, "exoneration_year": 1992, "om_interrogation": False,
         "years_lost": 1.0, "years_lost_basis": "given", "guilty_plea": True},
        {"age": 18, "exoneration_year": 2001, "years_lost": 3.0, "years_lost_basis": "given",
         "codefendant_confessed": True},
        {"age": 25, "fc": True, "exoneration_year": 2001, "years_lost": 30.0, "years_lost_basis": "given",
         "guilty_plea": True},
        {"age": None, "exoneration_year": 2001},
        {"age": 15, "fc": True, "exoneration_year": 1980, "pre_1989": True},
    ])


def test_age_groups_in_order_with_boundaries(small):
    out = TABLES["age_group"](small)
    assert out["group"].tolist() == AGE_GROUPS
    assert out[["n", "k"]].values.tolist() == [[1, 1], [1, 1], [1, 0], [1, 0], [1, 1], [1, 0]]


def test_dna_rows_with_and_without_the_minor_marker(small):
    out = TABLES["dna"](small)
    assert out[["group", "n", "k"]].values.tolist() == [
        ["DNA", 3, 2], ["No DNA", 3, 1], ["DNA central (not minor)", 2, 1]]
    without = small.assign(dna_minor=pd.Series(pd.NA, index=small.index, dtype="boolean"))
    assert TABLES["dna"](without)["group"].tolist() == ["DNA", "No DNA"]


def test_years_and_decades_cover_the_whole_range(small):
    years = TABLES["exoneration_year"](small)
    assert years["group"].tolist() == list(range(1989, 2002))
    assert row(years, 1990)["n"] == 0 and pd.isna(row(years, 1990)["share"])
    assert row(years, 1992)[["n", "k"]].tolist() == [2, 1]
    decades = TABLES["exoneration_decade"](small)
    assert decades[["group", "n", "k"]].values.tolist() == [["1980s", 1, 1], ["1990s", 2, 1], ["2000s", 3, 1]]


def test_misconduct_yes_no_unknown(small):
    out = TABLES["misconduct"](small).set_index("group")
    # in `small` both INT and official misconduct are coded only on false-confession records
    assert set(out["coding_rule"]) == {CODED_ONLY_ON_FC}
    assert out.loc["Official misconduct: yes", ["n", "k"]].tolist() == [2, 2]
    assert out.loc["Official misconduct: no", ["n", "k"]].tolist() == [4, 1]
    assert out.loc["Misconduct in interrogation: yes", ["n", "k"]].tolist() == [1, 1]
    assert out.loc["Misconduct in interrogation: no", ["n", "k"]].tolist() == [2, 1]
    assert out.loc["Misconduct in interrogation: unknown", ["n", "k"]].tolist() == [3, 1]


def test_confession_types_count_the_condition_over_all_records(small):
    out = TABLES["confession_types"](small)
    assert out["expression"].tolist() == ["fc", "codefendant_confessed", "guilty_plea",
                                          "fc or codefendant_confessed",
                                          "fc or codefendant_confessed or guilty_plea"]
    assert out["n"].tolist() == [6] * 5
    assert out["k"].tolist() == [3, 2, 2, 4, 5]


def test_co_occurring_among_false_confessions(small):
    out = TABLES["co_occurring"](small).set_index("expression")
    assert (out["n"] == 3).all()
    assert out.loc["om", "k"] == 2
    assert out.loc["om_interrogation", ["k", "unknown"]].tolist() == [1, 1]
    assert out.loc["dna", "k"] == 2
    assert out.loc["guilty_plea", "k"] == 1
    assert out.loc["om", "group"] == "Official misconduct"
    assert out.loc["om_interrogation", "coding_rule"] == CODED_ONLY_ON_FC
    assert out.loc["dna", "coding_rule"] == ""  # DNA is also coded on a record without a false confession


def test_time_lost_summaries(small):
    out = TABLES["time_lost"](small).set_index("group")
    fc = out.loc["False confession"]
    # years lost of the three post-1989 FC records: 10, 20, 30
    assert (fc["n"], fc["k"], fc["n_known"]) == (3, 3, 3)
    assert (fc["median"], fc["q1"], fc["q3"], fc["mean"], fc["total"]) == (20.0, 15.0, 25.0, 20.0, 60.0)
    assert fc["basis"] == "given"
    other = out.loc["No false confession"]
    assert (other["n"], other["k"], other["n_known"]) == (3, 0, 2)  # one record has no years lost
    assert (other["median"], other["total"]) == (2.0, 4.0)
    mixed = small.assign(years_lost_basis=pd.Series(["given", "derived from years"] * 3 + ["given"],
                                                    dtype="string"))
    assert TABLES["time_lost"](mixed).set_index("group").loc["False confession", "basis"] == \
        "derived from years (1); given (2)"


def test_juvenile_by_decade_two_shares(small):
    out = TABLES["juvenile_by_decade"](small).set_index("group")
    nineties = out.loc["1990s"]
    assert (nineties["n"], nineties["k"]) == (2, 1)
    assert (nineties["n_fc"], nineties["k_juvenile_fc"]) == (1, 1)
    assert (nineties["n_juvenile"], nineties["k_fc_juvenile"]) == (2, 1)
    assert nineties["share_fc_among_juvenile"] == 0.5
    two_thousands = out.loc["2000s"]
    assert (two_thousands["n_fc"], two_thousands["k_juvenile_fc"]) == (1, 0)
    assert two_thousands["n_juvenile"] == 0 and pd.isna(two_thousands["share_fc_among_juvenile"])


def test_state_table_has_names_and_codes():
    table = canonical([{"state": "Texas", "state_abbr": "TX", "fc": True}, {"state": "Texas", "state_abbr": "TX"},
                       {"state": "Military (federal)", "federal": True}])
    out = TABLES["state"](table)
    assert out[["group", "n", "k"]].values.tolist() == [["Texas", 2, 1], ["Military (federal)", 1, 0]]
    assert out["state_abbr"].iloc[0] == "TX" and pd.isna(out["state_abbr"].iloc[1])
    assert out["state"].tolist() == ["Texas", "Military (federal)"]


def test_history_table_sorts_by_date_undated_last():
    a = canonical([{"dna": True, "fc": True}, {"dna": True}])
    b = canonical([{"dna": True}, {"dna": False, "fc": True}])
    out = history_table([snap(a, {"snapshot_id": "undated", "format": "nre_detail_list"}),
                         snap(b, {"snapshot_id": "late", "snapshot_date": "2020-01-01", "format": "x"}),
                         snap(a, {"snapshot_id": "early", "snapshot_date": "2015-01-01", "format": "x"})])
    assert list(out.columns) == ["snapshot_id", "snapshot_date", "format", "n_dna", "k_fc_dna", "share", "ci_low",
                                 "ci_high"]
    assert out["snapshot_id"].tolist() == ["early", "late", "undated"]
    assert out[["n_dna", "k_fc_dna"]].values.tolist() == [[2, 1], [1, 0], [2, 1]]


def test_write_tables_writes_every_table_atomically(small, tmp_path):
    history = history_table([snap(small, {"snapshot_id": "s", "snapshot_date": "2020-01-01"})])
    written = write_tables(snap(small, {"snapshot_id": "s", "snapshot_date": "2020-01-01"}), tmp_path / "tables",
                           history=history)
    assert [p.name for p in written] == [f"{name}.csv" for name in TABLES] + ["history.csv"]
    assert sorted(p.name for p in (tmp_path / "tables").iterdir()) == sorted(p.name for p in written)
    back = pd.read_csv(tmp_path / "tables" / "age_group.csv")
    assert back["group"].tolist() == AGE_GROUPS
    assert back["n"].tolist() == TABLES["age_group"](small)["n"].tolist()
    assert set(back["snapshot_id"]) == {"s"}
    assert pd.read_csv(tmp_path / "tables" / "history.csv")["n_dna"].tolist() == [3]


# ---------------------------------------------------------------------------------------------------------
# Golden checks on the real exports
# ---------------------------------------------------------------------------------------------------------














# SOURCES.md section 6, "FC among DNA" (hand-checked by the data curator); the 2019-12 list view is 121 of 500,
# not 501: its 2,523 raw rows repeat the first row (Abbitt, a DNA case), so 500 DNA after the duplicate is
# dropped. The 2024-04-10 csv is the same data as the xlsx (SOURCES.md section 1).


# ---------------------------------------------------------------------------------------------------------
# Placeholder release dates, time from arrest, crime strata, the fair misconduct comparison
# ---------------------------------------------------------------------------------------------------------


def day(text: str) -> pd.Timestamp:
    return pd.Timestamp(text)


@pytest.fixture
def timed() -> pd.DataFrame:
    """Six post-1989 records: one zero-year placeholder (life, release = conviction), one real zero (probation),
    one with only an arrest year, one arrested after conviction as published."""
    c = day("2000-01-01")
    return canonical([
        {"fc": True, "homicide": True, "sentence": "Life", "years_lost": 0.0, "conviction_date": c,
         "release_date": c, "arrest_date": day("1999-01-01"), "arrest_year": 1999, "years_lost_basis": "given"},
        {"fc": True, "homicide": True, "sentence": "Life", "years_lost": 10.0, "conviction_date": c,
         "release_date": day("2010-01-01"), "arrest_date": day("1998-01-01"), "arrest_year": 1998,
         "years_lost_basis": "given"},
        {"fc": True, "homicide": False, "sentence": "Term of Years", "years_lost": 4.0, "conviction_date": c,
         "release_date": day("2004-01-01"), "arrest_year": 1999, "years_lost_basis": "given"},
        {"homicide": True, "sentence": "Probation", "years_lost": 0.0, "conviction_date": c, "release_date": c,
         "arrest_date": day("1999-07-01"), "arrest_year": 1999, "years_lost_basis": "given"},
        {"homicide": False, "sentence": "Term of Years", "years_lost": 2.0, "conviction_date": c,
         "release_date": day("2002-01-01"), "arrest_date": day("2000-06-01"), "arrest_year": 2000,
         "years_lost_basis": "given"},
        {"homicide": True, "sentence": "Death", "years_lost": 6.0, "conviction_date": c,
         "release_date": day("2006-01-01"), "years_lost_basis": "given"},
    ])


def test_time_lost_leaves_placeholders_out_and_counts_them(timed):
    out = TABLES["time_lost"](timed).set_index("group")
    fc, other = out.loc["False confession"], out.loc["No false confession"]
    # FC: the life sentence with release = conviction is a placeholder; 10 and 4 years remain
    assert (fc["n"], fc["n_known"], fc["n_placeholder"], fc["median"]) == (3, 2, 1, 7.0)
    # no FC: probation with zero years is a real zero, kept; 0, 2, 6 → median 2
    assert (other["n_known"], other["n_placeholder"], other["median"]) == (3, 0, 2.0)
    # arrest to conviction needs a full arrest date: 1998-01-01 → 2000-01-01 (the placeholder's 1999 arrest
    # counts too: its conviction date is real); the arrest-year-only record is left out, never guessed
    assert fc["n_arrest_to_conviction"] == 2 and fc["n_arrest_partial"] == 1
    assert fc["median_arrest_to_conviction"] == pytest.approx((730 + 365) / 2 / 365.25)
    # arrest to release: not from a placeholder release date
    assert fc["n_arrest_to_release"] == 1
    assert fc["median_arrest_to_release"] == pytest.approx((day("2010-01-01") - day("1998-01-01")).days / 365.25)
    # no FC: one arrest after conviction as published (left out), one without any arrest date
    assert (other["n_arrest_to_conviction"], other["n_arrest_inconsistent"], other["n_arrest_missing"]) == (1, 1, 1)
    bins = years_lost_bins(timed)
    assert bins.groupby("group")["records"].sum().to_dict() == {"False confession": 2, "No false confession": 3}


def test_time_lost_by_crime_strata(timed):
    out = TABLES["time_lost_by_crime"](timed).set_index("group")
    assert list(out.index) == ["False confession: all crimes", "No false confession: all crimes",
                               "False confession: homicide", "No false confession: homicide",
                               "False confession: other crimes", "No false confession: other crimes"]
    assert out.loc["False confession: homicide", ["n", "n_known", "n_placeholder"]].tolist() == [2, 1, 1]
    assert out.loc["False confession: homicide", "median"] == 10.0
    assert out.loc["No false confession: homicide", "median"] == 3.0  # 0 (probation) and 6
    assert out.loc["False confession: other crimes", "median"] == 4.0
    assert out.loc["No false confession: all crimes", "median"] == \
        TABLES["time_lost"](timed).set_index("group").loc["No false confession", "median"]


def test_juvenile_ratio_within_crime_strata():
    rows = ([{"age": 15, "homicide": True, "fc": i < 4} for i in range(8)]  # 4 of 8
            + [{"age": 30, "homicide": True, "fc": i < 4} for i in range(16)]  # 4 of 16
            + [{"age": 16, "homicide": False, "fc": i < 1} for i in range(2)]  # 1 of 2
            + [{"age": 40, "homicide": False, "fc": i < 1} for i in range(20)]  # 1 of 20
            + [{"age": None, "homicide": True, "fc": True}])  # age unknown: in no age group
    out = TABLES["juvenile_by_crime"](canonical(rows)).set_index("group")
    assert out.loc["Under 18: all crimes", ["n", "k"]].tolist() == [10, 5]
    assert out.loc["18 and over: all crimes", ["n", "k"]].tolist() == [36, 5]
    assert out.loc["Under 18: homicide", "ratio"] == pytest.approx((4 / 8) / (4 / 16))
    assert out.loc["Under 18: other crimes", "ratio"] == pytest.approx((1 / 2) / (1 / 20))
    assert out.loc["18 and over: all crimes", "ratio"] == pytest.approx((5 / 10) / (5 / 36))
    low, high = out.loc["Under 18: homicide", ["ratio_low", "ratio_high"]]
    assert low < 2.0 < high
    assert out.loc["Under 18: homicide", "share_of_age_group"] == pytest.approx(0.8)
    assert out.loc["18 and over: homicide", "share_of_age_group"] == pytest.approx(16 / 36)


def test_misconduct_comparison_leaves_out_the_coded_only_code():
    rows = ([{"fc": True, "om": True, "om_interrogation": True}] * 3
            + [{"fc": True, "om": True, "om_interrogation": False}, {"fc": True, "om": False,
                                                                     "om_interrogation": False}]
            + [{"fc": True, "om": False, "om_interrogation": None}]
            + [{"om": True, "om_interrogation": False}] * 2 + [{"om": False, "om_interrogation": False}] * 2)
    out = TABLES["misconduct_comparison"](canonical(rows)).set_index("group")
    assert out.loc["False confession", ["n", "k"]].tolist() == [6, 4]
    assert out.loc["False confession", "coding_rule"].startswith("includes misconduct in interrogation")
    assert out.loc["False confession without misconduct in interrogation", ["n", "k"]].tolist() == [2, 1]
    assert out.loc["False confession", "interrogation_not_coded"] == 1
    assert out.loc["No false confession", ["n", "k"]].tolist() == [4, 2]
