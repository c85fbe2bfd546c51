"""Canonical tables of every stored snapshot, cached in ``data/processed/snapshots/<id>.parquet``.

The cache is keyed by the snapshot's sha256 and the normalisation code's hash, so a code change re-normalises.
Used for the history table (the DNA false-confession share in every stored snapshot) and ``confessions diff``.
"""

from __future__ import annotations

import json
import warnings

import pandas as pd

from analysis.atomic import write_text, write_with
from analysis.settings import Paths
from analysis.steps import code_files, sha256_file

NORMALISE_CODE = ("formats/*.py", "normalise.py", "schema.py", "parsing.py", "categories.py")


def normalise_code_hash() -> str:
    """A short hash of the normalisation code."""
    import hashlib

    digest = hashlib.sha256()
    for path in code_files(*NORMALISE_CODE):
        digest.update(sha256_file(path).encode())
    return digest.hexdigest()[:16]


def snapshot_table(manifest, where: Paths) -> tuple[dict, pd.DataFrame]:  # noqa: ANN001
    """(meta, canonical table) of one stored NRE snapshot, from the cache when it is current."""
    from analysis.normalise import normalise_file
    from analysis.snapshots import snapshot_file

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
    from analysis.snapshots import list_snapshots

    return [snapshot_table(m, where) for m in list_snapshots("nre")]
