"""Broken input files: rejected with one line naming the problem, or quarantined value by value.

In every case the earlier snapshot stays as it was, and a rejected file leaves the processed table
(``data/processed/exonerations.parquet``, made by a real ingest + process) byte-identical.
"""

from __future__ import annotations

import io
import re
import struct
import zipfile
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest

from tests.adversarial.conftest import HEADER, ROWS, cli, csv_bytes, one_error_line, temp_names, tree

COLUMNS = HEADER.split(",")


def row(base: str = ROWS[2], **changes: str) -> list[str]:
    """A record (default: the third sample row) with some cells changed, by column name."""
    cells = base.split(",")
    for name, value in changes.items():
        cells[COLUMNS.index(name.replace("_", " "))] = value
    return cells


def export(*rows: list[str], columns: list[str] = COLUMNS) -> bytes:
    return csv_bytes(columns, [list(r) for r in rows])


def xlsx_bytes() -> bytes:
    """A valid workbook holding the first and third sample rows."""
    frame = pd.DataFrame([row(ROWS[0]), row()], columns=COLUMNS)
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as xl:
        frame.to_excel(xl, index=False)
    return buffer.getvalue()


def corrupt_xlsx() -> bytes:
    """The workbook with 8 bytes in the middle of its largest member flipped (bad data / checksum)."""
    data = xlsx_bytes()
    info = max(zipfile.ZipFile(io.BytesIO(data)).infolist(), key=lambda i: i.compress_size)
    name_len, extra_len = struct.unpack("<HH", data[info.header_offset + 26: info.header_offset + 30])
    mid = info.header_offset + 30 + name_len + extra_len + info.compress_size // 2
    return data[:mid] + bytes(b ^ 0xFF for b in data[mid: mid + 8]) + data[mid + 8:]


def zip_bomb() -> bytes:
    """An xlsx-shaped zip whose sheet inflates to 40 MB from about 40 KB."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("xl/workbook.xml", "<workbook/>")
        zf.writestr("xl/worksheets/sheet1.xml", b"<" * (40 * 1024 * 1024))
    return buffer.getvalue()


def zip_of_csv() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("export.csv", export(row()))
    return buffer.getvalue()


PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 64
PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n"

# rejected at ingest: case -> (file name, bytes, pattern of the one-line error)
REJECTED: dict[str, tuple[str, Callable[[], bytes], str]] = {
    "empty file": ("export.csv", lambda: b"", r"export\.csv is an empty file \(0 bytes\)"),
    "blank lines only": ("export.csv", lambda: b"\r\n \r\n\r\n", r"the file is empty"),
    "header only": ("export.csv", lambda: (HEADER + "\r\n").encode(), r"the file has a header but no records"),
    "header missing a required column": (
        "export.csv", lambda: export([c for i, c in enumerate(row()) if i != 6],
                                     columns=[c for c in COLUMNS if c != "County"]),
        r"looks like nre_public_spreadsheet but lacks required column\(s\): County$"),
    "row with more cells than the header": (
        "export.csv", lambda: export(row(ROWS[0]), row() + ["surplus", "cells"]),
        r"row 3 has 25 cells but the header has 23 columns"),
    "truncated xlsx": ("export.xlsx", lambda: xlsx_bytes()[: len(xlsx_bytes()) // 2],
                       r"export\.xlsx is a truncated or corrupt zip/xlsx file"),
    "corrupt xlsx": ("export.xlsx", corrupt_xlsx, r"export\.xlsx is a corrupt zip/xlsx file"),
    "zip bomb xlsx": ("export.xlsx", zip_bomb, r"would inflate far beyond any real export \(a zip bomb\?\)"),
    "zip that is not a workbook": ("export.xlsx", zip_of_csv, r"a zip archive that is not an Excel workbook"),
    "PDF renamed .xlsx": ("export.xlsx", lambda: PDF, r"export\.xlsx is a PDF document"),
    "PNG renamed .xlsx": ("export.xlsx", lambda: PNG, r"unknown binary data \(starts with 89 50 4e 47"),
}

# ingested, then refused by ``process``: case -> (bytes, pattern)
PROCESS_REJECTED: dict[str, tuple[Callable[[], bytes], str]] = {
    "unknown state name": (lambda: export(row(ROWS[0]), row(State="Atlantis")),
                           r"unknown state name\(s\): Atlantis \(row 3\)"),
}

# ingested and processed; one value set missing with a warning: case -> (row cells, column, value)
QUARANTINED: dict[str, tuple[list[str], str, str, str]] = {
    "date 13/45/2019": (row(Posting_Date="13/45/2019"), "Posting Date", "13/45/2019", "posting_date"),
    "date 0": (row(Posting_Date="0"), "Posting Date", "0", "posting_date"),
    "age -3": (row(Age="-3"), "Age", "-3", "age"),
    "age 200": (row(Age="200"), "Age", "200", "age"),
    "year with a letter O": (row(Convicted="2OO0"), "Convicted", "2OO0", "conviction_year"),
    "factor cell with a stray word": (row(FC="maybe"), "FC", "maybe", "fc"),
}

MIXED_ENCODING = "UTF-8 file with a stray cp1252 byte"
CASES = [*REJECTED, *PROCESS_REJECTED, *QUARANTINED, MIXED_ENCODING]


def _ingest(capsys: pytest.CaptureFixture[str], path: Path) -> str:
    code, out, err = cli(capsys, "ingest", "nre", "--from", str(path))
    assert code == 0, err
    return out.split()[2]  # "stored snapshot <id> (...)"


@pytest.mark.parametrize("case", list(REJECTED))
def test_rejected_at_ingest(case: str, baseline: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    name, make, pattern = REJECTED[case]
    path = tmp_path / name
    path.write_bytes(make())
    before = tree(baseline / "data")
    code, out, err = cli(capsys, "ingest", "nre", "--from", str(path))
    assert (code, out) == (1, "")
    assert re.search(pattern, one_error_line(err)), err
    assert tree(baseline / "data") == before
    assert temp_names(baseline / "data") == []


@pytest.mark.parametrize("case", list(PROCESS_REJECTED))
def test_rejected_at_process(case: str, baseline: Path, tmp_path: Path,
                             capsys: pytest.CaptureFixture[str]) -> None:
    make, pattern = PROCESS_REJECTED[case]
    path = tmp_path / "export.csv"
    path.write_bytes(make())
    snapshot_id = _ingest(capsys, path)
    before = tree(baseline / "data")
    code, out, err = cli(capsys, "process", "--snapshot", snapshot_id)
    assert (code, out) == (1, "")
    assert re.search(pattern, one_error_line(err)), err
    assert tree(baseline / "data") == before
    assert temp_names(baseline / "data") == []


@pytest.mark.parametrize("case", list(QUARANTINED))
def test_quarantined(case: str, baseline: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    cells, column, value, canonical = QUARANTINED[case]
    path = tmp_path / "export.csv"
    path.write_bytes(export(row(ROWS[0]), cells))
    raw_before = tree(baseline / "data" / "raw")
    snapshot_id = _ingest(capsys, path)
    code, _, err = cli(capsys, "process", "--snapshot", snapshot_id)
    assert code == 0, err
    assert f"row 3, column {column!r}: {value!r}" in err and err.startswith("warning: "), err
    table = pd.read_parquet(baseline / "data" / "processed" / "exonerations.parquet")
    assert len(table) == 2  # nothing dropped
    assert pd.isna(table.iloc[1][canonical])
    assert list(table["last_name"]) == ["Abbitt", "Roe"]
    raw_after = tree(baseline / "data" / "raw")
    assert {k: v for k, v in raw_after.items() if k in raw_before} == raw_before


def test_mixed_encodings(baseline: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = export(row(ROWS[0], First_Name="José"), row(First_Name="RENE")).replace(b"RENE", b"Ren\xe9")
    path = tmp_path / "export.csv"
    path.write_bytes(data)
    snapshot_id = _ingest(capsys, path)
    code, _, err = cli(capsys, "process", "--snapshot", snapshot_id)
    assert code == 0, err
    assert re.search(r"warning: byte\(s\) that are not UTF-8 on line\(s\) 3 were read as cp1252", err), err
    table = pd.read_parquet(baseline / "data" / "processed" / "exonerations.parquet")
    assert list(table["first_name"]) == ["José", "René"]  # neither the UTF-8 nor the cp1252 name garbled
