"""Downloads against a real HTTP server on 127.0.0.1: retries, refusals, timeouts, caps, sniffing, names."""

from __future__ import annotations

import hashlib
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from analysis.errors import DownloadError
from analysis.ingest.download import download, filename_from_response, safe_filename
from tests.conftest import shared_file
from tests.http_fixtures import FixtureServer, Reply, free_port_url, serve
from tests.unit.formats.test_sniff import tiny_xlsx_bytes

CSV = b"Last Name,First Name,Age\r\nAbbitt,Joseph,31\r\n"
HTML = (b"<!DOCTYPE html>\n<html><head><title>Request the data</title></head>"
        b"<body><form method='post'><input name='email'></form></body></html>")
FAST = {"timeout": (2.0, 2.0), "retries": 2, "backoff_factor": 0.0}


@pytest.fixture
def server() -> Iterator[FixtureServer]:
    with serve() as running:
        yield running


@pytest.fixture
def dest(tmp_path: Path) -> Path:
    return tmp_path / "downloads"


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def test_success(server: FixtureServer, dest: Path) -> None:
    url = server.route("/files/export.csv", Reply(body=CSV, headers={"Content-Type": "text/csv"}))
    got = download(url, dest, **FAST)
    assert got.path == dest / "export.csv"
    assert got.path.read_bytes() == CSV
    assert (got.url, got.final_url, got.filename) == (url, url, "export.csv")
    assert got.bytes == len(CSV)
    assert got.sha256 == hashlib.sha256(CSV).hexdigest()
    assert got.content_type == "text/csv"
    assert leftovers(dest) == ["export.csv"]  # no .part- file left
    assert server.hits["/files/export.csv"] == 1


def test_xlsx_and_redirect(server: FixtureServer, dest: Path) -> None:
    data = tiny_xlsx_bytes()
    server.route("/final/book.xlsx", Reply(body=data))
    url = server.route("/start", Reply(302, headers={"Location": "/final/book.xlsx"}))
    got = download(url, dest, **FAST)
    assert got.final_url.endswith("/final/book.xlsx")
    assert got.filename == "book.xlsx"
    assert got.path.read_bytes() == data


def test_500_then_success_is_retried(server: FixtureServer, dest: Path) -> None:
    url = server.route("/flaky.csv", Reply(500, b"oops"), Reply(503, b"busy"), Reply(body=CSV))
    got = download(url, dest, **FAST)
    assert got.path.read_bytes() == CSV
    assert server.hits["/flaky.csv"] == 3


def test_500_every_time_gives_up(server: FixtureServer, dest: Path) -> None:
    url = server.route("/down.csv", Reply(503, b"busy"))
    expected = r"^the server failed: HTTP 503 Service Unavailable for .*/down\.csv after 3 attempts$"
    with pytest.raises(DownloadError, match=expected):
        download(url, dest, **FAST)
    assert server.hits["/down.csv"] == 3
    assert leftovers(dest) == []


def test_404_is_a_clear_error_and_not_retried(server: FixtureServer, dest: Path) -> None:
    url = server.url("/missing.csv")
    with pytest.raises(DownloadError, match=r"^the server refused: HTTP 404 Not Found for http://127\.0\.0\.1:\d+"
                       r"/missing\.csv$"):
        download(url, dest, **FAST)
    assert server.hits["/missing.csv"] == 1
    assert leftovers(dest) == []


def test_403_suggests_the_browser(server: FixtureServer, dest: Path) -> None:
    url = server.route("/private.xlsx", Reply(403, b"no"))
    with pytest.raises(DownloadError, match=r"HTTP 403 Forbidden .*--from FILE"):
        download(url, dest, **FAST)


def test_timeout_waiting_for_the_answer(server: FixtureServer, dest: Path) -> None:
    url = server.route("/slow.csv", Reply(body=CSV, delay=3.0))
    started = time.monotonic()
    with pytest.raises(DownloadError, match=r"^timed out after 0\.3s waiting for data from .*/slow\.csv"):
        download(url, dest, timeout=(1.0, 0.3), retries=1, backoff_factor=0.0)
    assert time.monotonic() - started < 2.0
    assert server.hits["/slow.csv"] == 2  # one retry
    assert leftovers(dest) == []


def test_timeout_in_the_middle_of_the_body(server: FixtureServer, dest: Path) -> None:
    url = server.route("/stall.csv", Reply(body=CSV * 100, stall_at=50, delay=3.0))
    with pytest.raises(DownloadError, match=r"^timed out after 0\.3s"):
        download(url, dest, timeout=(1.0, 0.3), retries=0)
    assert leftovers(dest) == []


def test_connection_refused(dest: Path) -> None:
    with pytest.raises(DownloadError, match=r"^could not connect to 127\.0\.0\.1:\d+"):
        download(free_port_url("/x.csv"), dest, timeout=(1.0, 1.0), retries=0)


def test_html_instead_of_a_spreadsheet(server: FixtureServer, dest: Path) -> None:
    url = server.route("/export.xlsx", Reply(body=HTML, headers={"Content-Type": "text/html"}))
    expected = r"^the server sent an HTML page \(probably a login or request form\), not a spreadsheet$"
    with pytest.raises(DownloadError, match=expected):
        download(url, dest, **FAST)
    assert leftovers(dest) == []


def test_truncated_xlsx(server: FixtureServer, dest: Path) -> None:
    data = shared_file("nre", "nre-publicspreadsheet-2024-04-10.xlsx").read_bytes()
    url = server.route("/export.xlsx", Reply(body=data[: len(data) // 2]))
    with pytest.raises(DownloadError, match=r"^the server sent a truncated or corrupt zip/xlsx file"):
        download(url, dest, **FAST)
    assert leftovers(dest) == []


def test_truncated_tiny_xlsx(server: FixtureServer, dest: Path) -> None:
    data = tiny_xlsx_bytes()
    url = server.route("/export.xlsx", Reply(body=data[: len(data) // 2]))
    with pytest.raises(DownloadError, match="truncated or corrupt zip/xlsx"):
        download(url, dest, **FAST)


def test_empty_body(server: FixtureServer, dest: Path) -> None:
    url = server.route("/export.csv", Reply(body=b""))
    expected = r"^the server sent an empty body \(0 bytes\), not a spreadsheet$"
    with pytest.raises(DownloadError, match=expected):
        download(url, dest, **FAST)
    assert leftovers(dest) == []


def test_body_shorter_than_announced(server: FixtureServer, dest: Path) -> None:
    url = server.route("/cut.csv", Reply(body=CSV, content_length=10_000))
    with pytest.raises(DownloadError, match="broke off before the whole file arrived"):
        download(url, dest, **{**FAST, "retries": 0})
    assert leftovers(dest) == []


def test_over_the_cap_announced(server: FixtureServer, dest: Path) -> None:
    url = server.route("/big.csv", Reply(body=CSV * 100))
    expected = r"^the server announced 4,400 bytes, more than the limit of 1,000 bytes"
    with pytest.raises(DownloadError, match=expected):
        download(url, dest, max_bytes=1000, **FAST)
    assert leftovers(dest) == []


def test_over_the_cap_while_streaming(server: FixtureServer, dest: Path) -> None:
    url = server.route("/big.csv", Reply(body=CSV * 1000, content_length=False))
    with pytest.raises(DownloadError, match=r"^the download exceeded the limit of 1,000 bytes"):
        download(url, dest, max_bytes=1000, **FAST)
    assert leftovers(dest) == []


def test_content_disposition_cannot_escape(server: FixtureServer, tmp_path: Path) -> None:
    dest = tmp_path / "a" / "b"
    evil = {"Content-Disposition": 'attachment; filename="../../evil.csv"'}
    url = server.route("/get", Reply(body=CSV, headers=evil))
    got = download(url, dest, **FAST)
    assert got.filename == "evil.csv"
    assert got.path == dest / "evil.csv"
    everything = sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*"))
    assert everything == ["a", "a/b", "a/b/evil.csv"]


def test_existing_file_is_not_overwritten(server: FixtureServer, dest: Path) -> None:
    dest.mkdir(parents=True)
    (dest / "export.csv").write_bytes(b"mine")
    url = server.route("/export.csv", Reply(body=CSV))
    got = download(url, dest, **FAST)
    assert got.filename == "export-2.csv"
    assert (dest / "export.csv").read_bytes() == b"mine"


def test_redirect_loop(server: FixtureServer, dest: Path) -> None:
    url = server.route("/loop", Reply(302, headers={"Location": "/loop"}))
    with pytest.raises(DownloadError, match=r"^too many redirects for .*/loop$"):
        download(url, dest, max_redirects=3, **FAST)
    assert server.hits["/loop"] == 4
    assert leftovers(dest) == []


def test_not_http(dest: Path) -> None:
    with pytest.raises(DownloadError, match="only http"):
        download("ftp://example.org/x.csv", dest)


@pytest.mark.parametrize(
    ("raw", "safe"),
    [
        ("../../evil.csv", "evil.csv"),
        ("..\\..\\windows\\evil.csv", "evil.csv"),
        ("/etc/passwd", "passwd"),
        ("..", "download.bin"),
        ("...", "download.bin"),
        ("", "download.bin"),
        (None, "download.bin"),
        (".hidden.csv", "hidden.csv"),
        ("publicspreadsheet (3).xlsx", "publicspreadsheet (3).xlsx"),
        ("a\x00b;rm -rf $HOME.csv", "a_b_rm -rf _HOME.csv"),
        ("exonerations<>:|?*.csv", "exonerations_.csv"),
        ("Résumé.csv", "Résumé.csv"),
        ("x" * 300 + ".xlsx", "x" * 115 + ".xlsx"),
    ],
)
def test_safe_filename(raw: str | None, safe: str) -> None:
    assert safe_filename(raw) == safe


@pytest.mark.parametrize(
    ("disposition", "url", "name"),
    [
        ('attachment; filename="../../evil.csv"', "http://h/x", "evil.csv"),
        ("attachment; filename*=UTF-8''..%2F..%2Fevil%20file.csv", "http://h/x", "evil file.csv"),
        ("attachment; filename=\"export.xlsx\"; filename*=UTF-8''r%C3%A9sum%C3%A9.xlsx", "http://h/x",
         "résumé.xlsx"),
        (None, "http://h/dir/..%2F..%2Fpasswd", "passwd"),
        (None, "http://h/", "download.bin"),
        (None, "http://h/data/fullcsv.csv?token=abc", "fullcsv.csv"),
        ("inline", "http://h/a/b.json", "b.json"),
    ],
)
def test_filename_from_response(disposition: str | None, url: str, name: str) -> None:
    assert filename_from_response(disposition, url) == name
