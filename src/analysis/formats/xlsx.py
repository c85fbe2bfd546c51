"""Reading xlsx exports with python-calamine, with guards against corrupt files and zip bombs.

Cells become text: dates as ISO ``YYYY-MM-DD``, whole numbers without ``.0``, everything else ``str``.
"""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

import pandas as pd
from python_calamine import CalamineWorkbook

from analysis.errors import FormatError
from analysis.formats.textio import clean_cell, frame_from_rows
from analysis.sniff import MAX_COMPRESSION_RATIO, MAX_UNCOMPRESSED_BYTES


def check_zip(path: Path) -> None:
    """Refuse a zip that is corrupt, is not a workbook, or would inflate far beyond any real export."""
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
            names = {i.filename for i in infos}
    except (zipfile.BadZipFile, OSError) as exc:
        raise FormatError(f"the file is a damaged or truncated zip/xlsx: {exc}") from None
    if "[Content_Types].xml" not in names or not any(n.startswith("xl/") for n in names):
        raise FormatError("the zip file is not an Excel workbook (no xl/ part)")
    total = sum(i.file_size for i in infos)
    packed = max(1, sum(i.compress_size for i in infos))
    if total > MAX_UNCOMPRESSED_BYTES or total / packed > MAX_COMPRESSION_RATIO:
        raise FormatError(
            f"the workbook would inflate to {total:,} bytes from {packed:,} (a zip bomb?); refusing to open it"
        )


def _cell_text(value: object) -> str:
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    return clean_cell(value)


def xlsx_frame(path: Path) -> tuple[pd.DataFrame, str, list[str]]:
    """Read the first sheet: returns ``(frame, sheet_name, notes)``."""
    check_zip(path)
    try:
        workbook = CalamineWorkbook.from_path(str(path))
        sheet_name = workbook.sheet_names[0]
        rows = workbook.get_sheet_by_index(0).to_python(skip_empty_area=False)
    except Exception as exc:  # calamine raises its own error types for every kind of damage
        raise FormatError(f"the xlsx file cannot be read: {str(exc).splitlines()[0][:200]}") from None
    notes: list[str] = []
    if len(workbook.sheet_names) > 1:
        notes.append(f"read sheet {sheet_name!r}; ignored {len(workbook.sheet_names) - 1} other sheet(s)")
    if not rows:
        raise FormatError("the workbook's first sheet is empty: no header row")
    header = [clean_cell(h) for h in rows[0]]
    body = []
    blank = 0
    for row in rows[1:]:
        cells = [_cell_text(c) for c in row][: len(header)]
        cells += [""] * (len(header) - len(cells))
        if not any(cells):
            blank += 1
            continue
        body.append(cells)
    if blank:
        notes.append(f"skipped {blank} blank row(s)")
    return frame_from_rows(header, body), sheet_name, notes
