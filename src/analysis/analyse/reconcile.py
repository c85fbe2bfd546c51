"""The "32% question": how close do the registry's own flags come to the Innocence Project's figure?

In September 2017 the Innocence Project wrote that "32 percent of people exonerated by DNA evidence in the United
States falsely confessed" (``IP_CLAIM``). The registry's flags allow several readings of that sentence, and
:func:`reconciliation` computes each of them, k of n with a 95% Wilson interval, over the default population
(exonerations since 1989, as in :mod:`analysis.analyse.definitions`):

* **DNA**: DNA contributed to the exoneration in any role (``dna``), or DNA was central, not a minor factor
  (``dna and not dna_minor``; only in snapshots that carry the minor-factor marker ``*``);
* **confession**: the exoneree's own false confession (``fc``), also a co-defendant's confession
  (``fc or codefendant_confessed``), also a guilty plea (``fc or codefendant_confessed or guilty_plea``);
* **when**: the latest snapshot, the latest snapshot as the registry stood on 2017-09-30 (records posted by
  then, ``Snapshot.view``), and the 2017-07-06 snapshot itself when given;
* **crimes**: all crimes, or homicide cases only (``homicide``).

No definition is tuned to reach 32%: the grid is fixed in advance and every cell is reported.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from analysis.analyse.definitions import compute
from analysis.errors import UserError
from analysis.snapshot import Snapshot, day_text

__all__ = ["AS_OF", "IP_CLAIM", "IP_SOURCE", "reconciliation", "reconciliation_paragraph"]

IP_CLAIM = 0.32
"""The Innocence Project's figure: share of people exonerated by DNA evidence who falsely confessed."""
IP_SOURCE = ("the Innocence Project, September 2017: \"32 percent of people exonerated by DNA evidence in the "
             "United States falsely confessed\"")
AS_OF = dt.date(2017, 9, 30)
"""End of the month in which the Innocence Project published its figure."""
NOT_AVAILABLE = "not available in this snapshot"


@dataclass(frozen=True)
class _Choice:
    key: str
    label: str  # plain English, used in the table
    expression: str | None
    reason: str = ""  # how the choice departs from the registry's plain count, for the paragraph


DNA_CHOICES = (
    _Choice("any", "DNA in any role", "dna"),
    _Choice("central", "DNA central, not a minor factor", "dna and not dna_minor",
            "counting only exonerations in which DNA was central"),
)
CONFESSION_CHOICES = (
    _Choice("fc", "exoneree's own false confession", "fc"),
    _Choice("fc_cdc", "own or a co-defendant's confession", "fc or codefendant_confessed",
            "counting a co-defendant's confession as well as the exoneree's own"),
    _Choice("fc_cdc_plea", "own or a co-defendant's confession, or a guilty plea",
            "fc or codefendant_confessed or guilty_plea",
            "counting a co-defendant's confession as well as the exoneree's own"),
)
CRIME_CHOICES = (
    _Choice("all", "all crimes", None),
    _Choice("homicide", "homicide only", "homicide", "restricting to homicide cases"),
)
COLUMNS = ["definition", "dna_definition", "confession_definition", "when", "crimes", "snapshot", "k", "n",
           "share", "ci_low", "ci_high", "interval_contains_32", "distance_from_32", "of", "among", "as_of"]


def _snapshot_when(snapshot: Snapshot, label: str, bracket: bool) -> str:
    """``latest snapshot (26 June 2026)``, ``snapshot of 6 July 2017`` or, for an as-of view, ``registry as of
    30 September 2017``."""
    if snapshot.as_of:
        return f"registry as of {day_text(snapshot.as_of)}"
    day = snapshot.source.date_text
    if not day:
        return f"{label} {snapshot.source.id}"
    return f"{label} ({day})" if bracket else f"{label} of {day}"


def _row(snapshot: Snapshot, when: str, dna: _Choice, conf: _Choice, crimes: _Choice) -> dict:
    among = dna.expression if crimes.expression is None else f"({dna.expression}) and {crimes.expression}"
    row = {
        "definition": f"{conf.label[0].upper()}{conf.label[1:]}, among DNA exonerations ({dna.label}), "
                      f"{crimes.label}; {when}",
        "dna_definition": dna.label, "confession_definition": conf.label, "when": when, "crimes": crimes.label,
        "snapshot": snapshot.source.id, "of": conf.expression, "among": among,
        "as_of": snapshot.as_of.isoformat() if snapshot.as_of else None,
    }
    stat = compute(snapshot, conf.expression, among)
    row.update(k=stat.k, n=stat.n, share=stat.share, ci_low=stat.ci_low, ci_high=stat.ci_high)
    return row


def _not_available(snapshot: Snapshot, when: str, dna: _Choice, reason: str = NOT_AVAILABLE) -> dict:
    return {
        "definition": f"DNA exonerations ({dna.label}): {reason}; {when}", "dna_definition": dna.label,
        "confession_definition": "any", "when": when, "crimes": "any", "snapshot": snapshot.source.id,
        "k": 0, "n": 0, "share": None, "ci_low": None, "ci_high": None, "of": None, "among": dna.expression,
        "as_of": snapshot.as_of.isoformat() if snapshot.as_of else None,
    }


def _dna_minor_known(table: pd.DataFrame) -> bool:
    dna = table["dna"].fillna(False).astype(bool) & ~table["pre_1989"].astype(bool)
    return bool(table.loc[dna, "dna_minor"].notna().any())


def _grid(snapshot: Snapshot, when: str) -> list[dict]:
    rows = []
    if snapshot.as_of is not None:
        try:
            snapshot.view  # noqa: B018 (raises when the snapshot has no posting dates)
        except UserError:
            return [_not_available(snapshot, when, DNA_CHOICES[0], "no posting dates in this snapshot")]
    table = snapshot.table
    for crimes in CRIME_CHOICES:
        for dna in DNA_CHOICES:
            if dna.key == "central" and not _dna_minor_known(table):
                continue
            for conf in CONFESSION_CHOICES:
                rows.append(_row(snapshot, when, dna, conf, crimes))
    if not _dna_minor_known(table):
        rows.append(_not_available(snapshot, when, DNA_CHOICES[1]))
    return rows


def reconciliation(latest: Snapshot, sept_2017: Snapshot | None = None) -> pd.DataFrame:
    """One row per definition (see the module docstring): k of n, share, 95% interval, whether the interval
    contains 32% (``interval_contains_32``) and ``distance_from_32`` = share − 0.32.

    Readings: ``latest`` as given (its own as-of date, if any), ``latest`` as of 30 September 2017, and the
    ``sept_2017`` snapshot when given. A definition the snapshot cannot answer (no minor-DNA marker, no posting
    dates) is one row with n = 0 saying so.
    """
    rows = _grid(latest, _snapshot_when(latest, "latest snapshot", True))
    rows += _grid(latest.at(AS_OF), f"registry as of {day_text(AS_OF)}")
    if sept_2017 is not None:
        rows += _grid(sept_2017, _snapshot_when(sept_2017, "snapshot", False))
    out = pd.DataFrame(rows, columns=[c for c in COLUMNS if c not in ("interval_contains_32", "distance_from_32")])
    for col in ("k", "n"):
        out[col] = out[col].astype("int64")
    for col in ("share", "ci_low", "ci_high"):
        out[col] = pd.array(list(out[col]), dtype="Float64")
    out["interval_contains_32"] = ((out["ci_low"] <= IP_CLAIM) & (out["ci_high"] >= IP_CLAIM)).fillna(False)
    out["interval_contains_32"] = out["interval_contains_32"].astype(bool)
    out["distance_from_32"] = out["share"] - IP_CLAIM
    return out[COLUMNS]


# --------------------------------------------------------------------------------------------------------
# The paragraph
# --------------------------------------------------------------------------------------------------------


def _pct(x: float) -> str:
    return f"{x * 100:.1f}%"


CLAIM_TEXT = f"{IP_CLAIM * 100:g}%"


def _k_of_n(row: pd.Series) -> str:
    return f"{int(row['k']):,} of {int(row['n']):,}"


def _stated(row: pd.Series) -> str:
    """``162 of 647 (25.0%; 95% CI 21.9–28.5%)``."""
    return (f"{_k_of_n(row)} ({_pct(row['share'])}; 95% CI {row['ci_low'] * 100:.1f}–"
            f"{row['ci_high'] * 100:.1f}%)")


def _when_phrase(row: pd.Series) -> str:
    return f"as the registry stood on {day_text(AS_OF)}" if row["as_of"] == AS_OF.isoformat() else \
        f"in the {row['when']}"


def _reasons(row: pd.Series) -> list[str]:
    """How a definition departs from the registry's plain count (own FC, DNA in any role, all crimes)."""
    out = []
    for column, choices in (("confession_definition", CONFESSION_CHOICES), ("dna_definition", DNA_CHOICES),
                            ("crimes", CRIME_CHOICES)):
        reason = next((c.reason for c in choices if c.label == row[column]), "")
        if reason:
            out.append(reason)
    if row["confession_definition"] == CONFESSION_CHOICES[2].label:
        out.append("counting guilty pleas")
    return out


def _and(items: list[str], sep: str = ", ") -> str:
    """``a``, ``a and b``, ``a, b and c`` (with ``sep="; "``: ``a; b; and c``)."""
    if len(items) == 1:
        return items[0]
    last = f"{sep.rstrip()} and " if sep != ", " else " and "
    return sep.join(items[:-1]) + last + items[-1]


def _is(row_or_df: pd.DataFrame, dna: _Choice, conf: _Choice, crimes: _Choice) -> pd.Series:
    return ((row_or_df["dna_definition"] == dna.label) & (row_or_df["confession_definition"] == conf.label)
            & (row_or_df["crimes"] == crimes.label))


def reconciliation_paragraph(df: pd.DataFrame) -> str:
    """A paragraph saying what the registry's flags give and which readings come close to 32%, and why.

    Every number in it is formatted from ``df`` (the output of :func:`reconciliation`), apart from the 32%
    being reconciled (``IP_CLAIM``).
    """
    available = df[df["n"] > 0]
    if available.empty:
        return "None of the registry snapshots given can answer the question, so there is nothing to compare."
    plain = available[_is(available, DNA_CHOICES[0], CONFESSION_CHOICES[0], CRIME_CHOICES[0])]
    parts = []
    if len(plain):
        first = plain.iloc[0]
        counts = [f"{int(first['k']):,} of the {int(first['n']):,} DNA exonerations since 1989 "
                  f"({_pct(first['share'])}; 95% CI {first['ci_low'] * 100:.1f}–{first['ci_high'] * 100:.1f}%) "
                  f"{_when_phrase(first)}"]
        counts += [f"{_k_of_n(row)} ({_pct(row['share'])}) {_when_phrase(row)}" for _, row in plain.iloc[1:].iterrows()]
        parts.append(f"On the registry's own flags, the exoneree's own false confession (FC) is coded in "
                     f"{_and(counts, '; ')}.")
        inside = bool(plain["interval_contains_32"].any())
        which = ("this 95% interval" if len(plain) == 1 else
                 "at least one of these 95% intervals" if inside else "every one of these 95% intervals")
        parts.append(f"{CLAIM_TEXT} lies {'inside' if inside else 'outside'} {which}.")
    homicide = available[_is(available, DNA_CHOICES[0], CONFESSION_CHOICES[0], CRIME_CHOICES[1])]
    if len(homicide):
        row = homicide.iloc[0]
        side = "above" if row["ci_low"] > IP_CLAIM else "below" if row["ci_high"] < IP_CLAIM else "around"
        parts.append(f"Among DNA homicide exonerations alone it is {_stated(row)} {_when_phrase(row)}, "
                     f"{side} {CLAIM_TEXT}.")
    central = available[_is(available, DNA_CHOICES[1], CONFESSION_CHOICES[0], CRIME_CHOICES[0])]
    for _, row in central.iterrows():
        same = plain[plain["when"] == row["when"]]
        against = (f", against {_k_of_n(same.iloc[0])} ({_pct(same.iloc[0]['share'])}) for DNA in any role"
                   if len(same) else "")
        parts.append(f"Counting only exonerations in which DNA was central gives {_stated(row)} "
                     f"{_when_phrase(row)}{against}.")
    close = available[available["interval_contains_32"]]
    if len(close):
        reasons: dict[str, int] = {}
        for _, row in close.iterrows():
            for reason in dict.fromkeys(_reasons(row)):
                reasons[reason] = reasons.get(reason, 0) + 1
        common = [r for r, count in reasons.items() if count == len(close)]
        why = (f"every one of them departs from the plain count by {_and(common)}" if common else
               "they depart from the plain count in different ways")
        ranked = close.assign(_d=close["distance_from_32"].abs()).sort_values(["_d", "n"], ascending=[True, False])
        examples = "; ".join(f"{row['definition'][0].lower()}{row['definition'][1:]}: {_stated(row)}"
                             for _, row in ranked.head(3).iterrows())
        parts.append(f"{len(close)} of the {len(available)} definitions computed have a 95% interval that "
                     f"contains {CLAIM_TEXT}, and {why}. The closest are: {examples}.")
    else:
        best = available.loc[available["distance_from_32"].abs().idxmin()]
        parts.append(f"No definition computed has a 95% interval containing {CLAIM_TEXT}; the closest is "
                     f"{best['definition']}: {_stated(best)}.")
    missing = df[(df["n"] == 0) & df["definition"].str.contains(NOT_AVAILABLE, regex=False)]
    if len(missing):
        parts.append(f"The 'DNA central' reading needs the registry's minor-DNA marker, which is "
                     f"{NOT_AVAILABLE.replace('this snapshot', 'the data')} for "
                     f"{_and(['the ' + w for w in dict.fromkeys(missing['when'])])}.")
    parts.append("The Innocence Project counts its own DNA exoneration cases, and it counts \"false confessions "
                 "or admissions\": a different list and a broader definition than the registry's flags, so its "
                 "figure need not equal any of the registry-based shares above.")
    return " ".join(parts)
