"""Decoding text exports of any vintage and splitting them into rows.

Encodings seen: UTF-8 with or without BOM, cp1252 (one 0xA0 byte), Mac Roman with bare-CR line endings.
Rule: a UTF-8 BOM means UTF-8; otherwise strict UTF-8 if it decodes; otherwise Mac Roman when the file has bare
CR line endings and no LF (classic Mac Excel), else cp1252 (which decodes the non-breaking space as U+00A0).
"""

from __future__ import annotations

import csv
import io

import pandas as pd

from analysis.errors import FormatError

NBSP = "\u00a0"


def decode(data: bytes) -> tuple[str, str]:
    """Return ``(text, encoding)`` with line endings normalised to ``\\n``."""
    if data.startswith(b"\xef\xbb\xbf"):
        text, encoding = data[3:].decode("utf-8", errors="replace"), "utf-8-sig"
    else:
        try:
            text, encoding = data.decode("utf-8"), "utf-8"
        except UnicodeDecodeError:
            bare_cr = b"\r" in data and b"\n" not in data
            encoding = "mac_roman" if bare_cr else "cp1252"
            text = data.decode(encoding, errors="replace")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text, encoding


def clean_cell(value: object) -> str:
    """A cell as stripped text; non-breaking spaces become spaces; missing becomes ''."""
    if value is None:
        return ""
    return str(value).replace(NBSP, " ").strip()


def csv_frame(text: str) -> tuple[pd.DataFrame, list[str]]:
    """Parse CSV text into an all-text frame with cleaned headers.

    Rows with more cells than the header raise ``FormatError`` naming the row; shorter rows are padded.
    Returns the frame and notes about what was dropped (blank lines).
    """
    reader = csv.reader(io.StringIO(text))
    try:
        rows = list(reader)
    except csv.Error as exc:
        raise FormatError(f"not a readable CSV file: {exc}") from None
    rows_iter = [r for r in rows]
    if not rows_iter:
        raise FormatError("the file is empty: no header row")
    header = [clean_cell(h) for h in rows_iter[0]]
    body: list[list[str]] = []
    notes: list[str] = []
    blank = 0
    for line_no, row in enumerate(rows_iter[1:], start=2):
        cells = [clean_cell(c) for c in row]
        if not any(cells):
            blank += 1
            continue
        if len(cells) > len(header):
            extra = cells[len(header):]
            if any(extra):
                raise FormatError(
                    f"row {line_no} has {len(cells)} cells but the header has {len(header)} columns"
                )
            cells = cells[: len(header)]
        cells += [""] * (len(header) - len(cells))
        body.append(cells)
    if blank:
        notes.append(f"skipped {blank} blank line(s)")
    return frame_from_rows(header, body), notes


def frame_from_rows(header: list[str], body: list[list[str]]) -> pd.DataFrame:
    """An all-text DataFrame; duplicate or empty header names get a positional suffix."""
    seen: dict[str, int] = {}
    names = []
    for i, name in enumerate(header):
        name = name or f"column_{i + 1}"
        if name in seen:
            seen[name] += 1
            name = f"{name}.{seen[name]}"
        else:
            seen[name] = 0
        names.append(name)
    return pd.DataFrame(body, columns=names, dtype=object)
