"""Each export format, on small files the tests build themselves: encodings, flags, tags, dates, drift."""

from __future__ import annotations

import io
import warnings
import zipfile
from pathlib import Path

import pandas as pd
import pytest

from analysis.errors import FormatError
from analysis.formats import read_export
from analysis.formats.text import decode
from analysis.normalise import canonical_table, normalise_file

PS_HEADER = ("Last Name,First Name,Age,Race,Sex,State,County,Tags,Worst Crime Display,List Add'l Crimes Recode,"
             "Occurred,Convicted,Exonerated,Sentence,DNA,*,FC,MWID,F/MFE,P/FA,OM,ILD,Posting Date")
PS_ROWS = [
    "Doe,John,16,Caucasian,Male,Illinois,Cook,H;#CDC,Murder,,1,991,1992,2005,Life,,,FC,,,,OM,,9/1/11",
    "Roe,Jane,30,Black,Female,Fed-NY,(Eastern),F,Drug Possession or Sale,,2000,2001,2010,5 years,DNA,*,,,,,,,1/20/15",
]


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def ps_csv(rows: list[str], header: str = PS_HEADER) -> str:
    # the Occurred year "1,991" must be quoted as Excel writes it
    fixed = [r.replace(",1,991,", ',"1,991",') for r in rows]
    return "\n".join([header, *fixed]) + "\n"


def quiet_normalise(path: Path):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = normalise_file(path)
    return result, [str(w.message) for w in caught]


@pytest.mark.parametrize(("encoding", "newline", "bom"), [
    ("mac_roman", "\r", b""), ("cp1252", "\n", b""), ("utf-8", "\r\n", b"\xef\xbb\xbf"), ("utf-8", "\n", b""),
])
def test_public_spreadsheet_csv_in_every_encoding(tmp_path, encoding, newline, bom):
    text = ps_csv(PS_ROWS).replace("Doe,John", "Doe,Jos\u00e9\u00a0").replace("\n", newline)
    path = write(tmp_path, "x.csv", bom + text.encode(encoding))
    read = read_export(path)
    assert read.format == "nre_public_spreadsheet" and read.rows == 2
    table = canonical_table(read).table
    doe, roe = table.iloc[0], table.iloc[1]
    assert doe["first_name"] == "José"  # non-breaking space stripped, accent decoded in every encoding
    assert doe["race"] == "White"  # Caucasian → White
    assert doe["crime_year"] == 1991  # "1,991"
    assert doe["posting_date"] == pd.Timestamp("2011-09-01")  # m/d/yy
    assert bool(doe["fc"]) and bool(doe["om"]) and not bool(doe["dna"])
    assert bool(doe["juvenile"]) and bool(doe["homicide"]) and bool(doe["codefendant_confessed"])
    assert roe["state"] == "New York" and roe["state_abbr"] == "NY" and bool(roe["federal"])
    assert bool(roe["dna"]) and bool(roe["dna_minor"])
    assert roe["crime_category"] == "Drug crime"
    # a tag code never used in the file is unknown, not False
    assert table["sexual_assault"].isna().all()
    assert table["om_police"].isna().all()  # no OM Tags column


def test_y_flags_of_2015(tmp_path):
    rows = [PS_ROWS[0].replace(",FC,", ",Y,"), PS_ROWS[1].replace(",DNA,*,", ",Y,,")]
    text = ps_csv(rows)
    table = canonical_table(read_export(write(tmp_path, "x.csv", text.encode()))).table
    assert table["fc"].tolist() == [True, False]
    assert table["dna"].tolist() == [False, True]


def test_full_export_yes_no_blank(tmp_path):
    header = ('"ID","Name","State","County of Crime","Sex","Race","Age at Crime Years","Worst Crime Display",'
              '"Posting Date","Last Update Date","Pre-1989","Date of Exon","Date of Release","Years Lost",'
              '"Date of 1st Convic","Case Characteristics","False Confession",'
              '"False or Misleading Forensic Evidence","Inadequate Legal Defense","Mistaken Witness ID",'
              '"Official Misconduct","Perjury or False Accusation?","DNA","INT - Misconduct in Interrogation",'
              '"Child Victim","Brand New Column"')
    rows = [
        "1,Ann B. Smith Jr.,Texas,Harris,Female,Don't Know,0,Murder,2020-01-02,2021-03-04,No,2019-12-01,"
        "2019-12-01,10.5,2009-06-01,Homicide; Female exoneree; Plea,Yes,,,,Yes,,No,Yes,,x",
        "2,Carl Doe,Fed-Military,,Male,Black,40,Murder,2018-03-13,,Yes,1911-04-27,1911-04-27,30.5,1880-10-20,"
        ",,,Yes,,,Yes,,,No,y",
    ]
    data = "\ufeff" + header + "\n" + "\n".join(rows) + "\n"
    path = write(tmp_path, "x.csv", data.encode("utf-8"))
    result, messages = quiet_normalise(path)
    table = result.table
    a, c = table.iloc[0], table.iloc[1]
    assert list(table["record_id"]) == ["NRE-1", "NRE-2"]
    assert (a["first_name"], a["last_name"]) == ("Ann B.", "Smith Jr.")
    assert pd.isna(a["age"]) and pd.isna(a["race"])  # 0 and Don't Know are unknown
    assert bool(a["fc"]) and not bool(c["fc"])  # blank factor = not coded
    assert a["dna"] is False or a["dna"] == False  # noqa: E712  "No"
    assert pd.isna(c["dna"])  # blank DNA = unknown
    assert bool(a["guilty_plea"]) and bool(a["female"])
    # c: pre-1989 without case characteristics → tags unknown, homicide derived from its Murder
    assert bool(c["homicide"]) and pd.isna(c["guilty_plea"])
    assert bool(a["om_interrogation"]) and pd.isna(c["om_interrogation"])
    assert c["state"] == "Military (federal)" and pd.isna(c["state_abbr"]) and bool(c["federal"])
    assert bool(c["pre_1989"]) and c["years_lost"] == 30.5 and c["years_lost_basis"] == "given"
    assert a["exoneration_year"] == 2019 and a["conviction_date"] == pd.Timestamp("2009-06-01")
    assert any("Brand New Column" in m for m in messages), messages  # extra column: warned, not silent


def test_detail_list_codes_and_duplicate_row(tmp_path):
    header = (",Last ,First ,Age,Race,ST,County ,Tags,Crime,Sentence,Convicted,Exonerated,"
              "DNA,*,MWID,FC,P/FA,F/MFE,OM,ILD")
    rows = ["0,Abbitt,Joseph,31,Black,NC,Forsyth,\"CV, IO, F\",Child Sex Abuse,Life,1995,2009,DNA,,MWID,,,,,",
            "1,Bee,Al,17,White,F-PA,(Eastern),H,Murder,Life,1990,2000,,,,FC,,,OM,",
            "2,Abbitt,Joseph,31,Black,NC,Forsyth,\"CV, IO, F\",Child Sex Abuse,Life,1995,2009,DNA,,MWID,,,,,"]
    path = write(tmp_path, "x.csv", ("\n".join([header, *rows]) + "\n").encode())
    result, messages = quiet_normalise(path)
    table = result.table
    assert len(table) == 2
    assert any("duplicate" in m for m in messages)
    assert table["sex"].tolist() == ["Female", "Male"]  # derived from the F tag
    bee = table.iloc[1]
    assert bee["state_abbr"] == "PA" and bool(bee["federal"]) and bool(bee["fc"]) and bool(bee["juvenile"])
    assert table["record_id"].str.startswith("dl-").all()


def test_xlsx_with_sheet_name_date(tmp_path):
    header = PS_HEADER.split(",")
    frame = pd.DataFrame([PS_ROWS[1].split(",")[: len(header)]], columns=header)
    path = tmp_path / "x.xlsx"
    with pd.ExcelWriter(path, engine="openpyxl") as xl:
        frame.to_excel(xl, sheet_name="owssvr - 2030-01-02T101010.000", index=False)
    read = read_export(path)
    assert read.container == "xlsx" and read.snapshot_date.isoformat() == "2030-01-02"
    assert "sheet name" in read.snapshot_date_evidence


@pytest.mark.parametrize(("data", "message"), [
    (b"", "empty"),
    (b"<!DOCTYPE html><html><body>Please log in</body></html>", "HTML"),
    (b"\x00\x01\x02binary", "binary"),
    (b"PK\x03\x04" + b"\x00" * 100, "damaged or truncated"),
    (b"Name,Foo\nA,B\n", "not recognised"),
    (PS_HEADER.encode() + b"\n", "no records"),
])
def test_bad_files_get_one_clear_error(tmp_path, data, message):
    with pytest.raises(FormatError) as err:
        read_export(write(tmp_path, "bad.csv", data))
    assert message in str(err.value)
    assert "\n" not in str(err.value)


def test_missing_required_column_is_named(tmp_path):
    header = PS_HEADER.replace(",FC,", ",")
    rows = [",".join(r.split(",")[:16] + r.split(",")[17:]) for r in PS_ROWS]
    with pytest.raises(FormatError, match="lacks required column.*FC"):
        read_export(write(tmp_path, "x.csv", ps_csv(rows, header).encode()))


def test_row_with_more_cells_than_header_names_the_row(tmp_path):
    text = ps_csv(PS_ROWS).rstrip("\n") + ",extra,cells\n"
    with pytest.raises(FormatError, match="row 3 has"):
        read_export(write(tmp_path, "x.csv", text.encode()))


def test_bad_values_are_quarantined_by_row_and_column(tmp_path):
    rows = [PS_ROWS[0].replace(",16,", ",-3,"), PS_ROWS[1].replace("1/20/15", "13/45/2019")]
    result, messages = quiet_normalise(write(tmp_path, "x.csv", ps_csv(rows).encode()))
    assert pd.isna(result.table.iloc[0]["age"]) and pd.isna(result.table.iloc[1]["posting_date"])
    joined = " ".join(result.quarantined)
    assert "row 2, column 'Age': '-3'" in joined and "row 3, column 'Posting Date': '13/45/2019'" in joined
    assert any("quarantined" in m for m in messages)


def test_zip_bomb_is_refused_before_inflating(tmp_path):
    path = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("xl/worksheets/sheet1.xml", b"\x00" * (60 * 1024 * 1024))
    with pytest.raises(FormatError, match="zip bomb"):
        read_export(path)


def test_unknown_tag_codes_warn(tmp_path):
    rows = [PS_ROWS[0].replace("H;#CDC", "H;#CDC;#ZZ")]
    _, messages = quiet_normalise(write(tmp_path, "x.csv", ps_csv(rows).encode()))
    assert any("unknown tag code" in m and "ZZ" in m for m in messages)


def test_decode_prefers_utf8_and_detects_mac_roman():
    assert decode("caf\u00e9\n".encode())[1] == "utf-8"
    assert decode(b"a\xcab\rc\r")[1] == "mac_roman" and decode(b"a\xcab\rc\r")[0] == "a\u00a0b\nc\n"
    assert decode(b"a\xa0b\nc\n")[1] == "cp1252"


def test_csv_reader_needs_no_file_name(tmp_path):
    data = io.BytesIO(ps_csv(PS_ROWS).encode()).getvalue()
    assert read_export(write(tmp_path, "no_extension", data)).format == "nre_public_spreadsheet"
