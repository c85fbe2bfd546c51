"""Durations on small built tables: arrest dates with missing parts are counted by precision and never completed
by guessing, placeholder releases are left out and counted, and the Kaplan–Meier median is lifelines' and the one
computed by hand."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from lifelines import KaplanMeierFitter

from analysis.analyse.durations import (
    arrest_dates,
    duration_coverage,
    durations,
    km_curves,
    measure_years,
    years_lost_distribution,
)
from tests.unit.analyse.test_tables import canonical

DAY = pd.Timestamp


def _dates_table() -> pd.DataFrame:
    base = {"conviction_date": DAY("2001-06-01"), "exoneration_date": DAY("2011-06-01"),
            "release_date": DAY("2010-06-01"), "years_lost": 9.0, "sentence": "Life"}
    return canonical([
        {**base, "arrest_year": 2000, "arrest_month": 3, "arrest_day": 15},  # full date
        {**base, "arrest_year": 2000, "arrest_month": 3},  # day missing
        {**base, "arrest_year": 2000},  # month and day missing
        {**base},  # no arrest date at all
        {**base, "arrest_year": 2001, "arrest_month": 2, "arrest_day": 30},  # no such day
        {**base, "arrest_year": 2002, "arrest_month": 1, "arrest_day": 1},  # arrested after the conviction
        {**base, "arrest_year": 2000, "arrest_month": 1, "arrest_day": 2, "release_date": DAY("2001-06-01"),
         "years_lost": 0.0},  # placeholder release: same day as the conviction, life sentence
        {**base, "arrest_year": 1980, "arrest_month": 1, "arrest_day": 2, "pre_1989": True},  # not in population
    ])


def test_arrest_date_precision_and_no_guessing():
    out = arrest_dates(_dates_table())
    assert out["precision"].tolist() == ["day", "month", "year", "missing", "invalid", "day", "day", "day"]
    assert out["date"].iloc[0] == DAY("2000-03-15")
    assert out["date"].iloc[1:5].isna().all()  # a year and month, or a year, is not made into a date


def test_measures_by_status_and_coverage_counts():
    table = _dates_table()
    a2c = measure_years(table, "arrest_to_conviction")
    assert a2c["status"].tolist()[:7] == ["known", "arrest date has year and month only", "arrest date has year only",
                                          "arrest date not recorded or unreadable",
                                          "arrest date invalid", "end before start",
                                          "known"]
    assert a2c["years"].iloc[0] == pytest.approx((DAY("2001-06-01") - DAY("2000-03-15")).days / 365.25)
    assert a2c["years"].iloc[1:6].isna().all()
    a2r = measure_years(table, "arrest_to_release")
    assert a2r["status"].iloc[6] == "placeholder release" and math.isnan(a2r["years"].iloc[6])
    coverage = duration_coverage(table).set_index("group")
    assert coverage.loc["Arrest to conviction: known", ["k", "n"]].tolist() == [2, 7]
    assert coverage.loc["Arrest to conviction: arrest date has year and month only", "k"] == 1
    assert coverage.loc["Arrest to release: placeholder release", "k"] == 1
    assert coverage.loc["Conviction to exoneration: known", ["k", "n"]].tolist() == [7, 7]
    statuses = coverage[coverage["measure"] == "arrest_to_release"]
    assert statuses["k"].sum() == 7  # every record of the population in exactly one status


def _km_table(years_fc: list[float], years_other: list[float]) -> pd.DataFrame:
    rows = []
    for years, fc in ((years_fc, True), (years_other, False)):
        for y in years:
            conviction = DAY("1995-01-01")
            rows.append({"fc": fc, "crime_category": "Murder", "conviction_date": conviction,
                         "exoneration_date": conviction + pd.Timedelta(days=round(y * 365.25))})
    return canonical(rows)


def _hand_median(values: list[float]) -> float:
    """The smallest t at which the share still waiting is at most one half (no censoring)."""
    ordered = sorted(values)
    return ordered[math.ceil(len(ordered) / 2) - 1]


def test_km_median_is_lifelines_and_the_hand_computed_one():
    rng = np.random.default_rng(4)
    fc_years = [round(float(x), 2) for x in rng.uniform(1, 30, 9)]
    other_years = [round(float(x), 2) for x in rng.uniform(0.5, 20, 12)]
    table = _km_table(fc_years, other_years)
    out = durations(table)
    row = out[(out["measure"] == "conviction_to_exoneration") & (out["stratum"] == "All crimes")].set_index("fc_group")
    for group, values in (("False confession", fc_years), ("No false confession", other_years)):
        days = [round(y * 365.25) / 365.25 for y in values]
        lifelines_median = KaplanMeierFitter().fit(days).median_survival_time_
        assert row.loc[group, "median_years"] == pytest.approx(lifelines_median)
        assert row.loc[group, "median_years"] == pytest.approx(_hand_median(days))
        assert row.loc[group, "median_low"] <= row.loc[group, "median_years"] <= row.loc[group, "median_high"]
        assert (row.loc[group, "k"], row.loc[group, "n"]) == (len(values), len(values))
    assert 0 <= row["logrank_p"].iloc[0] <= 1
    homicide = out[(out["measure"] == "conviction_to_exoneration") & (out["stratum"] == "Homicide")]
    assert homicide["k"].tolist() == [9, 12]  # murder is homicide
    assert out[(out["stratum"] == "Sexual assault")]["n"].eq(0).all()


def test_km_curves_without_censoring_are_the_share_still_waiting():
    table = _km_table([1.0, 2.0, 3.0, 4.0], [0.2, 0.7, 1.2])
    curves = km_curves(table)
    fc = curves[(curves["stratum"] == "All crimes") & (curves["curve"] == "False confession")].set_index("years")
    assert fc.loc[0.0, "km_survival"] == 1.0
    assert fc.loc[1.5, "k"] == 3 and fc.loc[1.5, "share"] == pytest.approx(0.75)
    assert fc.loc[2.5, "km_survival"] == pytest.approx(0.5)
    assert (curves["share"].astype(float) - curves["km_survival"]).abs().max() < 1e-9
    assert (curves["km_low"] <= curves["km_survival"] + 1e-12).all()
    assert curves["group"].is_unique


def test_years_lost_distribution_keeps_placeholders_apart():
    table = canonical([
        {"fc": True, "years_lost": 0.0, "sentence": "Life", "conviction_date": DAY("2000-01-01"),
         "release_date": DAY("2000-01-01")},  # placeholder
        {"fc": True, "years_lost": 0.0, "sentence": "Probation", "conviction_date": DAY("2000-01-01"),
         "release_date": DAY("2000-01-01")},  # a real zero: not custodial
        {"fc": True, "years_lost": 11.0, "sentence": "Life"},
        {"fc": False, "years_lost": 45.0, "sentence": "Death"},
        {"fc": False, "sentence": "Death"},  # years lost not recorded
    ])
    out = years_lost_distribution(table).set_index("group")
    assert out.loc["False confession: placeholder zero", ["k", "n"]].tolist() == [1, 3]
    assert out.loc["False confession: 0–2 years", "k"] == 1
    assert out.loc["False confession: 10–12 years", "k"] == 1
    assert out.loc["No false confession: 40+ years", ["k", "n"]].tolist() == [1, 1]
    assert out.groupby("fc_group")["k"].sum().tolist() == [3, 1]
