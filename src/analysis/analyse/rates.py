"""Proportions with their uncertainty: k of n, the share k/n and a Wilson score interval.

A *rate* here is the share of records that satisfy a condition (``--of``) among the records of a group
(``--among``): ``k`` = records in the group that satisfy the condition, ``n`` = records in the group,
share = k / n. With ``n == 0`` there is no rate at all ("no data"): never a division by zero, never 0 %.
"""

from __future__ import annotations

import math
import numbers
from dataclasses import dataclass
from statistics import NormalDist

import numpy as np
import pandas as pd

__all__ = ["Rate", "format_interval", "format_share", "rate", "rate_from_masks", "wilson_bounds", "wilson_interval"]


@dataclass(frozen=True)
class Rate:
    """``k`` of ``n`` with ``share = k / n`` and a two-sided Wilson score interval at ``confidence``.

    ``share``, ``ci_low`` and ``ci_high`` are fractions in [0, 1], or None when ``n == 0`` (no data).
    """

    k: int
    n: int
    share: float | None
    ci_low: float | None
    ci_high: float | None
    confidence: float = 0.95

    @property
    def no_data(self) -> bool:
        """True when the group is empty (``n == 0``), so there is no share to report."""
        return self.n == 0

    def __str__(self) -> str:
        if self.no_data:
            return f"{self.k} of {self.n} (no data)"
        return f"{self.k:,} of {self.n:,} ({format_share(self)}, {format_interval(self)})"


def _count(value: object, name: str) -> int:
    """``value`` as a non-negative Python int; ValueError for bools, floats and other non-integers."""
    if isinstance(value, bool | np.bool_) or not isinstance(value, numbers.Integral):
        raise ValueError(f"{name} must be an integer count, not {value!r}")
    count = int(value)
    if count < 0:
        raise ValueError(f"{name} must not be negative, got {count}")
    return count


def _z(confidence: float) -> float:
    if not isinstance(confidence, numbers.Real) or isinstance(confidence, bool) or not 0 < confidence < 1:
        raise ValueError(f"confidence must be a number strictly between 0 and 1, not {confidence!r}")
    return NormalDist().inv_cdf(0.5 + float(confidence) / 2)


def wilson_interval(k: int, n: int, confidence: float = 0.95) -> tuple[float, float]:
    """Wilson score interval for a binomial proportion k/n (two-sided, at ``confidence``).

    With p = k/n and z the standard normal quantile at 1 - (1 - confidence)/2 (1.959964 for 95 %)::

        centre    = (k + z²/2) / (n + z²)
        halfwidth = z √n / (n + z²) · √(p (1 - p) + z² / (4n))
        interval  = centre ± halfwidth

    E. B. Wilson (1927), "Probable inference, the law of succession, and statistical inference",
    *Journal of the American Statistical Association* 22(158): 209-212; recommended over the Wald interval by
    L. D. Brown, T. T. Cai and A. DasGupta (2001), "Interval estimation for a binomial proportion",
    *Statistical Science* 16(2): 101-133.

    The bounds are clamped into [0, 1] and widened, if floating-point error requires, so that
    low <= k/n <= high; for k = 0 the lower bound is exactly 0.0 and for k = n the upper bound exactly 1.0.
    Raises ValueError for n == 0 (no interval), k < 0, k > n or non-integer counts.
    """
    k = _count(k, "k")
    n = _count(n, "n")
    if k > n:
        raise ValueError(f"k must not exceed n, got k={k}, n={n}")
    if n == 0:
        raise ValueError("no interval for n = 0 (no data)")
    z = _z(confidence)
    z2 = z * z
    p = k / n
    centre = (k + z2 / 2) / (n + z2)
    half = z * math.sqrt(n) / (n + z2) * math.sqrt(p * (1 - p) + z2 / (4 * n))
    low = 0.0 if k == 0 else min(max(centre - half, 0.0), p)
    high = 1.0 if k == n else max(min(centre + half, 1.0), p)
    return low, high


def wilson_bounds(share: float, n: float, confidence: float = 0.95) -> tuple[float, float]:
    """The Wilson score interval for a share observed on a (possibly fractional) sample size ``n > 0``.

    The formula of :func:`wilson_interval` with p = ``share`` and k = p·n, so that an *effective* sample size
    (n divided by a design effect, :mod:`analysis.analyse.clusters`) can be used; for whole k and n it equals
    :func:`wilson_interval`. Bounds are clamped into [0, 1] and kept on either side of the share (0 exactly for
    a share of 0, 1 exactly for a share of 1).
    """
    p, n = float(share), float(n)
    if not (0.0 <= p <= 1.0) or not math.isfinite(n) or n <= 0:
        raise ValueError(f"need 0 <= share <= 1 and a finite n > 0, got share={share!r}, n={n!r}")
    z2 = _z(confidence) ** 2
    centre = (p + z2 / (2 * n)) / (1 + z2 / n)
    half = math.sqrt(z2) / (1 + z2 / n) * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n))
    low = 0.0 if p == 0 else min(max(centre - half, 0.0), p)
    high = 1.0 if p == 1 else max(min(centre + half, 1.0), p)
    return low, high


def rate(k: int, n: int, confidence: float = 0.95) -> Rate:
    """The :class:`Rate` for k of n: share k/n and its Wilson interval; ``n == 0`` gives a no-data Rate.

    Raises ValueError for k < 0, k > n, non-integer counts or a confidence outside (0, 1).
    """
    k = _count(k, "k")
    n = _count(n, "n")
    if k > n:
        raise ValueError(f"k must not exceed n, got k={k}, n={n}")
    _z(confidence)
    if n == 0:
        return Rate(k=0, n=0, share=None, ci_low=None, ci_high=None, confidence=float(confidence))
    low, high = wilson_interval(k, n, confidence)
    return Rate(k=k, n=n, share=k / n, ci_low=low, ci_high=high, confidence=float(confidence))


def _mask(s: pd.Series, name: str) -> np.ndarray:
    if not isinstance(s, pd.Series):
        raise TypeError(f"{name} must be a pandas Series of booleans, not {type(s).__name__}")
    if not pd.api.types.is_bool_dtype(s.dtype):
        raise TypeError(f"{name} must have a bool or boolean dtype, not {s.dtype}")
    return np.asarray(s.fillna(False), dtype=bool)


def rate_from_masks(of: pd.Series, among: pd.Series, confidence: float = 0.95) -> Rate:
    """The rate of ``of`` within ``among``: k = rows where both are True, n = rows where ``among`` is True.

    Both are boolean Series over the same index (``bool`` or nullable ``boolean``; missing counts as False,
    i.e. a row counts only when known to be True, as in :meth:`analysis.analyse.filters.Expr.evaluate`).
    """
    of_mask, among_mask = _mask(of, "of"), _mask(among, "among")
    if not of.index.equals(among.index):
        raise ValueError("of and among must share the same index (masks over the same table)")
    n = int(among_mask.sum())
    k = int((of_mask & among_mask).sum())
    return rate(k, n, confidence)


def _percent(fraction: float, digits: int) -> str:
    return f"{fraction * 100:.{digits}f}"


def _confidence_label(confidence: float) -> str:
    return f"{round(confidence * 100, 6):g}%"


def format_share(rate: Rate, digits: int = 1) -> str:
    """The share as a percentage (``"24.0%"``), or ``"no data"`` when n == 0."""
    if rate.no_data or rate.share is None:
        return "no data"
    return f"{_percent(rate.share, digits)}%"


def format_interval(rate: Rate, digits: int = 1) -> str:
    """The interval as ``"95% CI 21.8–26.4%"`` (en dash), or ``"no data"`` when n == 0."""
    if rate.no_data or rate.ci_low is None or rate.ci_high is None:
        return "no data"
    low, high = _percent(rate.ci_low, digits), _percent(rate.ci_high, digits)
    return f"{_confidence_label(rate.confidence)} CI {low}–{high}%"
