"""The new site's (exonerationregistry.org) full CSV export, e.g. 2026-06: 78 columns, post- and pre-1989.

``Yes``/``No``/blank flags, ISO dates, one ``Name`` field, spelled-out ``Case Characteristics`` joined by
``"; "``, one Yes/No column per official-misconduct type, the registry's ``ID`` and ``Years Lost``.
"""

from __future__ import annotations

import pandas as pd

from analysis.formats.cells import (
    Problems,
    parse_dates,
    parse_floats,
    parse_ints,
    place_from_state,
    race,
    split_name,
    text,
    yes_no,
)
from analysis.formats.codes import FACTOR_CODES, OM_CODES, TAG_CODES, TAG_WORDS

FORMAT = "nre_full_export"
PREFIX = "fx"
SIGNATURE = {"Name", "Worst Crime Display", "False Confession"}
REQUIRED = {"Name", "State", "Worst Crime Display", *(col for _, col in FACTOR_CODES.values())}
OPTIONAL_USED = {
    "ID", "County of Crime", "Sex", "Race", "Age at Crime Years", "Posting Date", "Last Update Date", "Pre-1989",
    "Date of Exon", "Date of Release", "Years Lost", "Date of 1st Convic", "Date of Crime Year",
    "Case Characteristics", "Sentence", "Sentence (Other)", "Child Victim", *(col for _, col in OM_CODES.values()),
}
KNOWN = REQUIRED | OPTIONAL_USED | {
    "List Add'l Crimes Recode", "Date of 2nd Convic Year", "Date of 2nd Convic Month", "Date of 2nd Convic Day",
    "Date of Crime Month", "Date of Crime Day", "Date of Arrest Year", "Date of Arrest Month",
    "Date of Arrest Day", "Why was D Suspected? Recode", "Closest Relation V→D", "Form of 1st Conviction",
    "Death Penalty?", "2nd Sentence", "Exonerated CoDs?", "Part of a Group Exon?", "# Mistaken ID Witnesses",
    "# Mistaken ID Witnesses at Trial", "Other False ID", "Mistaken Cross-group ID?", "Tainted ID procedure(s)?",
    "Any known recanters", "# victim recanters", "Year of recantation", "Forensic Evidence Used?",
    "Perjury by Official Actors", "OM by prosecutor during trial?", "Official actor disciplined for OM?",
    "OM not connected to conviction", "Extreme judicial misconduct", "# Dead Vs", "# Female Vs", "Race of Vs",
    "White Victim", "Black Victim", "Hispanic Victim", "Asian Victim", "Native Victim",
    "Other Race/Ethnicity Victim", "Female Victim",
}


def extract(frame: pd.DataFrame, problems: Problems, warn: list[str]) -> dict[str, pd.Series]:
    """Canonical columns that the full export publishes."""
    out: dict[str, pd.Series] = {}
    idx = frame.index
    has = frame.columns.__contains__
    missing = sorted(c for c in OPTIONAL_USED if not has(c))
    if missing:
        warn.append(f"column(s) missing from this export, their canonical columns left empty: {', '.join(missing)}")
    if has("ID"):
        out["registry_id"] = parse_ints(frame["ID"], "ID", problems, lo=1, hi=10**7, what="case number")
    out["name"] = text(frame["Name"])
    out["first_name"], out["last_name"] = split_name(out["name"])
    if has("Age at Crime Years"):
        out["age"] = parse_ints(frame["Age at Crime Years"], "Age at Crime Years", problems, lo=5, hi=100,
                                zero_is_missing=True, what="age")
    if has("Race"):
        out["race"] = race(frame["Race"])
    if has("Sex"):
        out["sex"] = text(frame["Sex"])
    out["state"], out["state_abbr"], out["federal"] = place_from_state(frame["State"])
    if has("County of Crime"):
        out["county"] = text(frame["County of Crime"])
    out["worst_crime"] = text(frame["Worst Crime Display"])
    if has("Sentence"):
        sentence = text(frame["Sentence"])
        if has("Sentence (Other)"):
            sentence = text(frame["Sentence (Other)"]).fillna(sentence)
        out["sentence"] = sentence
    if has("Date of Crime Year"):
        out["crime_year"] = parse_ints(frame["Date of Crime Year"], "Date of Crime Year", problems, lo=1800,
                                       hi=2100, what="year")
    for canonical, source in (("conviction_date", "Date of 1st Convic"), ("exoneration_date", "Date of Exon"),
                              ("release_date", "Date of Release"), ("posting_date", "Posting Date"),
                              ("last_update_date", "Last Update Date")):
        if has(source):
            out[canonical] = parse_dates(frame[source], source, problems)
    if has("Pre-1989"):
        out["pre_1989"] = yes_no(frame["Pre-1989"], "Pre-1989", problems, blank=False)
    if has("Years Lost"):
        out["years_lost"] = parse_floats(frame["Years Lost"], "Years Lost", problems, lo=0, hi=100)
        out["years_lost_basis"] = pd.Series("given", index=idx, dtype="string").where(
            out["years_lost"].notna(), None)

    for _, (canonical, source) in FACTOR_CODES.items():
        blank = None if canonical == "dna" else False
        out[canonical] = yes_no(frame[source], source, problems, blank=blank)

    if has("Case Characteristics"):
        # ";homicide;sexual assault;" so that each characteristic is matched whole, vectorised
        joined = ";" + frame["Case Characteristics"].astype("string").fillna("").str.lower().str.replace(
            r"\s*;\s*", ";", regex=True).str.strip() + ";"
        seen = {item for cell in joined.unique() for item in str(cell).split(";") if item}
        unknown = sorted(seen - set(TAG_WORDS))
        if unknown:
            warn.append(f"unknown case characteristic(s) kept out of the table: {', '.join(unknown)}")
        for words, canonical in TAG_WORDS.items():
            out[canonical] = joined.str.contains(f";{words};", regex=False).astype("boolean")
    if has("Child Victim"):
        out[TAG_CODES["CV"][0]] = yes_no(frame["Child Victim"], "Child Victim", problems, blank=None)
    for canonical, source in OM_CODES.values():
        if has(source):
            out[canonical] = yes_no(frame[source], source, problems, blank=None)
    return out
