"""What each pipeline step writes: thin "load inputs / compute / save outputs" functions called by ``pipeline``."""

from __future__ import annotations

import json
import warnings
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from analysis.files import to_safe_csv, write_text, write_with
from analysis.normalise.load import load_processed, snapshot_on_or_before
from analysis.settings import Paths


def process_newest(where: Paths, snapshot_id: str) -> str:
    """The snapshot → data/processed/, with the columns it lacks carried from older snapshots
    (``compare.carry.process_with_carry``); the detail line says how many DNA records got ``dna_minor``."""
    from analysis.compare.carry import carry_text, process_with_carry

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        meta, result, carried = process_with_carry(snapshot_id, where)
    note = f", {len(caught)} warning(s): see data/processed/exonerations.meta.json" if caught else ""
    carry = carry_text(carried, result.table)
    return f"{meta['rows']} rows from {snapshot_id}{note}" + (f"; {carry}" if carry else "")


def _ip_roster(where: Paths) -> pd.DataFrame | None:
    from analysis.formats import read_export
    from analysis.ingest.store import list_snapshots, snapshot_file

    rosters = [m for m in list_snapshots("ip") if m.format == "ip_roster"]
    return read_export(snapshot_file(rosters[-1])).frame if rosters else None


def analyse(where: Paths) -> str:
    """Tables, history, the 32% reconciliation, the Innocence Project match and stats.json."""
    from analysis.analyse import ip_match, reconcile, stats, tables
    from analysis.analyse.history import history_table
    from analysis.normalise.load import all_snapshots

    snapshot = load_processed(where)
    table = snapshot.table
    snapshots = all_snapshots(where)
    history = history_table(snapshots)
    written = tables.write_tables(snapshot, where.tables, history=history)
    recon = reconcile.reconciliation(snapshot, snapshot_on_or_before(snapshots, reconcile.AS_OF))
    write_with(where.tables / "reconciliation.csv", lambda tmp: to_safe_csv(recon, tmp))
    write_text(where.reports / "reconciliation.md", reconcile.reconciliation_paragraph(recon) + "\n")
    headline = stats.headline_stats(snapshot)
    roster = _ip_roster(where)
    if roster is not None:
        matches = ip_match.match_roster(roster, table)
        write_with(where.tables / "ip_match.csv", lambda tmp: to_safe_csv(matches, tmp))
        summary = ip_match.match_summary(matches, table)
        write_text(where.reports / "ip_match.json", json.dumps(summary, indent=2, sort_keys=True, default=str) + "\n")
    stats.write_stats(headline, where.stats_json, snapshot)
    return f"{len(written) + 1} tables, {len(headline)} statistics"


def changelog(where: Paths) -> str:
    """A changelog entry comparing the two newest dated snapshots (fewer than two: a note)."""
    from analysis import compare as diff

    target = where.reports / "CHANGES.md"
    pair = diff.newest_pair()
    if pair is None:
        if not target.exists():
            write_text(target, diff.placeholder())
        return "one snapshot: nothing to compare"
    diff.update_changelog(target, diff.changelog_entry(diff.diff_refs(*pair)), pair[1])
    return f"{pair[0]} → {pair[1]}"


def chart_functions() -> dict[str, Callable]:
    """Every chart slug and the function that draws it: a registered chart's own function (the one its module
    defines), or whatever callable was put in ``CHARTS`` in its place."""
    from analysis.charts import CHARTS

    return {slug: getattr(entry, "function", entry) for slug, entry in CHARTS.items()}


def chart_context(where: Paths) -> dict:
    """The chart context the analyse step wrote: ``history`` and ``reconciliation`` (when there)."""
    ctx: dict = {}
    for name in ("history", "reconciliation"):
        path = where.tables / f"{name}.csv"
        if path.exists():
            ctx[name] = pd.read_csv(path)
    return ctx


def chart(where: Paths, slug: str) -> str:
    from analysis.charts.bundle import build_chart

    build_chart(slug, load_processed(where), chart_context(where), where.figures)
    return ""


def notebooks(where: Paths, names: list[str] | None = None) -> str:
    from analysis.narrate.execute import execute_notebooks

    meta = json.loads(where.processed_meta.read_text())
    done = execute_notebooks(where, {"snapshot": meta["snapshot_id"], "project_root": str(where.root)}, names)
    return f"{len(done)} notebook(s)"


def chart_job(root: str, slug: str) -> str:
    """Worker-process entry point for one chart (picklable)."""
    return chart(Paths(Path(root)), slug)


def notebook_job(root: str, name: str) -> str:
    """Worker-process entry point for one notebook (picklable)."""
    return notebooks(Paths(Path(root)), [name])


def report(where: Paths) -> str:
    from analysis.narrate.report import build_report

    path = build_report(where)
    return str(path.relative_to(where.root))
