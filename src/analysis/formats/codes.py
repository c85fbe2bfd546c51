"""The registry's code lists: crime categories, tag/OM/factor codes, race aliases, states.

Grouping the registry's worst-crime names into ten categories:

``crime_category`` rules: Murder, Manslaughter, Attempted murder, Sexual assault, Child sex abuse, Robbery and
Assault are the registry's own worst-crime names; Drug crime is "Drug Possession or Sale"; the remaining
violent crimes (kidnapping, arson, child abuse, threats, ...) are "Other violent crime"; everything else is
"Other non-violent crime". A name not seen before is put in "Other non-violent crime" with a warning.
"""

from __future__ import annotations

OWN_CATEGORY = {
    "Murder": "Murder",
    "Manslaughter": "Manslaughter",
    "Attempted Murder": "Attempted murder",
    "Sexual Assault": "Sexual assault",
    "Child Sex Abuse": "Child sex abuse",
    "Robbery": "Robbery",
    "Assault": "Assault",
    "Drug Possession or Sale": "Drug crime",
}
OTHER_VIOLENT = {
    "Kidnapping", "Arson", "Other Violent Felony", "Other Violent Misdemeanor", "Child Abuse", "Attempt, Violent",
    "Accessory to Murder", "Threats", "Menacing", "Stalking", "Dependent Adult Abuse", "Supporting Terrorism",
    "Harassment",
}
OTHER_NON_VIOLENT = {
    "Weapon Possession or Sale", "Fraud", "Sex Offender Registration", "Other Nonviolent Felony", "Burglary",
    "Burglary/Unlawful Entry", "Theft", "Other Nonviolent Misdemeanor", "Forgery", "Traffic Offense",
    "Conspiracy", "Bribery", "Tax Evasion/Fraud", "Possession of Stolen Property", "Perjury",
    "Official Misconduct", "Immigration", "Destruction of Property", "Solicitation", "Obstruction of Justice",
    "Failure to Pay Child Support", "Military Justice Offense", "Filing a False Report", "Other",
    "Attempt, Nonviolent", "Gun Possession or Sale", "Other Weapon Possession or Sale", "Misdemeanor",
}
HOMICIDE_CRIMES = {"Murder", "Manslaughter"}


def crime_category(worst_crime: str | None) -> tuple[str | None, bool]:
    """Category of a worst-crime name, and whether the name was known (False → warn)."""
    if worst_crime is None:
        return None, True
    if worst_crime in OWN_CATEGORY:
        return OWN_CATEGORY[worst_crime], True
    if worst_crime in OTHER_VIOLENT:
        return "Other violent crime", True
    return "Other non-violent crime", worst_crime in OTHER_NON_VIOLENT


# Old-format tag codes (public spreadsheet `Tags`) and the words the 2026 export uses for them.
TAG_CODES = {
    "H": ("homicide", "Homicide"),
    "SA": ("sexual_assault", "Sexual Assault"),
    "CV": ("child_victim", None),  # a separate `Child Victim` column in the 2026 export
    "CDC": ("codefendant_confessed", "Codefendant confessed"),
    "P": ("guilty_plea", "Plea"),
    "NC": ("no_crime", "No crime case"),
    "F": ("female", "Female exoneree"),
    "CIU": ("ciu", "Conviction Integrity Unit"),
    "IO": ("innocence_org", "Innocence organization"),
    "JI": ("jailhouse_informant", "Jailhouse informant"),
    "FED": ("federal_case", "Federal case"),
    "M": ("misdemeanor", "Misdemeanor"),
    "A": ("arson", "Arson"),
    "SBS": ("shaken_baby", "Shaken baby syndrome"),
    "CSH": ("child_sex_abuse_hysteria", "Child sex abuse hysteria"),
    "BM": ("bitemark", "Bitemark"),
    "PH": ("posthumous", "Posthumous exoneration"),
    "JV": ("juvenile_tag", "Juvenile defendant"),
}
TAG_WORDS = {words.lower(): col for col, words in TAG_CODES.values() if words}

# Official-misconduct codes (`OM Tags`) and the 2026 export's one-column-per-code names.
OM_CODES = {
    "OF": ("om_police", "OF - OM by Police Officer"),
    "PR": ("om_prosecutor", "PR: Prosecutor Misconduct"),
    "FA": ("om_forensic_analyst", "FA - OM by Forensic Analyst"),
    "CW": ("om_child_welfare", "CW - OM by Child Welfare Worker"),
    "WH": ("om_withheld_evidence", "WH - Exculpatory withheld"),
    "WT": ("om_witness_tampering", "Witness Tampering by OA?"),
    "NW": ("om_other", "NW - OM not withholding"),
    "KP": ("om_permitted_perjury", "KP - Prosecutor permitted perjury"),
    "PJ": ("om_official_perjury", "PJ - Perjury by OA"),
    "INT": ("om_interrogation", "INT - Misconduct in Interrogation"),
    "PL": ("om_lied_in_court", "PL - Prosecutor Lied in Court"),
}

# Contributing-factor codes in old exports and the 2026 export's column names.
FACTOR_CODES = {
    "DNA": ("dna", "DNA"),
    "FC": ("fc", "False Confession"),
    "MWID": ("mwid", "Mistaken Witness ID"),
    "F/MFE": ("fmfe", "False or Misleading Forensic Evidence"),
    "P/FA": ("pfa", "Perjury or False Accusation?"),
    "OM": ("om", "Official Misconduct"),
    "ILD": ("ild", "Inadequate Legal Defense"),
}

RACE_ALIASES = {"Caucasian": "White", "Don't Know": None, "Unknown": None, "": None}

# States and territories by name, and the registry's name for federal military courts.
STATE_ABBR = {
    "Alabama": "AL", "Alaska": "AK", "Arizona": "AZ", "Arkansas": "AR", "California": "CA", "Colorado": "CO",
    "Connecticut": "CT", "Delaware": "DE", "District of Columbia": "DC", "Florida": "FL", "Georgia": "GA",
    "Hawaii": "HI", "Idaho": "ID", "Illinois": "IL", "Indiana": "IN", "Iowa": "IA", "Kansas": "KS",
    "Kentucky": "KY", "Louisiana": "LA", "Maine": "ME", "Maryland": "MD", "Massachusetts": "MA", "Michigan": "MI",
    "Minnesota": "MN", "Mississippi": "MS", "Missouri": "MO", "Montana": "MT", "Nebraska": "NE", "Nevada": "NV",
    "New Hampshire": "NH", "New Jersey": "NJ", "New Mexico": "NM", "New York": "NY", "North Carolina": "NC",
    "North Dakota": "ND", "Ohio": "OH", "Oklahoma": "OK", "Oregon": "OR", "Pennsylvania": "PA",
    "Rhode Island": "RI", "South Carolina": "SC", "South Dakota": "SD", "Tennessee": "TN", "Texas": "TX",
    "Utah": "UT", "Vermont": "VT", "Virginia": "VA", "Washington": "WA", "West Virginia": "WV",
    "Wisconsin": "WI", "Wyoming": "WY", "Puerto Rico": "PR", "Guam": "GU", "U.S. Virgin Islands": "VI",
    "Northern Mariana Islands": "MP", "American Samoa": "AS",
}
MILITARY = "Military (federal)"

# Code lists of the 2026 full export's detail columns (read by analysis.formats.nre_full_export, documented in
# docs/data-dictionary.md). The export carries no key to these codes and none was found in the registry's
# published documentation: codes whose meaning the column does not spell out are listed as published, their
# meaning marked unknown. Everywhere, `DK` / `Don't Know` is read as "don't know" → missing.
UNKNOWN_ANSWERS = {"dk", "don't know", "dont know", "unknown"}

# `Form of 1st Conviction` → conviction_form ("Trial": a trial, jury or bench not said; once in 2026-06)
CONVICTION_FORMS = {"jury": "jury", "bench": "bench", "plea": "plea", "trial": "trial"}

# `Why was D Suspected? Recode`: the registry's codes; their key is not published (DK → missing)
WHY_SUSPECTED_CODES = ("ID", "F", "I", "PX", "A", "REL", "CR", "RELS", "POS", "BR", "OBJ", "OTH", "M", "N", "C",
                       "INJ", "DATA")

# `Closest Relation V→D`: the registry's codes; their key is not published (DK → missing). `0` is a code
# of its own; 913 of its 927 rows in 2026-06 also have `Race of Vs` = 0, which suggests "no individual victim".
VICTIM_RELATION_CODES = ("ST", "0", "AQ", "IF", "EF", "F", "L", "SP", "CW")

# `Other False ID`: the registry's codes, key not published (DK → missing)
OTHER_FALSE_ID_CODES = ("NONE", "FI", "NC")

# `Perjury by Official Actors`: "; "-joined actors → official_perjury_actors
OFFICIAL_PERJURY_ACTORS = {"police": "police", "forensic analyst": "forensic analyst", "prosecutor": "prosecutor",
                           "child welfare worker": "child welfare worker"}

# Multi-choice misconduct columns: the registry's wording (as published, matched ignoring case, spacing, a final
# full stop and apostrophes) → the short label kept in the table. "No or don't know" is one answer in the export.
NO_OR_DONT_KNOW = "no or don't know"
PROSECUTOR_TRIAL_MISCONDUCT = {
    "0 No or dont know": NO_OR_DONT_KNOW,
    "1 Yes, improper argument": "improper argument",
    "2 Yes, perpetrating a fraud on the court (intentionally misrepresenting facts)": "fraud on the court",
    "3 Yes, knowingly allowing perjury (code this even if procuring perjury is already coded for the same act)":
        "knowingly allowing perjury",
    "4 Yes, discriminatory jury selection": "discriminatory jury selection",
    "5 Yes, improper cross examination": "improper cross-examination",
    "6 Yes, other misconduct in trial proceedings": "other misconduct at trial",
}
OFFICIAL_DISCIPLINED = {
    "No or dont know": NO_OR_DONT_KNOW,
    "Yes, based (at least in part) on official misconduct in this case": "for misconduct in this case",
    "Yes, for misconduct in other cases that is similar to the misconduct in this case.":
        "for similar misconduct in other cases",
    "Yes, for misconduct in other cases of a type that did not happen in this case.":
        "for other kinds of misconduct in other cases",
    "Yes, for misconduct in this case that did not contribute to the wrongful conviction. (ex. beating up an "
    "inmate, and post conviction misconduct)": "for misconduct in this case that did not cause the conviction",
}
OM_NOT_CONNECTED = {
    "No or dont know": NO_OR_DONT_KNOW,
    "Yes, post-conviction misconduct": "post-conviction misconduct",
    "Yes, physical abuse of the exoneree that did not contribute to the conviction": "physical abuse of the exoneree",
    "Yes, misconduct that was intended to help obtain a conviction but failed (e.g., threatening a witness to get "
    "the witness to lie, but the witness refuses to do so)": "failed attempt to obtain a conviction",
    "Yes, other misconduct that did not contribute to the conviction": "other",
    "Yes, search and seizure violation": "search and seizure violation",
    # the export cuts this wording off ("convictio")
    "Yes, expressions of racial prejudice that are not causally related to the convictio": "racial prejudice",
    "Yes, an official actor had an inappropriate sexual or romantic relationship with another party to the case "
    "(if the relationship could have been used for impeachment but was not disclosed to the defense, do not "
    "check this box and instead code them in the misconduct categories above)": "inappropriate relationship",
}


def choice_key(text: str) -> str:
    """How a multi-choice answer is matched: lower case, apostrophes and a final full stop dropped, spaces
    collapsed."""
    low = " ".join(str(text).lower().replace("\u2019", "'").replace("'", "").split())
    return low.rstrip(".").strip()
