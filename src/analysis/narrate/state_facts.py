"""The numbers and ready sentences of one state's fact sheet (``reports/states/<abbr>/facts.json``).

Definitions (all on the snapshot's as-of view, exonerations since 1989, grouped by the registry's ``state``: federal
cases under their district's state, military cases as their own jurisdiction):

* **share**: false confessions (``fc``) of the jurisdiction's exonerations, with a 95% interval that is
  cluster-aware (co-defendant groups, :mod:`analysis.analyse.clusters`) where the export records groups and Wilson
  otherwise (``interval_method`` says which); the national share is computed the same way.
* **verdict**: :func:`~analysis.analyse.wording.compare_phrase`: "higher than" / "lower than" the national share
  only when the two intervals do not overlap, else "in line with".
* **rank**: 1 = the highest share among the jurisdictions with at least :data:`MIN_SHEET` exonerations; its 95%
  interval is the 2.5th–97.5th percentile of the rank over :data:`RANK_REPS` parametric bootstrap draws (each
  jurisdiction's k redrawn from Binomial(n, k/n), numpy ``default_rng(RANK_SEED)``); no rank is given without it.
* **trend**: the share in two periods fixed in advance (:data:`PERIODS`, never the peak), "rose/fell" only when
  the difference's interval excludes zero (:func:`~analysis.analyse.wording.change_phrase`).
* **years lost**: medians over records with a known value; records whose release date is missing or a placeholder
  (:func:`analysis.analyse.time_lost.placeholder_release`) are left out and counted.
* fewer than :data:`SMALL_N` exonerations: no percentage headline, a "small numbers" notice instead.

Aggregates only: counts, shares, intervals, medians, never a record.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from analysis.analyse.clusters import cluster_ids, cluster_rate_from_masks
from analysis.analyse.definitions import REGISTRY
from analysis.analyse.rates import rate_from_masks
from analysis.analyse.tables import TABLES, decade_labels, share_by
from analysis.analyse.time_lost import placeholder_release
from analysis.analyse.wording import (
    change_phrase,
    compare_phrase,
    count_with_share,
    diff_interval,
    interval_text,
    k_of_n,
    pct1,
    share_phrase,
)
from analysis.credit import credit_line
from analysis.snapshot import Snapshot

MIN_SHEET = 10
"""Jurisdictions with at least this many exonerations since 1989 get a fact sheet."""
SMALL_N = 30
"""Below this many exonerations a sheet shows no percentage headline, only k of n and a notice."""
RANK_REPS, RANK_SEED = 2_000, 2026
PERIODS = ((1989, 2009, "in 1989–2009"), (2010, 9999, "in 2010 and later"))
"""The two periods the trend compares (exoneration years), fixed in advance."""
NATIONAL = "the national share"
SHARE_COLUMNS = ["fc", "pre_1989"]  # all a share table reads (a narrow frame keeps it fast)


def slug(name: str, abbr: object) -> str:
    """``IL`` → ``il``; a jurisdiction without an abbreviation by its name (``Military (federal)`` →
    ``military-federal``)."""
    if isinstance(abbr, str) and abbr:
        return abbr.lower()
    return re.sub(r"[^a-z0-9]+", "-", str(name).lower()).strip("-")


def jurisdictions(snapshot: Snapshot) -> pd.DataFrame:
    """The state table (:func:`analysis.analyse.tables.state`) without ``Unknown``, with ``slug``, ``sheet`` (at
    least :data:`MIN_SHEET` exonerations since 1989) and the intervals of the fact sheets (cluster-aware where
    the export records co-defendant groups; ``interval_method`` says which)."""
    view = snapshot.view
    table = TABLES["state"](view)
    table = table[table["state"].notna() & (table["n"] > 0)].reset_index(drop=True)
    population = ~view["pre_1989"].fillna(False).astype(bool)
    fc, clusters = view["fc"].fillna(False).astype(bool), cluster_ids(view)
    shares = [_share(fc, population & view["state"].eq(name).fillna(False).astype(bool), clusters)
              for name in table["group"]]
    for column in ("ci_low", "ci_high", "interval_method"):
        table[column] = [s[column] for s in shares]
    table["slug"] = [slug(g, a if pd.notna(a) else None) for g, a in zip(table["group"], table["state_abbr"],
                                                                           strict=True)]
    table["sheet"] = table["n"] >= MIN_SHEET
    return table


def _share(of: pd.Series, among: pd.Series, clusters: pd.Series | None) -> dict:
    """k of n with the cluster-aware interval where groups are recorded, else Wilson."""
    r = rate_from_masks(of, among)
    out = {"k": r.k, "n": r.n, "share": r.share, "ci_low": r.ci_low, "ci_high": r.ci_high,
           "interval_method": "Wilson"}
    if clusters is not None and r.n:
        c = cluster_rate_from_masks(of, among, clusters)
        if c.ci_low is not None and c.ci_high is not None:
            out.update(ci_low=c.ci_low, ci_high=c.ci_high, interval_method="cluster-aware (co-defendant groups)")
    return out


def ranks(states: pd.DataFrame) -> pd.DataFrame:
    """Rank (1 = highest share) of each jurisdiction with a sheet, and its bootstrap 95% interval (module doc)."""
    eligible = states[states["sheet"]].reset_index(drop=True)
    k, n = eligible["k"].to_numpy(float), eligible["n"].to_numpy(float)
    share = k / n
    rank = np.array([1 + int((share > s).sum()) for s in share])
    rng = np.random.default_rng(RANK_SEED)
    draws = rng.binomial(n.astype(int), share, size=(RANK_REPS, len(n))) / n
    drawn = 1 + (draws[:, None, :] > draws[:, :, None]).sum(axis=2)  # rank of j in each draw
    low, high = np.percentile(drawn, [2.5, 97.5], axis=0)
    return pd.DataFrame({"slug": eligible["slug"], "rank": rank, "rank_low": np.floor(low).astype(int),
                         "rank_high": np.ceil(high).astype(int), "of": len(eligible)})


def ordinal(n: int) -> str:
    n = int(n)
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _rows(frame: pd.DataFrame) -> list[dict]:
    keep = ["group", "n", "k", "share", "ci_low", "ci_high"]
    return [{key: (None if pd.isna(v) else (v.item() if hasattr(v, "item") else v)) for key, v in row.items()}
            for row in frame[keep].to_dict("records")]


def _median(values: pd.Series) -> float | None:
    values = values.dropna()
    return round(float(values.median()), 1) if len(values) else None


def state_facts(snapshot: Snapshot, name: str, states: pd.DataFrame, rank_table: pd.DataFrame) -> dict:
    """The facts of jurisdiction ``name`` (a ``group`` of :func:`jurisdictions`): see the module docstring."""
    view = snapshot.view
    row = states[states["group"] == name].iloc[0]
    population = ~view["pre_1989"].fillna(False).astype(bool)
    here = population & view["state"].eq(name).fillna(False).astype(bool)
    fc = view["fc"].fillna(False).astype(bool)
    clusters = cluster_ids(view)
    share, national = _share(fc, here, clusters), _share(fc, population, clusters)
    synthetic = snapshot.source.synthetic
    where = "In the synthetic demo data" if synthetic else f"In {REGISTRY}"
    opening = f"{where} {snapshot.when}"
    verdict = compare_phrase(share["ci_low"], share["ci_high"], national["ci_low"], national["ci_high"], NATIONAL)
    small = share["n"] < SMALL_N
    phrase = None if small else share_phrase(share["share"], share["ci_low"], share["ci_high"])
    national_text = f"{pct1(national['share'])}, {interval_text(national['ci_low'], national['ci_high'])}"
    if small:
        headline = (f"{opening}, {k_of_n(share['k'], share['n'])} exonerations since 1989 in {name} involved a false "
                    f"confession: too few cases for a reliable percentage "
                    f"({interval_text(share['ci_low'], share['ci_high'])}), {verdict} ({national_text}).")
    elif phrase.endswith("%"):  # no fraction in words is true of this share and its interval
        headline = (f"{opening}, {k_of_n(share['k'], share['n'])} exonerations since 1989 in {name} ({phrase}, "
                    f"{interval_text(share['ci_low'], share['ci_high'])}) involved a false confession, {verdict} "
                    f"({national_text}).")
    else:
        headline = (f"{opening}, {phrase} of the {share['n']:,} exonerations since 1989 in {name} "
                    f"({k_of_n(share['k'], share['n'])}; {pct1(share['share'])}, "
                    f"{interval_text(share['ci_low'], share['ci_high'])}) involved a false confession, {verdict} "
                    f"({national_text}).")
    sentences = [{"id": "share", "text": headline, "phrase": phrase}]
    local = view[here]
    breakdowns = {}
    for key, yes, no, label, other in (("dna", "DNA", "Not DNA", "DNA exoneration", "non-DNA exonerations"),
                                       ("homicide", "Homicide", "Not homicide", "homicide exoneration",
                                        "other exonerations")):
        flag = local[key].fillna(False).astype(bool)
        labels = flag.map({True: yes, False: no}).astype(object)
        breakdowns[key] = _rows(share_by(local[SHARE_COLUMNS], labels, order=[yes, no]))
        k1, n1 = int((flag & local["fc"].fillna(False)).sum()), int(flag.sum())
        k0, n0 = int((~flag & local["fc"].fillna(False)).sum()), int((~flag).sum())
        if n1:
            against = f"against {pct1(k0 / n0)} of the {n0:,} {other}" if n0 else "and there are no others"
            sentences.append({"id": key, "text": f"{opening}, {count_with_share(k1, n1, label)} in {name} involved "
                                                 f"a false confession, {against}.", "phrase": None})
    juvenile = local["juvenile"].astype("boolean")
    fc_local = local["fc"].fillna(False).astype(bool)
    kj, nf = int((juvenile.fillna(False) & fc_local).sum()), int(fc_local.sum())
    known_j = juvenile.notna()
    juveniles = {"juvenile_among_fc": {"k": kj, "n": nf},  # age not recorded counts as not under 18
                 "fc_among_juvenile": {"k": kj, "n": int((juvenile.fillna(False) & known_j).sum())}}
    if nf:
        sentences.append({"id": "juveniles", "text": f"{opening}, {count_with_share(kj, nf, 'false confessor')} "
                                                     f"in {name} were under 18 at the time of the crime.",
                          "phrase": None})
    placeholder = placeholder_release(local)
    years = local["years_lost"].astype("Float64").where(~placeholder)
    lost = {"false_confession": {"median": _median(years[fc_local]), "n_known": int(years[fc_local].notna().sum())},
            "other": {"median": _median(years[~fc_local]), "n_known": int(years[~fc_local].notna().sum())},
            "placeholder_release_left_out": int(placeholder.sum())}
    if lost["false_confession"]["median"] is not None and lost["other"]["median"] is not None:
        sentences.append({"id": "years_lost", "text": (
            f"{opening}, people in {name} who falsely confessed lost a median of "
            f"{lost['false_confession']['median']:.1f} years to a wrongful conviction "
            f"(of {lost['false_confession']['n_known']:,} with a known release date), against "
            f"{lost['other']['median']:.1f} for other exonerees (of {lost['other']['n_known']:,}).") , "phrase": None})
    decades = _rows(share_by(local[SHARE_COLUMNS], decade_labels(local["exoneration_year"])))
    year = local["exoneration_year"]
    (a0, a1, before), (b0, b1, after) = PERIODS
    first, second = year.between(a0, a1).fillna(False), year.between(b0, b1).fillna(False)
    k0, n0, k1, n1 = (int((fc_local & first).sum()), int(first.sum()), int((fc_local & second).sum()),
                      int(second.sum()))
    d, d_low, d_high = diff_interval(k1, n1, k0, n0)
    trend = {"before": before, "after": after, "k0": k0, "n0": n0, "k1": k1, "n1": n1,
             "difference": None if np.isnan(d) else d, "diff_low": None if np.isnan(d_low) else d_low,
             "diff_high": None if np.isnan(d_high) else d_high}
    if n0 and n1:
        trend["phrase"] = change_phrase(k0, n0, k1, n1, before=before, after=after)
        sentences.append({"id": "trend", "text": f"{opening}, the false-confession share of exonerations in {name} "
                                                 f"{trend['phrase']}.", "phrase": None})
    ranked = rank_table[rank_table["slug"] == row["slug"]]
    rank = None
    if len(ranked):
        r = ranked.iloc[0]
        rank = {"rank": int(r["rank"]), "low": int(r["rank_low"]), "high": int(r["rank_high"]), "of": int(r["of"]),
                "method": f"parametric bootstrap, {RANK_REPS:,} draws, seed {RANK_SEED}; 1 = highest share"}
        sentences.append({"id": "rank", "text": (
            f"{opening}, {name} ranks {ordinal(rank['rank'])} of {rank['of']} jurisdictions with at least "
            f"{MIN_SHEET} exonerations by false-confession share (95% interval of the rank: "
            f"{ordinal(rank['low'])} to {ordinal(rank['high'])})."), "phrase": None})
    source = credit_line(synthetic)
    for s in sentences:
        s.update(as_of=snapshot.source.iso if snapshot.as_of is None else snapshot.as_of.isoformat(), source=source)
    return {"state": name, "abbr": None if pd.isna(row["state_abbr"]) else str(row["state_abbr"]),
            "slug": row["slug"], "synthetic": synthetic, "as_of": snapshot.as_of_label, "credit": source,
            "snapshot": snapshot.to_json(), "exonerations": share["n"], "false_confessions": share["k"],
            "share": share, "national": national, "verdict": verdict, "small_numbers": small,
            "breakdowns": breakdowns, "juveniles": juveniles, "years_lost": lost, "by_decade": decades,
            "trend": trend, "rank": rank, "sentences": sentences}
