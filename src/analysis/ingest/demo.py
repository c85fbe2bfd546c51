"""``confessions demo``: a synthetic registry export, so a fresh clone runs its main job and its tests without one.

The registry's terms forbid posting its spreadsheet, so the real export never ships with the project. This module
generates a stand-in **in the 2026 full export format** (``nre_full_export``: the same 78 column names, in the same
order, and the same encodings the reader handles: ``Yes``/``No``/blank flags, ISO dates, ``"; "``-joined Case
Characteristics, ``Pre-1989`` rows with the columns that era leaves blank, ``0`` for an unknown age, ``Don't
Know`` cells, ``Fed-XX`` states, a UTF-8 byte-order mark, quoted cells with spaces).

**Nothing in it is real.** Only the column names were taken from the registry's export; no record, name, county or
case number was copied. Exonerees are ``Demo Exoneree 0001`` …, counties ``Demo County 12`` …, case numbers run
from 1. Every row is drawn from the invented parameters below, chosen to be *roughly* like the aggregate shares of
the 2026-06 full export (rounded, and simplified: one model, a few interactions) so that every table, chart and
notebook has something to show. They are approximations made up for a demo, not estimates of anything:

==============================================  ======================================================
exonerations before 1989 (``Pre-1989`` Yes)    11% of rows
worst crime (post-1989 rows)                   murder 39%, drug 17%, sexual assault 10%, child sex abuse 9%,
                                               other non-violent 9%, robbery 5%, assault, other violent,
                                               attempted murder, manslaughter 2–4% each (``CRIMES``)
false confession (FC), post-1989               about 12–13% overall; per crime ``CRIMES["fc"]`` (homicide
                                               21–24%, drug 1.5%); log-odds +2.2 (age ≤ 14) … +0.45 (18–21),
                                               −0.4 (36–50), −1.2 (51+) by age (``FC_AGE``, so about a third
                                               of juveniles); +1.2 with DNA; by state ``FC_STATE``
DNA, post-1989                                 about 17%; sexual assault 63%, murder 20%, drug 0.5%; more
                                               common among 1995–2009 exonerations (``DNA_PERIOD``)
official misconduct (OM)                       about 60%; log-odds +1.3 with FC (so about 80% of FC cases);
                                               misconduct types drawn given OM; misconduct in interrogation
                                               only with FC (``OM_TYPES``)
co-defendant confessed, mistaken ID, no crime  per crime; FC moves them: +1.6, −0.6, −0.8 log-odds
Conviction Integrity Unit                      none before 2003, then rising to about 40% of 2020s
                                               exonerations (``CIU_PERIOD``), mostly drug cases
juvenile (under 18 at the crime)               about 9% (murder 14%, other non-violent 1.4%)
female exoneree                                about 9% (manslaughter 23%, sexual assault 0.5%)
race                                           per crime (Black 27–72%, White 13–59%, Hispanic 7–18%)
years lost                                     log-normal around a per-crime median (murder 15, drug 0.5),
                                               longer with FC (×1.2) and DNA (×1.4); some zeros
exoneration year                               1989–2026, rising (``EXONERATION_YEARS``); pre-1989 rows from
                                               1850 to 1988, most after 1930
posting dates                                  the demo registry "opens" on ``LAUNCH`` (older exonerations
                                               mostly posted that day), pre-1989 rows mostly on
                                               ``PRE_1989_POSTED``; the export is dated ``EXPORT_DATE``
==============================================  ======================================================

The same ``rows`` and ``seed`` always give the same bytes (numpy ``Generator``). Within each crime a flag is given
to exactly its share of the rows (rounded), drawn with weights from the log-odds effects, so the shares above hold
at any size and for any seed; only the interactions (FC among juveniles, among DNA cases …) vary from seed to seed.
A demo export is always stored as source ``demo`` (``data/raw/demo/``), never mixed with the registry's snapshots,
and everything built from it says it is synthetic (``Source.synthetic``).
"""

from __future__ import annotations

import argparse
import bisect
import datetime as dt
import itertools
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.errors import UserError
from analysis.files import write_bytes
from analysis.formats.codes import STATE_ABBR

SOURCE = "demo"
DEFAULT_ROWS = 3000
DEFAULT_SEED = 2026
MIN_ROWS = 50
MAX_ROWS = 200_000
NAME_PREFIX = "Demo Exoneree"
COUNTY_PREFIX = "Demo County"
EXPORT_DATE = dt.date(2026, 6, 30)
LAUNCH = dt.date(2011, 9, 1)
PRE_1989_POSTED = dt.date(2018, 3, 1)
DEFAULT_NAME = "demo-export.csv"

# The 2026 full export's header, names only (the order is the export's).
HEADER: tuple[str, ...] = (
    "ID", "Name", "State", "County of Crime",
    "Sex", "Race", "Age at Crime Years", "Worst Crime Display",
    "List Add'l Crimes Recode", "Posting Date", "Last Update Date", "Pre-1989",
    "Date of Exon", "Date of Release", "Years Lost", "Date of 1st Convic",
    "Date of 2nd Convic Year", "Date of 2nd Convic Month", "Date of 2nd Convic Day", "Date of Crime Year",
    "Date of Crime Month", "Date of Crime Day", "Date of Arrest Year", "Date of Arrest Month",
    "Date of Arrest Day", "Case Characteristics", "Why was D Suspected? Recode", "Closest Relation V→D",
    "Form of 1st Conviction", "Death Penalty?", "Sentence", "Sentence (Other)",
    "2nd Sentence", "False Confession", "False or Misleading Forensic Evidence", "Inadequate Legal Defense",
    "Mistaken Witness ID", "Official Misconduct", "Perjury or False Accusation?", "DNA",
    "Exonerated CoDs?", "Part of a Group Exon?", "# Mistaken ID Witnesses", "# Mistaken ID Witnesses at Trial",
    "Other False ID", "Mistaken Cross-group ID?", "Tainted ID procedure(s)?", "Any known recanters",
    "# victim recanters", "Year of recantation", "Forensic Evidence Used?", "Perjury by Official Actors",
    "OF - OM by Police Officer", "PR: Prosecutor Misconduct", "CW - OM by Child Welfare Worker",
    "FA - OM by Forensic Analyst",
    "WH - Exculpatory withheld", "Witness Tampering by OA?", "NW - OM not withholding",
    "KP - Prosecutor permitted perjury",
    "PJ - Perjury by OA", "INT - Misconduct in Interrogation", "PL - Prosecutor Lied in Court",
    "OM by prosecutor during trial?",
    "Official actor disciplined for OM?", "OM not connected to conviction", "Extreme judicial misconduct",
    "# Dead Vs",
    "# Female Vs", "Race of Vs", "White Victim", "Black Victim",
    "Hispanic Victim", "Asian Victim", "Native Victim", "Other Race/Ethnicity Victim",
    "Female Victim", "Child Victim",
)

# --------------------------------------------------------------------------------------------------------
# Invented parameters (see the module docstring): rounded, simplified approximations, not estimates
# --------------------------------------------------------------------------------------------------------

# Per crime category: the worst-crime names it is drawn from, then one value per name in CRIME_FIELDS.
CRIME_FIELDS = (
    "post", "pre", "fc", "pre_fc", "dna", "juvenile", "female", "mwid", "fmfe", "pfa", "om", "ild",
    "sexual_assault", "child_victim", "codefendant", "plea", "no_crime", "ciu", "innocence_org", "informant",
    "misdemeanor", "arson", "shaken_baby", "csa_hysteria", "bitemark", "posthumous", "years", "zero_years",
    "black", "white", "hispanic",
)
CRIMES: dict[str, tuple[dict[str, float], tuple[float, ...]]] = {
    "Murder": ({"Murder": 1.0}, (
        .39, .56, .21, .17, .20, .14, .06, .30, .34, .74, .73, .35,
        .13, .19, .25, .05, .09, .19, .37, .15, 0, .04, .02, 0, .02, .01, 15.0, .02, .56, .28, .14)),
    "Drug crime": ({"Drug Possession or Sale": 1.0}, (
        .17, 0, .015, 0, .005, .06, .15, .02, .22, .66, .65, .04,
        0, 0, .02, .81, .88, .61, .31, .01, .10, 0, 0, 0, 0, 0, .5, .29, .72, .14, .13)),
    "Sexual assault": ({"Sexual Assault": 1.0}, (
        .10, .08, .09, .13, .63, .08, .005, .65, .38, .47, .45, .20,
        1, .13, .06, .08, .27, .10, .38, .03, 0, 0, 0, 0, .01, 0, 10.0, .04, .59, .32, .07)),
    "Child sex abuse": ({"Child Sex Abuse": 1.0}, (
        .09, .013, .08, 0, .11, .05, .115, .12, .43, .85, .42, .32,
        1, 1, .02, .14, .78, .09, .21, .03, .01, 0, 0, .18, 0, 0, 5.4, .05, .27, .59, .11)),
    "Other non-violent crime": ({"Weapon Possession or Sale": .25, "Fraud": .18, "Sex Offender Registration": .14,
                                 "Burglary/Unlawful Entry": .12, "Theft": .1, "Other Nonviolent Felony": .1,
                                 "Traffic Offense": .05, "Conspiracy": .04, "Forgery": .02}, (
        .09, .086, .07, 0, .03, .014, .13, .07, .07, .45, .46, .29,
        .01, .01, .07, .41, .71, .07, .05, 0, .09, .01, 0, 0, 0, .01, .7, .37, .36, .46, .14)),
    "Robbery": ({"Robbery": 1.0}, (
        .047, .187, .04, .04, .12, .06, .01, .77, .12, .33, .46, .43,
        .03, .07, .11, .10, .07, .23, .26, .02, 0, 0, 0, 0, 0, 0, 5.3, .04, .67, .19, .12)),
    "Assault": ({"Assault": 1.0}, (
        .035, .021, .02, .2, .02, .13, .11, .28, .11, .70, .56, .32,
        .03, .09, .09, .12, .56, .05, .07, 0, .11, .07, .01, 0, .02, .03, 2.1, .28, .44, .35, .18)),
    "Other violent crime": ({"Kidnapping": .3, "Arson": .25, "Other Violent Felony": .2, "Child Abuse": .15,
                             "Threats": .1}, (
        .034, .008, .15, 0, .11, .03, .14, .15, .40, .54, .49, .47,
        .17, .26, .13, .18, .58, .07, .18, .08, .07, .20, .09, 0, 0, .01, 3.0, .21, .32, .50, .09)),
    "Attempted murder": ({"Attempted Murder": 1.0}, (
        .027, .015, .06, 0, .11, .115, .04, .66, .21, .56, .55, .38,
        .07, .22, .09, .02, .08, .18, .36, .03, 0, .03, 0, 0, 0, .01, 8.4, .01, .66, .13, .17)),
    "Manslaughter": ({"Manslaughter": 1.0}, (
        .018, .034, .24, .38, .13, .11, .23, .10, .51, .47, .59, .34,
        .07, .23, .10, .39, .49, .06, .23, .04, 0, .01, .09, 0, .01, .01, 2.5, .14, .26, .56, .14)),
}
HOMICIDE = ("Murder", "Manslaughter")
OTHER_RACES = {"Asian": .01, "Native American": .007, "Other": .005, "Don't Know": .002}
PRE_1989_RACES = {"White": .51, "Black": .28, "Don't Know": .15, "Hispanic": .05, "Other": .01}
# log-odds of a false confession by age at the crime (lower bound of the band); unknown age: 0
FC_AGE = ((0, 2.2), (15, 1.5), (17, 1.0), (18, .45), (22, 0.0), (36, -.4), (51, -1.2))
FC_DNA = 1.2
# log-odds of a false confession by state (invented, so that the state map has a pattern to show)
FC_STATE = {"Illinois": .8, "New York": .4, "Virginia": .4, "North Carolina": .4, "Wisconsin": .4, "Texas": -1.0,
            "Ohio": -1.0, "Maryland": -.8, "California": -.3}
JUVENILE_AGES = {11: .02, 12: .03, 13: .06, 14: .12, 15: .2, 16: .27, 17: .3}
ADULT_AGES = {(18, 20): .19, (21, 25): .25, (26, 35): .31, (36, 50): .2, (51, 75): .05}
STATES = {"Illinois": .154, "Texas": .135, "New York": .104, "California": .082, "Michigan": .052,
          "Pennsylvania": .041, "Ohio": .033, "Massachusetts": .028, "Florida": .026, "Louisiana": .025,
          "Virginia": .021, "Wisconsin": .02, "North Carolina": .02, "New Jersey": .019, "Maryland": .017}
FEDERAL = .038
# the other states share what is left equally; the territories far less (relative weights)
TERRITORY_WEIGHT = {"Puerto Rico": .2, "U.S. Virgin Islands": .05, "Guam": 0.0, "American Samoa": 0.0,
                    "Northern Mariana Islands": 0.0}
EXONERATION_YEARS = {1989: 25, **dict.fromkeys(range(1990, 1995), 39), **dict.fromkeys(range(1995, 2000), 50),
                     **dict.fromkeys(range(2000, 2005), 92), **dict.fromkeys(range(2005, 2010), 82),
                     **dict.fromkeys(range(2010, 2015), 114), **dict.fromkeys(range(2015, 2020), 175),
                     **dict.fromkeys(range(2020, 2025), 183), 2025: 100, 2026: 40}
# log-odds shifts by exoneration year (first year of the period)
DNA_PERIOD = ((1989, -.32), (1995, .31), (2005, .72), (2010, .13), (2015, -.36), (2020, -.53))
CIU_PERIOD = ((1989, -30.0), (2003, -2.0), (2010, -.55), (2015, .67), (2020, .97))
# what FC does to the other factors and tags (log-odds), and DNA to the innocence-organisation tag
FC_EFFECTS = {"om": 1.3, "codefendant": 1.6, "mwid": -.6, "no_crime": -.8, "pfa": .5, "ild": .35, "informant": .5}
DNA_INNOCENCE_ORG = 1.5
# years lost: the per-crime median ("years" in CRIMES) times these, log-normal spread, levelling off at YEARS_MAX
YEARS_FC, YEARS_DNA, YEARS_MAX = 1.2, 1.4, 48.0
# misconduct types given official misconduct (columns of the export, share among OM cases)
OM_TYPES = {"OF - OM by Police Officer": .68, "PR: Prosecutor Misconduct": .54, "WH - Exculpatory withheld": .85,
            "Witness Tampering by OA?": .35, "NW - OM not withholding": .78, "KP - Prosecutor permitted perjury": .13,
            "PJ - Perjury by OA": .27, "FA - OM by Forensic Analyst": .04, "PL - Prosecutor Lied in Court": .06}
OM_POLICE_WITH_FC = .9
OM_INTERROGATION_WITH_FC = .65
OM_CHILD_WELFARE_CSA = .33
# a false factor is written "No" instead of blank this often (the export's own mix)
EXPLICIT_NO = .025
TAGS = (  # Case Characteristics words, in the order they are joined
    ("Arson", "arson"), ("Bitemark", "bitemark"), ("Child sex abuse hysteria", "csa_hysteria"),
    ("Codefendant confessed", "codefendant"), ("Conviction Integrity Unit", "ciu"), ("Federal case", "federal"),
    ("Female exoneree", "female"), ("Homicide", "homicide"), ("Innocence organization", "innocence_org"),
    ("Jailhouse informant", "informant"), ("Juvenile defendant", "juvenile"), ("Misdemeanor", "misdemeanor"),
    ("No crime case", "no_crime"), ("Plea", "plea"), ("Posthumous exoneration", "posthumous"),
    ("Sexual Assault", "sexual_assault"), ("Shaken baby syndrome", "shaken_baby"),
)
ADDITIONAL_CRIMES = ("Robbery", "Assault", "Illegal Use of a Weapon", "Burglary/Unlawful Entry", "Kidnapping",
                     "Attempted Murder", "Theft")
SUSPECTED = {"ID": .3, "F": .12, "I": .11, "PX": .09, "A": .07, "DK": .07, "REL": .05, "": .19}
RELATION = {"ST": .41, "0": .25, "AQ": .17, "IF": .06, "EF": .03, "F": .03, "L": .02, "": .03}
# answers of the misconduct detail columns, in the export's own wording (and spacing)
NO_OR_DONT_KNOW = "No or dont know"
NO_OR_DONT_KNOW_AT_TRIAL = "0  No or dont know"
PROSECUTOR_AT_TRIAL = {
    "1 Yes, improper argument": .35,
    "2 Yes, perpetrating a fraud on the court (intentionally misrepresenting facts)": .1,
    "3  Yes, knowingly allowing perjury (code this even if procuring perjury is already coded for the same act)": .2,
    NO_OR_DONT_KNOW_AT_TRIAL: .35,
}
DISCIPLINED = "Yes, for misconduct in other cases that is similar to the misconduct in this case."
NOT_CONNECTED_ABUSE = "Yes, physical abuse of the exoneree that did not contribute to the conviction"
NOT_CONNECTED_POST_CONVICTION = "Yes, post-conviction misconduct"


# --------------------------------------------------------------------------------------------------------
# Drawing
# --------------------------------------------------------------------------------------------------------


def _logit(p: np.ndarray) -> np.ndarray:
    p = np.clip(p, 1e-9, 1 - 1e-9)
    return np.log(p / (1 - p))


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return 1 / (1 + np.exp(-x))


def _flags(rng: np.random.Generator, target: np.ndarray, effect: np.ndarray, groups: np.ndarray) -> np.ndarray:
    """Flags whose count in each group is the group's target share (rounded), given to rows in proportion to
    ``sigmoid(logit(target) + effect + c)``: the effects move flags between rows, not the group's share.

    ``c`` is chosen per group (Newton's method) so that the probabilities average to the target; each row is drawn
    with its probability, then the few rows that make the count exact are drawn (the likeliest rows gain a flag,
    the least likely lose one), so the shares hold at any size, not just on average.
    """
    out = np.zeros(len(target), dtype=bool)
    for group in np.unique(groups):
        idx = np.flatnonzero(groups == group)
        goal = float(target[idx][0])
        count = round(min(max(goal, 0.0), 1.0) * len(idx))
        if count == 0:
            continue
        if count >= len(idx):
            out[idx] = True
            continue
        base = _logit(target[idx]) + effect[idx]
        shift = 0.0
        for _ in range(50):  # the mean is increasing and smooth in the shift: a few steps suffice
            p = _sigmoid(base + shift)
            gap = p.mean() - goal
            if abs(gap) < 1e-10:
                break
            shift -= float(np.clip(gap / max((p * (1 - p)).mean(), 1e-12), -5, 5))
        p = _sigmoid(base + shift)
        drawn = rng.random(len(idx)) < p
        extra = int(drawn.sum()) - count  # then the few rows that make the count exact: unlikely ones lose theirs
        if extra > 0:
            weights = np.where(drawn, 1 - p, 0) + 1e-12 * drawn
            drawn[rng.choice(len(idx), size=extra, replace=False, p=weights / weights.sum())] = False
        elif extra < 0:
            weights = np.where(drawn, 0, p) + 1e-12 * ~drawn
            drawn[rng.choice(len(idx), size=-extra, replace=False, p=weights / weights.sum())] = True
        out[idx] = drawn
    return out


def _choice(rng: np.random.Generator, weights: dict, n: int) -> np.ndarray:
    keys = list(weights)
    p = np.array([weights[k] for k in keys], dtype=float)
    picks = rng.choice(len(keys), size=n, p=p / p.sum())
    return np.array(keys, dtype=object)[picks]


def _period(years: np.ndarray, table: tuple[tuple[int, float], ...]) -> np.ndarray:
    out = np.zeros(len(years))
    for start, shift in table:
        out[years >= start] = shift
    return out


def _day(base: dt.date, days: np.ndarray) -> list[dt.date]:
    return [base + dt.timedelta(days=int(d)) for d in days]


def _draw(rows: int, seed: int) -> dict[str, np.ndarray]:
    """Every variable of every row, as arrays (booleans, numbers, text)."""
    rng = np.random.default_rng(seed)
    n = rows
    v: dict[str, np.ndarray] = {}
    pre = np.zeros(n, dtype=bool)
    pre[: round(n * .11)] = True
    pre = rng.permutation(pre)
    v["pre"] = pre

    names = list(CRIMES)
    params = {name: dict(zip(CRIME_FIELDS, values, strict=True)) for name, (_, values) in CRIMES.items()}
    post_w = np.array([params[c]["post"] for c in names])
    pre_w = np.array([params[c]["pre"] for c in names])
    crime = np.where(pre, rng.choice(len(names), n, p=pre_w / pre_w.sum()),
                     rng.choice(len(names), n, p=post_w / post_w.sum()))
    v["category"] = np.array(names, dtype=object)[crime]
    worst = np.empty(n, dtype=object)
    for name, (crimes, _) in CRIMES.items():
        idx = np.flatnonzero(v["category"] == name)
        worst[idx] = _choice(rng, crimes, len(idx))
    v["worst"] = worst

    def param(field: str) -> np.ndarray:
        return np.array([params[c][field] for c in v["category"]], dtype=float)

    # who: state, age, sex, race
    others = {s: TERRITORY_WEIGHT.get(s, 1.0) for s in STATE_ABBR if s not in STATES}
    rest = (1 - sum(STATES.values()) - FEDERAL) / sum(others.values())
    weights = {**STATES, **{s: w * rest for s, w in others.items() if w}, "federal": FEDERAL}
    state = _choice(rng, weights, n)
    fed = state == "federal"
    state[fed] = ["Fed-" + STATE_ABBR[s] for s in _choice(rng, STATES, int(fed.sum()))]
    v["state"], v["federal"] = state, fed
    v["juvenile"] = (rng.random(n) < param("juvenile")) & ~pre | (pre & (rng.random(n) < .027))
    juvenile_age = _choice(rng, JUVENILE_AGES, n).astype(int)
    band = _choice(rng, {i: w for i, w in enumerate(ADULT_AGES.values())}, n).astype(int)
    bounds = np.array(list(ADULT_AGES))
    adult_age = rng.integers(bounds[band, 0], bounds[band, 1] + 1)
    age = np.where(v["juvenile"], juvenile_age, adult_age)
    unknown_age = rng.random(n) < np.where(pre, .176, .005)
    v["age"] = np.where(unknown_age, 0, age)
    v["female"] = np.where(pre, rng.random(n) < .03, rng.random(n) < param("female"))
    race = np.empty(n, dtype=object)
    for name in names:
        idx = np.flatnonzero((v["category"] == name) & ~pre)
        p = params[name]
        race[idx] = _choice(rng, {"Black": p["black"], "White": p["white"], "Hispanic": p["hispanic"],
                                  **OTHER_RACES}, len(idx))
    race[pre] = _choice(rng, PRE_1989_RACES, int(pre.sum()))
    v["race"] = race

    # when: exoneration year, then the flags that depend on it
    years = np.array(list(EXONERATION_YEARS))
    year_w = np.array(list(EXONERATION_YEARS.values()), dtype=float)
    exon_year = np.where(pre, 1988 - np.minimum(rng.exponential(40, n), 138).astype(int),
                         rng.choice(years, n, p=year_w / year_w.sum()))
    v["exon_year"] = exon_year

    group = v["category"] + np.where(pre, "|pre", "|post")
    dna = _flags(rng, param("dna"), _period(exon_year, DNA_PERIOD), group)
    v["dna"] = dna & ~pre
    age_effect = np.zeros(n)
    for start, shift in FC_AGE:
        age_effect[v["age"] >= start] = shift
    age_effect[v["age"] == 0] = 0.0
    state_effect = np.array([FC_STATE.get(s, 0.0) for s in state])
    fc_target = np.where(pre, param("pre_fc"), param("fc"))
    v["fc"] = _flags(rng, fc_target, age_effect + FC_DNA * v["dna"] + state_effect, group)
    fc = v["fc"].astype(float)
    for field in ("mwid", "fmfe", "pfa", "om", "ild"):
        target = param(field)
        if field in ("mwid", "pfa", "om"):  # the older rows carry fewer factors
            target = np.where(pre, np.minimum(target * {"mwid": 1.4, "pfa": .6, "om": .45}[field], .95), target)
        else:
            target = np.where(pre, target * .3, target)
        v[field] = _flags(rng, target, FC_EFFECTS.get(field, 0.0) * fc, group)
    for field in ("sexual_assault", "child_victim", "codefendant", "plea", "no_crime", "innocence_org",
                  "informant", "misdemeanor", "arson", "shaken_baby", "csa_hysteria", "bitemark", "posthumous"):
        effect = FC_EFFECTS.get(field, 0.0) * fc + (DNA_INNOCENCE_ORG * v["dna"] if field == "innocence_org" else 0)
        v[field] = _flags(rng, param(field), effect, group) & ~pre
    v["child_victim_pre"] = pre & (rng.random(n) < .1)
    v["arson"] |= (v["worst"] == "Arson") & ~pre
    v["ciu"] = _flags(rng, param("ciu"), _period(exon_year, CIU_PERIOD), group) & ~pre
    v["ciu"] &= exon_year >= 2003
    v["homicide"] = np.isin(v["category"], HOMICIDE)

    # misconduct types (the export's Yes/No columns)
    om = v["om"]
    for column, share in OM_TYPES.items():
        p = np.full(n, share)
        if column == "OF - OM by Police Officer":
            p = np.where(v["fc"], OM_POLICE_WITH_FC, share)
        elif column == "FA - OM by Forensic Analyst":
            p = np.where(v["fmfe"], .15, .01)
        v[column] = om & (rng.random(n) < p)
    v["INT - Misconduct in Interrogation"] = om & v["fc"] & (rng.random(n) < OM_INTERROGATION_WITH_FC)
    v["CW - OM by Child Welfare Worker"] = om & (v["category"] == "Child sex abuse") & (
        rng.random(n) < OM_CHILD_WELFARE_CSA)

    # years lost and the dates around it
    median = param("years") * np.where(v["fc"], YEARS_FC, 1.0) * np.where(v["dna"], YEARS_DNA, 1.0)
    median = np.where(pre, 2.4, median)
    years_lost = YEARS_MAX * np.tanh(median * np.exp(rng.normal(0, .85, n)) / YEARS_MAX)  # levels off near 48
    zero = rng.random(n) < np.where(pre, .05, param("zero_years"))
    v["years_lost_days"] = np.where(zero, rng.integers(0, 18, n), np.round(years_lost * 365.25)).astype(int)
    exon_day = np.where(exon_year == 2026, rng.integers(0, 150, n), rng.integers(0, 365, n))
    v["exon"] = np.array([dt.date(int(y), 1, 1) + dt.timedelta(days=int(d)) for y, d in zip(exon_year, exon_day,
                                                                                            strict=True)])
    in_prison_until_exon = rng.random(n) < .42
    v["release_gap"] = np.where(in_prison_until_exon, 0, np.minimum(rng.exponential(3.5 * 365, n), 30 * 365))
    v["release"] = np.array([e - dt.timedelta(days=int(g)) for e, g in zip(v["exon"], v["release_gap"],
                                                                          strict=True)])
    v["conviction"] = np.array([r - dt.timedelta(days=int(d)) for r, d in zip(v["release"], v["years_lost_days"],
                                                                            strict=True)])
    v["crime_date"] = np.array([c - dt.timedelta(days=int(d)) for c, d in zip(
        v["conviction"], np.minimum(rng.gamma(1.6, 330, n), 20 * 365), strict=True)])
    arrest_gap = np.array([(c - k).days for c, k in zip(v["conviction"], v["crime_date"], strict=True)])
    v["arrest"] = np.array([k + dt.timedelta(days=int(g)) for k, g in zip(
        v["crime_date"], (rng.random(n) ** 3) * arrest_gap, strict=True)])

    # when the demo registry posted and updated each record
    export = (EXPORT_DATE - LAUNCH).days
    lag = np.where(rng.random(n) < .75, rng.exponential(220, n), rng.uniform(0, 12 * 365, n))
    room = np.array([(EXPORT_DATE - e).days for e in v["exon"]])
    lag = np.where(lag > room, rng.random(n) * room, lag)  # posted by the export date, not piled up on it
    posted = np.array([e + dt.timedelta(days=int(d)) for e, d in zip(v["exon"], lag, strict=True)])
    bulk = rng.random(n) < .55
    later = _day(LAUNCH, (rng.beta(1, 2.5, n) * export).astype(int))
    posted = np.array([
        (LAUNCH if b else late) if e < LAUNCH else p
        for e, p, b, late in zip(v["exon"], posted, bulk, later, strict=True)])
    posted = np.array([min(max(p, LAUNCH), EXPORT_DATE) for p in posted])
    pre_days = (EXPORT_DATE - PRE_1989_POSTED).days
    pre_posted = np.where(rng.random(n) < .77, PRE_1989_POSTED,
                          np.array(_day(PRE_1989_POSTED, rng.integers(0, pre_days, n))))
    v["posted"] = np.where(pre, pre_posted, posted)
    updated = rng.random(n) < np.where(pre, .02, .61)
    spread = rng.beta(3, 1, n)
    v["updated"] = np.array([p + dt.timedelta(days=int(s * (EXPORT_DATE - p).days)) if u else None
                             for p, s, u in zip(v["posted"], spread, updated, strict=True)], dtype=object)
    newest = int(np.flatnonzero(~pre)[0])  # one record updated on the export date: the snapshot date
    v["updated"][newest] = EXPORT_DATE
    v["rng"] = rng  # the remaining cells are drawn while the rows are written
    return v


# --------------------------------------------------------------------------------------------------------
# Writing the cells
# --------------------------------------------------------------------------------------------------------


def _flag(value: bool, rng: np.random.Generator, *, explicit_no: float = EXPLICIT_NO) -> str:
    """A contributing factor as the export writes it: ``Yes``, else blank (now and then ``No``)."""
    if value:
        return "Yes"
    return "No" if rng.random() < explicit_no else ""


def _yes_no(value: bool) -> str:
    return "Yes" if value else "No"


def _pick(rng: np.random.Generator, weights: dict[str, float]) -> str:
    """One key of ``weights``, drawn in proportion to its weight (one uniform draw)."""
    cumulative = list(itertools.accumulate(float(w) for w in weights.values()))
    at = bisect.bisect_right(cumulative, rng.random() * cumulative[-1])
    return list(weights)[min(at, len(cumulative) - 1)]


def _sentence(rng: np.random.Generator, homicide: bool, pre: bool, years: float) -> tuple[str, str]:
    """(Sentence, Sentence (Other))."""
    if pre:
        kind = _pick(rng, {"Life": .27, "Death": .21, "Not Sentenced": .04, "Term of Years": .48})
    elif homicide:
        kind = _pick(rng, {"Death": .08, "Life without parole": .2, "Life": .3, "Term of Years": .42})
    elif years < .05:
        kind = _pick(rng, {"Probation": .45, "Not Sentenced": .15, "Term of Years": .4})
    else:
        kind = _pick(rng, {"Life": .04, "Life without parole": .02, "Term of Years": .9, "Probation": .04})
    if kind != "Term of Years":
        return kind, ""
    term = min(99, max(1, round(years * rng.uniform(1.1, 3.0))))
    return kind, f"{term} year" + ("s" if term != 1 else "")


def _victims(rng: np.random.Generator, v: dict, i: int) -> dict[str, str]:
    """``# Dead Vs`` … ``Female Victim``: a code per victim group (``1WF, 2BM``) and one flag per race and sex."""
    out = {"# Dead Vs": "0"}
    if v["homicide"][i]:
        dead = int(rng.choice([1, 2, 3], p=[.88, .09, .03]))
        out["# Dead Vs"] = "0" if v["pre"][i] else str(dead)  # the export has 0 for every pre-1989 record
        count = dead
    elif v["no_crime"][i] or v["category"][i] == "Drug crime":
        count = 0
    else:
        count = int(rng.choice([1, 2], p=[.9, .1]))
    female_p = {"Sexual assault": .9, "Child sex abuse": .75}.get(v["category"][i], .45)
    groups: dict[str, int] = {}
    for _ in range(count):
        race = _pick(rng, {"W": .45, "B": .35, "H": .15, "A": .03, "N": .01, "O": .01})
        sex = "F" if rng.random() < female_p else "M"
        groups[race + sex] = groups.get(race + sex, 0) + 1
    races = {code[0] for code in groups}
    females = sum(k for code, k in groups.items() if code[1] == "F")
    out["# Female Vs"] = "DK" if rng.random() < .005 else str(females)
    out["Race of Vs"] = ", ".join(f"{k}{code}" for code, k in sorted(groups.items())) if groups else "0"
    for letter, column in (("W", "White Victim"), ("B", "Black Victim"), ("H", "Hispanic Victim"),
                           ("A", "Asian Victim"), ("N", "Native Victim"), ("O", "Other Race/Ethnicity Victim")):
        out[column] = _yes_no(letter in races)
    out["Female Victim"] = _yes_no(females > 0)
    return out


def _crime_date_parts(rng: np.random.Generator, day: dt.date) -> tuple[str, str, str]:
    month = "00" if rng.random() < .02 else str(day.month)
    return str(day.year), month, "00" if month == "00" or rng.random() < .05 else str(day.day)


def _row(v: dict, i: int, record_id: int, width: int) -> dict[str, str]:
    rng: np.random.Generator = v["rng"]
    pre = bool(v["pre"][i])
    category, state = v["category"][i], v["state"][i]
    abbr = state[4:] if state.startswith("Fed-") else STATE_ABBR[state]
    county = "" if rng.random() < .02 else f"{COUNTY_PREFIX} {1 + min(int(rng.zipf(1.6)), 60)}"
    years_lost = v["years_lost_days"][i] / 365.25
    row = dict.fromkeys(HEADER, "")
    row.update({
        "ID": str(record_id), "Name": f"{NAME_PREFIX} {record_id:0{width}d}", "State": state,
        "County of Crime": county, "Sex": "Female" if v["female"][i] else "Male", "Race": v["race"][i],
        "Age at Crime Years": str(int(v["age"][i])), "Worst Crime Display": v["worst"][i],
        "Posting Date": v["posted"][i].isoformat(),
        "Last Update Date": v["updated"][i].isoformat() if v["updated"][i] else "",
        "Pre-1989": _yes_no(pre), "Date of Exon": v["exon"][i].isoformat(),
        "Date of Release": v["release"][i].isoformat(), "Years Lost": f"{years_lost:.1f}".removesuffix(".0"),
        "Date of 1st Convic": v["conviction"][i].isoformat(),
    })
    row["Date of Crime Year"], row["Date of Crime Month"], row["Date of Crime Day"] = _crime_date_parts(
        rng, v["crime_date"][i])
    row["Sentence"], row["Sentence (Other)"] = _sentence(rng, bool(v["homicide"][i]), pre, years_lost)
    row["Death Penalty?"] = ("" if pre and rng.random() < .02 else _yes_no(row["Sentence"] == "Death"))
    row["Part of a Group Exon?"] = _yes_no(rng.random() < (.35 if v["ciu"][i] and category == "Drug crime"
                                                           else .03))
    for column, field in (("False Confession", "fc"), ("False or Misleading Forensic Evidence", "fmfe"),
                          ("Inadequate Legal Defense", "ild"), ("Mistaken Witness ID", "mwid"),
                          ("Official Misconduct", "om"), ("Perjury or False Accusation?", "pfa")):
        row[column] = _flag(bool(v[field][i]), rng)
    victims = _victims(rng, v, i)
    row.update({k: victims[k] for k in ("# Dead Vs", "White Victim", "Black Victim", "Hispanic Victim",
                                        "Asian Victim", "Native Victim", "Other Race/Ethnicity Victim",
                                        "Female Victim")})
    if pre:  # the columns the registry's older records leave blank
        row["DNA"] = "No" if rng.random() < .01 else ""
        row["Child Victim"] = _yes_no(bool(v["child_victim_pre"][i]))
        row["# Female Vs"] = "" if rng.random() < .09 else victims["# Female Vs"]
        row["Race of Vs"] = "" if rng.random() < .34 else victims["Race of Vs"]
        if rng.random() < .64:
            for column in (*OM_TYPES, "INT - Misconduct in Interrogation", "CW - OM by Child Welfare Worker"):
                row[column] = "No"
        row["Exonerated CoDs?"] = f"{abbr}{rng.integers(1, 10)}" if rng.random() < .3 else ""
        return row

    row["DNA"] = _yes_no(bool(v["dna"][i]))
    row["# Female Vs"], row["Race of Vs"] = victims["# Female Vs"], victims["Race of Vs"]
    cv = bool(v["child_victim"][i])
    row["Child Victim"] = "Yes" if cv else ("No" if rng.random() < .2 else "")
    juvenile = bool(0 < v["age"][i] < 18)  # the tag follows the age written, not an unknown one
    words = [w for w, field in TAGS if (juvenile if field == "juvenile" else bool(v[field][i]))]
    row["Case Characteristics"] = "; ".join(words)
    for column in (*OM_TYPES, "INT - Misconduct in Interrogation", "CW - OM by Child Welfare Worker"):
        row[column] = _yes_no(bool(v[column][i]))
    if rng.random() < .41:
        extra = rng.choice(len(ADDITIONAL_CRIMES), size=1 + int(rng.random() < .2), replace=False)
        row["List Add'l Crimes Recode"] = "; ".join(ADDITIONAL_CRIMES[k] for k in sorted(extra))
    conviction, exon = v["conviction"][i], v["exon"][i]
    if rng.random() < .03 and (exon - conviction).days > 400:
        second = conviction + dt.timedelta(days=int(rng.integers(200, (exon - conviction).days)))
        row["Date of 2nd Convic Year"] = str(second.year)
        row["Date of 2nd Convic Month"] = str(second.month)
        row["Date of 2nd Convic Day"] = "00" if rng.random() < .3 else str(second.day)
    arrest = v["arrest"][i]
    row["Date of Arrest Year"], row["Date of Arrest Month"] = str(arrest.year), str(arrest.month)
    row["Date of Arrest Day"] = "00" if rng.random() < .09 else str(arrest.day)
    row["Why was D Suspected? Recode"] = _pick(rng, SUSPECTED)
    row["Closest Relation V→D"] = "0" if v["no_crime"][i] else _pick(rng, RELATION)
    plea = bool(v["plea"][i])
    row["Form of 1st Conviction"] = "Plea" if plea else _pick(rng, {"Jury": .9, "Bench": .1})
    row["Exonerated CoDs?"] = f"{abbr}{rng.integers(1, 10)}" if rng.random() < (
        .5 if v["codefendant"][i] else .12) else ""
    mwid = bool(v["mwid"][i])
    witnesses = _pick(rng, {"1": .62, "2": .2, "3": .08, "3+": .04, "DK": .06}) if mwid else (
        "DK" if rng.random() < .07 else "0")
    row["# Mistaken ID Witnesses"] = witnesses
    row["# Mistaken ID Witnesses at Trial"] = "P" if plea else witnesses
    row["Other False ID"] = _pick(rng, {"NONE": .38, "FI": .26 + .2 * v["pfa"][i], "NC": .24, "DK": .03, "": .09})
    row["Mistaken Cross-group ID?"] = _pick(rng, {"Yes": .45, "No": .35, "Don't Know": .2}) if mwid else _pick(
        rng, {"No": .85, "Don't Know": .15})
    row["Tainted ID procedure(s)?"] = "Yes" if mwid and rng.random() < .3 else "No or don\u2019t know"
    recanters = rng.random() < (.38 if v["pfa"][i] else .05)
    row["Any known recanters"] = _yes_no(recanters)
    if recanters:
        row["# victim recanters"] = _pick(rng, {"0": .55, "1": .38, "2": .07})
        if rng.random() < .8:
            row["Year of recantation"] = str(int(rng.integers(conviction.year, exon.year + 1)))
    elif rng.random() < .15:
        row["# victim recanters"] = "0"
    if v["fmfe"][i] or v["dna"][i]:
        row["Forensic Evidence Used?"] = "Yes" if rng.random() < .9 else "Don't Know"
    elif plea:
        row["Forensic Evidence Used?"] = "Pled"
    else:
        row["Forensic Evidence Used?"] = _pick(rng, {"Yes": .45, "No": .2, "Don't Know": .2, "": .15})
    if row["PJ - Perjury by OA"] == "Yes":
        row["Perjury by Official Actors"] = _pick(rng, {"Police": .85, "Forensic Analyst": .1,
                                                        "Police; Prosecutor": .05})
    row["OM by prosecutor during trial?"] = (_pick(rng, PROSECUTOR_AT_TRIAL) if row["PR: Prosecutor Misconduct"] ==
                                             "Yes" else NO_OR_DONT_KNOW_AT_TRIAL)
    row["Official actor disciplined for OM?"] = (DISCIPLINED if v["om"][i] and rng.random() < .06
                                                 else NO_OR_DONT_KNOW)
    if v["fc"][i] and rng.random() < .08:
        row["OM not connected to conviction"] = NOT_CONNECTED_ABUSE
    elif v["om"][i] and rng.random() < .05:
        row["OM not connected to conviction"] = NOT_CONNECTED_POST_CONVICTION
    else:
        row["OM not connected to conviction"] = NO_OR_DONT_KNOW
    row["Extreme judicial misconduct"] = "Yes" if rng.random() < .004 else "No or Don't Know"
    return row


def demo_frame(rows: int = DEFAULT_ROWS, seed: int = DEFAULT_SEED) -> pd.DataFrame:
    """The synthetic export as text cells, one column per name in :data:`HEADER` (blank cells are ``""``)."""
    if not MIN_ROWS <= rows <= MAX_ROWS:
        raise UserError(f"--rows must be between {MIN_ROWS:,} and {MAX_ROWS:,}, not {rows:,}")
    if seed < 0:
        raise UserError(f"--seed must be zero or a positive whole number, not {seed}")
    v = _draw(rows, seed)
    width = max(4, len(str(rows)))
    records = [_row(v, i, i + 1, width) for i in range(rows)]
    return pd.DataFrame.from_records(records, columns=list(HEADER))


def _cell(text: str) -> str:
    """Quoted when it holds a space, comma, quote or line break (as the registry's export does)."""
    if any(c in text for c in ' ,"\n\r'):
        return '"' + text.replace('"', '""') + '"'
    return text


def demo_bytes(rows: int = DEFAULT_ROWS, seed: int = DEFAULT_SEED) -> bytes:
    """The synthetic export file: UTF-8 with a byte-order mark, ``\\n`` line ends, the header then one line a row."""
    frame = demo_frame(rows, seed)
    lines = [",".join(_cell(name) for name in HEADER)]
    lines += [",".join(_cell(cell) for cell in record) for record in frame.itertuples(index=False, name=None)]
    return ("\ufeff" + "\n".join(lines) + "\n").encode("utf-8")


def write_demo(path: Path | str, rows: int = DEFAULT_ROWS, seed: int = DEFAULT_SEED) -> Path:
    """Write the synthetic export to ``path`` (atomically) and return it."""
    path = Path(path).expanduser()
    if path.is_dir():
        path = path / DEFAULT_NAME
    try:
        write_bytes(path, demo_bytes(rows, seed))
    except OSError as exc:
        raise UserError(f"cannot write {path}: {exc.strerror or exc}") from None
    return path


def is_demo_export(frame: pd.DataFrame) -> bool:
    """Whether a registry-format table is this module's synthetic export (every name is ``Demo Exoneree …``)."""
    if "Name" not in frame.columns or frame.empty:
        return False
    return bool(frame["Name"].astype("string").fillna("").str.match(rf"^{NAME_PREFIX} \d+$").all())


def ingest_demo(rows: int = DEFAULT_ROWS, seed: int = DEFAULT_SEED):  # noqa: ANN201 - (Manifest, bool)
    """Generate the synthetic export and store it as a ``demo`` snapshot; ``(manifest, created)`` (the same rows
    and seed give the same bytes, so a second call stores nothing)."""
    from analysis.ingest import ingest

    with tempfile.TemporaryDirectory(prefix="confessions-demo-") as tmp:
        path = write_demo(Path(tmp) / f"demo-export-{rows}-rows-seed-{seed}.csv", rows, seed)
        return ingest(SOURCE, str(path))


def run(args: argparse.Namespace) -> int:
    """``confessions demo [--rows N] [--seed S] [--out PATH]``: write the synthetic export, say how to use it."""
    rows = args.rows if args.rows is not None else DEFAULT_ROWS
    seed = args.seed if args.seed is not None else DEFAULT_SEED
    path = write_demo(args.out or DEFAULT_NAME, rows, seed)
    print(f"wrote a synthetic demo export (invented records, not real cases): {rows:,} rows, seed {seed} → {path}")
    print(f"build everything from it: confessions all --from {path}   (stored as source '{SOURCE}', "
          "labelled synthetic in every output)")
    return 0
