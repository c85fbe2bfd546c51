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


def process_newest(where: Paths, snapshot_id: str, as_of: str | None = None) -> str:
    """The snapshot → data/processed/, with the columns it lacks carried from older snapshots
    (``compare.carry.process_with_carry``); the detail line says how many DNA records got ``dna_minor``. With
    ``as_of`` (``build --as-of``) the processed metadata records it, and every reader of the processed table
    (:func:`analysis.normalise.load.load_processed`) sees the records posted by then."""
    from analysis.compare.carry import carry_text, process_with_carry
    from analysis.errors import UserError

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            meta, result, carried = process_with_carry(snapshot_id, where)
        except UserError as exc:
            raise UserError(f"snapshot {snapshot_id} cannot be processed: {exc}. The outputs of the last good build "
                            f"are kept. Build from another snapshot with `confessions all --snapshot ID`, or remove "
                            f"this one with `confessions snapshots remove {snapshot_id}`") from None
        if as_of:
            write_text(where.processed_meta, json.dumps({**meta, "as_of": as_of}, indent=2, sort_keys=True,
                                                        default=str) + "\n")
    # what the reader said is in the result (counted below, kept in the processed meta); a stored snapshot left
    # out of the carry is said here
    left_out = [str(w.message) for w in caught if "left out of the history" in str(w.message)]
    note = processing_notes(result) + "".join(f"; {m}" for m in left_out)
    carry = carry_text(carried, result.table)
    scope = f", as of {as_of}" if as_of else ""
    return f"{meta['rows']} rows from {snapshot_id}{scope}{note}" + (f"; {carry}" if carry else "")


def processing_notes(result, shown: int = 3) -> str:  # noqa: ANN001 - normalise.Normalised
    """``", 3 value(s) quarantined: row 12, column 'Age': '1e1' …; …; 2 notes: …"`` for the terminal: the counts
    and the first few, with where the rest are (``data/processed/exonerations.meta.json``)."""
    from analysis.formats.cells import Problems

    parts = [Problems(result.quarantined).summary(shown)] if result.quarantined else []
    if result.warnings:
        parts.append(f"{len(result.warnings)} note(s): " + "; ".join(result.warnings[:shown]))
    if not parts:
        return ""
    return ", " + "; ".join(parts) + " — all in data/processed/exonerations.meta.json"


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
    roster = ip_match.stored_roster()
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
    compared = diff.diff_refs(*pair)
    diff.update_changelog(target, diff.changelog_entry(compared), pair[1])
    diff.write_changes(compared, where.reports)
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


def skipped_marker(where: Paths, slug: str) -> Path:
    """Written when chart ``slug`` cannot be drawn from these data (``ChartUnavailable``): the step's output, so a
    no-op run does not retry it; removed when the chart is drawn."""
    return where.figures / f".{slug}.skipped"


def chart_outputs(where: Paths, slug: str) -> list[Path]:
    """A chart step's output: its bundle's meta.json, or the marker saying why it was skipped."""
    marker = skipped_marker(where, slug)
    return [marker] if marker.is_file() and not (where.figures / slug / "meta.json").is_file() else [
        where.figures / slug / "meta.json"]


def chart(where: Paths, slug: str) -> str:
    """Draw one chart bundle; a chart these data cannot support (too few cases, no history) is skipped: its old
    bundle is removed (it would show other data) and the reason is said, not raised."""
    import shutil

    from analysis.charts.bundle import build_chart
    from analysis.charts.registry import ChartUnavailable

    marker = skipped_marker(where, slug)
    try:
        build_chart(slug, load_processed(where), chart_context(where), where.figures)
    except ChartUnavailable as exc:
        shutil.rmtree(where.figures / slug, ignore_errors=True)
        write_text(marker, f"{exc}\n")
        return f"skipped: {exc}"
    marker.unlink(missing_ok=True)
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


def states_shard(where: Paths, shard: int) -> str:
    """One shard of the state fact sheets (``analysis.narrate.states.build_shard``)."""
    from analysis.narrate.states import build_shard

    written = build_shard(load_processed(where), where.reports / "states", shard)
    return f"{len(written)} fact sheet(s)"


def states_shard_outputs(where: Paths, shard: int) -> list[Path]:
    """The shard's list, and each sheet it wrote (page, facts, chart meta); just the list before a first run."""
    from analysis.narrate.states import chart_slug

    listing = where.reports / "states" / f"shard-{shard}.json"
    try:
        sheets = json.loads(listing.read_text(encoding="utf-8"))["sheets"]
    except (OSError, ValueError, KeyError):
        return [listing]
    folders = [where.reports / "states" / s for s in sheets]
    return [listing, *(f / name for f in folders for name in ("index.html", "facts.json")),
            *(f / chart_slug(f.name) / "meta.json" for f in folders)]


def states_index(where: Paths) -> str:
    from analysis.narrate.states import write_index

    path = write_index(load_processed(where), where.reports / "states")
    return str(path.relative_to(where.root))


def states_job(root: str, shard: int) -> str:
    """Worker-process entry point for one shard of state fact sheets (picklable)."""
    return states_shard(Paths(Path(root)), shard)


def states_index_job(root: str) -> str:
    """Worker-process entry point for the states index page (picklable)."""
    return states_index(Paths(Path(root)))


def report(where: Paths) -> str:
    from analysis.narrate.report import build_report

    path = build_report(where)
    return str(path.relative_to(where.root))
