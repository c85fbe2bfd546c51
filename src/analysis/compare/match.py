"""Record linkage across snapshots of any export format: which old record is which new record.

People are reduced to comparable parts (:class:`_Person`: name tokens of :func:`analysis.formats.names.name_tokens`,
state, county, crime, years, age), grouped into blocks that share a key, scored pair by pair (:func:`_score`) and
assigned one to one, best score first (:func:`_greedy`). :func:`match_records` runs the passes in turn.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from analysis.formats.names import name_tokens


def _place(text: object) -> str:
    tokens = name_tokens(text)
    if tokens and tokens[-1] in {"county", "parish", "borough"}:
        tokens = tokens[:-1]
    return " ".join(tokens)


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
