"""Chart bundles: complete, the right pixel sizes, the numbers of the tables module, alt text with the key numbers,
and byte-identical files when rendered twice. Each test runs on the synthetic demo export, and also on the real
registry data where ../shared exists (see ``data_variants``); only the titles' findings pin the real numbers."""

from __future__ import annotations

import ast
import io
import json
import warnings
from pathlib import Path

import pandas as pd
import pytest

from analysis.analyse.definitions import SYNTHETIC_LABEL, compute_definition
from analysis.analyse.history import history_table
from analysis.analyse.reconcile import reconciliation
from analysis.analyse.tables import TABLES, write_tables, years_lost_bins
from analysis.analyse.wording import pct1
from analysis.charts import (
    CHART_MODULES,
    CHARTS,
    SPECIAL_TABLES,
    Chart,
    ChartContext,
    ChartUnavailable,
    build_all_charts,
    make_chart,
    write_bundle,
)
from analysis.charts.bundle import png_size
from analysis.charts.style import SIZES, png_bytes, svg_bytes, use_style
from analysis.errors import UserError
from analysis.files import to_safe_csv
from analysis.ingest import demo
from analysis.normalise import Normalised, normalise_file
from tests.conftest import NRE_DIR, data_variants, require_real_variant, shared_file, snap

SNAPSHOTS = {  # file → snapshot date (SOURCES.md)
    "nre-publicspreadsheet-2015-01.csv": "2015-01-20",
    "nre-publicspreadsheet-2017-07-06.xlsx": "2017-07-06",
    "nre-fullcsv-2026-06.csv": "2026-06-26",
}
VARIANTS = data_variants(*SNAPSHOTS)
DEMO_EARLIER = ("2015-01-20", "2017-07-06")  # the demo's older snapshots: its records posted by these dates
TABLE_OF_CHART = {slug: chart.table for slug, chart in CHARTS.items()}
SHARED_MODULES = {"__init__", "registry", "style", "draw", "bundle", "embed", "embed_shapes"}


def _load(name: str) -> tuple[dict, pd.DataFrame]:
    path = shared_file("nre", name)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = normalise_file(path)
    meta = {"snapshot_id": f"{SNAPSHOTS[name]}-test", "snapshot_date": SNAPSHOTS[name], "sha256": "0" * 64,
            "format": result.format}
    return meta, result.table


def _demo_snapshots(result: Normalised) -> list[tuple[dict, pd.DataFrame]]:
    """Three snapshots of the demo export, oldest first: its records posted by each of ``DEMO_EARLIER``, then the
    whole export (dated as the export is)."""
    table, date = result.table.copy(), demo.EXPORT_DATE.isoformat()
    loaded = []
    for when in (*DEMO_EARLIER, date):
        part = table if when == date else table[table["posting_date"] <= pd.Timestamp(when)].reset_index(drop=True)
        meta = {"snapshot_id": f"{when}-test", "snapshot_date": when, "sha256": "0" * 64, "format": result.format,
                "synthetic": True}
        loaded.append((meta, part))
    return loaded


@pytest.fixture(scope="module", params=VARIANTS)
def exported(request: pytest.FixtureRequest) -> dict:
    """The newest snapshot with the history of three snapshots and the 32% reconciliation: the 2015, 2017 and 2026
    registry exports (``real``; only where ../shared exists), or the demo export and two earlier views of it
    (``demo``, synthetic)."""
    if request.param == "real":
        missing = [str(NRE_DIR / name) for name in SNAPSHOTS if not (NRE_DIR / name).is_file()]
        if missing:  # only a test pinned to the real findings asks for them without ../shared
            pytest.skip(f"shared data not available: {', '.join(missing)} (the titles' findings pin these exports)")
        loaded = [_load(name) for name in SNAPSHOTS]
    else:
        loaded = _demo_snapshots(request.getfixturevalue("demo_normalised"))
    meta, table = loaded[-1]
    history = history_table([snap(t, m) for m, t in loaded])
    recon = reconciliation(snap(table, meta), snap(loaded[1][1], loaded[1][0]))
    return {"meta": meta, "table": table, "snapshot": snap(table, meta), "demo": request.param == "demo",
            "ctx": ChartContext(history=history, reconciliation=recon), "history": history, "reconciliation": recon}


def _source_name(exported: dict) -> str:
    """The source named in every footer and alt text."""
    return f"{SYNTHETIC_LABEL} (confessions demo)" if exported["demo"] else "National Registry of Exonerations"


@pytest.fixture(scope="module")
def bundles(exported: dict, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every chart built once into a scratch ``figures`` folder."""
    out = tmp_path_factory.mktemp("figures")
    assert len(build_all_charts(exported["snapshot"], exported["ctx"], out)) == len(CHARTS)
    return out


def _meta(bundles: Path, slug: str) -> dict:
    return json.loads((bundles / slug / "meta.json").read_text(encoding="utf-8"))


def test_real_data_variant_runs():
    require_real_variant(VARIANTS, *SNAPSHOTS)


def test_at_least_ten_charts_with_the_planned_slugs():
    assert {"fc-by-crime", "fc-by-age", "dna-fc-share-history", "reconciliation-32", "fc-by-exoneration-year",
            "years-lost", "co-occurring-factors", "state-tile-map", "race-fc-vs-all",
            "juvenile-share-over-time"} <= set(CHARTS)


def test_every_chart_module_registers_one_chart_from_a_known_table():
    """One file per chart, each importing only the shared chart modules (so a chart's pipeline step can depend on
    its own file and the shared ones); each chart's table is a standard table or a documented special one."""
    folder = Path(CHART_MODULES[0].__file__).parent
    assert {p.stem for p in folder.glob("*.py")} - SHARED_MODULES == {m.__name__.rsplit(".", 1)[1]
                                                                       for m in CHART_MODULES}
    for module in CHART_MODULES:
        mine = [c for c in CHARTS.values() if c.function.__module__ == module.__name__]
        assert len(mine) == 1, (module.__name__, [c.slug for c in mine])
        tree = ast.parse(Path(module.__file__).read_text(encoding="utf-8"))
        imported = {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module}
        charts_imported = {m.rsplit(".", 1)[1] for m in imported if m.startswith("analysis.charts.")}
        assert charts_imported <= SHARED_MODULES, (module.__name__, charts_imported - SHARED_MODULES)
    assert len(CHARTS) == len(CHART_MODULES)
    for slug, chart in CHARTS.items():
        assert isinstance(chart, Chart) and chart.slug == slug and chart.kind
        assert chart.table in TABLES or chart.table in SPECIAL_TABLES, (slug, chart.table)


@pytest.mark.parametrize("slug", list(CHARTS))
def test_bundle_is_complete(bundles: Path, exported: dict, slug: str):
    folder = bundles / slug
    names = {p.name for p in folder.iterdir()}
    expected = {f"{slug}.png", f"{slug}.svg", f"{slug}-dark.png", f"{slug}-social.png", f"{slug}-print.png",
                "data.csv", "meta.json", "embed.html", "chart.vl.json"}
    assert names == expected
    meta = _meta(bundles, slug)
    for key in ("title", "subtitle", "source_line", "notes", "alt_text", "data_as_of", "snapshot", "code_version",
                "files", "data"):
        assert meta[key] not in (None, "", []), key
    date = "2026-06-30" if exported["demo"] else "2026-06-26"  # the demo export's date, the registry's (SOURCES.md)
    assert meta["source_line"] == f"Source: {_source_name(exported)}, snapshot {date}"
    assert meta["data_as_of"] == date and meta["synthetic"] is exported["demo"]
    assert meta["snapshot"] == {"id": f"{date}-test", "date": date, "sha256": "0" * 64,
                                "format": "nre_full_export", "as_of": None}
    assert meta["table"] == CHARTS[slug].table
    assert meta["code_version"]["analysis"] and meta["code_version"]["git_commit"]
    assert {f["file"] for f in meta["files"]} == expected - {"data.csv", "meta.json"}
    assert not list(bundles.glob(".tmp-*")) and not list(bundles.glob(".old-*"))


@pytest.mark.parametrize("slug", list(CHARTS))
def test_pixel_sizes(bundles: Path, slug: str):
    folder = bundles / slug
    web = png_size((folder / f"{slug}.png").read_bytes())
    assert web[0] == 1200 and web[2] == 200
    assert png_size((folder / f"{slug}-dark.png").read_bytes())[:2] == web[:2]
    assert png_size((folder / f"{slug}-social.png").read_bytes())[:2] == (1080, 1080)
    width, height, dpi = png_size((folder / f"{slug}-print.png").read_bytes())
    assert (width, dpi) == (round(SIZES["print"].width_in * 300), 300) and height > 600
    for entry in _meta(bundles, slug)["files"]:
        if entry["format"] == "png":
            assert png_size((folder / entry["file"]).read_bytes())[:2] == (entry["width_px"], entry["height_px"])
    svg = (folder / f"{slug}.svg").read_text(encoding="utf-8")
    assert svg.lstrip().startswith("<?xml") and "<dc:date>" not in svg


def _csv_frame(frame: pd.DataFrame, tmp_path: Path, name: str) -> pd.DataFrame:
    """``frame`` as it reads back from a CSV written the project's way (strings, so floats compare exactly)."""
    path = tmp_path / name
    to_safe_csv(frame, path)
    return pd.read_csv(path, dtype=str, keep_default_na=False)


@pytest.fixture(scope="module")
def table_csvs(exported: dict, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("tables")
    write_tables(snap(exported["table"], exported["meta"]), out, history=exported["history"])
    return out


@pytest.mark.parametrize("slug", [s for s, t in TABLE_OF_CHART.items() if t in TABLES and s != "years-lost"]
                         + ["dna-fc-share-history"])
def test_data_csv_matches_reports_tables(bundles: Path, table_csvs: Path, slug: str):
    """Every row and column plotted is, character for character, the row of reports/tables/<table>.csv."""
    data = pd.read_csv(bundles / slug / "data.csv", dtype=str, keep_default_na=False)
    key = "snapshot_id" if slug == "dna-fc-share-history" else "group"
    if slug == "dna-fc-share-history":  # the stored snapshots' points; the year-end backcast rows have no id
        data = data[data["snapshot_id"] != ""]
        assert len(data) >= 1
    published = pd.read_csv(table_csvs / f"{TABLE_OF_CHART[slug]}.csv", dtype=str, keep_default_na=False)
    common = [c for c in data.columns if c in published.columns]
    assert key in common and len(common) >= 4
    merged = data[common].merge(published[common], on=key, how="left", suffixes=("", "_table"), indicator=True)
    assert (merged["_merge"] == "both").all(), merged.loc[merged["_merge"] != "both", key].tolist()
    for column in common:
        if column != key:
            assert merged[column].tolist() == merged[f"{column}_table"].tolist(), column


def test_reconciliation_data_is_the_reconciliation_table(bundles: Path, exported: dict, tmp_path: Path):
    data = pd.read_csv(bundles / "reconciliation-32" / "data.csv", dtype=str, keep_default_na=False)
    from analysis.analyse.reconcile import reconciliation_steps

    recon = exported["reconciliation"]  # the chart plots the path from the plain count to the lead reading
    expected = _csv_frame(reconciliation_steps(recon).reset_index(drop=True), tmp_path, "reconciliation.csv")
    pd.testing.assert_frame_equal(data, expected)


def test_years_lost_bins_add_up_to_the_time_lost_table(bundles: Path, exported: dict):
    data = pd.read_csv(bundles / "years-lost" / "data.csv")
    summary = TABLES["time_lost"](exported["table"]).set_index("group")
    for group, part in data.groupby("group"):
        assert part["records"].sum() == summary.loc[group, "n_known"] == part["n_known"].iloc[0]
        assert part["median"].iloc[0] == pytest.approx(float(summary.loc[group, "median"]))
        assert part["share"].sum() == pytest.approx(1.0)
    assert len(years_lost_bins(exported["table"])) == len(data)


def _key_numbers(exported: dict) -> dict[str, list[str]]:
    """The key numbers of each chart, computed here from the tables and definitions (not by the chart code)."""
    table = exported["table"]
    crime = TABLES["crime_category"](table).set_index("group")
    overall = TABLES["overall"](table).iloc[0]
    co = TABLES["co_occurring"](table)
    lost = TABLES["time_lost"](table).set_index("group")
    state = TABLES["state"](table)
    top = state.sort_values(["k", "n"], ascending=[False, True]).iloc[0]  # the most false confessions
    history = exported["history"]
    plain = exported["reconciliation"].iloc[0]
    race = TABLES["race"](table).set_index("group")
    return {
        "fc-by-crime": [pct1(crime.loc["Murder", "share"]), pct1(overall["share"])],
        "fc-by-age": [f"{compute_definition(snap(table), 'fc_share_juvenile').share:.1%}",
                      f"{compute_definition(snap(table), 'fc_share_adult').share:.1%}"],
        "dna-fc-share-history": [f"{history['share'].iloc[0]:.1%}", f"{history['share'].iloc[-1]:.1%}"],
        "reconciliation-32": [f"{plain['share']:.1%}", "32%"],
        "fc-by-exoneration-year": [str(TABLES["exoneration_year"](table)["k"].max())],
        "years-lost": [f"{lost.loc[g, 'median']:.1f}" for g in ("False confession", "No false confession")],
        "co-occurring-factors": [f"{co['share'].max():.1%}"],
        "state-tile-map": [str(top["k"]), f"{top['share']:.1%}"],
        "race-fc-vs-all": [f"{race.loc['Black', 'k'] / race['k'].sum():.1%}",
                           f"{race.loc['Black', 'n'] / race['n'].sum():.1%}"],
        "juvenile-share-over-time": [f"{TABLES['juvenile_by_decade'](table)['share_juvenile_among_fc'].iloc[-1]:.1%}"],
        **_research_key_numbers(table),
    }


def _research_key_numbers(table: pd.DataFrame) -> dict[str, list[str]]:
    """The research charts' key numbers, from their tables: the pooled under-18 odds ratios (adjusted, crude), the
    medians of conviction to exoneration, and the records losing 10 years or more (placeholder zeros left out)."""
    model = TABLES["fc_model"](table)
    pooled = model[model["level"] == "Under 18"].iloc[0]
    durations = TABLES["durations"](table)
    medians = durations[(durations["measure"] == "conviction_to_exoneration") & (durations["stratum"] == "All crimes")]
    bands = TABLES["years_lost_distribution"](table)
    real = bands[bands["band"] != "placeholder"]
    beyond = [f"{int(real.loc[(real['fc_group'] == g) & (real['years_from'] >= 10), 'k'].sum()):,} of "
              f"{int(real.loc[real['fc_group'] == g, 'k'].sum()):,}"
              for g in ("False confession", "No false confession")]
    return {"fc-model-forest": [f"{pooled['odds_ratio']:.1f}", f"{pooled['crude_or']:.1f}"],
            "time-to-exoneration": [f"{m:.1f}" for m in medians["median_years"]],
            "years-lost-distribution": beyond}


@pytest.mark.parametrize("slug", list(CHARTS))
def test_alt_text_states_the_key_numbers(bundles: Path, exported: dict, slug: str):
    meta = _meta(bundles, slug)
    for number in _key_numbers(exported)[slug]:
        assert number in meta["alt_text"], (number, meta["alt_text"])
    assert len(meta["alt_text"]) <= 300 and meta["long_description"]
    if len(meta["title"]) <= 200:  # a longer title (the model forest's) gives way to its shorter sentence
        assert meta["title"] in meta["alt_text"]
    assert f"Source: {_source_name(exported)}" in meta["alt_text"]


@pytest.mark.parametrize("exported", ["real"], indirect=True)  # pins the 2026 export's findings: real data only
def test_titles_state_findings_from_the_data(bundles: Path):
    title = _meta(bundles, "fc-by-age")["title"]
    assert title == ("Among exonerees, juveniles were 3.2 times as likely as adults to have falsely confessed (95% CI "
                     "2.7–3.8); within homicide cases the ratio is 2.2 (95% CI 1.8–2.7)")
    assert _meta(bundles, "fc-by-crime")["title"] == ("More than one in five murder exonerations involved a false "
                                                      "confession")
    assert "32%" in _meta(bundles, "reconciliation-32")["title"]
    # the colours are each state's own share: Illinois (state and federal cases) 151 of 589 = 25.6%, all 487 of 3,835
    assert _meta(bundles, "state-tile-map")["title"] == (
        "About one in four exonerations in Illinois since 1989 involved a false confession, higher than the 12.7% "
        "of all states together")
    assert "13.6 years" in _meta(bundles, "years-lost")["title"]


@pytest.mark.parametrize("slug", ["fc-by-crime", "state-tile-map", "reconciliation-32"])
def test_rendering_twice_gives_identical_bytes(exported: dict, slug: str):
    first = make_chart(slug, exported["snapshot"], exported["ctx"])
    second = make_chart(slug, exported["snapshot"], exported["ctx"])
    with use_style():
        assert png_bytes(first.fig) == png_bytes(second.fig)
        assert svg_bytes(first.fig) == svg_bytes(second.fig)
    dark_a = first.render(theme="dark", size="social")
    dark_b = second.render(theme="dark", size="social")
    assert png_bytes(dark_a.fig) == png_bytes(dark_b.fig)


def test_bundle_written_twice_is_identical_and_replaced_atomically(exported: dict, tmp_path: Path):
    spec = make_chart("fc-by-age", exported["snapshot"], exported["ctx"])
    write_bundle(spec, tmp_path / "a")
    write_bundle(spec, tmp_path / "b")
    (tmp_path / "b" / "fc-by-age" / "stale.txt").write_text("left over")
    write_bundle(spec, tmp_path / "b")  # replaces the whole folder
    a, b = tmp_path / "a" / "fc-by-age", tmp_path / "b" / "fc-by-age"
    assert sorted(p.name for p in a.iterdir()) == sorted(p.name for p in b.iterdir())
    for path in a.iterdir():
        assert path.read_bytes() == (b / path.name).read_bytes(), path.name
    assert [p.name for p in (tmp_path / "b").iterdir()] == ["fc-by-age"]


def test_charts_without_their_context_are_skipped_with_a_warning(exported: dict, tmp_path: Path):
    with pytest.warns(UserWarning) as caught:
        written = build_all_charts(exported["snapshot"], None, tmp_path,
                                   slugs=["dna-fc-share-history", "reconciliation-32"])
    assert written == []
    messages = [str(w.message) for w in caught]
    assert any("dna-fc-share-history skipped" in m for m in messages)
    assert any("reconciliation-32 skipped" in m for m in messages)
    with pytest.raises(ChartUnavailable):
        make_chart("no-such-chart", exported["snapshot"])


def test_context_read_back_from_csv_works(exported: dict, tmp_path: Path):
    """The pipeline reads history and reconciliation from reports/tables/*.csv (plain dtypes)."""
    frames = {}
    for name in ("history", "reconciliation"):
        to_safe_csv(exported[name], tmp_path / f"{name}.csv")
        frames[name] = pd.read_csv(tmp_path / f"{name}.csv")
    for slug in ("dna-fc-share-history", "reconciliation-32"):
        spec = make_chart(slug, exported["snapshot"], frames)
        assert spec.title == make_chart(slug, exported["snapshot"], exported["ctx"]).title


def test_as_of_view_is_stated_in_the_footer(exported: dict):
    spec = make_chart("fc-by-crime", exported["snapshot"].at("2017-09-30"))
    assert spec.as_of == "Records posted by 30 September 2017"
    assert int(spec.data["n"].sum()) < int(TABLES["crime_category"](exported["table"])["n"].sum())
    assert spec.alt_text.endswith(". Records posted by 30 September 2017.")
    # the same view asked for through the context (as the notebooks' ``session.ctx`` does)
    same = make_chart("fc-by-crime", exported["snapshot"], {"as_of": "2017-09-30"})
    assert (same.title, same.as_of) == (spec.title, spec.as_of)
    pd.testing.assert_frame_equal(same.data, spec.data)
    with pytest.raises(UserError, match="two as-of dates"):
        make_chart("fc-by-crime", exported["snapshot"].at("2017-09-30"), {"as_of": "2020-01-01"})


def test_png_size_reads_the_header():
    from matplotlib.figure import Figure

    fig = Figure(figsize=(2, 1))
    assert png_size(png_bytes(fig, 100))[:2] == (200, 100)
    with pytest.raises(ValueError):
        png_size(io.BytesIO(b"GIF89a").getvalue())

