"""Interactive embeds: every chart gets ``embed.html`` and ``chart.vl.json`` whose data are the bundle's
``data.csv``; the page is self-contained, renders in headless Chromium with the network disabled, shows the
numbers of ``data.csv`` in its marks, and a hostile group name renders as text. On a synthetic demo export."""

from __future__ import annotations

import json
import re
import subprocess
import warnings
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pytest

from analysis.analyse.history import history_table
from analysis.analyse.reconcile import reconciliation
from analysis.analyse.wording import k_of_n, pct1
from analysis.charts import CHARTS, ChartContext, ChartUnavailable, build_chart, make_chart
from analysis.charts.embed import embed_files
from analysis.files import to_safe_csv
from analysis.ingest.demo import write_demo
from analysis.normalise import normalise_file
from tests.conftest import snap

CHROMIUM = Path("/usr/bin/chromium")
PAYLOAD = "<script>alert(1)</script>"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--virtual-time-budget=15000",
         # offline: every request would go to a closed port, every host name fails to resolve
         "--proxy-server=http://127.0.0.1:9", "--host-resolver-rules=MAP * ~NOTFOUND"]
BROWSER_SLUGS = ("fc-by-crime", "race-fc-vs-all", "state-tile-map")
META = {"snapshot_id": "demo-embed", "snapshot_date": "2026-06-26", "sha256": "cd" * 32,
        "format": "nre_full_export", "synthetic": True}


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """A 1,200-row demo export, one false-confession exoneree's race replaced by a script tag, its context."""
    path = write_demo(tmp_path_factory.mktemp("export") / "demo.csv", 1200, 3)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        table = normalise_file(path).table.copy()
    counted = table["fc"].fillna(False) & ~table["pre_1989"].fillna(False)
    table.loc[table.index[counted][0], "race"] = PAYLOAD
    snapshot = snap(table, META)
    ctx = ChartContext(history=history_table([snapshot]), reconciliation=reconciliation(snapshot, snapshot))
    return {"snapshot": snapshot, "ctx": ctx}


@pytest.fixture(scope="module")
def bundles(demo: dict, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A whole bundle for the first chart; for the others only what the browser needs (embed.html, data.csv),
    written the way ``write_bundle`` writes them (keeps the test fast)."""
    out = tmp_path_factory.mktemp("figures")
    build_chart(BROWSER_SLUGS[0], demo["snapshot"], demo["ctx"], out)
    for slug in BROWSER_SLUGS[1:]:
        spec = make_chart(slug, demo["snapshot"], demo["ctx"])
        (out / slug).mkdir()
        html, _, _ = embed_files(spec, spec.data, "credit line")
        (out / slug / "embed.html").write_bytes(html)
        to_safe_csv(spec.data, out / slug / "data.csv")
        (out / slug / "alt.txt").write_text(spec.alt_text, encoding="utf-8")
        spec.fig.clear()
    return out


def _spec_json(html: str) -> dict:
    found = re.search(r'<script type="application/json" id="spec">(.*?)</script>', html, re.S)
    assert found, "no spec in the page"
    return json.loads(found.group(1))


def _text(value: object) -> str | None:
    """A text cell as CSV can tell it: an empty string and a missing value are the same blank cell."""
    return None if value is None or (not isinstance(value, str) and pd.isna(value)) or value == "" else str(value)


def _same_as_csv(values: list[dict], csv: pd.DataFrame) -> None:
    """The embed's rows, restricted to data.csv's columns, equal data.csv (numbers to 1e-9, text exactly)."""
    assert len(values) == len(csv)
    embedded = pd.DataFrame(values)[list(csv.columns)]
    for column in csv.columns:
        left, right = embedded[column], csv[column]
        if pd.api.types.is_bool_dtype(right):
            assert list(left) == list(right), column
        elif pd.api.types.is_numeric_dtype(right):
            assert ((pd.to_numeric(left) - right).abs().fillna(0) < 1e-9).all(), column
            assert (left.isna() == right.isna()).all(), column
        else:
            assert [_text(v) for v in left] == [_text(v) for v in right], column


@pytest.mark.parametrize("slug", list(CHARTS))
def test_every_chart_has_an_embed_with_the_data_of_its_data_csv(demo: dict, slug: str, tmp_path: Path):
    try:
        spec = make_chart(slug, demo["snapshot"], demo["ctx"])
    except ChartUnavailable as exc:
        pytest.skip(f"{slug} cannot be drawn from a one-snapshot demo: {exc}")
    html, vl_json, meta = embed_files(spec, spec.data, "credit line")
    spec.fig.clear()
    to_safe_csv(spec.data, tmp_path / "data.csv")
    csv = pd.read_csv(tmp_path / "data.csv")
    standalone = json.loads(vl_json)
    _same_as_csv(standalone["data"]["values"], csv)
    page = html.decode("utf-8")
    _same_as_csv(_spec_json(page)["data"]["values"], csv)
    assert standalone["title"]["text"] and standalone["description"] == spec.alt_text
    assert standalone["width"] == "container" and "title" not in _spec_json(page)  # the page states it as text
    assert meta["iframe"].startswith('<iframe src="embed.html"') and meta["spec"] == "chart.vl.json"


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []
        self.figure: dict = {}
        self.scripts: list[dict] = []
        self.caption = False
        self.csp = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        self.urls += [v for k, v in attrs if k in ("src", "href") and v]
        if tag == "meta" and attributes.get("http-equiv") == "Content-Security-Policy":
            self.csp = attributes.get("content") or ""
        if tag == "figure":
            self.figure = attributes
        if tag == "script":
            self.scripts.append(attributes)
        if tag == "figcaption":
            self.caption = True


def test_bundle_lists_the_embed_and_its_spec(bundles: Path):
    folder = bundles / BROWSER_SLUGS[0]
    meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
    roles = {f["role"]: f["file"] for f in meta["files"]}
    assert roles["embed"] == "embed.html" and roles["vega-lite"] == "chart.vl.json"
    assert (folder / "embed.html").is_file() and (folder / "chart.vl.json").is_file()
    assert meta["embed"]["iframe"] and meta["credit"] and meta["skipped"] == {}  # a registered chart: every size
    assert json.loads((folder / "chart.vl.json").read_text(encoding="utf-8"))["description"] == meta["alt_text"]


@pytest.mark.parametrize("slug", BROWSER_SLUGS)
def test_the_page_is_self_contained_and_escapes_data_text(bundles: Path, slug: str):
    folder = bundles / slug
    alt_text = (json.loads((folder / "meta.json").read_text(encoding="utf-8"))["alt_text"]
                if (folder / "meta.json").exists() else (folder / "alt.txt").read_text(encoding="utf-8"))
    html = (folder / "embed.html").read_text(encoding="utf-8")
    page = _Page()
    page.feed(html)
    assert page.urls == [] and all("src" not in s for s in page.scripts)  # nothing to fetch: scripts inline
    assert page.csp.startswith("default-src 'none'") and "connect-src" not in page.csp  # no request allowed
    assert page.figure.get("aria-label") == alt_text and page.caption
    assert PAYLOAD not in html  # the hostile name: \u003c-escaped in the spec, &lt;-escaped in the caption
    _same_as_csv(_spec_json(html)["data"]["values"], pd.read_csv(folder / "data.csv"))


def _chromium(args: list[str], profile: Path) -> subprocess.CompletedProcess:
    return subprocess.run([str(CHROMIUM), *FLAGS, f"--user-data-dir={profile}", *args], capture_output=True,
                          text=True, timeout=180, check=False)


@pytest.mark.browser
@pytest.mark.parametrize("slug", BROWSER_SLUGS)
def test_embed_renders_offline_in_chromium_with_the_numbers_of_data_csv(bundles: Path, slug: str, tmp_path: Path):
    if not CHROMIUM.exists():
        pytest.skip(f"headless Chromium not installed at {CHROMIUM}")
    url = (bundles / slug / "embed.html").resolve().as_uri()
    shot = tmp_path / "embed.png"
    run = _chromium([f"--screenshot={shot}", "--window-size=900,900", "--enable-logging=stderr", "--v=0", url],
                    tmp_path / "p1")
    assert shot.is_file(), run.stderr[-2000:]
    problems = [line for line in run.stderr.splitlines() if ":CONSOLE" in line or "Uncaught" in line
                or "Refused to" in line]
    assert not problems, problems
    from PIL import Image

    with Image.open(shot) as image:
        colours = image.convert("RGB").resize((90, 90)).getcolors(90 * 90)
        assert colours is not None and len(colours) > 12  # a chart, not a blank page
    dom = _chromium(["--dump-dom", url], tmp_path / "p2")
    assert dom.returncode == 0, dom.stderr[-2000:]
    rendered = dom.stdout
    assert 'class="marks"' in rendered and "<svg" in rendered  # Vega drew the chart, with no network at all
    csv = pd.read_csv(bundles / slug / "data.csv")
    for _, row in csv.iterrows():
        if pd.notna(row["k"]) and pd.notna(row["n"]):  # each mark's ARIA label carries its tooltip: k of n, share
            assert f"k of n: {k_of_n(row['k'], row['n'])}; Share: {pct1(row['share'])}" in rendered, row["group"]
    if slug == "race-fc-vs-all":
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in rendered  # as text in the marks and axis labels
    assert "<script>alert(1)" not in rendered
