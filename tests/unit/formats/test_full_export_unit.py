"""The full export's detail columns on small frames built here: dates in parts, counts with codes, answers mapped
to labels, "No or don't know", pre-1989 rows without case characteristics, the explicit factor answers."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.formats import ExportRead
from analysis.formats.cells import Problems
from analysis.formats.nre_full_export import extract
from analysis.normalise import canonical_table
from analysis.normalise.schema import BY_NAME, COLUMN_NAMES

BASE = {
    "ID": "1", "Name": "Ann Smith", "State": "Texas", "Sex": "Female", "Worst Crime Display": "Murder",
    "Pre-1989": "No", "Case Characteristics": "", "False Confession": "", "Mistaken Witness ID": "",
    "False or Misleading Forensic Evidence": "", "Perjury or False Accusation?": "", "Official Misconduct": "",
    "Inadequate Legal Defense": "", "DNA": "",
}


def frame(*rows: dict[str, str]) -> pd.DataFrame:
    """A frame of text cells, as the readers give it: every column in every row (blank where not given)."""
    full = [{**BASE, "ID": str(i + 1), **row} for i, row in enumerate(rows)]
    columns = list(dict.fromkeys(c for row in full for c in row))
    return pd.DataFrame([{c: row.get(c, "") for c in columns} for row in full], dtype=object)


def run(*rows: dict[str, str]) -> tuple[dict[str, pd.Series], list[str], list[str]]:
    problems, warn = Problems(), []
    out = extract(frame(*rows), problems, warn)
    return out, problems.items, warn


def table(*rows: dict[str, str]) -> pd.DataFrame:
    read = ExportRead(format="nre_full_export", source="nre", frame=frame(*rows), snapshot_date=None,
                      snapshot_date_evidence="", container="csv")
    return canonical_table(read).table


def values(series: pd.Series) -> list[object]:
    return [None if pd.isna(v) else v for v in series]


def test_date_parts_as_given_with_a_date_where_complete():
    parts = ("Date of Arrest Year", "Date of Arrest Month", "Date of Arrest Day")
    out, problems, _ = run(
        dict(zip(parts, ("1994", "3", "9"), strict=True)),
        dict(zip(parts, ("1994", "00", "00"), strict=True)),  # 00: not known, not a problem
        dict(zip(parts, ("0000", "00", "00"), strict=True)),
        dict(zip(parts, ("7", "2020", "8"), strict=True)),  # shifted by one column: all three in doubt
        dict(zip(parts, ("1994", "2", "30"), strict=True)),  # no such day
    )
    assert values(out["arrest_year"]) == [1994, 1994, None, None, 1994]
    assert values(out["arrest_month"]) == [3, None, None, None, 2]
    assert values(out["arrest_day"]) == [9, None, None, None, 30]
    assert values(out["arrest_date"]) == [pd.Timestamp("1994-03-09"), None, None, None, None]
    assert out["arrest_date"].dtype == "datetime64[ns]"
    assert [p.split(":")[0] for p in problems] == [
        "row 5, column 'Date of Arrest Year'", "row 5, column 'Date of Arrest Month'",
        "row 5, column 'Date of Arrest Day'", "row 6, column 'Date of Arrest Year/Month/Day'"]
    assert "in doubt" in problems[2]


def test_counts_leave_codes_and_at_least_values_missing_without_a_report():
    column = "# Mistaken ID Witnesses at Trial"
    out, problems, _ = run(*({column: v, "# Female Vs": v} for v in ("2", "0", "DK", "3+", "P", "", "x")))
    assert values(out["mistaken_id_witnesses_at_trial"]) == [2, 0, None, None, None, None, None]
    assert values(out["victims_female"]) == [2, 0, None, None, None, None, None]
    # P is a code only at trial; elsewhere it is quarantined like any other text
    assert [p.split(": ")[0] + ": " + p.split(": ")[1].split(" ")[0] for p in problems] == [
        "row 6, column '# Female Vs': 'P'", "row 8, column '# Female Vs': 'x'",
        "row 8, column '# Mistaken ID Witnesses at Trial': 'x'"]


def test_sentence_category_and_detail_kept_apart():
    out, _, _ = run({"Sentence": "Term of Years", "Sentence (Other)": "25 to life"}, {"Sentence": "Life"})
    assert values(out["sentence"]) == ["Term of Years", "Life"]
    assert values(out["sentence_other"]) == ["25 to life", None]


def test_codes_and_labels():
    out, _, warn = run(
        {"Form of 1st Conviction": "Jury", "Why was D Suspected? Recode": "ID", "Other False ID": "NONE",
         "OM by prosecutor during trial?": "1 Yes, improper argument; 3  Yes, knowingly allowing perjury (code "
         "this even if procuring perjury is already coded for the same act)",
         "Perjury by Official Actors": "Police; Forensic Analyst"},
        {"Form of 1st Conviction": "Don't Know", "Why was D Suspected? Recode": "DK", "Other False ID": "DK",
         "OM by prosecutor during trial?": "0  No or dont know"},
        {"Form of 1st Conviction": "Plea", "Why was D Suspected? Recode": "NEW",
         "OM by prosecutor during trial?": "7 Yes, something new"},
    )
    assert values(out["conviction_form"]) == ["jury", None, "plea"]
    assert values(out["why_suspected"]) == ["ID", None, None]
    assert values(out["other_false_id"]) == ["NONE", None, None]
    assert values(out["prosecutor_trial_misconduct"]) == [
        "improper argument; knowingly allowing perjury", "no or don't know", None]
    assert values(out["official_perjury_actors"]) == ["police; forensic analyst", None, None]
    assert any("'Why was D Suspected? Recode'" in w and "NEW" in w for w in warn), warn
    assert any("7 Yes, something new" in w for w in warn), warn


def test_no_or_dont_know_is_false_and_pled_alone_is_missing():
    out, problems, _ = run(
        {"Tainted ID procedure(s)?": "Yes", "Extreme judicial misconduct": "Yes", "Forensic Evidence Used?": "Yes"},
        {"Tainted ID procedure(s)?": "No or don\u2019t know", "Extreme judicial misconduct": "No or Don't Know",
         "Forensic Evidence Used?": "No; Pled"},
        {"Forensic Evidence Used?": "Pled"},
        {"Forensic Evidence Used?": "Maybe", "Mistaken Cross-group ID?": "Don't Know"},
    )
    assert values(out["tainted_id_procedure"]) == [True, False, None, None]
    assert values(out["extreme_judicial_misconduct"]) == [True, False, None, None]
    assert values(out["forensic_evidence_used"]) == [True, False, None, None]
    assert values(out["cross_group_id"]) == [None, None, None, None]
    assert len(problems) == 1 and "'Maybe'" in problems[0]


def test_recorded_answer_next_to_the_factor():
    out, _, _ = run({"False Confession": "Yes", "DNA": "No"}, {"False Confession": "No"}, {})
    assert values(out["fc"]) == [True, False, False]
    assert values(out["fc_recorded"]) == ["yes", "no", None]
    assert values(out["dna_recorded"]) == ["no", None, None]


def test_pre_1989_rows_without_characteristics_are_unknown_homicide_and_female_derived():
    t = table(
        {"Pre-1989": "Yes", "# Dead Vs": "0"},
        {"Pre-1989": "Yes", "Sex": "Male", "Worst Crime Display": "Robbery", "# Dead Vs": "0"},
        {"Pre-1989": "Yes", "Case Characteristics": "Plea", "# Dead Vs": "0"},  # coded: the others are False
        {"Case Characteristics": "", "# Dead Vs": "0"},  # since 1989, blank = not coded
    )
    assert values(t["homicide"]) == [True, False, False, False]
    assert values(t["female"]) == [True, False, False, False]
    assert values(t["guilty_plea"]) == [None, None, True, False]
    assert values(t["sexual_assault"]) == [None, None, False, False]
    assert values(t["victims_dead"]) == [None, None, None, 0]  # all 0 before 1989: not coded


def test_a_frame_without_the_detail_columns_gives_them_missing():
    t = table({})
    assert tuple(t.columns) == COLUMN_NAMES
    for column in ("crime_date", "conviction_form", "why_suspected", "victims_dead", "additional_crimes"):
        assert t[column].isna().all() and str(t[column].dtype) == BY_NAME[column].dtype


@pytest.mark.parametrize("column", ["conviction_form", "why_suspected", "victim_relation", "other_false_id",
                                    "fc_recorded"])
def test_coded_columns_are_closed_lists_in_the_schema(column):
    assert BY_NAME[column].allowed and "From the 2026 full export" in BY_NAME[column].caveat
