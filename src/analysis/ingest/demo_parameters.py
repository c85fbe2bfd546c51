"""The invented parameters of the synthetic demo export (:mod:`analysis.ingest.demo`), and its code lists.

**Nothing here is an estimate.** Only the column names in :data:`HEADER` were taken from the registry's 2026 full
export; every number below was made up for the demo, chosen to be *roughly* like the aggregate shares of the 2026-06
full export (rounded, and simplified: one model, a few interactions) so that every table, chart and notebook has
something to show. They are approximations made up for a demo, not estimates of anything:

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
"""

from __future__ import annotations

import datetime as dt

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
