"""``confessions ingest nre|ip``: store a registry export or Innocence Project file as an immutable snapshot.

Load: a local path, an http(s) URL (downloaded to a temporary folder first) or, without ``--from``, the URL
configured for the source. Check: the content is a spreadsheet/JSON (sniffed), a known format, and from the
source named on the command line. Save: :func:`analysis.ingest.store.store_snapshot` (a no-op for bytes already
stored). Temporary files are always removed.

The synthetic demo export (:mod:`analysis.ingest.demo`) is always stored as source ``demo``, whichever source it
was fed in as, so it never mixes with the registry's snapshots.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import re
import tempfile
from pathlib import Path
from typing import Any

from analysis.errors import UserError
from analysis.formats import read_export
from analysis.ingest.demo import is_demo_export
from analysis.ingest.download import (
    DEFAULT_MAX_BYTES,
    DEFAULT_MAX_SECONDS,
    DEFAULT_RETRIES,
    DEFAULT_TIMEOUT,
    download,
    strip_credentials,
)
from analysis.ingest.store import Manifest, file_sha256, find_by_sha256, store_snapshot
from analysis.settings import SOURCES, URL_ENV, configured_url, positive_number

MAX_MB_ENV = "CONFESSIONS_MAX_DOWNLOAD_MB"
MAX_SECONDS_ENV = "CONFESSIONS_MAX_DOWNLOAD_SECONDS"
# keyword arguments for analysis.ingest.download.download (tests shorten timeouts and backoff here)
DOWNLOAD_SETTINGS: dict[str, Any] = {"timeout": DEFAULT_TIMEOUT, "retries": DEFAULT_RETRIES, "backoff_factor": 0.5}
SOURCE_NAMES = {"nre": "a National Registry of Exonerations file", "ip": "an Innocence Project file",
                "demo": "a registry-format file"}
_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")


def max_download_bytes() -> int:
    """The download size cap: ``$CONFESSIONS_MAX_DOWNLOAD_MB`` megabytes when set, else 200 MB."""
    return int(positive_number(MAX_MB_ENV, DEFAULT_MAX_BYTES / (1024 * 1024)) * 1024 * 1024)


def max_download_seconds() -> float:
    """The cap on one download's total time: ``$CONFESSIONS_MAX_DOWNLOAD_SECONDS`` when set, else 10 minutes."""
    return positive_number(MAX_SECONDS_ENV, DEFAULT_MAX_SECONDS)


def _no_url_message(source: str) -> str:
    text = (f"no download URL configured for {source}: pass --from FILE, or set {URL_ENV[source]} or "
            f"[sources.{source}] url in confessions.toml")
    if source == "nre":
        text += "; the registry hands its spreadsheet out through a request form on exonerationregistry.org"
    return text


def _local_file(text: str) -> Path:
    """The readable regular file named by ``text``; ``UserError`` saying what is wrong otherwise."""
    path = Path(text).expanduser()
    if not path.exists():
        raise UserError(f"no such file: {path}")
    if path.is_dir():
        raise UserError(f"{path} is a folder, not a file; pass the export file itself")
    if not path.is_file():
        raise UserError(f"{path} is not a regular file")
    try:
        with path.open("rb") as fh:
            fh.read(1)
    except OSError as exc:
        raise UserError(f"cannot read {path}: {exc.strerror or exc}") from None
    return path


def parse_date(text: str | None) -> dt.date | None:
    """``--date YYYY-MM-DD``: the snapshot date a user gives an export (None when not given)."""
    if text is None:
        return None
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise UserError(f"--date must be a date like 2024-04-10, not {text!r}") from None


def ingest(source: str, from_: str | None = None, snapshot_date: dt.date | None = None) -> tuple[Manifest, bool]:
    """Store ``from_`` (path or http(s) URL; default: the configured URL) as a snapshot of ``source``.

    ``snapshot_date`` (``--date``) dates the export as the user says, recorded in the manifest as given by the user
    (beside what the file itself says, if anything). Returns ``(manifest, created)``; ``created`` is False when the
    same bytes were already stored.
    """
    if source not in SOURCES:
        raise UserError(f"unknown source {source!r}; expected one of {', '.join(SOURCES)}")
    if from_ is None and source == "demo":
        raise UserError("pass --from FILE (written by `confessions demo`)")
    if from_ is None:
        from_ = configured_url(source)
        if not from_:
            raise UserError(_no_url_message(source))
    if _URL.match(from_):
        if not from_.lower().startswith(("http://", "https://")):
            raise UserError(f"only http(s) URLs or local files can be ingested, not {from_}")
        with tempfile.TemporaryDirectory(prefix="confessions-download-") as tmp:
            settings = {"max_seconds": max_download_seconds(), **DOWNLOAD_SETTINGS}
            got = download(from_, Path(tmp), max_bytes=max_download_bytes(), **settings)
            kind = f" ({got.content_type})" if got.content_type else ""
            notes = [f"downloaded from {strip_credentials(got.final_url)}{kind}"]
            # never store a password: the manifest is immutable and is shown by `snapshots show`
            return _store(source, got.path, strip_credentials(from_), original_name=got.filename, notes=notes,
                          snapshot_date=snapshot_date)
    path = _local_file(from_)
    return _store(source, path, str(path.resolve()), original_name=path.name, snapshot_date=snapshot_date)


def _dated(read, snapshot_date: dt.date | None):  # noqa: ANN001, ANN202 - ExportRead in, ExportRead out
    """``read`` with the user's ``--date`` as its snapshot date; the file's own evidence is kept beside it."""
    if snapshot_date is None:
        return read
    own = (f"; the file itself suggested {read.snapshot_date.isoformat()} ({read.snapshot_date_evidence})"
           if read.snapshot_date else "; the file itself carries no date")
    return dataclasses.replace(read, snapshot_date=snapshot_date,
                               snapshot_date_evidence=f"given by the user (--date {snapshot_date.isoformat()}){own}")


def _store(source: str, path: Path, origin: str, *, original_name: str, notes: list[str] | None = None,
           snapshot_date: dt.date | None = None) -> tuple[Manifest, bool]:
    """Sniff, read and store one file that is already on disk."""
    sha256, _ = file_sha256(path)
    existing = find_by_sha256(source, sha256)
    if existing is not None:
        return existing, False
    read = _dated(read_export(path), snapshot_date)
    expected = "nre" if source == "demo" else source  # the demo export is in the registry's format
    if read.source != expected:
        raise UserError(f"this is {SOURCE_NAMES.get(read.source, read.source)}; use "
                        f"`confessions ingest {read.source}`")
    demo = read.source == "nre" and is_demo_export(read.frame)
    if source == "demo" and not demo:
        raise UserError("this is not the synthetic demo export (written by `confessions demo`): a registry export "
                        "is stored with `confessions ingest nre`")
    if demo and source != "demo":
        source = "demo"  # never stored among the registry's snapshots
        existing = find_by_sha256(source, sha256)
        if existing is not None:
            return existing, False
        notes = [*(notes or []), "the synthetic demo export (invented records, not real cases): stored as source demo"]
    return store_snapshot(source, path, origin, read, original_name=original_name, notes=notes)


def run(args: argparse.Namespace) -> int:
    """``confessions ingest SOURCE [--from PATH_OR_URL] [--date YYYY-MM-DD]``: print what was stored in one line."""
    snapshot_date = parse_date(getattr(args, "date", None))
    manifest, created = ingest(args.source, getattr(args, "from_", None), snapshot_date)
    if not created:
        again = ""
        if snapshot_date and manifest.snapshot_date != snapshot_date:
            again = (f" (its date stays {manifest.snapshot_date or 'unknown'}: to re-date it, `confessions snapshots "
                     f"remove {manifest.snapshot_id}` and ingest again with --date)")
        print(f"already stored as {manifest.snapshot_id}; nothing to do{again}")
        return 0
    when = manifest.snapshot_date.isoformat() if manifest.snapshot_date else "unknown"
    demo = " — the synthetic demo export, stored as source demo (invented records, not real cases)" if (
        manifest.source == "demo") else ""
    print(f"stored snapshot {manifest.snapshot_id} ({manifest.format}, {manifest.rows} rows, "
          f"snapshot date {when}){demo}")
    return 0
