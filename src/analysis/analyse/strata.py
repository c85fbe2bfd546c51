"""Comparisons within crime strata, and without coded-only rows: the fair versions of the headline contrasts.

Population: the default one (exonerations since 1989, ``not pre_1989``). Strata (:data:`STRATA`): all crimes,
homicide (``homicide`` coded yes: the registry's H tag, or murder/manslaughter where the tag is missing) and other
crimes (``homicide`` coded no); a record whose ``homicide`` is missing is only in "all crimes".

* :func:`juvenile_by_crime`: the false-confession share of juveniles (under 18 at the crime, age known) and adults
  in each stratum, and the ratio juvenile / adult with its 95% interval (Katz, log scale:
  :func:`analysis.analyse.wording.ratio_interval`). Juveniles are more often convicted of homicide, where false
  confessions are commoner, so the all-crimes ratio mixes age with crime.
* :func:`time_lost_by_crime`: years lost and time from arrest by false confession, in each stratum, with the
  placeholder release dates left out (:mod:`analysis.analyse.time_lost`).
* :func:`misconduct_comparison`: official misconduct among false-confession cases *without* misconduct in
  interrogation (INT, coded only on false-confession cases: :mod:`analysis.analyse.coding_rules`) against
  exonerations without a false confession.

Every table has the standard columns ``group, n, k, share, ci_low, ci_high`` first (Wilson intervals).
"""

from __future__ import annotations

import pandas as pd

from analysis.analyse.coding_rules import coding_rule_label
from analysis.analyse.definitions import population_expression
from analysis.analyse.filters import column_kinds, parse
from analysis.analyse.share_rows import share_frame, share_row
from analysis.analyse.time_lost import ARREST_STATUS, durations
from analysis.analyse.wording import diff_interval, k_of_n, pct1, ratio_interval

__all__ = ["JUVENILE", "ADULT", "STRATA", "juvenile_by_crime", "misconduct_comparison", "misconduct_sentence",
           "population", "stratum_masks", "time_columns", "time_lost_by_crime"]

STRATA = ("All crimes", "Homicide", "Other crimes")
JUVENILE, ADULT = "Under 18", "18 and over"


def population(table: pd.DataFrame) -> pd.Series:
    """The default population: exonerations since 1989."""
    return parse(population_expression(None, "fc"), column_kinds(table)).evaluate(table).astype(bool)


def _yes(table: pd.DataFrame, column: str) -> pd.Series:
    return table[column].astype("boolean").eq(True).fillna(False).astype(bool)


def _no(table: pd.DataFrame, column: str) -> pd.Series:
    return table[column].astype("boolean").eq(False).fillna(False).astype(bool)


def stratum_masks(table: pd.DataFrame) -> dict[str, pd.Series]:
    """:data:`STRATA` → mask: every record, ``homicide`` yes, ``homicide`` no."""
    return {STRATA[0]: pd.Series(True, index=table.index), STRATA[1]: _yes(table, "homicide"),
            STRATA[2]: _no(table, "homicide")}


def juvenile_by_crime(table: pd.DataFrame) -> pd.DataFrame:
    """Per stratum two rows (``Under 18: homicide``, ``18 and over: homicide``, …): n = exonerees of the age group
    in the stratum, k = those who falsely confessed; ``ratio, ratio_low, ratio_high`` = juvenile share / adult
    share in the stratum with its 95% interval (the same on both rows; missing when a share is 0 or undefined);
    ``share_of_age_group`` = n / exonerees of that age group in all crimes (e.g. the share of juvenile exonerees
    convicted of homicide)."""
    pop, fc = population(table), _yes(table, "fc")
    ages = {JUVENILE: pop & _yes(table, "juvenile"), ADULT: pop & _no(table, "juvenile")}
    rows = []
    for stratum, mask in stratum_masks(table).items():
        counts = {age: (int((m & mask & fc).sum()), int((m & mask).sum())) for age, m in ages.items()}
        (k1, n1), (k0, n0) = counts[JUVENILE], counts[ADULT]
        ratio = ratio_interval(k1, n1, k0, n0)
        for age, (k, n) in counts.items():
            row = share_row(f"{age}: {stratum.lower()}", k, n)
            total = int(ages[age].sum())
            row.update(stratum=stratum, age_group=age, ratio=ratio[0], ratio_low=ratio[1], ratio_high=ratio[2],
                       share_of_age_group=n / total if total else None)
            rows.append(row)
    out = share_frame(rows, ["stratum", "age_group", "ratio", "ratio_low", "ratio_high", "share_of_age_group"])
    for col in ("ratio", "ratio_low", "ratio_high", "share_of_age_group"):
        out[col] = pd.array([None if pd.isna(v) else float(v) for v in out[col]], dtype="Float64")
    return out


def _quantiles(values: pd.Series, prefix: str = "") -> dict:
    years = values.dropna().astype("float64")
    empty = years.empty
    return {f"{prefix}median": None if empty else float(years.median()),
            f"{prefix}q1": None if empty else float(years.quantile(0.25)),
            f"{prefix}q3": None if empty else float(years.quantile(0.75))}


def time_columns(table: pd.DataFrame, mask: pd.Series) -> dict:
    """Time lost for the records of ``mask``: ``n_known`` (years lost known, placeholder release dates left
    out), ``n_placeholder`` (release date missing or placeholder), ``median``, ``q1``, ``q3``, ``mean``,
    ``total``; from a full arrest date: ``n_arrest_to_conviction`` / ``median_arrest_to_conviction`` and
    ``n_arrest_to_release`` / ``median_arrest_to_release`` (years), ``n_arrest_partial`` (arrest year without
    month or day: left out), ``n_arrest_missing``, ``n_arrest_inconsistent`` (arrest after conviction or
    release as published: left out)."""
    d = durations(table)[mask]
    years = d["years_lost"].dropna().astype("float64")
    out = {"n_known": len(years), "n_placeholder": int(d["placeholder"].sum()), **_quantiles(years),
           "mean": None if years.empty else float(years.mean()), "total": float(years.sum())}
    for measure in ("arrest_to_conviction", "arrest_to_release"):
        out[f"n_{measure}"] = int(d[measure].notna().sum())
        out[f"median_{measure}"] = _quantiles(d[measure])["median"]
    out["n_arrest_partial"] = int((d["arrest"] == ARREST_STATUS[1]).sum())
    out["n_arrest_missing"] = int((d["arrest"] == ARREST_STATUS[2]).sum())
    out["n_arrest_inconsistent"] = int((d["negative_conviction"] | d["negative_release"]).sum())
    return out


TIME_COLUMNS = ["n_known", "n_placeholder", "median", "q1", "q3", "mean", "total", "n_arrest_to_conviction",
                "median_arrest_to_conviction", "n_arrest_to_release", "median_arrest_to_release", "n_arrest_partial",
                "n_arrest_missing", "n_arrest_inconsistent"]
FLOAT_TIME = ("median", "q1", "q3", "mean", "median_arrest_to_conviction", "median_arrest_to_release")


def time_lost_by_crime(table: pd.DataFrame) -> pd.DataFrame:
    """Per stratum two rows (``False confession: homicide``, ``No false confession: homicide``, …): n = records,
    k = false confessions among them (n or 0), then :func:`time_columns`, ``stratum`` and ``fc_group``."""
    pop, fc = population(table), _yes(table, "fc")
    rows = []
    for stratum, mask in stratum_masks(table).items():
        for label, group in (("False confession", fc), ("No false confession", ~fc)):
            m = pop & mask & group
            row = share_row(f"{label}: {stratum.lower()}", int((m & fc).sum()), int(m.sum()))
            row.update(time_columns(table, m), stratum=stratum, fc_group=label)
            rows.append(row)
    out = share_frame(rows, TIME_COLUMNS + ["stratum", "fc_group"])
    for col in FLOAT_TIME:
        out[col] = pd.array([None if pd.isna(v) else float(v) for v in out[col]], dtype="Float64")
    return out


def misconduct_comparison(table: pd.DataFrame) -> pd.DataFrame:
    """Official misconduct (``om`` coded yes: k) among: all false-confession cases; false-confession cases with
    misconduct in interrogation coded no (INT not coded: left out, counted in ``interrogation_not_coded``);
    exonerations without a false confession. ``coding_rule``: on the all-false-confession row, the label of
    ``om`` (:func:`~analysis.analyse.coding_rules.coding_rule_label`: it includes INT, coded only on
    false-confession cases)."""
    pop, fc, om = population(table), _yes(table, "fc"), _yes(table, "om")
    no_int = _no(table, "om_interrogation")
    label = coding_rule_label(table, "om", pop)
    spec = [("False confession", "fc", pop & fc),
            ("False confession without misconduct in interrogation", "fc and not om_interrogation",
             pop & fc & no_int),
            ("No false confession", "not fc", pop & ~fc)]
    rows = []
    for group, expression, mask in spec:
        row = share_row(group, int((mask & om).sum()), int(mask.sum()))
        row.update(expression=expression, coding_rule=label if group == "False confession" else "",
                   interrogation_not_coded=int((mask & table["om_interrogation"].isna()).sum()))
        rows.append(row)
    return share_frame(rows, ["expression", "coding_rule", "interrogation_not_coded"])


def misconduct_sentence(table: pd.DataFrame) -> str:
    """The fair comparison in one sentence, with the difference and its 95% interval (Newcombe)."""
    out = misconduct_comparison(table).set_index("group")
    a, b = out.loc["False confession without misconduct in interrogation"], out.loc["No false confession"]
    if a["n"] == 0 or b["n"] == 0:
        return "Too few records to compare official misconduct without misconduct in interrogation."
    d, low, high = diff_interval(int(a["k"]), int(a["n"]), int(b["k"]), int(b["n"]))
    return (f"Official misconduct was coded in {pct1(a['share'])} of false-confession cases without misconduct in "
            f"interrogation ({k_of_n(a['k'], a['n'])}), against {pct1(b['share'])} of exonerations without a "
            f"false confession ({k_of_n(b['k'], b['n'])}): a difference of {d * 100:.1f} percentage points "
            f"(95% CI {_signed(low * 100)} to {_signed(high * 100)}).")


def _signed(x: float) -> str:
    return f"{x:.1f}".replace("-", "\u2212")
