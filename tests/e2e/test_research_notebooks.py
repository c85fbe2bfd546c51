"""The research notebooks (07–09) run headless on the real 2026 export in a scratch project, show their charts and
state the numbers of the tables (death sentences 144, false confessions among them 31), and an as-of run says its
date. Their static rules (jupytext format, parameters, code cells that only call ``analysis``, one sentence above
each cell) are checked for every notebook by ``tests/e2e/test_notebooks.py``."""

from __future__ import annotations

import os
import re
import shutil
import warnings

import nbformat
import pandas as pd
import pytest

from tests.conftest import REPO_ROOT, shared_file

NAMES = ["07-who-confesses-modelled", "08-time-to-exoneration", "09-capital-cases-and-codefendants"]
CHARTS = {"07-who-confesses-modelled": 1, "08-time-to-exoneration": 2, "09-capital-cases-and-codefendants": 0}


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """A scratch project with the 2026-06 export ingested and processed, and the three notebooks executed."""
    new = shared_file("nre", "nre-fullcsv-2026-06.csv")
    root = tmp_path_factory.mktemp("research")
    for sub in ("data/raw", "data/processed", "reports", "notebooks"):
        (root / sub).mkdir(parents=True)
    for name in NAMES:
        shutil.copy2(REPO_ROOT / "notebooks" / f"{name}.py", root / "notebooks" / f"{name}.py")
    saved = os.environ.get("CONFESSIONS_HOME")
    os.environ["CONFESSIONS_HOME"] = str(root)
    try:
        from analysis.ingest import ingest
        from analysis.ingest.store import snapshot_file
        from analysis.narrate.execute import execute_notebooks
        from analysis.normalise import normalise_file, write_processed
        from analysis.settings import paths

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            manifest, _ = ingest("nre", str(new))
            result = normalise_file(snapshot_file(manifest))
        meta = {"snapshot_id": manifest.snapshot_id, "snapshot_date": manifest.snapshot_date.isoformat(),
                "sha256": manifest.sha256, "format": result.format, "rows": len(result.table)}
        where = paths()
        write_processed(result, meta, where)
        html = execute_notebooks(where, {"snapshot": manifest.snapshot_id, "project_root": str(root)}, names=NAMES)
        as_of_root = root.parent / f"{root.name}-as-of"
        shutil.copytree(root, as_of_root)
        os.environ["CONFESSIONS_HOME"] = str(as_of_root)
        from analysis.settings import Paths

        as_of_where = Paths(as_of_root)
        execute_notebooks(as_of_where, {"as_of": "2017-09-30", "project_root": str(as_of_root)},
                          names=["09-capital-cases-and-codefendants"])
    finally:
        if saved is None:
            os.environ.pop("CONFESSIONS_HOME", None)
        else:
            os.environ["CONFESSIONS_HOME"] = saved
    return {"where": where, "html": html, "as_of_where": as_of_where, "table": result.table}


def _nb(where, name: str) -> nbformat.NotebookNode:  # noqa: ANN001
    return nbformat.read(str(where.notebooks_out / f"{name}.ipynb"), as_version=4)


def _output(nb: nbformat.NotebookNode, code: str, mime: str) -> str:
    cells = [c for c in nb.cells if c.cell_type == "code" and code in c.source]
    assert len(cells) == 1, code
    found = [o["data"][mime] for o in cells[0].outputs if mime in o.get("data", {})]
    assert len(found) == 1, code
    return found[0]


@pytest.mark.parametrize("name", NAMES)
def test_research_notebooks_execute_and_show_their_charts(project: dict, name: str):
    assert [p.stem for p in project["html"]] == NAMES
    nb = _nb(project["where"], name)
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    assert all(c.execution_count for c in nb.cells if c.cell_type == "code")
    assert len([o for o in outputs if "image/png" in o.get("data", {})]) == CHARTS[name]
    assert (project["where"].notebooks_out / f"{name}.html").is_file()


def test_capital_numbers_are_the_raw_counts(project: dict):
    raw = pd.read_csv(shared_file("nre", "nre-fullcsv-2026-06.csv"), dtype=str, keep_default_na=False,
                      encoding="utf-8-sig")
    raw = raw[raw["Pre-1989"] == "No"]
    death = raw["Death Penalty?"] == "Yes"
    k, n = int((death & (raw["False Confession"] == "Yes")).sum()), int(death.sum())
    assert (k, n) == (31, 144)
    nb = _nb(project["where"], "09-capital-cases-and-codefendants")
    table = _output(nb, 'TABLES["death_sentence"](table)', "text/plain")
    assert re.search(rf"Death sentence\s+{n}\s+{k}\s", table), table
    sentences = _output(nb, "capital_sentences(session.snapshot)", "text/markdown")
    assert f"({k} of {n})" in sentences and "as of its 26 June 2026 data" in sentences


def test_model_and_duration_sentences_state_the_tables(project: dict):
    from analysis.analyse.tables import TABLES

    model = TABLES["fc_model"](project["table"])
    pooled = model[model["level"] == "Under 18"].iloc[0]
    text = _output(_nb(project["where"], "07-who-confesses-modelled"), "model_sentences(session.snapshot)",
                   "text/markdown")
    first = text.splitlines()[0]
    assert f"{pooled['odds_ratio']:.1f} times as high for those under 18" in first and "adjusting for" in first
    assert "not a risk of confessing" in first
    assert f"The model uses {int(model['n_used'].iloc[0]):,} exonerations" in text
    durations = TABLES["durations"](project["table"]).set_index("group")
    median = durations.loc["Conviction to exoneration, all crimes, false confession", "median_years"]
    text = _output(_nb(project["where"], "08-time-to-exoneration"), "duration_sentences(session.snapshot)",
                   "text/markdown")
    assert f"median of {median:.1f} years" in text


def test_as_of_run_says_its_date_and_uses_fewer_records(project: dict):
    nb = _nb(project["as_of_where"], "09-capital-cases-and-codefendants")
    sentences = _output(nb, "capital_sentences(session.snapshot)", "text/markdown")
    assert "posted by 30 September 2017" in sentences and "26 June 2026" not in sentences
    table = project["table"]
    chosen = (~table["pre_1989"].fillna(False).astype(bool) & table["death_sentence"].eq(True).fillna(False)
              & (table["posting_date"] <= pd.Timestamp("2017-09-30")))
    k = int((chosen & table["fc"].fillna(False).astype(bool)).sum())
    assert 0 < int(chosen.sum()) < 144 and f"({k} of {int(chosen.sum())}" in sentences
