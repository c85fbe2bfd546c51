"""The registry's credit line and terms: one constant, stated in the README, the report footer, CITATION.cff and
every chart bundle's meta.json (the synthetic demo export's outputs say they are not registry data)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import pandas as pd
import pytest
from markupsafe import escape

from analysis.charts.bundle import write_bundle
from analysis.charts.registry import ChartSpec
from analysis.charts.style import new_figure, use_style
from analysis.credit import CREDIT, PERMITTED_USES, PUBLICATION_NOTE, SYNTHETIC_CREDIT, TERMS, credit_line
from analysis.narrate.report import write_report
from analysis.settings import Paths
from tests.conftest import REPO_ROOT, snap

# The registry's preferred form, as the brief quotes it (a spec, not a computed number).
PREFERRED = ("Source: National Registry of Exonerations, a project of the Newkirk Center for Science & Society at "
             "University of California Irvine, the University of Michigan Law School and Michigan State University "
             "College of Law")
CONDITIONS = ("credit and cite", "represent the data accurately", "report suspected errors",
              "any portion of it, publicly", "duplicates the Registry", "AI or machine-learning")


def _flat(text: str) -> str:
    """Markdown/HTML text on one line: wrapped lines joined, emphasis and ``&amp;`` undone."""
    return re.sub(r"\s+", " ", text.replace("*", "").replace("&amp;", "&"))


def test_the_credit_is_the_registrys_preferred_form_and_the_demo_says_it_is_not_registry_data():
    assert CREDIT == PREFERRED and credit_line(False) == CREDIT
    assert credit_line(True) == SYNTHETIC_CREDIT != CREDIT
    assert "not National Registry of Exonerations data" in SYNTHETIC_CREDIT and "synthetic" in SYNTHETIC_CREDIT
    assert PERMITTED_USES == "educational, advocacy, research, and media purposes"
    for condition in CONDITIONS:
        assert sum(condition in term for term in TERMS) == 1, condition


def test_readme_states_the_terms_and_the_credit_with_the_two_commands_first():
    readme = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    section = _flat(readme.split("## Using registry data", 1)[1].split("\n## ", 1)[0])
    assert CREDIT in section and PERMITTED_USES in section
    for condition in CONDITIONS:
        assert condition.lower() in section.lower(), condition
    assert "working material" in section and "standing website" in section and "changelog" in section
    assert readme.index("make all\n") < readme.index("## Using registry data")
    assert readme.index("make test\n") < readme.index("## Using registry data")


def _cff(text: str) -> dict[str, str]:
    """The top-level ``key: value`` lines of a CITATION.cff (block values such as ``>-`` folded to one line)."""
    keys: dict[str, str] = {}
    key = None
    for line in text.splitlines():
        top = re.match(r"^([a-z-]+):\s*(.*)$", line)
        if top:
            key, value = top.group(1), top.group(2)
            keys[key] = "" if value in (">-", "|") else value.strip('"')
        elif key and line.startswith("  "):
            keys[key] = (keys[key] + " " + line.strip()).strip()
    return keys


def test_citation_cff_cites_the_project_and_credits_the_registry():
    cff = _cff((REPO_ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    assert cff["cff-version"] == "1.2.0" and cff["type"] == "software" and cff["title"] and cff["authors"]
    version = re.search(r'^version = "([^"]+)"', (REPO_ROOT / "pyproject.toml").read_text(), re.M).group(1)
    assert cff["version"] == version and cff["license"] == "MIT"
    assert CREDIT in _flat(cff["message"])
    assert 'title: "National Registry of Exonerations"' in cff["references"]


@pytest.mark.parametrize("synthetic", [False, True])
def test_report_footer_carries_the_credit_and_every_term(tmp_path: Path, synthetic: bool):
    where = Paths(tmp_path)
    where.reports.mkdir()
    provenance = {"snapshot_id": "s", "snapshot_date": "2026-06-26", **({"synthetic": True} if synthetic else {})}
    page = write_report(where, [], [], {}, "", provenance, None, []).read_text(encoding="utf-8")
    footer = page[page.index('<footer class="site">'):]
    assert str(escape(credit_line(synthetic))) in footer
    assert (str(escape(CREDIT)) in footer) is not synthetic  # the demo report never credits the registry as source
    for term in TERMS:
        assert str(escape(term)) in footer, term
    assert str(escape(PUBLICATION_NOTE)) in footer and "states/index.html" not in footer  # no sheets yet: no link
    (where.reports / "states").mkdir()
    (where.reports / "states" / "index.html").write_text("<!DOCTYPE html><title>s</title>", encoding="utf-8")
    page = write_report(where, [], [], {}, "", provenance, None, []).read_text(encoding="utf-8")
    assert '<a href="states/index.html">' in page


def _spec(slug: str) -> ChartSpec:
    with use_style("light", "web"):
        fig = new_figure(0.5)
        fig.add_subplot().bar([0, 1], [0.2, 0.4])
    data = pd.DataFrame({"group": ["A", "B"], "n": [10, 20], "k": [2, 8], "share": [0.2, 0.4],
                         "ci_low": [0.06, 0.22], "ci_high": [0.51, 0.61]})
    return ChartSpec(slug=slug, fig=fig, data=data, title="A title", subtitle="A subtitle", notes=[],
                     alt_text="Column chart. A title. A 20%, B 40%.", source_line="Source: x", as_of="Data as of y")


@pytest.mark.parametrize("synthetic", [False, True])
def test_every_bundle_meta_has_the_credit_and_says_which_variants_it_left_out(tmp_path: Path, synthetic: bool):
    meta = {"snapshot_id": "s", "snapshot_date": "2026-06-26", **({"synthetic": True} if synthetic else {})}
    table = pd.DataFrame({"fc": [True]})
    written = write_bundle(_spec("hand-made"), tmp_path, snapshot=snap(table, meta))
    on_disk = json.loads((tmp_path / "hand-made" / "meta.json").read_text(encoding="utf-8"))
    assert written["credit"] == on_disk["credit"] == credit_line(synthetic)
    assert on_disk["synthetic"] is synthetic
    # a hand-made spec cannot redraw itself: no dark or social PNG, and meta.json says so
    assert set(on_disk["skipped"]) == {"web-dark", "social"}
    roles = {f["role"] for f in on_disk["files"]}
    assert roles == {"web", "vector", "print", "embed", "vega-lite"}
    assert not set(on_disk["skipped"]) & roles
