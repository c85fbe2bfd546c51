"""State fact sheets: ``reports/states/<slug>/`` for every jurisdiction with at least 10 exonerations since 1989,
and ``reports/states/index.html`` listing every jurisdiction (``confessions states``, part of ``build``).

A sheet is ``index.html`` (self-contained, the report's stylesheet, Jinja2 autoescape; no script), ``facts.json``
(:mod:`analysis.narrate.state_facts`) and one chart bundle, ``<slug>/fc-by-crime-<slug>/``: the state's false-
confession share by crime against the national share, written by :func:`analysis.charts.bundle.write_bundle`
(web and social PNG, SVG, embed, data.csv, meta.json; the print and dark PNGs are left out (:data:`SKIP`), and
its ``meta.json`` says so). The index is a plain table sortable by a small inline script (no network). Sheets are
built in shards (:func:`build_shard`, one pipeline step each) so that the worker pool spreads them; everything
holds aggregates only, with the registry's credit and terms (:mod:`analysis.credit`).
"""

from __future__ import annotations

import functools
import json
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd
from jinja2 import Environment, PackageLoader, StrictUndefined

from analysis.analyse.definitions import SYNTHETIC_LABEL
from analysis.analyse.tables import TABLES
from analysis.analyse.wording import cap, k_of_n, pct, pct1, share_phrase
from analysis.charts.bundle import write_bundle
from analysis.charts.registry import ChartSpec
from analysis.charts.style import SMALL_PT, frame_chart, new_figure, source_line, use_style
from analysis.credit import PERMITTED_USES, PUBLICATION_NOTE, TERMS, credit_line
from analysis.files import write_text
from analysis.narrate.report import FILE_LABELS, _css, count, finalize
from analysis.narrate.state_facts import MIN_SHEET, SMALL_N, jurisdictions, ranks, state_facts
from analysis.settings import Paths
from analysis.snapshot import Snapshot

__all__ = ["SHARDS", "build_shard", "build_states", "remove_stale_sheets", "state_chart", "write_index", "write_sheet"]

SHARDS = 4
"""Sheets are built in this many shards (pipeline steps ``states:0`` … ``states:3``)."""
NUMBERS = ("n", "k", "share", "ci_low", "ci_high")
CHART_COLUMNS = ["state", "crime_category", "fc", "pre_1989"]  # all the crime table reads (keeps it fast)
SKIP = {"print": "left out: the SVG scales to any print size, and a 300 dpi PNG per state would slow every build",
        "web-dark": "left out: the fact sheets are light pages, and a dark PNG per state would slow every build"}
"""The variants a state's bundle leaves out, and why (its ``meta.json`` lists them under ``skipped``)."""
CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; script-src 'unsafe-inline'"


@functools.cache
def _environment() -> Environment:
    env = Environment(loader=PackageLoader("analysis", "narrate"), autoescape=True, undefined=StrictUndefined,
                      keep_trailing_newline=True, trim_blocks=True, lstrip_blocks=True,
                      finalize=finalize)
    env.filters.update(pct1=lambda v: "–" if v is None else pct1(v), count=count, ordinal=_ordinal)
    return env


def _ordinal(n: int) -> str:
    from analysis.narrate.state_facts import ordinal

    return ordinal(n)


def _terms(synthetic: bool) -> dict:
    return {"credit": credit_line(synthetic), "terms": TERMS, "permitted_uses": PERMITTED_USES,
            "publication_note": PUBLICATION_NOTE}


def chart_slug(sheet: str) -> str:
    return f"fc-by-crime-{sheet}"


def national_by_crime(snapshot: Snapshot) -> pd.DataFrame:
    """The crime-category table of all states (indexed by group), computed once per shard."""
    return TABLES["crime_category"](snapshot.view[CHART_COLUMNS]).set_index("group")


def state_chart(snapshot: Snapshot, facts: dict, national: pd.DataFrame | None = None, *, theme: str = "light",
                size: str = "web") -> ChartSpec:
    """The sheet's chart: false-confession share by crime category in the state and nationally (95% intervals),
    in ``theme`` at ``size``; the spec redraws itself in another (``spec.render``), as a registered chart's does.
    ``national``: :func:`national_by_crime` (computed when not given)."""
    name, view = facts["state"], snapshot.view[CHART_COLUMNS]
    local = TABLES["crime_category"](view[view["state"].eq(name).fillna(False).astype(bool)])
    national = national_by_crime(snapshot) if national is None else national
    local = local[local["n"] > 0]
    rows = []
    for _, r in local.iterrows():
        nat = national.loc[r["group"]]
        rows.append({"group": r["group"], "series": name, **{c: r[c] for c in NUMBERS}})
        rows.append({"group": r["group"], "series": "All states", **{c: nat[c] for c in NUMBERS}})
    data = pd.DataFrame(rows, columns=["group", "series", "n", "k", "share", "ci_low", "ci_high"])
    share = facts["share"]
    if facts["small_numbers"]:
        title = f"{k_of_n(share['k'], share['n'])} exonerations in {name} involved a false confession"
    else:
        title = (f"{cap(share_phrase(share['share'], share['ci_low'], share['ci_high']))} exonerations in {name} "
                 "involved a false confession")
        if title[0].isdigit():
            title = (f"{k_of_n(share['k'], share['n'])} exonerations in {name} ({pct1(share['share'])}) involved a "
                     "false confession")
    subtitle = ("Share of exonerations since 1989 in which the exoneree falsely confessed, by the most serious "
                f"crime, in {name} and in all states. Lines show 95% confidence intervals.")
    if snapshot.source.synthetic:
        subtitle = f"{SYNTHETIC_LABEL}. {subtitle}"
    notes = [f"{name}: {k_of_n(share['k'], share['n'])} ({pct1(share['share'])}), {facts['verdict']} "
             f"({pct1(facts['national']['share'])})."]
    national_table = national
    with use_style(theme, size) as colours:
        fig = new_figure(max(0.55, 0.07 * len(local) + 0.3))
        ax = fig.add_subplot()
        y = np.arange(len(local))[::-1]
        for offset, series, colour in ((0.2, name, colours.accent), (-0.2, "All states", colours.grey)):
            part = data[data["series"] == series]
            shares = part["share"].astype(float).fillna(0).to_numpy()
            ax.barh(y + offset, shares, height=0.38, color=colour, label=series, zorder=2)
            ax.hlines(y + offset, part["ci_low"].astype(float), part["ci_high"].astype(float), color=colours.reference,
                      linewidth=1, zorder=3)
            for yi, s, k, n in zip(y + offset, shares, part["k"], part["n"], strict=True):
                ax.text(1.02, yi, f"{pct(s)}  {k_of_n(k, n)}", va="center", ha="left", fontsize=SMALL_PT - 1,
                        color=colours.text, transform=ax.get_yaxis_transform())
        ax.set_yticks(y, list(local["group"].astype(str)))
        ax.xaxis.set_major_formatter(lambda v, _: f"{v:.0%}")
        ax.set_xlim(0, max(0.05, float(data["ci_high"].astype(float).max()) * 1.05))
        ax.legend(loc="lower right", fontsize=SMALL_PT, frameon=False)
        source = source_line(snapshot)
        frame_chart(fig, title, subtitle, source, notes, snapshot.as_of_label)
    body = "False-confession share by crime: " + "; ".join(
        f"{r['group']}: {name} {pct1(r['share'])} ({k_of_n(r['k'], r['n'])}), all states "
        f"{pct1(national.loc[r['group'], 'share'])}" for _, r in local.iterrows()) + "."
    return ChartSpec(slug=chart_slug(facts["slug"]), fig=fig, data=data, title=title, subtitle=subtitle,
                     notes=notes, alt_text=f"Grouped horizontal bar chart. {title}. {body} {source}. "
                                           f"{snapshot.as_of_label}.",
                     source_line=source, as_of=snapshot.as_of_label, key_numbers=[pct1(share["share"])],
                     snapshot=snapshot, table="crime_category",
                     render=functools.partial(state_chart, snapshot, facts, national_table))


def write_sheet(snapshot: Snapshot, facts: dict, out_root: Path, national: pd.DataFrame | None = None) -> Path:
    """``out_root/<slug>/``: the chart bundle, ``facts.json`` and ``index.html``; returns the page's path."""
    folder = Path(out_root) / facts["slug"]
    folder.mkdir(parents=True, exist_ok=True)
    spec = state_chart(snapshot, facts, national)
    try:
        meta = write_bundle(spec, folder, skip=SKIP)
    finally:
        spec.fig.clear()
    facts = {**facts, "chart": {"folder": spec.slug, "meta": f"{spec.slug}/meta.json"}}
    write_text(folder / "facts.json", json.dumps(facts, indent=2, ensure_ascii=False, default=str) + "\n")
    files = {f["role"]: f"{spec.slug}/{f['file']}" for f in meta["files"]}
    downloads = {FILE_LABELS.get(role, role): path for role, path in files.items()}
    page = _environment().get_template("state.html.j2").render(
        f=facts, chart=meta, files=files, downloads=downloads, css=_css(), csp=CSP, small_n=SMALL_N,
        min_sheet=MIN_SHEET,
        synthetic=SYNTHETIC_LABEL if facts["synthetic"] else None, **_terms(facts["synthetic"]))
    write_text(folder / "index.html", page)
    return folder / "index.html"


def write_index(snapshot: Snapshot, out_root: Path) -> Path:
    """``out_root/index.html``: every jurisdiction with its numbers, a link to its sheet when it has one."""
    states = jurisdictions(snapshot)
    rows = [{"name": r["group"], "slug": r["slug"], "n": int(r["n"]), "k": int(r["k"]), "share": r["share"],
             "ci_low": r["ci_low"], "ci_high": r["ci_high"], "sheet": bool(r["sheet"])} for _, r in states.iterrows()]
    page = _environment().get_template("states_index.html.j2").render(
        rows=rows, css=_css(), csp=CSP, min_sheet=MIN_SHEET, small_n=SMALL_N, when=snapshot.as_of_label,
        interval_method=", ".join(sorted(set(states["interval_method"]))) if len(states) else "Wilson",
        synthetic=SYNTHETIC_LABEL if snapshot.source.synthetic else None, **_terms(snapshot.source.synthetic))
    Path(out_root).mkdir(parents=True, exist_ok=True)
    write_text(Path(out_root) / "index.html", page)
    remove_stale_sheets(Path(out_root), {row["slug"] for row in rows if row["sheet"]})
    return Path(out_root) / "index.html"


def remove_stale_sheets(out_root: Path, current: set[str]) -> list[str]:
    """Remove the sheets under ``out_root`` of jurisdictions that no longer get one (a sheet is a folder holding
    ``facts.json``; e.g. built from an older snapshot, or a state now under the threshold), so no page shows
    another snapshot's numbers. Anything else in the folder is left alone. Returns the slugs removed."""
    import shutil

    stale = sorted(p.name for p in out_root.iterdir()
                   if p.is_dir() and p.name not in current and (p / "facts.json").is_file())
    for slug in stale:
        shutil.rmtree(out_root / slug)
    return stale


def shard_of(slugs: Sequence[str], shard: int, shards: int = SHARDS) -> list[str]:
    """The sheets of shard ``shard``: every ``shards``-th, largest jurisdictions first (balanced work)."""
    return list(slugs)[shard::shards]


def build_shard(snapshot: Snapshot, out_root: Path, shard: int, shards: int = SHARDS) -> list[str]:
    """Write the sheets of one shard and ``out_root/shard-<shard>.json`` (the slugs written); returns them."""
    states = jurisdictions(snapshot)
    rank_table = ranks(states)
    eligible = states[states["sheet"]]
    mine = shard_of(list(eligible["slug"]), shard, shards)
    national = national_by_crime(snapshot)
    for name, sheet in zip(eligible["group"], eligible["slug"], strict=True):
        if sheet in mine:
            write_sheet(snapshot, state_facts(snapshot, name, states, rank_table), out_root, national)
    write_text(Path(out_root) / f"shard-{shard}.json", json.dumps({"shard": shard, "of": shards, "sheets": mine},
                                                                  indent=1) + "\n")
    return mine


def build_states(where: Paths, snapshot: Snapshot | None = None) -> tuple[Path, list[str]]:
    """Every sheet and the index under ``reports/states/`` (one process; the pipeline runs the shards in its pool).
    Returns the index's path and the sheets written."""
    from analysis.normalise.load import load_processed

    snapshot = snapshot or load_processed(where)
    out = where.reports / "states"
    written = [s for shard in range(SHARDS) for s in build_shard(snapshot, out, shard)]
    return write_index(snapshot, out), written
