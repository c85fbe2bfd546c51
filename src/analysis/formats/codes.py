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
