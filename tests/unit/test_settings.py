"""Where the project writes: CONFESSIONS_HOME, else the checkout found from the cwd, else the checkout the package
runs from — never a stray data/ in whatever folder a command happens to run in."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

import analysis
from analysis.errors import UserError
from analysis.settings import project_root

CHECKOUT = Path(analysis.__file__).resolve().parents[2]


def test_home_wins(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("CONFESSIONS_HOME", str(tmp_path))
    assert project_root() == tmp_path.resolve()


def test_home_that_is_a_file_is_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    f = tmp_path / "home.txt"
    f.write_text("x")
    monkeypatch.setenv("CONFESSIONS_HOME", str(f))
    with pytest.raises(UserError, match="is a file, not a folder"):
        project_root()


def test_from_another_folder_nothing_is_written_there(tmp_path: Path):
    env = {k: v for k, v in os.environ.items() if k != "CONFESSIONS_HOME"}
    done = subprocess.run([sys.executable, "-c", "from analysis.settings import project_root; print(project_root())"],
                          cwd=tmp_path, env=env, capture_output=True, text=True, check=True)
    assert Path(done.stdout.strip()) == CHECKOUT  # the editable checkout, not the cwd
    assert list(tmp_path.iterdir()) == []


def test_inside_a_checkout_its_root_is_found_from_a_subfolder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    (tmp_path / "src" / "analysis").mkdir(parents=True)
    (tmp_path / "pyproject.toml").write_text("[project]\nname='x'\n")
    (tmp_path / "notebooks").mkdir()
    monkeypatch.delenv("CONFESSIONS_HOME", raising=False)
    monkeypatch.chdir(tmp_path / "notebooks")
    assert project_root() == tmp_path.resolve()
