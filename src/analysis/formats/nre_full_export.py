"""The new site's (exonerationregistry.org) full CSV export, e.g. 2026-06: 78 columns, post- and pre-1989.

``Yes``/``No``/blank flags, ISO dates, one ``Name`` field, spelled-out ``Case Characteristics`` joined by
``"; "``, one Yes/No column per official-misconduct type, the registry's ``ID`` and ``Years Lost``.
"""

from __future__ import annotations

import pandas as pd

from analysis.formats.cells import (
    Problems,
    date_from_parts,
    on_uniques,
    parse_dates,
    parse_floats,
    parse_ints,
    place_from_state,
    race,
    split_name,
    text,
    yes_no,
)
from analysis.formats.codes import (
    CONVICTION_FORMS,
    FACTOR_CODES,
    OFFICIAL_DISCIPLINED,
    OFFICIAL_PERJURY_ACTORS,
    OM_CODES,
    OM_NOT_CONNECTED,
    OTHER_FALSE_ID_CODES,
    PROSECUTOR_TRIAL_MISCONDUCT,
    TAG_CODES,
    TAG_WORDS,
    UNKNOWN_ANSWERS,
    VICTIM_RELATION_CODES,
    WHY_SUSPECTED_CODES,
    choice_key,
)
from analysis.formats.headers import known_headers

FORMAT = "nre_full_export"
PREFIX = "fx"
REQUIRED = {"Name", "State", "Worst Crime Display", *(col for _, col in FACTOR_CODES.values())}
# the detail columns read by _detail (2026 spellings)
DETAIL_USED = {
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
OPTIONAL_USED = {
    "ID", "County of Crime", "Sex", "Race", "Age at Crime Years", "Posting Date", "Last Update Date", "Pre-1989",
    "Date of Exon", "Date of Release", "Years Lost", "Date of 1st Convic", "Date of Crime Year",
    "Case Characteristics", "Sentence", "Sentence (Other)", "Child Victim", *(col for _, col in OM_CODES.values()),
    *DETAIL_USED,
}
KNOWN = known_headers(PREFIX)  # every column this reader knows, by its reference spelling (crosswalk.csv)


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
        out["sentence"] = text(frame["Sentence"])  # the category; the term or other detail is sentence_other
    if has("Sentence (Other)"):
        out["sentence_other"] = text(frame["Sentence (Other)"])
    for canonical, part in (("crime", "Crime"), ("arrest", "Arrest"), ("second_conviction", "2nd Convic")):
        out.update(_date_parts(frame, canonical, part, problems))
    for canonical, source in (("conviction_date", "Date of 1st Convic"), ("exoneration_date", "Date of Exon"),
                              ("release_date", "Date of Release"), ("posting_date", "Posting Date"),
                              ("last_update_date", "Last Update Date")):
        if has(source):
            out[canonical] = parse_dates(frame[source], source, problems)
    pre_1989 = pd.Series(False, index=idx, dtype="boolean")
    if has("Pre-1989"):
        out["pre_1989"] = pre_1989 = yes_no(frame["Pre-1989"], "Pre-1989", problems, blank=False)
    if has("Years Lost"):
        out["years_lost"] = parse_floats(frame["Years Lost"], "Years Lost", problems, lo=0, hi=100)
        out["years_lost_basis"] = pd.Series("given", index=idx, dtype="string").where(
            out["years_lost"].notna(), None)

    for _, (canonical, source) in FACTOR_CODES.items():
        blank = None if canonical == "dna" else False
        out[canonical] = yes_no(frame[source], source, problems, blank=blank)
        # the answer as given, "yes" / "no" / missing (blank): the export tells an explicit No from a blank
        answer = frame[source].astype("string").fillna("").str.strip().str.lower()
        out[f"{canonical}_recorded"] = answer.where(answer.isin(["yes", "no"])).astype("string")

    if has("Case Characteristics"):
        # ";homicide;sexual assault;" so that each characteristic is matched whole, vectorised
        joined = ";" + frame["Case Characteristics"].astype("string").fillna("").str.lower().str.replace(
            r"\s*;\s*", ";", regex=True).str.strip() + ";"
        seen = {item for cell in joined.unique() for item in str(cell).split(";") if item}
        unknown = sorted(seen - set(TAG_WORDS))
        if unknown:
            warn.append(f"unknown case characteristic(s) kept out of the table: {', '.join(unknown)}")
        # pre-1989 rows with no case characteristics were not coded for them (all 476 in 2026-06): unknown, not
        # False; canonical_table derives homicide and female for them
        uncoded = pre_1989.fillna(False) & joined.eq(";;")
        for words, canonical in TAG_WORDS.items():
            out[canonical] = joined.str.contains(f";{words};", regex=False).astype("boolean").mask(uncoded, pd.NA)
    if has("Child Victim"):
        out[TAG_CODES["CV"][0]] = yes_no(frame["Child Victim"], "Child Victim", problems, blank=None)
    for canonical, source in OM_CODES.values():
        if has(source):
            out[canonical] = yes_no(frame[source], source, problems, blank=None)
    out.update(_detail(frame, pre_1989, problems, warn))
    return out


def _clean(values: pd.Series) -> pd.Series:
    """Stripped text, blanks as ``""`` (for matching)."""
    return values.astype("string").fillna("").str.replace("\u00a0", " ").str.strip()


def _unknown(values: pd.Series) -> pd.Series:
    """Cells that say "don't know" (``DK``, ``Don't Know``, ``unknown``)."""
    return _clean(values).str.lower().str.replace("\u2019", "'", regex=False).isin(UNKNOWN_ANSWERS)


def _count(values: pd.Series, column: str, problems: Problems, *, lo: int = 0, hi: int = 1000,
           also_missing: tuple[str, ...] = (), what: str = "number") -> pd.Series:
    """Whole numbers; "don't know", ``also_missing`` codes and ``n+`` ("at least n") are missing, not reported."""
    cells = _clean(values)
    drop = _unknown(values) | cells.str.upper().isin(also_missing) | cells.str.fullmatch(r"\d+\+").fillna(False)
    return parse_ints(cells.mask(drop, ""), column, problems, lo=lo, hi=hi, what=what)


def _code(values: pd.Series, column: str, codes: dict[str, str] | tuple[str, ...], warn: list[str]) -> pd.Series:
    """One code per cell (matched ignoring case) → its canonical spelling; "don't know" and blank are missing, a
    code not in the list is missing with a warning."""
    mapping = {k.lower(): v for k, v in (codes.items() if isinstance(codes, dict) else zip(codes, codes,
                                                                                             strict=True))}
    cells = _clean(values)
    low = cells.str.lower()
    out = low.map(mapping).astype("string")
    unknown = sorted(set(cells[out.isna() & cells.ne("") & ~_unknown(values)]))
    if unknown:
        warn.append(f"unknown code(s) in {column!r} kept out of the table: {', '.join(unknown)}")
    return out


def _choices(values: pd.Series, column: str, choices: dict[str, str], warn: list[str]) -> pd.Series:
    """``"; "``-joined answers → their short labels, joined by ``"; "`` in the order given; answers not in
    ``choices`` are left out with a warning."""
    labels = {choice_key(k): v for k, v in choices.items()}
    unknown: set[str] = set()

    def one(cell: object) -> str | None:
        if pd.isna(cell):
            return None
        kept: list[str] = []
        for item in str(cell).split(";"):
            if not item.strip():
                continue
            label = labels.get(choice_key(item))
            if label is None:
                unknown.add(" ".join(item.split()))
            elif label not in kept:
                kept.append(label)
        return "; ".join(kept) or None

    out = on_uniques(values, lambda u: u.map(one).astype("string"))
    if unknown:
        warn.append(f"unknown answer(s) in {column!r} kept out of the table: {'; '.join(sorted(unknown))}")
    return out


def _yes_or_no_dk(values: pd.Series, column: str, problems: Problems) -> pd.Series:
    """``Yes`` → True, ``No or don't know`` (one answer in the export) → False, blank → missing."""
    cells = _clean(values)
    no_or_dk = cells.map(lambda c: choice_key(c) == "no or dont know").astype(bool)
    return yes_no(cells.mask(no_or_dk, "No"), column, problems, blank=None)


def _forensic_used(values: pd.Series, column: str, problems: Problems) -> pd.Series:
    """``Forensic Evidence Used?``: ``Yes``/``No``, possibly with ``Pled`` ("; "-joined); ``Pled`` alone, ``Don't
    Know`` and blank are missing."""
    def one(cell: str) -> object:
        items = {choice_key(i) for i in cell.split(";") if i.strip()}
        if not items <= {"yes", "no", "pled", "dont know"} or {"yes", "no"} <= items:
            return "bad"
        return True if "yes" in items else False if "no" in items else None

    cells = _clean(values)
    result = on_uniques(cells, lambda u: u.map(one))
    bad = result.eq("bad")
    for i, cell in cells[bad].items():
        problems.add(int(i) + 2, column, str(cell), "is not Yes, No, Pled or Don't Know")
    return result.mask(bad, None).astype("boolean")


def _date_parts(frame: pd.DataFrame, canonical: str, part: str, problems: Problems) -> dict[str, pd.Series]:
    """``Date of <part> Year/Month/Day`` → ``<canonical>_year/_month/_day`` as given (``00``, ``0000`` = not
    known → missing) and ``<canonical>_date`` where all three are known and form a real date.

    A part that cannot be read puts the other parts of the same date in doubt (2026-06 has rows whose year,
    month and day are shifted by one column, e.g. year 28, month 2006, day 1): they are set to missing too and
    reported."""
    names = [f"Date of {part} {p}" for p in ("Year", "Month", "Day")]
    present = [n for n in names if n in frame.columns]
    if not present:
        return {}
    idx = frame.index
    ranges = {"Year": (1800, 2100), "Month": (1, 12), "Day": (1, 31)}
    parsed: dict[str, pd.Series] = {}
    doubt = pd.Series(False, index=idx)
    for name in names:
        key = name.rsplit(" ", 1)[1]
        if name not in frame.columns:
            parsed[key] = pd.Series(pd.NA, index=idx, dtype="Int64")
            continue
        lo, hi = ranges[key]
        parsed[key] = parse_ints(frame[name], name, problems, lo=lo, hi=hi, zero_is_missing=True, what=key.lower())
        cells = _clean(frame[name])
        zero = pd.to_numeric(cells, errors="coerce").eq(0)
        doubt |= cells.ne("") & parsed[key].isna() & ~zero
    for name in names:
        key = name.rsplit(" ", 1)[1]
        drop = doubt & parsed[key].notna()
        for i in idx[drop]:
            problems.add(int(i) + 2, name, str(frame.at[i, name]).strip(),
                         "is in doubt: another part of the same date could not be read")
        parsed[key] = parsed[key].mask(drop, pd.NA)
    y, m, d = parsed["Year"], parsed["Month"], parsed["Day"]
    day = date_from_parts(y, m, d, problems=problems, column=f"Date of {part} Year/Month/Day")
    return {f"{canonical}_year": y, f"{canonical}_month": m, f"{canonical}_day": d, f"{canonical}_date": day}


def _detail(frame: pd.DataFrame, pre_1989: pd.Series, problems: Problems, warn: list[str]) -> dict[str, pd.Series]:
    """The detail columns of the full export: conviction and sentence, why suspected, co-defendants, misconduct
    detail, victims, recanters, forensic and identification evidence, additional crimes."""
    out: dict[str, pd.Series] = {}
    has = frame.columns.__contains__

    def flag(canonical: str, source: str) -> None:
        if has(source):
            out[canonical] = yes_no(frame[source], source, problems, blank=None)

    if has("Form of 1st Conviction"):
        out["conviction_form"] = _code(frame["Form of 1st Conviction"], "Form of 1st Conviction", CONVICTION_FORMS,
                                       warn)
    flag("death_sentence", "Death Penalty?")
    if has("2nd Sentence"):
        out["second_sentence"] = text(frame["2nd Sentence"])
    if has("Why was D Suspected? Recode"):
        out["why_suspected"] = _code(frame["Why was D Suspected? Recode"], "Why was D Suspected? Recode",
                                     WHY_SUSPECTED_CODES, warn)
    if has("Exonerated CoDs?"):
        out["codefendant_group"] = text(frame["Exonerated CoDs?"])
    flag("group_exoneration", "Part of a Group Exon?")
    # official misconduct detail
    for canonical, source, choices in (
            ("official_perjury_actors", "Perjury by Official Actors", OFFICIAL_PERJURY_ACTORS),
            ("prosecutor_trial_misconduct", "OM by prosecutor during trial?", PROSECUTOR_TRIAL_MISCONDUCT),
            ("official_disciplined", "Official actor disciplined for OM?", OFFICIAL_DISCIPLINED),
            ("om_not_connected", "OM not connected to conviction", OM_NOT_CONNECTED)):
        if has(source):
            out[canonical] = _choices(frame[source], source, choices, warn)
    if has("Extreme judicial misconduct"):
        out["extreme_judicial_misconduct"] = _yes_or_no_dk(frame["Extreme judicial misconduct"],
                                                           "Extreme judicial misconduct", problems)
    # victims
    if has("# Dead Vs"):
        dead = _count(frame["# Dead Vs"], "# Dead Vs", problems)
        pre = pre_1989.fillna(False).to_numpy(dtype=bool)
        if pre.any() and dead[pre].fillna(0).eq(0).all():
            dead = dead.mask(pre, pd.NA)  # all 0 for pre-1989 rows, murders included: not coded for them
        out["victims_dead"] = dead
    if has("# Female Vs"):
        out["victims_female"] = _count(frame["# Female Vs"], "# Female Vs", problems)
    if has("Race of Vs"):
        out["victim_races"] = text(frame["Race of Vs"]).mask(_unknown(frame["Race of Vs"]), pd.NA)
    for canonical, source in (("white_victim", "White Victim"), ("black_victim", "Black Victim"),
                              ("hispanic_victim", "Hispanic Victim"), ("asian_victim", "Asian Victim"),
                              ("native_victim", "Native Victim"), ("other_race_victim", "Other Race/Ethnicity Victim"),
                              ("female_victim", "Female Victim")):
        flag(canonical, source)
    if has("Closest Relation V→D"):
        out["victim_relation"] = _code(frame["Closest Relation V→D"], "Closest Relation V→D", VICTIM_RELATION_CODES,
                                       warn)
    # recanters, forensic evidence, identification
    flag("any_recanter", "Any known recanters")
    if has("# victim recanters"):
        out["victim_recanters"] = _count(frame["# victim recanters"], "# victim recanters", problems)
    if has("Year of recantation"):
        out["recantation_year"] = _count(frame["Year of recantation"], "Year of recantation", problems, lo=1800,
                                         hi=2100, what="year")
    if has("Forensic Evidence Used?"):
        out["forensic_evidence_used"] = _forensic_used(frame["Forensic Evidence Used?"], "Forensic Evidence Used?",
                                                       problems)
    if has("# Mistaken ID Witnesses"):
        out["mistaken_id_witnesses"] = _count(frame["# Mistaken ID Witnesses"], "# Mistaken ID Witnesses", problems)
    if has("# Mistaken ID Witnesses at Trial"):
        out["mistaken_id_witnesses_at_trial"] = _count(frame["# Mistaken ID Witnesses at Trial"],
                                                       "# Mistaken ID Witnesses at Trial", problems,
                                                       also_missing=("P",))
    if has("Other False ID"):
        out["other_false_id"] = _code(frame["Other False ID"], "Other False ID", OTHER_FALSE_ID_CODES, warn)
    flag("cross_group_id", "Mistaken Cross-group ID?")
    if has("Tainted ID procedure(s)?"):
        out["tainted_id_procedure"] = _yes_or_no_dk(frame["Tainted ID procedure(s)?"], "Tainted ID procedure(s)?",
                                                    problems)
    if has("List Add'l Crimes Recode"):
        out["additional_crimes"] = text(frame["List Add'l Crimes Recode"]).str.replace(r"\s*;\s*", "; ",
                                                                                       regex=True)
    return out
