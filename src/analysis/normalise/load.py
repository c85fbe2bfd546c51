"""Loading canonical tables: the processed one, and any stored snapshot's (cached).

Snapshot tables are cached in ``data/processed/snapshots/<id>.parquet``, keyed by the snapshot's sha256 and the
normalisation code's hash, so a code change re-normalises. Used by ``confessions rate --snapshot``, the history
table (the DNA false-confession share in every stored snapshot), the 32% reconciliation and the notebooks.
"""

from __future__ import annotations

import datetime as dt
import json
import warnings

import pandas as pd

from analysis.errors import UserError
from analysis.files import write_text, write_with
from analysis.settings import Paths, paths
from analysis.stages import code_hash


def normalise_code_hash() -> str:
    """A short hash of the normalisation code (the ``normalise`` stage and everything before it)."""
    return code_hash("normalise")


def snapshot_table(manifest, where: Paths) -> tuple[dict, pd.DataFrame]:  # noqa: ANN001
    """(meta, canonical table) of one stored NRE snapshot, from the cache when it is current."""
    from analysis.ingest.store import snapshot_file
    from analysis.normalise import normalise_file

    cache_dir = where.processed / "snapshots"
    parquet = cache_dir / f"{manifest.snapshot_id}.parquet"
    stamp = cache_dir / f"{manifest.snapshot_id}.json"
    day = manifest.snapshot_date.isoformat() if manifest.snapshot_date else None
    meta = {"snapshot_id": manifest.snapshot_id, "snapshot_date": day, "sha256": manifest.sha256,
            "format": manifest.format, "code": normalise_code_hash()}
    if parquet.is_file() and stamp.is_file():
        try:
            if json.loads(stamp.read_text()) == meta:
                return meta, pd.read_parquet(parquet)
        except ValueError:
            pass
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        table = normalise_file(snapshot_file(manifest)).table
    write_with(parquet, lambda tmp: table.to_parquet(tmp, index=False))
    write_text(stamp, json.dumps(meta, sort_keys=True, default=str))
    return meta, table


def all_snapshot_tables(where: Paths) -> list[tuple[dict, pd.DataFrame]]:
    """Every stored NRE snapshot's (meta, table), oldest first."""
    from analysis.ingest.store import list_snapshots

    return [snapshot_table(m, where) for m in list_snapshots("nre")]


def load_processed(where: Paths | None = None) -> tuple[pd.DataFrame, dict]:
    """The canonical table and its metadata from ``data/processed/``."""
    where = where or paths()
    if not where.canonical_parquet.is_file():
        raise UserError("no processed table yet: run `confessions ingest nre --from FILE` then "
                        "`confessions process`")
    meta = json.loads(where.processed_meta.read_text()) if where.processed_meta.is_file() else {}
    return pd.read_parquet(where.canonical_parquet), meta


def stored_snapshot_table(snapshot_id: str, where: Paths | None = None) -> tuple[pd.DataFrame, dict]:
    """(table, meta) of the stored NRE snapshot ``snapshot_id`` (UserError listing the ids when unknown)."""
    from analysis.ingest.store import get_snapshot

    meta, table = snapshot_table(get_snapshot(snapshot_id, source="nre"), where or paths())
    return table, meta


def snapshot_on_or_before(snapshots: list[tuple[dict, pd.DataFrame]],
                          day: str | dt.date) -> tuple[dict, pd.DataFrame] | None:
    """The newest of ``snapshots`` (``(meta, table)`` pairs) dated on or before ``day``, or None."""
    limit = str(day)[:10]
    dated = [s for s in snapshots if s[0].get("snapshot_date") and str(s[0]["snapshot_date"])[:10] <= limit]
    return max(dated, key=lambda s: str(s[0]["snapshot_date"])[:10]) if dated else None
