"""The one record passed between stages: where a table came from (``Source``) and the table itself (``Snapshot``).

Built once (from a manifest or the processed table's metadata); every stage takes and returns these, so nothing
re-reads or re-normalises a snapshot date. ``Snapshot.as_of`` is the only place "the registry as it stood on a
date" is applied (``Snapshot.view``), and ``Snapshot.when`` is the only place that date is put into words.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass, field, replace
from typing import Any

import pandas as pd

from analysis.errors import UserError


def day_text(day: dt.date) -> str:
    """``10 April 2024``."""
    return f"{day.day} {day.strftime('%B %Y')}"


def to_date(value: object) -> dt.date | None:
    """A date from a ``date``, ``datetime``, pandas timestamp or ISO text (None/blank/NaT → None)."""
    if value is None or (isinstance(value, float) and value != value) or value is pd.NaT:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    if not text or text.lower() in {"none", "nat", "nan"}:
        return None
    try:
        return dt.date.fromisoformat(text[:10])
    except ValueError:
        raise UserError(f"not a date written YYYY-MM-DD: {text!r}") from None


def parse_as_of(text: str | dt.date | None) -> dt.date | None:
    """An ``--as-of`` value (ISO date) or None."""
    if text is None or text == "":
        return None
    try:
        return to_date(text)
    except UserError:
        raise UserError(f"--as-of must be a date written YYYY-MM-DD, not {text!r}") from None


@dataclass(frozen=True)
class Source:
    """One stored export: its snapshot id, the date its data is from, the stored file's sha256 and its format.

    ``date`` is the publisher's export date (None when the export does not tell); ``synthetic`` marks the demo
    export.
    """

    id: str
    date: dt.date | None = None
    sha256: str | None = None
    format: str | None = None
    file: str | None = None
    synthetic: bool = False

    @classmethod
    def from_manifest(cls, manifest: Any) -> Source:  # noqa: ANN401
        """From an ``ingest.store.Manifest``."""
        return cls(id=manifest.snapshot_id, date=manifest.snapshot_date, sha256=manifest.sha256,
                   format=manifest.format, file=manifest.stored_name,
                   synthetic=getattr(manifest, "source", "") == "demo")

    @classmethod
    def from_json(cls, data: dict | None) -> Source:
        """From the dict ``to_json`` writes (also read from stats.json, the processed meta and caches)."""
        data = data or {}
        return cls(id=str(data.get("snapshot_id") or data.get("id") or "unknown"),
                   date=to_date(data.get("snapshot_date", data.get("date"))), sha256=data.get("sha256"),
                   format=data.get("format"), file=data.get("file"), synthetic=bool(data.get("synthetic", False)))

    def to_json(self) -> dict:
        """``snapshot_id``, ``snapshot_date`` (ISO or None), ``sha256``, ``format``, ``file``, ``synthetic``."""
        return {"snapshot_id": self.id, "snapshot_date": self.iso, "sha256": self.sha256, "format": self.format,
                "file": self.file, "synthetic": self.synthetic}

    @property
    def iso(self) -> str | None:
        """The snapshot date as ``YYYY-MM-DD`` (None when undated)."""
        return self.date.isoformat() if self.date else None

    @property
    def date_text(self) -> str | None:
        """The snapshot date in words (``26 June 2026``), None when undated."""
        return day_text(self.date) if self.date else None


@dataclass(frozen=True)
class Snapshot:
    """A canonical table, where it came from, and the date the registry is viewed as of (None: all of it)."""

    source: Source
    table: pd.DataFrame = field(repr=False, compare=False)
    as_of: dt.date | None = None

    def at(self, as_of: str | dt.date | None) -> Snapshot:
        """The same snapshot viewed as the registry stood on ``as_of`` (records posted on or before it)."""
        return replace(self, as_of=parse_as_of(as_of))

    @functools.cached_property
    def view(self) -> pd.DataFrame:
        """The records the registry held on ``as_of``: posted on or before it (the whole table when None).

        A snapshot without posting dates cannot answer this; that is an error, not a silent full count.
        """
        if self.as_of is None:
            return self.table
        posted = self.table["posting_date"]
        if posted.isna().all():
            raise UserError("this snapshot has no posting dates, so it cannot say what the registry held on a past "
                            "date; use a public-spreadsheet or full export")
        return self.table[posted.notna() & (posted <= pd.Timestamp(self.as_of))]

    @property
    def date(self) -> dt.date | None:
        """The date the numbers describe: ``as_of`` when set, else the snapshot date."""
        return self.as_of or self.source.date

    @property
    def when(self) -> str:
        """The numbers' date in words: ``posted by 30 September 2017`` (as-of view), ``as of its 26 June 2026
        data`` (whole snapshot) or ``in the snapshot used`` (undated)."""
        if self.as_of:
            return f"posted by {day_text(self.as_of)}"
        if self.source.date:
            return f"as of its {day_text(self.source.date)} data"
        return "in the snapshot used"

    @property
    def as_of_label(self) -> str:
        """For chart footers: ``Records posted by 30 September 2017`` or ``Data as of 26 June 2026``."""
        if self.as_of:
            return f"Records posted by {day_text(self.as_of)}"
        return f"Data as of {self.source.date_text}" if self.source.date else "Data date unknown"

    def to_json(self) -> dict:
        """The source's JSON plus ``as_of`` (ISO or None)."""
        return {**self.source.to_json(), "as_of": self.as_of.isoformat() if self.as_of else None}
