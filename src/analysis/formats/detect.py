"""Recognising a file: container (xlsx, csv, json) from its first bytes, export format from its header.

The file name is never used. A header that matches no known format gives one error naming the closest format
and the columns it lacks.
"""

from __future__ import annotations

import difflib
import re
from datetime import date
from pathlib import Path
from types import ModuleType

import pandas as pd

from analysis.errors import FormatError
from analysis.formats import ExportRead, nre_detail_list, nre_full_export, nre_public_spreadsheet
from analysis.formats.cells import Problems, parse_dates
from analysis.formats.sniff import check_file
from analysis.formats.text import csv_frame, decode_with_notes
from analysis.formats.xlsx import xlsx_frame

NRE_READERS: tuple[ModuleType, ...] = (nre_full_export, nre_detail_list, nre_public_spreadsheet)
SHEET_DATE = re.compile(r"owssvr\s*-\s*(\d{4}-\d{2}-\d{2})T")
ROW_INDEX_HEADER = re.compile(r"^(column_1|Unnamed: 0|index)$")


def identify(columns: list[str]) -> ModuleType:
    """The NRE reader whose signature columns are all in the header; else a FormatError.

    The error names the missing required columns and, for each, a present column that looks like it renamed.
    """
    present = set(columns)
    for reader in NRE_READERS:
        if present >= reader.SIGNATURE:
            missing = sorted(reader.REQUIRED - present)
            if missing:
                raise FormatError(
                    f"looks like {reader.FORMAT} but lacks required column(s): {_with_hints(missing, reader, present)}"
                )
            return reader
    best = max(NRE_READERS, key=lambda r: (len(r.SIGNATURE & present), len(r.REQUIRED & present)))
    missing = sorted(best.REQUIRED - present)
    if best.SIGNATURE & present and len(best.SIGNATURE - present) == 1:
        raise FormatError(f"looks like {best.FORMAT} but lacks required column(s): "
                          f"{_with_hints(missing, best, present)}")
    shown = ", ".join(missing[:8]) + (" …" if len(missing) > 8 else "")
    raise FormatError(
        f"header not recognised as a registry export: closest is {best.FORMAT}, which needs {shown}"
    )


def _with_hints(missing: list[str], reader: ModuleType, present: set[str]) -> str:
    """``A, B (renamed to 'B?'?)``: missing columns, each with a look-alike unknown column when there is one."""
    unknown = sorted(present - reader.KNOWN)
    parts = []
    for name in missing:
        close = difflib.get_close_matches(name, unknown, n=1, cutoff=0.8)
        parts.append(f"{name} (renamed to {close[0]!r}?)" if close else name)
    return ", ".join(parts)


def drop_row_index(frame: pd.DataFrame) -> tuple[pd.DataFrame, list[str]]:
    """Drop a leading unnamed column that only numbers the rows (the list-view copy has one)."""
    if len(frame.columns) and ROW_INDEX_HEADER.match(str(frame.columns[0])):
        values = frame.iloc[:, 0]
        if values.str.fullmatch(r"\d+").all():
            return frame.iloc[:, 1:], [f"dropped the unnamed row-number column {frame.columns[0]!r}"]
    return frame, []


def drop_duplicates(frame: pd.DataFrame) -> tuple[pd.DataFrame, list[str]]:
    """Drop rows that repeat an earlier row exactly (every cell equal)."""
    dup = frame.duplicated(keep="first")
    if dup.any():
        rows = ", ".join(str(i + 2) for i in frame.index[dup][:5])
        return frame[~dup].reset_index(drop=True), [f"dropped {int(dup.sum())} exact duplicate row(s) (row {rows})"]
    return frame, []


def drop_summary_rows(frame: pd.DataFrame, name_columns: list[str]) -> tuple[pd.DataFrame, list[str]]:
    """Drop rows with no name at all (totals, footers, notes typed under the data)."""
    present = [c for c in name_columns if c in frame.columns]
    if not present:
        return frame, []
    nameless = frame[present].apply(lambda s: s.fillna("").str.strip().eq("")).all(axis=1)
    if nameless.any():
        rows = ", ".join(str(i + 2) for i in frame.index[nameless][:5])
        return frame[~nameless].reset_index(drop=True), [
            f"dropped {int(nameless.sum())} row(s) without a name (summary or note rows: row {rows})"
        ]
    return frame, []


def infer_snapshot_date(frame: pd.DataFrame, sheet_name: str | None) -> tuple[date | None, str]:
    """The export date: the ``owssvr - YYYY-MM-DD…`` sheet name, else the latest posting or update date."""
    if sheet_name:
        m = SHEET_DATE.search(sheet_name)
        if m:
            return date.fromisoformat(m[1]), f"sheet name {sheet_name!r}"
    best: tuple[date, str] | None = None
    for column in ("Posting Date", "Last Update Date"):
        if column not in frame.columns:
            continue
        parsed = parse_dates(frame[column], column, Problems())
        parsed = parsed[parsed.dt.year <= date.today().year]
        if parsed.notna().any():
            latest = parsed.max().date()
            if best is None or latest > best[0]:
                best = (latest, f"latest {column!r} in the data")
    if best:
        return best
    years = []
    for column in ("Exonerated", "Date of Exon Year"):
        if column in frame.columns:
            years += [int(v) for v in frame[column].astype(str) if v.strip().isdigit()]
    hint = f"; latest exoneration year is {max(years)}" if years else ""
    return None, f"no posting, update or sheet date in the file{hint}"


def read_any(path: Path) -> ExportRead:
    """Read one file of any supported kind (see module docstring)."""
    try:
        kind = check_file(path)  # xlsx, csv or json; anything else (HTML, PDF, damaged zip, zip bomb…) is refused
        data = path.read_bytes()
    except OSError as exc:
        raise FormatError(f"cannot read {path}: {exc.strerror}") from None
    if not data.strip():
        raise FormatError(f"the file is empty: {path.name}")
    if kind == "json":
        from analysis.formats.innocence_project import read_innocence_project

        return read_innocence_project(path, data)
    notes: list[str] = []
    sheet_name = encoding = None
    if kind == "xlsx":
        frame, sheet_name, notes = xlsx_frame(path)
    else:
        text, encoding, notes = decode_with_notes(data)
        frame, more = csv_frame(text)
        notes += more
    frame, more = drop_row_index(frame)
    notes += more
    reader = identify(list(frame.columns))
    frame, more = drop_duplicates(frame)
    notes += more
    frame, more = drop_summary_rows(frame, ["Last Name", "First Name", "Last", "First", "Name"])
    notes += more
    if frame.empty:
        raise FormatError("the file has a header but no records")
    extra = sorted(set(frame.columns) - reader.KNOWN)
    if extra:
        notes.append(f"column(s) not used by this project (kept in the raw snapshot): {', '.join(extra)}")
    snapshot_date, evidence = infer_snapshot_date(frame, sheet_name)
    return ExportRead(
        format=reader.FORMAT, source="nre", frame=frame, snapshot_date=snapshot_date,
        snapshot_date_evidence=evidence, container=kind, encoding=encoding, sheet_name=sheet_name, notes=notes,
    )


def reader_for(format_name: str) -> ModuleType:
    """The NRE reader module for a format name."""
    for reader in NRE_READERS:
        if format_name == reader.FORMAT:
            return reader
    raise FormatError(f"not an NRE export format: {format_name}")
