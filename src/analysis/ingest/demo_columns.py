"""The cells of the synthetic demo export (:mod:`analysis.ingest.demo`): one drawn record as the export's 78 text
columns (flags, dates, sentences, victims, misconduct details in the export's own wording), and the CSV bytes."""

from __future__ import annotations

import bisect
import datetime as dt
import itertools

import numpy as np
import pandas as pd

from analysis.formats.codes import STATE_ABBR
from analysis.ingest.demo_parameters import (
    ADDITIONAL_CRIMES,
    COUNTY_PREFIX,
    DISCIPLINED,
    EXPLICIT_NO,
    HEADER,
    NAME_PREFIX,
    NO_OR_DONT_KNOW,
    NO_OR_DONT_KNOW_AT_TRIAL,
    NOT_CONNECTED_ABUSE,
    NOT_CONNECTED_POST_CONVICTION,
    OM_TYPES,
    PROSECUTOR_AT_TRIAL,
    RELATION,
    SUSPECTED,
    TAGS,
)


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


def export_row(v: dict, i: int, record_id: int, width: int) -> dict[str, str]:
    """Row ``i`` of the drawn variables ``v`` as the export's 78 text cells (blank cells are ``""``); the cells
    not drawn in advance are drawn here, from ``v["rng"]``, in a fixed order."""
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


def _cell(text: str) -> str:
    """Quoted when it holds a space, comma, quote or line break (as the registry's export does)."""
    if any(c in text for c in ' ,"\n\r'):
        return '"' + text.replace('"', '""') + '"'
    return text


def export_csv_bytes(frame: pd.DataFrame) -> bytes:
    """The export file for ``frame``: UTF-8 with a byte-order mark, ``\\n`` line ends, the header then one line a
    row."""
    lines = [",".join(_cell(name) for name in HEADER)]
    lines += [",".join(_cell(cell) for cell in record) for record in frame.itertuples(index=False, name=None)]
    return ("\ufeff" + "\n".join(lines) + "\n").encode("utf-8")
