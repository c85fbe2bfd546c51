"""``confessions ingest`` / ``confessions snapshots`` end to end, through ``analysis.cli.main``.

Every failure must leave data/ exactly as it was (earlier snapshots, the processed table) and no temporary
files. Golden values for the real files come from ../shared/data/SOURCES.md (size, sha256, records, snapshot
date); see tests/golden/files.py for the two places where the reader's count or date differs from the headline figure.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

import analysis.ingest
from analysis.cli import main
from analysis.errors import UserError
from analysis.formats import read_export
from analysis.ingest.store import (
    MANIFEST_NAME,
    get_snapshot,
    list_snapshots,
    newest_snapshot,
    snapshot_file,
    store_snapshot,
)
from tests.conftest import shared_file
from tests.http_fixtures import FixtureServer, Reply
from tests.unit.formats.test_sniff import tiny_xlsx_bytes

HEADER = ("Last Name,First Name,Age,Race,Sex,State,County,Tags,Worst Crime Display,List Add'l Crimes Recode,"
          "Occurred,Convicted,Exonerated,Sentence,DNA,*,FC,MWID,F/MFE,P/FA,OM,ILD,Posting Date")
ROWS = [
    "Abbitt,Joseph,31,Black,Male,North Carolina,Forsyth,,Child Sex Abuse,Burglary,1991,1995,2009,Life,DNA,,,"
    "MWID,,,,,9/1/11",
    "Doe,Jane,20,White,Female,Illinois,Cook,CIU;#F,Murder,,1990,1992,2014,Life,,,FC,,,P/FA,OM,,3/4/15",
    "Roe,Richard,17,Black,Male,Ohio,Cuyahoga,JV,Robbery,,1999,2000,2016,10 years,,,FC,,,,,ILD,5/6/16",
]
ROSTER = [
    {"name": "A.B. Butler", "slug": "a-b-butler", "state": "Texas", "exoneration_year": "2000"},
    {"name": "Melissa Lucio", "slug": "melissa-lucio", "state": "Texas", "exoneration_year": None},
]
HTML = b"<!DOCTYPE html>\n<html><body><form action='/request'>Request the data</form></body></html>"
PARQUET = b"PAR1 stand-in for the processed table PAR1"


def nre_csv(n: int = 2) -> bytes:
    """A small old-format ("public spreadsheet") export with the first ``n`` rows of ROWS."""
    return ("\r\n".join([HEADER, *ROWS[:n]]) + "\r\n").encode("utf-8")


def roster_json() -> bytes:
    return json.dumps(ROSTER, indent=1).encode("utf-8")


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def tree(root: Path) -> dict[str, str]:
    """Every file and folder under ``root`` -> sha256 of its bytes ('dir' for folders); the project lock file (a
    pid, written by every command that writes) is not data and is left out."""
    out = {}
    for path in sorted(root.rglob("*")):
        if path.name == ".confessions.lock":
            continue
        rel = path.relative_to(root).as_posix()
        out[rel] = "dir" if path.is_dir() else sha(path.read_bytes())
    return out


def temp_names(root: Path) -> list[str]:
    return [p.as_posix() for p in root.rglob("*") if p.name.startswith((".tmp", ".part"))]


def cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture
def seeded(project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    """A project with one earlier NRE snapshot and a processed table."""
    src = tmp_path / "earlier.csv"
    src.write_bytes(nre_csv(2))
    code, out, err = cli(capsys, "ingest", "nre", "--from", str(src))
    assert (code, err) == (0, ""), err
    snapshot_id = f"2015-03-04-{sha(nre_csv(2))[:8]}"
    assert out == f"stored snapshot {snapshot_id} (nre_public_spreadsheet, 2 rows, snapshot date 2015-03-04)\n"
    (project / "data" / "processed" / "exonerations.parquet").write_bytes(PARQUET)
    return project


# --- successes --------------------------------------------------------------------------------------------


def test_local_file_layout_and_manifest(seeded: Path) -> None:
    [manifest] = list_snapshots("nre")
    folder = seeded / "data" / "raw" / "nre" / manifest.snapshot_id
    assert sorted(p.name for p in folder.iterdir()) == ["earlier.csv", MANIFEST_NAME]
    assert snapshot_file(manifest) == folder / "earlier.csv"
    assert (folder / "earlier.csv").read_bytes() == nre_csv(2)
    data = json.loads((folder / MANIFEST_NAME).read_text(encoding="utf-8"))
    assert {"snapshot_id", "source", "original_name", "source_url_or_path", "retrieved_at", "sha256", "bytes",
            "format", "container", "encoding", "sheet_name", "rows", "snapshot_date", "snapshot_date_evidence",
            "notes", "tool_version"} <= set(data)
    assert data["sha256"] == sha(nre_csv(2))
    assert data["bytes"] == len(nre_csv(2))
    assert data["rows"] == 2
    assert data["snapshot_date"] == "2015-03-04"
    assert data["source_url_or_path"].endswith("earlier.csv")
    assert data["tool_version"] == analysis.__version__
    assert datetime.fromisoformat(data["retrieved_at"].replace("Z", "+00:00")).tzinfo is not None
    assert temp_names(seeded / "data") == []


def test_reimport_identical_bytes_is_a_noop(seeded: Path, tmp_path: Path, server: FixtureServer,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    [manifest] = list_snapshots("nre")
    before = tree(seeded / "data")
    copy = tmp_path / "renamed copy.csv"
    copy.write_bytes(nre_csv(2))
    assert cli(capsys, "ingest", "nre", "--from", str(copy)) == (
        0, f"already stored as {manifest.snapshot_id}; nothing to do\n", "")
    url = server.route("/again.csv", Reply(body=nre_csv(2)))
    assert cli(capsys, "ingest", "nre", "--from", url) == (
        0, f"already stored as {manifest.snapshot_id}; nothing to do\n", "")
    assert tree(seeded / "data") == before


def test_download_with_hostile_file_name(seeded: Path, server: FixtureServer, sys_tmp: Path,
                                         fast_downloads: None, capsys: pytest.CaptureFixture[str]) -> None:
    before = tree(seeded / "data")
    url = server.route("/export", Reply(body=nre_csv(3), headers={
        "Content-Type": "text/csv", "Content-Disposition": 'attachment; filename="../../evil.csv"'}))
    code, out, err = cli(capsys, "ingest", "nre", "--from", url)
    assert (code, err) == (0, "")
    snapshot_id = f"2016-05-06-{sha(nre_csv(3))[:8]}"
    assert out == f"stored snapshot {snapshot_id} (nre_public_spreadsheet, 3 rows, snapshot date 2016-05-06)\n"
    manifest = get_snapshot(snapshot_id)
    assert snapshot_file(manifest) == seeded / "data" / "raw" / "nre" / snapshot_id / "evil.csv"
    assert manifest.original_name == "evil.csv"
    assert manifest.source_url_or_path == url
    assert any(n.startswith(f"downloaded from {url} (text/csv)") for n in manifest.notes)
    after = tree(seeded / "data")
    assert {k: v for k, v in after.items() if k in before} == before  # nothing earlier changed
    assert sorted(set(after) - set(before)) == [f"raw/nre/{snapshot_id}", f"raw/nre/{snapshot_id}/evil.csv",
                                                f"raw/nre/{snapshot_id}/{MANIFEST_NAME}"]
    assert not (seeded / "evil.csv").exists() and not (seeded / "data" / "evil.csv").exists()
    assert list(sys_tmp.iterdir()) == []


def test_retry_then_success(project: Path, server: FixtureServer, fast_downloads: None,
                            capsys: pytest.CaptureFixture[str]) -> None:
    url = server.route("/flaky/export.csv", Reply(500), Reply(502), Reply(body=nre_csv(2)))
    code, out, _ = cli(capsys, "ingest", "nre", "--from", url)
    assert code == 0 and out.startswith("stored snapshot 2015-03-04-")
    assert server.hits["/flaky/export.csv"] == 3


def test_configured_url_from_env_and_toml(project: Path, server: FixtureServer, fast_downloads: None,
                                          monkeypatch: pytest.MonkeyPatch,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    url = server.route("/nre.csv", Reply(body=nre_csv(2)))
    monkeypatch.setenv("CONFESSIONS_NRE_URL", url)
    assert cli(capsys, "ingest", "nre")[0] == 0
    monkeypatch.delenv("CONFESSIONS_NRE_URL")
    ip_url = server.route("/roster.json", Reply(body=roster_json()))
    (project / "confessions.toml").write_text(f'[sources.ip]\nurl = "{ip_url}"\n', encoding="utf-8")
    code, out, _ = cli(capsys, "ingest", "ip")
    assert (code, out) == (0, f"stored snapshot undated-{sha(roster_json())[:8]} (ip_roster, 2 rows, snapshot "
                              "date unknown)\n")
    assert server.hits["/nre.csv"] == 1 and server.hits["/roster.json"] == 1


def test_snapshots_listing(seeded: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    roster = tmp_path / "roster.json"
    roster.write_bytes(roster_json())
    assert cli(capsys, "ingest", "ip", "--from", str(roster))[0] == 0
    code, out, err = cli(capsys, "snapshots")
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[0].split() == ["source", "id", "snapshot", "date", "format", "rows", "sha256", "file"]
    assert lines[1].split() == ["ip", f"undated-{sha(roster_json())[:8]}", "unknown", "ip_roster", "2",
                                sha(roster_json())[:12], "roster.json"]
    assert lines[2].split() == ["nre", f"2015-03-04-{sha(nre_csv(2))[:8]}", "2015-03-04",
                                "nre_public_spreadsheet", "2", sha(nre_csv(2))[:12], "earlier.csv"]


def test_snapshots_listing_when_empty(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = cli(capsys, "snapshots")
    assert (code, err) == (0, "")
    assert out.startswith("no snapshots yet: run `make all FROM=path/to/export`") and out.count("\n") == 1


def test_get_and_newest_snapshot(project: Path, tmp_path: Path) -> None:
    with pytest.raises(UserError, match=r"^no snapshots yet: run `make all FROM=.*confessions ingest nre --from FILE"):
        newest_snapshot("nre")

    def store(n: int, when: datetime, name: str) -> str:
        path = tmp_path / name
        path.write_bytes(nre_csv(n) + (b"\r\n" * len(name)))  # trailing blank lines: same rows, other bytes
        manifest, created = store_snapshot("nre", path, str(path), read_export(path), retrieved_at=when)
        assert created
        return manifest.snapshot_id

    early = store(2, datetime(2026, 1, 2, tzinfo=UTC), "a.csv")
    late_import = store(2, datetime(2026, 1, 3, tzinfo=UTC), "bb.csv")  # same snapshot date, imported later
    older = store(1, datetime(2026, 1, 4, tzinfo=UTC), "c.csv")  # newest import, older snapshot date
    assert get_snapshot(early).snapshot_date == date(2015, 3, 4)
    assert newest_snapshot("nre").snapshot_id == late_import
    assert [m.snapshot_id for m in list_snapshots("nre")] == [older, early, late_import]
    with pytest.raises(UserError, match=rf"unknown nre snapshot 'nope'; available: {older}, {early}, "):
        get_snapshot("nope")
    with pytest.raises(UserError, match="there are no ip snapshots yet"):
        get_snapshot(early, source="ip")
    assert get_snapshot(early, source=None).snapshot_id == early
    # a unique prefix resolves; the date alone is ambiguous here (two exports of 2015-03-04) and lists them
    assert get_snapshot(early[:14]).snapshot_id == early
    with pytest.raises(UserError, match=r"'2015-03-04' names 2 nre snapshots: ") as raised:
        get_snapshot("2015-03-04")
    assert all(f"{i} (nre_public_spreadsheet, {n})" in str(raised.value)
               for i, n in ((early, "a.csv"), (late_import, "bb.csv")))
    assert get_snapshot(older[:10]).snapshot_id == older


def test_a_date_names_its_snapshot(project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "export.csv"
    path.write_bytes(nre_csv(2))
    manifest, _ = store_snapshot("nre", path, str(path), read_export(path))
    assert get_snapshot("2015-03-04").snapshot_id == manifest.snapshot_id
    assert get_snapshot(" 2015-03 ").snapshot_id == manifest.snapshot_id
    with pytest.raises(UserError, match=r"unknown nre snapshot '2016'"):
        get_snapshot("2016")
    with pytest.raises(UserError, match=r"unknown nre snapshot ''"):
        get_snapshot("")


def test_failed_store_leaves_nothing(seeded: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    before = tree(seeded / "data")
    path = tmp_path / "new.csv"
    path.write_bytes(nre_csv(3))
    read = read_export(path)

    def broken_rename(src: str, dst: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("analysis.ingest.store.os.rename", broken_rename)
    with pytest.raises(UserError, match="could not store the snapshot under .*No space left on device"):
        store_snapshot("nre", path, str(path), read)
    assert tree(seeded / "data") == before


# --- failures: data/ untouched, one-line error, no temporary files -----------------------------------------


def _route(path: str, *replies: Reply) -> Callable[[FixtureServer, Path], list[str]]:
    def setup(server: FixtureServer, tmp: Path) -> list[str]:
        return ["ingest", "nre", "--from", server.route(path, *replies)]

    return setup


def _local(name: str, data: bytes | None, source: str = "nre") -> Callable[[FixtureServer, Path], list[str]]:
    def setup(server: FixtureServer, tmp: Path) -> list[str]:
        path = tmp / name
        if data is not None:
            path.write_bytes(data)
        return ["ingest", source, "--from", str(path)]

    return setup


def _tiny_xlsx_half() -> bytes:
    data = tiny_xlsx_bytes()
    return data[: len(data) // 2]


FAILURES: dict[str, tuple[Callable[[FixtureServer, Path], list[str]], str]] = {
    "404": (lambda s, t: ["ingest", "nre", "--from", s.url("/missing.xlsx")],
            r"the server refused: HTTP 404 Not Found for http://127\.0\.0\.1:\d+/missing\.xlsx"),
    "500 every time": (_route("/down.csv", Reply(500)),
                       r"the server failed: HTTP 500 Internal Server Error for .* after 3 attempts"),
    "timeout": (_route("/slow.csv", Reply(body=b"a,b\n", delay=3.0)), r"timed out after 0\.3s waiting for data"),
    "html page": (_route("/export.xlsx", Reply(body=HTML, headers={"Content-Type": "text/html"})),
                  r"the server sent an HTML page \(probably a login or request form\), not a spreadsheet"),
    "truncated xlsx": (_route("/export.xlsx", Reply(body=_tiny_xlsx_half())),
                       r"the server sent a truncated or corrupt zip/xlsx file"),
    "empty body": (_route("/export.csv", Reply(body=b"")), r"the server sent an empty body \(0 bytes\)"),
    "over the cap": (_route("/big.csv", Reply(body=nre_csv(3) * 500)),
                     r"the server announced [\d,]+ bytes, more than the limit of 1,048 bytes"),
    "over the cap, no length": (_route("/big.csv", Reply(body=nre_csv(3) * 500, content_length=False)),
                                r"the download exceeded the limit of 1,048 bytes"),
    "wrong source": (_route("/roster.json", Reply(body=roster_json())),
                     r"this is an Innocence Project file; use `confessions ingest ip`"),
    "wrong source, local": (_local("n.csv", nre_csv(2), source="ip"),
                            r"this is a National Registry of Exonerations file; use `confessions ingest nre`"),
    "unknown header": (_route("/other.csv", Reply(body=b"a,b\n1,2\n")),
                       r"other\.csv is not a registry export or Innocence Project roster: .*first line is .a,b."),
    "missing file": (_local("nowhere.csv", None), r"no such file: .*nowhere\.csv"),
    "folder": (lambda s, t: ["ingest", "nre", "--from", str(t)], r"is a folder, not a file"),
    "local html": (_local("export.xlsx", HTML), r"export\.xlsx is an HTML page"),
    "local empty": (_local("export.csv", b""), r"export\.csv is an empty file \(0 bytes\), not a registry spreadsheet"),
    "local truncated xlsx": (_local("export.xlsx", _tiny_xlsx_half()), r"truncated or corrupt zip/xlsx"),
    "ftp": (lambda s, t: ["ingest", "nre", "--from", "ftp://example.org/x.csv"], r"only http\(s\) URLs"),
    "no url configured": (lambda s, t: ["ingest", "nre"],
                          r"^no download URL configured for nre: pass --from FILE, or set CONFESSIONS_NRE_URL or "
                          r"\[sources\.nre\] url in confessions\.toml; the registry hands its spreadsheet out "
                          r"through a request form on exonerationregistry\.org$"),
}


@pytest.mark.parametrize("case", list(FAILURES))
def test_failure_leaves_data_untouched(case: str, seeded: Path, tmp_path: Path, server: FixtureServer,
                                       sys_tmp: Path, fast_downloads: None, monkeypatch: pytest.MonkeyPatch,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    setup, message = FAILURES[case]
    monkeypatch.setenv(analysis.ingest.MAX_MB_ENV, "0.001")  # 1,048 bytes; the seeded file is smaller
    work = tmp_path / "work"
    work.mkdir()
    before = tree(seeded / "data")
    code, out, err = cli(capsys, *setup(server, work))
    assert code == 1
    assert out == ""
    assert err.startswith("error: ") and err.endswith("\n") and err.count("\n") == 1, err
    assert _search(message, err[len("error: "):-1]), err
    assert tree(seeded / "data") == before
    assert (seeded / "data" / "processed" / "exonerations.parquet").read_bytes() == PARQUET
    assert temp_names(seeded / "data") == []
    assert list(sys_tmp.iterdir()) == []


def test_failure_real_truncated_xlsx(seeded: Path, server: FixtureServer, sys_tmp: Path,
                                     capsys: pytest.CaptureFixture[str]) -> None:
    data = shared_file("nre", "nre-publicspreadsheet-2024-04-10.xlsx").read_bytes()
    url = server.route("/publicspreadsheet.xlsx", Reply(body=data[: len(data) // 2]))
    before = tree(seeded / "data")
    code, out, err = cli(capsys, "ingest", "nre", "--from", url)
    assert (code, out) == (1, "")
    assert err.startswith("error: the server sent a truncated or corrupt zip/xlsx file")
    assert tree(seeded / "data") == before
    assert list(sys_tmp.iterdir()) == []


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root can read any file")
def test_unreadable_file(seeded: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "locked.csv"
    path.write_bytes(nre_csv(3))
    path.chmod(0)
    before = tree(seeded / "data")
    code, out, err = cli(capsys, "ingest", "nre", "--from", str(path))
    assert (code, out) == (1, "")
    assert err.startswith("error: cannot read ") and "ermission denied" in err
    assert tree(seeded / "data") == before


def _search(pattern: str, text: str) -> bool:
    import re

    return re.search(pattern, text) is not None


# --- the real files (SOURCES.md) ---------------------------------------------------------------------------

# file: (source, bytes, sha256, records, snapshot date, format), from the one golden table (tests/golden/files.py)




