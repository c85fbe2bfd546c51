"""The DNA false-confession share over time: in every stored snapshot, and backcast year by year from one snapshot.

Share: false confessions (``fc``) among DNA exonerations since 1989 (``not pre_1989 and dna``), ``k_fc_dna`` of
``n_dna`` with a 95% Wilson interval.

* :func:`history_table`: one row per stored snapshot (``reports/tables/history.csv``), each with its own coding.
* :func:`year_end_history`: one row per year from ``START_YEAR`` (1992) to the snapshot's year: the records the
  registry held at the end of that year, **with today's coding** (the snapshot's), a backcast. A record enters on
  its ``posting_date``, except the registry's **opening list** (records posted in the first year any record was
  posted, 2011 in the 2026 export), which was a retrospective list of past exonerations: those enter on their
  exoneration date (``exoneration_date``, else 31 December of ``exoneration_year``). Records without a posting
  date (or, on the opening list, without an exoneration date or year) cannot be placed in time: they are left
  out of every year and counted in ``undated``. The snapshot's own year ends at the snapshot date. Years with
  fewer than ``SMALL_N`` DNA exonerations are marked ``small_n``.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from analysis.analyse.rates import rate, rate_from_masks
from analysis.analyse.tables import _mask, _population
from analysis.snapshot import Snapshot

__all__ = ["HISTORY_COLUMNS", "SMALL_N", "START_YEAR", "YEAR_COLUMNS", "entry_dates", "history_table",
           "year_end_history"]

HISTORY_COLUMNS = ["snapshot_id", "snapshot_date", "format", "n_dna", "k_fc_dna", "share", "ci_low", "ci_high"]
YEAR_COLUMNS = ["year", "as_of", "n_dna", "k_fc_dna", "share", "ci_low", "ci_high", "small_n", "undated",
                "basis"]
START_YEAR = 1992
SMALL_N = 30
"""Fewer DNA exonerations than this at a year's end: the share is marked ``small_n`` (a wide interval)."""


def history_table(snapshots: list[Snapshot]) -> pd.DataFrame:
    """One row per snapshot: false confessions (``fc``) among DNA exonerations since 1989 (``not pre_1989
    and dna``), as ``k_fc_dna`` of ``n_dna``; sorted by snapshot date, undated snapshots last (then by id)."""
    rows = []
    for snapshot in snapshots:
        table, source = snapshot.view, snapshot.source
        r = rate_from_masks(_mask(table, "fc"), _population(table, "fc", "dna"))
        rows.append({"snapshot_id": source.id, "snapshot_date": source.iso, "format": source.format, "n_dna": r.n,
                     "k_fc_dna": r.k, "share": r.share, "ci_low": r.ci_low, "ci_high": r.ci_high})
    rows.sort(key=lambda row: (row["snapshot_date"] is None, row["snapshot_date"] or "", str(row["snapshot_id"])))
    out = pd.DataFrame(rows, columns=HISTORY_COLUMNS)
    for col in ("n_dna", "k_fc_dna"):
        out[col] = out[col].astype("int64")
    for col in ("share", "ci_low", "ci_high"):
        out[col] = pd.array(list(out[col]), dtype="Float64")
    return out


def entry_dates(table: pd.DataFrame) -> pd.Series:
    """The date each record entered the registry's list (module docstring): its posting date, or for the opening
    list its exoneration date; NaT where neither can be told."""
    posted = pd.to_datetime(table["posting_date"])
    if posted.notna().sum() == 0:
        return posted
    opening_end = pd.Timestamp(dt.date(int(posted.min().year), 12, 31))
    exonerated = pd.to_datetime(table["exoneration_date"])
    from_year = pd.to_datetime(table["exoneration_year"].astype("Int64").astype("string") + "-12-31",
                               errors="coerce")
    exonerated = exonerated.fillna(from_year)
    opening = posted.notna() & (posted <= opening_end)
    return posted.where(~opening, exonerated.where(opening))


def year_end_history(snapshot: Snapshot, start: int = START_YEAR) -> pd.DataFrame:
    """The DNA false-confession share at the end of every year from ``start`` to the snapshot's year, backcast
    with the snapshot's coding (module docstring); ``as_of`` is 31 December, or the snapshot date in its own
    year (its ``as_of`` date, when viewed as of one). A year with no DNA exoneration yet has ``n_dna`` = 0 and
    no share."""
    table = snapshot.view
    population = _population(table, "fc", "dna").to_numpy()
    fc = _mask(table, "fc").to_numpy()
    entered = entry_dates(table)
    undated = int((population & entered.isna().to_numpy()).sum())
    day = snapshot.date or (entered.max().date() if entered.notna().any() else None)
    if day is None:
        return pd.DataFrame(columns=YEAR_COLUMNS)
    rows = []
    for year in range(start, day.year + 1):
        end = min(dt.date(year, 12, 31), day)
        held = population & (entered <= pd.Timestamp(end)).to_numpy()
        n, k = int(held.sum()), int((held & fc).sum())
        r = rate(k, n)
        rows.append({"year": year, "as_of": end.isoformat(), "n_dna": n, "k_fc_dna": k, "share": r.share,
                     "ci_low": r.ci_low, "ci_high": r.ci_high, "small_n": n < SMALL_N, "undated": undated,
                     "basis": "backcast with today's coding"})
    out = pd.DataFrame(rows, columns=YEAR_COLUMNS)
    for col in ("share", "ci_low", "ci_high"):
        out[col] = pd.array([None if v is None or (isinstance(v, float) and np.isnan(v)) else v for v in out[col]],
                            dtype="Float64")
    return out
