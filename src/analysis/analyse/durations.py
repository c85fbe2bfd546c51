"""How long it takes: arrest to conviction, conviction to exoneration, arrest to release (lifelines).

**What the curves describe.** Every record in the registry was exonerated, so no time is censored: a
Kaplan–Meier curve here is the share of exonerees *still waiting* after t years, among those exonerated — the
time it took them, not the chance that a wrongful conviction is ever overturned (the convictions never
overturned are not in the registry).

Definitions (exonerations since 1989; years = days / 365.25):

* **Dates.** Conviction, exoneration and release are full dates in the 2026 export (missing in older exports).
  The arrest date is split into year, month and day: a measure from arrest uses it **only when all three are
  given** (``precision`` ``day``); a year-and-month or year-only arrest date is counted as such and left out,
  **never completed by guessing** (:func:`arrest_dates`).
* **Arrest to release** leaves out the placeholder releases of
  :func:`analysis.analyse.time_lost.placeholder_release` (release = conviction date under a custodial
  sentence), and counts them.
* A duration whose end comes before its start is left out and counted (``end before start``).
* Medians and quartiles are lifelines' Kaplan–Meier percentiles (the first time the curve is at or below 50%,
  75%, 25%), with lifelines' 95% interval for the median; the log-rank test compares false-confession cases with
  the others within the same stratum.

Every table has ``group, n, k, share, ci_low, ci_high``; for the duration rows ``k`` of ``n`` is the coverage
(records whose measure is known).
"""

from __future__ import annotations

import math
import warnings
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from analysis.analyse.codefendants import since_1989
from analysis.analyse.model_frame import CRIME
from analysis.analyse.share_rows import share_frame, share_row
from analysis.analyse.time_lost import placeholder_release
from analysis.snapshot import Snapshot

if TYPE_CHECKING:
    from lifelines import KaplanMeierFitter
# lifelines is imported where it is used: it takes about a second to import, which a build that reuses every
# table (every no-op build) should not pay

__all__ = ["MEASURES", "STRATA", "arrest_dates", "duration_coverage", "duration_sentences", "durations",
           "km_curves", "km_fit", "measure_years", "years_lost_distribution"]

DAYS_PER_YEAR = 365.25
MEASURES = {
    "arrest_to_conviction": ("Arrest to conviction", "arrest", "conviction_date"),
    "conviction_to_exoneration": ("Conviction to exoneration", "conviction_date", "exoneration_date"),
    "arrest_to_release": ("Arrest to release", "arrest", "release_date"),
}
"""id → (label, start, end); ``arrest`` is the full arrest date of :func:`arrest_dates`."""
STRATA = ("All crimes", "Homicide", "Sexual assault", "Child sex abuse", "Other violent", "Non-violent")
GROUPS = ("False confession", "No false confession")
KNOWN = "known"
KM_STEP = 0.5
"""The Kaplan–Meier curves are published on a grid of half years (aggregates, not individual durations)."""


def arrest_dates(table: pd.DataFrame) -> pd.DataFrame:
    """The arrest date where year, month and day are all given (``date``) and the ``precision`` of what is given:
    ``day``, ``month`` (year and month), ``year`` (year only), ``missing``, or ``invalid`` (three parts that make
    no calendar date)."""
    y, m, d = (table[f"arrest_{p}"].astype("Float64") for p in ("year", "month", "day"))
    full = y.notna() & m.notna() & d.notna()
    parts = pd.DataFrame({"year": y.where(full), "month": m.where(full), "day": d.where(full)}).astype("float64")
    date = pd.to_datetime(parts, errors="coerce") if len(parts) else pd.Series(pd.NaT, index=table.index)
    precision = np.select([full & date.notna(), full, y.notna() & m.notna(), y.notna()],
                          ["day", "invalid", "month", "year"], "missing")
    return pd.DataFrame({"date": date, "precision": precision}, index=table.index)


def measure_years(table: pd.DataFrame, measure: str) -> pd.DataFrame:
    """Per record: the duration in years (``years``, missing unless ``status`` is ``known``) and ``status``:
    ``known``, ``arrest date has month only`` / ``year only`` / ``not recorded or unreadable`` (a part the
    normalisation quarantined) / ``invalid``, ``<end> not
    recorded``, ``placeholder release`` or ``end before start``."""
    _, start_col, end_col = MEASURES[measure]
    status = pd.Series(KNOWN, index=table.index, dtype=object)
    if start_col == "arrest":
        arrest = arrest_dates(table)
        start = arrest["date"]
        words = {"month": "arrest date has year and month only", "year": "arrest date has year only",
                 "missing": "arrest date not recorded or unreadable", "invalid": "arrest date invalid"}
        for precision, text in words.items():
            status[arrest["precision"] == precision] = text
    else:
        start = table[start_col]
        status[start.isna()] = f"{start_col.replace('_', ' ')} not recorded"
    end = table[end_col]
    status[(status == KNOWN) & end.isna()] = f"{end_col.replace('_', ' ')} not recorded"
    if end_col == "release_date":
        status[(status == KNOWN) & placeholder_release(table)] = "placeholder release"
    years = (end - start).dt.days / DAYS_PER_YEAR
    status[(status == KNOWN) & (years < 0)] = "end before start"
    return pd.DataFrame({"years": years.where(status == KNOWN).astype("float64"), "status": status})


def _strata(table: pd.DataFrame) -> pd.Series:
    return table["crime_category"].astype(object).map(lambda c: CRIME.get(c, "Not recorded") if pd.notna(c)
                                                      else "Not recorded")


def km_fit(years: pd.Series, label: str = "") -> KaplanMeierFitter:
    """lifelines' Kaplan–Meier fit of ``years`` (every exoneration observed: no censoring)."""
    from lifelines import KaplanMeierFitter

    return KaplanMeierFitter().fit(years.to_numpy(dtype=float), event_observed=np.ones(len(years)), label=label)


def _percentile(kmf: KaplanMeierFitter, p: float) -> float:
    """The first time the curve is at or below ``p`` (lifelines' ``percentile``; its warning that it reads the step
    function is silenced: for a Kaplan–Meier curve that is exact)."""
    from lifelines.exceptions import ApproximationWarning

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ApproximationWarning)
        return _nan(kmf.percentile(p))


def _logrank(a: pd.Series, b: pd.Series):  # noqa: ANN202 - lifelines StatisticalResult or None
    """lifelines' log-rank test of ``a`` against ``b`` (None when either has fewer than two records); the pandas
    deprecation warnings lifelines raises inside are silenced."""
    if min(len(a), len(b)) < 2:
        return None
    from lifelines.statistics import logrank_test

    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", category=DeprecationWarning, module="lifelines")
        warnings.filterwarnings("ignore", category=FutureWarning, module="lifelines")
        return logrank_test(a, b)


def _nan(x: object) -> float:
    x = float(x)
    return x if math.isfinite(x) else float("nan")


def duration_coverage(table: pd.DataFrame) -> pd.DataFrame:
    """For each measure, the records of each status (``k``) among exonerations since 1989 (``n``)."""
    pop = since_1989(table)
    rows = []
    for measure, (label, _, _) in MEASURES.items():
        status = measure_years(pop, measure)["status"]
        order = [KNOWN] + sorted(s for s in status.unique() if s != KNOWN)
        for s in order:
            rows.append(share_row(f"{label}: {s}", int((status == s).sum()), len(pop), measure=measure, status=s))
    return share_frame(rows, ["measure", "status"])


def durations(table: pd.DataFrame) -> pd.DataFrame:
    """Each measure × crime stratum × false confession or not: records (``n``), records whose measure is known
    (``k``, the coverage), the Kaplan–Meier median and quartiles in years with the median's 95% interval, and
    the log-rank test of false-confession cases against the others in the same measure and stratum."""
    pop = since_1989(table)
    fc, strata = pop["fc"].fillna(False).astype(bool), _strata(pop)
    rows = []
    for measure, (label, _, _) in MEASURES.items():
        values = measure_years(pop, measure)
        for stratum in STRATA:
            in_stratum = pd.Series(True, index=pop.index) if stratum == "All crimes" else strata == stratum
            known = {g: values.loc[in_stratum & m & values["years"].notna(), "years"]
                     for g, m in zip(GROUPS, (fc, ~fc), strict=True)}
            test = _logrank(known[GROUPS[0]], known[GROUPS[1]])
            for group, mask in zip(GROUPS, (fc, ~fc), strict=True):
                part, years = values[in_stratum & mask], known[group]
                extra = {"measure": measure, "stratum": stratum, "fc_group": group,
                         "not_known": int((part["status"] != KNOWN).sum()),
                         "placeholder": int((part["status"] == "placeholder release").sum()),
                         "logrank_chi2": test.test_statistic if test else None,
                         "logrank_p": test.p_value if test else None}
                if len(years):
                    from lifelines.utils import median_survival_times

                    kmf = km_fit(years)
                    ci = median_survival_times(kmf.confidence_interval_).iloc[0]
                    extra.update(median_years=_percentile(kmf, 0.5), median_low=_nan(ci.iloc[0]),
                                 median_high=_nan(ci.iloc[1]), q1_years=_percentile(kmf, 0.75),
                                 q3_years=_percentile(kmf, 0.25))
                rows.append(share_row(f"{label}, {stratum.lower()}, {group.lower()}", len(years), len(part),
                                      **extra))
    extra_cols = ["measure", "stratum", "fc_group", "not_known", "placeholder", "median_years", "median_low",
                  "median_high", "q1_years", "q3_years", "logrank_chi2", "logrank_p"]
    out = share_frame(rows, extra_cols)
    for col in extra_cols[5:]:
        out[col] = pd.array(list(out[col]), dtype="Float64")
    return out


def km_curves(table: pd.DataFrame, strata: tuple[str, ...] = ("All crimes", "Homicide")) -> pd.DataFrame:
    """Kaplan–Meier curves of the time from conviction to exoneration, false confession or not, in each of
    ``strata``, on a grid of :data:`KM_STEP` years: ``n`` exonerees in the curve, ``k`` still waiting after
    ``years`` (so ``share`` = k/n, with its Wilson interval), and lifelines' survival with its 95% band
    (``km_survival``, ``km_low``, ``km_high``; with no censoring ``km_survival`` equals ``share``)."""
    pop = since_1989(table)
    fc, crime = pop["fc"].fillna(False).astype(bool), _strata(pop)
    values = measure_years(pop, "conviction_to_exoneration")["years"]
    rows = []
    known = values.dropna()
    top = math.ceil(known.max() / KM_STEP) * KM_STEP if len(known) else 0.0
    grid = np.round(np.arange(0.0, top + KM_STEP / 2, KM_STEP), 6)
    for stratum in strata:
        in_stratum = pd.Series(True, index=pop.index) if stratum == "All crimes" else crime == stratum
        for group, mask in zip(GROUPS, (fc, ~fc), strict=True):
            years = values[in_stratum & mask].dropna()
            if not len(years):
                continue
            kmf = km_fit(years, group)
            surv = kmf.survival_function_.iloc[:, 0]
            band = kmf.confidence_interval_survival_function_
            at = surv.index.searchsorted(grid, side="right") - 1
            for t, i in zip(grid, at, strict=True):
                rows.append(share_row(f"{stratum}, {group.lower()}: {t:g} years", int((years > t).sum()), len(years),
                                      stratum=stratum, curve=group, years=float(t), at_risk=int((years >= t).sum()),
                                      km_survival=float(surv.iloc[i]), km_low=float(band.iloc[i, 0]),
                                      km_high=float(band.iloc[i, 1])))
    return share_frame(rows, ["stratum", "curve", "years", "at_risk", "km_survival", "km_low", "km_high"])


BIN_EDGES = [*range(0, 42, 2)]
"""Two-year bands from 0 to 40 years, then 40 or more."""


def years_lost_distribution(table: pd.DataFrame) -> pd.DataFrame:
    """Years lost (conviction to release) in two-year bands, false confession or not: records in the band
    (``k``) of those with years lost known (``n``); the placeholder zeros (:func:`analysis.analyse.time_lost.
    placeholder_release`) are a band of their own (``band`` = ``placeholder``), not zero years."""
    pop = since_1989(table)
    fc = pop["fc"].fillna(False).astype(bool)
    known = pop["years_lost"].notna()
    placeholder = placeholder_release(pop) & known
    rows = []
    for group, mask in zip(GROUPS, (fc, ~fc), strict=True):
        n = int((mask & known).sum())
        years = pop.loc[mask & known & ~placeholder, "years_lost"].astype("float64")
        rows.append(share_row(f"{group}: placeholder zero", int((mask & placeholder).sum()), n, fc_group=group,
                              band="placeholder", years_from=None, years_to=None))
        for lo in BIN_EDGES:
            hi = lo + 2 if lo < BIN_EDGES[-1] else None
            inside = (years >= lo) & (years < hi) if hi is not None else years >= lo
            rows.append(share_row(f"{group}: {lo}–{hi} years" if hi else f"{group}: {lo}+ years", int(inside.sum()),
                                  n, fc_group=group, band=f"{lo}–{hi}" if hi else f"{lo}+", years_from=float(lo),
                                  years_to=None if hi is None else float(hi)))
    out = share_frame(rows, ["fc_group", "band", "years_from", "years_to"])
    for col in ("years_from", "years_to"):
        out[col] = pd.array(list(out[col]), dtype="Float64")
    return out


def duration_sentences(snapshot: Snapshot) -> str:
    """The durations in words (Markdown list): for each measure, its coverage and the median years of
    false-confession cases against the others with their 95% intervals; then what the curves describe."""
    from analysis.analyse.codefendants import population_words
    from analysis.analyse.wording import cap, k_of_n, pct1

    table = durations(snapshot.view)
    where = population_words(snapshot)
    lines = []
    for measure, (label, _, _) in MEASURES.items():
        rows = table[(table["measure"] == measure) & (table["stratum"] == "All crimes")].set_index("fc_group")
        k, n = int(rows["k"].sum()), int(rows["n"].sum())
        if k == 0:
            lines.append(f"{cap(where)}, {label.lower()} is not known for any record ({n:,} records).")
            continue
        fc, other = rows.loc[GROUPS[0]], rows.loc[GROUPS[1]]

        def median(r: pd.Series) -> str:
            return (f"{_nan(r['median_years']):.1f} years (95% CI {_nan(r['median_low']):.1f}–"
                    f"{_nan(r['median_high']):.1f})")

        p = _nan(fc["logrank_p"]) if pd.notna(fc["logrank_p"]) else float("nan")
        test = "log-rank p < 0.001" if p < 0.001 else f"log-rank p = {p:.3f}"
        lines.append(f"{cap(where)}, {label.lower()} took a median of {median(fc)} for those who falsely "
                     f"confessed and {median(other)} for the others ({test}); it is known for {k_of_n(k, n)} "
                     f"records ({pct1(k / n)}).")
    lines.append("Every record was exonerated, so these are the times it took among those exonerated, not the "
                 "chance that a wrongful conviction is overturned; an arrest date without its day is left out, "
                 "never guessed.")
    return "\n".join(f"- {line}" for line in lines)
