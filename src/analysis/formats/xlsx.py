"""Reading xlsx exports with python-calamine (corrupt archives and zip bombs are refused before, by
``analysis.formats.sniff.check_file``).

Cells become text: dates as ISO ``YYYY-MM-DD``, whole numbers without ``.0``, everything else ``str``.
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from pathlib import Path

import pandas as pd
from python_calamine import CalamineWorkbook

from analysis.errors import FormatError
from analysis.formats.text import clean_cell, frame_from_rows


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


_CELL = re.compile(rb'<(?:\w+:)?c\b[^>]*?\br="([A-Z]{1,3}\d{1,7})"[^>]*?(?:/>|>(.*?)</(?:\w+:)?c>)', re.S)


_VALUE = re.compile(rb"<(?:\w+:)?v>[^<]+</(?:\w+:)?v>|<is>")


def formulas_without_values(path: Path) -> list[str]:
    """References of formula cells that carry no stored (cached) value: a reader can only see them as blank."""
    found: list[str] = []
    with zipfile.ZipFile(path) as archive:
        for name in sorted(n for n in archive.namelist() if n.startswith("xl/worksheets/") and n.endswith(".xml")):
            for ref, body in _CELL.findall(archive.read(name)):
                if body and b"<f" in body and not _VALUE.search(body):
                    found.append(ref.decode())
    return found


def xlsx_frame(path: Path) -> tuple[pd.DataFrame, str, list[str]]:
    """Read the first sheet: returns ``(frame, sheet_name, notes)``."""
    try:
        workbook = CalamineWorkbook.from_path(str(path))
        sheet_name = workbook.sheet_names[0]
        rows = workbook.get_sheet_by_index(0).to_python(skip_empty_area=False)
    except Exception as exc:  # calamine raises its own error types for every kind of damage
        raise FormatError(f"the xlsx file cannot be read: {str(exc).splitlines()[0][:200]}") from None
    notes: list[str] = []
    blank_formulas = formulas_without_values(path)
    if blank_formulas:
        shown = ", ".join(blank_formulas[:8]) + (" …" if len(blank_formulas) > 8 else "")
        notes.append(f"{len(blank_formulas)} formula cell(s) have no stored value and were read as blank ({shown}); "
                     "open the workbook in a spreadsheet program and save it again to store their values")
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
