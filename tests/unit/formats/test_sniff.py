"""Content sniffing: what a file is, from its bytes (analysis.formats.sniff)."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from analysis.errors import DownloadError, FormatError
from analysis.formats.sniff import check_file, check_zip, sniff, sniff_file
from tests.conftest import shared_file


def tiny_xlsx_bytes() -> bytes:
    """A minimal Office Open XML zip: enough members for the archive checks (not a readable sheet)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>' + " " * 2000)
        archive.writestr("xl/workbook.xml", "<workbook/>" + "x" * 3000)
        archive.writestr("xl/worksheets/sheet1.xml", "<worksheet/>" + "y" * 3000)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("head", "kind"),
    [
        (b"", "empty"),
        (b"Last Name,First Name,Age\r\nAbbitt,Joseph,31\r\n", "csv"),
        (b"\xef\xbb\xbf\"ID\",\"Name\"\n11010,Joseph Abbitt\n", "csv"),
        (b"Last Name,First Name\rPatterson\xca,Aaron\r", "csv"),  # Mac Roman, bare CR
        (b"\xff\xfeL\x00a\x00s\x00t\x00,\x00", "csv"),  # UTF-16 text with BOM
        (b'[\n {\n  "name": "A.B. Butler"', "json"),
        (b'\xef\xbb\xbf {"cases_cat": []}', "json"),
        (b"<!DOCTYPE html>\n<html><head><title>Request</title>", "html"),
        (b"  <html lang='en'><body><form action='/request'>", "html"),
        (b'<?xml version="1.0"?>\n<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0//EN"><html>', "html"),
        (b'<?xml version="1.0"?><feed><entry/></feed>', "xml"),
        (b"PK\x03\x04\x14\x00\x06\x00", "xlsx"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\x00\x00", "xls"),
        (b"%PDF-1.7\n", "pdf"),
        (b"\x1f\x8b\x08\x00", "gzip"),
        (b"\x00\x01\x02\x03\xff\xfe\x00\x00binary", "binary"),
        (bytes(range(1, 32)) * 4, "binary"),
    ],
)
def test_sniff_kinds(head: bytes, kind: str) -> None:
    assert sniff(head, len(head)) == kind


def test_sniff_zero_size_is_empty_even_with_bytes() -> None:
    assert sniff(b"", 0) == "empty"


def test_check_zip_complete_truncated_corrupt_and_not_xlsx(tmp_path: Path) -> None:
    good = tmp_path / "good.xlsx"
    good.write_bytes(tiny_xlsx_bytes())
    assert check_zip(good) == "xlsx"
    assert sniff_file(good) == "xlsx"

    half = tmp_path / "half.xlsx"
    half.write_bytes(tiny_xlsx_bytes()[: len(tiny_xlsx_bytes()) // 2])
    assert sniff_file(half) == "zip-truncated"

    corrupt = bytearray(tiny_xlsx_bytes())
    start = corrupt.index(b"xl/workbook.xml") + len("xl/workbook.xml")  # first member's data follows its name
    corrupt[start + 5 : start + 15] = b"\x00" * 10
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(bytes(corrupt))
    assert sniff_file(bad) == "zip-corrupt"

    other = tmp_path / "other.zip"
    with zipfile.ZipFile(other, "w") as archive:
        archive.writestr("readme.txt", "hello")
    assert sniff_file(other) == "zip-not-xlsx"


def test_check_file_messages(tmp_path: Path) -> None:
    page = tmp_path / "export.xlsx"
    page.write_bytes(b"<!DOCTYPE html><html><body><form>Request the data</form></body></html>")
    with pytest.raises(DownloadError, match=r"^the server sent an HTML page \(probably a login or request "
                       r"form\), not a spreadsheet$"):
        check_file(page, downloaded=True, error=DownloadError)
    with pytest.raises(FormatError, match=r"^export\.xlsx is an HTML page"):
        check_file(page)

    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    with pytest.raises(FormatError, match="empty"):
        check_file(empty)

    blob = tmp_path / "blob.bin"
    blob.write_bytes(b"\x00\x01\x02\x03" * 100)
    with pytest.raises(FormatError, match=r"unknown binary data \(starts with 00 01 02 03"):
        check_file(blob)

    text = tmp_path / "x.csv"
    text.write_bytes(b"a,b\n1,2\n")
    assert check_file(text) == "csv"


def test_real_files_sniff_as_their_container() -> None:
    for name, kind in [
        ("nre/nre-publicspreadsheet-2024-04-10.xlsx", "xlsx"),
        ("nre/nre-publicspreadsheet-2015-01.csv", "csv"),
        ("nre/nre-publicspreadsheet-2024-04-10.csv", "csv"),
        ("nre/nre-fullcsv-2026-06.csv", "csv"),
        ("innocence_project/ip-all-cases-roster-2026-07.json", "json"),
        ("innocence_project/ip-all-cases-ajax-exonerated-by-dna-page1-2017-07.json", "json"),
    ]:
        assert sniff_file(shared_file(*name.split("/"))) == kind, name


def test_first_half_of_a_real_xlsx_is_truncated(tmp_path: Path) -> None:
    data = shared_file("nre", "nre-publicspreadsheet-2018-10-15.xlsx").read_bytes()
    half = tmp_path / "half.xlsx"
    half.write_bytes(data[: len(data) // 2])
    assert sniff(data[:4096], len(data) // 2) == "xlsx"  # the head alone cannot tell
    assert sniff_file(half) == "zip-truncated"
    with pytest.raises(DownloadError, match="truncated or corrupt zip/xlsx"):
        check_file(half, downloaded=True, error=DownloadError)
