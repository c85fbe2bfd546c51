"""A local file over the size cap (``CONFESSIONS_MAX_FILE_MB``, default 200 MB) is refused in one line before it is
read, for ``ingest``, ``all --from`` and a stored snapshot read later; nonsense caps are one-line errors. Memory
per megabyte read is measured in benchmarks/run.py (docs/performance.md), not asserted here."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.adversarial.conftest import cli, one_error_line, tree

MAX_FILE_ENV = "CONFESSIONS_MAX_FILE_MB"


def over_the_cap(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Set the cap to half the size of ``path``."""
    monkeypatch.setenv(MAX_FILE_ENV, str(path.stat().st_size / 2 / 2**20))


@pytest.mark.parametrize("command", ["ingest", "all"])
def test_a_file_over_the_cap_is_refused_and_nothing_stored(project: Path, demo_export: Path, command: str,
                                                           monkeypatch: pytest.MonkeyPatch, capsys):
    before = tree(project / "data")
    over_the_cap(demo_export, monkeypatch)
    argv = ["ingest", "nre"] if command == "ingest" else ["all", "--skip-notebooks"]
    code, _, err = cli(capsys, *argv, "--from", str(demo_export))
    message = one_error_line(err)
    assert code == 1
    assert message.startswith(f"{demo_export.name} is ") and MAX_FILE_ENV in message and "cap" in message
    assert tree(project / "data") == before


def test_a_huge_file_is_refused_before_a_byte_is_read(project: Path, tmp_path: Path, capsys):
    """A 1 GiB sparse file (no disk used): refused from its size under the default cap. Hashing or sniffing it
    first would read 1 GiB of zeros and then call it binary data."""
    huge = tmp_path / "export.csv"
    with huge.open("wb") as fh:
        fh.write(b"Last Name,First Name\n")
        fh.truncate(2**30)
    code, _, err = cli(capsys, "ingest", "nre", "--from", str(huge))
    assert code == 1
    assert one_error_line(err) == (f"export.csv is 1,024.0 MB, over the 200 MB cap on a file to read (the "
                                   f"registry's 2026 export is 2 MB); if it is genuine, raise {MAX_FILE_ENV}")


def test_a_stored_snapshot_over_a_lowered_cap_is_not_processed(baseline: Path, monkeypatch: pytest.MonkeyPatch,
                                                               capsys):
    before = tree(baseline / "data")
    monkeypatch.setenv(MAX_FILE_ENV, "0.0001")  # 104 bytes; the stored export is larger
    code, _, err = cli(capsys, "process")
    assert code == 1 and MAX_FILE_ENV in one_error_line(err)
    assert tree(baseline / "data") == before


@pytest.mark.parametrize("value", ["nan", "inf", "-1", "0", "lots"])
def test_a_nonsense_cap_is_one_line(project: Path, demo_export: Path, value: str, monkeypatch, capsys):
    monkeypatch.setenv(MAX_FILE_ENV, value)
    code, _, err = cli(capsys, "ingest", "nre", "--from", str(demo_export))
    assert code == 1 and one_error_line(err).startswith(f"{MAX_FILE_ENV} must be a")
    assert os.listdir(project / "data" / "raw") == []
