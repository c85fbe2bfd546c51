"""``confessions all``: one command, incremental steps, a summary; real runs in a scratch project, from the real 2026
export in ../shared when present and always from the synthetic demo export."""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys

import pytest
from rich.console import Console

from analysis import pipeline
from analysis.cli import main
from analysis.settings import paths
from tests.conftest import REPO_ROOT, data_variants, require_real_variant, shared_file

REAL_FILE = "nre-fullcsv-2026-06.csv"
VARIANTS = data_variants(REAL_FILE)


def quiet() -> Console:
    return Console(file=open("/dev/null", "w"), soft_wrap=True)  # noqa: SIM115


def test_real_data_variant_runs():
    require_real_variant(VARIANTS, REAL_FILE)


NOTEBOOKS = ("01-data-overview", "05-time-lost")
"""The notebooks of the scratch project: two, for time (every notebook executes in test_notebooks)."""


@pytest.fixture(scope="module", params=VARIANTS)
def built(request, tmp_path_factory):
    """A cold ``pipeline.build`` from the 2026 export (``real``) or the demo export (``demo``, stored as source
    ``demo``) in a scratch project with two notebooks; (home, the run's summary, the export, what it printed)."""
    home = tmp_path_factory.mktemp(f"pipeline-{request.param}") / "project"
    (home / "notebooks").mkdir(parents=True)
    for name in NOTEBOOKS:
        shutil.copy2(REPO_ROOT / "notebooks" / f"{name}.py", home / "notebooks")
    export = request.getfixturevalue("demo_export") if request.param == "demo" else shared_file("nre", REAL_FILE)
    mp = pytest.MonkeyPatch()
    mp.setenv("CONFESSIONS_HOME", str(home))
    printed = io.StringIO()
    first = pipeline.build(from_=str(export), console=Console(file=printed, soft_wrap=True))
    yield home, first, export, printed.getvalue()
    mp.undo()


def test_cold_run_builds_everything(built):
    home, first, _, _ = built
    names = {r.name for r in first.results}
    assert first.reused == []
    assert {"ingest", "process", "analyse", "changelog", "report"} <= names
    assert sum(n.startswith("chart:") for n in names) >= 10
    notebooks = len(NOTEBOOKS)
    assert {f"notebook:{name}" for name in NOTEBOOKS} <= names
    assert sum(n.startswith("notebook:") for n in names) == notebooks
    assert (home / "data" / "processed" / "exonerations.parquet").is_file()
    assert (home / "reports" / "index.html").is_file()
    assert len(list((home / "reports" / "notebooks").glob("*.html"))) == notebooks


def test_a_build_from_the_real_export_carries_no_synthetic_label(built):
    """Nothing built from the registry's export says synthetic: processed meta, stats, every chart, the report; no
    demo snapshot is made and the "how to get the real data" hint is not printed."""
    from analysis.analyse.definitions import SYNTHETIC_LABEL
    from analysis.charts import CHARTS

    require_real_variant(VARIANTS, REAL_FILE)
    home, _, _, printed = built
    assert json.loads((home / "data" / "processed" / "exonerations.meta.json").read_text())["synthetic"] is False
    stats = json.loads((home / "reports" / "stats.json").read_text())
    assert stats["generated_from"]["synthetic"] is False
    assert all(s["sentence"].startswith(("Of the ", "There were no ")) for s in stats["stats"])
    assert not any("synthetic" in s["sentence"].lower() for s in stats["stats"])
    for slug in CHARTS:
        meta = json.loads((home / "reports" / "figures" / slug / "meta.json").read_text())
        assert meta["synthetic"] is False, slug
        assert SYNTHETIC_LABEL not in meta["subtitle"] + meta["source_line"] + meta["alt_text"], slug
    page = (home / "reports" / "index.html").read_text(encoding="utf-8")
    assert "synthetic-banner" not in page and SYNTHETIC_LABEL not in page
    assert pipeline.REAL_DATA_HINT not in printed and "2026-06-26" in printed
    assert not (home / "data" / "raw" / "demo").exists()


def test_no_op_rerun_reuses_every_step(built, monkeypatch):
    home, _, _, _ = built
    monkeypatch.setenv("CONFESSIONS_HOME", str(home))
    again = pipeline.build(console=quiet())
    assert again.rebuilt == []
    assert len(again.reused) >= 19


def test_same_export_again_is_a_no_op(built, monkeypatch, capsys):
    home, _, export, _ = built
    monkeypatch.setenv("CONFESSIONS_HOME", str(home))
    assert main(["all", "--from", str(export)]) == 0
    err = capsys.readouterr().err
    assert "0 step(s) rebuilt" in err and "reports/index.html" in err


def test_changing_one_chart_rebuilds_it_and_the_report_only(built, monkeypatch):
    """A new version of one chart function (its title changes): that chart and the report are rebuilt; the other
    charts and the notebooks are reused."""
    from analysis.charts import bundle

    home, _, _, _ = built
    monkeypatch.setenv("CONFESSIONS_HOME", str(home))
    original = bundle.CHARTS["fc-by-age"]

    def fc_by_age_v2(snapshot, ctx):
        spec = original(snapshot, ctx)
        spec.title = spec.title + " (revised)"
        return spec

    monkeypatch.setitem(bundle.CHARTS, "fc-by-age", fc_by_age_v2)
    result = pipeline.build(console=quiet())
    assert sorted(result.rebuilt) == ["chart:fc-by-age", "report"]
    assert "(revised)" in (paths().figures / "fc-by-age" / "meta.json").read_text()
    assert "(revised)" in (paths().reports / "index.html").read_text()


def test_an_output_changed_by_hand_is_rebuilt(built, monkeypatch):
    home, _, _, _ = built
    monkeypatch.setenv("CONFESSIONS_HOME", str(home))
    figure_meta = paths().figures / "fc-by-crime" / "meta.json"
    figure_meta.write_text("{}")
    result = pipeline.build(console=quiet(), skip_notebooks=True)
    assert "chart:fc-by-crime" in result.rebuilt and figure_meta.read_text() != "{}"


def test_force_rebuilds_everything_but_notebooks_when_skipped(built, monkeypatch):
    home, _, _, _ = built
    monkeypatch.setenv("CONFESSIONS_HOME", str(home))
    result = pipeline.build(console=quiet(), force=True, skip_notebooks=True)
    assert result.reused == []
    assert not any(n.startswith("notebook:") for n in result.rebuilt)


STEP_KEYS = """
import json
import analysis
from analysis import pipeline
from analysis.settings import paths
print(json.dumps({"package": analysis.__file__, "keys": {s.name: s.key() for s in pipeline.plan(paths())}}))
"""


def test_chart_step_keys_follow_their_own_file_and_the_shared_ones(built, tmp_path):
    """On a copy of the package (real file edits, nothing in the checkout touched): editing one chart's file
    changes only that chart's step key; editing a shared chart file changes every chart's key (and the steps that
    read the charts: notebooks, report) but not the earlier ones; editing a format reader changes every step's
    key from process on."""
    home, _, _, _ = built
    package = tmp_path / "src" / "analysis"
    shutil.copytree(REPO_ROOT / "src" / "analysis", package, ignore=shutil.ignore_patterns("__pycache__"))
    env = {**os.environ, "PYTHONPATH": str(tmp_path / "src"), "CONFESSIONS_HOME": str(home)}

    def keys() -> dict[str, str]:
        run = subprocess.run([sys.executable, "-c", STEP_KEYS], env=env, cwd=tmp_path, capture_output=True,
                             text=True, timeout=300, check=True)
        out = json.loads(run.stdout.strip().splitlines()[-1])
        assert out["package"].startswith(str(package))
        return out["keys"]

    last = keys()

    def edit(relative: str) -> set[str]:
        """Append a comment to ``relative`` (in the copy); the names of the steps whose key changed."""
        nonlocal last
        path = package / relative
        path.write_text(path.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
        before, last = last, keys()
        assert set(last) == set(before)
        return {name for name in before if last[name] != before[name]}

    charts = {name for name in last if name.startswith("chart:")}
    readers = {name for name in last if name.startswith("notebook:")} | {"report"}  # narrate: code includes charts
    sheets = {name for name in last if name.startswith("states:")}  # draw with the shared chart code only
    assert len(charts) >= 10 and {"process", "analyse", "changelog"} <= set(last)
    assert edit("charts/fc_by_age.py") == {"chart:fc-by-age", *readers}
    assert edit("charts/reconciliation_32.py") == {"chart:reconciliation-32", *readers}
    for shared in ("charts/draw.py", "charts/registry.py", "charts/__init__.py"):
        assert edit(shared) == charts | readers | sheets, shared
    assert edit("formats/detect.py") == set(last)
