"""The standard row and table of every share table: ``group, n, k, share, ci_low, ci_high`` (then table-specific
columns).

``share`` is ``k / n``; ``ci_low``/``ci_high`` its 95% Wilson interval (:mod:`analysis.analyse.rates`). Shares are
``Float64``: a group with ``n == 0`` has a missing share (``<NA>``), never 0.
"""

from __future__ import annotations

import pandas as pd

from analysis.analyse.rates import Rate, rate

__all__ = ["BASE_COLUMNS", "rate_row", "share_frame", "share_row"]

BASE_COLUMNS = ["group", "n", "k", "share", "ci_low", "ci_high"]


def rate_row(group: object, r: Rate, **extra: object) -> dict:
    """One standard row from a computed :class:`~analysis.analyse.rates.Rate`, then ``extra``."""
    return {"group": group, "n": r.n, "k": r.k, "share": r.share, "ci_low": r.ci_low, "ci_high": r.ci_high, **extra}


def share_row(group: object, k: int, n: int, **extra: object) -> dict:
    """One standard row: ``k`` of ``n`` with its share and Wilson interval (missing share when ``n == 0``)."""
    return rate_row(group, rate(int(k), int(n)), **extra)


def share_frame(rows: list[dict], extra: list[str] | None = None, *, floats: tuple[str, ...] = ()) -> pd.DataFrame:
    """Rows → a table with the standard columns first, then ``extra`` (in order, no repeats); ``n``/``k`` are
    ``int64``; the shares and the ``floats`` columns ``Float64`` (missing is ``<NA>``)."""
    columns = BASE_COLUMNS + [c for c in dict.fromkeys(extra or []) if c not in BASE_COLUMNS]
    out = pd.DataFrame(rows, columns=columns)
    out["group"] = out["group"].astype(object)
    for col in ("n", "k"):
        out[col] = out[col].astype("int64")
    for col in ("share", "ci_low", "ci_high", *floats):
        out[col] = pd.array(list(out[col]), dtype="Float64")
    return out.reset_index(drop=True)
