"""Headers by meaning: the crosswalk, renamed and reordered headers, extra and missing columns, on files the tests
build themselves (csv and xlsx), for each of the three registry formats; and the crosswalk against every real
header."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from analysis.errors import FormatError
from analysis.formats import nre_detail_list, nre_full_export, nre_public_spreadsheet, read_export
from analysis.formats.detect import NRE_READERS
from analysis.formats.headers import crosswalk, field_by_key, field_of, known_headers, match_headers, normalise
from analysis.formats.text import decode
from analysis.normalise import canonical_table
from tests.conftest import NRE_DIR

# --- small exports, by reference spelling -------------------------------------------------------------------------
PS = {  # public spreadsheet: codes or blank, `;#` tags, full state names
    "Last Name": ["Doe", "Roe"], "First Name": ["John", "Jane"], "Age": ["16", "30"], "Race": ["Black", "White"],
    "Sex": ["Male", "Female"], "State": ["Illinois", "Fed-NY"], "County": ["Cook", "(Eastern)"],
    "Tags": ["H;#CDC", "F;#CIU"], "Worst Crime Display": ["Murder", "Robbery"], "Date of Crime Year": ["1991", "2000"],
    "Convicted": ["1992", "2001"], "Exonerated": ["2005", "2010"], "DNA": ["", "DNA"], "*": ["", "*"],
    "FC": ["FC", ""], "MWID": ["", "MWID"], "F/MFE": ["", ""], "P/FA": ["", "P/FA"], "OM": ["OM", ""],
    "ILD": ["", ""], "Date of Exoneration": ["2005-03-04", "2010-05-06"], "Posting Date": ["9/1/11", "1/20/15"],
}
DL = {  # list view: codes, `", "` tags, two-letter states
    "Last": ["Abbitt", "Bee"], "First": ["Joseph", "Al"], "Age": ["31", "17"], "Race": ["Black", "White"],
    "ST": ["NC", "F-PA"], "County": ["Forsyth", "(Eastern)"], "Tags": ["CV, IO, F", "H, P"],
    "Crime": ["Child Sex Abuse", "Murder"], "Sentence": ["Life", "Life"], "Convicted": ["1995", "1990"],
    "Exonerated": ["2009", "2000"], "DNA": ["DNA", ""], "*": ["", ""], "MWID": ["MWID", ""], "FC": ["", "FC"],
    "P/FA": ["", ""], "F/MFE": ["", ""], "OM": ["", "OM"], "ILD": ["", ""],
}
FX = {  # full export: Yes/No flags, `"; "` spelled-out characteristics
    "ID": ["7", "8"], "Name": ["Ann Smith", "Carl Doe"], "State": ["Texas", "Ohio"],
    "County of Crime": ["Harris", "Cuyahoga"], "Sex": ["Female", "Male"], "Race": ["Black", "White"],
    "Age at Crime Years": ["17", "40"], "Worst Crime Display": ["Murder", "Robbery"],
    "Posting Date": ["2020-01-02", "2021-02-03"], "Date of Exon": ["2019-12-01", "2018-01-01"],
    "Case Characteristics": ["Homicide; Female exoneree", "Plea"], "Death Penalty?": ["No", "No"],
    "False Confession": ["Yes", ""], "False or Misleading Forensic Evidence": ["", "Yes"],
    "Inadequate Legal Defense": ["", ""], "Mistaken Witness ID": ["", "Yes"], "Official Misconduct": ["Yes", ""],
    "Perjury or False Accusation?": ["", "Yes"], "DNA": ["No", "Yes"],
}
# renamed headers: case, spacing, punctuation, `?` dropped, `#`, and spellings of other formats or obvious renames
PS_RENAMED = {
    "Last Name": "LAST NAME", "First Name": "first_name", "Age": "  Age ", "Race": "race", "Sex": "Gender",
    "State": "STATE", "County": "county", "Tags": "Tags", "Worst Crime Display": "Worst Crime",
    "Date of Crime Year": "Crime Year", "Convicted": "Conviction Year", "Exonerated": "exonerated", "DNA": "dna",
    "*": "*", "FC": "F.C.", "MWID": "mwid", "F/MFE": "F-MFE", "P/FA": "P / FA", "OM": "om", "ILD": "I.L.D.",
    "Date of Exoneration": "Date of Exon", "Posting Date": "Posting-Date",
}
DL_RENAMED = {
    "Last": "Last ", "First": "first", "Age": "AGE", "Race": "Race", "ST": "st", "County": "County ",
    "Tags": "tags", "Crime": "Worst Crime Display", "Sentence": "sentence", "Convicted": "Convicted",
    "Exonerated": "Exoneration Year", "DNA": "DNA", "*": "*", "MWID": "Mistaken Witness ID",
    "FC": "False Confession", "P/FA": "p/fa", "F/MFE": "F/MFE", "OM": "O.M.", "ILD": "ild",
}
FX_RENAMED = {
    "ID": "id", "Name": "Full Name", "State": "state", "County of Crime": "County", "Sex": "SEX", "Race": "race",
    "Age at Crime Years": "Age", "Worst Crime Display": "worst crime display", "Posting Date": "posting_date",
    "Date of Exon": "Date of Exoneration", "Case Characteristics": "Case characteristics",
    "Death Penalty?": "Death Penalty", "False Confession": "FC", "False or Misleading Forensic Evidence":
    "False or Misleading Forensic Evidence?", "Inadequate Legal Defense": "Inadequate Legal Defense?",
    "Mistaken Witness ID": "Mistaken-Witness-ID", "Official Misconduct": "Official Misconduct?",
    "Perjury or False Accusation?": "Perjury or False Accusation", "DNA": "DNA?",
}
FORMATS = {
    "nre_public_spreadsheet": (PS, PS_RENAMED),
    "nre_detail_list": (DL, DL_RENAMED),
    "nre_full_export": (FX, FX_RENAMED),
}


def build(columns: dict[str, list[str]], rename: dict[str, str] | None = None, *, order: list[str] | None = None,
          drop: tuple[str, ...] = (), extra: dict[str, list[str]] | None = None) -> tuple[list[str], list[list[str]]]:
    """Header and rows from reference-spelled columns: some renamed, dropped, reordered or added."""
    names = [n for n in (order or list(columns)) if n not in drop]
    header = [(rename or {}).get(n, n) for n in names] + list(extra or {})
    cells = [columns[n] for n in names] + list((extra or {}).values())
    return header, [list(row) for row in zip(*cells, strict=True)]


def write_csv(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    path.write_bytes(out.getvalue().encode("utf-8"))
    return path


def write_xlsx(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


WRITERS = {"csv": write_csv, "xlsx": write_xlsx}


def read(tmp_path: Path, header: list[str], rows: list[list[str]], container: str = "csv"):  # noqa: ANN201
    return read_export(WRITERS[container](tmp_path / f"export.{container}", header, rows))


def refused(tmp_path: Path, header: list[str], rows: list[list[str]]) -> str:
    with pytest.raises(FormatError) as err:
        read(tmp_path, header, rows)
    message = str(err.value)
    assert "\n" not in message
    return message


# --- normalising and the crosswalk itself -------------------------------------------------------------------------
@pytest.mark.parametrize("same", [
    ["Last Name", "  LAST   NAME ", "last_name", "LastName", "Last\u00a0Name", "last-name"],
    ["Death Penalty?", "death penalty", "DEATH PENALTY ?", "Death_Penalty"],
    ["F/MFE", "F-MFE", "f mfe", "F.MFE"],
    ["FC", "F.C.", "fc"],
    ["List Add'l Crimes Recode", "List Add\u2019l Crimes Recode", "list addl crimes recode"],
    ["# Mistaken ID Witnesses", "Number Mistaken ID Witnesses", "#mistaken id witnesses"],
    ["Closest Relation V→D", "Closest Relation V->D", "closest relation v d"],
    ["Tainted ID procedure(s)?", "Tainted ID procedures"],
    ["PR: Prosecutor Misconduct", "PR - Prosecutor Misconduct"],
])
def test_normalise_ignores_case_spaces_punctuation_and_question_marks(same):
    assert len({normalise(s) for s in same}) == 1, [normalise(s) for s in same]


@pytest.mark.parametrize(("a", "b"), [
    ("False Confession", "False Confessions"), ("Date of Exon", "Date of Exon Year"), ("Age", "Age at Crime Yrs"),
    ("*", "**"), ("ID", "Other False ID"),
])
def test_normalise_keeps_different_headers_apart(a, b):
    assert normalise(a) != normalise(b)
    assert normalise("*") == "*"  # a header of punctuation only is kept as written


def test_every_reader_declares_reference_spellings_of_the_crosswalk():
    assert {r.PREFIX for r in NRE_READERS} == {"ps", "dl", "fx"}
    for reader in NRE_READERS:
        assert known_headers(reader.PREFIX) == reader.KNOWN
        assert reader.REQUIRED <= reader.KNOWN, reader.REQUIRED - reader.KNOWN
        assert getattr(reader, "OPTIONAL_USED", set()) <= reader.KNOWN
    for row in crosswalk():
        assert row.field and row.spelling
        assert row.seen_in <= {"ps", "dl", "fx"} and row.reference_for <= row.seen_in, row
    # a normalised spelling belongs to one field (crosswalk() refuses a file where it does not)
    assert len(field_by_key()) == len({row.key for row in crosswalk()})


def test_a_spelling_holds_the_same_field_in_every_format():
    assert field_of("FC") == field_of("False Confession") == field_of("confession?") == "fc"
    assert field_of("Tags") == field_of("Case Characteristics") == "tags"
    assert field_of("ST") == field_of("State") == "state"
    assert field_of("Brand New Column") is None


def test_header_match_prefers_the_readers_own_spelling():
    # the 2015 file carries both `DNA` and `DNA?`, `County` and `County of Crime`: each stays itself
    m = match_headers(["DNA?", "County of Crime", "dna", "County"], "ps")
    assert m.renames == {"DNA?": "DNA?", "County of Crime": "County of Crime", "dna": "DNA", "County": "County"}
    assert m.own == 4 and m.unmatched == []
    # a spelling of another format fills the reader's first reference for that field, once
    m = match_headers(["Case Characteristics", "Tags", "Date of Exon"], "ps")
    assert m.renames == {"Tags": "Tags", "Date of Exon": "Date of Exoneration"} and m.unmatched == [
        "Case Characteristics"]


# --- each format, renamed, reordered, with an extra column, in csv and xlsx ---------------------------------------
@pytest.mark.parametrize("container", ["csv", "xlsx"])
@pytest.mark.parametrize("fmt", list(FORMATS))
def test_renamed_reordered_headers_are_read_by_meaning(tmp_path, fmt, container):
    columns, rename = FORMATS[fmt]
    order = list(reversed(columns))
    header, rows = build(columns, rename, order=order, extra={"Brand New Column": ["x", "y"]})
    got = read(tmp_path, header, rows, container)
    assert got.format == fmt
    # every column reaches the reader under its reference spelling, with its own values
    for name, values in columns.items():
        assert got.frame[name].tolist() == values, name
    # the extra column is kept in the frame (and so in the snapshot), warned about, not read
    assert got.frame["Brand New Column"].tolist() == ["x", "y"]
    extra = [n for n in got.notes if "Brand New Column" in n]
    assert extra == ["column(s) not used by this project (kept in the snapshot, not in the table): "
                     "Brand New Column"], got.notes
    renamed = [n for n in got.notes if n.startswith("header(s) read by meaning")]
    assert len(renamed) == 1


def test_public_spreadsheet_renamed_gives_the_same_table(tmp_path):
    plain = canonical_table(read(tmp_path, *build(PS))).table
    (tmp_path / "b").mkdir()
    header, rows = build(PS, PS_RENAMED, order=list(reversed(PS)))
    renamed = canonical_table(read(tmp_path / "b", header, rows, "xlsx")).table
    pd.testing.assert_frame_equal(plain, renamed)
    assert plain["fc"].tolist() == [True, False] and plain["sex"].tolist() == ["Male", "Female"]
    assert plain["crime_year"].tolist() == [1991, 2000]
    assert plain["exoneration_date"].tolist() == [pd.Timestamp("2005-03-04"), pd.Timestamp("2010-05-06")]


def test_detail_list_renamed_gives_the_same_table(tmp_path):
    plain = canonical_table(read(tmp_path, *build(DL))).table
    (tmp_path / "b").mkdir()
    renamed = canonical_table(read(tmp_path / "b", *build(DL, DL_RENAMED, order=list(reversed(DL))))).table
    pd.testing.assert_frame_equal(plain, renamed)
    assert plain["fc"].tolist() == [False, True] and plain["state_abbr"].tolist() == ["NC", "PA"]


def test_full_export_renamed_columns_hold_their_values(tmp_path):
    got = read(tmp_path, *build(FX, FX_RENAMED))
    assert got.format == "nre_full_export"
    assert got.frame["False Confession"].tolist() == ["Yes", ""]  # from `FC`
    assert got.frame["Death Penalty?"].tolist() == ["No", "No"]  # `?` dropped
    assert got.frame["Perjury or False Accusation?"].tolist() == ["", "Yes"]
    assert got.frame["County of Crime"].tolist() == ["Harris", "Cuyahoga"]  # the old formats' `County`
    assert got.frame["Date of Exon"].tolist() == ["2019-12-01", "2018-01-01"]  # the 2024 spreadsheet's name
    assert got.snapshot_date.isoformat() == "2021-02-03"  # from `posting_date`


# --- the reader is chosen by the values' shape, not by names ------------------------------------------------------
def test_public_spreadsheet_names_with_list_view_values_are_a_list_view(tmp_path):
    columns = {**PS, "Tags": ["CV, IO", "H, P"]}
    got = read(tmp_path, *build(columns, drop=("Sex", "Posting Date", "Date of Exoneration")))
    assert got.format == "nre_detail_list"
    assert got.frame["ST"].tolist() == ["Illinois", "Fed-NY"] and got.frame["Crime"].tolist() == ["Murder", "Robbery"]


def test_old_codes_as_headers_with_yes_no_values_are_a_full_export(tmp_path):
    rename = {"False Confession": "FC", "Mistaken Witness ID": "MWID", "Case Characteristics": "Tags"}
    got = read(tmp_path, *build(FX, rename))
    assert got.format == "nre_full_export"
    assert got.frame["Case Characteristics"].tolist() == FX["Case Characteristics"]
    assert got.frame["Mistaken Witness ID"].tolist() == ["", "Yes"]


@pytest.mark.parametrize("fmt", ["nre_public_spreadsheet", "nre_detail_list"])
def test_when_values_fit_several_readers_the_readers_own_spellings_decide(tmp_path, fmt):
    # one tag a cell: nothing in the values tells the two old formats apart, and each fills the other's fields;
    # the list view here also has a `Sex` column, which only the public-spreadsheet reader reads
    columns = {**FORMATS[fmt][0], "Tags": ["H", "CV"], "Sex": ["Male", "Male"]}
    got = read(tmp_path, *build(columns))
    assert got.format == fmt
    assert ("Sex" in got.frame.columns) and (any("kept in the snapshot" in n for n in got.notes) == (
        fmt == "nre_detail_list"))


def test_values_that_fit_no_reader_are_refused_in_one_line(tmp_path):
    yes_no = {code: ["Yes", "No"] for code in ("DNA", "FC", "MWID", "F/MFE", "P/FA", "OM", "ILD")}
    columns = {**PS, **yes_no}
    message = refused(tmp_path, *build(columns, drop=("Convicted", "Exonerated")))
    assert message == ("looks like nre_public_spreadsheet but its values do not fit: factor flags are Yes/No, "
                       "not codes")


def test_spelled_out_tags_do_not_fit_the_public_spreadsheet(tmp_path):
    columns = {**PS, "Tags": ["Homicide; Plea", "Female exoneree; Conviction Integrity Unit"]}
    message = refused(tmp_path, *build(columns, drop=("Convicted", "Exonerated")))
    assert "tags are joined by '; ', not ';#'" in message and "tags are spelled out, not codes" in message


# --- almost a match: one line naming what is missing and the closest header ---------------------------------------
@pytest.mark.parametrize(("fmt", "reference", "misspelt"), [
    ("nre_public_spreadsheet", "Worst Crime Display", "Worst Crim Display"),
    ("nre_detail_list", "Crime", "Crimes"),
    ("nre_full_export", "False Confession", "False Confessions"),
])
def test_missing_required_column_is_named_with_the_closest_header(tmp_path, fmt, reference, misspelt):
    columns, _ = FORMATS[fmt]
    message = refused(tmp_path, *build(columns, {reference: misspelt}))
    assert message == f"looks like {fmt} but lacks required column(s): {reference} (renamed to {misspelt!r}?)"


def test_missing_required_column_without_a_look_alike(tmp_path):
    message = refused(tmp_path, *build(FX, drop=("State",), extra={"Place State": ["TX", "OH"]}))
    assert message == ("looks like nre_full_export but lacks required column(s): State; closest unmatched "
                       "header(s): 'Place State'")
    message = refused(tmp_path, *build(PS, drop=("Race",)))
    assert message == "looks like nre_public_spreadsheet but lacks required column(s): Race"


def test_unrelated_header_is_not_recognised(tmp_path):
    message = refused(tmp_path, ["Name", "Foo"], [["A", "B"]])
    assert re.fullmatch(r"header not recognised as a registry export: closest is nre_full_export, which needs .*",
                        message)


def test_reader_modules_keep_their_reference_spellings():
    # the readers index these names: the crosswalk must keep them as references
    assert {"Last Name", "FC", "Worst Crime Display", "Occurred", "Date of 1st Conviction"} <= (
        nre_public_spreadsheet.KNOWN)
    assert {"Last", "ST", "Crime"} <= nre_detail_list.KNOWN
    assert {"Death Penalty?", "Date of 1st Convic", "False Confession", "Closest Relation V→D"} <= (
        nre_full_export.KNOWN)


# --- the crosswalk covers every header of every real export -------------------------------------------------------
def _real_files() -> list[Path]:
    return sorted(NRE_DIR.glob("*.csv")) + sorted(NRE_DIR.glob("*.xlsx")) if NRE_DIR.is_dir() else []


def _raw_header(path: Path) -> list[str]:
    if path.suffix == ".xlsx":
        from python_calamine import CalamineWorkbook

        return [str(h) for h in CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()[0]]
    return next(csv.reader(io.StringIO(decode(path.read_bytes())[0])))


@pytest.mark.parametrize("path", _real_files() or [None], ids=lambda p: p.name if p else "absent")
def test_crosswalk_lists_every_real_header(path):
    if path is None:
        pytest.skip(f"shared data not available: {NRE_DIR}")
    got = read_export(path)
    prefix = {r.FORMAT: r.PREFIX for r in NRE_READERS}[got.format]
    seen = {row.spelling for row in crosswalk() if prefix in row.seen_in}
    header = [h for h in _raw_header(path) if h]  # the list view's unnamed row-number column has no name
    assert [h for h in header if h not in seen] == []
    # every real header is one of its reader's reference spellings: nothing is renamed or left over
    assert not [n for n in got.notes if "read by meaning" in n or "not used by this project" in n], got.notes
    assert set(got.frame.columns) <= known_headers(prefix)
