"""The "32% question": the registry's readings of the Innocence Project's figure, led by the one closest to it.

The claim (``IP_SOURCE``): the Innocence Project's blog post "New Netflix Series Explores False Confessions",
12 September 2017: "32 percent of people exonerated by DNA evidence in the United States falsely confessed". In
2017 it tracked **all** US DNA exonerations (350 in its July 2017 list, ``IP_LIST_COUNT``), the registry's DNA
exonerations in which DNA was central (``dna and not dna_minor``), and it counted false confessions *and
admissions*, co-defendants' confessions and, in some wordings, guilty pleas.

:func:`reconciliation` computes a grid fixed in advance (every cell reported, none tuned to reach 32%), k of n with
a 95% Wilson interval over the default population (exonerations since 1989):

* **view**: ``latest`` (the whole snapshot given), ``as_of`` (its records posted by ``AS_OF`` = 12 September
  2017, *with today's coding*: a backcast) and ``then`` (the stored snapshot of the time, 2017-07-06, when given);
* **DNA**: in any role (``dna``) or central (``dna and not dna_minor``: only where the table's ``dna_minor`` is
  known, from the export's ``*`` or carried from an older snapshot by ``analysis.compare.carry``; DNA records
  whose marker is unknown are left out and counted in ``dna_unknown``);
* **confession**: own (``fc``), or a co-defendant's (``… or codefendant_confessed``), or a guilty plea;
* **crimes**: all, or homicide only.

The **lead** reading is DNA central + own or co-defendant confession, all crimes, in the view closest to the
claim's list (``then``, else ``as_of``, else ``latest``), with the plea variant beside it (``role``).
:func:`reconciliation_steps` is the path from the registry's plain count to the lead readings, one choice a step.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from analysis.analyse.definitions import compute
from analysis.analyse.wording import count_noun, interval_text, k_of_n, pct1, share_phrase
from analysis.errors import UserError
from analysis.snapshot import Snapshot, day_text

__all__ = ["AS_OF", "IP_CLAIM", "IP_DATE", "IP_LIST_COUNT", "IP_SOURCE", "lead_rows", "lead_sentence",
           "reconciliation", "reconciliation_paragraph", "reconciliation_steps"]

IP_CLAIM = 0.32
"""The Innocence Project's figure: share of people exonerated by DNA evidence who falsely confessed."""
IP_DATE = dt.date(2017, 9, 12)
"""Publication date of the post that states the 32%."""
IP_SOURCE = ("the Innocence Project, \"New Netflix Series Explores False Confessions\" (blog post, 12 September "
             "2017): \"32 percent of people exonerated by DNA evidence in the United States falsely confessed\"")
IP_LIST_COUNT = 350
"""DNA exonerations on the Innocence Project's list in July 2017 (the all-cases reply's ``count``, SOURCES.md)."""
AS_OF = IP_DATE
"""The date of the "as of" readings: the claim's publication date."""
SYNTHETIC_OPENING = "In the synthetic demo data (invented records, not real cases), the readings are as follows."
NOT_COMPUTABLE = ("not computable — the minor-DNA marker is neither in this export nor carried from an older "
                  "snapshot")
NO_POSTING_DATES = "not computable — no posting dates in this snapshot, so no as-of view"
VIEWS = ("latest", "as_of", "then")
LEAD_PREFERENCE = ("then", "as_of", "latest")  # the view closest to the claim's list, first


@dataclass(frozen=True)
class _Choice:
    key: str
    label: str  # plain English, used in the table
    expression: str | None


DNA_CHOICES = (_Choice("any", "DNA in any role", "dna"),
               _Choice("central", "DNA central, not a minor factor", "dna and not dna_minor"))
CONFESSION_CHOICES = (
    _Choice("fc", "exoneree's own false confession", "fc"),
    _Choice("fc_cdc", "own or a co-defendant's confession", "fc or codefendant_confessed"),
    _Choice("fc_cdc_plea", "own or a co-defendant's confession, or a guilty plea",
            "fc or codefendant_confessed or guilty_plea"),
)
CRIME_CHOICES = (_Choice("all", "all crimes", None), _Choice("homicide", "homicide only", "homicide"))
COLUMNS = ["definition", "dna_definition", "confession_definition", "when", "crimes", "snapshot", "k", "n",
           "share", "ci_low", "ci_high", "interval_contains_32", "distance_from_32", "of", "among", "as_of",
           "view", "reading", "role", "dna_minor_basis", "dna_unknown", "not_recorded", "note", "synthetic"]


def _when(snapshot: Snapshot, view: str) -> str:
    """What the view is, in words (``as_of``: the date and that the coding is today's)."""
    day = snapshot.source.date_text or f"snapshot {snapshot.source.id}"
    if view == "as_of":
        return f"records posted by {day_text(AS_OF)}, with the {day} coding"
    whose = "the synthetic demo data's" if snapshot.source.synthetic else "the registry's"
    return f"latest data ({day})" if view == "latest" else f"{whose} own snapshot of {day}"


def _dna_minor_basis(table: pd.DataFrame) -> str:
    """``in this export``, ``carried from <snapshot id(s)>`` or ``not computable`` (no DNA record has it)."""
    dna = table["dna"].fillna(False).astype(bool) & ~table["pre_1989"].astype(bool)
    known = dna & table["dna_minor"].notna()
    if not known.any():
        return "not computable"
    if "dna_minor_from" in table.columns and table.loc[known, "dna_minor_from"].notna().any():
        ids = sorted(set(table.loc[known, "dna_minor_from"].dropna().astype(str)))
        return "carried from " + ", ".join(ids)
    return "in this export"


def _cell(snapshot: Snapshot, view: str, dna: _Choice, conf: _Choice, crimes: _Choice, basis: str,
          note: str = "") -> dict:
    among = dna.expression if crimes.expression is None else f"({dna.expression}) and {crimes.expression}"
    when = _when(snapshot, view)
    row = {"definition": f"{conf.label[0].upper()}{conf.label[1:]}, among DNA exonerations ({dna.label}), "
                         f"{crimes.label}; {when}",
           "dna_definition": dna.label, "confession_definition": conf.label, "when": when, "crimes": crimes.label,
           "snapshot": snapshot.source.id, "of": conf.expression, "among": among,
           "as_of": snapshot.as_of.isoformat() if snapshot.as_of else None, "view": view,
           "reading": f"{view}/{dna.key}/{conf.key}/{crimes.key}", "role": "", "dna_minor_basis": basis,
           "dna_unknown": 0, "not_recorded": 0, "note": note, "synthetic": snapshot.source.synthetic, "k": 0, "n": 0,
           "share": None, "ci_low": None, "ci_high": None}
    if note:
        return row
    stat = compute(snapshot, conf.expression, among)
    row.update(k=stat.k, n=stat.n, share=stat.share, ci_low=stat.ci_low, ci_high=stat.ci_high,
               not_recorded=stat.not_recorded)
    if dna.key == "central":
        view_table = snapshot.view
        pop = view_table["dna"].fillna(False).astype(bool) & ~view_table["pre_1989"].astype(bool)
        if crimes.expression:
            pop &= view_table["homicide"].fillna(False).astype(bool)
        row["dna_unknown"] = int((pop & view_table["dna_minor"].isna()).sum())
    return row


def _grid(snapshot: Snapshot, view: str) -> list[dict]:
    """The 12 cells of one view, every one reported (n = 0 with a ``note`` when not computable)."""
    view_note = ""
    if view == "as_of":
        snapshot = snapshot.at(AS_OF)
        try:
            snapshot.view  # noqa: B018 (raises when the snapshot has no posting dates)
        except UserError:
            view_note = NO_POSTING_DATES
    basis = "not computable" if view_note else _dna_minor_basis(snapshot.view)
    rows = []
    for crimes in CRIME_CHOICES:
        for dna in DNA_CHOICES:
            note = view_note or (NOT_COMPUTABLE if dna.key == "central" and basis == "not computable" else "")
            rows += [_cell(snapshot, view, dna, conf, crimes, basis, note) for conf in CONFESSION_CHOICES]
    return rows


def reconciliation(latest: Snapshot, then: Snapshot | None = None) -> pd.DataFrame:
    """Every cell of the grid (module docstring): k of n, share, 95% interval, ``interval_contains_32``,
    ``distance_from_32`` = share − 0.32, and ``role`` = ``lead`` / ``lead_plea`` for the lead readings.

    ``latest`` is read whole and as of ``AS_OF``; ``then`` (the stored snapshot of the time) whole, when given.
    """
    rows = _grid(latest, "latest") + _grid(latest, "as_of")
    if then is not None and then.source.id != latest.source.id:
        rows += _grid(then, "then")
    out = pd.DataFrame(rows, columns=COLUMNS)
    for col in ("k", "n", "dna_unknown", "not_recorded"):
        out[col] = out[col].astype("int64")
    for col in ("share", "ci_low", "ci_high"):
        out[col] = pd.array(list(out[col]), dtype="Float64")
    out["interval_contains_32"] = ((out["ci_low"] <= IP_CLAIM) & (out["ci_high"] >= IP_CLAIM)).fillna(False)
    out["interval_contains_32"] = out["interval_contains_32"].astype(bool)
    out["distance_from_32"] = out["share"] - IP_CLAIM
    lead_view = next((v for v in LEAD_PREFERENCE if (_get(out, f"{v}/central/fc_cdc/all")["n"] > 0).any()), None)
    dna = "central"
    if lead_view is None:  # the marker is nowhere: the closest list the data allows
        dna = "any"
        lead_view = next((v for v in LEAD_PREFERENCE if (_get(out, f"{v}/any/fc_cdc/all")["n"] > 0).any()), None)
    if lead_view is not None:
        out.loc[out["reading"] == f"{lead_view}/{dna}/fc_cdc/all", "role"] = "lead"
        out.loc[out["reading"] == f"{lead_view}/{dna}/fc_cdc_plea/all", "role"] = "lead_plea"
    return out[COLUMNS]


def _get(df: pd.DataFrame, reading: str) -> pd.DataFrame:
    return df[df["reading"].astype(str) == reading]


def lead_rows(df: pd.DataFrame) -> tuple[pd.Series, pd.Series] | None:
    """The lead reading and its plea variant (rows of :func:`reconciliation`), None when nothing is computable."""
    role = df["role"].fillna("").astype(str)
    if not (role == "lead").any():
        return None
    return df[role == "lead"].iloc[0], df[role == "lead_plea"].iloc[0]


STEP_LABELS = {"latest/any/fc": "Registry's own flag, latest data",
               "as_of/any/fc": "Records posted by the claim's date",
               "then/any/fc": "The registry as it stood then", "central/fc": "DNA central only",
               "central/fc_cdc": "With co-defendants' confessions", "central/fc_cdc_plea": "With guilty pleas",
               "any/fc_cdc": "With co-defendants' confessions", "any/fc_cdc_plea": "With guilty pleas"}


def reconciliation_steps(df: pd.DataFrame) -> pd.DataFrame:
    """The path from the plain count (latest data, DNA in any role, own confession, all crimes) to the lead readings:
    the same count as of the claim's date, in the snapshot of the time, DNA central only, + co-defendants'
    confessions, with guilty pleas (the lead's view and DNA choice; steps that cannot be computed are left out).

    One row per reading in plotted order: ``step``, ``label``, the reading's numbers, ``change`` = share − the
    previous step's share (so the changes add up from the first share to the last).
    """
    lead = lead_rows(df)
    if lead is None:
        return pd.DataFrame(columns=["step", "label", "reading", "when", "k", "n", "share", "ci_low", "ci_high",
                                     "change", "interval_contains_32", "role"])
    view, dna = str(lead[0]["reading"]).split("/")[:2]
    path = ["latest/any/fc/all", "as_of/any/fc/all", "then/any/fc/all"]
    path = path[:path.index(f"{view}/any/fc/all") + 1] if f"{view}/any/fc/all" in path else path
    path += [f"{view}/{dna}/{c}/all" for c in ("fc", "fc_cdc", "fc_cdc_plea")]
    rows = []
    for reading in dict.fromkeys(path):
        found = _get(df, reading)
        if len(found) and found["n"].iloc[0] > 0:
            r = found.iloc[0]
            parts = reading.split("/")
            key = "/".join(parts[:3]) if parts[1] == "any" and parts[2] == "fc" else "/".join(parts[1:3])
            rows.append({"label": STEP_LABELS[key], "reading": reading, "when": r["when"], "k": int(r["k"]),
                         "n": int(r["n"]), "share": r["share"], "ci_low": r["ci_low"], "ci_high": r["ci_high"],
                         "interval_contains_32": bool(r["interval_contains_32"]), "role": r["role"]})
    out = pd.DataFrame(rows)
    out.insert(0, "step", range(1, len(out) + 1))
    out["change"] = pd.array(list(out["share"].astype(float).diff()), dtype="Float64")
    return out[["step", "label", "reading", "when", "k", "n", "share", "ci_low", "ci_high", "change",
                "interval_contains_32", "role"]]


# --------------------------------------------------------------------------------------------------------
# The words
# --------------------------------------------------------------------------------------------------------


def _stated(row: pd.Series) -> str:
    """``98 of 350 (28.0%; 95% CI 23.6–32.9%)``."""
    return f"{k_of_n(row['k'], row['n'])} ({pct1(row['share'])}; {interval_text(row['ci_low'], row['ci_high'])})"


def _verdict(lead: pd.Series, plea: pd.Series, short: bool = False) -> str:
    """What the two intervals say about 32% (within one of them, or below / above both)."""
    if lead["interval_contains_32"] or plea["interval_contains_32"]:
        return "32% is within reach" if short else ("the 32% is within reach of the registry's data once read as "
                                                    "the Innocence Project meant it")
    if max(float(lead["ci_high"]), float(plea["ci_high"])) < IP_CLAIM:
        return "still short of 32%" if short else ("even read as the Innocence Project meant it, the registry's "
                                                   "data stay below 32%")
    return "above 32%" if short else "read as the Innocence Project meant it, the registry's data are above 32%"


def lead_sentence(df: pd.DataFrame, *, short: bool = False) -> str:
    """The lead reading and its plea variant with their intervals, and what they say about 32% (``short``: the
    chart title's wording)."""
    lead = lead_rows(df)
    if lead is None:
        return "None of the registry's readings of the 32% can be computed from the data given"
    a, b = lead
    central = a["dna_definition"] == DNA_CHOICES[1].label
    if short:
        what = "DNA central, own or co-defendant's confession" if central else "Own or co-defendant's confession"
        verdict = _verdict(a, b, short=True) if central else "DNA central not computable"
        return (f"{what}: {pct1(a['share'])} ({interval_text(a['ci_low'], a['ci_high'])}); with guilty pleas, "
                f"{pct1(b['share'])}: {verdict}")
    where = "DNA was central (the Innocence Project's list)" if central else "DNA played any role"
    verdict = _verdict(a, b) if central else (
        "the Innocence Project's list (DNA central) cannot be formed from this data, so this is only the closest "
        f"reading it allows; DNA central: {NOT_COMPUTABLE}")
    source = "the synthetic demo data give" if _synthetic(df) else "the registry gives"
    return (f"Read closest to the claim's list and definition — DNA exonerations in which {where}, and the "
            f"exoneree's own or a co-defendant's false confession or admission — {source} {_stated(a)} "
            f"in {a['when']}; counting guilty pleas, {_stated(b)}, "
            f"{share_phrase(b['share'], b['ci_low'], b['ci_high'])}: {verdict}.")


def _synthetic(df: pd.DataFrame) -> bool:
    """Whether the readings come from the synthetic demo export (``synthetic`` column)."""
    return "synthetic" in df.columns and bool(df["synthetic"].map(lambda v: str(v).lower() in ("true", "1")).any())


def _lower(label: str) -> str:
    """A step label inside a sentence (``DNA`` keeps its capitals)."""
    return label if label.startswith("DNA") else label[:1].lower() + label[1:]


def _change(x: float) -> str:
    points = round(float(x) * 100, 1)
    return f"{'+' if points >= 0 else '−'}{abs(points):.1f} points"


def reconciliation_paragraph(df: pd.DataFrame) -> str:
    """The lead reading first, then the path step by step, the narrowest reading, the latest data's DNA-central
    readings (with the marker's basis), how many readings of the grid include 32%, what cannot be computed.

    Every number is formatted from ``df`` (the output of :func:`reconciliation`), apart from the claim's 32% and
    its list's 350 (``IP_LIST_COUNT``).
    """
    available = df[df["n"] > 0]
    if available.empty:
        return lead_sentence(df) + "."
    parts = [SYNTHETIC_OPENING] if _synthetic(df) else []
    parts += [f"The claim: {IP_SOURCE}. In 2017 the Innocence Project counted every US DNA exoneration "
             f"({IP_LIST_COUNT} on its list in July 2017), not only its own cases, and \"false confessions or "
             "admissions\", including co-defendants' confessions and, in some wordings, guilty pleas.",
             lead_sentence(df)]
    steps = reconciliation_steps(df)
    if len(steps) > 1:
        first = steps.iloc[0]
        moves = [f"{_lower(r['label'])} {_change(r['change'])} to {pct1(r['share'])}"
                 for _, r in steps.iloc[1:].iterrows()]
        parts.append(f"Step by step from {pct1(first['share'])} ({k_of_n(first['k'], first['n'])}, "
                     f"{_lower(first['label'])}): " + "; ".join(moves) + ".")
    plain = _get(df, "latest/any/fc/all")
    if len(plain) and plain["n"].iloc[0] > 0:
        p = plain.iloc[0]
        side = "inside" if p["interval_contains_32"] else "outside"
        parts.append(f"The narrowest reading, the exoneree's own false confession among DNA exonerations in any "
                     f"role, is {_stated(p)} in the {p['when']}: 32% lies {side} that interval.")
    latest_central = _get(df, "latest/central/fc_cdc/all")
    if len(latest_central):
        r, plea = latest_central.iloc[0], _get(df, "latest/central/fc_cdc_plea/all").iloc[0]
        if r["n"] > 0:
            parts.append(f"On the latest data, with the minor-DNA marker {r['dna_minor_basis']} "
                         f"({count_noun(r['dna_unknown'], 'DNA exoneration')} whose marker is unknown left out), "
                         f"DNA central "
                         f"and own or co-defendant's confession gives {_stated(r)}; counting guilty pleas, "
                         f"{_stated(plea)}.")
        else:
            parts.append(f"On the latest data, DNA central: {r['note']}.")
    close = int(available["interval_contains_32"].sum())
    parts.append(f"{close} of the {len(available)} readings computed (grid fixed in advance, every cell in the "
                 f"table) have a 95% interval containing 32%.")
    if (df["n"] == 0).any():
        parts.append(f"{int((df['n'] == 0).sum())} cells are not computable (see the table's notes).")
    parts.append("\"As of\" readings count the records posted by that date with today's coding; the snapshot of "
                 "the time, where stored, shows the registry's own coding then.")
    return " ".join(parts)
