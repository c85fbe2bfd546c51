"""Readers for every export format seen, chosen by sniffing the content, never by file name.

``read_export(path)`` returns an :class:`ExportRead`: the raw rows of the file (strings, as published), the format
it was recognised as, and the snapshot date inferred from the data. Turning raw rows into the canonical table is
``analysis.normalise``'s job.

Headers are read by meaning: ``formats/crosswalk.csv`` (data; columns ``field,spelling,seen_in,reference_for``,
described in its header comment) lists every header spelling seen in any export under its canonical field, and
``analysis.formats.headers`` matches a file's header to it after normalising case, spaces, punctuation and ``?``.
The frame of an :class:`ExportRead` carries the chosen reader's reference spellings (the names its code indexes);
columns no reader field matches are kept under their own names, with a warning in ``notes``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pandas as pd

NRE_FORMATS = ("nre_public_spreadsheet", "nre_detail_list", "nre_full_export")
IP_FORMATS = ("ip_roster", "ip_ajax")


@dataclass
class ExportRead:
    """One file as read: its format, its rows (all text, header cleaned), and what it says about its date."""

    format: str
    source: str  # "nre" or "ip"
    frame: pd.DataFrame
    snapshot_date: date | None
    snapshot_date_evidence: str
    container: str  # "csv", "xlsx" or "json"
    encoding: str | None = None
    sheet_name: str | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def rows(self) -> int:
        return len(self.frame)


def read_export(path: Path) -> ExportRead:
    """Read any supported export (NRE csv/xlsx of any vintage, Innocence Project json).

    Raises ``FormatError`` with a one-line reason when the file is not a recognisable export.
    """
    from analysis.formats.detect import read_any

    return read_any(Path(path))
