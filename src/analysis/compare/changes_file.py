"""``reports/changes.json`` and ``reports/changes.csv``: what changed between two snapshots, for programs.

The machine-readable twin of a ``CHANGES.md`` entry, for the same two snapshots: every record added or removed
(by record id, with its name and state as published), every field changed in a matched record (old and new
value), the headline shares old → new with their 95% Wilson intervals, and the schema changes. These files hold
record-level registry data: they are working files for the project's users, kept local like ``CHANGES.md``, never
for publication (the registry's terms forbid posting any part of its spreadsheet).

``changes.csv`` has one row per change: ``kind`` (``added``, ``removed``, ``changed``), ``old_id``, ``new_id``,
``record`` (name and state, as in ``CHANGES.md``), ``field``, ``old``, ``new``.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pandas as pd

from analysis.analyse.rates import wilson_interval
from analysis.compare.diff import SnapshotDiff, _labels
from analysis.files import to_safe_csv, write_text, write_with

__all__ = ["CSV_COLUMNS", "changes_frame", "changes_json", "write_changes"]

CSV_COLUMNS = ["kind", "old_id", "new_id", "record", "field", "old", "new"]


def _plain(value: object) -> object:
    if value is None or (not isinstance(value, str | list | dict) and pd.isna(value)):
        return None
    if isinstance(value, dt.date | pd.Timestamp):
        return value.isoformat()[:10] if not isinstance(value, pd.Timestamp) or value == value.normalize() else \
            value.isoformat()
    if hasattr(value, "item"):
        return value.item()
    return value


def _who(row: pd.Series) -> dict:
    return {"record_id": _plain(row.get("record_id")), "name": _plain(row.get("name")),
            "state": _plain(row.get("state"))}


def _share(k: int | None, n: int | None) -> dict | None:
    if k is None or not n:
        return None
    low, high = wilson_interval(int(k), int(n))
    return {"k": int(k), "n": int(n), "share": k / n, "ci_low": low, "ci_high": high}


def changes_json(diff: SnapshotDiff) -> dict:
    """Everything in ``diff`` as plain JSON-ready data."""
    changed: dict[tuple[str, str], dict] = {}
    for c in diff.changes:
        entry = changed.setdefault((c.old_id, c.new_id), {"old_id": c.old_id, "new_id": c.new_id,
                                                          "record": c.record, "fields": {}})
        entry["fields"][c.field] = {"old": _plain(c.old), "new": _plain(c.new)}
    meta = {side: {k: _plain(v) for k, v in m.items()} for side, m in (("old", diff.old_meta),
                                                                           ("new", diff.new_meta))}
    return {
        **meta,
        "counts": {"old_rows": diff.old_rows, "new_rows": diff.new_rows, "matched": diff.matched,
                   "added": len(diff.added), "removed": len(diff.removed), "changed": diff.changed_records,
                   "field_changes": len(diff.changes)},
        "added": [_who(r) for _, r in diff.added.iterrows()],
        "removed": [_who(r) for _, r in diff.removed.iterrows()],
        "changed": list(changed.values()),
        "coding": {f: {"on": c.on, "off": c.off} for f, c in diff.coding.items()},
        "schema": {"added": diff.schema.added, "removed": diff.schema.removed,
                   "renamed": [list(r) for r in diff.schema.renamed], "reordered": diff.schema.reordered},
        "headlines": [{"id": h.id, "meaning": h.meaning, "old": _share(h.old_k, h.old_n),
                       "new": _share(h.new_k, h.new_n), "change_points": h.change_points} for h in diff.headlines],
    }


def changes_frame(diff: SnapshotDiff) -> pd.DataFrame:
    """One row per record added or removed and per field changed (:data:`CSV_COLUMNS`)."""
    rows = []
    for kind, table, id_col in (("added", diff.added, "new_id"), ("removed", diff.removed, "old_id")):
        labels = _labels(table)
        for (_, r), label in zip(table.iterrows(), labels, strict=True):
            rows.append({"kind": kind, id_col: _plain(r.get("record_id")), "record": label})
    for c in diff.changes:
        rows.append({"kind": "changed", "old_id": c.old_id, "new_id": c.new_id, "record": c.record,
                     "field": c.field, "old": _plain(c.old), "new": _plain(c.new)})
    return pd.DataFrame(rows, columns=CSV_COLUMNS)


def write_changes(diff: SnapshotDiff, reports: Path) -> list[Path]:
    """Write ``changes.json`` and ``changes.csv`` into ``reports`` (atomically); returns both paths."""
    reports = Path(reports)
    json_path, csv_path = reports / "changes.json", reports / "changes.csv"
    write_text(json_path, json.dumps(changes_json(diff), indent=2, ensure_ascii=False, default=str) + "\n")
    frame = changes_frame(diff)
    write_with(csv_path, lambda tmp: to_safe_csv(frame, tmp))
    return [json_path, csv_path]
