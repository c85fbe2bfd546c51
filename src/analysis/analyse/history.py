"""The DNA false-confession share in every stored snapshot: how the registry's own number moved over time.

One row per snapshot (``reports/tables/history.csv``): false confessions (``fc``) among DNA exonerations since
1989 (``not pre_1989 and dna``), as ``k_fc_dna`` of ``n_dna`` with a 95% Wilson interval.
"""

from __future__ import annotations

import pandas as pd

from analysis.analyse.rates import rate_from_masks
from analysis.analyse.tables import _mask, _population
from analysis.snapshot import Snapshot

__all__ = ["HISTORY_COLUMNS", "history_table"]

HISTORY_COLUMNS = ["snapshot_id", "snapshot_date", "format", "n_dna", "k_fc_dna", "share", "ci_low", "ci_high"]


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
