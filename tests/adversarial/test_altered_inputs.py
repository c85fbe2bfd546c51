"""Inputs that used to be altered silently are refused or quarantined, by row and column: formula cells with no
stored value, NUL bytes past the sniffer's first 8 KB, a column named twice, loose integers (``1e1``, ``1,7``),
posting dates in the future and exonerations before the conviction; macro-enabled and absurdly sized workbooks are
refused before anything is read."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import openpyxl
import pytest

from analysis.ingest.store import list_snapshots
from tests.adversarial.conftest import HEADER, ROWS, cli, csv_bytes, one_error_line, tree
from tests.adversarial.test_bad_files import COLUMNS, export, row


def _workbook(rows: list[list[str]], *, formula_at: str | None = None,
              far_cell: tuple[int, int] | None = None) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(COLUMNS)
    for r in rows:
        sheet.append(r)
    if formula_at:
        sheet[formula_at] = '=UPPER("cook")'  # openpyxl stores the formula without a cached value
    if far_cell:
        sheet.cell(row=far_cell[0], column=far_cell[1], value="x")
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _ingest(tmp_path: Path, capsys, name: str, data: bytes) -> tuple[int, str, str]:
    path = tmp_path / name
    path.write_bytes(data)
    return cli(capsys, "ingest", "nre", "--from", str(path))


def test_formula_cells_without_values_are_reported(project: Path, tmp_path: Path, capsys):
    county = f"{chr(ord('A') + COLUMNS.index('County'))}3"
    code, _, err = _ingest(tmp_path, capsys, "e.xlsx", _workbook([row(ROWS[0]), row()], formula_at=county))
    assert code == 0, err
    [m] = list_snapshots("nre")
    [note] = [n for n in m.notes if "formula" in n]
    assert note.startswith(f"1 formula cell(s) have no stored value and were read as blank ({county})")


def test_a_macro_enabled_workbook_is_refused(baseline: Path, tmp_path: Path, capsys):
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(_workbook([row()]))) as src, zipfile.ZipFile(buffer, "w") as out:
        for item in src.infolist():
            out.writestr(item, src.read(item.filename))
        out.writestr("xl/vbaProject.bin", b"\xd0\xcf\x11\xe0 not really a VBA project")
    before = tree(baseline / "data")
    code, out, err = _ingest(tmp_path, capsys, "macro.xlsx", buffer.getvalue())
    assert (code, out) == (1, "") and "a macro-enabled workbook" in one_error_line(err)
    assert tree(baseline / "data") == before


def test_a_sheet_reaching_far_out_is_refused_before_reading(baseline: Path, tmp_path: Path, capsys):
    before = tree(baseline / "data")
    code, out, err = _ingest(tmp_path, capsys, "far.xlsx", _workbook([row()], far_cell=(300_000, 24)))
    assert (code, out) == (1, "") and "spans far more cells than any registry export" in one_error_line(err)
    assert tree(baseline / "data") == before


def test_a_nul_byte_past_the_first_8_kb_is_refused(baseline: Path, tmp_path: Path, capsys):
    rows = [row(ROWS[i % 3]) for i in range(200)]
    rows.append(row(ROWS[1], Worst_Crime_Display="Mur\0der"))
    data = export(*rows)
    assert data.index(b"\0") > 8192
    code, out, err = _ingest(tmp_path, capsys, "nul.csv", data)
    assert (code, out) == (1, "")
    assert one_error_line(err).endswith(f"line {len(rows) + 1} holds a NUL byte: a text export never does (the file is "
                                        "damaged or not text); nothing was read")


def test_a_column_named_twice_is_refused(baseline: Path, tmp_path: Path, capsys):
    columns = [*COLUMNS, "FC"]
    data = csv_bytes(columns, [[*row(), "FC"]])
    code, out, err = _ingest(tmp_path, capsys, "twice.csv", data)
    assert (code, out) == (1, "")
    assert f"names the column 'FC' twice (columns {COLUMNS.index('FC') + 1} and {len(columns)})" in one_error_line(err)


@pytest.mark.parametrize(("changes", "column", "value"), [
    ({"Age": "1e1"}, "Age", "1e1"),
    ({"Age": "1,7"}, "Age", "1,7"),
    ({"Posting_Date": "5/6/2099"}, "posting_date", "2099-05-06"),
    ({"Convicted": "2010", "Exonerated": "2001"}, "exoneration_year", "2001"),
])
def test_impossible_or_loose_values_are_quarantined(project: Path, tmp_path: Path, capsys, changes, column, value):
    code, _, err = _ingest(tmp_path, capsys, "e.csv", export(row(ROWS[0]), row(**changes)))
    assert code == 0, err
    code, out, err = cli(capsys, "process")
    assert code == 0, err
    meta = json.loads((project / "data" / "processed" / "exonerations.meta.json").read_text())
    assert any(f"row 3, column {column!r}: {value!r}" in q for q in meta["quarantined"]), meta["quarantined"]


def test_header_is_the_known_one():
    assert HEADER.split(",") == COLUMNS
