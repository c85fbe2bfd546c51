"""The 2026 full export's detail columns reach the canonical table, typed, with the raw file's counts.

Every expectation here is computed from the raw ``nre-fullcsv-2026-06.csv`` with Python's csv module, not with
project code (the expected value of each cell is worked out by the small functions below), plus the hand-checked
headline numbers: 144 death sentences and 900 convictions by plea since 1989, 376 group exonerations, and
`False Confession` = Yes 548 / No 102 / blank 3,661 (SOURCES.md).
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from collections import Counter
from collections.abc import Callable
from functools import cache
from pathlib import Path

import pandas as pd
import pytest

from analysis.cli import main
from tests.conftest import canonical_table, data_variants, require_real_variant, shared_file

FILE = "nre-fullcsv-2026-06.csv"
Row = dict[str, str]


@cache
def raw_rows() -> tuple[Row, ...]:
    with shared_file("nre", FILE).open(encoding="utf-8-sig", newline="") as fh:
        return tuple(csv.DictReader(fh))


@pytest.fixture(scope="module")
def table() -> pd.DataFrame:
    return canonical_table(FILE)


# --- expected values of each cell, from the raw text --------------------------------------------------------

def _words(cell: str) -> str | None:
    return " ".join(cell.split()) or None


def _yes_no(cell: str) -> bool | None:
    return {"Yes": True, "No": False}.get(cell.strip())


def _yes_or_no_dk(cell: str) -> bool | None:
    cell = cell.strip()
    if cell == "Yes":
        return True
    return False if cell.lower().replace("\u2019", "'") in ("no or don't know",) else None


def _number(cell: str) -> int | None:
    return int(cell) if cell.strip().isdigit() else None  # DK, unknown, P, "3+" and blanks are not numbers


def _code(cell: str) -> str | None:
    return None if cell.strip() in ("", "DK") else cell.strip()


def _items(cell: str) -> list[str]:
    return [" ".join(i.split()) for i in cell.split(";") if i.strip()]


PROSECUTOR = {"0": "no or don't know", "1": "improper argument", "2": "fraud on the court",
              "3": "knowingly allowing perjury", "4": "discriminatory jury selection",
              "5": "improper cross-examination", "6": "other misconduct at trial"}
DISCIPLINED = [("No or dont know", "no or don't know"), ("Yes, based", "for misconduct in this case"),
               ("Yes, for misconduct in other cases that is similar", "for similar misconduct in other cases"),
               ("Yes, for misconduct in other cases of a type", "for other kinds of misconduct in other cases"),
               ("Yes, for misconduct in this case that did not",
                "for misconduct in this case that did not cause the conviction")]
NOT_CONNECTED = [("No or dont know", "no or don't know"), ("Yes, post-conviction", "post-conviction misconduct"),
                 ("Yes, physical abuse", "physical abuse of the exoneree"),
                 ("Yes, misconduct that was intended", "failed attempt to obtain a conviction"),
                 ("Yes, other misconduct", "other"), ("Yes, search and seizure", "search and seizure violation"),
                 ("Yes, expressions of racial prejudice", "racial prejudice"),
                 ("Yes, an official actor had an inappropriate", "inappropriate relationship")]


def _by_prefix(table: list[tuple[str, str]]) -> Callable[[str], str | None]:
    def one(cell: str) -> str | None:
        labels = [next(label for prefix, label in table if item.startswith(prefix)) for item in _items(cell)]
        return "; ".join(labels) or None
    return one


def _forensic(cell: str) -> bool | None:
    items = set(_items(cell))
    return True if "Yes" in items else False if "No" in items else None


def _date_parts(row: Row, part: str) -> tuple[int | None, int | None, int | None, dt.date | None]:
    """Year, month, day as given (0 = not known); a part that is not a number in range puts the date in doubt."""
    limits = {"Year": (1800, 2100), "Month": (1, 12), "Day": (1, 31)}
    values, doubt = [], False
    for key, (lo, hi) in limits.items():
        cell = row[f"Date of {part} {key}"].strip()
        value = int(cell) if cell.isdigit() else None
        if value == 0:
            value = None
        elif cell and (value is None or not lo <= value <= hi):
            doubt, value = True, None
        values.append(value)
    if doubt:
        return None, None, None, None
    y, m, d = values
    return y, m, d, (dt.date(y, m, d) if None not in values else None)


def _dead(row: Row) -> int | None:
    return None if row["Pre-1989"] == "Yes" else int(row["# Dead Vs"])


def _recant_year(cell: str) -> int | None:
    return int(cell) if re.fullmatch(r"\d{4}", cell.strip()) else None  # DK and "2004*" are not years


COLUMN_FROM_RAW: dict[str, Callable[[Row], object]] = {
    **{f"{factor}_recorded": (lambda r, s=source: {"Yes": "yes", "No": "no"}.get(r[s]))
       for factor, source in (("dna", "DNA"), ("fc", "False Confession"), ("mwid", "Mistaken Witness ID"),
                              ("fmfe", "False or Misleading Forensic Evidence"),
                              ("pfa", "Perjury or False Accusation?"), ("om", "Official Misconduct"),
                              ("ild", "Inadequate Legal Defense"))},
    **{f"{name}_{key}": (lambda r, p=part, i=i: _date_parts(r, p)[i])
       for name, part in (("crime", "Crime"), ("arrest", "Arrest"), ("second_conviction", "2nd Convic"))
       for i, key in enumerate(("year", "month", "day", "date"))},
    "conviction_form": lambda r: {"Jury": "jury", "Bench": "bench", "Plea": "plea", "Trial": "trial"}.get(
        r["Form of 1st Conviction"]),
    "death_sentence": lambda r: _yes_no(r["Death Penalty?"]),
    "sentence": lambda r: _words(r["Sentence"]),
    "sentence_other": lambda r: _words(r["Sentence (Other)"]),
    "second_sentence": lambda r: _words(r["2nd Sentence"]),
    "why_suspected": lambda r: _code(r["Why was D Suspected? Recode"]),
    "codefendant_group": lambda r: _words(r["Exonerated CoDs?"]),
    "group_exoneration": lambda r: _yes_no(r["Part of a Group Exon?"]),
    "official_perjury_actors": lambda r: "; ".join(i.lower() for i in _items(r["Perjury by Official Actors"]))
    or None,
    "prosecutor_trial_misconduct": lambda r: "; ".join(
        PROSECUTOR[i[0]] for i in _items(r["OM by prosecutor during trial?"])) or None,
    "official_disciplined": lambda r: _by_prefix(DISCIPLINED)(r["Official actor disciplined for OM?"]),
    "om_not_connected": lambda r: _by_prefix(NOT_CONNECTED)(r["OM not connected to conviction"]),
    "extreme_judicial_misconduct": lambda r: _yes_or_no_dk(r["Extreme judicial misconduct"]),
    "victims_dead": _dead,
    "victims_female": lambda r: _number(r["# Female Vs"]),
    "victim_races": lambda r: _code(_words(r["Race of Vs"]) or ""),
    "white_victim": lambda r: _yes_no(r["White Victim"]),
    "black_victim": lambda r: _yes_no(r["Black Victim"]),
    "hispanic_victim": lambda r: _yes_no(r["Hispanic Victim"]),
    "asian_victim": lambda r: _yes_no(r["Asian Victim"]),
    "native_victim": lambda r: _yes_no(r["Native Victim"]),
    "other_race_victim": lambda r: _yes_no(r["Other Race/Ethnicity Victim"]),
    "female_victim": lambda r: _yes_no(r["Female Victim"]),
    "child_victim": lambda r: _yes_no(r["Child Victim"]),
    "victim_relation": lambda r: _code(r["Closest Relation V→D"]),
    "any_recanter": lambda r: _yes_no(r["Any known recanters"]),
    "victim_recanters": lambda r: _number(r["# victim recanters"]),
    "recantation_year": lambda r: _recant_year(r["Year of recantation"]),
    "forensic_evidence_used": lambda r: _forensic(r["Forensic Evidence Used?"]),
    "mistaken_id_witnesses": lambda r: _number(r["# Mistaken ID Witnesses"]),
    "mistaken_id_witnesses_at_trial": lambda r: _number(r["# Mistaken ID Witnesses at Trial"]),
    "other_false_id": lambda r: _code(r["Other False ID"]),
    "cross_group_id": lambda r: _yes_no(r["Mistaken Cross-group ID?"]),
    "tainted_id_procedure": lambda r: _yes_or_no_dk(r["Tainted ID procedure(s)?"]),
    "additional_crimes": lambda r: "; ".join(_items(r["List Add'l Crimes Recode"])) or None,
}

# Non-missing cells of each column, counted on the raw file (blanks, DK / Don't Know, 00, `n+`, P and the 30
# quarantined cells left out; # Dead Vs only for the 3,835 rows since 1989).
NON_MISSING = {
    "dna_recorded": 3838, "fc_recorded": 650, "mwid_recorded": 1326, "fmfe_recorded": 1239, "pfa_recorded": 2724,
    "om_recorded": 2530, "ild_recorded": 1185,
    "crime_year": 4308, "crime_month": 4213, "crime_day": 4074, "crime_date": 4074,
    "arrest_year": 3828, "arrest_month": 3709, "arrest_day": 3454, "arrest_date": 3454,
    "second_conviction_year": 111, "second_conviction_month": 106, "second_conviction_day": 94,
    "second_conviction_date": 94,
    "conviction_form": 3836, "death_sentence": 4303, "sentence": 4311, "sentence_other": 2649, "second_sentence": 0,
    "why_suspected": 3577, "codefendant_group": 892, "group_exoneration": 4302,
    "official_perjury_actors": 682, "prosecutor_trial_misconduct": 3797, "official_disciplined": 3837,
    "om_not_connected": 3790, "extreme_judicial_misconduct": 3831,
    "victims_dead": 3835, "victims_female": 4208, "victim_races": 4061, "white_victim": 4309, "black_victim": 4311,
    "hispanic_victim": 4308, "asian_victim": 4308, "native_victim": 4308, "other_race_victim": 4308,
    "female_victim": 4311, "child_victim": 1415, "victim_relation": 3711,
    "any_recanter": 3841, "victim_recanters": 932, "recantation_year": 974, "forensic_evidence_used": 2876,
    "mistaken_id_witnesses": 3588, "mistaken_id_witnesses_at_trial": 2789, "other_false_id": 3444,
    "cross_group_id": 3316, "tainted_id_procedure": 3829, "additional_crimes": 1558,
}
COLUMN_FROM_RAW["crime_year"] = lambda r: _date_parts(r, "Crime")[0]


def _python(value: object) -> object:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    if isinstance(value, pd.Timestamp):
        return value.date()
    return value.item() if hasattr(value, "item") else value


def test_every_detail_column_is_checked():
    assert set(NON_MISSING) == set(COLUMN_FROM_RAW)


VARIANTS = data_variants(FILE)


@pytest.fixture(scope="module", params=VARIANTS)
def exported(request, demo_export: Path, demo_normalised) -> tuple[str, tuple[Row, ...], pd.DataFrame]:  # noqa: ANN001
    """The raw rows and canonical table of the real 2026 export, or of the synthetic demo export (the same 78
    columns and encodings: the reader's mechanics are checked on both; the real counts only on the real one)."""
    if request.param == "real":
        return "real", raw_rows(), canonical_table(FILE)
    with demo_export.open(encoding="utf-8-sig", newline="") as fh:
        return "demo", tuple(csv.DictReader(fh)), demo_normalised.table.copy()


def test_real_data_variant_runs():
    require_real_variant(VARIANTS, FILE)


@pytest.mark.parametrize("column", sorted(COLUMN_FROM_RAW))
def test_column_equals_the_raw_file(exported, column):
    variant, rows, table = exported
    expected = [COLUMN_FROM_RAW[column](row) for row in rows]
    got = [_python(v) for v in table[column]]
    assert Counter(got) == Counter(expected)  # value counts, missing included
    if variant == "real":  # the hand-checked counts of the registry's file
        assert sum(v is not None for v in expected) == NON_MISSING[column]
        assert int(table[column].notna().sum()) == NON_MISSING[column]
    assert got == expected  # and record by record (same order as the file)


def test_types(table):
    dtypes = {c: str(table[c].dtype) for c in COLUMN_FROM_RAW}
    assert {c for c, d in dtypes.items() if d == "datetime64[ns]"} == {"crime_date", "arrest_date",
                                                                       "second_conviction_date"}
    assert dtypes["death_sentence"] == dtypes["group_exoneration"] == dtypes["cross_group_id"] == "boolean"
    assert dtypes["victims_dead"] == dtypes["mistaken_id_witnesses"] == dtypes["recantation_year"] == "Int64"
    assert dtypes["conviction_form"] == dtypes["why_suspected"] == dtypes["fc_recorded"] == "string"


def test_headline_numbers_from_the_raw_file(table):
    rows = raw_rows()
    since_1989 = [r for r in rows if r["Pre-1989"] == "No"]
    assert len(since_1989) == 3835
    assert sum(r["Death Penalty?"] == "Yes" for r in since_1989) == 144
    assert sum(r["Form of 1st Conviction"] == "Plea" for r in since_1989) == 900
    assert sum(r["Part of a Group Exon?"] == "Yes" for r in rows) == 376
    post = table[~table["pre_1989"]]
    assert int(post["death_sentence"].sum()) == 144
    assert int(post["conviction_form"].eq("plea").sum()) == 900
    assert int(table["group_exoneration"].sum()) == 376
    assert int(table["sentence_other"].notna().sum()) == 2649  # no longer written over `sentence`
    assert table["sentence"].value_counts().to_dict() == dict(Counter(r["Sentence"] for r in rows))


def test_recorded_keeps_the_explicit_no_apart_from_the_blank(table):
    assert Counter(r["False Confession"] for r in raw_rows()) == {"Yes": 548, "No": 102, "": 3661}
    assert Counter(_python(v) for v in table["fc_recorded"]) == {None: 3661, "yes": 548, "no": 102}
    assert int(table["fc"].sum()) == 548 and int((~table["fc"]).sum()) == 102 + 3661  # blank = not coded


def test_pre_1989_rows_have_unknown_tags_and_derived_homicide_and_sex(table):
    rows = raw_rows()
    pre_raw = [r for r in rows if r["Pre-1989"] == "Yes"]
    assert len(pre_raw) == 476 and all(r["Case Characteristics"] == "" for r in pre_raw)
    pre = table[table["pre_1989"]]
    for tag in ("sexual_assault", "codefendant_confessed", "guilty_plea", "no_crime", "ciu", "innocence_org",
                "jailhouse_informant", "federal_case", "misdemeanor", "arson", "shaken_baby",
                "child_sex_abuse_hysteria", "bitemark", "posthumous", "juvenile_tag"):
        assert pre[tag].isna().all(), tag
        assert table.loc[~table["pre_1989"], tag].notna().all(), tag  # since 1989: blank = not coded = False
    homicides = sum(r["Worst Crime Display"] in ("Murder", "Manslaughter") for r in pre_raw)
    women = sum(r["Sex"] == "Female" for r in pre_raw)
    assert (homicides, women) == (281, 15)
    assert int(pre["homicide"].sum()) == homicides and pre["homicide"].notna().all()
    assert int(pre["female"].sum()) == women and pre["female"].notna().all()
    assert Counter(r["Child Victim"] for r in pre_raw) == {"No": 426, "Yes": 48, "": 2}  # coded: kept
    assert int(pre["child_victim"].sum()) == 48 and int(pre["child_victim"].isna().sum()) == 2


def test_older_exports_give_the_new_columns_as_missing():
    for name in ("nre-publicspreadsheet-2024-04-10.xlsx", "nre-detaillist-scrape-2019-12.csv"):
        old = canonical_table(name)
        for column in COLUMN_FROM_RAW:
            if column in ("sentence", "crime_year", "child_victim"):
                continue  # published by the older exports too
            assert old[column].isna().all(), (name, column)


def test_cli_rate_of_homicide_among_pre_1989(project: Path, capsys: pytest.CaptureFixture[str]):
    assert main(["ingest", "nre", "--from", str(shared_file("nre", FILE))]) == 0
    assert main(["process"]) == 0
    capsys.readouterr()
    assert main(["rate", "--of", "homicide", "--among", "pre_1989"]) == 0
    out = capsys.readouterr().out
    assert "281 of 476" in out and "0 of 476" not in out
