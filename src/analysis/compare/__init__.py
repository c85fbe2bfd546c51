"""``confessions diff OLD NEW``: what changed between two registry snapshots, and the data changelog.

Load both snapshots (here) / match their records (:mod:`analysis.compare.match`) / compare what matched
(:mod:`analysis.compare.diff`) / write a Keep a Changelog entry (:mod:`analysis.compare.changelog`).

Records are matched across snapshots of any format (:func:`match_records`): by the registry's case number when both
sides publish it, else by blocking on normalised last name + state and scoring the candidates on first name,
county, crime, years and age (one-to-one, greedy by score), and finally, for what is left, on any shared name token
(catches first/last swaps such as ``Habib Warith`` and compound family names split differently). The comparison
(:func:`diff_snapshots`) lists added, removed and changed records, factors and tags switched on or off, schema
changes in the raw headers and the headline numbers of :data:`analysis.analyse.definitions.DEFINITIONS` that moved.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
import warnings
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from analysis.analyse.rates import wilson_interval
from analysis.compare.carry import Carried, carry_columns, carry_text, process_with_carry
from analysis.compare.changelog import (
    CHANGELOG_HEADER,
    PLACEHOLDER,
    _percent,
    _points,
    changelog_entry,
    placeholder,
    update_changelog,
)
from analysis.compare.changes_file import write_changes
from analysis.compare.diff import (
    KNOWN_RENAMES,
    CodingChange,
    FieldChange,
    HeadlineChange,
    SchemaChange,
    SnapshotDiff,
    diff_snapshots,
    headline_changes,
    md_text,
    schema_changes,
)
from analysis.compare.match import MATCH_COLUMNS, match_records
from analysis.errors import UserError
from analysis.formats.names import name_tokens
from analysis.settings import paths

__all__ = [
    "CHANGELOG_HEADER", "KNOWN_RENAMES", "MATCH_COLUMNS", "PLACEHOLDER", "Carried", "CodingChange", "FieldChange",
    "HeadlineChange", "Loaded", "SchemaChange", "SnapshotDiff", "carry_columns", "carry_text", "changelog_entry",
    "diff_refs", "diff_snapshots", "headline_changes", "load_file", "load_snapshot", "match_records", "md_text",
    "name_tokens", "newest_pair", "placeholder", "process_with_carry", "run", "schema_changes", "summary",
    "update_changelog", "write_changes",
]


@dataclass
class Loaded:
    """A snapshot ready to compare: its canonical table, metadata and raw header."""

    table: pd.DataFrame
    meta: dict
    columns: list[str]


def load_file(path: Path, meta: dict | None = None) -> Loaded:
    """Read and normalise one export file (warnings about values are silenced: ``confessions process`` reports
    them)."""
    from analysis.formats import read_export
    from analysis.normalise import canonical_table

    path = Path(path)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        read = read_export(path)
        if read.source != "nre":
            raise UserError(f"{path.name} is an Innocence Project file, not a registry export")
        result = canonical_table(read)
    if meta is None:
        sha = hashlib.sha256(path.read_bytes()).hexdigest()
        meta = {"snapshot_id": path.name, "snapshot_date": read.snapshot_date, "sha256": sha}
    meta = {**meta, "format": result.format}
    return Loaded(result.table, meta, [str(c) for c in read.frame.columns])


def load_snapshot(ref: str) -> Loaded:
    """A stored NRE snapshot by id, or (when no snapshot has that id) an export file by path."""
    from analysis.ingest.store import get_snapshot, snapshot_file

    try:
        manifest = get_snapshot(ref, source="nre")
    except UserError:
        if Path(ref).is_file():
            return load_file(Path(ref))
        raise
    meta = {"snapshot_id": manifest.snapshot_id, "snapshot_date": manifest.snapshot_date,
            "sha256": manifest.sha256}
    return load_file(snapshot_file(manifest), meta)


def diff_refs(old_ref: str, new_ref: str) -> SnapshotDiff:
    """Diff two stored snapshots (by id) or export files (by path)."""
    old, new = load_snapshot(old_ref), load_snapshot(new_ref)
    return diff_snapshots(old.table, new.table, old.meta, new.meta, old.columns, new.columns)


def newest_pair() -> tuple[str, str] | None:
    """Ids of the two newest dated NRE snapshots (older first), or None when fewer than two are stored."""
    from analysis.ingest.store import list_snapshots

    dated = [m for m in list_snapshots("nre") if m.snapshot_date]
    return (dated[-2].snapshot_id, dated[-1].snapshot_id) if len(dated) >= 2 else None


def summary(diff: SnapshotDiff, top: int = 8) -> str:
    """A few lines for the terminal: counts and the largest changes."""
    methods = Counter(diff.matches["method"].dropna())
    how = ", ".join(f"{m} {k:,}" for m, k in methods.most_common() if m != "unmatched")
    lines = [
        f"{diff.old_meta.get('snapshot_id')} ({diff.old_rows:,} records) → {diff.new_meta.get('snapshot_id')} "
        f"({diff.new_rows:,} records)",
        f"matched {diff.matched:,} of {diff.old_rows:,} old records ({_percent(diff.matched, diff.old_rows)}; "
        f"{how or 'none'})",
        f"added {len(diff.added):,}, removed {len(diff.removed):,}, changed {diff.changed_records:,} "
        f"({len(diff.changes):,} field changes)",
    ]
    counts = diff.field_counts()
    if counts:
        lines.append("fields changed: " + ", ".join(f"{f} {k:,}" for f, k in counts.most_common(top)))
    if diff.coding:
        worst = sorted(diff.coding.values(), key=lambda c: -(c.on + c.off))[:top]
        lines.append("coding: " + ", ".join(f"{c.field} +{c.on}/-{c.off}" for c in worst))
    s = diff.schema
    if not s.empty:
        lines.append(f"schema: {len(s.added)} column(s) added, {len(s.removed)} removed, {len(s.renamed)} renamed"
                     + (", order changed" if s.reordered else ""))
    lines.extend(headline_lines(diff))
    return "\n".join(lines)


def _share_with_interval(k: int | None, n: int | None) -> str:
    if k is None or not n:
        return "not computable"
    low, high = wilson_interval(int(k), int(n))
    return f"{k / n:.1%} [{low:.1%}–{high:.1%}] ({int(k):,}/{int(n):,})"


def headline_lines(diff: SnapshotDiff) -> list[str]:
    """Every headline share, old → new with its 95% Wilson interval and k/n, in the order of the definitions
    (never cut to the largest movers: ``fc_share_all`` is always there)."""
    lines = ["headline shares (old → new, 95% CI):"]
    for h in diff.headlines:
        old, new = _share_with_interval(h.old_k, h.old_n), _share_with_interval(h.new_k, h.new_n)
        moved = f" ({_points(h.change_points)})" if h.change_points is not None else ""
        lines.append(f"  {h.id}: {old} → {new}{moved}")
    return lines


def order_warning(diff: SnapshotDiff) -> str | None:
    """A warning when OLD is newer than NEW (by snapshot date): the changes read backwards."""
    old, new = diff.old_meta.get("snapshot_date"), diff.new_meta.get("snapshot_date")
    if old and new and str(old) > str(new):
        return (f"warning: OLD ({old}) is newer than NEW ({new}): every change below reads backwards; "
                "swap them for the usual direction")
    return None


def run(args: argparse.Namespace) -> int:
    """``confessions diff OLD NEW [--write]``: print a summary; with ``--write`` update reports/CHANGES.md."""
    diff = diff_refs(args.old, args.new)
    warning = order_warning(diff)
    if warning:
        print(warning, file=sys.stderr)
    print(summary(diff))
    if getattr(args, "write", False):
        where = paths()
        target = where.reports / "CHANGES.md"
        update_changelog(target, changelog_entry(diff), str(diff.new_meta["snapshot_id"]))
        written = [target, *write_changes(diff, where.reports)]
        print("updated " + ", ".join(str(p.relative_to(where.root) if p.is_relative_to(where.root) else p)
                                     for p in written))
    return 0
