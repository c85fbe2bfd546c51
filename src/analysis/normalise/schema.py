"""The canonical table: one row per exoneration, the same columns for every export format.

Every column is declared once here (type, meaning, allowed values, which source column feeds it in each format,
caveats). The pandera schema that validates the table and the data dictionary (``docs/data-dictionary.md``) are
both generated from these declarations.

Booleans are pandas ``boolean`` (nullable): ``True``/``False`` where the source says so, missing (``<NA>``) where
the source cannot tell "no" from "unknown" (for example a tag that did not exist yet when the file was exported).
Contributing factors are ``False`` when blank, because the registry codes a factor only when present: blank
means "not coded", which is how the registry itself counts them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

import pandas as pd
import pandera.pandas as pa

from analysis.formats.codes import (
    CONVICTION_FORMS,
    MILITARY,
    OFFICIAL_DISCIPLINED,
    OFFICIAL_PERJURY_ACTORS,
    OM_NOT_CONNECTED,
    OTHER_FALSE_ID_CODES,
    PROSECUTOR_TRIAL_MISCONDUCT,
    STATE_ABBR,
    VICTIM_RELATION_CODES,
    WHY_SUSPECTED_CODES,
)

PS, DL, FX = "nre_public_spreadsheet", "nre_detail_list", "nre_full_export"

CRIME_CATEGORIES = (
    "Murder", "Manslaughter", "Attempted murder", "Sexual assault", "Child sex abuse", "Robbery", "Assault",
    "Drug crime", "Other violent crime", "Other non-violent crime",
)
RACES = ("Black", "White", "Hispanic", "Asian", "Native American", "Other")
SEXES = ("Male", "Female")


@dataclass(frozen=True)
class Column:
    """One canonical column: its type, meaning and where it comes from in each format."""

    name: str
    dtype: str  # "string", "boolean", "Int64", "Float64", "datetime64[ns]"
    meaning: str
    sources: dict[str, str] = field(default_factory=dict)  # format -> source column(s) or how it is derived
    allowed: tuple | None = None
    lo: float | None = None
    hi: float | None = None
    nullable: bool = True
    caveat: str = ""
    derived: bool = False  # computed by the project (in at least one format) rather than published
    phrase: str = ""  # how a sentence says a condition on it (see PHRASES)


def _flag(name: str, meaning: str, ps: str, dl: str, fx: str, caveat: str = "") -> Column:
    return Column(name, "boolean", meaning, {PS: ps, DL: dl, FX: fx}, caveat=caveat)


def _tag(name: str, code: str, words: str, meaning: str, caveat: str = "", derived_rule: str = "") -> Column:
    old = f"`{code}` in `Tags`" + (f"; before the tag existed: {derived_rule}" if derived_rule else "")
    base = "Missing in exports made before the registry introduced the tag (nothing in the file can tell)."
    new = words
    if "Case Characteristics" in words:  # the 2026 export gives its pre-1989 rows no case characteristics
        new += "; pre-1989 rows, which carry no case characteristics: " + ("derived" if derived_rule else "missing")
        base += " Missing for the pre-1989 rows of the 2026 export, which carry no case characteristics."
    if derived_rule:
        base = (f"Derived ({derived_rule}) where the export lacks the tag, and for the pre-1989 rows of the 2026 "
                "export, which carry no case characteristics.")
    return Column(
        name, "boolean", meaning,
        {PS: old, DL: f"`{code}` in `Tags` (\", \"-separated)", FX: new},
        caveat=(base + " " + caveat).strip(), derived=bool(derived_rule),
    )


def _om(name: str, code: str, new_col: str, meaning: str) -> Column:
    return Column(
        name, "boolean", meaning,
        {PS: f"`{code}` in `OM Tags` (exports from 2021-04-07 on)", DL: "not published", FX: f"`{new_col}`"},
        caveat="Missing where the export has no misconduct detail (public spreadsheets before 2021, the list "
        "view) and where the 2026 export leaves the cell blank.",
    )


YEAR_LO, YEAR_HI = 1800, 2100

# Detail columns of the 2026 full export: the older exports do not publish them, so they are missing there.
FX_ONLY = "From the 2026 full export (2026-06) on; missing for every older export."
UNKNOWN_CODE = "The export gives no key to these codes and none was found in the registry's documentation."


def _fx(name: str, dtype: str, meaning: str, source: str, caveat: str = "", *, ps: str = "not published",
        **kw) -> Column:
    """A column only the 2026 full export publishes."""
    return Column(name, dtype, meaning, {PS: ps, DL: "not published", FX: source},
                  caveat=f"{FX_ONLY} {caveat}".strip(), **kw)


def _date_part(name: str, what: str, source: str, lo: int, hi: int, ps: str = "not published") -> Column:
    return _fx(name, "Int64", f"{what}, as given.", f"`{source}` (`00`, `0000` = not known → missing)",
               "A part that cannot be read (e.g. a year of 28 where the parts are shifted by one column) is "
               "quarantined with the other parts of the same date.", ps=ps, lo=lo, hi=hi)


def _date(name: str, what: str, part: str) -> Column:
    return _fx(name, "datetime64[ns]", f"{what}, where year, month and day are all given.",
               f"`Date of {part} Year` + `Month` + `Day`", "Missing where any part is missing or `00`.",
               derived=True)


def _recorded(factor: str, source: str) -> Column:
    return _fx(f"{factor}_recorded", "string", f"The answer the export gives for `{factor}`: `yes`, `no`, or "
               "missing where the cell is blank.", f"`{source}`",
               ("`dna` itself is missing where blank; this column is its answer as given." if factor == "dna" else
                f"`{factor}` itself counts a blank as not coded (False), as the registry does; this column keeps "
                "an explicit No apart from a blank."), allowed=("yes", "no"))


def _choice_list(choices: dict[str, str]) -> str:
    return "; ".join(f"`{label}` = '{re.sub(r'^[0-9]+ +', '', ' '.join(wording.split()))}'"
                     for wording, label in choices.items())

COLUMNS: tuple[Column, ...] = (
    Column("record_id", "string", "Stable identifier of the record within a snapshot: `NRE-<ID>` when the export "
           "carries the registry's case number, else `<format prefix>-<hash of name, state, county, crime, "
           "years>`; the same file always gives the same ids.",
           {PS: "derived from name, state, county, crime and years (`ID` in 2018-10-15 is kept in registry_id)",
            DL: "derived from name, state, county, crime and years", FX: "`ID` → `NRE-<ID>`"},
           nullable=False, derived=True),
    Column("registry_id", "Int64", "The registry's own case number (new-site numbering).",
           {PS: "not published (the 2018-10-15 `ID` uses another numbering and is not used)", DL: "not published",
            FX: "`ID`"}, lo=1, hi=10**7, caveat="Only the 2026-style full export has it."),
    Column("name", "string", "Full name as published (first name first).",
           {PS: "`First Name` + `Last Name`", DL: "`First` + `Last`", FX: "`Name`"}),
    Column("last_name", "string", "Family name.",
           {PS: "`Last Name`", DL: "`Last`", FX: "last word of `Name` (suffixes such as Jr. and III kept "
            "with it)"}, caveat="Split from a single name field in the 2026 export: compound family names "
            "(e.g. 'De La Cruz') may be split wrongly."),
    Column("first_name", "string", "Given name(s).", {PS: "`First Name`", DL: "`First`", FX: "`Name` without "
           "the last word"}, caveat="Middle names were dropped from the public spreadsheet about 2021."),
    Column("age", "Int64", "Age at the time of the crime, in years.",
           {PS: "`Age`", DL: "`Age`", FX: "`Age at Crime Years` (0 means unknown → missing)"},
           lo=5, hi=100, caveat="Missing for a few records in every export."),
    Column("juvenile", "boolean", "Under 18 at the time of the crime (age < 18).",
           {PS: "age < 18", DL: "age < 18", FX: "age < 18"}, derived=True,
           caveat="Missing when the age is missing. The registry's own `JV` tag is in `juvenile_tag`."),
    Column("race", "string", "Race or ethnicity of the exoneree as coded by the registry.",
           {PS: "`Race` (`Caucasian` → White)", DL: "`Race`", FX: "`Race` (`Don't Know` → missing)"},
           allowed=RACES, caveat="A cell with several races (once, 2017-07-06) becomes `Other`."),
    Column("sex", "string", "Sex of the exoneree.", {PS: "`Sex`", DL: "derived from the `F` tag (no Sex "
           "column)", FX: "`Sex`"}, allowed=SEXES, derived=True,
           caveat="In the list-view copy, which has no Sex column, sex is derived from the Female tag, which "
           "agrees with `Sex` in all but 1 of the 3,497 records of the 2024-04-10 export."),
    Column("state", "string", "State (or territory) whose courts convicted; for federal cases, the state of the "
           "federal district.", {PS: "`State` (`Fed-NY` → New York)", DL: "`ST` code (`F-PA` → Pennsylvania)",
                                 FX: "`State`"},
           allowed=(*STATE_ABBR, MILITARY)),
    Column("state_abbr", "string", "Two-letter postal code of `state`.", {PS: "from `State`", DL: "`ST`",
           FX: "from `State`"}, allowed=tuple(STATE_ABBR.values()), derived=True,
           caveat="Missing for military (federal) cases."),
    Column("federal", "boolean", "Federal prosecution (including military).", {PS: "`State` starts with `Fed-`",
           DL: "`ST` starts with `F-`", FX: "`State` starts with `Fed-`"}, nullable=False, derived=True),
    Column("county", "string", "County of the crime (for federal cases, sometimes the district).",
           {PS: "`County`", DL: "`County`", FX: "`County of Crime`"}),
    Column("worst_crime", "string", "The most serious crime of conviction, as the registry names it.",
           {PS: "`Worst Crime Display`", DL: "`Crime`", FX: "`Worst Crime Display`"}),
    Column("crime_category", "string", "`worst_crime` grouped into ten categories (see analysis.formats.codes).",
           {PS: "from `Worst Crime Display`", DL: "from `Crime`", FX: "from `Worst Crime Display`"},
           allowed=CRIME_CATEGORIES, derived=True),
    Column("sentence", "string", "Sentence as published.",
           {PS: "`Sentence`", DL: "`Sentence`", FX: "`Sentence` (the category)"},
           caveat="Free text in old exports ('20 to Life'); in the 2026 export a category (Term of Years, Life, "
           "Life without parole, Death, Probation, Not Sentenced, Unknown, Community Service, Fine) whose detail "
           "is in `sentence_other`."),
    Column("crime_year", "Int64", "Year the crime occurred.",
           {PS: "`Occurred` or `Date of Crime Year` (`\"1,991\"` accepted)", DL: "not published",
            FX: "`Date of Crime Year`"}, lo=YEAR_LO, hi=YEAR_HI),
    Column("conviction_year", "Int64", "Year of the (first) conviction.",
           {PS: "`Convicted`, or the year of `Date of 1st Conviction`", DL: "`Convicted`",
            FX: "year of `Date of 1st Convic`"}, lo=YEAR_LO, hi=YEAR_HI),
    Column("conviction_date", "datetime64[ns]", "Date of the (first) conviction.",
           {PS: "`Date of 1st Conviction` (2024-04-10 only)", DL: "not published", FX: "`Date of 1st Convic`"}),
    Column("exoneration_year", "Int64", "Year of exoneration.",
           {PS: "`Exonerated`, or the year of `Date of Exoneration`", DL: "`Exonerated`",
            FX: "year of `Date of Exon`"}, lo=YEAR_LO, hi=YEAR_HI),
    Column("exoneration_date", "datetime64[ns]", "Date of exoneration.",
           {PS: "`Date of Exoneration` (2024-04-10 only)", DL: "not published", FX: "`Date of Exon`"}),
    Column("release_date", "datetime64[ns]", "Date of release from custody.",
           {PS: "`Date of Release` (2024-04-10 only)", DL: "not published", FX: "`Date of Release`"}),
    Column("posting_date", "datetime64[ns]", "Date the record was posted to the registry. `--as-of DATE` keeps "
           "records posted on or before DATE.",
           {PS: "`Posting Date`", DL: "not published", FX: "`Posting Date`"},
           caveat="The list-view copy has no posting dates, so it cannot answer 'as of' questions."),
    Column("last_update_date", "datetime64[ns]", "Date the record was last updated.",
           {PS: "not published", DL: "not published", FX: "`Last Update Date`"}),
    Column("pre_1989", "boolean", "Exonerated before 1989. The registry's headline counts cover exonerations "
           "since 1989; the project's default population leaves these out.",
           {PS: "always False (the list covers 1989 on)", DL: "always False", FX: "`Pre-1989`"},
           nullable=False),
    Column("years_lost", "Float64", "Years lost: from conviction to release (the registry's `Years Lost`).",
           {PS: "derived: release − conviction date (2024-04-10), else exoneration year − conviction year",
            DL: "derived: exoneration year − conviction year", FX: "`Years Lost` (given)"},
           lo=0, hi=100, derived=True,
           caveat="Given by the registry only in the 2026 export; elsewhere derived, see `years_lost_basis`. "
           "Year differences can be off by up to a year."),
    Column("years_lost_basis", "string", "How `years_lost` was obtained.",
           {PS: "derived", DL: "derived", FX: "given"},
           allowed=("given", "derived from dates", "derived from years")),
    # Contributing factors
    _flag("dna", "DNA evidence contributed to the exoneration.", "`DNA` (code or `Y`)", "`DNA`",
          "`DNA` (Yes/No; blank → missing)",
          "In the 2026 export DNA is blank for most pre-1989 cases; those are missing, not False."),
    Column("dna_minor", "boolean", "DNA was only a minor factor in the exoneration (the `*` column).",
           {PS: "`*` (up to 2023), `Yes*` in `DNA?` (2015-01)", DL: "`*`", FX: "not published"},
           caveat="Missing where the export has no `*` column (2024 and later); `dna and not dna_minor` is then "
           "unknown for those snapshots."),
    Column("dna_minor_from", "string", "The snapshot `dna_minor` was carried from, when the export lacks `*`.",
           {PS: "set by `confessions process` when carried", DL: "set by `confessions process` when carried",
            FX: "set by `confessions process`: the latest older snapshot with `*` (analysis.compare.carry)"},
           derived=True, caveat="Only in the processed table; missing where the export publishes `*` itself, and "
           "for records not matched to that snapshot or posted after it (their `dna_minor` stays missing)."),
    _flag("fc", "False confession: the exoneree falsely confessed or admitted to the crime (the registry's FC "
          "factor).", "`FC` (code or `Y`)", "`FC`", "`False Confession` (Yes → True; No or blank → False)",
          "Counts the exoneree's own confession only: a co-defendant's is `codefendant_confessed`, a guilty "
          "plea is `guilty_plea`."),
    _flag("mwid", "Mistaken witness identification.", "`MWID`", "`MWID`", "`Mistaken Witness ID`"),
    _flag("fmfe", "False or misleading forensic evidence.", "`F/MFE`", "`F/MFE`",
          "`False or Misleading Forensic Evidence`"),
    _flag("pfa", "Perjury or false accusation.", "`P/FA`", "`P/FA`", "`Perjury or False Accusation?`"),
    _flag("om", "Official misconduct.", "`OM`", "`OM`", "`Official Misconduct`"),
    _flag("ild", "Inadequate legal defense.", "`ILD`", "`ILD`", "`Inadequate Legal Defense`"),
    # Tags
    _tag("homicide", "H", "`Homicide` in `Case Characteristics`", "Homicide case.",
         derived_rule="worst crime is Murder or Manslaughter, which matches the H tag in all but 1 of the "
         "3,497 records of the 2024-04-10 export"),
    _tag("sexual_assault", "SA", "`Sexual Assault` in `Case Characteristics`", "Sexual assault case."),
    Column("child_sex_abuse", "boolean", "The worst crime is child sex abuse.",
           {PS: "`Worst Crime Display` == Child Sex Abuse", DL: "`Crime` == Child Sex Abuse",
            FX: "`Worst Crime Display` == Child Sex Abuse"}, derived=True),
    _tag("child_victim", "CV", "`Child Victim` (Yes/No; blank → missing)", "The victim was a child."),
    _tag("codefendant_confessed", "CDC", "`Codefendant confessed` in `Case Characteristics`",
         "A co-defendant confessed (falsely, implicating the exoneree)."),
    _tag("guilty_plea", "P", "`Plea` in `Case Characteristics`", "The exoneree pleaded guilty."),
    _tag("no_crime", "NC", "`No crime case` in `Case Characteristics`", "No crime was committed."),
    _tag("female", "F", "`Female exoneree` in `Case Characteristics`", "The exoneree is female.",
         derived_rule="sex is Female"),
    _tag("ciu", "CIU", "`Conviction Integrity Unit` in `Case Characteristics`",
         "A conviction integrity unit took part."),
    _tag("innocence_org", "IO", "`Innocence organization` in `Case Characteristics`",
         "An innocence organization took part."),
    _tag("jailhouse_informant", "JI", "`Jailhouse informant` in `Case Characteristics`",
         "A jailhouse informant testified."),
    _tag("federal_case", "FED", "`Federal case` in `Case Characteristics`", "Federal case (the registry's tag)."),
    _tag("misdemeanor", "M", "`Misdemeanor` in `Case Characteristics`", "Misdemeanor conviction."),
    _tag("arson", "A", "`Arson` in `Case Characteristics`", "Arson case."),
    _tag("shaken_baby", "SBS", "`Shaken baby syndrome` in `Case Characteristics`", "Shaken baby syndrome case."),
    _tag("child_sex_abuse_hysteria", "CSH", "`Child sex abuse hysteria` in `Case Characteristics`",
         "Child sex abuse hysteria case."),
    _tag("bitemark", "BM", "`Bitemark` in `Case Characteristics`", "Bitemark evidence."),
    _tag("posthumous", "PH", "`Posthumous exoneration` in `Case Characteristics`", "Posthumous exoneration."),
    _tag("juvenile_tag", "JV", "`Juvenile defendant` in `Case Characteristics`",
         "The registry's juvenile-defendant tag (compare `juvenile`, from age)."),
    # Official misconduct types
    _om("om_police", "OF", "OF - OM by Police Officer", "Misconduct by police."),
    _om("om_prosecutor", "PR", "PR: Prosecutor Misconduct", "Misconduct by a prosecutor."),
    _om("om_forensic_analyst", "FA", "FA - OM by Forensic Analyst", "Misconduct by a forensic analyst."),
    _om("om_child_welfare", "CW", "CW - OM by Child Welfare Worker", "Misconduct by a child welfare worker."),
    _om("om_withheld_evidence", "WH", "WH - Exculpatory withheld", "Exculpatory evidence withheld."),
    _om("om_witness_tampering", "WT", "Witness Tampering by OA?", "Witness tampering by an official."),
    _om("om_other", "NW", "NW - OM not withholding", "Misconduct other than withholding evidence."),
    _om("om_permitted_perjury", "KP", "KP - Prosecutor permitted perjury", "Prosecutor permitted perjury."),
    _om("om_official_perjury", "PJ", "PJ - Perjury by OA", "Perjury by an official."),
    _om("om_interrogation", "INT", "INT - Misconduct in Interrogation", "Misconduct in interrogation."),
    _om("om_lied_in_court", "PL", "PL - Prosecutor Lied in Court", "Prosecutor lied in court."),
    # Detail of the 2026 full export (missing for the older exports): the explicit factor answers
    _recorded("dna", "DNA"),
    _recorded("fc", "False Confession"),
    _recorded("mwid", "Mistaken Witness ID"),
    _recorded("fmfe", "False or Misleading Forensic Evidence"),
    _recorded("pfa", "Perjury or False Accusation?"),
    _recorded("om", "Official Misconduct"),
    _recorded("ild", "Inadequate Legal Defense"),
    # dates of crime, arrest and second conviction (crime_year above)
    _date_part("crime_month", "Month the crime occurred", "Date of Crime Month", 1, 12),
    _date_part("crime_day", "Day of the month the crime occurred", "Date of Crime Day", 1, 31),
    _date("crime_date", "Date of the crime", "Crime"),
    _date_part("arrest_year", "Year of the arrest", "Date of Arrest Year", YEAR_LO, YEAR_HI),
    _date_part("arrest_month", "Month of the arrest", "Date of Arrest Month", 1, 12),
    _date_part("arrest_day", "Day of the month of the arrest", "Date of Arrest Day", 1, 31),
    _date("arrest_date", "Date of the arrest", "Arrest"),
    _date_part("second_conviction_year", "Year of the second conviction (after a retrial)",
               "Date of 2nd Convic Year", YEAR_LO, YEAR_HI),
    _date_part("second_conviction_month", "Month of the second conviction", "Date of 2nd Convic Month", 1, 12),
    _date_part("second_conviction_day", "Day of the month of the second conviction", "Date of 2nd Convic Day",
               1, 31),
    _date("second_conviction_date", "Date of the second conviction", "2nd Convic"),
    # conviction and sentence
    _fx("conviction_form", "string", "How the (first) conviction came about: jury trial, bench trial or guilty "
        "plea.", "`Form of 1st Conviction` (Jury, Bench, Plea, Trial; `Don't Know` → missing)",
        "`trial` (once in 2026-06): a trial, jury or bench not said. Compare `guilty_plea`, the registry's plea "
        "tag.", allowed=tuple(CONVICTION_FORMS.values())),
    _fx("death_sentence", "boolean", "Sentenced to death.", "`Death Penalty?` (Yes/No; blank → missing)"),
    _fx("sentence_other", "string", "The detail of the sentence, as published (e.g. '25 to life', '10 years').",
        "`Sentence (Other)`", "Mostly given with the `Term of Years` category of `sentence`. The old exports' "
        "free-text `Sentence` is in `sentence`."),
    _fx("second_sentence", "string", "Sentence at the second conviction, as published.", "`2nd Sentence`",
        "Empty in every row of 2026-06."),
    # why the exoneree was suspected
    _fx("why_suspected", "string", "Why the exoneree was suspected, as the registry's code.",
        "`Why was D Suspected? Recode` (`DK` → missing)",
        f"{UNKNOWN_CODE} Blank for the pre-1989 rows.", allowed=WHY_SUSPECTED_CODES),
    # co-defendants and group exonerations
    _fx("codefendant_group", "string", "The registry's reference for the group of exonerated co-defendants this "
        "exoneree belongs to (e.g. `NE1`; several are joined by \", \").", "`Exonerated CoDs?`",
        "Records with the same reference were exonerated co-defendants of each other."),
    _fx("group_exoneration", "boolean", "Part of a group exoneration.", "`Part of a Group Exon?` (Yes/No; "
        "blank → missing)"),
    # official misconduct detail (the types are the om_* columns above)
    _fx("official_perjury_actors", "string", "Which official actors committed perjury (`\"; \"`-joined): "
        + ", ".join(f"`{v}`" for v in OFFICIAL_PERJURY_ACTORS.values()) + ".", "`Perjury by Official Actors`",
        "Missing where the cell is blank (no such perjury coded). Compare `om_official_perjury` (PJ)."),
    _fx("prosecutor_trial_misconduct", "string", "Misconduct by the prosecutor during the trial, as short labels "
        "joined by `\"; \"`.", "`OM by prosecutor during trial?` (answers mapped to labels)",
        "Labels: " + _choice_list(PROSECUTOR_TRIAL_MISCONDUCT) + ". `no or don't know` is one answer in the "
        "export and appears next to a Yes answer in 5 rows of 2026-06; kept as given."),
    _fx("official_disciplined", "string", "Whether an official actor was disciplined for misconduct, as short "
        "labels joined by `\"; \"`.", "`Official actor disciplined for OM?` (answers mapped to labels)",
        "Labels: " + _choice_list(OFFICIAL_DISCIPLINED) + "."),
    _fx("om_not_connected", "string", "Official misconduct that did not contribute to the conviction, as short "
        "labels joined by `\"; \"`.", "`OM not connected to conviction` (answers mapped to labels)",
        "Labels: " + _choice_list(OM_NOT_CONNECTED) + " (the export cuts the racial-prejudice wording off)."),
    _fx("extreme_judicial_misconduct", "boolean", "Extreme misconduct by the judge.",
        "`Extreme judicial misconduct` (Yes → True; `No or Don't Know` → False; blank → missing)",
        "False means the registry's one answer `No or Don't Know`."),
    # victims
    _fx("victims_dead", "Int64", "Number of victims who died.", "`# Dead Vs`",
        "Missing for the pre-1989 rows: the 2026 export gives all of them 0, murders included (not coded).",
        lo=0, hi=1000),
    _fx("victims_female", "Int64", "Number of female victims.", "`# Female Vs` (`DK`, `unknown` → missing)",
        "`1+`, `2+`, `3+` ('at least n', 24 rows of 2026-06) are missing: the exact number is not known.",
        lo=0, hi=1000),
    _fx("victim_races", "string", "Number, race and sex of the victims in the registry's compact code, as "
        "published (e.g. `1WF` one white female, `1WF, 1WM`; `?` race not known; `0` no victim).", "`Race of Vs` "
        "(`DK` → missing)", "Not normalised: the order and the separators vary (`1WM,1WF`). The one-flag-per-race "
        "columns are `white_victim` … `other_race_victim`."),
    _fx("white_victim", "boolean", "A victim was white.", "`White Victim` (Yes/No; blank → missing)"),
    _fx("black_victim", "boolean", "A victim was Black.", "`Black Victim` (Yes/No; blank → missing)"),
    _fx("hispanic_victim", "boolean", "A victim was Hispanic.", "`Hispanic Victim` (Yes/No; blank → missing)"),
    _fx("asian_victim", "boolean", "A victim was Asian.", "`Asian Victim` (Yes/No; blank → missing)"),
    _fx("native_victim", "boolean", "A victim was Native American.", "`Native Victim` (Yes/No; blank → missing)"),
    _fx("other_race_victim", "boolean", "A victim was of another race or ethnicity.",
        "`Other Race/Ethnicity Victim` (Yes/No; blank → missing)"),
    _fx("female_victim", "boolean", "A victim was female.", "`Female Victim` (Yes/No)",
        "Never blank in 2026-06. Compare `victims_female`."),
    _fx("victim_relation", "string", "Closest relation of a victim to the exoneree, as the registry's code.",
        "`Closest Relation V→D` (`DK` → missing)",
        f"{UNKNOWN_CODE} `0` is a code of its own: 913 of its 927 rows in 2026-06 have `victim_races` `0` (no "
        "victim). Blank for the pre-1989 rows.", allowed=VICTIM_RELATION_CODES),
    # recanters, forensic evidence, identification, additional crimes
    _fx("any_recanter", "boolean", "A witness or accuser is known to have recanted.",
        "`Any known recanters` (Yes/No; blank → missing)"),
    _fx("victim_recanters", "Int64", "Number of victims who recanted.", "`# victim recanters`",
        "Counts victims only: 639 rows of 2026-06 have a known recanter and 0 victim recanters. Mostly blank "
        "where `any_recanter` is False.", lo=0, hi=1000),
    _fx("recantation_year", "Int64", "Year of the recantation.", "`Year of recantation` (`DK` → missing)",
        "A year with a star (`2004*`, 5 rows of 2026-06; the star is not explained) is quarantined.",
        lo=YEAR_LO, hi=YEAR_HI),
    _fx("forensic_evidence_used", "boolean", "Forensic evidence was used in the case.",
        "`Forensic Evidence Used?` (Yes → True, No → False, also when joined with `Pled`; `Pled` alone, "
        "`Don't Know` and blank → missing)"),
    _fx("mistaken_id_witnesses", "Int64", "Number of witnesses who mistakenly identified the exoneree.",
        "`# Mistaken ID Witnesses` (`DK` → missing)",
        "`1+`, `2+`, `3+` ('at least n', 46 rows of 2026-06) are missing: the exact number is not known.",
        lo=0, hi=1000),
    _fx("mistaken_id_witnesses_at_trial", "Int64", "Number of those witnesses who testified at trial.",
        "`# Mistaken ID Witnesses at Trial` (`DK` → missing; `P` → missing)",
        "`P` (820 rows of 2026-06, all convicted by plea: no trial) is missing; `1+`, `2+`, `3+` ('at least n', "
        "45 rows) are missing too.", lo=0, hi=1000),
    _fx("other_false_id", "string", "The registry's `Other False ID` code.", "`Other False ID` (`DK` → missing)",
        UNKNOWN_CODE, allowed=OTHER_FALSE_ID_CODES),
    _fx("cross_group_id", "boolean", "The mistaken identification crossed racial or ethnic groups.",
        "`Mistaken Cross-group ID?` (Yes/No; `Don't Know` and blank → missing)"),
    _fx("tainted_id_procedure", "boolean", "The identification procedure(s) were tainted.",
        "`Tainted ID procedure(s)?` (Yes → True; `No or don't know` → False; blank → missing)",
        "False means the registry's one answer `No or don't know`."),
    _fx("additional_crimes", "string", "Crimes of conviction other than the worst crime, joined by `\"; \"`.",
        "`List Add'l Crimes Recode`", ps="not read yet (the public spreadsheets up to 2023-09 have "
        "`List Add'l Crimes Recode`, `;#`-joined)"),
)

PHRASES: dict[str, str] = {
    # yes/no columns: what "K of the N exonerations …" did when the column is True, then "|" and the phrase for
    # False when it is not the plain negation ("were" → "were not", "had" → "did not have", "involved" → "did not
    # involve", "carried" → "did not carry")
    "pre_1989": "were exonerated before 1989|were exonerated in 1989 or later",
    "federal": "were federal prosecutions",
    "juvenile": "were of people under 18 at the time of the crime|were of people 18 or older at the time of the "
                "crime",
    "dna": "had DNA evidence contribute to the exoneration",
    "dna_minor": "had DNA as only a minor factor in the exoneration",
    "fc": "involved a false confession by the exoneree",
    "mwid": "involved a mistaken witness identification",
    "fmfe": "involved false or misleading forensic evidence",
    "pfa": "involved perjury or a false accusation",
    "om": "involved official misconduct",
    "ild": "involved an inadequate legal defense",
    "homicide": "were homicide cases",
    "sexual_assault": "were sexual assault cases",
    "child_sex_abuse": "had child sex abuse as the worst crime",
    "child_victim": "had a child victim",
    "codefendant_confessed": "had a co-defendant who confessed",
    "guilty_plea": "involved a guilty plea by the exoneree",
    "no_crime": "were cases in which no crime was committed",
    "female": "were of female exonerees",
    "ciu": "had a conviction integrity unit take part",
    "innocence_org": "had an innocence organization take part",
    "jailhouse_informant": "had a jailhouse informant testify",
    "federal_case": "carried the registry's federal-case tag",
    "misdemeanor": "were misdemeanor convictions",
    "arson": "were arson cases",
    "shaken_baby": "were shaken baby syndrome cases",
    "child_sex_abuse_hysteria": "were child sex abuse hysteria cases",
    "bitemark": "involved bitemark evidence",
    "posthumous": "were posthumous exonerations",
    "juvenile_tag": "carried the registry's juvenile-defendant tag",
    "om_police": "involved misconduct by police",
    "om_prosecutor": "involved misconduct by a prosecutor",
    "om_forensic_analyst": "involved misconduct by a forensic analyst",
    "om_child_welfare": "involved misconduct by a child welfare worker",
    "om_withheld_evidence": "involved exculpatory evidence being withheld",
    "om_witness_tampering": "involved witness tampering by an official",
    "om_other": "involved misconduct other than withholding evidence",
    "om_permitted_perjury": "involved a prosecutor permitting perjury",
    "om_official_perjury": "involved perjury by an official",
    "om_interrogation": "involved misconduct in interrogation",
    "om_lied_in_court": "involved a prosecutor lying in court",
    "death_sentence": "were of people sentenced to death",
    "group_exoneration": "were part of a group exoneration",
    "extreme_judicial_misconduct": "involved extreme misconduct by the judge",
    "white_victim": "had a white victim",
    "black_victim": "had a Black victim",
    "hispanic_victim": "had a Hispanic victim",
    "asian_victim": "had an Asian victim",
    "native_victim": "had a Native American victim",
    "other_race_victim": "had a victim of another race or ethnicity",
    "female_victim": "had a female victim",
    "any_recanter": "had a witness or accuser who recanted",
    "forensic_evidence_used": "involved forensic evidence",
    "cross_group_id": "involved a mistaken identification across racial or ethnic groups",
    "tainted_id_procedure": "involved a tainted identification procedure",
    # other columns: "{}" is the value in words ("{lower}": in lower case), "{when}" a year or date with its
    # comparison ("in 2020", "before 2020", "on or before 1 January 2020"), "{age}" an age with its comparison
    # ("under 18", "aged 18 or over")
    "race": "were {}",
    "sex": "were of {lower} exonerees",
    "state": "were in {}",
    "state_abbr": "were in {}",
    "crime_category": "had {lower} as the worst crime",
    "conviction_form": "were convictions by {lower}",
    "age": "were of people {age} at the time of the crime",
    "crime_year": "were for crimes committed {when}",
    "conviction_year": "were of people first convicted {when}",
    "exoneration_year": "were exonerated {when}",
    "exoneration_date": "were exonerated {when}",
    "conviction_date": "were of people first convicted {when}",
    "posting_date": "were posted to the registry {when}",
}
"""How a sentence says a condition on a column (``Column.phrase``); composed by
:mod:`analysis.analyse.phrases`, which falls back to the expression in backticks for a column without one."""
COLUMNS = tuple(replace(c, phrase=PHRASES.get(c.name, "")) for c in COLUMNS)
COLUMN_NAMES = tuple(c.name for c in COLUMNS)
BY_NAME = {c.name: c for c in COLUMNS}


def _check(col: Column) -> list[pa.Check]:
    checks = []
    if col.allowed is not None:
        checks.append(pa.Check.isin(list(col.allowed)))
    if col.lo is not None and col.hi is not None:
        checks.append(pa.Check.in_range(col.lo, col.hi))
    return checks


def dataframe_schema() -> pa.DataFrameSchema:
    """The pandera schema for the canonical table (types, allowed values, ranges, unique ``record_id``)."""
    columns = {
        c.name: pa.Column(c.dtype, checks=_check(c), nullable=c.nullable, unique=c.name == "record_id",
                          description=c.meaning)
        for c in COLUMNS
    }
    return pa.DataFrameSchema(columns, strict=True, ordered=True, coerce=False)


def empty_frame() -> pd.DataFrame:
    """A zero-row canonical table with the right dtypes."""
    return pd.DataFrame({c.name: pd.Series([], dtype=c.dtype) for c in COLUMNS})
