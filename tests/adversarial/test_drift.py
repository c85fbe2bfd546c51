"""Data drift: newer exports with extra, renamed or dropped columns and new codes. Drift in optional parts is a
warning naming it (the table is still produced); a missing required column is an error naming it."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest

from tests.adversarial.conftest import cli, csv_bytes, one_error_line, tree
from tests.adversarial.test_bad_files import COLUMNS, export, row

FX_COLUMNS = ["ID", "Name", "State", "County of Crime", "Sex", "Race", "Age at Crime Years", "Worst Crime Display",
              "Posting Date", "Date of Exon", "Date of 1st Convic", "Case Characteristics", "False Confession",
              "False or Misleading Forensic Evidence", "Inadequate Legal Defense", "Mistaken Witness ID",
              "Official Misconduct", "Perjury or False Accusation?", "DNA"]
FX_ROW = ["7", "Ann Smith", "Texas", "Harris", "Female", "Black", "17", "Murder", "2020-01-02", "2019-12-01",
          "2009-06-01", "Homicide; Female exoneree", "Yes", "", "", "", "Yes", "", "No"]

def fx(rename: dict[str, str] | None = None, drop: str | None = None, **cells: str) -> bytes:
    """A full-export-like file, with columns renamed or dropped and cells changed."""
    header, values = list(FX_COLUMNS), list(FX_ROW)
    for name, value in cells.items():
        values[header.index(name.replace("_", " "))] = value
    if drop:
        del values[header.index(drop)]
        header.remove(drop)
    header = [(rename or {}).get(h, h) for h in header]
    return csv_bytes(header, [values])

def ps_extra_column() -> bytes:
    return csv_bytes([*COLUMNS, "Brand New Column"], [row() + ["x"]])

# warnings: case -> (file bytes, patterns every one of which must appear in a warning)
WARNED: dict[str, tuple[Callable[[], bytes], list[str]]] = {
    "extra column": (ps_extra_column, [r"column\(s\) not used by this project.*Brand New Column"]),
    "extra column, full export": (lambda: csv_bytes([*FX_COLUMNS, "Shiny"], [[*FX_ROW, "1"]]),
                                  [r"not used by this project.*Shiny"]),
    "renamed optional column": (lambda: fx(rename={"Posting Date": "Date Posted"}),
                                [r"missing from this export.*Posting Date", r"not used by this project.*Date Posted"]),
    "new tag code": (lambda: export(row(Tags="CIU;#ZZ")), [r"unknown tag code\(s\) in 'Tags'.*ZZ"]),
    "new case characteristic": (lambda: fx(Case_Characteristics="Homicide; Brand new thing"),
                                [r"unknown case characteristic\(s\).*brand new thing"]),
    "new crime name": (lambda: export(row(Worst_Crime_Display="Cyber Stalking")),
                       [r"crime name\(s\) not seen before.*Cyber Stalking"]),
}
# errors: case -> (file bytes, pattern of the one-line error)
REFUSED: dict[str, tuple[Callable[[], bytes], str]] = {
    "renamed required column": (lambda: fx(rename={"False Confession": "False Confessions"}),
                                r"looks like nre_full_export but lacks required column\(s\): False Confession "
                                r"\(renamed to 'False Confessions'\?\)"),
    "dropped required column": (lambda: fx(drop="State"),
                                r"looks like nre_full_export but lacks required column\(s\): State$"),
    "dropped required column, old format": (
        lambda: export([c for i, c in enumerate(row()) if i != COLUMNS.index("Race")],
                       columns=[c for c in COLUMNS if c != "Race"]),
        r"lacks required column\(s\): Race$"),
}
CASES = [*WARNED, *REFUSED]

@pytest.mark.parametrize("case", list(WARNED))
def test_drift_is_warned(case: str, baseline: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    make, patterns = WARNED[case]
    path = tmp_path / "newer.csv"
    path.write_bytes(make())
    code, out, err = cli(capsys, "ingest", "nre", "--from", str(path))
    assert code == 0, err
    code, _, err = cli(capsys, "process", "--snapshot", out.split()[2])
    assert code == 0, err
    warnings = [line for line in err.splitlines() if line.startswith("warning: ")]
    for pattern in patterns:
        assert any(re.search(pattern, w) for w in warnings), (pattern, err)
    assert len(pd.read_parquet(baseline / "data" / "processed" / "exonerations.parquet")) == 1

@pytest.mark.parametrize("case", list(REFUSED))
def test_drift_is_refused(case: str, baseline: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    make, pattern = REFUSED[case]
    path = tmp_path / "newer.csv"
    path.write_bytes(make())
    before = tree(baseline / "data")
    code, out, err = cli(capsys, "ingest", "nre", "--from", str(path))
    assert (code, out) == (1, "")
    assert re.search(pattern, one_error_line(err)), err
    assert tree(baseline / "data") == before
