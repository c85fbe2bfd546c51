"""Matching the Innocence Project's case roster to registry records.

The roster (``ip-all-cases-roster-*.json``, read by :mod:`analysis.formats.innocence_project`) gives a name,
a state (full name) and an exoneration year per case, and no contributing factors. Each roster entry is matched
to at most one registry record, trying in turn:

1. ``exact name+state+year``: same name key, same state, exoneration years at most one apart;
2. ``name+state``: same name key and state (the year is missing or further apart);
3. ``last+first initial+state``: same last name, same first initial and same state.

Name key: the first and the last token of the name ("first last"; tokens as in
:func:`analysis.formats.names.name_tokens`: lower-case ASCII, apostrophes dropped, initials such as ``A.B.`` one
word, other punctuation a space, suffixes such as Jr and III removed): middle names are ignored because the two
sources write them differently. When a step finds several candidate records, the one with the closest exoneration
year is taken; a tie leaves the entry unmatched at that step (``candidates`` says how many records the deciding
step found).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from analysis.analyse.rates import Rate, rate_from_masks
from analysis.formats.codes import STATE_ABBR
from analysis.formats.names import name_tokens

__all__ = ["METHODS", "load_roster", "match_roster", "match_summary", "name_key", "name_tokens", "stored_roster"]

METHODS = ("exact name+state+year", "name+state", "last+first initial+state")
YEAR_TOLERANCE = 1
_STATE_BY_ABBR = {abbr: name for name, abbr in STATE_ABBR.items()}


def load_roster(path: Path) -> pd.DataFrame:
    """The Innocence Project roster as a frame with ``name, slug, state, exoneration_year`` (all text)."""
    from analysis.formats import read_export

    read = read_export(Path(path))
    if read.format != "ip_roster":
        raise ValueError(f"{Path(path).name} is not an Innocence Project roster (format {read.format})")
    return read.frame


def stored_roster() -> pd.DataFrame | None:
    """The newest stored Innocence Project roster (:func:`load_roster`), or None when none is stored."""
    from analysis.ingest.store import list_snapshots, snapshot_file

    rosters = [m for m in list_snapshots("ip") if m.format == "ip_roster"]
    return load_roster(snapshot_file(rosters[-1])) if rosters else None


def name_key(name: object) -> str | None:
    """``"first last"`` from a full name (middle names dropped), or None when there is no name."""
    return _key(name_tokens(name))


def _key(words: tuple[str, ...]) -> str | None:
    if not words:
        return None
    return words[0] if len(words) == 1 else f"{words[0]} {words[-1]}"


def _state(value: object) -> str | None:
    """A state as its full name (the roster may use full names or postal codes)."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    text = " ".join(str(value).split())
    return _STATE_BY_ABBR.get(text.upper(), text)


def _year(value: object) -> int | None:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    text = str(value).strip()
    return int(text) if text.isdigit() else None


def _registry_keys(table: pd.DataFrame) -> pd.DataFrame:
    words = [name_tokens(name) for name in table["name"].astype(object)]
    return pd.DataFrame({
        "record_id": table["record_id"].astype(object),
        "key": [_key(w) for w in words],
        "last": [w[-1] if w else None for w in words],
        "initial": [w[0][0] if w else None for w in words],
        "state": table["state"].astype(object),
        "year": table["exoneration_year"].astype("Float64"),
    }, index=table.index)


def _pick(candidates: pd.DataFrame, year: int | None) -> str | None:
    """The candidate with the closest exoneration year (the only one when there is one); None on a tie."""
    if len(candidates) == 1:
        return candidates["record_id"].iloc[0]
    if year is None or candidates["year"].isna().all():
        return None
    gaps = (candidates["year"] - year).abs().sort_values()
    if len(gaps) > 1 and gaps.iloc[0] == gaps.iloc[1]:
        return None
    return candidates.loc[gaps.index[0], "record_id"]


def match_roster(roster: pd.DataFrame, table: pd.DataFrame) -> pd.DataFrame:
    """One row per roster entry: ``name, slug, state, year, record_id, match_method, candidates``.

    ``record_id`` is the matched registry record (missing when none) and ``match_method`` one of
    :data:`METHODS` or None. ``table`` is a canonical registry table (every record is a candidate).
    """
    reg = _registry_keys(table)
    by_state = {state: group for state, group in reg.groupby("state", sort=False)}
    rows = []
    for entry in roster.itertuples(index=False):
        name, state, year = entry.name, _state(entry.state), _year(entry.exoneration_year)
        words = name_tokens(name)
        key = name_key(name)
        same_state = by_state.get(state, reg.iloc[0:0])
        close_year = (same_state["year"] - year).abs() <= YEAR_TOLERANCE if year is not None else None
        steps = [
            (METHODS[0], same_state[(same_state["key"] == key) & close_year.fillna(False)]
             if close_year is not None else same_state.iloc[0:0]),
            (METHODS[1], same_state[same_state["key"] == key]),
            (METHODS[2], same_state[(same_state["last"] == words[-1]) & (same_state["initial"] == words[0][0])]
             if words else same_state.iloc[0:0]),
        ]
        record_id, method, found = None, None, 0
        for step, candidates in steps:
            if candidates.empty:
                continue
            found = len(candidates)
            record_id = _pick(candidates, year)
            if record_id is not None:
                method = step
                break
        rows.append({"name": name, "slug": getattr(entry, "slug", None), "state": state, "year": year,
                     "record_id": record_id, "match_method": method, "candidates": found})
    out = pd.DataFrame(rows, columns=["name", "slug", "state", "year", "record_id", "match_method", "candidates"])
    out["year"] = out["year"].astype("Int64")
    out["candidates"] = out["candidates"].astype("int64")
    return out


def match_summary(matches: pd.DataFrame, table: pd.DataFrame) -> dict:
    """How well the roster matched, and what the registry says about the matched cases.

    ``matched`` / ``unmatched``: roster entries with / without a record; ``match_rate`` = matched / entries;
    ``by_method``: matched entries per method; ``unmatched_names``: the names not found (roster order), of
    which ``ambiguous_names`` had several equally close candidates;
    ``fc_share`` and ``dna_share``: :class:`~analysis.analyse.rates.Rate` of the registry's FC and DNA flags among the
    distinct matched records (``records``); ``duplicate_matches``: records matched by more than one entry.
    """
    matched_mask = matches["record_id"].notna()
    ids = pd.unique(matches.loc[matched_mask, "record_id"])
    among = table["record_id"].isin(ids)
    entries = len(matches)
    counts = matches.loc[matched_mask, "record_id"].value_counts()
    return {
        "entries": entries,
        "matched": int(matched_mask.sum()),
        "unmatched": int((~matched_mask).sum()),
        "match_rate": float(matched_mask.mean()) if entries else None,
        "by_method": {m: int((matches["match_method"] == m).sum()) for m in METHODS},
        "unmatched_names": matches.loc[~matched_mask, "name"].tolist(),
        "ambiguous_names": matches.loc[~matched_mask & (matches["candidates"] > 1), "name"].tolist(),
        "records": int(among.sum()),
        "duplicate_matches": sorted(counts[counts > 1].index.tolist()),
        "fc_share": _rate(table["fc"], among),
        "dna_share": _rate(table["dna"], among),
    }


def _rate(flag: pd.Series, among: pd.Series) -> Rate:
    return rate_from_masks(flag.fillna(False).astype(bool), among)
