"""State fact sheets: one per jurisdiction with at least 10 exonerations since 1989 (counted here with independent
pandas code on the raw CSV), each with facts whose sentences keep the wording rules, a complete chart bundle, the
registry's credit and terms; the sortable index lists every jurisdiction; Chromium renders both. On a synthetic
demo export, and the real 2026 export from ../shared (skipped when absent)."""

from __future__ import annotations

import json
import subprocess
import warnings
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlparse

import pandas as pd
import pytest
from markupsafe import escape

from analysis.analyse.wording import check_share_phrase, diff_interval, pct1
from analysis.credit import TERMS, credit_line
from analysis.ingest.demo import write_demo
from analysis.narrate.state_facts import MIN_SHEET, SMALL_N, jurisdictions, ranks, state_facts
from analysis.narrate.states import SHARDS, SKIP, build_shard, chart_slug, write_index, write_sheet
from analysis.normalise import normalise_file
from tests.conftest import canonical_table, shared_file, snap

CHROMIUM = Path("/usr/bin/chromium")
PAYLOAD = "<script>alert(1)</script>"
STATES = {  # USPS codes, for the raw export's federal cases ("Fed-IL"): independent of the project's code lists
    "AL": "Alabama", "AK": "Alaska", "AZ": "Arizona", "AR": "Arkansas", "CA": "California", "CO": "Colorado",
    "CT": "Connecticut", "DE": "Delaware", "DC": "District of Columbia", "FL": "Florida", "GA": "Georgia",
    "HI": "Hawaii", "ID": "Idaho", "IL": "Illinois", "IN": "Indiana", "IA": "Iowa", "KS": "Kansas",
    "KY": "Kentucky", "LA": "Louisiana", "ME": "Maine", "MD": "Maryland", "MA": "Massachusetts", "MI": "Michigan",
    "MN": "Minnesota", "MS": "Mississippi", "MO": "Missouri", "MT": "Montana", "NE": "Nebraska", "NV": "Nevada",
    "NH": "New Hampshire", "NJ": "New Jersey", "NM": "New Mexico", "NY": "New York", "NC": "North Carolina",
    "ND": "North Dakota", "OH": "Ohio", "OK": "Oklahoma", "OR": "Oregon", "PA": "Pennsylvania",
    "RI": "Rhode Island", "SC": "South Carolina", "SD": "South Dakota", "TN": "Tennessee", "TX": "Texas",
    "UT": "Utah", "VT": "Vermont", "VA": "Virginia", "WA": "Washington", "WV": "West Virginia",
    "WI": "Wisconsin", "WY": "Wyoming", "PR": "Puerto Rico", "GU": "Guam",
}
META = {"snapshot_id": "demo-states", "snapshot_date": "2026-06-26", "sha256": "ef" * 32,
        "format": "nre_full_export", "synthetic": True}


def raw_counts(path: Path) -> pd.DataFrame:
    """Exonerations since 1989 (``Pre-1989`` = No) and false confessions (``False Confession`` = Yes) per
    jurisdiction, read straight from the registry-format CSV: federal cases under their district's state."""
    raw = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    raw = raw[raw["Pre-1989"] == "No"]
    state = raw["State"].map(lambda s: STATES.get(s[4:], s) if s.startswith("Fed-") else s)
    state = state.where(raw["State"] != "Fed-Military", "Military (federal)")
    fc = raw["False Confession"] == "Yes"
    return pd.DataFrame({"n": state.value_counts(), "k": fc.groupby(state).sum()}).fillna(0).astype(int)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """A 450-row demo export; one record's crime replaced by a script tag; every sheet and the index built."""
    path = write_demo(tmp_path_factory.mktemp("export") / "demo.csv", 450, 11)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        table = normalise_file(path).table.copy()
    states = table["state"].value_counts()
    biggest = states.index[0]
    target = table.index[(table["state"] == biggest) & ~table["pre_1989"].fillna(False)][0]
    table.loc[target, "crime_category"] = PAYLOAD
    snapshot = snap(table, META)
    out = tmp_path_factory.mktemp("reports") / "states"
    written = [s for shard in range(SHARDS) for s in build_shard(snapshot, out, shard)]
    write_index(snapshot, out)
    return {"path": path, "snapshot": snapshot, "out": out, "written": written, "biggest": biggest}


def _sheets(out: Path) -> dict[str, dict]:
    return {p.parent.name: json.loads(p.read_text(encoding="utf-8")) for p in sorted(out.glob("*/facts.json"))}


def test_a_sheet_for_every_jurisdiction_with_ten_exonerations(demo: dict):
    counts = raw_counts(demo["path"])
    eligible = counts[counts["n"] >= MIN_SHEET]
    sheets = _sheets(demo["out"])
    assert sorted(f["state"] for f in sheets.values()) == sorted(eligible.index)
    assert len(sheets) == len(demo["written"]) == len(set(demo["written"])) >= 5
    for facts in sheets.values():
        assert (facts["exonerations"], facts["false_confessions"]) == tuple(counts.loc[facts["state"], ["n", "k"]])


def test_the_sentences_keep_the_wording_rules(demo: dict):
    for facts in _sheets(demo["out"]).values():
        share, national = facts["share"], facts["national"]
        assert share["ci_low"] <= share["share"] <= share["ci_high"]
        higher, lower = share["ci_low"] > national["ci_high"], share["ci_high"] < national["ci_low"]
        expected = "higher than" if higher else "lower than" if lower else "in line with"
        assert facts["verdict"] == f"{expected} the national share"
        headline = facts["sentences"][0]
        assert facts["small_numbers"] is (share["n"] < SMALL_N)
        if facts["small_numbers"]:
            assert headline["phrase"] is None and "too few cases for a reliable percentage" in headline["text"]
        else:
            assert check_share_phrase(headline["phrase"], share["share"], share["ci_low"], share["ci_high"])
        trend = facts["trend"]
        if "phrase" in trend:
            _, low, high = diff_interval(trend["k1"], trend["n1"], trend["k0"], trend["n0"])
            moved = trend["phrase"].startswith(("rose", "fell"))
            assert moved is (low > 0 or high < 0), trend
        rank = facts["rank"]
        assert rank is not None and rank["low"] <= rank["rank"] <= rank["high"] <= rank["of"]
        for sentence in facts["sentences"]:
            assert sentence["as_of"] == "2026-06-26" and sentence["source"] == credit_line(True)
            assert sentence["text"].startswith("In the synthetic demo data as of its 26 June 2026 data")


def test_each_sheet_has_a_complete_bundle_and_aggregates_only(demo: dict):
    for slug, facts in _sheets(demo["out"]).items():
        folder = demo["out"] / slug / chart_slug(slug)
        meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
        names = {p.name for p in folder.iterdir()}
        expected = {f"{chart_slug(slug)}.png", f"{chart_slug(slug)}.svg", f"{chart_slug(slug)}-social.png",
                    "embed.html", "chart.vl.json", "data.csv", "meta.json"}
        assert names == expected and {f["file"] for f in meta["files"]} == expected - {"data.csv", "meta.json"}
        assert meta["skipped"] == SKIP and meta["credit"] == credit_line(True)
        data = pd.read_csv(folder / "data.csv")
        assert set(data["series"]) == {facts["state"], "All states"}
        assert list(data.columns) == ["group", "series", "n", "k", "share", "ci_low", "ci_high"]
        assert "name" not in json.dumps(facts).lower().replace('"state"', "")  # no record-level field


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []
        self.tags: list[str] = []
        self.script_src: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.urls += [v for k, v in attrs if k in ("src", "href") and v]
        if tag == "script":
            self.script_src += [v for k, v in attrs if k == "src" and v]


def _check_links(page: Path, report: Path) -> _Links:
    """Every link relative and resolving to a file, but the one back to the report (``report``, not built here)."""
    parser = _Links()
    parser.feed(page.read_text(encoding="utf-8"))
    for url in parser.urls:
        assert urlparse(url).scheme == "", url  # relative links only: nothing on the network
        target = (page.parent / url).resolve()
        if not url.startswith("#") and target != report.resolve():
            assert target.is_file(), url
    return parser


def test_sheet_pages_escape_data_and_carry_the_credit_and_terms(demo: dict):
    sheets = _sheets(demo["out"])
    for slug, facts in sheets.items():
        page = demo["out"] / slug / "index.html"
        html = page.read_text(encoding="utf-8")
        parser = _check_links(page, demo["out"].parent / "index.html")
        assert "script" not in parser.tags
        assert str(escape(credit_line(True))) in html and all(str(escape(t)) in html for t in TERMS)
        for sentence in facts["sentences"]:
            assert str(escape(sentence["text"])) in html
        assert ("Small numbers." in html) is facts["small_numbers"]
    biggest = next(s for s, f in sheets.items() if f["state"] == demo["biggest"])
    html = (demo["out"] / biggest / "index.html").read_text(encoding="utf-8")
    assert PAYLOAD not in html and str(escape(PAYLOAD)) in html  # the hostile crime, in the chart's alt text


def test_index_lists_every_jurisdiction_and_links_the_sheets(demo: dict):
    page = demo["out"] / "index.html"
    counts = raw_counts(demo["path"])
    html = page.read_text(encoding="utf-8")
    parser = _check_links(page, demo["out"].parent / "index.html")
    assert html.count("<tr><td data-sort=") == len(counts)
    for name, row in counts.iterrows():
        assert f'<td data-sort="{escape(name)}">{escape(name)}</td><td class="num" data-sort="{row["n"]}">' in html
    assert len([u for u in parser.urls if u.endswith("/index.html") and not u.startswith("..")]) == \
        int((counts["n"] >= MIN_SHEET).sum())
    assert parser.tags.count("script") == 1 and parser.script_src == []  # the inline sorter only
    for facts in _sheets(demo["out"]).values():  # the same intervals as the sheets
        share = facts["share"]
        assert f'{pct1(share["ci_low"])}–{pct1(share["ci_high"])}</td><td><a href="{facts["slug"]}/' in html
    assert str(escape(credit_line(True))) in html


def _chromium(args: list[str], profile: Path) -> subprocess.CompletedProcess:
    flags = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
             "--proxy-server=http://127.0.0.1:9", "--host-resolver-rules=MAP * ~NOTFOUND",
             "--virtual-time-budget=5000", f"--user-data-dir={profile}"]
    return subprocess.run([str(CHROMIUM), *flags, *args], capture_output=True, text=True, timeout=180, check=False)


@pytest.mark.browser
def test_chromium_renders_the_index_and_a_sheet(demo: dict, tmp_path: Path):
    if not CHROMIUM.exists():
        pytest.skip(f"headless Chromium not installed at {CHROMIUM}")
    from PIL import Image

    slug = demo["written"][0]
    for page in (demo["out"] / "index.html", demo["out"] / slug / "index.html"):
        shot = tmp_path / f"{page.parent.name}.png"
        run = _chromium([f"--screenshot={shot}", "--window-size=1000,1400", "--enable-logging=stderr", "--v=0",
                         page.resolve().as_uri()], tmp_path / f"p-{page.parent.name}")
        problems = [line for line in run.stderr.splitlines()
                    if ":CONSOLE" in line or "Uncaught" in line or "ERR_FILE_NOT_FOUND" in line or "Refused" in line]
        assert not problems, problems
        with Image.open(shot) as image:
            colours = image.convert("RGB").resize((50, 70)).getcolors(50 * 70)
            assert colours is not None and len(colours) > 8, page


def test_real_2026_export_has_a_sheet_for_every_state_with_ten_exonerations(tmp_path: Path):
    """On the 2026 export: the jurisdictions with a sheet are exactly those with ≥ 10 exonerations since 1989 in
    the raw CSV (39); two sheets built (Illinois: 151 of 589 hand-checked; a small one) keep the rules."""
    counts = raw_counts(shared_file("nre", "nre-fullcsv-2026-06.csv"))
    table = canonical_table("nre-fullcsv-2026-06.csv")
    snapshot = snap(table, {"snapshot_id": "2026-06-26-test", "snapshot_date": "2026-06-26", "sha256": "0" * 64,
                            "format": "nre_full_export"})
    states = jurisdictions(snapshot)
    eligible = counts[counts["n"] >= MIN_SHEET]
    assert len(eligible) == 39 and sorted(states.loc[states["sheet"], "group"]) == sorted(eligible.index)
    assert tuple(counts.loc["Illinois", ["n", "k"]]) == (589, 151)
    rank_table = ranks(states)
    small = eligible[eligible["n"] < SMALL_N].index[0]
    for name in ("Illinois", small):
        facts = state_facts(snapshot, name, states, rank_table)
        page = write_sheet(snapshot, facts, tmp_path)
        assert (facts["exonerations"], facts["false_confessions"]) == tuple(counts.loc[name, ["n", "k"]])
        assert facts["small_numbers"] is (name == small) and facts["rank"]["of"] == 39
        html = page.read_text(encoding="utf-8")
        assert str(escape(credit_line(False))) in html and "synthetic" not in html.lower()
    assert json.loads((tmp_path / "il" / "facts.json").read_text())["verdict"] == "higher than the national share"
