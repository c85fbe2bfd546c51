"""Building blocks shared by the NRE format readers: flags, tags, names and places."""

from __future__ import annotations

import pandas as pd

from analysis.categories import OM_CODES, RACE_ALIASES, TAG_CODES
from analysis.parsing import Problems, on_uniques
from analysis.schema import MILITARY, STATE_ABBR

ABBR_STATE = {abbr: name for name, abbr in STATE_ABBR.items()}
TRUE_WORDS = {"yes", "y", "true", "1", "x"}
FALSE_WORDS = {"no", "n", "false", "0"}
NAME_SUFFIXES = {"jr", "jr.", "sr", "sr.", "ii", "iii", "iv", "v"}


def code_flag(values: pd.Series, code: str, column: str, problems: Problems) -> pd.Series:
    """Old-format factor cell: the code itself, ``Y``/``Yes`` → True; blank → False (not coded);
    anything else is quarantined as missing."""
    out = []
    for idx, raw in values.items():
        cell = "" if pd.isna(raw) else str(raw).strip()
        low = cell.lower()
        if not cell or low in FALSE_WORDS:
            out.append(False)
        elif cell.upper() == code.upper() or low in TRUE_WORDS:
            out.append(True)
        else:
            problems.add(int(idx) + 2, column, cell, f"is not {code!r}, 'Y' or blank")
            out.append(None)
    return pd.Series(out, index=values.index, dtype="boolean")


def yes_no(values: pd.Series, column: str, problems: Problems, *, blank: bool | None) -> pd.Series:
    """New-format Yes/No cell; ``blank`` says what an empty cell means (False = not coded, None = unknown).
    ``Don't Know`` and its variants are missing."""
    textual = values.astype("string").fillna("").str.strip()
    low = textual.str.lower().str.replace("\u2019", "'", regex=False)
    out = pd.Series(pd.NA, index=values.index, dtype="boolean")
    out[low.isin(TRUE_WORDS)] = True
    out[low.isin(FALSE_WORDS)] = False
    if blank is not None:
        out[low.eq("")] = blank
    unknown = ~low.isin(TRUE_WORDS | FALSE_WORDS) & low.ne("") & ~low.str.contains("know", regex=False)
    for idx, cell in textual[unknown].items():
        problems.add(int(idx) + 2, column, str(cell), "is not Yes, No or blank")
    return out


def tags_from_codes(lists: pd.Series, warn: list[str], column: str = "Tags") -> dict[str, pd.Series]:
    """Tag booleans from lists of old-format codes.

    A tag code that appears in no row of the file is treated as not yet in use: the column is missing (NA),
    because the file cannot tell "no" from "not coded yet". Unknown codes are reported.
    """
    seen: set[str] = set()
    for items in lists:
        seen.update(items)
    unknown = sorted(seen - set(TAG_CODES))
    if unknown:
        warn.append(f"unknown tag code(s) in {column!r} kept out of the table: {', '.join(unknown)}")
    out = {}
    for code, (name, _) in TAG_CODES.items():
        if code in seen:
            out[name] = lists.map(lambda items, c=code: c in items).astype("boolean")
        else:
            out[name] = pd.Series(pd.NA, index=lists.index, dtype="boolean")
    return out


def om_from_codes(lists: pd.Series | None, index: pd.Index, warn: list[str]) -> dict[str, pd.Series]:
    """Misconduct-type booleans from ``OM Tags`` code lists; all missing when the export has no OM Tags."""
    if lists is None:
        return {name: pd.Series(pd.NA, index=index, dtype="boolean") for name, _ in OM_CODES.values()}
    seen: set[str] = set()
    for items in lists:
        seen.update(items)
    unknown = sorted(seen - set(OM_CODES))
    if unknown:
        warn.append(f"unknown misconduct code(s) in 'OM Tags' kept out of the table: {', '.join(unknown)}")
    return {name: lists.map(lambda items, c=code: c in items).astype("boolean")
            for code, (name, _) in OM_CODES.items()}


def race(values: pd.Series) -> pd.Series:
    """Registry race labels, with ``Caucasian`` → White, ``Don't Know`` → missing, several → Other."""
    def one(cell: object) -> str | None:
        if pd.isna(cell):
            return None
        parts = [p.strip() for p in str(cell).replace(";#", ";").split(";") if p.strip()]
        parts = [RACE_ALIASES.get(p, p) for p in parts]
        parts = [p for p in parts if p]
        if not parts:
            return None
        return parts[0] if len(set(parts)) == 1 else "Other"

    return on_uniques(values, lambda u: u.map(one).astype("string"))


def place_from_state(values: pd.Series) -> tuple[pd.Series, pd.Series, pd.Series]:
    """``state``, ``state_abbr`` and ``federal`` from a full state name or ``Fed-XX`` (worked out once per
    distinct value)."""
    codes, uniques = pd.factorize(values, use_na_sentinel=False)
    state, abbr, federal = _place_from_state(pd.Series(uniques, dtype=object))
    return tuple(x.iloc[codes].set_axis(values.index) for x in (state, abbr, federal))


def _place_from_state(values: pd.Series) -> tuple[pd.Series, pd.Series, pd.Series]:
    states, abbrs, feds = [], [], []
    for cell in values:
        cell = "" if pd.isna(cell) else str(cell).strip()
        federal = cell.lower().startswith("fed-")
        rest = cell[4:] if federal else cell
        if rest.lower() in ("military", "mil"):
            state, abbr = MILITARY, None
        elif rest in STATE_ABBR:
            state, abbr = rest, STATE_ABBR[rest]
        elif rest.upper() in ABBR_STATE:
            state, abbr = ABBR_STATE[rest.upper()], rest.upper()
        else:
            state, abbr = (rest or None), None
        states.append(state)
        abbrs.append(abbr)
        feds.append(federal)
    idx = values.index
    return (pd.Series(states, index=idx, dtype="string"), pd.Series(abbrs, index=idx, dtype="string"),
            pd.Series(feds, index=idx, dtype="boolean"))


def place_from_code(values: pd.Series) -> tuple[pd.Series, pd.Series, pd.Series]:
    """``state``, ``state_abbr`` and ``federal`` from a list-view code (``NC``, ``F-PA``, ``F-MIL``)."""
    converted = values.fillna("").astype(str).str.strip().str.replace(r"^F-", "Fed-", regex=True)
    return place_from_state(converted)


def split_name(full: pd.Series) -> tuple[pd.Series, pd.Series]:
    """``First [Middle] Last [Suffix]`` → (first names, last name with any suffix)."""
    codes, uniques = pd.factorize(full, use_na_sentinel=False)
    first, last = _split_name(pd.Series(uniques, dtype=object))
    return first.iloc[codes].set_axis(full.index), last.iloc[codes].set_axis(full.index)


def _split_name(full: pd.Series) -> tuple[pd.Series, pd.Series]:
    firsts, lasts = [], []
    for cell in full:
        words = [] if pd.isna(cell) else str(cell).split()
        if not words:
            firsts.append(None)
            lasts.append(None)
            continue
        cut = len(words) - 1
        if cut >= 2 and words[-1].lower() in NAME_SUFFIXES:
            cut -= 1
        firsts.append(" ".join(words[:cut]) or None)
        lasts.append(" ".join(words[cut:]))
    return pd.Series(firsts, index=full.index, dtype="string"), pd.Series(lasts, index=full.index, dtype="string")
