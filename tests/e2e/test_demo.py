"""The synthetic demo export: a fresh clone builds everything from it, and every output says it is synthetic.

``confessions demo`` writes an export in the 2026 full export format that the normal reader reads; the same rows
and seed give the same bytes; ``confessions all`` with nothing stored ingests it as source ``demo`` and builds every
table, chart, a notebook and the report, each labelled; a registry export, once stored, always wins and carries no
label. Nothing here needs ../shared except the comparisons with the real export (skipped when it is absent).
"""

from __future__ import annotations

import io
import json
import shutil
import warnings
from pathlib import Path

import nbformat
import pandas as pd
import pytest
from rich.console import Console

from analysis import pipeline
from analysis.analyse.definitions import SYNTHETIC_LABEL
from analysis.charts import CHARTS
from analysis.cli import main
from analysis.errors import UserError
from analysis.formats import read_export
from analysis.ingest import demo
from analysis.normalise import canonical_table
from analysis.settings import paths
from tests.conftest import REPO_ROOT, shared_file

SENTENCE_START = "In the synthetic demo data, "
NOTEBOOKS = ("03-who-confesses", "04-the-32-percent-question")  # two, for time: the others run in test_notebooks


def _console() -> tuple[Console, io.StringIO]:
    out = io.StringIO()
    return Console(file=out, soft_wrap=True, width=200), out


def _table(path: Path) -> pd.DataFrame:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return canonical_table(read_export(path)).table


# --------------------------------------------------------------------------------------------------------
# The file
# --------------------------------------------------------------------------------------------------------


def test_same_seed_same_bytes_other_seed_other_bytes():
    first = demo.demo_bytes(1500, 7)
    assert demo.demo_bytes(1500, 7) == first
    assert demo.demo_bytes(1500, 8) != first
    assert demo.demo_bytes(1501, 7) != first


def test_reads_back_through_the_normal_reader_as_the_full_export(tmp_path: Path):
    path = demo.write_demo(tmp_path / "demo.csv", 1500, 3)
    data = path.read_bytes()
    assert data.startswith("\ufeff".encode()) and b"\r\n" not in data
    read = read_export(path)
    assert (read.format, read.source, read.container, read.rows) == ("nre_full_export", "nre", "csv", 1500)
    assert list(read.frame.columns) == list(demo.HEADER) and len(demo.HEADER) == 78
    assert read.snapshot_date == demo.EXPORT_DATE and read.notes == []
    result = canonical_table(read)
    assert result.warnings == [] and result.quarantined == []  # every cell is a value the reader knows
    table = result.table
    assert table["registry_id"].is_unique and table["name"].str.match(r"^Demo Exoneree \d{4}$").all()
    assert table["county"].dropna().str.match(r"^Demo County \d+$").all()
    assert table["pre_1989"].any() and table["federal"].any() and table["juvenile"].any()
    assert demo.is_demo_export(read.frame)


def test_the_header_is_the_real_exports_header():
    real = shared_file("nre", "nre-fullcsv-2026-06.csv")
    assert real.read_bytes().split(b"\n", 1)[0] == demo.demo_bytes(50, 0).split(b"\n", 1)[0]


def test_marginals_and_co_occurrences_are_plausible(tmp_path: Path):
    table = _table(demo.write_demo(tmp_path / "demo.csv"))  # the default: what `make all` builds from
    post = table[~table["pre_1989"].astype(bool)]
    flag = {c: post[c].fillna(False).astype(bool) for c in ("fc", "dna", "om", "homicide", "juvenile")}

    def share(of: pd.Series, among: pd.Series | None = None) -> float:
        return float(of[among].mean()) if among is not None else float(of.mean())

    assert 0.10 <= share(flag["fc"]) <= 0.14
    assert 0.14 <= share(flag["dna"]) <= 0.20
    assert 0.09 <= 1 - len(post) / len(table) <= 0.13  # pre-1989 rows
    assert share(flag["fc"], flag["juvenile"]) > 2 * share(flag["fc"], ~flag["juvenile"])
    assert share(flag["fc"], flag["homicide"]) > 2.5 * share(flag["fc"], ~flag["homicide"])
    assert share(flag["fc"], flag["dna"]) > share(flag["fc"], ~flag["dna"])
    assert share(flag["om"], flag["fc"]) > share(flag["om"], ~flag["fc"]) + 0.15
    assert post["years_lost"][flag["fc"]].median() > post["years_lost"][~flag["fc"]].median()
    assert post["posting_date"].min() < pd.Timestamp("2017-09-30")  # the as-of 2017 numbers have data


def test_demo_command_writes_the_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    out = tmp_path / "mine.csv"
    assert main(["demo", "--rows", "120", "--seed", "5", "--out", str(out)]) == 0
    assert out.read_bytes() == demo.demo_bytes(120, 5)
    said = capsys.readouterr().out
    assert "not real cases" in said and "confessions all --from" in said
    assert main(["demo", "--rows", "3", "--out", str(tmp_path / "tiny.csv")]) == 1
    assert "--rows must be between" in capsys.readouterr().err


def test_a_demo_export_is_always_stored_as_source_demo(project: Path, tmp_path: Path):
    from analysis.ingest import ingest

    path = demo.write_demo(tmp_path / "demo.csv", 200, 1)
    manifest, created = ingest("nre", str(path))  # given as the registry's: still stored apart
    assert created and manifest.source == "demo"
    assert (project / "data" / "raw" / "demo" / manifest.snapshot_id / "manifest.json").is_file()
    assert not (project / "data" / "raw" / "nre").exists()
    assert ingest("demo", str(path)) == (manifest, False)
    real_looking = tmp_path / "not-demo.csv"
    real_looking.write_bytes(path.read_bytes().replace(b"Demo Exoneree", b"Some Person"))
    with pytest.raises(UserError, match="not the synthetic demo export"):
        ingest("demo", str(real_looking))


# --------------------------------------------------------------------------------------------------------
# A fresh project: `confessions all` with nothing stored
# --------------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def fresh(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """A scratch project with no snapshot and two notebooks; ``pipeline.build()`` with no ``--from``."""
    home = tmp_path_factory.mktemp("fresh") / "project"
    (home / "notebooks").mkdir(parents=True)
    for name in NOTEBOOKS:
        shutil.copy2(REPO_ROOT / "notebooks" / f"{name}.py", home / "notebooks")
    mp = pytest.MonkeyPatch()
    mp.setenv("CONFESSIONS_HOME", str(home))
    console, out = _console()
    summary = pipeline.build(console=console, workers=2)
    yield {"home": home, "summary": summary, "output": out.getvalue(), "where": paths()}
    mp.undo()


def test_a_fresh_project_builds_everything_from_the_demo(fresh: dict):
    home, summary = fresh["home"], fresh["summary"]
    ingest = next(r for r in summary.results if r.name == "ingest")
    assert ingest.status == "rebuilt" and "synthetic demo export" in ingest.detail
    stored = list((home / "data" / "raw" / "demo").iterdir())
    assert len(stored) == 1 and not (home / "data" / "raw" / "nre").exists()
    manifest = json.loads((stored[0] / "manifest.json").read_text())
    assert manifest["source"] == "demo" and manifest["rows"] == demo.DEFAULT_ROWS
    assert {f"chart:{slug}" for slug in CHARTS} <= set(summary.rebuilt)  # every chart has something to show
    assert {f"notebook:{name}" for name in NOTEBOOKS} <= set(summary.rebuilt)
    assert (home / "reports" / "index.html").is_file()
    assert pipeline.REAL_DATA_HINT in fresh["output"] and "Using the real registry data" in pipeline.REAL_DATA_HINT


def test_processed_meta_and_stats_say_synthetic(fresh: dict):
    where = fresh["where"]
    assert json.loads(where.processed_meta.read_text())["synthetic"] is True
    stats = json.loads(where.stats_json.read_text())
    assert stats["generated_from"]["synthetic"] is True
    assert len(stats["stats"]) >= 12
    for stat in stats["stats"]:
        assert stat["sentence"].startswith(SENTENCE_START), stat["id"]
        assert "National Registry of Exonerations" not in stat["sentence"]
    as_of = [s for s in stats["stats"] if s["id"].endswith("_as_of_2017_09_30")]
    assert as_of and "posted by 30 September 2017" in as_of[0]["sentence"] and as_of[0]["n"] > 0


def test_every_chart_says_synthetic(fresh: dict):
    figures = fresh["where"].figures
    assert sorted(p.name for p in figures.iterdir() if not p.name.startswith(".")) == sorted(CHARTS)
    for slug in CHARTS:
        meta = json.loads((figures / slug / "meta.json").read_text())
        assert meta["synthetic"] is True, slug
        assert meta["subtitle"].startswith(f"{SYNTHETIC_LABEL}. "), slug
        assert meta["source_line"].startswith(f"Source: {SYNTHETIC_LABEL}"), slug
        assert SYNTHETIC_LABEL in meta["alt_text"], slug  # the source line is read out in the alt text too
        assert "National Registry of Exonerations" not in meta["source_line"]
        assert meta["data"]["rows"] > 0, slug


def test_the_report_opens_with_the_banner(fresh: dict):
    page = (fresh["where"].reports / "index.html").read_text(encoding="utf-8")
    body = page[page.index("<body>"):]
    assert body.index('class="synthetic-banner"') < body.index('<header class="site">')
    assert f"<strong>{SYNTHETIC_LABEL}.</strong>" in page
    assert page.count(SENTENCE_START) >= 12  # every headline sentence


def test_the_notebooks_execute_on_the_demo(fresh: dict):
    out = fresh["where"].notebooks_out
    for name in NOTEBOOKS:
        nb = nbformat.read(str(out / f"{name}.ipynb"), as_version=4)
        outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
        assert not [o for o in outputs if o.output_type == "error"], name
        assert any("image/png" in o.get("data", {}) for o in outputs), name
        assert (out / f"{name}.html").is_file()
    nb = nbformat.read(str(out / "03-who-confesses.ipynb"), as_version=4)
    texts = str([o.get("data", {}).get("text/plain", "") for c in nb.cells if c.cell_type == "code"
                 for o in c.outputs])
    assert SENTENCE_START in texts  # the ready sentences the notebook prints


def test_a_rerun_stores_no_second_demo(fresh: dict, monkeypatch: pytest.MonkeyPatch,
                                      capsys: pytest.CaptureFixture[str]):
    """The stored demo stands in for the registry: a second run ingests nothing and builds from the same snapshot
    (that it then reuses every step is test_pipeline's no-op test)."""
    monkeypatch.setenv("CONFESSIONS_HOME", str(fresh["home"]))
    before = json.loads(fresh["where"].processed_meta.read_text())["snapshot_id"]
    console, out = _console()
    again = pipeline.build(console=console, workers=2, skip_notebooks=True)
    assert "ingest" not in {r.name for r in again.results}
    assert len(list((fresh["home"] / "data" / "raw" / "demo").iterdir())) == 1
    assert json.loads(fresh["where"].processed_meta.read_text())["snapshot_id"] == before
    assert pipeline.REAL_DATA_HINT in out.getvalue()
    assert main(["snapshots"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split()[0] == "source" and [line.split()[0] for line in lines[1:]] == ["demo"]


# --------------------------------------------------------------------------------------------------------
# A registry export wins, and carries no label
# --------------------------------------------------------------------------------------------------------


def _unlabelled(where) -> None:  # noqa: ANN001
    assert json.loads(where.processed_meta.read_text())["synthetic"] is False
    stats = json.loads(where.stats_json.read_text())
    assert stats["generated_from"]["synthetic"] is False
    assert all(s["sentence"].startswith(("Of the ", "There were no ")) for s in stats["stats"])
    assert not any("synthetic" in s["sentence"].lower() for s in stats["stats"])


def test_a_stored_registry_export_is_used_instead_of_the_demo(project: Path, tmp_path: Path):
    """A demo snapshot and a registry-format export that is not the demo (the demo's rows under other names):
    the process step takes the registry's, and nothing built says synthetic."""
    from analysis.ingest import ingest
    from analysis.ingest.store import list_snapshots, newest_snapshot
    from analysis.pipeline import outputs as out

    demo_manifest, _ = ingest("demo", str(demo.write_demo(tmp_path / "demo.csv", 300, 2)))
    registry_like = tmp_path / "export.csv"
    registry_like.write_bytes(demo.demo_bytes(300, 3).replace(b"Demo Exoneree", b"Some Person"))
    manifest, _ = ingest("nre", str(registry_like))
    assert manifest.source == "nre"
    assert [m.snapshot_id for m in list_snapshots("nre")] == [manifest.snapshot_id]  # the demo is not listed
    assert newest_snapshot("nre").snapshot_id == manifest.snapshot_id
    assert {m.source for m in list_snapshots()} == {"nre", "demo"} and demo_manifest in list_snapshots("demo")
    where = paths()
    process = next(s for s in pipeline.plan(where, skip_notebooks=True) if s.name == "process")
    assert process.params == {"snapshot": manifest.snapshot_id, "as_of": None}
    process.action()
    out.analyse(where)
    _unlabelled(where)
    out.chart(where, "fc-by-crime")
    meta = json.loads((where.figures / "fc-by-crime" / "meta.json").read_text())
    assert meta["synthetic"] is False and SYNTHETIC_LABEL not in meta["subtitle"] + meta["source_line"]
    assert meta["source_line"].startswith("Source: National Registry of Exonerations, snapshot ")
