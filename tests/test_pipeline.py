"""``confessions all``: one command, incremental steps, a summary; real runs in a scratch project."""

from __future__ import annotations

import importlib
import shutil
import sys
import textwrap

import pytest
from rich.console import Console

from analysis import pipeline
from analysis.cli import main
from analysis.settings import paths
from tests.conftest import REPO_ROOT, shared_file


def quiet() -> Console:
    return Console(file=open("/dev/null", "w"), soft_wrap=True)  # noqa: SIM115


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    home = tmp_path_factory.mktemp("pipeline") / "project"
    shutil.copytree(REPO_ROOT / "notebooks", home / "notebooks")
    mp = pytest.MonkeyPatch()
    mp.setenv("CONFESSIONS_HOME", str(home))
    first = pipeline.build(from_=str(shared_file("nre", "nre-fullcsv-2026-06.csv")), console=quiet())
    yield home, first
    mp.undo()


def test_cold_run_builds_everything(built):
    home, first = built
    names = {r.name for r in first.results}
    assert first.reused == []
    assert {"ingest", "process", "analyse", "changelog", "report"} <= names
    assert sum(n.startswith("chart:") for n in names) >= 10
    assert sum(n.startswith("notebook:") for n in names) == 6
    assert (home / "data" / "processed" / "exonerations.parquet").is_file()
    assert (home / "reports" / "index.html").is_file()
    assert len(list((home / "reports" / "notebooks").glob("*.html"))) == 6


def test_no_op_rerun_reuses_every_step(built, monkeypatch):
    home, _ = built
    monkeypatch.setenv("CONFESSIONS_HOME", str(home))
    again = pipeline.build(console=quiet())
    assert again.rebuilt == []
    assert len(again.reused) >= 19


def test_same_export_again_is_a_no_op(built, monkeypatch, capsys):
    home, _ = built
    monkeypatch.setenv("CONFESSIONS_HOME", str(home))
    assert main(["all", "--from", str(shared_file("nre", "nre-fullcsv-2026-06.csv"))]) == 0
    err = capsys.readouterr().err
    assert "0 step(s) rebuilt" in err and "reports/index.html" in err


def test_changing_one_chart_rebuilds_it_and_the_report_only(built, monkeypatch):
    """A new version of one chart function (its title changes): that chart and the report are rebuilt; the other
    charts and the notebooks are reused."""
    from analysis.charts import bundle

    home, _ = built
    monkeypatch.setenv("CONFESSIONS_HOME", str(home))
    original = bundle.CHARTS["fc-by-age"]

    def fc_by_age_v2(table, meta, ctx):
        spec = original(table, meta, ctx)
        spec.title = spec.title + " (revised)"
        return spec

    monkeypatch.setitem(bundle.CHARTS, "fc-by-age", fc_by_age_v2)
    result = pipeline.build(console=quiet())
    assert sorted(result.rebuilt) == ["chart:fc-by-age", "report"]
    assert "(revised)" in (paths().figures / "fc-by-age" / "meta.json").read_text()
    assert "(revised)" in (paths().reports / "index.html").read_text()


def test_an_output_changed_by_hand_is_rebuilt(built, monkeypatch):
    home, _ = built
    monkeypatch.setenv("CONFESSIONS_HOME", str(home))
    figure_meta = paths().figures / "fc-by-crime" / "meta.json"
    figure_meta.write_text("{}")
    result = pipeline.build(console=quiet(), skip_notebooks=True)
    assert "chart:fc-by-crime" in result.rebuilt and figure_meta.read_text() != "{}"


def test_force_rebuilds_everything_but_notebooks_when_skipped(built, monkeypatch):
    home, _ = built
    monkeypatch.setenv("CONFESSIONS_HOME", str(home))
    result = pipeline.build(console=quiet(), force=True, skip_notebooks=True)
    assert result.reused == []
    assert not any(n.startswith("notebook:") for n in result.rebuilt)


def test_chart_code_hash_follows_own_function_and_shared_helpers(tmp_path, monkeypatch):
    module = tmp_path / "fake_charts.py"
    source = textwrap.dedent('''
        def helper():
            return 1


        def chart_a():
            return helper()


        def chart_b():
            return helper() + 1


        CHARTS = {"a": chart_a, "b": chart_b}
    ''')
    module.write_text(source)
    monkeypatch.syspath_prepend(str(tmp_path))

    def hashes():
        sys.modules.pop("fake_charts", None)
        mod = importlib.import_module("fake_charts")
        return pipeline.chart_code_hashes({"a": mod.chart_a, "b": mod.chart_b})

    before = hashes()
    module.write_text(source.replace("return helper() + 1", "return helper() + 2"))
    after_b = hashes()
    assert after_b["a"] == before["a"] and after_b["b"] != before["b"]
    module.write_text(source.replace("return 1", "return 3"))
    after_helper = hashes()
    assert after_helper["a"] != before["a"] and after_helper["b"] != before["b"]
