"""Rates k of n with Wilson score intervals: known values, edge cases and properties."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.analyse.rates import (
    Rate,
    format_interval,
    format_share,
    rate,
    rate_from_masks,
    wilson_bounds,
    wilson_interval,
)

FAST = settings(max_examples=200, deadline=None)


@st.composite
def counts(draw: st.DrawFn, max_n: int = 1_000_000) -> tuple[int, int]:
    n = draw(st.integers(1, max_n))
    k = draw(st.integers(0, n) | st.sampled_from([0, n]))
    return k, n


# ---------------------------------------------------------------------------------------------------------
# Known values
# ---------------------------------------------------------------------------------------------------------


def test_wilson_81_of_263_matches_hand_computation() -> None:
    # Wilson (1927) score interval, 95 %: z = NormalDist().inv_cdf(0.975) = 1.959964, z² = 3.841459.
    #   p         = 81 / 263                                   = 0.307985
    #   centre    = (k + z²/2) / (n + z²) = 82.920729 / 266.841459 = 0.310749
    #   p(1 - p)  = 0.307985 × 0.692015                        = 0.213130
    #   z²/(4n)   = 3.841459 / 1052                            = 0.003652
    #   root      = √(0.213130 + 0.003652) = √0.216782          = 0.465598
    #   scale     = z √n / (n + z²) = 1.959964 × 16.217275 / 266.841459 = 0.119117
    #   half      = scale × root = 0.119117 × 0.465598          = 0.055461
    #   interval  = 0.310749 ∓ 0.055461                         = [0.255288, 0.366210]
    low, high = wilson_interval(81, 263)
    assert low == pytest.approx(0.255288, abs=2e-6)
    assert high == pytest.approx(0.366210, abs=2e-6)
    r = rate(81, 263)
    assert (r.k, r.n) == (81, 263)
    assert r.share == pytest.approx(0.307985, abs=1e-6)
    assert (r.ci_low, r.ci_high) == (low, high)
    assert format_share(r) == "30.8%"
    assert format_interval(r) == "95% CI 25.5–36.6%"
    assert str(r) == "81 of 263 (30.8%, 95% CI 25.5–36.6%)"


def test_wilson_published_extremes() -> None:
    # The 95 % Wilson interval for 0 of 10 is [0, 0.2775] and for 10 of 10 [0.7225, 1]: for k = 0 the upper
    # bound reduces to z² / (n + z²) = 3.841459 / 13.841459 = 0.277533, and k = n mirrors it.
    low, high = wilson_interval(0, 10)
    assert low == 0.0
    assert high == pytest.approx(0.2775, abs=5e-5)
    low, high = wilson_interval(10, 10)
    assert low == pytest.approx(0.7225, abs=5e-5)
    assert high == 1.0


@pytest.mark.parametrize(
    ("k", "n", "low", "high"),
    [(81, 263, 0.2553, 0.3662), (15, 148, 0.0624, 0.1605), (0, 20, 0.0, 0.1611), (1, 29, 0.0061, 0.1718)],
)
def test_wilson_matches_newcombe_table_1(k: int, n: int, low: float, high: float) -> None:
    # R. G. Newcombe (1998), "Two-sided confidence intervals for the single proportion: comparison of seven
    # methods", Statistics in Medicine 17: 857-872, Table I, method 3 (score interval without continuity
    # correction), to 4 decimals.
    got_low, got_high = wilson_interval(k, n)
    assert (round(got_low, 4), round(got_high, 4)) == (low, high)


def test_other_confidence_levels() -> None:
    r90, r95, r99 = (rate(81, 263, c) for c in (0.90, 0.95, 0.99))
    assert r99.ci_low < r95.ci_low < r90.ci_low < r90.share < r90.ci_high < r95.ci_high < r99.ci_high
    assert format_interval(r90).startswith("90% CI ")
    assert format_interval(rate(5, 10, 0.999)).startswith("99.9% CI ")


# ---------------------------------------------------------------------------------------------------------
# No data and bad input
# ---------------------------------------------------------------------------------------------------------


def test_no_data() -> None:
    r = rate(0, 0)
    assert r.no_data
    assert (r.k, r.n, r.share, r.ci_low, r.ci_high) == (0, 0, None, None, None)
    assert format_share(r) == "no data"
    assert format_interval(r) == "no data"
    assert "no data" in str(r)
    with pytest.raises(ValueError):
        wilson_interval(0, 0)


@pytest.mark.parametrize(
    ("k", "n"),
    [(-1, 5), (6, 5), (1, -1), (1.0, 5), (1, 5.0), (0.5, 1), (True, 2), ("1", 2), (None, 2), (1, math.nan)],
)
def test_bad_counts(k: object, n: object) -> None:
    with pytest.raises(ValueError):
        rate(k, n)  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        wilson_interval(k, n)  # type: ignore[arg-type]


@pytest.mark.parametrize("confidence", [0, 1, -0.5, 1.5, math.nan, True])
def test_bad_confidence(confidence: float) -> None:
    with pytest.raises(ValueError):
        rate(1, 2, confidence)


def test_numpy_integers_are_counts() -> None:
    r = rate(np.int64(3), np.int32(4))
    assert (r.k, r.n) == (3, 4) and type(r.k) is int and type(r.n) is int


def test_format_examples() -> None:
    r = Rate(k=240, n=1000, share=0.24, ci_low=0.218, ci_high=0.264)
    assert format_share(r) == "24.0%"
    assert format_share(r, digits=0) == "24%"
    assert format_interval(r) == "95% CI 21.8–26.4%"
    assert format_share(rate(1, 3), digits=2) == "33.33%"


def test_rate_is_frozen() -> None:
    r = rate(1, 2)
    with pytest.raises(AttributeError):
        r.k = 2  # type: ignore[misc]


# ---------------------------------------------------------------------------------------------------------
# Masks
# ---------------------------------------------------------------------------------------------------------


def test_rate_from_masks_counts_known_true_only() -> None:
    idx = pd.Index([10, 11, 12, 13, 14, 15])
    of = pd.Series([True, True, None, False, True, None], index=idx, dtype="boolean")
    among = pd.Series([True, False, True, True, None, True], index=idx, dtype="boolean")
    r = rate_from_masks(of, among)
    assert (r.k, r.n) == (1, 4)
    r = rate_from_masks(of.fillna(False).astype(bool), pd.Series(True, index=idx))
    assert (r.k, r.n) == (3, 6)


def test_rate_from_masks_empty_group_is_no_data() -> None:
    of = pd.Series([True, False])
    assert rate_from_masks(of, pd.Series([False, False])).no_data
    assert rate_from_masks(pd.Series([], dtype=bool), pd.Series([], dtype=bool)).no_data


def test_rate_from_masks_rejects_mismatch() -> None:
    with pytest.raises(ValueError):
        rate_from_masks(pd.Series([True], index=[1]), pd.Series([True], index=[2]))
    with pytest.raises(TypeError):
        rate_from_masks(pd.Series([1, 0]), pd.Series([True, True]))
    with pytest.raises(TypeError):
        rate_from_masks([True], pd.Series([True]))  # type: ignore[arg-type]


@FAST
@given(st.lists(st.tuples(st.sampled_from([True, False, None]), st.sampled_from([True, False, None])),
                max_size=40))
def test_rate_from_masks_matches_plain_count(rows: list[tuple[bool | None, bool | None]]) -> None:
    of = pd.Series([a for a, _ in rows], dtype="boolean")
    among = pd.Series([b for _, b in rows], dtype="boolean")
    r = rate_from_masks(of, among)
    assert r.n == sum(1 for _, b in rows if b is True)
    assert r.k == sum(1 for a, b in rows if a is True and b is True)


# ---------------------------------------------------------------------------------------------------------
# Properties
# ---------------------------------------------------------------------------------------------------------


@FAST
@given(counts(), st.floats(0.5, 0.9999))
def test_interval_contains_share_and_stays_in_unit_interval(kn: tuple[int, int], confidence: float) -> None:
    k, n = kn
    r = rate(k, n, confidence)
    assert not r.no_data
    assert r.share == k / n
    assert 0.0 <= r.ci_low <= r.share <= r.ci_high <= 1.0
    assert r.ci_low < r.ci_high
    if k == 0:
        assert r.ci_low == 0.0
    if k == n:
        assert r.ci_high == 1.0
    low, high = wilson_interval(k, n, confidence)
    assert (low, high) == (r.ci_low, r.ci_high)
    assert format_share(r).endswith("%") and format_interval(r).count("%") == 2


@FAST
@given(counts(max_n=100_000))
def test_interval_is_symmetric(kn: tuple[int, int]) -> None:
    k, n = kn
    low, high = wilson_interval(k, n)
    low2, high2 = wilson_interval(n - k, n)
    assert low == pytest.approx(1 - high2, abs=1e-12)
    assert high == pytest.approx(1 - low2, abs=1e-12)


@FAST
@given(counts(max_n=1_000), st.integers(1, 50))
def test_interval_narrows_as_n_grows_at_fixed_share(kn: tuple[int, int], m: int) -> None:
    k, n = kn
    low1, high1 = wilson_interval(m * k, m * n)
    low2, high2 = wilson_interval((m + 1) * k, (m + 1) * n)
    assert high2 - low2 <= high1 - low1 + 1e-12


@FAST
@given(counts(max_n=10_000), st.floats(0.5, 0.98), st.floats(0.001, 0.01))
def test_interval_widens_with_confidence(kn: tuple[int, int], confidence: float, more: float) -> None:
    k, n = kn
    low1, high1 = wilson_interval(k, n, confidence)
    low2, high2 = wilson_interval(k, n, confidence + more)
    assert low2 <= low1 + 1e-12 and high1 <= high2 + 1e-12


@FAST
@given(counts())
def test_wilson_bounds_on_whole_counts_equal_wilson_interval(kn):
    k, n = kn
    assert wilson_bounds(k / n, n) == pytest.approx(wilson_interval(k, n), abs=1e-12)


def test_wilson_bounds_on_an_effective_sample_size_widen_as_n_shrinks():
    wide, narrow = wilson_bounds(0.25, 400.5), wilson_bounds(0.25, 600)
    assert wide[0] < narrow[0] < 0.25 < narrow[1] < wide[1]
    assert wilson_bounds(0.0, 2.5)[0] == 0.0 and wilson_bounds(1.0, 2.5)[1] == 1.0
    for bad in ((0.5, 0), (1.5, 10), (0.5, float("nan"))):
        with pytest.raises(ValueError):
            wilson_bounds(*bad)
