"""Parsing published text into typed values, with every rejected value reported by row and column.

Rows are numbered as a spreadsheet user sees them: the header is row 1, the first record row 2.
A value that cannot be parsed, or is out of range, becomes missing and is reported ("quarantined"); it never
silently becomes a wrong number.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

import pandas as pd

ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$")
US_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{2}|\d{4})$")
YEAR = re.compile(r"^\d{1},?\d{3}(?:\.0+)?$")


@dataclass
class Problems:
    """Values that were set to missing because they could not be read, by row and column."""

    items: list[str] = field(default_factory=list)

    def add(self, row: int, column: str, value: str, why: str) -> None:
        self.items.append(f"row {row}, column {column!r}: {value!r} {why}; set to missing")

    def summary(self, limit: int = 5) -> str:
        shown = "; ".join(self.items[:limit])
        more = f" (and {len(self.items) - limit} more)" if len(self.items) > limit else ""
        return f"{len(self.items)} value(s) quarantined: {shown}{more}"


def _rows(index: Iterable[int]) -> list[int]:
    return [int(i) + 2 for i in index]


def _two_digit_year(yy: int) -> int:
    """m/d/yy years: 00-29 -> 2000s, 30-99 -> 1900s (the registry's records start in the 1800s only in the
    2026 export, which uses ISO dates)."""
    return 2000 + yy if yy < 30 else 1900 + yy


def parse_date_text(text: str) -> pd.Timestamp | None:
    """Parse ISO ``YYYY-MM-DD`` (time part ignored), ``m/d/yy`` or ``m/d/yyyy``; None if invalid."""
    text = text.strip()
    m = ISO_DATE.match(text)
    if m:
        year, month, day = int(m[1]), int(m[2]), int(m[3])
    else:
        m = US_DATE.match(text)
        if not m:
            return None
        month, day, year = int(m[1]), int(m[2]), int(m[3])
        if len(m[3]) == 2:
            year = _two_digit_year(year)
    try:
        return pd.Timestamp(year=year, month=month, day=day)
    except ValueError:
        return None


def parse_dates(values: pd.Series, column: str, problems: Problems) -> pd.Series:
    """Text dates to ``datetime64[ns]``; blanks are missing, invalid ones quarantined."""
    out = []
    for idx, raw in values.items():
        text = "" if pd.isna(raw) else str(raw).strip()
        if not text:
            out.append(pd.NaT)
            continue
        ts = parse_date_text(text)
        if ts is None or not (1800 <= ts.year <= 2100):
            problems.add(int(idx) + 2, column, text, "is not a valid date")
            out.append(pd.NaT)
        else:
            out.append(ts)
    return pd.Series(pd.to_datetime(out), index=values.index, dtype="datetime64[ns]")


def parse_ints(
    values: pd.Series, column: str, problems: Problems, *, lo: int, hi: int, zero_is_missing: bool = False,
    what: str = "number",
) -> pd.Series:
    """Whole numbers (``"1,991"`` and ``"31.0"`` accepted) to ``Int64``; outside [lo, hi] quarantined."""
    out: list[int | None] = []
    for idx, raw in values.items():
        text = "" if pd.isna(raw) else str(raw).strip().replace(",", "")
        if not text:
            out.append(None)
            continue
        try:
            number = float(text)
        except ValueError:
            problems.add(int(idx) + 2, column, str(raw), f"is not a valid {what}")
            out.append(None)
            continue
        if zero_is_missing and number == 0:
            out.append(None)
            continue
        if not number.is_integer() or not lo <= number <= hi:
            problems.add(int(idx) + 2, column, str(raw), f"is not a valid {what} ({lo}-{hi})")
            out.append(None)
            continue
        out.append(int(number))
    return pd.Series(out, index=values.index, dtype="Int64")


def parse_floats(values: pd.Series, column: str, problems: Problems, *, lo: float, hi: float) -> pd.Series:
    """Decimal numbers to ``Float64``; outside [lo, hi] quarantined."""
    out: list[float | None] = []
    for idx, raw in values.items():
        text = "" if pd.isna(raw) else str(raw).strip().replace(",", "")
        if not text:
            out.append(None)
            continue
        try:
            number = float(text)
        except ValueError:
            number = float("nan")
        if not lo <= number <= hi:
            problems.add(int(idx) + 2, column, str(raw), f"is not a valid number ({lo}-{hi})")
            out.append(None)
        else:
            out.append(number)
    return pd.Series(out, index=values.index, dtype="Float64")


def text(values: pd.Series) -> pd.Series:
    """Stripped text as pandas ``string`` dtype, blanks missing."""
    s = values.fillna("").astype(str).str.replace("\u00a0", " ").str.strip()
    s = s.str.replace(r"\s+", " ", regex=True)
    return s.where(s != "", None).astype("string")


def split_multi(values: pd.Series, separator: str) -> pd.Series:
    """Multi-value cells (``;#``, ``", "`` or ``"; "`` joined) to lists of stripped items."""
    def split(cell: object) -> list[str]:
        if pd.isna(cell) or not str(cell).strip():
            return []
        return [p.strip() for p in str(cell).split(separator) if p.strip()]

    return values.map(split)
