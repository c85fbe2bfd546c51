"""Who falsely confesses, modelled: a logistic regression of the FC factor among exonerees (statsmodels).

**What it can and cannot mean.** Exonerees are a selected population (convicted, then exonerated and recorded by
the registry), so the odds ratios are associations among the exonerated, not risks of confessing.

Model (:data:`FORMULA`): ``fc`` (the registry's false-confession factor; blank = not coded = no) on age at the
crime, crime, race, sex, decade of conviction, death sentence, DNA and region, on exonerations since 1989; the
variables, reference levels (adults 25 or older, homicide, White, male, 1990s, no, South), missing values (dropped
and counted) and sparse levels (merged and reported) are defined in :mod:`analysis.analyse.model_frame`. Standard
errors are cluster-robust by co-defendant group (:func:`analysis.analyse.codefendants.cluster_ids`; a record
without a group is its own cluster). The likelihood-ratio test per variable compares the model with and without it
on the same records (it assumes independent records; the cluster-robust Wald p-values are in ``p_value``). The
headline is the adjusted odds ratio for exonerees under 18 (a second fit with the juvenile levels pooled) beside
the crude one.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import statsmodels.formula.api as smf
from scipy import stats as sps

from analysis.analyse.model_frame import (
    DROP_REASONS,
    FORMULA,
    LABELS,
    MERGED_NAMES,
    MIN_CELL,
    REFERENCE,
    VARIABLES,
    design_frame,
    formula_for,
    merge_sparse,
    model_sample,
    order_levels,
    sparse_levels,
)
from analysis.analyse.share_rows import share_frame, share_row
from analysis.snapshot import Snapshot

__all__ = ["FORMULA", "MIN_CELL", "REFERENCE", "VARIABLES", "FcModel", "adjusted_for", "design_frame", "fc_model",
           "fc_model_sample", "fit_fc_model", "formula_for", "headline_sentences", "model_sample", "model_sentences",
           "sparse_levels"]

JUVENILE_LEVELS = {"13 and under", "14–15", "16–17", MERGED_NAMES[("13 and under", "14–15")]}

NAMES = {"crime": "crime", "race": "race", "sex": "sex", "decade": "decade of conviction",
         "death_sentence": "death sentence", "dna": "DNA", "region": "region"}


def adjusted_for(model: pd.DataFrame) -> str:
    """What the age odds ratios are adjusted for, from the variables in the fitted table (``fc_model``):
    ``"crime, race, sex, decade of conviction, death sentence, DNA and region"``."""
    names = [NAMES[v] for v in NAMES if v in set(model["variable"])]
    return ", ".join(names[:-1]) + f" and {names[-1]}" if len(names) > 1 else "".join(names)
READING = "An association among the exonerated (a selected population), not a risk of confessing."

def _fit(formula: str, frame: pd.DataFrame, clusters: np.ndarray | None):  # noqa: ANN202 - LogitResults
    """Maximum likelihood logit of ``formula`` on ``frame``; cluster-robust covariance when ``clusters`` is given."""
    data = frame[["fc"]].join(frame[[v for v in VARIABLES if v in frame]].astype("category"))
    model = smf.logit(formula, data, check_rank=False)
    if clusters is None:
        return model.fit(disp=0, maxiter=200)
    return model.fit(disp=0, maxiter=200, cov_type="cluster", cov_kwds={"groups": clusters})


@dataclass
class FcModel:
    """A fitted model and what it was fitted on (see the module docstring)."""

    frame: pd.DataFrame
    formula: str
    variables: list[str]
    reference: dict[str, str]
    result: object  # statsmodels LogitResults, cluster-robust
    naive: object  # the same fit with the usual (independent-records) standard errors
    dropped: pd.Series
    notes: list[str] = field(default_factory=list)
    lr: dict[str, tuple[float, int, float]] = field(default_factory=dict)
    crude: dict[str, object] = field(default_factory=dict)
    juvenile: tuple[float, float, float, float, float, float] | None = None  # adjusted OR, CI; crude OR, CI


def _term(var: str, reference: str, level: str) -> str:
    return f"C({var}, Treatment(reference='{reference}'))[T.{level}]"


def _or(result: object, term: str) -> tuple[float, float, float, float]:
    ci = result.conf_int().loc[term]
    return (float(np.exp(result.params[term])), float(np.exp(ci[0])), float(np.exp(ci[1])),
            float(result.pvalues[term]))


_CACHE: dict[tuple[int, int], FcModel | None] = {}


def fit_fc_model(table: pd.DataFrame, min_cell: int = MIN_CELL) -> FcModel | None:
    """Fit the model on ``table`` (the canonical table's as-of view); None when there are too few records or
    cases to fit (fewer than ``min_cell`` false confessions or others). The last few fits are kept, keyed by the
    content of the model's variables, so the table, the chart and the sentences fit once."""
    design = design_frame(table)
    key = (int(pd.util.hash_pandas_object(design.astype(str), index=True).sum()), min_cell)
    if key not in _CACHE:
        if len(_CACHE) >= 4:
            _CACHE.pop(next(iter(_CACHE)))
        try:
            _CACHE[key] = _fit_fc_model(design, min_cell)
        except (np.linalg.LinAlgError, ValueError, KeyError, ZeroDivisionError) as exc:
            # a sample too thin for the model (a small as-of view, a tiny export): no model, said by the callers
            # as "too few records", never a failed build
            warnings.warn(f"the false-confession model could not be fitted on these data ({type(exc).__name__})",
                          stacklevel=2)
            _CACHE[key] = None
    return _CACHE[key]


def _fit_fc_model(design: pd.DataFrame, min_cell: int) -> FcModel | None:
    frame, dropped = model_sample(design)
    if frame["fc"].sum() < min_cell or (1 - frame["fc"]).sum() < min_cell:
        return None
    frame, reference, variables, notes = merge_sparse(frame, min_cell)
    clusters = pd.factorize(frame["cluster"])[0]
    formula = formula_for(variables, reference)
    fit = FcModel(frame, formula, variables, reference, _fit(formula, frame, clusters), _fit(formula, frame, None),
                  dropped, notes)
    for var in variables:
        reduced = _fit(formula_for([v for v in variables if v != var], reference), frame, None)
        stat = 2 * (fit.naive.llf - reduced.llf)
        df = int(fit.naive.df_model - reduced.df_model)
        fit.lr[var] = (float(stat), df, float(sps.chi2.sf(stat, df)))
        fit.crude[var] = _fit(formula_for([var], reference), frame, clusters)
    big = [t for t in fit.result.params.index if abs(fit.result.params[t]) > 10 or fit.result.bse[t] > 10]
    if big:
        notes.append("possible separation left (very large estimate or standard error): " + ", ".join(big))
    if "age_group" in variables:
        under_18 = frame["age_group"].map(lambda a: a in JUVENILE_LEVELS)
        pooled = frame.assign(age_group=frame["age_group"].where(~under_18, "Under 18"))
        if pooled["age_group"].nunique() > 1 and sparse_levels(pooled, ("age_group",), min_cell).empty:
            adj = _fit(formula_for(variables, reference), pooled, clusters)
            crude = _fit(formula_for(["age_group"], reference), pooled, clusters)
            term = _term("age_group", reference["age_group"], "Under 18")
            if term in adj.params.index and term in crude.params.index:  # not when merging folded juveniles away
                fit.juvenile = _or(adj, term)[:3] + _or(crude, term)[:3]
            else:
                notes.append("no pooled under-18 estimate: the sparse age levels were merged into the reference")
    return fit


def _level_rows(fit: FcModel) -> list[dict]:
    rows = []
    frame, n_used, n_dropped = fit.frame, len(fit.frame), len(fit.dropped)
    for var in fit.variables:
        ref = fit.reference[var]
        for level in order_levels(var, frame[var]):
            part = frame[frame[var] == level]
            term = _term(var, ref, level)
            extra = {"variable": var, "level": level, "reference": level == ref, "term": "" if level == ref else term,
                     "lr_chi2": fit.lr[var][0], "lr_df": fit.lr[var][1], "lr_p": fit.lr[var][2]}
            if level == ref:
                extra.update(odds_ratio=1.0, crude_or=1.0)
            else:
                o, lo, hi, p = _or(fit.result, term)
                co, clo, chi, cp = _or(fit.crude[var], term)
                extra.update(odds_ratio=o, or_low=lo, or_high=hi, p_value=p, crude_or=co, crude_low=clo,
                             crude_high=chi, crude_p=cp, se_cluster=float(fit.result.bse[term]),
                             se_naive=float(fit.naive.bse[term]))
            rows.append(share_row(f"{LABELS[var]}: {level}", int(part["fc"].sum()), len(part), **extra,
                                  n_used=n_used, n_dropped=n_dropped))
    if fit.juvenile:
        part = frame[frame["age_group"].map(lambda a: a in JUVENILE_LEVELS)]
        o, lo, hi, co, clo, chi = fit.juvenile
        rows.append(share_row("Age at crime: under 18 (pooled model)", int(part["fc"].sum()), len(part),
                              variable="age_group", level="Under 18", reference=False, term="pooled model",
                              odds_ratio=o, or_low=lo, or_high=hi, crude_or=co, crude_low=clo, crude_high=chi,
                              n_used=n_used, n_dropped=n_dropped))
    return rows


COLUMNS = ["variable", "level", "reference", "term", "odds_ratio", "or_low", "or_high", "p_value", "crude_or",
           "crude_low", "crude_high", "crude_p", "lr_chi2", "lr_df", "lr_p", "se_cluster", "se_naive", "n_used",
           "n_dropped", "note", "reading"]


def fc_model(table: pd.DataFrame) -> pd.DataFrame:
    """The model as a table, one row per level (reference levels: odds ratio 1), then the pooled under-18 row:
    ``n`` records of the level in the model, ``k`` false confessions, their share (Wilson), the adjusted odds
    ratio with its cluster-robust 95% interval and p-value, the crude (one-variable) odds ratio, the variable's
    likelihood-ratio test, records used and dropped, merges (``note``) and what it can mean (``reading``)."""
    fit = fit_fc_model(table)
    if fit is None:
        return share_frame([], COLUMNS)
    out = share_frame(_level_rows(fit), COLUMNS)
    out["note"] = "; ".join(fit.notes)
    out["reading"] = READING
    for col in COLUMNS[4:17]:
        out[col] = pd.array(list(out[col]), dtype="Float64")
    return out


def fc_model_sample(table: pd.DataFrame) -> pd.DataFrame:
    """Records of the population used by the model and dropped, by reason (``n``), with their false confessions
    (``k``) and share."""
    frame = design_frame(table)
    used, dropped = model_sample(frame)
    rows = [share_row("Used in the model", int(used["fc"].sum()), len(used), reason="")]
    for reason in DROP_REASONS.values():
        part = frame.loc[dropped.index[dropped == reason]]
        if len(part):
            rows.append(share_row(f"Dropped: {reason}", int(part["fc"].sum()), len(part), reason=reason))
    return share_frame(rows, ["reason"])


def headline_sentences(table: pd.DataFrame, population: str = "among exonerees since 1989") -> list[str]:
    """One sentence per non-reference age level and the pooled under-18 row (adjusted, then crude), through
    :func:`analysis.analyse.wording.odds_ratio_phrase`."""
    from analysis.analyse.wording import odds_ratio_phrase

    model = fc_model(table)
    rows = model[(model["variable"] == "age_group") & ~model["reference"].astype(bool)]
    ref = model.loc[(model["variable"] == "age_group") & model["reference"].astype(bool), "level"]
    reference = f"adults {ref.iloc[0]}".replace("and over", "or older") if len(ref) else "the reference"
    out = []
    for _, r in rows.iterrows():
        who = "those under 18" if r["level"] == "Under 18" else f"those {r['level']}"
        for cols, adjusted in ((("odds_ratio", "or_low", "or_high"), adjusted_for(model)),
                               (("crude_or", "crude_low", "crude_high"), None)):
            text = odds_ratio_phrase(*(r[c] for c in cols), group=who, reference=reference,
                                     outcome="a false confession", population=population, adjusted_for=adjusted)
            out.append(f"{text}.")
    return out


def model_sentences(snapshot: Snapshot) -> str:
    """The model in words, one sentence a line (Markdown list): the headline adjusted under-18 odds ratio beside
    the crude one, each age level, the records used and dropped, the merges, and what it can mean."""
    from analysis.analyse.codefendants import population_words
    from analysis.analyse.wording import count_noun

    table = snapshot.view
    model = fc_model(table)
    if model.empty:
        return "- There are too few records or false confessions to fit the model."
    lines = headline_sentences(table, population_words(snapshot))
    lines = lines[-2:] + lines[:-2]  # the pooled under-18 headline first
    used, dropped = int(model["n_used"].iloc[0]), int(model["n_dropped"].iloc[0])
    sample = fc_model_sample(table)
    reasons = "; ".join(f"{r['reason']}: {r['n']:,}" for _, r in sample.iloc[1:].iterrows()) or "none"
    lines.append(f"The model uses {count_noun(used)}; {count_noun(dropped, 'record')} with a missing value were "
                 f"dropped, not imputed ({reasons}).")
    for note in filter(None, str(model["note"].iloc[0]).split("; ")):
        merge = "left out" not in note
        lines.append(f"Merged, too few cases to estimate apart: {note}." if merge else f"{note[:1].upper()}{note[1:]}.")
    lines.append(READING)
    return "\n".join(f"- {line}" for line in lines)
