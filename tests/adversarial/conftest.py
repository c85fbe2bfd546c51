"""Fixtures for the adversarial suite: a project whose data/ holds a real snapshot and processed table."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from analysis.cli import main
from tests.unit.ingest.test_ingest import HEADER, ROWS, sha, temp_names, tree

__all__ = ["HEADER", "ROWS", "cli", "csv_bytes", "sha", "temp_names", "tree"]


def cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    """Run ``confessions ARGV``; (exit code, stdout, stderr)."""
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def csv_bytes(header: list[str], rows: list[list[str]]) -> bytes:
    """A CSV file (quoted where needed, CRLF as Excel writes it) from a header and rows."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def one_error_line(err: str) -> str:
    """The message of a one-line ``error: ...`` stderr (asserting that shape)."""
    assert err.startswith("error: ") and err.endswith("\n") and err.count("\n") == 1, err
    assert "Traceback" not in err
    return err[len("error: "):-1]


@pytest.fixture
def baseline(project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    """A project after a real ``ingest`` + ``process`` of a small valid export (two records)."""
    src = tmp_path / "valid.csv"
    src.write_bytes(("\r\n".join([HEADER, *ROWS[:2]]) + "\r\n").encode("utf-8"))
    code, _, err = cli(capsys, "ingest", "nre", "--from", str(src))
    assert code == 0, err
    code, _, err = cli(capsys, "process")
    assert code == 0, err
    assert (project / "data" / "processed" / "exonerations.parquet").is_file()
    return project
