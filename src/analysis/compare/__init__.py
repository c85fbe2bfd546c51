"""``confessions diff OLD NEW``: what changed between two registry snapshots, and the data changelog.

Load both snapshots / match their records / compare what matched / write a Keep a Changelog entry.

Records are matched across snapshots of any format (:func:`match_records`): by the registry's case number when both
sides publish it, else by blocking on normalised last name + state and scoring the candidates on first name,
county, crime, years and age (one-to-one, greedy by score), and finally, for what is left, on any shared name token
(catches first/last swaps such as ``Habib Warith`` and compound family names split differently). The comparison
(:func:`diff_snapshots`) lists added, removed and changed records, factors and tags switched on or off, schema
changes in the raw headers and the headline numbers of :data:`analysis.analyse.definitions.DEFINITIONS` that moved.
"""

from __future__ import annotations

import argparse
import difflib
import hashlib
import math
import re
import unicodedata
import warnings
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np
import pandas as pd

from analysis.errors import UserError
from analysis.files import write_text
from analysis.normalise.schema import BY_NAME, COLUMN_NAMES
from analysis.settings import paths

# --------------------------------------------------------------------------------------------------------------
# Names


SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv", "v", "2nd", "3rd"})
_NON_ALNUM = re.compile(r"[^a-z0-9]+")
_APOSTROPHES = re.compile(r"['’`´]")


def name_tokens(text: object) -> tuple[str, ...]:
    """Lowercase ASCII tokens of a name: accents stripped, apostrophes dropped (O'Brien → obrien), other
    punctuation splits (Aguirre-Jarquin → aguirre jarquin), suffixes (Jr., III) removed after the first token."""
    if text is None or (not isinstance(text, str) and pd.isna(text)):
        return ()
    s = unicodedata.normalize("NFKD", str(text))
    s = "".join(ch for ch in s if not unicodedata.combining(ch)).lower()
    tokens = _NON_ALNUM.sub(" ", _APOSTROPHES.sub("", s)).split()
    return tuple(t for i, t in enumerate(tokens) if i == 0 or t not in SUFFIXES)


def last_name_key(text: object) -> str:
    """Blocking key of a family name: its last normalised token (``De La Cruz`` and ``Cruz`` share ``cruz``)."""
    tokens = name_tokens(text)
    return tokens[-1] if tokens else ""


def _place(text: object) -> str:
    tokens = name_tokens(text)
    if tokens and tokens[-1] in {"county", "parish", "borough"}:
        tokens = tokens[:-1]
    return " ".join(tokens)


# --------------------------------------------------------------------------------------------------------------
# Matching

# weight of each component in the confidence; a comparison with a value missing on either side scores 0.5
WEIGHTS = {"last": 0.2, "first": 0.3, "county": 0.1, "crime": 0.1, "conviction": 0.1, "exoneration": 0.1,
           "age": 0.1}
MIN_CONFIDENCE = 0.55
MIN_FIRST = 0.4  # first-name agreement needed (unless everything else agrees exactly)
SIMILAR_LAST = 0.8  # difflib ratio above which two family names count as one name misspelt
OTHER_STATE_FACTOR = 0.85  # second pass: candidates in another state keep this share of their confidence
MATCH_COLUMNS = ("old_id", "new_id", "confidence", "method")


@dataclass(frozen=True)
class _Person:
    first: tuple[str, ...]
    last: tuple[str, ...]
    state: str
    county: str
    crime: str
    category: str
    conviction: int | None
    exoneration: int | None
    age: int | None
    registry_id: int | None


def _int_or_none(v: object) -> int | None:
    return None if v is None or pd.isna(v) else int(v)


def _people(table: pd.DataFrame) -> list[_Person]:
    def col(name: str) -> list:
        return table[name].tolist() if name in table.columns else [None] * len(table)

    state = [a if isinstance(a, str) else (s if isinstance(s, str) else "") for a, s in
             zip(col("state_abbr"), col("state"), strict=True)]
    return [
        _Person(name_tokens(f), name_tokens(la), st, _place(co), " ".join(name_tokens(cr)), str(ca or "").lower(),
                _int_or_none(cv), _int_or_none(ex), _int_or_none(ag), _int_or_none(rid))
        for f, la, st, co, cr, ca, cv, ex, ag, rid in zip(
            col("first_name"), col("last_name"), state, col("county"), col("worst_crime"), col("crime_category"),
            col("conviction_year"), col("exoneration_year"), col("age"), col("registry_id"), strict=True)
    ]


def _first_score(a: tuple[str, ...], b: tuple[str, ...]) -> float:
    """Agreement of two first names: 1 same, 0.95 same words reordered, 0.9 same first word (middle name
    dropped), 0.8 one's words inside the other's, 0.7 one first word a prefix of the other (Chris/Christopher),
    0.6 same first four letters (Kathy/Kathleen) or an initial that fits, 0.2 same initial only, 0 otherwise."""
    if not a or not b:
        return 0.5
    if a == b:
        return 1.0
    if sorted(a) == sorted(b):
        return 0.95
    if a[0] == b[0]:
        return 0.9
    if set(a) <= set(b) or set(b) <= set(a):
        return 0.8
    x, y = a[0], b[0]
    if min(len(x), len(y)) >= 3 and (x.startswith(y) or y.startswith(x)):
        return 0.7
    if x[:4] == y[:4] and len(x) >= 4 and len(y) >= 4:
        return 0.6  # Kathy / Kathleen
    if x[0] == y[0]:
        return 0.6 if min(len(x), len(y)) == 1 else 0.2
    return 0.0


def _last_score(a: tuple[str, ...], b: tuple[str, ...]) -> float:
    if not a or not b:
        return 0.5
    if a == b or "".join(a) == "".join(b):
        return 1.0
    if a[-1] == b[-1]:
        return 0.9
    if set(a) & set(b):
        return 0.7
    if difflib.SequenceMatcher(None, "".join(a), "".join(b)).ratio() >= SIMILAR_LAST:
        return 0.7  # a typo fixed (Phllips → Phillips)
    return 0.0


def _near(a: int | None, b: int | None, exact: float, within_one: float) -> float:
    if a is None or b is None:
        return 0.5
    d = abs(a - b)
    return exact if d == 0 else within_one if d == 1 else 0.0


def _score(o: _Person, n: _Person) -> tuple[float, bool]:
    """(confidence in 0–1, acceptable) for one candidate pair."""
    first, last = _first_score(o.first, n.first), _last_score(o.last, n.last)
    if o.first and n.first and o.last and n.last and (o.first, o.last) == (n.last, n.first):
        first = last = 0.9  # first and last name swapped
    county = 0.5 if not o.county or not n.county else float(o.county == n.county)
    if not o.crime or not n.crime:
        crime = 0.5
    else:
        crime = 1.0 if o.crime == n.crime else 0.5 if o.category and o.category == n.category else 0.0
    parts = {
        "last": last, "first": first, "county": county, "crime": crime,
        "conviction": _near(o.conviction, n.conviction, 1.0, 0.5),
        "exoneration": _near(o.exoneration, n.exoneration, 1.0, 1.0),
        "age": _near(o.age, n.age, 1.0, 1.0),
    }
    confidence = sum(WEIGHTS[k] * v for k, v in parts.items())
    if o.state != n.state:
        confidence *= OTHER_STATE_FACTOR
    others_exact = all(parts[k] == 1.0 for k in ("county", "crime", "conviction", "exoneration", "age"))
    ok = (last >= 0.7 and (first >= MIN_FIRST or others_exact)) or (first >= 0.9 and last >= 0.5 and others_exact)
    return round(confidence, 4), ok and confidence >= MIN_CONFIDENCE


def _greedy(candidates: list[tuple[float, int, int]], used_old: set[int], used_new: set[int]) -> list[tuple]:
    """One-to-one assignment, best score first (ties: earlier rows first)."""
    chosen = []
    for score, i, j in sorted(candidates, key=lambda c: (-c[0], c[1], c[2])):
        if i in used_old or j in used_new:
            continue
        used_old.add(i)
        used_new.add(j)
        chosen.append((i, j, score))
    return chosen


def _blocks(people: list[_Person], keys: Callable[[_Person], set], rows: list[int]) -> dict[object, list[int]]:
    out: dict[object, list[int]] = {}
    for i in rows:
        for key in keys(people[i]):
            out.setdefault(key, []).append(i)
    return out


def _candidates(old_p: list[_Person], new_p: list[_Person], old_rows: list[int], new_rows: list[int],
                keys: Callable[[_Person], set]) -> list[tuple[float, int, int]]:
    old_blocks = _blocks(old_p, keys, old_rows)
    new_blocks = _blocks(new_p, keys, new_rows)
    seen: set[tuple[int, int]] = set()
    out = []
    for key, olds in old_blocks.items():
        for j in new_blocks.get(key, ()):
            for i in olds:
                if (i, j) in seen:
                    continue
                seen.add((i, j))
                o, n = old_p[i], new_p[j]
                if o.registry_id is not None and n.registry_id is not None:
                    continue  # both numbered and the numbers differ: not the same case
                score, ok = _score(o, n)
                if ok:
                    out.append((score, i, j))
    return out


def _name_keys(p: _Person) -> set[str]:
    return {t for t in (*p.first, *p.last) if len(t) > 1}


def match_records(old: pd.DataFrame, new: pd.DataFrame) -> pd.DataFrame:
    """Match the records of two canonical tables (any formats), one to one.

    1. ``registry_id`` equal on both sides (method ``registry_id``, confidence 1);
    2. blocks of normalised last name (last word) + state, scored on first name (full, first word, initial,
       reordered), county, worst crime, conviction year, exoneration year (±1) and age (±1) (``name_state``);
    3. for what is left, blocks of any shared name word in any state, which finds first/last swaps and compound
       family names split differently (``name_tokens``; another state lowers the confidence);
    4. for what is still left, blocks of first name + state, accepting family names that differ by a typo
       (difflib ratio ≥ 0.8, ``name_fuzzy``).

    Returns one row per pair (``old_id``, ``new_id``, ``confidence`` 0–1, ``method``), then the unmatched old
    records (``new_id`` missing) and unmatched new records (``old_id`` missing), with method ``unmatched``.
    """
    old_p, new_p = _people(old), _people(new)
    used_old: set[int] = set()
    used_new: set[int] = set()
    pairs: list[tuple[int, int, float, str]] = []

    new_by_rid = {p.registry_id: j for j, p in enumerate(new_p) if p.registry_id is not None}
    for i, p in enumerate(old_p):
        j = new_by_rid.get(p.registry_id) if p.registry_id is not None else None
        if j is not None and j not in used_new:
            used_old.add(i)
            used_new.add(j)
            pairs.append((i, j, 1.0, "registry_id"))

    passes = (
        ("name_state", lambda p: {(p.state, p.last[-1])} if p.last else set()),
        ("name_tokens", _name_keys),
        ("name_fuzzy", lambda p: {(p.state, p.first[0])} if p.first else set()),
    )
    for method, keys in passes:
        old_rows = [i for i in range(len(old_p)) if i not in used_old]
        new_rows = [j for j in range(len(new_p)) if j not in used_new]
        found = _greedy(_candidates(old_p, new_p, old_rows, new_rows, keys), used_old, used_new)
        pairs.extend((i, j, s, method) for i, j, s in found)

    old_ids = old["record_id"].astype("string").tolist()
    new_ids = new["record_id"].astype("string").tolist()
    pairs.sort(key=lambda t: t[0])
    rows = [(old_ids[i], new_ids[j], s, m) for i, j, s, m in pairs]
    rows += [(old_ids[i], None, None, "unmatched") for i in range(len(old_p)) if i not in used_old]
    rows += [(None, new_ids[j], None, "unmatched") for j in range(len(new_p)) if j not in used_new]
    out = pd.DataFrame(rows, columns=list(MATCH_COLUMNS))
    return out.astype({"old_id": "string", "new_id": "string", "confidence": "Float64", "method": "string"})


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
# The diff


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
    def match_rate(self) -> float:
        """Share of old records with a counterpart in the new snapshot."""
        return self.matched / self.old_rows if self.old_rows else 1.0

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


MARKDOWN_SPECIAL = str.maketrans({c: "\\" + c for c in "\\`*_[]|#!"} | {"<": "&lt;", ">": "&gt;", "&": "&amp;"})


def md_text(value: object) -> str:
    """Data-derived text made inert in Markdown: no HTML, links, emphasis or table breaks can come from a name."""
    return str(value).translate(MARKDOWN_SPECIAL)


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

    def stat(table: pd.DataFrame, d: object, meta: dict) -> tuple[int | None, int | None, float | None]:
        try:
            s = compute_definition(table, d, meta=_meta_for_stats(meta))
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


# --------------------------------------------------------------------------------------------------------------
# The changelog

CHANGELOG_HEADER = """# Data changelog

What changed in the registry data from one snapshot to the next, newest first: records added, removed and
changed, factors and tags switched on or off, changes in the export's columns, and headline numbers that moved.
The format follows [Keep a Changelog](https://keepachangelog.com/en/1.1.0/), with one entry per snapshot (dated
by the snapshot date). Entries are written by `confessions diff OLD NEW --write`; records are matched across
snapshots by name, state, county, crime, years and age, so a renamed record can show as removed and added.
"""
ENTRY_HEADING = re.compile(r"^## \[(?P<date>[^\]]*)\] - snapshot (?P<id>\S+)", re.MULTILINE)
EXAMPLES = 5


def _snapshot_date(meta: dict) -> str:
    d = meta.get("snapshot_date")
    if isinstance(d, date):
        return d.isoformat()
    return str(d) if d else "undated"


def _names(frame: pd.DataFrame, limit: int = EXAMPLES) -> str:
    labels = _labels(frame.head(limit))
    more = len(frame) - len(labels)
    return ", ".join(labels) + (f" and {more:,} more" if more > 0 else "")


def _value(v: object) -> str:
    if v is None:
        return "(blank)"
    if isinstance(v, date):
        return v.isoformat()
    return md_text(v)


def _records(n: int) -> str:
    return f"{n:,} record" + ("" if n == 1 else "s")


def _percent(k: int, n: int) -> str:
    """k/n as a percentage that reads 100% only when k == n (99.97% → 99.9%)."""
    if not n:
        return "n/a"
    share = math.floor(k / n * 1000) / 10 if k < n else 100.0
    return f"{share:.1f}%"


def _share(k: int | None, n: int | None, share: float | None) -> str:
    if n is None:
        return "n/a"
    return f"{k:,} of {n:,} ({share:.1%})" if share is not None else f"{k:,} of {n:,} (no data)"


def _points(p: float | None) -> str:
    return "n/a" if p is None else f"{p:+.1f} pts"


def changelog_entry(diff: SnapshotDiff) -> str:
    """One Keep-a-Changelog entry for the newer snapshot of ``diff`` (markdown, ends with a newline)."""
    old_id = diff.old_meta.get("snapshot_id", "old")
    new_id = diff.new_meta.get("snapshot_id", "new")
    lines = [f"## [{_snapshot_date(diff.new_meta)}] - snapshot {new_id} (compared with {old_id})", ""]
    old_fmt, new_fmt = diff.old_meta.get("format"), diff.new_meta.get("format")
    lines.append(f"{diff.new_rows:,} records ({new_fmt or 'format unknown'}) against {diff.old_rows:,} in "
                 f"{old_id} ({_snapshot_date(diff.old_meta)}, {old_fmt or 'format unknown'}); "
                 f"{diff.matched:,} old records matched ({_percent(diff.matched, diff.old_rows)}).")
    if old_fmt and new_fmt and old_fmt != new_fmt:
        lines.append("The two snapshots are in different export formats, so some changes reflect how each format "
                     "writes a value rather than a change in the data.")

    lines += ["", "### Added", ""]
    if len(diff.added):
        pre = int(diff.added["pre_1989"].fillna(False).sum()) if "pre_1989" in diff.added else 0
        note = f" ({pre:,} of them exonerated before 1989)" if pre else ""
        lines.append(f"- {_records(len(diff.added))}{note}, e.g. {_names(diff.added)}")
    else:
        lines.append("- No records added.")

    lines += ["", "### Removed", ""]
    lines.append(f"- {_records(len(diff.removed))}, e.g. {_names(diff.removed)}" if len(diff.removed)
                 else "- No records removed.")

    lines += ["", "### Changed", ""]
    counts = diff.field_counts()
    if counts:
        lines.append(f"- {_records(diff.changed_records)} changed; records changed per field: "
                     + ", ".join(f"`{f}` {k:,}" for f, k in counts.most_common()) + ".")
        shown: set[str] = set()
        for c in diff.changes:
            if c.field in shown or c.field in diff.coding:
                continue
            shown.add(c.field)
            lines.append(f"  - e.g. {c.record}: `{c.field}` {_value(c.old)} → {_value(c.new)}")
            if len(shown) >= EXAMPLES:
                break
    else:
        lines.append("- No field changed in matched records.")
    not_compared = sorted(set(COLUMN_NAMES) - set(diff.compared_fields) - NOT_COMPARED)
    if not_compared:
        lines.append("- Not compared (blank in every record of one snapshot): "
                     + ", ".join(f"`{c}`" for c in not_compared) + ".")

    lines += ["", "### Coding", ""]
    if diff.coding:
        for c in sorted(diff.coding.values(), key=lambda c: -(c.on + c.off)):
            lines.append(f"- `{c.field}`: {c.on:,} switched on, {c.off:,} switched off (e.g. "
                         + "; ".join(c.examples[:3]) + ")")
    else:
        lines.append("- No factor or tag switched on or off.")

    lines += ["", "### Schema", ""]
    s = diff.schema
    if s.empty:
        lines.append("- Same columns in the same order.")
    if s.added:
        lines.append("- Columns added: " + ", ".join(f"`{c}`" for c in s.added))
    if s.removed:
        lines.append("- Columns removed: " + ", ".join(f"`{c}`" for c in s.removed))
    renamed: dict[str, list[str]] = {}
    for old, new, basis in s.renamed:
        renamed.setdefault(old, []).append(f"`{new}`" + (" (similar name)" if basis == "similar" else ""))
    for old, targets in renamed.items():
        lines.append(f"- Renamed: `{old}` → {', '.join(targets)}")
    if s.reordered:
        lines.append("- The columns both headers share are in a different order.")

    lines += ["", "### Headline numbers", "", "| Statistic | Old | New | Change |", "|---|---|---|---|"]
    for h in diff.headlines:
        lines.append(f"| `{h.id}` | {_share(h.old_k, h.old_n, h.old_share)} | "
                     f"{_share(h.new_k, h.new_n, h.new_share)} | {_points(h.change_points)} |")
    return "\n".join(lines) + "\n"


def _split_entries(text: str) -> tuple[str, list[str]]:
    starts = [m.start() for m in re.finditer(r"^## ", text, re.MULTILINE)]
    if not starts:
        return text, []
    bounds = [*starts, len(text)]
    return text[:starts[0]], [text[a:b].strip() + "\n" for a, b in zip(bounds, bounds[1:], strict=False)]


def _entry_key(entry: str) -> tuple[str, str]:
    m = ENTRY_HEADING.match(entry)
    return (m["date"], m["id"]) if m else ("", "")


def update_changelog(path: Path, entry: str, new_snapshot_id: str) -> None:
    """Add ``entry`` to the changelog at ``path`` (created with its header when absent): newest snapshot date
    first, one entry per snapshot id (an existing entry for ``new_snapshot_id`` is replaced). Atomic write."""
    path = Path(path)
    text = path.read_text(encoding="utf-8") if path.is_file() else ""
    preamble, entries = _split_entries(text)
    if not preamble.strip().startswith("# Data changelog"):
        preamble = CHANGELOG_HEADER
    entries = [e for e in entries if _entry_key(e)[1] != new_snapshot_id]
    entries = [entry.strip() + "\n", *entries]
    # newest first; undated entries last; a tie keeps the order (the new entry first)
    entries.sort(key=lambda e: ("0" if _entry_key(e)[0] in ("", "undated") else "1") + _entry_key(e)[0],
                 reverse=True)
    write_text(path, preamble.rstrip() + "\n\n" + "\n".join(entries))


# --------------------------------------------------------------------------------------------------------------
# Command


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
    moved = [h for h in diff.headlines if h.change_points is not None]
    moved.sort(key=lambda h: -abs(h.change_points))
    for h in moved[:top]:
        lines.append(f"  {h.id}: {h.old_share:.1%} → {h.new_share:.1%} ({_points(h.change_points)})")
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    """``confessions diff OLD NEW [--write]``: print a summary; with ``--write`` update reports/CHANGES.md."""
    diff = diff_refs(args.old, args.new)
    print(summary(diff))
    if getattr(args, "write", False):
        where = paths()
        target = where.reports / "CHANGES.md"
        update_changelog(target, changelog_entry(diff), str(diff.new_meta["snapshot_id"]))
        print(f"updated {target.relative_to(where.root) if target.is_relative_to(where.root) else target}")
    return 0
