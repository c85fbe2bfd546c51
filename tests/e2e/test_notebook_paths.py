"""Executed notebooks are published: they must not carry the machine's paths (the project root was once injected
as a papermill parameter into every executed copy)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from analysis.ingest import ingest
from analysis.ingest.demo import write_demo
from analysis.narrate.execute import execute_notebooks
from analysis.settings import Paths
from tests.conftest import REPO_ROOT


@pytest.fixture()
def demo_project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "a-very-recognisable-project-root"
    (root / "notebooks").mkdir(parents=True)
    shutil.copy(REPO_ROOT / "notebooks" / "01-data-overview.py", root / "notebooks")
    monkeypatch.setenv("CONFESSIONS_HOME", str(root))
    export = write_demo(tmp_path / "demo.csv", rows=300, seed=4)
    ingest("nre", str(export))
    from analysis.compare.carry import process_with_carry

    process_with_carry(None, Paths(root))
    return root


def test_executed_notebooks_hold_no_machine_path(demo_project: Path, tmp_path: Path):
    where = Paths(demo_project)
    [html] = execute_notebooks(where, {"project_root": str(demo_project)}, names=["01-data-overview"])
    ipynb = html.with_suffix(".ipynb")
    for path in (html, ipynb):
        text = path.read_text(encoding="utf-8")
        assert "a-very-recognisable-project-root" not in text, path.name
        assert str(tmp_path) not in text, path.name
    assert '"input_path": "notebooks/01-data-overview.py"' in ipynb.read_text(encoding="utf-8")
