"""Content injection: formula-like cells are neutralised in the CSV (kept verbatim in the parquet), and no file
name from a URL or Content-Disposition can leave ``data/raw/``."""

from __future__ import annotations

import csv
from pathlib import Path
from urllib.parse import quote

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from analysis.ingest.download import safe_filename
from analysis.ingest.store import _stored_name
from tests.adversarial.conftest import cli, tree
from tests.adversarial.test_bad_files import ROWS, export, row
from tests.http_fixtures import FixtureServer, Reply

PAYLOADS = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    '=HYPERLINK("http://x")',
    "=cmd|' /C calc'!A0",
    "+1+2",
    "-2+3",
    "@SUM(A1)",
]
HOSTILE_NAMES = [
    "../../etc/passwd", "..\\..\\x.csv", "/etc/passwd", "C:\\Windows\\system32\\x.csv", "a\x00b.csv",
    "x" * 1000 + ".csv", "..", ".", "", "manifest.json", ".tmp-abc", ".hidden.csv", "\u202egnp.csv",
    "~/x.csv", "%2e%2e%2fetc%2fpasswd", "a/../../b.csv",
]
CASES = [*PAYLOADS, *HOSTILE_NAMES]


def test_formula_cells_are_neutralised_in_csv_only(project: Path, tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    rows = [row(ROWS[0], Last_Name=p, County=p, Sentence=p) for p in PAYLOADS]
    rows.append(row(Age="-3"))
    path = tmp_path / "export.csv"
    path.write_bytes(export(*rows))
    assert cli(capsys, "ingest", "nre", "--from", str(path))[0] == 0
    code, _, err = cli(capsys, "process")
    assert code == 0, err
    assert "row 9, column 'Age': '-3'" in err  # quarantined, not neutralised
    table = pd.read_parquet(project / "data" / "processed" / "exonerations.parquet")
    assert list(table["last_name"][: len(PAYLOADS)]) == PAYLOADS  # the parquet keeps the original text
    with (project / "data" / "processed" / "exonerations.csv").open(encoding="utf-8", newline="") as fh:
        records = list(csv.DictReader(fh))
    for payload, record in zip(PAYLOADS, records, strict=False):
        expected = "'" + payload if payload[0] in "=+-@" else payload
        assert (record["last_name"], record["county"], record["sentence"]) == (expected,) * 3
    assert records[-1]["age"] == "" and records[0]["age"] == "31"  # numbers never get an apostrophe
    assert records[0]["conviction_year"] == "1995"


def _assert_contained(name: str, folder: Path) -> None:
    assert name and "/" not in name and "\\" not in name and "\x00" not in name
    assert name not in {".", ".."} and not name.startswith(".") and len(name) <= 120
    assert (folder / name).resolve().parent == folder.resolve()


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_hostile_name_stays_in_its_folder(name: str, tmp_path: Path) -> None:
    _assert_contained(safe_filename(name), tmp_path)
    stored = _stored_name(name)
    _assert_contained(stored, tmp_path)
    assert stored != "manifest.json"


@given(st.text(max_size=300))
def test_any_name_stays_in_its_folder(name: str) -> None:
    _assert_contained(safe_filename(name), Path("/srv/raw"))


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_content_disposition_cannot_escape_raw(name: str, project: Path, server: FixtureServer,
                                               fast_downloads: None, capsys: pytest.CaptureFixture[str]) -> None:
    body = export(row())
    disposition = f"attachment; filename*=UTF-8''{quote(name, safe='')}"
    url = server.route("/" + quote(name, safe="") + "x", Reply(body=body, headers={"Content-Disposition": disposition}))
    outside = tree(project)
    code, out, err = cli(capsys, "ingest", "nre", "--from", url)
    assert code == 0, err
    snapshot_id = out.split()[2]
    folder = project / "data" / "raw" / "nre" / snapshot_id
    new = sorted(set(tree(project)) - set(outside))
    assert all(p == "data/raw/nre" or p.startswith(f"data/raw/nre/{snapshot_id}") for p in new), new
    [stored] = [p for p in folder.iterdir() if p.name != "manifest.json"]
    _assert_contained(stored.name, folder)
    assert stored.read_bytes() == body
