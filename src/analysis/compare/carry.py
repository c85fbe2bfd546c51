"""Columns a newer export dropped, carried from the latest older snapshot that had them, through record linkage.

The 2026 export has no ``*`` column (DNA only a minor factor), so on its own it cannot say which DNA exonerations
had DNA at their centre. The stored 2023-09 spreadsheet can, for the records it already held: each record of the
newest snapshot matched to a record of that snapshot (:func:`analysis.compare.match.match_records`) takes that
record's value.

The rule, for every canonical column:

* it is **carried** when the newest table has it missing in every record and at least one older snapshot (dated
  strictly before the newest; undated snapshots cannot be ordered and are never used) has it for at least one
  record; the value comes from the **latest** such snapshot only, so each column has one source;
* it is **never carried** when it is the record's identity (``record_id``, ``registry_id``), the export's own
  bookkeeping (``posting_date``, ``last_update_date``: carried posting dates would make ``--as-of`` views drop the
  unmatched records silently), a column the project derives from the others (``derived`` in the schema: it is
  recomputed, not carried) or a provenance column (``<column>_from``);
* a record keeps the value missing when it matched no record of the source snapshot or was posted after the
  source's snapshot date (the source cannot know about it);
* a column that qualifies a flag (:data:`QUALIFIES`: ``dna_minor`` says how much ``dna`` mattered) is carried only
  where that flag is the same in both snapshots: a record the registry has recoded since (not DNA in 2023-09, DNA
  in 2026) keeps it missing, since the old marker said nothing about a DNA role it did not record;
* provenance: when the schema declares ``<column>_from`` (``dna_minor_from``), it names the source snapshot for
  every filled record; every carried column is also listed, with its counts, in the processed meta's ``carried``.

:func:`process_with_carry` is what ``confessions process`` and the pipeline's process step both run.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, replace

import pandas as pd

from analysis.compare.match import match_records
from analysis.files import write_text
from analysis.normalise import Normalised, process, write_processed
from analysis.normalise.load import all_snapshots
from analysis.normalise.schema import BY_NAME, COLUMNS, dataframe_schema
from analysis.settings import Paths, paths
from analysis.snapshot import Snapshot, Source

NOT_CARRIED = frozenset({"record_id", "registry_id", "posting_date", "last_update_date"})
"""Columns never carried whatever the snapshots hold (see the module docstring); derived and ``_from`` columns
are left out as well."""
QUALIFIES = {"dna_minor": "dna"}
"""Carried column → the flag it qualifies: carried only where that flag agrees in both snapshots."""


def provenance_column(column: str) -> str | None:
    """``<column>_from`` when the schema declares it (``dna_minor_from``), else None."""
    name = f"{column}_from"
    return name if name in BY_NAME else None


def carriable(column: str) -> bool:
    """Whether ``column`` may be carried at all: published data, not identity, bookkeeping, derived or provenance."""
    col = BY_NAME.get(column)
    if col is None or column in NOT_CARRIED or col.derived:
        return False
    return not (column.endswith("_from") and column.removesuffix("_from") in BY_NAME)


@dataclass(frozen=True)
class Carried:
    """One carried column: where it came from and how many records of the newest table it reached."""

    column: str
    source: Source  # the older snapshot the values came from
    matched: int  # newest records matched to a record of the source
    filled: int  # records given a (non-missing) value
    posted_later: int  # matched, but posted after the source's snapshot date: left missing
    recoded: int  # matched, but the qualified flag (QUALIFIES) differs between the snapshots: left missing
    dna_records: int  # DNA records (dna True) in the newest table
    dna_filled: int  # of those, given a value
    true: int | None  # records given True (boolean columns), None otherwise
    dna_true: int | None  # DNA records given True (boolean columns)

    def to_json(self) -> dict:
        """The entry written to the processed meta's ``carried`` list."""
        return {"column": self.column, "from_snapshot": self.source.id, "from_date": self.source.iso,
                "provenance_column": provenance_column(self.column), "matched": self.matched,
                "filled": self.filled, "posted_later": self.posted_later, "recoded": self.recoded,
                "dna_records": self.dna_records,
                "dna_filled": self.dna_filled, "true": self.true, "dna_true": self.dna_true}

    @property
    def text(self) -> str:
        """``dna_minor carried from 2023-09-22-593c02c5 for 581 of 647 DNA records (170 True; 5 recoded since,
        left missing)``: DNA records for ``dna_minor``, all records for any other column."""
        dna = self.column == "dna_minor"
        counts = f"{self.dna_filled:,} of {self.dna_records:,} DNA records" if dna else f"{self.filled:,} records"
        notes = [f"{self.dna_true if dna else self.true:,} True"] if self.true is not None else []
        if self.recoded:
            notes.append(f"{self.recoded:,} recoded since, left missing")
        if self.posted_later:
            notes.append(f"{self.posted_later:,} posted later, left missing")
        return f"{self.column} carried from {self.source.id} for {counts}" + (f" ({'; '.join(notes)})" if notes else "")


def _older(newest: Snapshot, snapshots: Iterable[Snapshot]) -> list[Snapshot]:
    """The snapshots dated strictly before ``newest``, oldest first (ties keep the given order)."""
    day = newest.source.date
    if day is None:
        return []
    dated = [s for s in snapshots if s.source.id != newest.source.id and s.source.date and s.source.date < day]
    return sorted(dated, key=lambda s: s.source.date)


def carry_columns(newest: Snapshot, snapshots: Iterable[Snapshot]) -> tuple[Snapshot, list[Carried]]:
    """Fill the columns ``newest`` lacks from the latest older snapshot that has them (the module's rule).

    ``snapshots``: the stored snapshots (any order; ``newest`` itself and later ones are ignored). Returns the
    newest snapshot with the filled table (a copy; the input is not changed) and one :class:`Carried` per column.
    """
    table = newest.table
    older = _older(newest, snapshots)
    if table.empty or not older:
        return newest, []
    missing = [c.name for c in COLUMNS if c.name in table.columns and carriable(c.name) and table[c.name].isna().all()]
    sources: dict[str, Snapshot] = {}
    for column in missing:
        having = [s for s in older if column in s.table.columns and s.table[column].notna().any()]
        if having:
            sources[column] = having[-1]
    if not sources:
        return newest, []

    out = table.copy()
    dna = table["dna"].fillna(False).astype(bool) if "dna" in table.columns else pd.Series(False, index=table.index)
    posted = table["posting_date"] if "posting_date" in table.columns else pd.Series(pd.NaT, index=table.index)
    new_ids = table["record_id"].astype("string")
    links: dict[str, pd.Series] = {}  # source id -> old record id per newest row (missing: unmatched)
    carried = []
    for column, source in sources.items():
        if source.source.id not in links:
            pairs = match_records(source.table, table).dropna(subset=["old_id", "new_id"])
            links[source.source.id] = new_ids.map(dict(zip(pairs["new_id"], pairs["old_id"], strict=True))).astype(
                "string")  # an empty match would otherwise give a float column
        old_id = links[source.source.id]
        matched = old_id.notna()
        later = matched & posted.notna() & (posted > pd.Timestamp(source.source.date))
        by_id = pd.Series(source.table[column].to_numpy(), index=source.table["record_id"].astype("string"))
        take = matched & ~later
        recoded = pd.Series(False, index=table.index)
        flag = QUALIFIES.get(column)
        if flag and flag in table.columns and flag in source.table.columns:
            old_flag = pd.Series(source.table[flag].to_numpy(), index=source.table["record_id"].astype("string"))
            before = old_flag.reindex(old_id.fillna("")).fillna(False).astype(bool).to_numpy()
            recoded = take & (before != table[flag].fillna(False).astype(bool))
            take &= ~recoded
        values = pd.Series(pd.NA, index=table.index, dtype=BY_NAME[column].dtype)
        values[take] = by_id.reindex(old_id[take]).to_numpy()
        out[column] = values.astype(BY_NAME[column].dtype)
        filled = out[column].notna()
        where_from = provenance_column(column)
        if where_from:
            out[where_from] = pd.Series(pd.NA, index=table.index, dtype=BY_NAME[where_from].dtype).mask(
                filled, source.source.id)
        is_bool = BY_NAME[column].dtype == "boolean"
        true = out[column].fillna(False).astype(bool) if is_bool else None
        carried.append(Carried(
            column=column, source=source.source, matched=int(matched.sum()), filled=int(filled.sum()),
            posted_later=int(later.sum()), recoded=int(recoded.sum()), dna_records=int(dna.sum()),
            dna_filled=int((dna & filled).sum()),
            true=int(true.sum()) if is_bool else None, dna_true=int((dna & true).sum()) if is_bool else None,
        ))
    out = dataframe_schema().validate(out)
    return replace(newest, table=out), carried


def carry_text(carried: list[Carried], table: pd.DataFrame) -> str:
    """One line on what was carried, or why ``dna_minor`` is unknown; empty when there is nothing to say."""
    if carried:
        return "; ".join(c.text for c in carried)
    if "dna_minor" in table.columns and table["dna_minor"].isna().all() and len(table):
        return "dna_minor unknown: no older stored snapshot has the `*` (DNA minor factor) column"
    return ""


def process_with_carry(snapshot_id: str | None = None,
                       where: Paths | None = None) -> tuple[dict, Normalised, list[Carried]]:
    """``normalise.process`` (the snapshot → ``data/processed/``), then carry what it lacks from the older stored
    snapshots and rewrite the processed parquet, csv and meta (atomically, all three together).

    Returns ``(meta, normalised, carried)``; the meta has a ``carried`` list (empty when nothing was carried).
    Used by ``confessions process`` and the pipeline's process step, so both write the same table.
    """
    where = where or paths()
    meta, result = process(snapshot_id, where)
    newest = Snapshot(Source.from_json(meta), result.table)
    filled, carried = carry_columns(newest, all_snapshots(where))
    meta = {**meta, "carried": [c.to_json() for c in carried]}
    if carried:
        result = replace(result, table=filled.table)
        meta = write_processed(result, meta, where)
    else:
        write_text(where.processed_meta, json.dumps(meta, indent=2, sort_keys=True, default=str) + "\n")
    return meta, result, carried
