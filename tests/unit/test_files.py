"""Files the project writes take the process umask, like any plainly written file (a report served from a shared
folder must not be refused because its index.html is 0600 while its images are 0644)."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pandas as pd
import pytest

from analysis.files import atomic_path, temp_dir, write_text, write_with


@pytest.fixture()
def umask_022():
    old = os.umask(0o022)
    yield
    os.umask(old)


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_atomic_writes_have_the_umask_mode(tmp_path: Path, umask_022):
    write_text(tmp_path / "index.html", "<p>x</p>")
    write_with(tmp_path / "t.csv", lambda p: pd.DataFrame({"a": [1]}).to_csv(p))
    plain = tmp_path / "plain.txt"
    plain.write_text("x")
    assert _mode(tmp_path / "index.html") == _mode(plain) == 0o644
    assert _mode(tmp_path / "t.csv") == 0o644


def test_a_stricter_umask_is_respected(tmp_path: Path):
    old = os.umask(0o077)
    try:
        write_text(tmp_path / "private.json", "{}")
    finally:
        os.umask(old)
    assert _mode(tmp_path / "private.json") == 0o600


def test_failed_write_leaves_the_old_file_and_no_temp(tmp_path: Path, umask_022):
    target = tmp_path / "stats.json"
    write_text(target, "old")
    with pytest.raises(RuntimeError), atomic_path(target) as tmp:
        tmp.write_text("half")
        raise RuntimeError("disk full")
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["stats.json"]


def test_temp_dirs_are_not_private(tmp_path: Path, umask_022):
    d = temp_dir(".tmp-x-", tmp_path)
    assert d.name.startswith(".tmp-x-") and _mode(d) == 0o755
