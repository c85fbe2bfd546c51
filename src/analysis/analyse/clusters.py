"""Shares whose records come in co-defendant groups: the cluster (ratio-estimator) variance, the design effect,
a cluster-aware 95% interval, and a seeded cluster bootstrap to check it.

Exonerations are not independent draws: exonerated co-defendants (the 2026 export's ``codefendant_group``) share
the facts of one case, so they tend to share factors such as a false confession. Treating them as independent
makes a Wilson interval too narrow.

Definitions, for a share p = k/n over the records of a population, grouped into G co-defendant groups g (a
record without a group is a group of its own; records sharing any reference are one group), with m_g records
and y_g of them meeting the condition:

* **cluster variance** (ratio estimator, Taylor linearisation)::

      var_cluster = G / (G − 1) · Σ_g (y_g − p · m_g)² / (Σ_g m_g)²

* **design effect** ``deff = var_cluster / (p (1 − p) / n)``: how many times the variance of independent
  records. With singleton groups only it is n / (n − 1) ≈ 1. It is reported as computed; a value below 1 means
  the groups are *more mixed* than independent records would be (co-defendants tend to differ on the
  condition), which would make the cluster variance smaller than the simple one.
* **cluster-aware interval**: the Wilson interval (:func:`analysis.analyse.rates.wilson_bounds`) of p on the
  *effective sample size* ``n_eff = n / max(deff, 1)``: never narrower than Wilson. When k = 0 or k = n the
  design effect is undefined (no variation to measure): the interval then takes ``n_eff = G`` (each group
  counts once), the most cautious choice, and ``design_effect`` is missing.
* an export without groups (every public spreadsheet before 2026) has no cluster interval at all:
  its cluster columns are missing with the reason :data:`NOT_RECORDED`, never silently equal to Wilson.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from analysis.analyse.rates import wilson_bounds

__all__ = ["BOOTSTRAP_REPS", "BOOTSTRAP_SEED", "CLUSTER_COLUMNS", "GROUP_COLUMN", "NOT_RECORDED", "Bootstrap",
           "ClusterRate", "bootstrap_interval", "cluster_ids", "cluster_rate", "cluster_rate_from_masks",
           "groups_recorded"]

GROUP_COLUMN = "codefendant_group"
NOT_RECORDED = "co-defendant groups not recorded in this export"
NO_DATA = "no records in the group"
ONE_GROUP = "a single co-defendant group: no variation between groups to measure"
NO_VARIATION = ("no variation (k = 0 or k = n): design effect undefined; interval on the number of groups as the "
                "effective sample size")
CLUSTER_COLUMNS = ["ci_cluster_low", "ci_cluster_high", "design_effect", "cluster_note"]
"""The columns a table row or a stat gains (``cluster_note``: why the others are missing, or a caveat)."""
BOOTSTRAP_REPS = 2_000
BOOTSTRAP_SEED = 20_260_601


def groups_recorded(table: pd.DataFrame) -> bool:
    """Whether the export records co-defendant groups: the column exists and is not missing in every row."""
    return GROUP_COLUMN in table.columns and bool(table[GROUP_COLUMN].notna().any())


def cluster_ids(table: pd.DataFrame) -> pd.Series | None:
    """The co-defendant group of each record, as an integer label over ``table.index``; None when the export does
    not record groups (:func:`groups_recorded`).

    A record's references are its ``codefendant_group`` split at commas (``"NE1, NE2"``); records that share any
    reference are in one group (connected components); a record without a reference is a group of its own.
    """
    if not groups_recorded(table):
        return None
    refs = table[GROUP_COLUMN].astype(object).reset_index(drop=True)
    words = refs.dropna().map(lambda text: [w.strip() for w in str(text).split(",") if w.strip()]).explode()
    words = words.dropna()
    codes, _ = pd.factorize(words.to_numpy())
    n, r = len(table), int(codes.max()) + 1 if len(codes) else 0
    rows = words.index.to_numpy(dtype=np.int64)
    graph = coo_matrix((np.ones(len(rows)), (rows, n + codes)), shape=(n + r, n + r))
    _, labels = connected_components(graph, directed=False)
    return pd.Series(labels[:n].astype(np.int64), index=table.index, name="cluster")


@dataclass(frozen=True)
class ClusterRate:
    """k of n in G groups: the share, cluster variance, design effect and cluster-aware interval (see the module
    docstring); ``note`` says why values are missing (None when all are computed)."""

    k: int
    n: int
    groups: int
    share: float | None
    variance: float | None
    design_effect: float | None
    n_effective: float | None
    ci_low: float | None
    ci_high: float | None
    note: str | None = None

    def columns(self) -> dict:
        """The :data:`CLUSTER_COLUMNS` of a table row or stat."""
        return {"ci_cluster_low": self.ci_low, "ci_cluster_high": self.ci_high,
                "design_effect": self.design_effect, "cluster_note": self.note}

    @classmethod
    def missing(cls, note: str, k: int = 0, n: int = 0) -> ClusterRate:
        return cls(k, n, 0, k / n if n else None, None, None, None, None, None, note)


def cluster_rate(y: np.ndarray, m: np.ndarray, confidence: float = 0.95) -> ClusterRate:
    """The :class:`ClusterRate` from per-group counts: ``y[g]`` records meeting the condition of ``m[g]``
    (groups with m = 0 are ignored)."""
    y, m = np.asarray(y, dtype=float), np.asarray(m, dtype=float)
    keep = m > 0
    y, m = y[keep], m[keep]
    k, n, g = int(round(y.sum())), int(round(m.sum())), int(keep.sum())
    if n == 0:
        return ClusterRate.missing(NO_DATA)
    p = k / n
    if g < 2:
        return ClusterRate(k, n, g, p, None, None, None, None, None, ONE_GROUP)
    variance = g / (g - 1) * float(((y - p * m) ** 2).sum()) / n**2
    if k in (0, n):
        low, high = wilson_bounds(p, g, confidence)
        return ClusterRate(k, n, g, p, variance, None, float(g), low, high, NO_VARIATION)
    deff = variance / (p * (1 - p) / n)
    n_eff = n / max(deff, 1.0)
    low, high = wilson_bounds(p, n_eff, confidence)
    return ClusterRate(k, n, g, p, variance, deff, n_eff, low, high)


def _per_group(of: pd.Series, among: pd.Series, clusters: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    among_mask = np.asarray(among.fillna(False), dtype=bool)
    of_mask = np.asarray(of.fillna(False), dtype=bool) & among_mask
    labels = np.asarray(clusters)[among_mask]
    _, inverse = np.unique(labels, return_inverse=True)
    return np.bincount(inverse, weights=of_mask[among_mask].astype(float)), np.bincount(inverse).astype(float)


def cluster_rate_from_masks(of: pd.Series, among: pd.Series, clusters: pd.Series | None,
                            confidence: float = 0.95) -> ClusterRate:
    """The :class:`ClusterRate` of ``of`` within ``among`` (boolean Series over one index; missing counts as
    False, as in :func:`analysis.analyse.rates.rate_from_masks`), grouped by ``clusters`` (from
    :func:`cluster_ids`; None: groups not recorded, every value missing with :data:`NOT_RECORDED`)."""
    if clusters is None:
        among_mask = np.asarray(among.fillna(False), dtype=bool)
        k = int((np.asarray(of.fillna(False), dtype=bool) & among_mask).sum())
        return ClusterRate.missing(NOT_RECORDED, k, int(among_mask.sum()))
    if not (of.index.equals(among.index) and among.index.equals(clusters.index)):
        raise ValueError("of, among and clusters must share the same index (over the same table)")
    y, m = _per_group(of, among, clusters)
    return cluster_rate(y, m, confidence)


@dataclass(frozen=True)
class Bootstrap:
    """A percentile cluster-bootstrap interval: ``reps`` resamples of whole groups with ``seed``; ``se`` is the
    standard deviation of the resampled shares."""

    low: float
    high: float
    se: float
    reps: int
    seed: int


def bootstrap_interval(of: pd.Series, among: pd.Series, clusters: pd.Series, *, reps: int = BOOTSTRAP_REPS,
                       seed: int = BOOTSTRAP_SEED, confidence: float = 0.95) -> Bootstrap:
    """Seeded cluster bootstrap of the share of ``of`` within ``among``: draw G groups with replacement from the
    G groups of the population, ``reps`` times (numpy ``default_rng(seed)``), take Σy/Σm each time; the interval
    is the (1 ± confidence)/2 percentiles. Used to check :func:`cluster_rate_from_masks`, not in publications."""
    y, m = _per_group(of, among, clusters)
    if m.sum() == 0:
        raise ValueError("no records: nothing to resample")
    rng = np.random.default_rng(seed)
    draws = rng.integers(0, len(m), size=(reps, len(m)))
    shares = y[draws].sum(axis=1) / m[draws].sum(axis=1)
    tail = (1 - confidence) / 2 * 100
    low, high = np.percentile(shares, [tail, 100 - tail])
    return Bootstrap(float(low), float(high), float(shares.std(ddof=1)), reps, seed)
