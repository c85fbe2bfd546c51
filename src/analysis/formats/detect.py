"""Recognising a file: container (xlsx, csv, json) from its first bytes, export format from what its header and
values mean.

The file name is never used, nor any exact header. Each reader's header match (``analysis.formats.headers``:
the crosswalk, names compared after normalising) says which of its required fields the file fills; the values
then say whether the file has the reader's shape (:data:`SHAPES`: factor flags as codes or as Yes/No, tags
joined by ``;#``, ``", "`` or ``"; "``, as codes or spelled out). The reader that fills every required field and
whose shape fits is chosen; among several, the one whose own spellings name most of the header. A header that
almost fits a reader gives one error naming the required columns it lacks and the closest headers it has.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from types import ModuleType

import pandas as pd

from analysis.errors import FormatError
from analysis.formats import ExportRead, nre_detail_list, nre_full_export, nre_public_spreadsheet
from analysis.formats.cells import Problems, parse_dates
from analysis.formats.codes import FACTOR_CODES
from analysis.formats.headers import HeaderMatch, field_of, match_headers, normalise, references, spellings
from analysis.formats.sniff import check_file
from analysis.formats.text import csv_frame, decode_with_notes
from analysis.formats.xlsx import xlsx_frame

NRE_READERS: tuple[ModuleType, ...] = (nre_full_export, nre_detail_list, nre_public_spreadsheet)
SHEET_DATE = re.compile(r"owssvr\s*-\s*(\d{4}-\d{2}-\d{2})T")
ROW_INDEX_HEADER = re.compile(r"^(column_1|Unnamed: 0|index)$")
LOOKS_LIKE = 0.5  # a reader that fills at least this share of its required fields "looks like" the file
HINT_CUTOFF = 0.8  # difflib ratio from which an unmatched header is named as a likely rename of a missing one
CLOSE_CUTOFF = 0.5  # … and from which it is listed among the closest headers found


@dataclass(frozen=True)
class Shape:
    """What a reader's values look like: factor flags (``codes``: the code, ``Y`` or blank; ``words``: Yes/No),
    the tag column's separator and whether its items are codes (``CIU``) or spelled out (``Conviction
    Integrity Unit``)."""

    flags: str
    tag_separator: str
    tag_items: str


SEPARATORS = (";#", ", ", "; ")
SHAPES = {
    nre_public_spreadsheet.FORMAT: Shape("codes", ";#", "codes"),
    nre_detail_list.FORMAT: Shape("codes", ", ", "codes"),
    nre_full_export.FORMAT: Shape("words", "; ", "words"),
}
# factor flag column (reference spelling) → its code, per reader
FLAG_COLUMNS = {
    nre_public_spreadsheet.FORMAT: {code: code for code in FACTOR_CODES},
    nre_detail_list.FORMAT: {code: code for code in FACTOR_CODES},
    nre_full_export.FORMAT: {column: code for code, (_, column) in FACTOR_CODES.items()},
}
FLAG_WORDS = {"yes", "no", "don't know", "dont know", "no or don't know", "unknown"}
_CODE_ITEM = re.compile(r"[A-Z]{1,4}")


@dataclass
class Candidate:
    """One reader's reading of a header."""

    reader: ModuleType
    match: HeaderMatch
    missing: list[str]
    misfits: list[str]

    @property
    def filled_share(self) -> float:
        return 1 - len(self.missing) / max(len(self.reader.REQUIRED), 1)


def _nonblank(values: pd.Series) -> pd.Series:
    """Distinct stripped non-blank texts of a column with their counts."""
    counts = values.astype("string").fillna("").str.strip().value_counts()
    return counts[counts.index != ""]


def shape_misfits(reader: ModuleType, frame: pd.DataFrame, match: HeaderMatch) -> list[str]:
    """How a frame (read through ``match``, the reader's header match) does not look like the reader's exports;
    empty when it does. Decided by the majority of values, so a stray cell never decides."""
    shape = SHAPES[reader.FORMAT]
    raw = {ref: header for header, ref in match.renames.items()}  # reference spelling → the file's header
    misfits = []
    codes = words = 0
    for column, code in FLAG_COLUMNS[reader.FORMAT].items():
        if column not in raw:
            continue
        for value, n in _nonblank(frame[raw[column]]).items():
            low = str(value).lower().replace("\u2019", "'")
            if low in (code.lower(), "y"):
                codes += n
            elif low in FLAG_WORDS:
                words += n
    if shape.flags == "codes" and words > codes:
        misfits.append("factor flags are Yes/No, not codes")
    if shape.flags == "words" and codes > words:
        misfits.append("factor flags are codes, not Yes/No")
    tag_column = references(reader.PREFIX).get("tags", ("",))[0]
    if tag_column in raw:
        cells = _nonblank(frame[raw[tag_column]])
        joined = {sep: 0 for sep in SEPARATORS}
        code_items = word_items = 0
        for cell, n in cells.items():
            cell = str(cell)
            sep = ";#" if ";#" in cell else ";" if ";" in cell else "," if "," in cell else None
            if sep:
                joined[{";#": ";#", ";": "; ", ",": ", "}[sep]] += n
            for item in re.split(r";#|[;,]", cell):
                item = item.strip()
                if item:
                    if _CODE_ITEM.fullmatch(item):
                        code_items += n
                    else:
                        word_items += n
        expected = joined[shape.tag_separator]
        other = max(joined, key=joined.get)
        if joined[other] > expected:
            misfits.append(f"tags are joined by {other!r}, not {shape.tag_separator!r}")
        if shape.tag_items == "codes" and word_items > code_items:
            misfits.append("tags are spelled out, not codes")
        if shape.tag_items == "words" and code_items > word_items:
            misfits.append("case characteristics are codes, not spelled out")
    return misfits


def candidates(frame: pd.DataFrame) -> list[Candidate]:
    """Every NRE reader's reading of the frame: the required fields its header leaves missing, how its values
    do not fit."""
    out = []
    for reader in NRE_READERS:
        match = match_headers(list(frame.columns), reader.PREFIX)
        missing = sorted(reader.REQUIRED - match.filled)
        misfits = shape_misfits(reader, frame, match)
        out.append(Candidate(reader, match, missing, misfits))
    return out


def identify(frame: pd.DataFrame) -> tuple[ModuleType, HeaderMatch]:
    """The NRE reader for a frame (see module docstring) and its header match; else one-line FormatError."""
    found = candidates(frame)
    complete = [c for c in found if not c.missing]
    fitting = [c for c in complete if not c.misfits]
    if fitting:
        best = max(fitting, key=lambda c: (c.match.own, -len(c.match.unmatched)))
        return best.reader, best.match
    if complete:
        best = max(complete, key=lambda c: c.match.own)
        raise FormatError(f"looks like {best.reader.FORMAT} but its values do not fit: {'; '.join(best.misfits)}")
    best = max(found, key=lambda c: (-len(c.missing), not c.misfits, c.match.own))
    if best.filled_share >= LOOKS_LIKE:
        raise FormatError(f"looks like {best.reader.FORMAT} but lacks required column(s): {_with_hints(best)}")
    shown = ", ".join(best.missing[:8]) + (" …" if len(best.missing) > 8 else "")
    raise FormatError(
        f"header not recognised as a registry export: closest is {best.reader.FORMAT}, which needs {shown}"
    )


def _similarity(header: str, reference: str) -> float:
    """How close a header is to any spelling of a reference's field (difflib ratio of normalised names)."""
    key = normalise(header)
    names = spellings(field_of(reference) or "") or (reference,)
    return max(difflib.SequenceMatcher(None, key, normalise(name)).ratio() for name in names)


def _with_hints(best: Candidate) -> str:
    """``A, B (renamed to 'B?'?)``: the missing required columns, each with the unmatched header most like it
    (when one is close); then, when some have none, the unmatched headers closest to them."""
    unmatched = list(best.match.unmatched)
    parts, hinted, bare = [], set(), []
    for name in best.missing:
        scored = [(_similarity(h, name), h) for h in unmatched if h not in hinted]
        score, header = max(scored, default=(0.0, ""))
        if score >= HINT_CUTOFF:
            parts.append(f"{name} (renamed to {header!r}?)")
            hinted.add(header)
        else:
            parts.append(name)
            bare.append(name)
    text = ", ".join(parts)
    scored = [(max(_similarity(h, name) for name in bare), h) for h in unmatched if h not in hinted] if bare else []
    closest = [h for score, h in sorted(scored, key=lambda x: -x[0]) if score >= CLOSE_CUTOFF][:3]
    if closest:
        text += "; closest unmatched header(s): " + ", ".join(repr(h) for h in closest)
    return text


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


NOT_AN_EXPORT = ("is not a registry export or Innocence Project roster: a registry export is a csv or xlsx whose "
                 "first row names its columns (Last Name, First Name, State, Worst Crime, FC, …), a roster is the "
                 "Innocence Project's JSON list of cases")


def _looks_like_a_header(path: Path, text: str) -> None:
    """Refuse, in words, a text file whose first line names no column any registry export has (a README, a
    Makefile), before the CSV reader complains about its rows."""
    import csv
    import io

    from analysis.formats.headers import field_of

    first = next(csv.reader(io.StringIO(text.lstrip().split("\n", 1)[0])), [])
    if not any(field_of(cell.strip()) for cell in first):
        shown = text.lstrip().split("\n", 1)[0][:60]
        raise FormatError(f"{path.name} {NOT_AN_EXPORT} (its first line is {shown!r})")


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
        _looks_like_a_header(path, text)
        frame, more = csv_frame(text)
        notes += more
    frame, more = drop_row_index(frame)
    notes += more
    reader, match = identify(frame)
    if match.changed:
        frame = frame.rename(columns=match.changed)
        shown = ", ".join(f"{raw!r} as {ref!r}" for raw, ref in list(match.changed.items())[:8])
        notes.append(f"header(s) read by meaning: {shown}{' …' if len(match.changed) > 8 else ''}")
    frame, more = drop_duplicates(frame)
    notes += more
    frame, more = drop_summary_rows(frame, ["Last Name", "First Name", "Last", "First", "Name"])
    notes += more
    if frame.empty:
        raise FormatError("the file has a header but no records")
    if match.unmatched:
        notes.append("column(s) not used by this project (kept in the snapshot, not in the table): "
                     + ", ".join(match.unmatched))
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
