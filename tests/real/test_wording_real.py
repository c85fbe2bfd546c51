"""The wording rules on the real exports, and the numbers behind the fair comparisons pinned against the raw CSVs.

Golden numbers are counted here with pandas straight from the raw files (``dtype=str``), not with the project's
readers; each was checked by hand against the file. Rule for medians: records whose release date is missing or a
placeholder (``Years Lost`` 0 under a custodial sentence, release date equal to the first conviction date or
blank) are left out.
"""

from __future__ import annotations

import statistics

import matplotlib
import pandas as pd
import pytest

from analysis.analyse.coding_rules import CODED_ONLY_ON_FC, nested
from analysis.analyse.tables import TABLES
from analysis.analyse.time_lost import placeholder_release
from analysis.charts import make_chart
from tests.conftest import canonical_table, shared_file, skip_module_without_shared, snap
from tests.golden.files import NRE_FILES
from tests.unit.charts.wording_rules import MY_CHARTS, katz, problems

skip_module_without_shared("the headline wording of the real exports")

matplotlib.use("Agg")

LATEST, OLD = "nre-fullcsv-2026-06.csv", "nre-publicspreadsheet-2024-04-10.csv"
NON_CUSTODIAL = {"Probation", "Not Sentenced", "Community Service", "Fine", "Unknown", ""}


def _raw(name: str, encoding: str) -> pd.DataFrame:
    return pd.read_csv(shared_file("nre", name), dtype=str, keep_default_na=False, encoding=encoding)


@pytest.fixture(scope="module")
def raw() -> pd.DataFrame:
    """The 2026-06 export as published, post-1989 rows, with a few columns derived here."""
    r = _raw(LATEST, "utf-8-sig")
    r = r[r["Pre-1989"] == "No"].copy()
    r["fc"] = r["False Confession"] == "Yes"
    age = pd.to_numeric(r["Age at Crime Years"]).where(lambda a: a > 0)
    r["juvenile"], r["adult"] = age < 18, age >= 18
    r["homicide"] = r["Case Characteristics"].str.split("; ").map(lambda tags: "Homicide" in tags) | \
        r["Worst Crime Display"].isin(["Murder", "Manslaughter"])
    r["years"] = pd.to_numeric(r["Years Lost"], errors="coerce")
    r["placeholder"] = (r["years"] == 0) & ~r["Sentence"].isin(NON_CUSTODIAL) & (
        (r["Date of Release"] == r["Date of 1st Convic"]) | (r["Date of Release"] == ""))
    return r


@pytest.fixture(scope="module")
def latest() -> pd.DataFrame:
    return canonical_table(LATEST)


@pytest.fixture(scope="module")
def old() -> pd.DataFrame:
    return canonical_table(OLD)


def _snapshot(name: str, table: pd.DataFrame):  # noqa: ANN202
    golden = NRE_FILES[name]
    return snap(table, {"snapshot_id": name, "snapshot_date": golden.snapshot_date, "format": golden.format})


@pytest.mark.parametrize("name", [LATEST, OLD])
def test_every_chart_passes_the_wording_rules_on_the_real_exports(name):
    snapshot = _snapshot(name, canonical_table(name))
    for slug in MY_CHARTS:
        spec = make_chart(slug, snapshot)
        assert problems(slug, spec, snapshot.view) == [], slug


def test_headlines_on_the_2026_export(latest):
    snapshot = _snapshot(LATEST, latest)
    titles = {slug: make_chart(slug, snapshot).title for slug in ("fc-by-crime", "state-tile-map", "fc-by-age")}
    # 335 of 1,487 = 22.5%, 95% CI 20.4–24.7%: above one in five, not "nearly one in four"
    assert titles["fc-by-crime"] == "More than one in five murder exonerations involved a false confession"
    # Illinois (state and federal cases) 151 of 589 = 25.6%, 95% CI 22.2-29.3%: "about one in four"
    assert titles["state-tile-map"].startswith("About one in four exonerations in Illinois since 1989 involved a "
                                               "false confession")
    assert titles["fc-by-age"].startswith("Among exonerees, juveniles were 3.2 times as likely as adults")
    assert "within homicide cases the ratio is 2.2" in titles["fc-by-age"]


def test_juvenile_ratio_within_homicide(raw, latest):
    # hand-checked: homicide 92 of 213 juveniles and 260 of 1,341 adults; all crimes 118 of 347 and 369 of 3,467
    def counts(mask: pd.Series) -> tuple[int, int, int, int]:
        j, a = mask & raw["juvenile"], mask & raw["adult"]
        return int((j & raw["fc"]).sum()), int(j.sum()), int((a & raw["fc"]).sum()), int(a.sum())

    everyone = pd.Series(True, index=raw.index)
    assert counts(raw["homicide"]) == (92, 213, 260, 1341)
    assert counts(everyone) == (118, 347, 369, 3467)
    out = TABLES["juvenile_by_crime"](latest).set_index("group")
    for stratum, mask in (("homicide", raw["homicide"]), ("other crimes", ~raw["homicide"]),
                          ("all crimes", everyone)):
        ratio, low, high = katz(*counts(mask))
        row = out.loc[f"Under 18: {stratum}"]
        assert (row["ratio"], row["ratio_low"], row["ratio_high"]) == pytest.approx((ratio, low, high), rel=1e-6)
    assert round(out.loc["Under 18: homicide", "ratio"], 1) == 2.2
    assert round(out.loc["Under 18: all crimes", "ratio"], 1) == 3.2
    # the crime mix: 61% of juvenile exonerees were convicted of homicide, against 39% of adults
    assert round(out.loc["Under 18: homicide", "share_of_age_group"], 2) == round(213 / 347, 2) == 0.61
    assert round(out.loc["18 and over: homicide", "share_of_age_group"], 2) == round(1341 / 3467, 2) == 0.39


def test_placeholder_release_dates_and_medians_within_homicide(raw, latest):
    assert int(raw["placeholder"].sum()) == 129
    since_1989 = ~latest["pre_1989"].fillna(False).astype(bool)
    assert int((placeholder_release(latest) & since_1989).sum()) == 129
    kept = raw[~raw["placeholder"] & raw["years"].notna()]
    medians = {(h, f): statistics.median(kept.loc[(kept["homicide"] == h) & (kept["fc"] == f), "years"])
               for h in (True, False) for f in (True, False)}
    # hand-checked: homicide 16.9 (348 records) against 14.45 (1,178); with the placeholders kept as zeros the
    # medians would be 16.8 and 14.0
    assert (medians[(True, True)], medians[(True, False)]) == (16.9, 14.45)
    assert statistics.median(raw.loc[raw["homicide"] & raw["fc"], "years"]) == 16.8
    out = TABLES["time_lost_by_crime"](latest).set_index("group")
    assert out.loc["False confession: homicide", ["n_known", "n_placeholder", "median"]].tolist() == [348, 4, 16.9]
    assert out.loc["No false confession: homicide", ["n_known", "median"]].tolist() == [1178, 14.45]
    assert out.loc["False confession: other crimes", "median"] == medians[(False, True)]
    assert out.loc["No false confession: other crimes", "median"] == medians[(False, False)]
    assert int(out.loc[[g for g in out.index if g.endswith("all crimes")], "n_placeholder"].sum()) == 129


def test_arrest_dates_are_used_only_when_complete(raw, latest):
    # hand-checked: 3,459 post-1989 rows give all three arrest parts, but in 5 of them the parts are out of order
    # (e.g. year 7, month 2020, day 8): not a date. So 3,454 full dates, 374 with a year but no month or day
    # (never guessed), 7 without a usable arrest date (2 blank, the 5 invalid).
    parts = raw[["Date of Arrest Year", "Date of Arrest Month", "Date of Arrest Day"]].apply(
        lambda c: pd.to_numeric(c, errors="coerce").where(lambda v: v > 0))
    year, month, day = (parts[c] for c in parts.columns)
    valid_year = year.between(1900, 2026)
    full = valid_year & month.between(1, 12) & day.between(1, 31)
    partial = valid_year & (month.isna() | day.isna())
    assert (int((parts.notna().all(axis=1)).sum()), int(full.sum()), int(partial.sum())) == (3459, 3454, 374)
    out = TABLES["time_lost"](latest)
    assert int(out["n_arrest_partial"].sum()) == 374
    assert int(out["n_arrest_missing"].sum()) == len(raw) - 3454 - 374 == 7
    arrest = pd.to_datetime(pd.DataFrame({"year": year.where(full), "month": month.where(full),
                                          "day": day.where(full)}), errors="coerce")
    to_conviction = (pd.to_datetime(raw["Date of 1st Convic"]) - arrest).dt.days / 365.25
    usable = to_conviction[full & (to_conviction >= 0)]
    assert int(out["n_arrest_to_conviction"].sum()) == len(usable)
    fc = out.set_index("group").loc["False confession"]
    assert fc["median_arrest_to_conviction"] == pytest.approx(usable[raw["fc"]].median())


def test_interrogation_misconduct_is_coded_only_on_false_confessions(raw, latest, old):
    # 2026-06: `INT - Misconduct in Interrogation` = Yes in 265 post-1989 rows, every one with `False Confession`
    # = Yes; 2024-04-10 csv: `INT` in `OM Tags` in 243 rows, every one with `FC` = FC
    interrogation = raw["INT - Misconduct in Interrogation"] == "Yes"
    assert (int(interrogation.sum()), int((interrogation & raw["fc"]).sum())) == (265, 265)
    sheet = _raw(OLD, "latin-1")
    int_old = sheet["OM Tags"].str.split(";#").map(lambda codes: "INT" in codes)
    assert (int(int_old.sum()), int((int_old & (sheet["FC"] == "FC")).sum())) == (243, 243)
    for table, n in ((latest, 265), (old, 243)):
        since_1989 = ~table["pre_1989"].fillna(False).astype(bool)
        found = nested(table, "om_interrogation", "fc", since_1989)
        assert (found.holds, found.n_inner, found.n_both) == (True, n, n)
        misconduct = TABLES["misconduct"](table).set_index("group")
        assert misconduct.loc["Misconduct in interrogation: yes", "coding_rule"] == CODED_ONLY_ON_FC
        assert TABLES["co_occurring"](table).set_index("expression").loc["om_interrogation", "coding_rule"] \
            == CODED_ONLY_ON_FC


def test_official_misconduct_without_interrogation_against_no_false_confession(raw, latest):
    om = raw["Official Misconduct"] == "Yes"
    without = raw["fc"] & (raw["INT - Misconduct in Interrogation"] == "No")
    # hand-checked: 137 of 221 (62.0%) against 1,930 of 3,348 (57.6%)
    assert (int((om & without).sum()), int(without.sum())) == (137, 221)
    assert (int((om & ~raw["fc"]).sum()), int((~raw["fc"]).sum())) == (1930, 3348)
    out = TABLES["misconduct_comparison"](latest).set_index("group")
    assert out.loc["False confession without misconduct in interrogation", ["k", "n"]].tolist() == [137, 221]
    assert out.loc["No false confession", ["k", "n"]].tolist() == [1930, 3348]
    assert round(out.loc["False confession without misconduct in interrogation", "share"], 2) == 0.62
    assert round(out.loc["No false confession", "share"], 2) == 0.58
