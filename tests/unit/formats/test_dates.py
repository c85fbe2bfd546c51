"""One date parser for every cell form: ISO, m/d/yy, m/d/yyyy, Excel serials (csv text or xlsx numbers), xlsx and
Python datetimes, split year/month/day columns; and the quarantine of everything else, by row and column."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

import analysis.formats.cells as cells
from analysis.formats import read_export
from analysis.formats.cells import Problems, date_from_parts, parse_dates
from analysis.normalise import canonical_table

DAY = pd.Timestamp("2023-01-01")


def parse(*values: object) -> tuple[list, list[str]]:
    problems = Problems()
    out = parse_dates(pd.Series(list(values), dtype=object), "Posting Date", problems)
    assert str(out.dtype) == "datetime64[ns]"
    return [None if pd.isna(v) else v for v in out], problems.items


@pytest.mark.parametrize(("value", "expected"), [
    ("2023-01-01", DAY), ("2023-1-1", DAY), ("2023-01-01 00:00:00", DAY), ("2023-01-01T13:14:15.000", DAY),
    ("1/1/2023", DAY), ("01/01/2023", DAY), ("1/1/2023 0:00", DAY), ("1/1/2023 12:30:00 PM", DAY), ("1/1/23", DAY),
    ("9/1/11", pd.Timestamp("2011-09-01")), ("12/31/99", pd.Timestamp("1999-12-31")),
    ("1/1/30", pd.Timestamp("1930-01-01")), ("1/1/29", pd.Timestamp("2029-01-01")),
    ("44927", DAY), ("44927.0", DAY), ("44927.75", DAY), (" 44927 ", DAY),  # Excel serials as text
    (44927, DAY), (44927.0, DAY),  # … and as numbers
    ("36526", pd.Timestamp("2000-01-01")), ("61", pd.Timestamp("1900-03-01")),  # past the phantom 1900-02-29
    ("73415", pd.Timestamp("2100-12-31")),
    (dt.datetime(2023, 1, 1, 8, 30), DAY), (dt.date(2023, 1, 1), DAY), (pd.Timestamp("2023-01-01 23:59"), DAY),
    ("1800-01-01", pd.Timestamp("1800-01-01")), ("2100-12-31", pd.Timestamp("2100-12-31")),
])
def test_every_date_form(value, expected):
    got, problems = parse(value)
    assert got == [expected] and problems == []


@pytest.mark.parametrize(("value", "why"), [
    ("0", "is not a valid date"), ("60", "is not a valid date"), ("59", "is not a valid date"),  # Excel's 1900 bug
    ("73416", "is not a valid date"), ("4492700", "is not a valid date"), ("-44927", "is not a valid date"),
    ("1995", "is a year, not a date"), ("13/45/2019", "is not a valid date"), ("2/30/2019", "is not a valid date"),
    ("2019-02-30", "is not a valid date"), ("1799-12-31", "is not a valid date"), ("2101-01-01", "is not a valid date"),
    ("1/1/20233", "is not a valid date"), ("2019-01-02x", "is not a valid date"), ("abc", "is not a valid date"),
    ("44927,5", "is not a valid date"),
])
def test_out_of_range_and_unreadable_dates_are_quarantined_by_row_and_column(value, why):
    got, problems = parse("2023-01-01", value)
    assert got == [DAY, None]
    assert problems == [f"row 3, column 'Posting Date': {value!r} {why}; set to missing"]


def test_blanks_are_missing_not_quarantined():
    got, problems = parse("", "   ", None, float("nan"), pd.NaT, "\u00a0")
    assert got == [None] * 6 and problems == []


def test_each_distinct_value_is_parsed_once(monkeypatch):
    seen = []
    real = cells._dates_from_text

    def spy(textual):
        seen.append(len(textual))
        return real(textual)

    monkeypatch.setattr(cells, "_dates_from_text", spy)
    values = pd.Series(["1/1/2023", "44927", "2023-01-01", "bad"] * 25_000)
    problems = Problems()
    out = parse_dates(values, "Posting Date", problems)
    assert seen == [4]
    assert out.iloc[:3].tolist() == [DAY] * 3 and out.notna().sum() == 75_000
    assert len(problems.items) == 25_000 and problems.items[0].startswith("row 5, column 'Posting Date': 'bad'")


# --- split year / month / day -------------------------------------------------------------------------------------
def parts(years: list, months: list, days: list, *, problems: Problems | None = None) -> list:
    out = date_from_parts(pd.Series(years, dtype=object), pd.Series(months, dtype=object),
                          pd.Series(days, dtype=object), problems=problems, column="Date of Crime Year/Month/Day")
    assert str(out.dtype) == "datetime64[ns]"
    return [None if pd.isna(v) else v for v in out]


def test_date_from_parts_full_dates_where_complete():
    got = parts(["1991", "1,991", 2020, "2020.0", "1991", "1991", "", "1991", None],
                ["9", "09", 2, "2", "00", "0", "3", "", None],
                ["15", "15", 29, "29.0", "15", "15", "1", "15", None])
    assert got == [pd.Timestamp("1991-09-15"), pd.Timestamp("1991-09-15"), pd.Timestamp("2020-02-29"),
                   pd.Timestamp("2020-02-29"), None, None, None, None, None]


def test_date_from_parts_day_unknown_is_missing_not_quarantined():
    problems = Problems()
    assert parts(["1991", "1991"], ["9", "9"], ["00", ""], problems=problems) == [None, None]
    assert problems.items == []


@pytest.mark.parametrize(("year", "month", "day", "shown"), [
    ("2019", "2", "30", "2019/2/30"), ("1991", "13", "1", "1991/13/1"), ("2300", "1", "1", "2300/1/1"),
    ("x", "1", "1", "x/1/1"), ("1991", "1", "32", "1991/1/32"), ("1991", "13", "00", "1991/13/00"),
])
def test_date_from_parts_impossible_parts_are_quarantined(year, month, day, shown):
    problems = Problems()
    assert parts(["1991", year], ["9", month], ["15", day], problems=problems) == [pd.Timestamp("1991-09-15"), None]
    assert problems.items == [f"row 3, column 'Date of Crime Year/Month/Day': {shown!r} is not a valid date; "
                              "set to missing"]
    assert parts([year], [month], [day]) == [None]  # without problems: just missing


# --- the same dates in every container ----------------------------------------------------------------------------
HEADER = ["Last Name", "First Name", "Age", "Race", "State", "County", "Worst Crime Display", "DNA", "FC", "MWID",
          "F/MFE", "P/FA", "OM", "ILD", "Posting Date", "Date of Exoneration"]


def _row(name: str, posting: object, exoneration: object) -> list:
    return [name, "Al", "30", "White", "Ohio", "Cuyahoga", "Robbery", "", "FC", "", "", "", "", "", posting,
            exoneration]


def test_dates_in_an_xlsx_real_dates_serials_and_text(tmp_path: Path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(HEADER)
    sheet.append(_row("Real", dt.datetime(2023, 1, 1), dt.datetime(2010, 5, 6)))  # Excel dates
    sheet.append(_row("Serial", 44927, 40304))  # numbers without a date format
    sheet.append(_row("Float", 44927.0, 40304.5))
    sheet.append(_row("Text", "1/1/2023", "2010-05-06"))
    sheet.append(_row("Bad", 0, "5/6/10"))
    path = tmp_path / "x.xlsx"
    book.save(path)
    result = canonical_table(read_export(path))
    table = result.table
    assert table["posting_date"].tolist()[:4] == [DAY] * 4 and pd.isna(table["posting_date"].iloc[4])
    assert table["exoneration_date"].tolist() == [pd.Timestamp("2010-05-06")] * 5
    assert result.quarantined == ["row 6, column 'Posting Date': '0' is not a valid date; set to missing"]


def test_dates_in_a_csv_serial_text_and_every_text_form(tmp_path: Path):
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADER)
    for name, posting in (("A", "44927"), ("B", "44927.0"), ("C", "1/1/23"), ("D", "1/1/2023"), ("E", "2023-01-01"),
                          ("F", "73416")):
        writer.writerow(_row(name, posting, ""))
    path = tmp_path / "x.csv"
    path.write_bytes(out.getvalue().encode())
    result = canonical_table(read_export(path))
    assert result.table["posting_date"].tolist()[:5] == [DAY] * 5 and pd.isna(result.table["posting_date"].iloc[5])
    assert result.quarantined == ["row 7, column 'Posting Date': '73416' is not a valid date; set to missing"]
