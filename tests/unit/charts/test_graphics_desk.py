"""What a graphics desk gets from a chart bundle, on the synthetic demo export: SVG text it can edit (with a title
and description), a short alt text beside the full data description, data.csv in the order drawn, data colours
legible in both themes (WCAG contrast), and a tile map whose title, colours and small-n marks agree."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import matplotlib
import pandas as pd
import pytest
from matplotlib.colors import to_hex

from analysis.analyse.history import history_table
from analysis.analyse.reconcile import reconciliation
from analysis.charts import CHARTS, ChartContext, make_chart, write_bundle
from analysis.charts.co_occurring_factors import MARK
from analysis.charts.registry import compose_alt
from analysis.charts.state_tile_map import SHARE_CLASSES, SMALL_STATE_N, TILE_GRID
from analysis.charts.style import THEMES, contrast_ratio, svg_bytes
from analysis.ingest import demo
from tests.conftest import snap

matplotlib.use("Agg")

SVG = "{http://www.w3.org/2000/svg}"
ALT_LIMIT = 300  # characters (issue 14: "keep alt_text under ~300 characters")


@pytest.fixture(scope="module")
def exported(demo_normalised):  # noqa: ANN001, ANN201 - the demo snapshot and its context
    """The demo export as a snapshot, with an earlier view of it (records posted by 2017-07-06) for the history
    and the 32% reconciliation."""
    table = demo_normalised.table.copy()
    meta = {"snapshot_id": "demo-test", "snapshot_date": demo.EXPORT_DATE.isoformat(), "synthetic": True}
    earlier = table[table["posting_date"] <= pd.Timestamp("2017-07-06")].reset_index(drop=True)
    old = snap(earlier, {"snapshot_id": "demo-2017", "snapshot_date": "2017-07-06", "synthetic": True})
    new = snap(table, meta)
    return new, ChartContext(history=history_table([old, new]), reconciliation=reconciliation(new, old))


@pytest.fixture(scope="module")
def specs(exported) -> dict:  # noqa: ANN001
    snapshot, ctx = exported
    return {slug: make_chart(slug, snapshot, ctx) for slug in CHARTS}


@pytest.fixture(scope="module")
def bundles(specs, tmp_path_factory: pytest.TempPathFactory) -> Path:  # noqa: ANN001
    out = tmp_path_factory.mktemp("figures")
    for slug in ("fc-by-crime", "state-tile-map"):
        write_bundle(specs[slug], out)
    return out


# 1. SVG text stays text, with <title> and <desc> -----------------------------------------------------------


def _svg_words(root: ET.Element) -> list[str]:
    return " ".join("".join(t.itertext()) for t in root.iter(f"{SVG}text")).split()


@pytest.mark.parametrize("slug", ["fc-by-crime", "state-tile-map"])
def test_bundle_svg_keeps_text_as_text_with_title_and_desc_from_meta(bundles: Path, slug: str):
    folder = bundles / slug
    meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
    root = ET.fromstring((folder / f"{slug}.svg").read_bytes())
    texts = list(root.iter(f"{SVG}text"))
    assert len(texts) > 0
    assert all("DejaVu Sans" in t.get("style", "") and "sans-serif" in t.get("style", "") for t in texts)
    words = set(_svg_words(root))
    assert [w for w in meta["title"].split() if w not in words] == []
    first, second = list(root)[:2]
    assert (first.tag, second.tag) == (f"{SVG}title", f"{SVG}desc")
    assert first.text == meta["title"] and second.text == meta["alt_text"]


def test_every_chart_svg_has_the_title_in_its_text_and_is_deterministic(specs: dict):
    for slug, spec in specs.items():
        data = svg_bytes(spec.fig, spec.title, spec.alt_text)
        root = ET.fromstring(data)
        words = set(_svg_words(root))
        assert [w for w in spec.title.split() if w not in words] == [], slug
        assert root.find(f"{SVG}title").text == spec.title and root.find(f"{SVG}desc").text == spec.alt_text
        assert data == svg_bytes(spec.fig, spec.title, spec.alt_text), slug


# 2. Short alt text, full long description ----------------------------------------------------------------

LABELS = {  # slug → the labels of what is plotted, from the chart's own data
    "reconciliation-32": lambda d: d["label"],
    "state-tile-map": lambda d: d["state"],
    "dna-fc-share-history": lambda d: d["year"].astype(str),
    "fc-by-exoneration-year": lambda d: d["group"].astype(str),
    "years-lost": lambda d: pd.concat([d["group"], d["bin"]]),
    "years-lost-distribution": lambda d: pd.concat([d["fc_group"], d["band"]]),
    "time-to-exoneration": lambda d: pd.concat([d["stratum"], d["curve"]]),
}


def test_alt_text_is_short_with_the_key_numbers_and_the_long_description_names_every_value(specs: dict):
    for slug, spec in specs.items():
        assert len(spec.alt_text) <= ALT_LIMIT, (slug, len(spec.alt_text), spec.alt_text)
        missing = [k for k in spec.key_numbers if k not in spec.alt_text]
        assert spec.key_numbers and missing == [], (slug, missing, spec.alt_text)
        assert spec.alt_text.startswith(f"{CHARTS[slug].kind}. ")
        assert "Synthetic demo data" in spec.alt_text  # the demo export says so, in the alt text too
        long = spec.long_description
        assert len(long) > len(spec.alt_text) and spec.title in long and spec.source_line in long
        labels = set(LABELS.get(slug, lambda d: d["group"])(spec.data).astype(str))
        absent = sorted(label for label in labels if label.lower() not in long.lower())
        assert labels and absent == [], (slug, absent)


def test_bundle_meta_and_embed_carry_the_long_description(bundles: Path, specs: dict):
    meta = json.loads((bundles / "fc-by-crime" / "meta.json").read_text(encoding="utf-8"))
    assert meta["long_description"] == specs["fc-by-crime"].long_description != meta["alt_text"]
    page = (bundles / "fc-by-crime" / "embed.html").read_text(encoding="utf-8")
    assert "Data description" in page and "Drug crime" in page.split("Data description", 1)[1]


def test_compose_alt_shortens_in_order_and_keeps_an_as_of_view():
    long_title = "A finding " + "with many words " * 18
    text = compose_alt("Bar chart", long_title, "Key: 12.5%.", "Source: S", "Data as of 1 May 2026",
                       alt_title="A short finding")
    assert text == "Bar chart. A short finding. Key: 12.5%. Source: S. Data as of 1 May 2026."
    title = "T" * 260
    dated = compose_alt("Bar chart", title, "Key: 12.5%.", "Source: S", "Data as of 1 May 2026")
    assert dated == f"Bar chart. {title}. Key: 12.5%. Source: S."  # the data date goes first
    view = compose_alt("Bar chart", title[:240], "Key: 12.5%.", "Source: S", "Records posted by 1 May 2017",
                       keep_as_of=True)
    assert view.endswith(". Records posted by 1 May 2017.") and "Key" not in view and len(view) <= ALT_LIMIT


# 3. data.csv in the order drawn -----------------------------------------------------------------------------

TICKS = {  # slug → (axis the categories are on, data column, trailing label lines that are not the category)
    "fc-by-crime": ("y", "group", 0),
    "co-occurring-factors": ("y", "group", 0),
    "race-fc-vs-all": ("y", "group", 0),
    "fc-model-forest": ("y", "group", 0),
    "juvenile-share-over-time": ("x", "group", 1),
    "reconciliation-32": ("x", "label", 1),
}


def _drawn_order(ax, axis: str, drop: int) -> list[str]:  # noqa: ANN001 - a matplotlib Axes
    """Category labels as drawn: top to bottom on the y axis, left to right on the x axis."""
    ticks = ax.get_yticks() if axis == "y" else ax.get_xticks()
    labels = ax.get_yticklabels() if axis == "y" else ax.get_xticklabels()
    pairs = sorted(zip(ticks, [t.get_text() for t in labels], strict=True), key=lambda p: -p[0] if axis == "y"
                   else p[0])
    out = []
    for _, text in pairs:
        lines = text.split("\n")
        out.append(" ".join(lines[:len(lines) - drop]).removesuffix(f" {MARK}"))
    return out


@pytest.mark.parametrize("slug", list(TICKS))
def test_data_rows_follow_the_drawn_bars(specs: dict, bundles: Path, slug: str):
    axis, column, drop = TICKS[slug]
    spec = specs[slug]
    written = bundles / slug / "data.csv"  # the file itself where the bundle was written, else the spec's frame
    data = pd.read_csv(written, dtype=str, keep_default_na=False) if written.exists() else spec.data
    drawn = _drawn_order(spec.fig.axes[0], axis, drop)
    assert len(drawn) > 2 and drawn == data[column].astype(str).tolist()


def test_tile_map_rows_follow_the_tiles_top_to_bottom_left_to_right(specs: dict):
    spec = specs["state-tile-map"]
    tiles = [p for p in spec.fig.axes[0].patches if (p.get_gid() or "").startswith("tile-")]
    assert len(tiles) == len(TILE_GRID)
    def centre(p):  # noqa: ANN001, ANN202 - a Rectangle: (row from the top, column) of its centre
        return round(-(p.get_y() + p.get_height() / 2), 3), round(p.get_x() + p.get_width() / 2, 3)

    order = [p.get_gid().removeprefix("tile-") for p in sorted(tiles, key=centre)]
    drawn = [abbr for abbr in order if abbr in set(spec.data["state_abbr"])]
    assert spec.data["state_abbr"].tolist() == drawn


# 4. Contrast ---------------------------------------------------------------------------------------------------


def test_contrast_ratio_is_wcag():
    assert contrast_ratio("#FFFFFF", "#000000") == pytest.approx(21.0)
    assert contrast_ratio("#123456", "#123456") == pytest.approx(1.0)
    assert round(contrast_ratio("#767676", "#FFFFFF"), 2) == 4.54  # WebAIM: the lightest grey at 4.5:1 on white
    assert contrast_ratio("#FFFFFF", "#767676") == contrast_ratio("#767676", "#FFFFFF")


@pytest.mark.parametrize("theme", list(THEMES))
def test_every_data_colour_and_text_is_legible_on_its_background(theme: str):
    t = THEMES[theme]
    weak = {role: round(contrast_ratio(c, t.background), 2) for role, c in t.data_ink().items()
            if contrast_ratio(c, t.background) < 3.0}
    assert weak == {}
    assert {"accent_light", "grey_light", "reference", "ramp0"} <= set(t.data_ink())
    assert contrast_ratio(t.text, t.background) >= 4.5 and contrast_ratio(t.muted, t.background) >= 4.5


@pytest.mark.parametrize("theme", list(THEMES))
def test_drawn_bars_whiskers_and_the_lowest_map_class_are_legible(exported, theme: str):  # noqa: ANN001
    snapshot, ctx = exported
    background = THEMES[theme].background
    bars = make_chart("fc-by-crime", snapshot, ctx, theme=theme).fig.axes[0]
    colours = {to_hex(p.get_facecolor()) for p in bars.patches}
    colours |= {to_hex(c) for coll in bars.collections for c in coll.get_colors()}  # the interval whiskers
    assert len(colours) >= 3
    assert {c: round(contrast_ratio(c, background), 2) for c in colours if contrast_ratio(c, background) < 3} == {}
    tiles = make_chart("state-tile-map", snapshot, ctx, theme=theme).fig.axes[0]
    lowest = next(p for p in tiles.patches if p.get_gid() == "legend-class-0")
    assert contrast_ratio(to_hex(lowest.get_facecolor()), background) >= 3


# 5. The tile map: one measure, small-n states marked ------------------------------------------------------------


def _class_of(share: float) -> int:
    """Index of the last lower bound at or below ``share``."""
    return max(i for i, bound in enumerate(SHARE_CLASSES) if share >= bound)


def test_tile_map_title_legend_and_colours_measure_the_state_share(specs: dict):
    spec = specs["state-tile-map"]
    ax = spec.fig.axes[0]
    ramp = [to_hex(c) for c in THEMES["light"].ramp]
    named = re.search(r"exonerations in (.+?) since 1989 involved a false confession", spec.title)
    assert named, spec.title
    legend = " ".join(t.get_text() for t in ax.texts)
    assert "Share of exonerations since 1989 with a false confession" in legend
    keys = sorted((p for p in ax.patches if (p.get_gid() or "").startswith("legend-class-")), key=lambda p: p.get_x())
    assert [to_hex(p.get_facecolor()) for p in keys] == ramp
    tiles = {p.get_gid().removeprefix("tile-"): p for p in ax.patches if (p.get_gid() or "").startswith("tile-")}
    coloured = spec.data[spec.data["n"] >= SMALL_STATE_N]
    assert len(coloured) >= 5
    for _, r in coloured.iterrows():  # colour = k / n of the state's own exonerations, never k / all confessions
        assert to_hex(tiles[r["state_abbr"]].get_facecolor()) == ramp[_class_of(r["k"] / r["n"])], r["state"]
    row = spec.data.set_index("state").loc[named.group(1)]
    assert f"{row['k']} of {row['n']}" in spec.alt_text and f"{row['k'] / row['n']:.1%}" in spec.alt_text


def test_tile_map_marks_small_states_and_flags_them_in_data_csv(specs: dict, bundles: Path):
    spec = specs["state-tile-map"]
    ax = spec.fig.axes[0]
    tiles = {p.get_gid().removeprefix("tile-"): p for p in ax.patches if (p.get_gid() or "").startswith("tile-")}
    data = pd.read_csv(bundles / "state-tile-map" / "data.csv", dtype={"state_abbr": str})
    assert data["small_n"].dtype == bool
    assert data["small_n"].tolist() == (data["n"] < SMALL_STATE_N).tolist()
    assert data["small_n"].any() and not data["small_n"].all()
    background = to_hex(THEMES["light"].background)
    for abbr, tile in tiles.items():
        small = abbr not in set(data["state_abbr"]) or bool(data.set_index("state_abbr").loc[abbr, "small_n"])
        assert bool(tile.get_hatch()) is small, abbr
        assert (to_hex(tile.get_facecolor()) == background) is small, abbr  # no share colour on a small state
    note = f"Fewer than {SMALL_STATE_N} exonerations: share not shown"
    assert note in [t.get_text() for t in ax.texts]
    assert next(p for p in ax.patches if p.get_gid() == "legend-small-n").get_hatch()
