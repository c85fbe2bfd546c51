"""What changed between two canonical tables: the raw-header schema, field values and coding, headline numbers.

:func:`diff_snapshots` matches the records (:func:`analysis.compare.match.match_records`) and returns a
:class:`SnapshotDiff`: added, removed and changed records (:class:`FieldChange`), factors and tags switched on or off
(:class:`CodingChange`), changes in the raw headers (:func:`schema_changes`) and the headline numbers of
:data:`analysis.analyse.definitions.DEFINITIONS` that moved (:func:`headline_changes`). Record labels in the result
are already escaped for Markdown (:func:`md_text`).
"""

from __future__ import annotations

import difflib
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from typing import Any, NamedTuple

import numpy as np
import pandas as pd

from analysis.compare.match import match_records
from analysis.errors import UserError
from analysis.formats.names import name_tokens
from analysis.inert import display
from analysis.normalise.schema import BY_NAME, COLUMN_NAMES

# --------------------------------------------------------------------------------------------------------------
# Schema changes in the raw headers

# old header → new header(s), from SOURCES.md (column mapping old public spreadsheet → new export, list view,
# and the renames between public-spreadsheet vintages)
KNOWN_RENAMES: dict[str, tuple[str, ...]] = {
    "Last Name": ("Name",), "First Name": ("Name",), "Last": ("Last Name", "Name"), "First": ("First Name", "Name"),
    "ST": ("State",), "Crime": ("Worst Crime Display",),
    "Age": ("Age at Crime Years",), "County": ("County of Crime",),
    "Tags": ("Case Characteristics", "Child Victim"),
    "OM Tags": ("OF - OM by Police Officer", "PR: Prosecutor Misconduct", "CW - OM by Child Welfare Worker",
                "FA - OM by Forensic Analyst", "WH - Exculpatory withheld", "Witness Tampering by OA?",
                "NW - OM not withholding", "KP - Prosecutor permitted perjury", "PJ - Perjury by OA",
                "INT - Misconduct in Interrogation", "PL - Prosecutor Lied in Court"),
    "Occurred": ("Date of Crime Year",),
    "Convicted": ("Date of 1st Conviction", "Date of 1st Convic"),
    "Exonerated": ("Date of Exoneration", "Date of Exon"),
    "Date of 1st Conviction": ("Date of 1st Convic",), "Date of Exoneration": ("Date of Exon",),
    "FC": ("False Confession",), "MWID": ("Mistaken Witness ID",),
    "F/MFE": ("False or Misleading Forensic Evidence",), "P/FA": ("Perjury or False Accusation?",),
    "OM": ("Official Misconduct",), "ILD": ("Inadequate Legal Defense",),
    "dna_essential": ("*",), "*": ("dna_essential",),
    "Age at Crime Yrs": ("Age at Crime Years",),
}
SIMILAR_CUTOFF = 0.75


@dataclass
class SchemaChange:
    """Changes in the raw header: columns added, removed, renamed (old, new, basis) and whether the order of the
    columns both headers share changed."""

    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    renamed: list[tuple[str, str, str]] = field(default_factory=list)
    reordered: bool = False

    @property
    def empty(self) -> bool:
        return not (self.added or self.removed or self.renamed or self.reordered)


def _similarity(a: str, b: str) -> float:
    """difflib ratio of two column names (case ignored); at least 0.8 when one starts with the other (5+ letters:
    ``Worst Crime`` / ``Worst Crime Display``)."""
    x, y = a.lower().strip(), b.lower().strip()
    ratio = difflib.SequenceMatcher(None, x, y).ratio()
    short, long_ = sorted((x, y), key=len)
    return max(ratio, 0.8) if len(short) >= 5 and long_.startswith(short) else ratio


def schema_changes(old_columns: list[str], new_columns: list[str]) -> SchemaChange:
    """Compare two raw headers: renames come from :data:`KNOWN_RENAMES` (basis ``known``) or, for what is left,
    from similar names (difflib ratio ≥ 0.75 or one name starting the other, basis ``similar``); the rest is
    added or removed."""
    old_cols = [str(c).strip() for c in old_columns]
    new_cols = [str(c).strip() for c in new_columns]
    old_set, new_set = set(old_cols), set(new_cols)
    removed = [c for c in old_cols if c not in new_set]
    added = [c for c in new_cols if c not in old_set]
    renamed: list[tuple[str, str, str]] = []
    for col in removed:
        for target in added:  # the map read both ways: a diff may also compare a newer file with an older one
            if target in KNOWN_RENAMES.get(col, ()) or col in KNOWN_RENAMES.get(target, ()):
                renamed.append((col, target, "known"))
    gone = {r[0] for r in renamed}
    came = {r[1] for r in renamed}
    pairs = sorted(
        ((_similarity(r, a), r, a) for r in removed if r not in gone for a in added if a not in came),
        key=lambda t: (-t[0], t[1], t[2]),
    )
    for ratio, r, a in pairs:
        if ratio >= SIMILAR_CUTOFF and r not in gone and a not in came:
            renamed.append((r, a, "similar"))
            gone.add(r)
            came.add(a)
    common_old = [c for c in old_cols if c in new_set]
    common_new = [c for c in new_cols if c in old_set]
    return SchemaChange(
        added=[c for c in added if c not in came], removed=[c for c in removed if c not in gone],
        renamed=renamed, reordered=common_old != common_new,
    )


# --------------------------------------------------------------------------------------------------------------
# Field values, coding and headline numbers


class FieldChange(NamedTuple):
    """One value that changed in a matched record (``record`` is its label in the new snapshot)."""

    record: str
    field: str
    old: Any
    new: Any
    old_id: str
    new_id: str


@dataclass
class CodingChange:
    """A factor or tag switched on (False → True) or off (True → False) in matched records."""

    field: str
    on: int
    off: int
    examples: list[str]


@dataclass
class HeadlineChange:
    """One named definition computed on both snapshots (None where it could not be computed)."""

    id: str
    meaning: str
    old_k: int | None
    old_n: int | None
    old_share: float | None
    new_k: int | None
    new_n: int | None
    new_share: float | None

    @property
    def change_points(self) -> float | None:
        """Change of the share in percentage points."""
        if self.old_share is None or self.new_share is None:
            return None
        return (self.new_share - self.old_share) * 100


@dataclass
class SnapshotDiff:
    """Everything that changed between two snapshots."""

    old_meta: dict
    new_meta: dict
    matches: pd.DataFrame
    added: pd.DataFrame  # rows of the new table without a counterpart
    removed: pd.DataFrame  # rows of the old table without a counterpart
    changes: list[FieldChange]
    compared_fields: list[str]
    coding: dict[str, CodingChange]
    schema: SchemaChange
    headlines: list[HeadlineChange]
    old_rows: int = 0
    new_rows: int = 0

    @property
    def matched(self) -> int:
        """Number of matched pairs."""
        return int((self.matches["old_id"].notna() & self.matches["new_id"].notna()).sum())

    @property
    def changed_records(self) -> int:
        """Number of matched records with at least one changed field."""
        return len({c.new_id for c in self.changes})

    def field_counts(self) -> Counter:
        """Records changed per field."""
        return Counter(c.field for c in self.changes)


# fields not compared: identifiers, the parts of the name (the whole name is compared: exports split it
# differently) and columns derived from another compared column (they would repeat its changes)
NOT_COMPARED = frozenset({"record_id", "registry_id", "first_name", "last_name", "juvenile", "crime_category",
                          "child_sex_abuse", "state_abbr", "years_lost_basis"})
NOT_CODING = frozenset({"juvenile", "child_sex_abuse", "pre_1989", "federal"})
FLOAT_TOLERANCE = 0.05


def _py(v: object) -> object:
    if v is None or (not isinstance(v, str) and pd.isna(v)):
        return None
    if isinstance(v, pd.Timestamp):
        return v.date() if v == v.normalize() else v.to_pydatetime()
    if isinstance(v, np.generic):
        return v.item()
    return v


def _all_missing(table: pd.DataFrame, col: str) -> bool:
    return col not in table.columns or bool(table[col].isna().all())


def _differs(a: pd.Series, b: pd.Series, col: str) -> np.ndarray:
    """Which pairs differ: names by their normalised words, other text ignoring case and runs of whitespace,
    floats beyond a tolerance, flags only True against False (a flag missing on one side cannot tell)."""
    dtype = BY_NAME[col].dtype
    a = a.reset_index(drop=True)
    b = b.reset_index(drop=True)
    na_a, na_b = a.isna().to_numpy(bool), b.isna().to_numpy(bool)
    both = ~na_a & ~na_b
    if col == "name":
        neq = np.array([name_tokens(x) != name_tokens(y) for x, y in zip(a, b, strict=True)], dtype=bool)
    elif dtype == "string":
        a = a.astype("string").str.split().str.join(" ").str.casefold()
        b = b.astype("string").str.split().str.join(" ").str.casefold()
        neq = (a != b).fillna(False).to_numpy(bool)
    elif dtype == "Float64":
        neq = ((a - b).abs() > FLOAT_TOLERANCE).fillna(False).to_numpy(bool)
    else:
        neq = (a != b).fillna(False).to_numpy(bool)
    if dtype == "boolean":
        return both & neq
    return (na_a != na_b) | (both & neq)


MARKDOWN_SPECIAL = str.maketrans({c: "\\" + c for c in "\\`*_[]|#!~"}
                                 | {"<": "&lt;", ">": "&gt;", "&": "&amp;", ":": "&#58;", "@": "&#64;"})


def md_text(value: object) -> str:
    """Data-derived text made inert in Markdown, the one escaping function for it: no HTML, links (``:`` and ``@``
    as entities, so no renderer autolinks ``http://…`` or an e-mail address), emphasis, strikethrough, headings or
    table breaks can come from a name; line breaks become spaces and bidi and other invisible format characters are
    removed (:func:`analysis.inert.display`)."""
    return display(value).translate(MARKDOWN_SPECIAL)


def _label(row: pd.Series) -> str:
    name = row.get("name")
    where = row.get("state_abbr")
    if not isinstance(where, str):
        where = row.get("state") if isinstance(row.get("state"), str) else ""
    name = md_text(" ".join(name.split())) if isinstance(name, str) else "(no name)"
    return f"{name} ({md_text(where)})" if where else name


def _labels(table: pd.DataFrame) -> list[str]:
    return [_label(row) for _, row in table[[c for c in ("name", "state", "state_abbr") if c in table]].iterrows()]


def _meta_for_stats(meta: dict) -> dict:
    out = dict(meta)
    if isinstance(out.get("snapshot_date"), date):
        out["snapshot_date"] = out["snapshot_date"].isoformat()
    return out


def headline_changes(old_table: pd.DataFrame, new_table: pd.DataFrame, old_meta: dict,
                     new_meta: dict) -> list[HeadlineChange]:
    """Every definition of ``analysis.analyse.definitions.DEFINITIONS`` computed on both tables."""
    from analysis.analyse.definitions import DEFINITIONS, compute_definition
    from analysis.snapshot import Snapshot, Source

    def stat(table: pd.DataFrame, d: object, meta: dict) -> tuple[int | None, int | None, float | None]:
        try:
            s = compute_definition(Snapshot(Source.from_json(_meta_for_stats(meta)), table), d)
        except UserError:
            return None, None, None
        return s.k, s.n, s.share

    out = []
    for d in DEFINITIONS:
        ok, on, osh = stat(old_table, d, old_meta)
        nk, nn, nsh = stat(new_table, d, new_meta)
        out.append(HeadlineChange(d.id, d.meaning, ok, on, osh, nk, nn, nsh))
    return out


def diff_snapshots(old_table: pd.DataFrame, new_table: pd.DataFrame, old_meta: dict, new_meta: dict,
                   old_columns: list[str], new_columns: list[str]) -> SnapshotDiff:
    """Compare two canonical tables (and their raw headers).

    Field changes are computed over the canonical columns both tables use (a column missing in every row of
    either table, such as a tag not yet introduced, is not compared; see :data:`NOT_COMPARED`). Names are compared
    by their normalised words, other text ignoring case and whitespace, flags only where both sides say True or
    False, ``years_lost`` only where both sides obtained it the same way.
    """
    old_table = old_table.reset_index(drop=True)
    new_table = new_table.reset_index(drop=True)
    matches = match_records(old_table, new_table)
    pairs = matches[matches["old_id"].notna() & matches["new_id"].notna()]
    old_pos = pd.Series(range(len(old_table)), index=old_table["record_id"].astype("string"))
    new_pos = pd.Series(range(len(new_table)), index=new_table["record_id"].astype("string"))
    o = old_table.iloc[old_pos.loc[pairs["old_id"]].to_numpy()].reset_index(drop=True)
    n = new_table.iloc[new_pos.loc[pairs["new_id"]].to_numpy()].reset_index(drop=True)
    labels = _labels(n)
    old_ids, new_ids = o["record_id"].tolist(), n["record_id"].tolist()

    compared = [c for c in COLUMN_NAMES if c not in NOT_COMPARED and not _all_missing(old_table, c)
                and not _all_missing(new_table, c)]
    changes: list[FieldChange] = []
    for col in compared:
        mask = _differs(o[col], n[col], col)
        if col == "years_lost":
            mask &= (o["years_lost_basis"] == n["years_lost_basis"]).fillna(False).to_numpy(bool)
        for k in np.flatnonzero(mask):
            changes.append(FieldChange(labels[k], col, _py(o[col].iat[k]), _py(n[col].iat[k]), old_ids[k],
                                       new_ids[k]))
    changes.sort(key=lambda c: (c.record, c.field))

    coding: dict[str, CodingChange] = {}
    for col in compared:
        if BY_NAME[col].dtype != "boolean" or col in NOT_CODING:
            continue
        a = o[col].to_numpy(dtype=object, na_value=None)
        b = n[col].to_numpy(dtype=object, na_value=None)
        on = [k for k in range(len(a)) if a[k] is False and b[k] is True]
        off = [k for k in range(len(a)) if a[k] is True and b[k] is False]
        if on or off:
            examples = [f"{labels[k]} on" for k in on[:3]] + [f"{labels[k]} off" for k in off[:3]]
            coding[col] = CodingChange(col, len(on), len(off), examples)

    added = new_table.iloc[new_pos.loc[matches.loc[matches["old_id"].isna(), "new_id"]].to_numpy()]
    removed = old_table.iloc[old_pos.loc[matches.loc[matches["new_id"].isna(), "old_id"]].to_numpy()]
    return SnapshotDiff(
        old_meta=dict(old_meta), new_meta=dict(new_meta), matches=matches, added=added, removed=removed,
        changes=changes, compared_fields=compared, coding=coding,
        schema=schema_changes(list(old_columns), list(new_columns)),
        headlines=headline_changes(old_table, new_table, old_meta, new_meta),
        old_rows=len(old_table), new_rows=len(new_table),
    )
