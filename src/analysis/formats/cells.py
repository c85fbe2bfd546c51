"""Parsing published text into typed values, with every rejected value reported by row and column.

Rows are numbered as a spreadsheet user sees them: the header is row 1, the first record row 2.
A value that cannot be parsed, or is out of range, becomes missing and is reported ("quarantined"); it never
silently becomes a wrong number.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from analysis.formats.codes import MILITARY, OM_CODES, RACE_ALIASES, STATE_ABBR, TAG_CODES
from analysis.formats.names import is_name_suffix


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


DATE_YEARS = (1800, 2100)  # a date outside these years is quarantined
EXCEL_EPOCH = pd.Timestamp("1899-12-30")  # Excel's 1900 system: serial n is this day + n days (n >= 61)
# serials of 1900-03-01 … 2100-12-31; below 61 Excel counts its phantom 1900-02-29, and no registry date is there
EXCEL_SERIALS = (61, 73415)
_ISO_DATE = r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T].*)?$"
_US_DATE = r"^(\d{1,2})/(\d{1,2})/(\d{4}|\d{2})(?:\s+\d{1,2}:\d{2}(?::\d{2})?(?:\s*[AaPp][Mm])?)?$"
_SERIAL = r"\d+(?:\.\d+)?"


def _numbers(parts: pd.Series) -> pd.Series:
    """Text to float (NaN where not a number); ``"1,991"`` and ``"3.0"`` accepted."""
    cleaned = parts.astype("string").str.strip().str.replace(",", "", regex=False)
    return pd.to_numeric(cleaned, errors="coerce").astype("Float64").astype("float64")


def _whole(numbers: pd.Series) -> pd.Series:
    return numbers.where(numbers % 1 == 0)


def _from_numbers(year: pd.Series, month: pd.Series, day: pd.Series) -> pd.Series:
    """Dates from whole-number parts; missing where a part is missing or the date does not exist (31 April) or
    its year is outside ``DATE_YEARS``."""
    year, month, day = _whole(year), _whole(month), _whole(day)
    ok = year.between(*DATE_YEARS) & month.notna() & day.notna()
    parts = pd.DataFrame({"year": year.where(ok), "month": month.where(ok), "day": day.where(ok)})
    return pd.to_datetime(parts, errors="coerce").astype("datetime64[ns]")


def _dates_from_text(textual: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Dates from stripped texts of every form (see :func:`parse_dates`), and which texts are bare years."""
    iso = textual.str.extract(_ISO_DATE)
    out = _from_numbers(_numbers(iso[0]), _numbers(iso[1]), _numbers(iso[2]))
    us = textual.str.extract(_US_DATE)
    yy = _numbers(us[2])
    year = yy.where(us[2].str.len().eq(4), (yy + 1900).where(yy >= 30, yy + 2000))
    out = out.fillna(_from_numbers(year, _numbers(us[0]), _numbers(us[1])))
    serial = _numbers(textual.where(textual.str.fullmatch(_SERIAL).fillna(False)))
    bare_year = textual.str.fullmatch(r"\d{4}").fillna(False) & serial.between(*DATE_YEARS)
    days = (serial // 1).where(serial.between(*EXCEL_SERIALS) & ~bare_year)
    out = out.fillna((EXCEL_EPOCH + pd.to_timedelta(days, unit="D")).astype("datetime64[ns]"))
    return out, bare_year


def parse_dates(values: pd.Series, column: str, problems: Problems) -> pd.Series:
    """Cells of any date form to ``datetime64[ns]``; blanks are missing, anything else unreadable is quarantined.

    Every container's forms are accepted: ISO ``YYYY-MM-DD`` (a time part is ignored; xlsx dates, ``datetime``
    and ``Timestamp`` values arrive so), ``m/d/yyyy`` and ``m/d/yy`` (00–29 → 2000s, 30–99 → 1900s; an Excel
    ``h:mm`` time after it is ignored), and Excel serial day numbers of the 1900 system as whole or decimal text
    (``44927`` and ``44927.0`` → 2023-01-01; a time fraction is ignored) from 61 (1900-03-01, past Excel's
    phantom 1900-02-29) to 73415 (2100-12-31). A date outside 1800–2100, a serial outside its range and a bare
    four-digit year (``1995`` is a year, not serial 1995) are quarantined. Work is done once per distinct value.
    """
    u = _Uniques(values)
    out, bare_year = _dates_from_text(u.text)
    u.report(problems, bare_year, column, "is a year, not a date")
    u.report(problems, ~u.blank & out.isna() & ~bare_year, column, "is not a valid date")
    return u.spread(out)


def date_from_parts(year: pd.Series, month: pd.Series, day: pd.Series, *, problems: Problems | None = None,
                    column: str = "date") -> pd.Series:
    """One date from split year / month / day columns (the full export's crime, arrest and second-conviction
    dates): the full date where all three are known, else missing. A month or day of ``0``/``00`` or blank is not
    known. With ``problems``, an impossible part (month 13, year 2300, 31 April, text) is quarantined under
    ``column``, its value shown as ``year/month/day``. Work is done once per distinct combination."""
    def cell(parts: pd.Series) -> pd.Series:
        return parts.astype("string").fillna("").str.strip()

    u = _Uniques(cell(year) + "/" + cell(month) + "/" + cell(day))
    split = u.text.str.split("/", n=2, expand=True).reindex(columns=range(3)).fillna("")
    y, m, d = (_numbers(split[i]) for i in range(3))
    given = [split[i].ne("") for i in range(3)]
    m, d = m.where(m != 0), d.where(d != 0)
    out = _from_numbers(y, m, d)
    bad = ((given[0] & ~_whole(y).between(*DATE_YEARS))
           | (given[1] & ~_whole(m).between(1, 12) & m.notna()) | (given[1] & _numbers(split[1]).isna())
           | (given[2] & ~_whole(d).between(1, 31) & d.notna()) | (given[2] & _numbers(split[2]).isna())
           | (y.notna() & m.notna() & d.notna() & out.isna()))
    if problems is not None:
        u.report(problems, bad, column, "is not a valid date")
    return u.spread(out.where(~bad))


INTEGER_TEXT = r"-?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.0+)?"
"""A whole number as exports write one: ``1991``, ``1,991``, ``31.0``, ``-3`` (then range-checked)."""


def parse_ints(
    values: pd.Series, column: str, problems: Problems, *, lo: int, hi: int, zero_is_missing: bool = False,
    what: str = "number",
) -> pd.Series:
    """Whole numbers to ``Int64``, read strictly: digits, with thousands separators in the right places (``"1,991"``)
    or a zero fraction as spreadsheets write them (``"31.0"``); ``"1e1"``, ``"1,7"``, ``"0x1A"`` and anything else
    are quarantined, as are numbers outside [lo, hi]."""
    u = _Uniques(values)
    strict = u.text.str.fullmatch(INTEGER_TEXT).fillna(False).astype(bool)
    numbers = pd.to_numeric(u.text.where(strict).str.replace(",", "", regex=False), errors="coerce")
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


# Building blocks shared by the NRE format readers: flags, tags, names and places.
ABBR_STATE = {abbr: name for name, abbr in STATE_ABBR.items()}
TRUE_WORDS = {"yes", "y", "true", "1", "x"}
FALSE_WORDS = {"no", "n", "false", "0"}


def code_flag(values: pd.Series, code: str, column: str, problems: Problems) -> pd.Series:
    """Old-format factor cell: the code itself, ``Y``/``Yes`` → True; blank → False (not coded);
    anything else is quarantined as missing."""
    out = []
    for idx, raw in values.items():
        cell = "" if pd.isna(raw) else str(raw).strip()
        low = cell.lower()
        if not cell or low in FALSE_WORDS:
            out.append(False)
        elif cell.upper() == code.upper() or low in TRUE_WORDS:
            out.append(True)
        else:
            problems.add(int(idx) + 2, column, cell, f"is not {code!r}, 'Y' or blank")
            out.append(None)
    return pd.Series(out, index=values.index, dtype="boolean")


def yes_no(values: pd.Series, column: str, problems: Problems, *, blank: bool | None) -> pd.Series:
    """New-format Yes/No cell; ``blank`` says what an empty cell means (False = not coded, None = unknown).
    ``Don't Know`` and its variants are missing."""
    textual = values.astype("string").fillna("").str.strip()
    low = textual.str.lower().str.replace("\u2019", "'", regex=False)
    out = pd.Series(pd.NA, index=values.index, dtype="boolean")
    out[low.isin(TRUE_WORDS)] = True
    out[low.isin(FALSE_WORDS)] = False
    if blank is not None:
        out[low.eq("")] = blank
    unknown = ~low.isin(TRUE_WORDS | FALSE_WORDS) & low.ne("") & ~low.str.contains("know", regex=False)
    for idx, cell in textual[unknown].items():
        problems.add(int(idx) + 2, column, str(cell), "is not Yes, No or blank")
    return out


def tags_from_codes(lists: pd.Series, warn: list[str], column: str = "Tags") -> dict[str, pd.Series]:
    """Tag booleans from lists of old-format codes.

    A tag code that appears in no row of the file is treated as not yet in use: the column is missing (NA),
    because the file cannot tell "no" from "not coded yet". Unknown codes are reported.
    """
    seen: set[str] = set()
    for items in lists:
        seen.update(items)
    unknown = sorted(seen - set(TAG_CODES))
    if unknown:
        warn.append(f"unknown tag code(s) in {column!r} kept out of the table: {', '.join(unknown)}")
    out = {}
    for code, (name, _) in TAG_CODES.items():
        if code in seen:
            out[name] = lists.map(lambda items, c=code: c in items).astype("boolean")
        else:
            out[name] = pd.Series(pd.NA, index=lists.index, dtype="boolean")
    return out


def om_from_codes(lists: pd.Series | None, index: pd.Index, warn: list[str]) -> dict[str, pd.Series]:
    """Misconduct-type booleans from ``OM Tags`` code lists; all missing when the export has no OM Tags."""
    if lists is None:
        return {name: pd.Series(pd.NA, index=index, dtype="boolean") for name, _ in OM_CODES.values()}
    seen: set[str] = set()
    for items in lists:
        seen.update(items)
    unknown = sorted(seen - set(OM_CODES))
    if unknown:
        warn.append(f"unknown misconduct code(s) in 'OM Tags' kept out of the table: {', '.join(unknown)}")
    return {name: lists.map(lambda items, c=code: c in items).astype("boolean")
            for code, (name, _) in OM_CODES.items()}


def race(values: pd.Series) -> pd.Series:
    """Registry race labels, with ``Caucasian`` → White, ``Don't Know`` → missing, several → Other."""
    def one(cell: object) -> str | None:
        if pd.isna(cell):
            return None
        parts = [p.strip() for p in str(cell).replace(";#", ";").split(";") if p.strip()]
        parts = [RACE_ALIASES.get(p, p) for p in parts]
        parts = [p for p in parts if p]
        if not parts:
            return None
        return parts[0] if len(set(parts)) == 1 else "Other"

    return on_uniques(values, lambda u: u.map(one).astype("string"))


def place_from_state(values: pd.Series) -> tuple[pd.Series, pd.Series, pd.Series]:
    """``state``, ``state_abbr`` and ``federal`` from a full state name or ``Fed-XX`` (worked out once per
    distinct value)."""
    codes, uniques = pd.factorize(values, use_na_sentinel=False)
    state, abbr, federal = _place_from_state(pd.Series(uniques, dtype=object))
    return tuple(x.iloc[codes].set_axis(values.index) for x in (state, abbr, federal))


def _place_from_state(values: pd.Series) -> tuple[pd.Series, pd.Series, pd.Series]:
    states, abbrs, feds = [], [], []
    for cell in values:
        cell = "" if pd.isna(cell) else str(cell).strip()
        federal = cell.lower().startswith("fed-")
        rest = cell[4:] if federal else cell
        if rest.lower() in ("military", "mil"):
            state, abbr = MILITARY, None
        elif rest in STATE_ABBR:
            state, abbr = rest, STATE_ABBR[rest]
        elif rest.upper() in ABBR_STATE:
            state, abbr = ABBR_STATE[rest.upper()], rest.upper()
        else:
            state, abbr = (rest or None), None
        states.append(state)
        abbrs.append(abbr)
        feds.append(federal)
    idx = values.index
    return (pd.Series(states, index=idx, dtype="string"), pd.Series(abbrs, index=idx, dtype="string"),
            pd.Series(feds, index=idx, dtype="boolean"))


def place_from_code(values: pd.Series) -> tuple[pd.Series, pd.Series, pd.Series]:
    """``state``, ``state_abbr`` and ``federal`` from a list-view code (``NC``, ``F-PA``, ``F-MIL``)."""
    converted = values.fillna("").astype(str).str.strip().str.replace(r"^F-", "Fed-", regex=True)
    return place_from_state(converted)


def split_name(full: pd.Series) -> tuple[pd.Series, pd.Series]:
    """``First [Middle] Last [Suffix]`` → (first names, last name with any suffix); a suffix is a word of
    :data:`analysis.formats.names.NAME_SUFFIXES` (``Jr.``, ``III``) ending a name of three or more words."""
    codes, uniques = pd.factorize(full, use_na_sentinel=False)
    first, last = _split_name(pd.Series(uniques, dtype=object))
    return first.iloc[codes].set_axis(full.index), last.iloc[codes].set_axis(full.index)


def _split_name(full: pd.Series) -> tuple[pd.Series, pd.Series]:
    firsts, lasts = [], []
    for cell in full:
        words = [] if pd.isna(cell) else str(cell).split()
        if not words:
            firsts.append(None)
            lasts.append(None)
            continue
        cut = len(words) - 1
        if cut >= 2 and is_name_suffix(words[-1]):
            cut -= 1
        firsts.append(" ".join(words[:cut]) or None)
        lasts.append(" ".join(words[cut:]))
    return pd.Series(firsts, index=full.index, dtype="string"), pd.Series(lasts, index=full.index, dtype="string")
