"""The narrative notebooks: jupytext percent-format ``.py`` files in notebooks/ (what a researcher edits), code cells
that only call ``analysis``, every one executes headless (papermill) on two stored snapshots in a scratch project
(real registry exports from ../shared when present, and always two synthetic demo exports), an as-of run states the
as-of date and numbers, and a build never rewrites a notebook's source."""

from __future__ import annotations

import ast
import importlib
import io
import os
import re
import shutil
import time
import warnings
from contextlib import contextmanager
from pathlib import Path

import jupytext
import nbformat
import pandas as pd
import pytest

from analysis.ingest import demo
from tests.conftest import REPO_ROOT, data_variants, require_real_variant, shared_file

NOTEBOOKS_DIR = REPO_ROOT / "notebooks"
NOTEBOOKS = sorted(NOTEBOOKS_DIR.glob("*.py"))
EXPECTED = ["01-data-overview", "02-how-common", "03-who-confesses", "04-the-32-percent-question", "05-time-lost",
            "06-what-changed", "07-who-confesses-modelled", "08-time-to-exoneration",
            "09-capital-cases-and-codefendants"]
PARAMETERS = {"snapshot": None, "as_of": None, "project_root": None}
AS_OF = "2017-09-30"
AS_OF_WORDS = "posted by 30 September 2017"
REAL_FILES = ("nre-publicspreadsheet-2017-07-06.xlsx", "nre-fullcsv-2026-06.csv")  # older, newer
VARIANTS = data_variants(*REAL_FILES)
DEMO_EXPORTS = ((800, 11), (1500, 1))  # (rows, seed) of the older and the newer demo export


def _parameters_cell(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    tagged = [c for c in nb.cells if "parameters" in c.get("metadata", {}).get("tags", [])]
    assert len(tagged) == 1
    return tagged[0]


def test_real_data_variant_runs():
    require_real_variant(VARIANTS, *REAL_FILES)


def test_the_nine_notebooks_exist():
    assert [p.stem for p in NOTEBOOKS] == EXPECTED
    # the .py files are the notebooks: no generated .ipynb copies and no generator beside them
    assert not list(NOTEBOOKS_DIR.glob("*.ipynb"))
    assert not (NOTEBOOKS_DIR / "make_notebooks.py").exists()


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_jupytext_percent_files_that_open_as_notebooks(path: Path):
    """The jupytext header makes JupyterLab open the file as a notebook (kernel python3), and reading it and writing
    it back (what saving from JupyterLab does) gives the same text, so an edit there leaves no spurious diff."""
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# ---\n# jupyter:\n#   jupytext:\n")
    nb = jupytext.read(str(path))
    nbformat.validate(nb)
    assert nb.metadata.jupytext.text_representation.format_name == "percent"
    assert nb.metadata.kernelspec.name == "python3"
    assert "# %% [markdown]" in text
    version = re.compile(r"^#\s+jupytext_version: .*\n", re.MULTILINE)
    assert version.sub("", jupytext.writes(nb, fmt="py:percent")) == version.sub("", text)
    assert nb.cells[0].cell_type == "markdown" and nb.cells[0].source.startswith("# ")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_parameters_cell(path: Path):
    nb = jupytext.read(str(path))
    cell = _parameters_cell(nb)
    assert '# %% tags=["parameters"]\n' in path.read_text(encoding="utf-8")
    values = {t.targets[0].id: t.value.value for t in ast.parse(cell.source).body}
    assert values == PARAMETERS
    assert cell is next(c for c in nb.cells if c.cell_type == "code")  # before anything uses them


ALLOWED_NODES = (ast.Module, ast.Expr, ast.Assign, ast.Tuple, ast.Name, ast.Load, ast.Store, ast.Call,
                 ast.Attribute, ast.Constant, ast.Subscript, ast.keyword, ast.ImportFrom, ast.alias)
SENTENCE_END = re.compile(r"[.!?](?=\s|$)")


def _call_root(node: ast.expr) -> ast.expr:
    while isinstance(node, ast.Attribute | ast.Subscript | ast.Call):
        node = node.value if not isinstance(node, ast.Call) else node.func
    return node


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_code_cells_only_call_the_package(path: Path):
    """No logic of their own: imports from ``analysis`` only, of names that exist there (no private ones); no loops,
    branches, functions, comprehensions, f-strings or arithmetic; every call goes to a name imported from
    ``analysis`` (or a method of what such a call returned); charts are drawn from the session's snapshot; and each
    code cell follows one sentence of markdown. Cells are the file's ``# %%`` cells as jupytext reads them."""
    from analysis.charts import CHARTS

    nb = jupytext.read(str(path))
    parameters = _parameters_cell(nb)
    imported: set[str] = set()
    assigned: set[str] = set(PARAMETERS)
    charts = 0
    for cell in nb.cells:
        if cell.cell_type != "code" or cell is parameters:
            continue
        assert not cell.source.lstrip().startswith(("%", "!")), f"magic or shell command in {cell.source!r}"
        tree = ast.parse(cell.source)
        for node in ast.walk(tree):
            assert isinstance(node, ALLOWED_NODES), f"{type(node).__name__} in {cell.source!r}"
            if isinstance(node, ast.ImportFrom):
                assert node.level == 0 and node.module.split(".")[0] == "analysis", node.module
                module = importlib.import_module(node.module)
                for alias in node.names:
                    assert not alias.name.startswith("_"), f"private {node.module}.{alias.name}"
                    assert hasattr(module, alias.name), f"{node.module} has no {alias.name}"
                imported.update(a.asname or a.name for a in node.names)
            if isinstance(node, ast.Call):
                root = _call_root(node.func)
                assert isinstance(root, ast.Name) and root.id in imported | assigned, ast.unparse(node)
                if isinstance(node.func, ast.Name) and node.func.id == "make_chart":
                    charts += 1
                    slug, source, *rest = node.args
                    assert isinstance(slug, ast.Constant) and slug.value in CHARTS, ast.unparse(node)
                    assert ast.unparse(source) == "session.snapshot", ast.unparse(node)  # (slug, snapshot, ctx)
                    assert len(rest) == 1 and not node.keywords, ast.unparse(node)
                if isinstance(node.func, ast.Name) and node.func.id == "ChartContext":
                    assert "as_of" in {k.arg for k in node.keywords}, ast.unparse(node)  # the footer's date
        for node in tree.body:
            if isinstance(node, ast.Assign):
                for target in node.targets:
                    assigned.update(n.id for n in ast.walk(target) if isinstance(n, ast.Name))
    assert "make_chart" not in imported or charts
    # one sentence of markdown above each step
    for i, cell in enumerate(nb.cells):
        if cell.cell_type == "code":
            before = nb.cells[i - 1]
            assert i > 0 and before.cell_type == "markdown", cell.source
            text = " ".join(before.source.split())
            assert text and not text.startswith("#"), text
            assert len(SENTENCE_END.findall(text)) == 1 and SENTENCE_END.search(text[-1]), text


# --------------------------------------------------------------------------------------------------------
# Execution on two stored snapshots (real, or demo)
# --------------------------------------------------------------------------------------------------------


@contextmanager
def _home(root: Path):
    saved = os.environ.get("CONFESSIONS_HOME")
    os.environ["CONFESSIONS_HOME"] = str(root)
    try:
        yield
    finally:
        if saved is None:
            os.environ.pop("CONFESSIONS_HOME", None)
        else:
            os.environ["CONFESSIONS_HOME"] = saved


def _copy_project(root: Path, to: Path, notebooks: tuple[str, ...] | None = None) -> Path:
    """The scratch project's data and notebooks (``notebooks``: only these; not its reports) in a new folder."""
    to.mkdir(parents=True)
    shutil.copytree(root / "data", to / "data")
    keep = None if notebooks is None else {f"{name}.py" for name in notebooks} | {"ruff.toml"}
    shutil.copytree(root / "notebooks", to / "notebooks",
                    ignore=None if keep is None else lambda _, names: [n for n in names if n not in keep])
    (to / "reports").mkdir()
    return to


def _source_bytes(root: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((root / "notebooks").iterdir())}


def _day_words(day: str) -> str:
    """``2026-06-26`` → ``26 June 2026``."""
    date = pd.Timestamp(day)
    return f"{date.day} {date:%B %Y}"


@pytest.fixture(scope="module", params=VARIANTS)
def executed(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> dict:
    """A scratch project with two stored snapshots, the newest processed, and every notebook executed into
    reports/notebooks/: the real 2017-07-06 and 2026-06 exports (``real``), or two synthetic demo exports of
    different sizes (``demo``, stored as source ``demo``, which stands in for the registry)."""
    synthetic = request.param == "demo"
    root = tmp_path_factory.mktemp(f"nbproject-{request.param}")
    if synthetic:
        exports = tmp_path_factory.mktemp("nbexports")
        old, new = (demo.write_demo(exports / f"demo-{rows}-{seed}.csv", rows, seed) for rows, seed in DEMO_EXPORTS)
    else:
        old, new = (shared_file("nre", name) for name in REAL_FILES)
    for sub in ("data/raw", "data/processed", "reports", "notebooks"):
        (root / sub).mkdir(parents=True)
    for path in NOTEBOOKS:
        shutil.copy2(path, root / "notebooks" / path.name)
    sources = _source_bytes(root)
    with _home(root):
        from analysis.ingest import ingest
        from analysis.ingest.store import snapshot_file
        from analysis.narrate.execute import execute_notebooks
        from analysis.normalise import normalise_file, write_processed
        from analysis.settings import paths

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            old_manifest, _ = ingest("nre", str(old))  # a demo export is stored as source demo
            manifest, _ = ingest("nre", str(new))
            result = normalise_file(snapshot_file(manifest))
        meta = {"snapshot_id": manifest.snapshot_id, "snapshot_date": manifest.snapshot_date.isoformat(),
                "sha256": manifest.sha256, "format": result.format, "rows": len(result.table),
                **({"synthetic": True} if synthetic else {})}  # as the process step writes it for the demo
        where = paths()
        write_processed(result, meta, where)
        start = time.perf_counter()
        html = execute_notebooks(where, {"snapshot": manifest.snapshot_id, "project_root": str(root)})
        seconds = time.perf_counter() - start
    print(f"\nexecuted {len(html)} notebooks ({request.param}) in {seconds:.1f} s")
    assert (manifest.source, old_manifest.source) == (("demo", "demo") if synthetic else ("nre", "nre"))
    return {"root": root, "where": where, "html": html, "meta": meta, "seconds": seconds, "sources": sources,
            "synthetic": synthetic, "old_id": old_manifest.snapshot_id, "export": new,
            "whole_words": f"as of its {_day_words(meta['snapshot_date'])} data"}  # as Snapshot.when says it


def _outputs(nb: nbformat.NotebookNode) -> list[nbformat.NotebookNode]:
    return [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]


def _output_of(nb: nbformat.NotebookNode, code: str, mime: str) -> str:
    """The ``mime`` output of the one code cell whose source contains ``code``."""
    cells = [c for c in nb.cells if c.cell_type == "code" and code in c.source]
    assert len(cells) == 1, code
    found = [o["data"][mime] for o in cells[0].outputs if mime in o.get("data", {})]
    assert len(found) == 1, (code, [o.get("output_type") for o in cells[0].outputs])
    return found[0]


def _executed(where, name: str) -> nbformat.NotebookNode:  # noqa: ANN001
    return nbformat.read(str(where.notebooks_out / f"{name}.ipynb"), as_version=4)


def test_every_notebook_executes(executed: dict):
    out = executed["where"].notebooks_out
    assert [p.stem for p in executed["html"]] == EXPECTED
    for name in EXPECTED:
        nb = _executed(executed["where"], name)
        outputs = _outputs(nb)
        assert not [o for o in outputs if o.output_type == "error"], name
        assert all(c.execution_count for c in nb.cells if c.cell_type == "code"), name
        assert nb.metadata.papermill.parameters["snapshot"] == executed["meta"]["snapshot_id"]
        assert nb.metadata.papermill.input_path == f"notebooks/{name}.py"  # relative: no machine path
        assert "jupytext" not in nb.metadata
        html = (out / f"{name}.html").read_text(encoding="utf-8")
        assert "<script" not in html  # no CDN scripts: the page is self-contained
        assert nb.cells[0].source.splitlines()[0].lstrip("# ") in html
    assert not list(out.glob("*.failed.ipynb")) and not list(out.glob(".tmp-*"))
    assert _source_bytes(executed["root"]) == executed["sources"]  # executing only read the .py files


@pytest.mark.parametrize(("name", "charts"), [("01-data-overview", 1), ("02-how-common", 2),
                                              ("03-who-confesses", 4), ("04-the-32-percent-question", 2),
                                              ("05-time-lost", 2)])
def test_notebooks_show_their_charts(executed: dict, name: str, charts: int):
    images = [o for o in _outputs(_executed(executed["where"], name)) if "image/png" in o.get("data", {})]
    assert len(images) == charts


def test_the_32_percent_notebook_uses_both_snapshots(executed: dict):
    nb = _executed(executed["where"], "04-the-32-percent-question")
    text = str([o.get("data", {}).get("text/plain", "") for o in _outputs(nb)])
    assert executed["old_id"] in text and executed["meta"]["snapshot_id"] in text  # the real ids: 2017-07-06-…
    assert "32%" in str([o.get("data", {}).get("text/markdown", "") for o in _outputs(nb)])


def test_what_changed_compares_the_two_snapshots(executed: dict):
    nb = _executed(executed["where"], "06-what-changed")
    markdown = str([o.get("data", {}).get("text/markdown", "") for o in _outputs(nb)])
    assert executed["meta"]["snapshot_date"] in markdown and "added" in markdown.lower()  # real: 2026-06-26


def _fc_share_all(table: pd.DataFrame, as_of: str | None) -> tuple[int, int]:
    """(k, n) of the headline share, with plain pandas: exonerations since 1989 (posted by ``as_of``), and those
    with the false-confession factor."""
    chosen = ~table["pre_1989"].fillna(False).astype(bool)
    if as_of is not None:
        chosen &= table["posting_date"].notna() & (table["posting_date"] <= pd.Timestamp(as_of))
    return int((chosen & table["fc"].fillna(False).astype(bool)).sum()), int(chosen.sum())


def _opening(executed: dict, n: int, when: str, k: int) -> str:
    """How the headline sentence begins: the registry named as the source, or the demo's label."""
    if executed["synthetic"]:
        return f"In the synthetic demo data, of the {n:,} exonerations since 1989 {when}, {k:,} ("
    return f"Of the {n:,} exonerations since 1989 in the National Registry of Exonerations {when}, {k:,} ("


def _sentences(nb: nbformat.NotebookNode) -> list[str]:
    text = _output_of(nb, "headline_sentences(session)", "text/markdown")
    return [line.removeprefix("- ") for line in text.splitlines() if line.strip()]


def test_as_of_parameter_is_applied(executed: dict, tmp_path: Path):
    """``as_of="2017-09-30"`` on the newest export: every headline sentence says "posted by 30 September 2017"
    (never "as of its 26 June 2026 data") and gives the as-of numbers, computed here independently from the
    table."""
    from analysis.analyse.definitions import DEFINITIONS
    from analysis.analyse.stats import DEFAULT_EXTRA
    from analysis.narrate.execute import execute_notebooks
    from analysis.settings import Paths

    table = pd.read_parquet(executed["where"].canonical_parquet)
    k, n = _fc_share_all(table, AS_OF)
    k_all, n_all = _fc_share_all(table, None)
    whole_words, day = executed["whole_words"], _day_words(executed["meta"]["snapshot_date"])
    print(f"\nas of {AS_OF}: {k:,} of {n:,}; whole newest export: {k_all:,} of {n_all:,}")
    assert 0 < k < k_all and 0 < n < n_all  # the as-of view is a real, smaller subset

    # the whole-export run states the export's date and the whole numbers (so the phrases below are the real ones);
    # only its as-of variants (DEFAULT_EXTRA, listed after the named definitions) say "posted by"
    whole = _sentences(_executed(executed["where"], "02-how-common"))
    assert len(whole) == len(DEFINITIONS) + len(DEFAULT_EXTRA)
    assert all(whole_words in s and AS_OF_WORDS not in s for s in whole[:len(DEFINITIONS)]), whole
    assert all(AS_OF_WORDS in s for s in whole[len(DEFINITIONS):]), whole
    assert whole[0].startswith(_opening(executed, n_all, whole_words, k_all)), whole[0]

    root = _copy_project(executed["root"], tmp_path / "as-of")  # not the shared outputs other tests read
    where = Paths(root)
    execute_notebooks(where, {"as_of": AS_OF, "project_root": str(root)},
                      names=["01-data-overview", "02-how-common", "03-who-confesses", CAPITAL])

    sentences = _sentences(_executed(where, "02-how-common"))
    assert len(sentences) == len(whole)
    for sentence in sentences:
        assert AS_OF_WORDS in sentence, sentence
        assert whole_words not in sentence and day not in sentence, sentence
    assert sentences[0].startswith(_opening(executed, n, AS_OF_WORDS, k)), sentences[0]
    headline = _output_of(_executed(where, "02-how-common"), "headline_table(session)", "text/plain")
    assert re.search(rf"fc_share_all\s+{k}\s+{n}\s", headline), headline

    overview = _executed(where, "01-data-overview")
    assert "2017-09-30" in _output_of(overview, "provenance(session)", "text/plain")
    overall = _output_of(overview, 'TABLES["overall"](table)', "text/plain")
    assert re.search(rf"\s{n}\s+{k}\s", overall), overall  # columns n, k
    assert str(n_all) not in overall

    juvenile = _output_of(_executed(where, "03-who-confesses"), '"fc_share_juvenile"', "text/plain")
    assert AS_OF_WORDS in juvenile and whole_words not in juvenile

    # the research notebook on capital cases: the as-of death sentences, counted here from the table
    capital = _output_of(_executed(where, CAPITAL), "capital_sentences(session.snapshot)", "text/markdown")
    assert AS_OF_WORDS in capital and day not in capital
    death = (~table["pre_1989"].fillna(False).astype(bool) & table["death_sentence"].eq(True).fillna(False))
    chosen = death & (table["posting_date"] <= pd.Timestamp(AS_OF))
    k_death = int((chosen & table["fc"].fillna(False).astype(bool)).sum())
    assert 0 < int(chosen.sum()) < int(death.sum()) and f"({k_death} of {int(chosen.sum())}" in capital


CAPITAL = "09-capital-cases-and-codefendants"
RESEARCH_CHARTS = {"07-who-confesses-modelled": 1, "08-time-to-exoneration": 2, CAPITAL: 0}
"""The research notebooks and the charts each shows."""


@pytest.mark.parametrize("name", sorted(RESEARCH_CHARTS))
def test_research_notebooks_show_their_charts(executed: dict, name: str):
    nb = _executed(executed["where"], name)
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    assert len([o for o in outputs if "image/png" in o.get("data", {})]) == RESEARCH_CHARTS[name]


def test_capital_numbers_are_the_raw_counts(executed: dict):
    """Death sentences and the false confessions among them, counted from the raw export with pandas on strings
    (the real 2026 export: 31 of 144), are the notebook's table and sentence."""
    raw = pd.read_csv(executed["export"], dtype=str, keep_default_na=False, encoding="utf-8-sig")
    raw = raw[raw["Pre-1989"] == "No"]
    death = raw["Death Penalty?"] == "Yes"
    k, n = int((death & (raw["False Confession"] == "Yes")).sum()), int(death.sum())
    assert 0 < k < n
    if not executed["synthetic"]:
        assert (k, n) == (31, 144)
    nb = _executed(executed["where"], CAPITAL)
    table = _output_of(nb, 'TABLES["death_sentence"](table)', "text/plain")
    assert re.search(rf"Death sentence\s+{n}\s+{k}\s", table), table
    sentences = _output_of(nb, "capital_sentences(session.snapshot)", "text/markdown")
    assert f"({k} of {n}" in sentences and executed["whole_words"] in sentences


def test_model_and_duration_sentences_state_the_tables(executed: dict):
    from analysis.analyse.tables import TABLES

    table = pd.read_parquet(executed["where"].canonical_parquet)
    model = TABLES["fc_model"](table)
    pooled = model[model["level"] == "Under 18"].iloc[0]
    text = _output_of(_executed(executed["where"], "07-who-confesses-modelled"), "model_sentences(session.snapshot)",
                      "text/markdown")
    first = text.splitlines()[0]
    assert f"{pooled['odds_ratio']:.1f} times as high for those under 18" in first and "adjusting for" in first
    assert "not a risk of confessing" in first
    assert f"The model uses {int(model['n_used'].iloc[0]):,} exonerations" in text
    durations = TABLES["durations"](table).set_index("group")
    median = durations.loc["Conviction to exoneration, all crimes, false confession", "median_years"]
    text = _output_of(_executed(executed["where"], "08-time-to-exoneration"), "duration_sentences(session.snapshot)",
                      "text/markdown")
    assert f"median of {median:.1f} years" in text


def test_a_build_never_rewrites_a_notebook_source(executed: dict, tmp_path: Path):
    """A researcher's edit to a .py notebook survives the whole build (ingest to report) byte for byte, and is
    what the build executes; nothing is written into notebooks/."""
    from rich.console import Console

    from analysis.pipeline import build
    from analysis.settings import Paths

    root = _copy_project(executed["root"], tmp_path / "edited", notebooks=("01-data-overview",))  # one, for time
    source = root / "notebooks" / "01-data-overview.py"
    text = source.read_text(encoding="utf-8")
    edited = (text.replace('TABLES["exoneration_decade"](table)', 'TABLES["exoneration_decade"](table).tail(2)')
              + "\n# %% [markdown]\n# Researcher note, kept verbatim: décadas ≠ decades.\n")
    assert edited != text
    source.write_bytes(edited.encode("utf-8").replace(b"\n", b"\r\n"))  # an editor on Windows, even
    before = _source_bytes(root)
    with _home(root):
        summary = build(Paths(root), workers=2, console=Console(file=io.StringIO()))
    assert "notebook:01-data-overview" in summary.rebuilt
    assert _source_bytes(root) == before
    html = (root / "reports" / "notebooks" / "01-data-overview.html").read_text(encoding="utf-8")
    assert "Researcher note, kept verbatim: décadas ≠ decades." in html
    assert any("table).tail(2)" in c.source for c in _executed(Paths(root), "01-data-overview").cells)


def test_years_lost_curves_are_deterministic_and_dated(executed: dict):
    """The seaborn view of years lost: the numbers in its title are the table's, the same input draws the same
    PNG, and an as-of view says so in the footer."""
    from analysis.analyse.time_lost import placeholder_release
    from analysis.narrate.session import Session, years_lost_curves
    from analysis.normalise.load import load_processed

    where = executed["where"]
    snapshot = load_processed(where)
    first, second = years_lost_curves(Session(snapshot, where)), years_lost_curves(Session(snapshot, where))
    assert first._repr_png_() == second._repr_png_()
    table = snapshot.table
    known = (~table["pre_1989"].fillna(False).astype(bool) & table["years_lost"].notna()
             & ~placeholder_release(table))  # a placeholder release date: left out of the curves (and counted)
    fc = table["fc"].fillna(False).astype(bool)
    share = (table.loc[known & fc, "years_lost"] > 10).mean()
    assert first.title.startswith(f"{share * 100:.0f}% of people who falsely confessed lost more than 10 years")
    assert first.as_of == f"Data as of {_day_words(executed['meta']['snapshot_date'])}"  # real: 26 June 2026
    assert len(first.data) == int(known.sum())
    dated = years_lost_curves(Session(snapshot.at(AS_OF), where))
    assert dated.as_of == "Records posted by 30 September 2017"
    assert len(dated.data) < len(first.data)


def test_unknown_notebook_name_is_a_user_error(executed: dict):
    from analysis.errors import UserError
    from analysis.narrate.execute import execute_notebooks

    with pytest.raises(UserError, match="no such notebook"):
        execute_notebooks(executed["where"], {}, names=["99-nothing"])


def test_a_failing_notebook_is_reported_and_kept(tmp_path: Path):
    from analysis.narrate.execute import NotebookError, execute_notebooks
    from analysis.settings import Paths

    where = Paths(tmp_path)
    where.notebooks_src.mkdir()
    broken = where.notebooks_src / "99-broken.py"
    broken.write_text("# %% [markdown]\n# This cell divides by zero.\n\n# %%\n1 / 0\n", encoding="utf-8")
    before = broken.read_bytes()
    with pytest.raises(NotebookError, match="99-broken.py failed .*ZeroDivisionError"):
        execute_notebooks(where, {})
    assert (where.notebooks_out / "99-broken.failed.ipynb").exists()
    assert not (where.notebooks_out / "99-broken.html").exists()
    assert not list(where.notebooks_out.glob(".tmp-*"))
    assert broken.read_bytes() == before
