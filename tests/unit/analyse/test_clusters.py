"""Co-defendant groups: group ids, the cluster variance and design effect, the interval, the bootstrap, and their
place in the tables and stats.json (small built frames, every number computed by hand or by statsmodels)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from analysis.analyse.clusters import (
    NOT_RECORDED,
    bootstrap_interval,
    cluster_ids,
    cluster_rate,
    cluster_rate_from_masks,
)
from analysis.analyse.rates import wilson_interval
from analysis.analyse.tables import share_by
from tests.unit.analyse.test_tables import canonical

Z = 1.959963984540054


def wilson_by_hand(p: float, n: float) -> tuple[float, float]:
    """Wilson's formula written out here, independently of the project's code."""
    centre = (p + Z * Z / (2 * n)) / (1 + Z * Z / n)
    half = Z / (1 + Z * Z / n) * math.sqrt(p * (1 - p) / n + Z * Z / (4 * n * n))
    return centre - half, centre + half


def test_group_ids_join_records_that_share_any_reference_and_leave_the_rest_alone():
    table = pd.DataFrame({"codefendant_group": pd.Series(["A", "A, B", "B", None, "C", "C", None], dtype="string")})
    ids = cluster_ids(table)
    assert ids.index.equals(table.index)
    assert ids[0] == ids[1] == ids[2]  # A and B are joined by the second record
    assert ids[4] == ids[5] and ids[4] != ids[0]
    assert ids.nunique() == 4  # {A, B}, {C}, and the two records without a group, each on its own
    assert ids[3] != ids[6]


def test_no_group_column_or_an_empty_one_is_not_recorded():
    assert cluster_ids(pd.DataFrame({"x": [1, 2]})) is None
    assert cluster_ids(pd.DataFrame({"codefendant_group": pd.Series([None, None], dtype="string")})) is None
    of, among = pd.Series([True, False]), pd.Series([True, True])
    got = cluster_rate_from_masks(of, among, None)
    assert (got.k, got.n, got.note) == (1, 2, NOT_RECORDED)
    assert got.ci_low is got.ci_high is got.design_effect is None


def test_hand_computed_variance_design_effect_and_interval():
    # groups (y, m): (2, 2), (0, 2), (1, 1), (0, 1): n = 6, k = 3, p = 1/2, G = 4
    # residuals y - p m: 1, -1, 1/2, -1/2 -> sum of squares 2.5; var = 4/3 * 2.5 / 36 = 10/108
    got = cluster_rate(np.array([2, 0, 1, 0]), np.array([2, 2, 1, 1]))
    assert (got.k, got.n, got.groups) == (3, 6, 4)
    assert got.variance == pytest.approx(10 / 108)
    assert got.design_effect == pytest.approx((10 / 108) / (0.25 / 6))  # 2.222…
    assert got.n_effective == pytest.approx(6 / got.design_effect)
    assert (got.ci_low, got.ci_high) == pytest.approx(wilson_by_hand(0.5, 2.7))
    low, high = wilson_interval(3, 6)
    assert got.ci_low < low and got.ci_high > high  # wider than Wilson
    assert got.note is None


def test_variance_agrees_with_statsmodels_cluster_robust_mean():
    sm = pytest.importorskip("statsmodels.api")
    rng = np.random.default_rng(7)
    groups = np.repeat(np.arange(40), rng.integers(1, 6, size=40))
    y = (rng.random(len(groups)) < 0.3 + 0.4 * (groups % 2)).astype(float)
    fit = sm.OLS(y, np.ones(len(y))).fit(cov_type="cluster", cov_kwds={"groups": groups, "use_correction": False})
    g = len(np.unique(groups))
    ours = cluster_rate_from_masks(pd.Series(y.astype(bool)), pd.Series(True, index=range(len(y))),
                                   pd.Series(groups))
    assert ours.variance == pytest.approx(fit.cov_params()[0, 0] * g / (g - 1), rel=1e-9)


def test_singleton_groups_give_a_design_effect_of_n_over_n_minus_1():
    y = np.array([1, 0, 0, 1, 0, 0, 0, 1, 0, 0])
    got = cluster_rate(y, np.ones(10))
    assert got.design_effect == pytest.approx(10 / 9)
    assert got.n_effective == pytest.approx(9)  # n / deff
    assert (got.ci_low, got.ci_high) == pytest.approx(wilson_by_hand(0.3, 9))


def test_no_variation_uses_the_number_of_groups_and_reports_no_design_effect():
    got = cluster_rate(np.array([0, 0, 0]), np.array([3, 2, 1]))
    assert (got.k, got.n, got.groups, got.design_effect) == (0, 6, 3, None)
    assert got.ci_low == 0.0 and got.ci_high == pytest.approx(wilson_by_hand(0.0, 3)[1])
    assert "undefined" in got.note


def test_mixed_groups_can_give_a_design_effect_below_1_but_never_a_narrower_interval():
    got = cluster_rate(np.array([1, 1, 1, 1]), np.array([2, 2, 2, 2]))  # every group one yes, one no
    assert got.design_effect == pytest.approx(0.0)
    assert (got.ci_low, got.ci_high) == pytest.approx(wilson_interval(4, 8))


def test_one_group_or_no_records_says_why():
    assert "single" in cluster_rate(np.array([1]), np.array([3])).note
    empty = cluster_rate(np.array([]), np.array([]))
    assert (empty.n, empty.share, empty.ci_low) == (0, None, None)


def test_bootstrap_is_seeded_and_agrees_with_the_analytic_interval_on_a_clustered_frame():
    rng = np.random.default_rng(3)
    groups = np.repeat(np.arange(300), rng.integers(1, 5, size=300))
    group_p = rng.beta(1, 3, size=300)
    y = pd.Series(rng.random(len(groups)) < group_p[groups])
    among, clusters = pd.Series(True, index=y.index), pd.Series(groups)
    first = bootstrap_interval(y, among, clusters, reps=1000, seed=11)
    assert first == bootstrap_interval(y, among, clusters, reps=1000, seed=11)
    assert first != bootstrap_interval(y, among, clusters, reps=1000, seed=12)
    analytic = cluster_rate_from_masks(y, among, clusters)
    assert analytic.design_effect > 1.2
    assert first.se == pytest.approx(math.sqrt(analytic.variance), rel=0.15)
    assert abs(first.low - analytic.ci_low) < 0.015 and abs(first.high - analytic.ci_high) < 0.015


def test_share_by_gains_cluster_columns_and_says_when_groups_are_not_recorded():
    rows = [{"race": "Black", "fc": True, "codefendant_group": "G1"}, {"race": "Black", "fc": True,
            "codefendant_group": "G1"}, {"race": "Black"}, {"race": "Black"}, {"race": "White", "fc": True},
            {"race": "White"}, {"race": "White", "fc": True, "codefendant_group": "G2"},
            {"race": "White", "codefendant_group": "G2"}]
    out = share_by(canonical(rows), "race")
    assert list(out.columns) == ["group", "n", "k", "share", "ci_low", "ci_high", "ci_cluster_low",
                                 "ci_cluster_high", "design_effect", "cluster_note"]
    black = out[out["group"] == "Black"].iloc[0]
    # Black: groups (y, m) = (2, 2), (0, 1), (0, 1): p = 1/2, residuals 1, -1/2, -1/2 -> 1.5; var = 3/2 * 1.5 / 16
    expected = cluster_rate(np.array([2, 0, 0]), np.array([2, 1, 1]))
    assert black["design_effect"] == pytest.approx((1.5 * 1.5 / 16) / (0.25 / 4))
    assert (black["ci_cluster_low"], black["ci_cluster_high"]) == pytest.approx((expected.ci_low, expected.ci_high))
    assert pd.isna(black["cluster_note"])
    no_groups = share_by(canonical([{k: v for k, v in r.items() if k != "codefendant_group"} for r in rows]), "race")
    assert no_groups["ci_cluster_low"].isna().all() and no_groups["design_effect"].isna().all()
    assert set(no_groups["cluster_note"]) == {NOT_RECORDED}
    assert no_groups["ci_low"].tolist() == out["ci_low"].tolist()  # Wilson unchanged
