"""Headline statistics and reports/stats.json."""

from __future__ import annotations

import datetime as dt
import json

import pandas as pd
import pytest

from analysis.analyse.definitions import DEFINITIONS
from analysis.analyse.stats import KEYS, headline_stats, write_stats
from tests.conftest import canonical_table, snap
from tests.unit.analyse.test_tables import canonical

META = {"snapshot_id": "snap", "snapshot_date": "2024-04-10", "sha256": "ab" * 32}


@pytest.fixture
def small() -> pd.DataFrame:
    return canonical([
        {"dna": True, "fc": True, "posting_date": pd.Timestamp("2017-01-01")},
        {"dna": True, "posting_date": pd.Timestamp("2017-09-30")},
        {"dna": True, "fc": True, "posting_date": pd.Timestamp("2017-10-01")},
        {"dna": False, "fc": True, "posting_date": pd.Timestamp("2016-01-01")},
        {"dna": True, "fc": True, "pre_1989": True, "posting_date": pd.Timestamp("2016-01-01")},
    ])


def test_every_named_definition_and_the_as_of_variant(small):
    stats = headline_stats(snap(small, META))
    assert [s["id"] for s in stats] == [d.id for d in DEFINITIONS] + ["fc_share_dna_as_of_2017_09_30"]
    assert all(list(s) == list(KEYS) for s in stats)
    by_id = {s["id"]: s for s in stats}
    assert (by_id["fc_share_all"]["k"], by_id["fc_share_all"]["n"]) == (3, 4)
    assert (by_id["fc_share_dna"]["k"], by_id["fc_share_dna"]["n"]) == (2, 3)
    as_of = by_id["fc_share_dna_as_of_2017_09_30"]
    assert (as_of["k"], as_of["n"], as_of["as_of"]) == (1, 2, "2017-09-30")  # posted on the day counts
    assert as_of["population_used"] == "not pre_1989 and (dna)"
    assert as_of["definition"] == by_id["fc_share_dna"]["definition"]
    assert "posted by 30 September 2017" in as_of["sentence"]
    assert {(s["snapshot"], s["snapshot_date"], s["sha256"]) for s in stats} == {
        ("snap", "2024-04-10", META["sha256"])}


def test_extra_variants_and_snapshots_without_posting_dates(small):
    stats = headline_stats(snap(small, META), extra=[("fc_share_all", dt.date(2016, 12, 31))])
    last = stats[-1]
    assert (last["id"], last["k"], last["n"]) == ("fc_share_all_as_of_2016_12_31", 1, 1)
    undated = small.assign(posting_date=pd.Series(pd.NaT, index=small.index, dtype="datetime64[ns]"))
    assert [s["id"] for s in headline_stats(snap(undated, META))] == [d.id for d in DEFINITIONS]


def test_empty_population_gives_null_shares(small):
    stats = headline_stats(snap(small.iloc[0:0], META))
    assert all(s["n"] == 0 and s["share"] is None for s in stats)


def test_write_stats_is_deterministic_sorted_and_atomic(small, tmp_path):
    stats = headline_stats(snap(small, META))
    target = tmp_path / "reports" / "stats.json"
    write_stats(stats, target, snap(small, META))
    first = target.read_bytes()
    write_stats(headline_stats(snap(small, META)), target, snap(small, META))
    assert target.read_bytes() == first
    payload = json.loads(first)
    assert {k: payload["generated_from"][k] for k in META} == META
    assert payload["generated_from"]["as_of"] is None
    assert [s["id"] for s in payload["stats"]] == [s["id"] for s in stats]
    assert list(payload["stats"][0]) == sorted(payload["stats"][0])
    assert [p.name for p in target.parent.iterdir()] == ["stats.json"]  # no temporary file left behind


def test_as_of_on_the_2024_04_10_export_gives_the_registry_total_of_that_day():
    table = canonical_table("nre-publicspreadsheet-2024-04-10.xlsx")
    stats = headline_stats(snap(table, META), extra=[("fc_share_all", dt.date(2023, 5, 20)),
                                               ("fc_share_dna", dt.date(2017, 9, 30))])
    by_id = {s["id"]: s for s in stats}
    # Counted with python-calamine on the raw xlsx (Posting Date <= 2023-05-20): 3,315 rows (the registry's
    # published total on that date), 409 with FC; DNA rows posted by 2017-09-30: 458, 103 with FC.
    # All rows: 3,497 and 441 FC; DNA 596 with 143 FC (SOURCES.md section 6).
    assert (by_id["fc_share_all_as_of_2023_05_20"]["n"], by_id["fc_share_all_as_of_2023_05_20"]["k"]) == (3315, 409)
    assert (by_id["fc_share_dna_as_of_2017_09_30"]["n"], by_id["fc_share_dna_as_of_2017_09_30"]["k"]) == (458, 103)
    assert (by_id["fc_share_all"]["n"], by_id["fc_share_all"]["k"]) == (3497, 441)
    assert (by_id["fc_share_dna"]["n"], by_id["fc_share_dna"]["k"]) == (596, 143)


def _grouped(rows: int = 40) -> pd.DataFrame:
    """DNA records in pairs of co-defendants who share their false confession (or both lack one)."""
    return canonical([{"dna": True, "fc": i % 4 < 2, "codefendant_group": f"G{i // 2}", "age": 30}
                      for i in range(rows)])


def test_cluster_keys_and_the_sentence_allowing_for_co_defendant_groups():
    stats = {s["id"]: s for s in headline_stats(snap(_grouped(), META))}
    dna = stats["fc_share_dna"]
    assert {"ci_cluster_low", "ci_cluster_high", "design_effect", "cluster_note"} <= set(dna)
    assert (dna["k"], dna["n"]) == (20, 40)
    # 20 pairs: 10 with y = 2, 10 with y = 0, p = 1/2: residuals ±1, var = 20/19 * 20 / 1600; deff = var / (1/160)
    assert dna["design_effect"] == pytest.approx((20 / 19 * 20 / 1600) * 160)
    assert dna["ci_cluster_low"] < dna["ci_low"] and dna["ci_cluster_high"] > dna["ci_high"]
    assert dna["cluster_note"] is None
    low, high = (f"{dna[k] * 100:.1f}" for k in ("ci_cluster_low", "ci_cluster_high"))
    assert f"95% CI {low}–{high}%, allowing for co-defendant groups" in dna["sentence"]


def test_cluster_keys_are_missing_with_the_reason_on_an_export_without_groups(small):
    for stat in headline_stats(snap(small, META)):
        assert stat["ci_cluster_low"] is None and stat["ci_cluster_high"] is None and stat["design_effect"] is None
        assert stat["cluster_note"] == "co-defendant groups not recorded in this export"
        assert "allowing for co-defendant groups" not in stat["sentence"]


def test_a_definition_whose_column_is_not_recorded_has_no_share_and_says_why(small):
    stats = {s["id"]: s for s in headline_stats(snap(small, META))}  # no ages at all: juvenile not recorded
    juvenile = stats["fc_share_juvenile"]
    assert (juvenile["k"], juvenile["n"], juvenile["share"]) == (0, 0, None)
    assert "`juvenile` is not recorded in this export" in juvenile["sentence"]
    assert stats["fc_share_all"]["share"] == 0.75
