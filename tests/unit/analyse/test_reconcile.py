"""The 32% question: the grid of definitions, its numbers, and a paragraph whose numbers all come from the table."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from analysis.analyse.rates import wilson_interval
from analysis.analyse.reconcile import IP_CLAIM, NOT_AVAILABLE, reconciliation, reconciliation_paragraph
from analysis.snapshot import Snapshot
from tests.conftest import snap
from tests.unit.analyse.test_tables import canonical

COLUMNS = ["definition", "dna_definition", "confession_definition", "when", "crimes", "snapshot", "k", "n", "share",
           "ci_low", "ci_high", "interval_contains_32", "distance_from_32"]
ANY, CENTRAL = "DNA in any role", "DNA central, not a minor factor"
FC, FC_CDC, FC_CDC_PLEA = ("exoneree's own false confession", "own or a co-defendant's confession",
                           "own or a co-defendant's confession, or a guilty plea")


def day(text: str) -> pd.Timestamp:
    return pd.Timestamp(text)


@pytest.fixture
def latest() -> Snapshot:
    table = canonical([
        {"dna": True, "fc": True, "homicide": True, "posting_date": day("2015-01-01")},
        {"dna": True, "codefendant_confessed": True, "posting_date": day("2016-01-01")},
        {"dna": True, "guilty_plea": True, "homicide": True, "posting_date": day("2018-01-01")},
        {"dna": True, "posting_date": day("2019-01-01")},
        {"dna": False, "fc": True, "posting_date": day("2015-01-01")},
        {"dna": True, "fc": True, "pre_1989": True, "posting_date": day("2015-01-01")},
    ])
    return snap(table, {"snapshot_id": "new", "snapshot_date": "2026-06-26"})


@pytest.fixture
def july_2017() -> Snapshot:
    table = canonical([
        {"dna": True, "dna_minor": False, "fc": True, "posting_date": day("2014-01-01")},
        {"dna": True, "dna_minor": True, "codefendant_confessed": True, "posting_date": day("2014-01-01")},
        {"dna": False, "dna_minor": False, "posting_date": day("2014-01-01")},
    ])
    return snap(table, {"snapshot_id": "old", "snapshot_date": "2017-07-06"})


def counts(df: pd.DataFrame, when_start: str, dna: str, crimes: str) -> list[tuple[int, int]]:
    sel = df[df["when"].str.startswith(when_start) & (df["dna_definition"] == dna) & (df["crimes"] == crimes)]
    return [(int(r.k), int(r.n)) for r in sel.set_index("confession_definition").loc[[FC, FC_CDC, FC_CDC_PLEA]]
            .itertuples()]


def test_grid_of_definitions_on_a_synthetic_table(latest, july_2017):
    df = reconciliation(latest, july_2017)
    assert list(df.columns[:len(COLUMNS)]) == COLUMNS
    # latest: 2 crimes x 3 confessions (+1 'not available' DNA-central row), the same as of 2017-09-30,
    # and the 2017 snapshot: 2 crimes x 2 DNA definitions x 3 confessions
    assert len(df) == 7 + 7 + 12
    assert counts(df, "latest", ANY, "all crimes") == [(1, 4), (2, 4), (3, 4)]
    assert counts(df, "latest", ANY, "homicide only") == [(1, 2), (1, 2), (2, 2)]
    assert counts(df, "registry as of 30 September 2017", ANY, "all crimes") == [(1, 2), (2, 2), (2, 2)]
    assert counts(df, "registry as of 30 September 2017", ANY, "homicide only") == [(1, 1), (1, 1), (1, 1)]
    assert counts(df, "snapshot of 6 July 2017", ANY, "all crimes") == [(1, 2), (2, 2), (2, 2)]
    assert counts(df, "snapshot of 6 July 2017", CENTRAL, "all crimes") == [(1, 1), (1, 1), (1, 1)]
    assert counts(df, "snapshot of 6 July 2017", CENTRAL, "homicide only") == [(0, 0)] * 3
    missing = df[df["definition"].str.contains(NOT_AVAILABLE)]
    assert missing["dna_definition"].tolist() == [CENTRAL, CENTRAL]
    assert (missing["n"] == 0).all() and missing["share"].isna().all()
    assert set(df.loc[df["when"].str.startswith("registry"), "as_of"]) == {"2017-09-30"}
    assert df.loc[~df["when"].str.startswith("registry"), "as_of"].isna().all()


def test_interval_and_distance_columns(latest, july_2017):
    df = reconciliation(latest, july_2017)
    for r in df[df["n"] > 0].itertuples():
        low, high = wilson_interval(int(r.k), int(r.n))
        assert (r.ci_low, r.ci_high) == pytest.approx((low, high))
        assert r.interval_contains_32 == (low <= IP_CLAIM <= high)
        assert r.distance_from_32 == pytest.approx(r.k / r.n - 0.32)
    empty = df[df["n"] == 0]
    assert not empty["interval_contains_32"].any()
    assert empty["distance_from_32"].isna().all()
    assert df["interval_contains_32"].dtype == bool


def test_without_the_2017_snapshot_and_without_posting_dates(latest):
    assert len(reconciliation(latest)) == 14
    table = latest.table
    undated = table.assign(posting_date=pd.Series(pd.NaT, index=table.index, dtype="datetime64[ns]"))
    df = reconciliation(snap(undated, latest.source.to_json()))
    as_of = df[df["when"].str.startswith("registry")]
    assert len(as_of) == 1 and as_of["n"].iloc[0] == 0
    assert "no posting dates" in as_of["definition"].iloc[0]


def numbers_allowed(df: pd.DataFrame) -> set[str]:
    """Every number the paragraph may print: formatted from the table (values, dates, how many rows are close to
    32%), plus 32 (the claim), 95 (the CI level) and 1989 (the population)."""
    allowed = {"32", "95", "1989", str(int(df["interval_contains_32"].sum())), str(int((df["n"] > 0).sum()))}
    for r in df.itertuples():
        allowed |= set(re.findall(r"\d+", str(r.when)))
        if r.n > 0:
            allowed |= {f"{r.k:,}", f"{r.n:,}", f"{r.share * 100:.1f}", f"{r.ci_low * 100:.1f}",
                        f"{r.ci_high * 100:.1f}"}
    return allowed


def paragraph_numbers(text: str) -> list[str]:
    return re.findall(r"\d[\d,]*(?:\.\d+)?", text.replace(",)", ")").replace(", ", " "))


def check_paragraph(df: pd.DataFrame) -> str:
    text = reconciliation_paragraph(df)
    found = paragraph_numbers(text)
    assert found, text
    assert set(found) <= numbers_allowed(df), set(found) - numbers_allowed(df)
    return text


def test_paragraph_numbers_come_from_the_table(latest, july_2017):
    df = reconciliation(latest, july_2017)
    text = check_paragraph(df)
    base = df[df["when"].str.startswith("latest") & (df["dna_definition"] == ANY) & (df["crimes"] == "all crimes")
              & (df["confession_definition"] == FC)].iloc[0]
    assert f"{base['k']} of the {base['n']} DNA exonerations since 1989 ({base['share'] * 100:.1f}%" in text
    assert "false confessions or admissions" in text
    assert "32%" in text
    # a changed table changes the paragraph: nothing is typed in
    changed = df.copy()
    changed.loc[base.name, "k"] = 3
    changed.loc[base.name, "share"] = 0.75
    assert "3 of the 4 DNA exonerations since 1989 (75.0%" in reconciliation_paragraph(changed)


def test_paragraph_names_what_the_close_definitions_share(latest, july_2017):
    df = reconciliation(latest, july_2017)
    close = df[df["interval_contains_32"]]
    text = reconciliation_paragraph(df)
    assert f"{len(close)} of the {int((df['n'] > 0).sum())} definitions computed" in text


# ---------------------------------------------------------------------------------------------------------
# The real exports
# ---------------------------------------------------------------------------------------------------------






