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
from analysis.files import sha256_file, write_text, write_with
from analysis.settings import Paths, paths
from analysis.snapshot import Snapshot, Source
from analysis.stages import code_hash


def normalise_code_hash() -> str:
    """A short hash of the normalisation code (the ``normalise`` stage and everything before it)."""
    return code_hash("normalise")


def snapshot_table(manifest, where: Paths) -> Snapshot:  # noqa: ANN001
    """One stored NRE snapshot's canonical table, from the cache when it is current."""
    from analysis.ingest.store import snapshot_file
    from analysis.normalise import normalise_file

    source = Source.from_manifest(manifest)
    cache_dir = where.processed / "snapshots"
    parquet = cache_dir / f"{source.id}.parquet"
    stamp = cache_dir / f"{source.id}.json"
    key = {**source.to_json(), "code": normalise_code_hash()}
    export = snapshot_file(manifest)  # checked against its manifest: a changed export is an error, not a cache miss
    if parquet.is_file() and stamp.is_file():
        try:
            recorded = json.loads(stamp.read_text())
            # the cache is trusted only for this export's sha256, this code, and the parquet bytes it wrote
            if {k: recorded.get(k) for k in key} == key and recorded.get("parquet_sha256") == sha256_file(parquet):
                return Snapshot(source, pd.read_parquet(parquet))
        except (ValueError, OSError, AttributeError):
            pass
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        table = normalise_file(export).table
    write_with(parquet, lambda tmp: table.to_parquet(tmp, index=False))
    write_text(stamp, json.dumps({**key, "parquet_sha256": sha256_file(parquet)}, sort_keys=True))
    return Snapshot(source, table)


def all_snapshots(where: Paths) -> list[Snapshot]:
    """Every stored NRE snapshot, oldest first."""
    from analysis.ingest.store import list_snapshots

    out = []
    for manifest in list_snapshots("nre"):
        try:
            out.append(snapshot_table(manifest, where))
        except UserError as exc:  # one bad stored export must not block every build: said, and left out
            warnings.warn(f"snapshot {manifest.snapshot_id} left out of the history and the carry: {exc}",
                          stacklevel=2)
    return out


def load_processed(where: Paths | None = None) -> Snapshot:
    """The canonical table in ``data/processed/`` and the snapshot it was made from."""
    where = where or paths()
    if not where.canonical_parquet.is_file():
        raise UserError("no processed table yet: run `make all FROM=path/to/export` (or `confessions ingest nre "
                        "--from FILE`, then `confessions process`)")
    again = "run `confessions process` (or `make all`) to rebuild it"
    try:
        meta = json.loads(where.processed_meta.read_text())
        if not isinstance(meta, dict):
            raise ValueError("not a JSON object")
    except (OSError, ValueError) as exc:
        raise UserError(f"the processed table's metadata ({where.processed_meta.name}) is missing or unreadable "
                        f"({exc.__class__.__name__}); {again}") from None
    if meta.get("table_sha256") != sha256_file(where.canonical_parquet):
        raise UserError(f"the processed table does not match its metadata (changed, or a run was interrupted "
                        f"between writing them); {again}")
    try:
        table = pd.read_parquet(where.canonical_parquet)
        source = Source.from_json(meta)
    except Exception as exc:  # noqa: BLE001 - any unreadable parquet or meta is the same one-line error
        raise UserError(f"the processed table cannot be read ({exc.__class__.__name__}); {again}") from None
    # `build --as-of DATE` processed it as the registry stood then: every reader sees that view, and says so
    return Snapshot(source, table).at(meta.get("as_of"))


def stored_snapshot(snapshot_id: str, where: Paths | None = None) -> Snapshot:
    """The stored NRE snapshot ``snapshot_id`` (UserError listing the ids when unknown)."""
    from analysis.ingest.store import get_snapshot

    return snapshot_table(get_snapshot(snapshot_id, source="nre"), where or paths())


def snapshot_on_or_before(snapshots: list[Snapshot], day: dt.date) -> Snapshot | None:
    """The newest of ``snapshots`` dated on or before ``day``, or None."""
    dated = [s for s in snapshots if s.source.date and s.source.date <= day]
    return max(dated, key=lambda s: s.source.date) if dated else None
