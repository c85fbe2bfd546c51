"""reports/index.html: self-contained, every link and image resolves, data-derived text is escaped, and a real
headless Chromium renders it without errors. Built from the real 2026 export in ../shared when present and always
from a synthetic demo export (labelled as such)."""

from __future__ import annotations

import subprocess
import warnings
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest
from markupsafe import escape

from analysis.analyse.stats import headline_stats
from analysis.analyse.tables import TABLES, write_tables
from analysis.charts import build_chart
from analysis.narrate.report import METHOD_NOTES, markdown_to_html, write_report
from analysis.normalise import normalise_file
from analysis.settings import Paths
from tests.conftest import data_variants, require_real_variant, shared_file, snap

REAL_FILE = "nre-fullcsv-2026-06.csv"
VARIANTS = data_variants(REAL_FILE)
CHROMIUM = Path("/usr/bin/chromium")
PAYLOAD = "<script>alert(1)</script>"
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"
HEADLINE_TABLE = ("| Statistic | Old | New | Change |\n|---|---|---|---|\n"
                  "| `fc_share_all` | 400 of 3,000 (13.3%) | 487 of 3,835 (12.7%) | -0.6 pts |\n"
                  "| `a\\|b` <i>x</i> | n/a | n/a | n/a |\n")
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"]


class _Links(HTMLParser):
    """Collects every URL the page refers to, and the tags used."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[tuple[str, str]] = []
        self.tags: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        for name, value in attrs:
            if value and name in ("src", "href"):
                self.urls.append((tag, value))
            if value and name == "srcset":  # a data: URI holds a comma of its own: one candidate
                parts = [value] if value.lstrip().startswith("data:") else value.split(",")
                self.urls += [(tag, part.strip().split(" ")[0]) for part in parts]


def test_real_data_variant_runs():
    require_real_variant(VARIANTS, REAL_FILE)


@pytest.fixture(scope="module", params=VARIANTS)
def report(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> dict:
    """A scratch project with tables, statistics, three chart bundles, a notebook page and a changelog built from
    the 2026 export (``real``) or the demo export (``demo``), one exoneree's race replaced by a script tag, then
    the report."""
    synthetic = request.param == "demo"
    if synthetic:
        table = request.getfixturevalue("demo_normalised").table
    else:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            table = normalise_file(shared_file("nre", REAL_FILE)).table
    table = table.copy()
    counted = table["fc"].fillna(False) & ~table["pre_1989"].fillna(False)
    table.loc[table.index[counted][0], "race"] = PAYLOAD
    meta = {"snapshot_id": "2026-06-26-d3738287", "snapshot_date": "2026-06-26", "sha256": "ab" * 32,
            "format": "nre_full_export", "rows": len(table), **({"synthetic": True} if synthetic else {})}
    where = Paths(tmp_path_factory.mktemp(f"project-{request.param}"))
    where.reports.mkdir(parents=True)
    write_tables(snap(table, meta), where.tables)
    stats = headline_stats(snap(table, meta))
    charts = [build_chart(slug, snap(table, meta), None, where.figures)
              for slug in ("fc-by-crime", "race-fc-vs-all", "state-tile-map")]
    where.notebooks_out.mkdir(parents=True)
    notebook = where.notebooks_out / "02-how-common.html"
    notebook.write_text("<!DOCTYPE html><title>How common</title><p>executed</p>", encoding="utf-8")
    (where.notebooks_out / "02-how-common.ipynb").write_text("{}", encoding="utf-8")
    changes = (f"# Data changelog\n\n## [2026-06-26] - snapshot {meta['snapshot_id']}\n\n### Added\n\n"
               f"- 476 records, e.g. {PAYLOAD} (IL) and **Jane Doe** (`NY`)\n\nA paragraph <b>not bold</b>.\n"
               f"\n### Headline numbers\n\n{HEADLINE_TABLE}")
    tables = {name: where.tables / f"{name}.csv" for name in TABLES}
    provenance = {**meta, "code_version": {"analysis": "0.1.0", "git_commit": "unknown"}}
    index = write_report(where, stats, charts, tables, "The paragraph about 32%.", provenance, changes, [notebook])
    return {"where": where, "index": index, "html": index.read_text(encoding="utf-8"), "stats": stats,
            "charts": charts}


def test_report_is_written_with_every_section(report: dict):
    page = report["html"]
    for heading in ("Headline numbers", "Charts", "The 32% question", "Tables", "Method and caveats", "Provenance",
                    "Data changelog", "Notebooks"):
        assert f">{heading}</h2>" in page
    for stat in report["stats"]:
        assert str(escape(stat["sentence"])) in page
    for chart in report["charts"]:
        assert f'id="chart-{chart["slug"]}"' in page
    for head, _ in METHOD_NOTES:
        assert head in page
    assert "ab" * 32 in page and "2026-06-26-d3738287" in page
    assert "The paragraph about 32%." in page


def test_self_contained_no_scripts_no_cdn(report: dict):
    parser = _Links()
    parser.feed(report["html"])
    assert "script" not in parser.tags and "link" not in parser.tags and "iframe" not in parser.tags
    assert "<style>" in report["html"]
    assert not [u for _, u in parser.urls if urlparse(u).scheme in ("http", "https", "javascript")]


def test_every_image_and_link_resolves(report: dict):
    parser = _Links()
    parser.feed(report["html"])
    reports = report["where"].reports
    inlined = [u for tag, u in parser.urls if tag == "img" and u.startswith("data:image/")]
    local = [(tag, u) for tag, u in parser.urls if not u.startswith(("#", "data:"))]
    assert len(inlined) == 3 and not [u for tag, u in local if tag == "img"]  # images inlined: the page stands alone
    assert any(u.endswith("data.csv") for _, u in local) and any(u.endswith(".svg") for _, u in local)
    assert any(u.endswith("02-how-common.html") for _, u in local)
    for _, url in local:
        assert (reports / unquote(urlparse(url).path)).is_file(), url
    anchors = {u[1:] for _, u in parser.urls if u.startswith("#")}
    for anchor in anchors:
        assert f'id="{anchor}"' in report["html"]


def test_data_derived_text_is_escaped(report: dict):
    page = report["html"]
    assert PAYLOAD not in page
    assert page.count(ESCAPED) >= 3  # the race table, the race chart's alt text and the changelog
    assert "&lt;b&gt;not bold&lt;/b&gt;" in page and "<strong>Jane Doe</strong>" in page


def test_images_carry_alt_text_and_sizes(report: dict):
    for chart in report["charts"]:
        web = next(f for f in chart["files"] if f["role"] == "web")
        assert f'width="{web["width_px"]}" height="{web["height_px"]}"' in report["html"]
        assert f'alt="{escape(chart["alt_text"])}"' in report["html"]


def test_markdown_subset_escapes_everything():
    out = markdown_to_html("# Title\n\n- one `a<b`\n- **two**\n\ntext <img src=x onerror=alert(1)>\n")
    assert "<h3>Title</h3>" in out and "<li>one <code>a&lt;b</code></li>" in out
    assert "<strong>two</strong>" in out and "<img" not in out and "&lt;img src=x" in out


def test_changelog_heading_appears_once_and_its_table_is_a_table(report: dict):
    page = report["html"]
    assert page.count(">Data changelog</h") == 1  # the section's <h2>; the document's own title is dropped
    changes = page[page.index('<section id="changes">'):page.index('<section id="notebooks">')]
    assert "<h3>[2026-06-26] - snapshot 2026-06-26-d3738287</h3>" in changes and "<h4>Headline numbers</h4>" in changes
    assert '<div class="table-wrap">\n<table>' in changes and "<th>Statistic</th>" in changes
    assert "<td><code>fc_share_all</code></td>" in changes and "<td>-0.6 pts</td>" in changes
    assert "<td><code>a|b</code> &lt;i&gt;x&lt;/i&gt;</td>" in changes  # an escaped pipe stays in its cell
    assert "| Statistic |" not in page and "|---|" not in page


def test_real_changelog_header_renders_once_with_a_table(tmp_path: Path):
    from analysis.compare import CHANGELOG_HEADER

    where = Paths(tmp_path)
    where.reports.mkdir()
    changes = (f"{CHANGELOG_HEADER}\n## [2026-06-26] - snapshot new (compared with old)\n\n### Headline numbers\n\n"
               f"{HEADLINE_TABLE}")
    page = write_report(where, [], [], {}, "", {"snapshot_id": "new", "snapshot_date": "2026-06-26"}, changes,
                        []).read_text(encoding="utf-8")
    assert page.count("Data changelog</h") == 1 and "# Data changelog" not in page
    assert '<a href="#changes">Data changelog</a>' in page and "from its export of 26 June 2026" in page
    assert '<a href="https://keepachangelog.com/en/1.1.0/">Keep a Changelog</a>' in page
    assert "<code>confessions diff OLD NEW --write</code>" in page
    assert page.count("<table>") == 1 and "<td><code>fc_share_all</code></td>" in page


def test_markdown_keeps_raw_html_links_and_images_inert():
    out = markdown_to_html("[click](javascript:alert(1)) [v](vbscript:x) [d](data:text/html,x) "
                           "<a href=\"javascript:alert(1)\">a</a> <script>alert(1)</script>\n\n"
                           "![pixel](https://example.org/p.png) <https://example.org/ok>\n\n"
                           "<div onclick=\"alert(1)\">block</div>\n\n| h |\n|---|\n| <svg onload=alert(1)> |\n")
    parser = _Links()
    parser.feed(out)
    assert set(parser.tags) == {"p", "a", "table", "thead", "tr", "th", "tbody", "td", "div"}  # div: table-wrap
    assert [u for _, u in parser.urls] == ["https://example.org/ok"]  # no javascript:, vbscript:, data: or image
    assert "<div onclick" not in out and "&lt;div onclick=&quot;alert(1)&quot;&gt;block&lt;/div&gt;" in out
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in out and "&lt;svg onload=alert(1)&gt;" in out
    assert "pixel" in out and "example.org/p.png" not in out  # an image would load on open: its alt text only
    assert '<a href="https://example.org/ok">' in out and "<td>" in out


def test_markdown_drop_title_only_drops_a_leading_title():
    assert markdown_to_html("# Data changelog\n\n## Entry\n", drop_title=True) == "<h3>Entry</h3>\n"
    assert markdown_to_html("## Entry\n\n# Later\n", drop_title=True) == "<h4>Entry</h4>\n<h3>Later</h3>\n"
    assert markdown_to_html("# T\n\n###### deep\n") == "<h3>T</h3>\n<h6>deep</h6>\n"


def test_links_only_to_files_that_exist(tmp_path: Path):
    where = Paths(tmp_path)
    where.reports.mkdir()
    chart = {"slug": "gone", "title": "t", "files": [{"file": "gone.png", "role": "web", "width_px": 1,
                                                      "height_px": 1}]}
    index = write_report(where, [], [chart], {}, "", {"snapshot_id": "x"}, None, [tmp_path / "missing.html"])
    page = index.read_text(encoding="utf-8")
    assert "gone.png" not in page and "missing.html" not in page and "Data changelog" not in page


def _chromium(*args: str, profile: Path, timeout: int = 120) -> subprocess.CompletedProcess:
    return subprocess.run([str(CHROMIUM), *CHROMIUM_FLAGS, f"--user-data-dir={profile}", *args],
                          capture_output=True, text=True, timeout=timeout, check=False)


@pytest.mark.browser
def test_headless_chromium_renders_the_report(report: dict, tmp_path: Path):
    if not CHROMIUM.exists():
        pytest.skip(f"headless Chromium not installed at {CHROMIUM}")
    url = report["index"].resolve().as_uri()
    shot = tmp_path / "report.png"
    run = _chromium(f"--screenshot={shot}", "--window-size=1280,4000", "--hide-scrollbars",
                    "--enable-logging=stderr", "--v=0", url, profile=tmp_path / "profile-shot")
    assert shot.is_file() and shot.stat().st_size > 50_000, run.stderr[-2000:]
    problems = [line for line in run.stderr.splitlines()
                if "ERR_FILE_NOT_FOUND" in line or ":CONSOLE" in line or "Uncaught" in line]
    assert not problems, problems
    from PIL import Image

    with Image.open(shot) as image:
        assert image.size == (1280, 4000)
        colours = image.convert("RGB").resize((64, 200)).getcolors(64 * 200)
        assert colours is not None and len(colours) > 20  # text and charts, not a blank page

    dom = _chromium("--dump-dom", url, profile=tmp_path / "profile-dom")
    assert dom.returncode == 0, dom.stderr[-2000:]
    assert "<script" not in dom.stdout and ESCAPED in dom.stdout
    assert "Headline numbers" in dom.stdout and "figures/fc-by-crime/fc-by-crime.png" in dom.stdout
    assert "<td><code>fc_share_all</code></td>" in dom.stdout  # the changelog's table, as the browser built it
