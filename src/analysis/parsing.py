"""Parsing published text into typed values, with every rejected value reported by row and column.

Rows are numbered as a spreadsheet user sees them: the header is row 1, the first record row 2.
A value that cannot be parsed, or is out of range, becomes missing and is reported ("quarantined"); it never
silently becomes a wrong number.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd


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


class _Uniques:
    """The distinct stripped texts of a column and where each row points; work is done once per distinct value
    (a column of 431,000 dates has about 10,000), then spread back to the rows."""

    def __init__(self, values: pd.Series):
        self.index = values.index
        self.codes, uniques = pd.factorize(values, use_na_sentinel=False)
        self.text = pd.Series(uniques, dtype=object).astype("string").fillna("").str.strip()
        self.blank = self.text.eq("")

    def spread(self, result: pd.Series) -> pd.Series:
        """A per-unique result as a per-row Series."""
        return result.iloc[self.codes].set_axis(self.index)

    def report(self, problems: Problems, bad: pd.Series, column: str, why: str) -> None:
        """Add a problem for every row whose value is flagged ``bad`` (a per-unique mask)."""
        bad_rows = bad.to_numpy(dtype=bool, na_value=False)[self.codes]
        for position in bad_rows.nonzero()[0]:
            problems.add(int(self.index[position]) + 2, column, str(self.text.iloc[self.codes[position]]), why)


def parse_dates(values: pd.Series, column: str, problems: Problems) -> pd.Series:
    """Text dates to ``datetime64[ns]``; blanks are missing, invalid ones quarantined.

    Accepted: ISO ``YYYY-MM-DD`` (a time part is ignored), ``m/d/yyyy`` and ``m/d/yy`` (00–29 → 2000s).
    """
    u = _Uniques(values)
    textual = u.text
    iso = pd.to_datetime(textual.str.slice(0, 10), format="%Y-%m-%d", errors="coerce")
    us4 = pd.to_datetime(textual, format="%m/%d/%Y", errors="coerce")
    parts = textual.str.extract(r"^(\d{1,2})/(\d{1,2})/(\d{2})$")
    yy = pd.to_numeric(parts[2], errors="coerce")
    full_year = (yy + 1900).where(yy >= 30, yy + 2000)
    us2_text = parts[0] + "/" + parts[1] + "/" + full_year.astype("Int64").astype("string")
    us2 = pd.to_datetime(us2_text, format="%m/%d/%Y", errors="coerce")
    out = iso.fillna(us4).fillna(us2)
    out = out.where((out.dt.year >= 1800) & (out.dt.year <= 2100))
    u.report(problems, ~u.blank & out.isna(), column, "is not a valid date")
    return u.spread(out.astype("datetime64[ns]"))


def parse_ints(
    values: pd.Series, column: str, problems: Problems, *, lo: int, hi: int, zero_is_missing: bool = False,
    what: str = "number",
) -> pd.Series:
    """Whole numbers (``"1,991"`` and ``"31.0"`` accepted) to ``Int64``; outside [lo, hi] quarantined."""
    u = _Uniques(values)
    numbers = pd.to_numeric(u.text.str.replace(",", "", regex=False), errors="coerce")
    u.report(problems, ~u.blank & numbers.isna(), column, f"is not a valid {what}")
    if zero_is_missing:
        numbers = numbers.where(numbers != 0)
    bad = numbers.notna() & ((numbers % 1 != 0) | (numbers < lo) | (numbers > hi))
    u.report(problems, bad, column, f"is not a valid {what} ({lo}-{hi})")
    return u.spread(numbers.where(~bad).astype("Float64").astype("Int64"))


def parse_floats(values: pd.Series, column: str, problems: Problems, *, lo: float, hi: float) -> pd.Series:
    """Decimal numbers to ``Float64``; outside [lo, hi] quarantined."""
    u = _Uniques(values)
    numbers = pd.to_numeric(u.text.str.replace(",", "", regex=False), errors="coerce")
    bad = ~u.blank & (numbers.isna() | (numbers < lo) | (numbers > hi))
    u.report(problems, bad, column, f"is not a valid number ({lo}-{hi})")
    return u.spread(numbers.where(~bad).astype("Float64"))


def on_uniques(values: pd.Series, function) -> pd.Series:  # noqa: ANN001
    """Apply ``function`` (Series of distinct values → Series of results, same index) once per distinct value."""
    codes, uniques = pd.factorize(values, use_na_sentinel=False)
    result = function(pd.Series(uniques, dtype=object))
    return result.iloc[codes].set_axis(values.index)


def text(values: pd.Series) -> pd.Series:
    """Stripped text as pandas ``string`` dtype, blanks missing, inner runs of whitespace made one space."""
    def clean(u: pd.Series) -> pd.Series:
        s = u.astype("string").fillna("").str.replace("\u00a0", " ").str.strip()
        s = s.str.replace(r"\s+", " ", regex=True)
        return s.where(s != "", None).astype("string")

    return on_uniques(values, clean)


def split_multi(values: pd.Series, separator: str) -> pd.Series:
    """Multi-value cells (``;#``, ``", "`` or ``"; "`` joined) to lists of stripped items."""
    def split(cell: object) -> list[str]:
        if pd.isna(cell) or not str(cell).strip():
            return []
        return [p.strip() for p in str(cell).split(separator) if p.strip()]

    return values.map(split)
