"""Decoding text exports of any vintage and splitting them into rows.

Encodings seen: UTF-8 with or without BOM, cp1252 (one 0xA0 byte), Mac Roman with bare-CR line endings.
Rule: a UTF-16 BOM means UTF-16 (Excel's "Unicode text"); a UTF-8 BOM means UTF-8; otherwise strict UTF-8 if it
decodes; otherwise, when the file holds valid multi-byte UTF-8 as well, it is UTF-8 with a few stray 8-bit bytes
(a mixed-encoding file): those bytes alone are read as cp1252 and reported by line; otherwise Mac Roman when the
file has bare CR line endings and no LF (classic Mac Excel), else cp1252 (which decodes the non-breaking space as
U+00A0).
"""

from __future__ import annotations

import csv
import io
import re

import pandas as pd

from analysis.errors import FormatError

NBSP = "\u00a0"
UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
MAX_STRAY_BYTES = 1000  # more than this and the file is not UTF-8 with a few slips, but an 8-bit file
_UTF8_MULTIBYTE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")


def decode(data: bytes) -> tuple[str, str]:
    """Return ``(text, encoding)`` with line endings normalised to ``\\n``."""
    text, encoding, _ = decode_with_notes(data)
    return text, encoding


def decode_with_notes(data: bytes) -> tuple[str, str, list[str]]:
    """Like :func:`decode`, plus notes about bytes that had to be guessed (naming their lines)."""
    notes: list[str] = []
    if data.startswith(UTF16_BOMS):
        text, encoding = data.decode("utf-16", errors="replace"), "utf-16"
    else:
        encoding = "utf-8"
        body = data[3:] if data.startswith(b"\xef\xbb\xbf") else data
        if body is not data:
            encoding = "utf-8-sig"
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError:
            has_utf8 = body is not data or _UTF8_MULTIBYTE.search(body) is not None
            mixed = _utf8_with_stray_bytes(body) if has_utf8 else None
            if mixed is not None:
                text, lines = mixed
                shown = ", ".join(map(str, lines[:10])) + (" …" if len(lines) > 10 else "")
                notes.append(f"byte(s) that are not UTF-8 on line(s) {shown} were read as cp1252 (a file with mixed "
                             "encodings); check those cells")
            elif body is not data:  # a UTF-8 BOM, yet many bytes that are not UTF-8
                text = body.decode("utf-8", errors="replace")
                notes.append("the file starts with a UTF-8 byte-order mark but many bytes are not UTF-8; they were "
                             "replaced by \ufffd")
            else:
                bare_cr = b"\r" in data and b"\n" not in data
                encoding = "mac_roman" if bare_cr else "cp1252"
                text = data.decode(encoding, errors="replace")
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "\x00" in text:  # the sniffer looks at the first 8 KB only; a NUL further on would silently split a word
        line = text.count("\n", 0, text.index("\x00")) + 1
        raise FormatError(f"line {line} holds a NUL byte: a text export never does (the file is damaged or not "
                          "text); nothing was read")
    return text, encoding, notes


def _utf8_with_stray_bytes(data: bytes) -> tuple[str, list[int]] | None:
    """UTF-8 text whose undecodable bytes are read one by one as cp1252, and the (1-based) lines they are on.

    None when there are more than ``MAX_STRAY_BYTES`` such bytes.
    """
    newline = b"\n" if b"\n" in data else b"\r"
    pieces: list[str] = []
    lines: list[int] = []
    pos = 0
    for _ in range(MAX_STRAY_BYTES + 1):
        try:
            pieces.append(data[pos:].decode("utf-8"))
            return "".join(pieces), sorted(set(lines))
        except UnicodeDecodeError as exc:
            start, end = pos + exc.start, pos + exc.end
            pieces.append(data[pos:start].decode("utf-8"))
            pieces.append(data[start:end].decode("cp1252", errors="replace"))
            lines.append(data.count(newline, 0, start) + 1)
            pos = end
    return None


def clean_cell(value: object) -> str:
    """A cell as stripped text; non-breaking spaces become spaces; missing becomes ''."""
    if value is None:
        return ""
    return str(value).replace(NBSP, " ").strip()


def csv_frame(text: str) -> tuple[pd.DataFrame, list[str]]:
    """Parse CSV text into an all-text frame with cleaned headers.

    Rows with more cells than the header raise ``FormatError`` naming the row; shorter rows are padded.
    Returns the frame and notes about what was dropped (blank lines). The fast path is pandas' C parser; any
    irregular file goes through the row-by-row reader, which names the offending row.
    """
    try:
        # bytes, not StringIO: a StringIO holds 4 bytes a character, UTF-8 about 1 (memory at 100x scale)
        frame = pd.read_csv(io.BytesIO(text.encode("utf-8")), encoding="utf-8", dtype=str, keep_default_na=False,
                            na_filter=False, skip_blank_lines=True, engine="c")
    except (pd.errors.ParserError, pd.errors.EmptyDataError, ValueError):
        return _csv_frame_rowwise(text)
    header = [clean_cell(h) for h in frame.columns]
    first_line = next(csv.reader(io.StringIO(text.split("\n", 1)[0])), [])
    raw_names = [clean_cell(h) for h in first_line]
    repeated = len([n for n in raw_names if n]) != len({n for n in raw_names if n})  # pandas renames copies "X.1"
    if repeated or any(str(h).startswith("Unnamed: ") for h in frame.columns[1:]) or len(set(header)) != len(header):
        return _csv_frame_rowwise(text)
    frame.columns = [h if not str(h).startswith("Unnamed: ") and h else f"column_{i + 1}"
                     for i, h in enumerate(header)]
    for col in frame.columns:
        frame[col] = frame[col].str.replace(NBSP, " ", regex=False).str.strip()
    notes: list[str] = []
    empty = frame.eq("").all(axis=1)
    if empty.any():
        notes.append(f"skipped {int(empty.sum())} blank line(s)")
        frame = frame[~empty].reset_index(drop=True)
    return frame, notes


def _csv_frame_rowwise(text: str) -> tuple[pd.DataFrame, list[str]]:
    """The row-by-row CSV reader used for irregular files."""
    reader = csv.reader(io.StringIO(text))
    try:
        rows = list(reader)
    except csv.Error as exc:
        raise FormatError(f"not a readable CSV file: {exc}") from None
    if not rows:
        raise FormatError("the file is empty: no header row")
    header = [clean_cell(h) for h in rows[0]]
    body: list[list[str]] = []
    notes: list[str] = []
    blank = 0
    for line_no, row in enumerate(rows[1:], start=2):
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
    """An all-text DataFrame; an empty header name becomes ``column_<n>``. A name given twice is a
    ``FormatError``: which copy holds the data would be a guess (no export of the registry repeats a name)."""
    seen: dict[str, int] = {}
    names = []
    for i, name in enumerate(header):
        name = name or f"column_{i + 1}"
        if name in seen:
            raise FormatError(f"the header names the column {name!r} twice (columns {seen[name] + 1} and {i + 1}): "
                              "not an export as the registry writes it; remove or rename one copy")
        seen[name] = i
        names.append(name)
    return pd.DataFrame(body, columns=names, dtype=object)
