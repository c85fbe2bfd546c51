"""`build`/`all` from any stored snapshot and as of any date; a chart the data cannot support is skipped, not a
failed build; one stored export that cannot be read does not block every later build. Real pipeline, real files:
the registry's 2017-07-06 and 2026 exports where ../shared is there, else two synthetic demo exports."""

from __future__ import annotations

import csv
import datetime as dt
import json
from pathlib import Path

import pytest

from analysis.charts import CHARTS
from analysis.cli import main
from analysis.ingest.demo import write_demo
from analysis.ingest.store import list_snapshots
from tests.conftest import NRE_DIR

REAL = ("nre-publicspreadsheet-2017-07-06.xlsx", "nre-fullcsv-2026-06.csv")
USE_REAL = all((NRE_DIR / name).is_file() for name in REAL)

pytestmark = pytest.mark.e2e


def _cli(capsys, *argv: str) -> tuple[int, str, str]:  # noqa: ANN001
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def _generated_from(project: Path) -> dict:
    return json.loads((project / "reports" / "stats.json").read_text())["generated_from"]


@pytest.fixture()
def two_demo_snapshots(project: Path, tmp_path: Path, capsys) -> tuple[Path, list[Path]]:  # noqa: ANN001
    """Two stored exports, older first: the real 2017-07-06 and 2026 exports, or two demo exports (same date,
    told apart by their rows)."""
    if USE_REAL:
        exports = [NRE_DIR / name for name in REAL]
    else:
        exports = [write_demo(tmp_path / f"demo-{seed}.csv", rows=rows, seed=seed)
                   for seed, rows in ((1, 420), (2, 460))]
    for export in exports:
        assert _cli(capsys, "ingest", "nre", "--from", str(export))[0] == 0
    return project, exports


def test_build_from_an_older_snapshot_then_back(two_demo_snapshots, capsys):  # noqa: ANN001
    """`confessions all --snapshot 2017-07-06` (its date alone names it) gives a complete report from that export:
    every chart drawn or skipped with its reason, statistics and the report of that snapshot."""
    project, _ = two_demo_snapshots
    older, newer = sorted(list_snapshots("nre"), key=lambda m: m.rows)
    name = "2017-07-06" if USE_REAL else older.snapshot_id[:14]
    code, out, err = _cli(capsys, "all", "--skip-notebooks", "--snapshot", name)
    assert code == 0, err
    assert _generated_from(project)["snapshot_id"] == older.snapshot_id
    page = (project / "reports" / "index.html").read_text()
    assert older.snapshot_id in page and page.rstrip().endswith("</html>")
    stats = json.loads((project / "reports" / "stats.json").read_text())["stats"]
    assert next(s for s in stats if s["id"] == "fc_share_all")["snapshot"] == older.snapshot_id
    figures = project / "reports" / "figures"
    for slug in CHARTS:  # drawn from this snapshot, or skipped with a marker saying why
        meta = figures / slug / "meta.json"
        assert (meta.is_file() and json.loads(meta.read_text())["snapshot"]["id"] == older.snapshot_id
                or (figures / f".{slug}.skipped").is_file()), slug

    # a second identical run rebuilds nothing (skipped charts included)
    code, _, err = _cli(capsys, "all", "--skip-notebooks", "--snapshot", name)
    assert code == 0 and "✓ rebuilt" not in err, err

    code, _, err = _cli(capsys, "all", "--skip-notebooks", "--snapshot", newer.snapshot_id)
    assert code == 0, err
    assert _generated_from(project)["snapshot_id"] == newer.snapshot_id


def test_build_as_of_a_date(two_demo_snapshots, capsys):  # noqa: ANN001
    project, exports = two_demo_snapshots
    newer = max(list_snapshots("nre"), key=lambda m: m.rows)
    day = dt.date(2015, 12, 31)
    code, _, err = _cli(capsys, "all", "--skip-notebooks", "--snapshot", newer.snapshot_id, "--as-of", day.isoformat())
    assert code == 0, err
    assert _generated_from(project)["as_of"] == day.isoformat()
    # independent count from the export file: records posted by then, exonerated since 1989
    with open(exports[1], encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    posted = [r for r in rows if r["Posting Date"] and dt.date.fromisoformat(r["Posting Date"]) <= day
              and r["Pre-1989"] != "Yes"]
    stats = json.loads((project / "reports" / "stats.json").read_text())["stats"]
    fc_all = next(s for s in stats if s["id"] == "fc_share_all")
    assert fc_all["n"] == len(posted) and fc_all["as_of"] == day.isoformat()
    assert "posted by 31 December 2015" in fc_all["sentence"]


def test_a_bad_older_export_does_not_block_the_build(project: Path, tmp_path: Path, capsys):
    from tests.adversarial.test_bad_files import ROWS, export, row

    bad = tmp_path / "bad.csv"
    bad.write_bytes(export(row(ROWS[0]), row(State="Atlantis")))
    assert _cli(capsys, "ingest", "nre", "--from", str(bad))[0] == 0
    good = write_demo(tmp_path / "demo.csv", rows=420, seed=3)
    assert _cli(capsys, "ingest", "nre", "--from", str(good))[0] == 0
    code, out, err = _cli(capsys, "all", "--skip-notebooks")
    # the demo export is stored as source demo and never mixed with the registry's: the bad nre one is newest
    assert code == 1
    assert "cannot be processed: unknown state name(s): Atlantis" in err
    assert "confessions all --snapshot ID" in err and "snapshots remove" in err and err.count("\n") == 1
