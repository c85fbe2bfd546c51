"""Is a newly stored snapshot the same export as one already stored (the csv of an xlsx, a re-download)?

Two snapshots are **near duplicates** when at least :data:`THRESHOLD` (99%) of the new one's records match a record of
the other by name, state and year of conviction (names compared as :func:`analysis.formats.names.name_tokens`,
order-free), and the record counts differ by at most 1%. Byte-identical files are caught earlier (by sha256);
this catches the same records in another container or encoding.
"""

from __future__ import annotations

from collections import Counter

import pandas as pd

from analysis.formats.names import name_tokens

__all__ = ["THRESHOLD", "near_duplicates", "record_keys", "shared_share", "similar_size", "warn_near_duplicates"]

THRESHOLD = 0.99


def record_keys(table: pd.DataFrame) -> Counter:
    """A multiset of (sorted name tokens, state, conviction year) keys, one per record."""
    names = table["name"].astype("string").fillna("")
    state = table.get("state", pd.Series("", index=table.index)).astype("string").fillna("")
    year = table.get("conviction_year", pd.Series(pd.NA, index=table.index)).astype("Int64")
    return Counter((tuple(sorted(name_tokens(n))), s, None if pd.isna(y) else int(y))
                   for n, s, y in zip(names, state, year, strict=True))


def shared_share(new: Counter, old: Counter) -> float:
    """Share of the new records whose key the old snapshot also has (as many times)."""
    total = sum(new.values())
    return sum((new & old).values()) / total if total else 0.0


def similar_size(rows: int, other_rows: int) -> bool:
    """Record counts within 1% of each other (only such snapshots are compared)."""
    return abs(other_rows - rows) <= 0.01 * max(rows, 1)


def near_duplicates(new: pd.DataFrame, others: dict[str, pd.DataFrame]) -> list[tuple[str, float]]:
    """The stored snapshots (by id) the ``new`` table nearly duplicates, with the share of records shared."""
    keys, found = record_keys(new), []
    for snapshot_id, table in others.items():
        if not len(new) or not similar_size(len(new), len(table)):
            continue
        share = shared_share(keys, record_keys(table))
        if share >= THRESHOLD:
            found.append((snapshot_id, share))
    return found


def warn_near_duplicates(manifest, where) -> str | None:  # noqa: ANN001 - Manifest, Paths
    """A warning when the just-stored snapshot ``manifest`` nearly duplicates a stored one of its source."""
    from analysis.ingest.store import list_snapshots
    from analysis.normalise.load import snapshot_table

    others = [m for m in list_snapshots(manifest.source)
              if m.snapshot_id != manifest.snapshot_id and similar_size(manifest.rows, m.rows)]
    if not others or manifest.source not in ("nre", "demo"):
        return None
    from analysis.errors import UserError

    try:  # an export that cannot be normalised is reported by `process`, not here: no warning is all it costs
        new = snapshot_table(manifest, where).table
        found = near_duplicates(new, {m.snapshot_id: snapshot_table(m, where).table for m in others})
    except UserError:
        return None
    if not found:
        return None
    listed = ", ".join(f"{i} ({share:.1%} of records shared)" for i, share in found)
    return (f"warning: {manifest.snapshot_id} holds nearly the same records as {listed}: if it is the same export "
            f"in another file, `confessions snapshots remove {manifest.snapshot_id}`")
