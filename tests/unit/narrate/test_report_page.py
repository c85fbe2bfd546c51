"""reports/index.html as a reader gets it: images inside the page, the Innocence Project match, quarantined values,
one changelog with its table, and data text that cannot reorder or widen the page (issues 14 and 15)."""

from __future__ import annotations

import base64
import re
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pytest
from markupsafe import escape

from analysis.analyse.ip_match import match_roster
from analysis.charts import build_chart
from analysis.compare import PLACEHOLDER, changelog_entry, placeholder, update_changelog
from analysis.compare.diff import diff_snapshots
from analysis.formats.cells import Problems
from analysis.narrate.report import ROSTER_DEFINITION as DEFINITION
from analysis.narrate.report import build_report, render_report, roster_match, roster_summary
from analysis.normalise import write_processed
from analysis.settings import Paths
from tests.conftest import canonical_table, shared_file, snap

META = {"snapshot_id": "2026-06-26-d3738287", "snapshot_date": "2026-06-26", "sha256": "ab" * 32,
        "format": "nre_full_export", "synthetic": True}
RLO = "\u202e"
LONG_WORD = "W" * 10_000


class _Resources(HTMLParser):
    """Every URL the page would load (img/source/link/script/iframe), every link, and the tags used."""

    def __init__(self) -> None:
        super().__init__()
        self.loads: list[str] = []
        self.links: list[str] = []
        self.tags: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        for name, value in attrs:
            if not value:
                continue
            if name == "srcset":
                # candidates are separated by a comma *and* whitespace: a data: URI has a comma of its own
                self.loads += [part.split()[0] for part in re.split(r",\s+", value.strip()) if part.strip()]
            elif name == "src" or (tag == "link" and name == "href"):
                self.loads.append(value)
            elif name == "href":
                self.links.append(value)


def _parse(page: str) -> _Resources:
    parser = _Resources()
    parser.feed(page)
    return parser


@pytest.fixture(scope="module")
def bundle(demo_normalised, tmp_path_factory: pytest.TempPathFactory) -> tuple[Paths, dict]:
    """A scratch project with one real chart bundle (web and dark PNG) built from the demo export."""
    where = Paths(tmp_path_factory.mktemp("report-page"))
    where.reports.mkdir(parents=True)
    meta = build_chart("fc-by-crime", snap(demo_normalised.table, META), None, where.figures)
    return where, meta


def _render(where: Paths, charts: list[dict], **kwargs) -> str:
    return render_report(where, [], charts, kwargs.pop("tables", {}), "", META, kwargs.pop("changes", None), [],
                         **kwargs)


# --- 1. images inside the page ------------------------------------------------------------------------------


def test_every_image_is_a_data_uri_of_its_file_and_nothing_loads_from_elsewhere(bundle):
    where, meta = bundle
    page = _render(where, [meta])
    parsed = _parse(page)
    files = {f["role"]: where.figures / meta["slug"] / f["file"] for f in meta["files"]}
    assert parsed.tags.count("img") == 1 and len(parsed.loads) == 2  # the web PNG and its dark <source>
    decoded = []
    for url in parsed.loads:
        assert url.startswith("data:image/png;base64,"), url[:60]
        decoded.append(base64.b64decode(url.split(",", 1)[1]))
    assert decoded == [files["web-dark"].read_bytes(), files["web"].read_bytes()]  # <source> comes first
    assert not {"script", "link", "iframe", "object", "embed"} & set(parsed.tags)
    assert "@import" not in page and not re.search(r"url\(\s*['\"]?https?:", page)
    assert "open it from its folder" not in page
    # the short alt text on the image, the full data description beside it (graphics desks, screen readers)
    assert f"<strong>Full description:</strong> {escape(meta['long_description'])}</p>" in page


def test_images_too_large_to_embed_stay_linked_and_the_page_says_so(bundle):
    where, meta = bundle
    page = _render(where, [meta], inline_limit=1000)
    parsed = _parse(page)
    assert parsed.loads and not [u for u in parsed.loads if u.startswith("data:")]
    for url in parsed.loads:
        assert (where.reports / url).is_file(), url
    assert "open it from its folder" in page and "<code>reports/</code>" in page


# --- 2. the Innocence Project roster ------------------------------------------------------------------------


def _demo_roster(table: pd.DataFrame, picked: int = 40) -> pd.DataFrame:
    """A roster of ``picked`` demo records (every 7th, full state names) and two names the registry lacks."""
    chosen = table.iloc[::7].head(picked)
    roster = pd.DataFrame({"name": chosen["name"].astype(str), "slug": "x", "state": chosen["state"].astype(str),
                           "exoneration_year": chosen["exoneration_year"].astype("Int64").astype(str)})
    extra = pd.DataFrame({"name": ["Nobody Atall", "Zed Unknown"], "slug": "y", "state": ["Ohio", "Texas"],
                          "exoneration_year": ["2001", "2002"]})
    return pd.concat([roster, extra], ignore_index=True), chosen


def test_roster_match_is_said_with_its_denominator_and_definition(bundle, demo_normalised):
    where, _ = bundle
    table = demo_normalised.table
    roster, chosen = _demo_roster(table)
    matches = match_roster(roster, table)
    path = where.tables / "ip_match.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    matches.to_csv(path, index=False)
    found = roster_match(snap(table, META), path)
    k = int(chosen["fc"].fillna(False).sum())
    n = found["summary"]["records"]
    assert n == chosen["record_id"].nunique() and found["summary"]["entries"] == len(roster)
    assert f"Of the {len(roster)} cases on the Innocence Project's roster, {found['summary']['matched']} matched" \
        in found["sentence"]
    assert f"; {k} of the {n} matched records ({k / n:.1%}; 95% CI " in found["sentence"]
    assert "synthetic demo data" in found["sentence"]
    assert found["unmatched"] == ["Nobody Atall", "Zed Unknown"]
    page = _render(where, [], roster=found)
    assert found["sentence"].replace("'", "&#39;") in page and DEFINITION.replace("'", "&#39;") in page
    assert "Not matched: Nobody Atall; Zed Unknown." in page
    assert "No Innocence Project roster is stored" in _render(where, [])


def test_roster_match_on_the_real_2026_data_is_61_of_244():
    """61 of the 244 matched records carry the FC factor: issue 14, from analysis.analyse.ip_match on the 2026-06
    export and the 2026-07 roster."""
    from analysis.analyse.ip_match import load_roster

    roster = load_roster(shared_file("innocence_project", "ip-all-cases-roster-2026-07.json"))
    table = canonical_table("nre-fullcsv-2026-06.csv")
    summary = roster_summary(match_roster(roster, table), table)
    assert (summary["fc_share"].k, summary["fc_share"].n) == (61, 244)


# --- 6. quarantined values in the provenance section, read from the processed metadata -----------------------


def test_build_report_shows_the_quarantined_count_and_the_first_values(demo_normalised, tmp_path: Path):
    where = Paths(tmp_path)
    where.reports.mkdir()
    problems = Problems()
    for row in range(2, 9):
        problems.add(row, "Age" if row % 2 else "Sentence", f"1e{row}", "not an integer")
    problems.add(12, "Last Name", f"<b>{RLO}x</b>", "unreadable")
    write_processed(demo_normalised, {**META, "rows": len(demo_normalised.table), "warnings": [],
                                      "quarantined": problems.items}, where)
    page = build_report(where).read_text(encoding="utf-8")
    section = page[page.index('<section id="provenance">'):page.index("</section>", page.index('id="provenance"'))]
    assert "8 values could not be read and were set to missing; the first 5 are listed" in section
    for row in range(2, 7):
        column = "Age" if row % 2 else "Sentence"
        assert f'<tr><td class="num">{row}</td><td>{column}</td><td><code>1e{row}</code></td>' in section
    assert "1e7" not in section and "&lt;b&gt;" not in section  # only the first five rows are shown


def test_no_quarantined_value_is_said_too(bundle):
    where, _ = bundle
    assert "none: every value of the export was read." in _render(where, [])


# --- 7. the data changelog: no placeholder above entries, one heading, its table a table ---------------------


def test_changelog_from_real_entries_renders_once_as_html_with_its_table(demo_normalised, tmp_path: Path):
    new = demo_normalised.table
    old = new.iloc[:-40].copy()
    old.loc[old.index[:5], "fc"] = ~old.loc[old.index[:5], "fc"].fillna(False)
    columns = ["Last Name", "First Name", "State"]
    entry = changelog_entry(diff_snapshots(old, new, {"snapshot_id": "old-1", "snapshot_date": "2024-04-10",
                                                      "format": "nre_full_export"}, META, columns, columns))
    path = tmp_path / "CHANGES.md"
    path.write_text(placeholder(), encoding="utf-8")
    update_changelog(path, entry, META["snapshot_id"])
    page = _render(Paths(tmp_path), [], changes=path.read_text(encoding="utf-8"))
    section = page[page.index('<section id="changes">'):page.index('<section id="notebooks">')]
    assert PLACEHOLDER not in page and page.count("Data changelog</h") == 1
    assert "<h4>Headline numbers</h4>" in section and section.count("<table>") == 1
    rows = re.findall(r"<tr>\s*<td><code>(\w+)</code></td>", section)
    assert len(rows) >= 8 and "fc_share_all" in rows
    assert "| Statistic |" not in page and "|---|" not in page


def test_a_stale_placeholder_above_real_entries_is_not_shown(tmp_path: Path):
    stale = (f"# Data changelog\n\n{PLACEHOLDER}\n\n## [2026-06-26] - snapshot new (compared with old)\n\n"
             "### Headline numbers\n\n| Statistic | Old | New | Change |\n|---|---|---|---|\n"
             "| `fc_share_all` | 1 of 2 (50.0%) | 1 of 3 (33.3%) | -16.7 pts |\n")
    page = _render(Paths(tmp_path), [], changes=stale)
    assert PLACEHOLDER not in page and "<td><code>fc_share_all</code></td>" in page
    alone = _render(Paths(tmp_path), [], changes=placeholder())
    assert PLACEHOLDER in alone  # while only one snapshot is stored, the note is all there is to say


# --- 8. data text is inert and long words wrap --------------------------------------------------------------


def _hostile_page(where: Paths, charts: list[dict]) -> str:
    tables = {"names": pd.DataFrame({"group": [f"Ann {RLO}eeL", LONG_WORD, "tab\tand\x1b[2Jescape"],
                                     "n": [1, 2, 3]})}
    stats = [{"id": "fc_share_all", "share": 0.5, "k": 1, "n": 2, "ci_low": 0.1, "ci_high": 0.9, "as_of": None,
              "sentence": f"One {RLO}sentence {LONG_WORD}.", "definition": "d"}]
    changes = f"# Data changelog\n\n## [2026-06-26] - snapshot x\n\n- e.g. Bob {RLO}boB (IL) and {LONG_WORD}\n"
    return render_report(where, stats, charts, tables, f"Para {RLO}graph", {**META, "name": f"x{RLO}y"}, changes,
                         [], quarantined=[f"row 3, column 'Name': '{RLO}{LONG_WORD}' odd; set to missing"])


def test_bidi_and_control_characters_never_reach_the_page_and_long_words_survive(bundle):
    where, meta = bundle
    page = _hostile_page(where, [meta])
    assert RLO not in page and "\x1b" not in page and "\t" not in page.split("<style>")[0]
    assert "Ann eeL" in page and "Bob boB (IL)" in page and "Para graph" in page and "tab and[2Jescape" in page
    assert page.count(LONG_WORD) == 4  # table cell, sentence, changelog and quarantined value: nothing lost
    css = re.sub(r"/\*.*?\*/", "", page[page.index("<style>") + 7:page.index("</style>")], flags=re.DOTALL)
    rule = re.search(r"([^{}]*)\{\s*overflow-wrap:\s*anywhere;\s*\}", css)
    assert rule is not None
    selectors = {s.strip() for s in rule.group(1).split(",")}
    assert {"td", "p", "dd", "h3", "li", "summary"} <= selectors


def test_fact_sheet_pages_clean_their_text_too():
    from analysis.narrate.states import _environment

    out = _environment().from_string("<p>{{ name }}</p>{{ missing }}").render(name=f"Jo {RLO}oJ <i>", missing=None)
    assert out == "<p>Jo oJ &lt;i&gt;</p>"


@pytest.mark.browser
def test_a_ten_thousand_character_word_does_not_widen_the_page(bundle, tmp_path: Path):
    chromium = Path("/usr/bin/chromium")
    if not chromium.exists():
        pytest.skip(f"headless Chromium not installed at {chromium}")
    where, meta = bundle
    page = _hostile_page(where, [meta])
    probe = ("<script>window.addEventListener('load', () => { document.body.setAttribute('data-widths', "
             "document.documentElement.scrollWidth + ' ' + document.documentElement.clientWidth); });</script>")
    target = tmp_path / "index.html"
    target.write_text(page.replace("</body>", probe + "</body>"), encoding="utf-8")
    flags = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
             "--disable-component-update", "--disable-sync", f"--user-data-dir={tmp_path / 'profile'}",
             "--window-size=800,600", "--virtual-time-budget=5000"]
    run = subprocess.run([str(chromium), *flags, "--dump-dom", target.as_uri()], capture_output=True, text=True,
                         timeout=120, check=False)
    found = re.search(r'data-widths="(\d+) (\d+)"', run.stdout)
    assert found is not None, run.stderr[-2000:]
    scroll, viewport = int(found.group(1)), int(found.group(2))
    assert 0 < scroll <= viewport, (scroll, viewport)

