"""Real-data tests split from `test_ip_match`: they read the shared exports and skip with a reason when absent."""

from __future__ import annotations

import csv
import json
import warnings

import pytest

from analysis.analyse.ip_match import load_roster, match_roster, match_summary
from analysis.normalise import normalise_file
from tests.conftest import shared_file, skip_module_without_shared

skip_module_without_shared("the real Innocence Project roster matched to the 2026 export")


@pytest.fixture(scope="module")
def real():
    roster_path = shared_file("innocence_project", "ip-all-cases-roster-2026-07.json")
    nre_path = shared_file("nre", "nre-fullcsv-2026-06.csv")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        table = normalise_file(nre_path).table
    matches = match_roster(load_roster(roster_path), table)
    return roster_path, nre_path, table, matches


def test_real_roster_match(real):
    roster_path, _, table, matches = real
    # json module: 248 roster objects, states written as full names (e.g. "Texas"), 2 null years.
    assert len(matches) == len(json.loads(roster_path.read_text(encoding="utf-8"))) == 248
    s = match_summary(matches, table)
    # Checked independently with the csv module on the raw 2026 export: 237 roster entries have exactly one
    # row with the same State, the same first and last word of Name and Date of Exon within a year; Lawrence
    # McKinney (ID 10683, exonerated 2009, roster 2017), Rickey Dale Wyatt (11157, 2012 vs 2014) and Thomas
    # Siller (11431, roster year null) match on name and state only; Fredric/Frederic Saecker (10823), Philip/
    # Phillip Barnett (13096), Ron/Ronald Keith Williamson (10969) and Scott/Samuel Scott Minton (13875) on last
    # name + initial. Not found: Abdal (the registry has "Warith Habib Abdal"), Ian Schweitzer ("Albert Ian
    # Schweitzer"), Melissa Lucio (no row), Jerry Frank Townsend (two "Jerry Townsend" rows, IDs 10914 and
    # 13731, both Florida 2001).
    assert (s["matched"], s["unmatched"]) == (244, 4)
    assert s["by_method"] == {"exact name+state+year": 237, "name+state": 3, "last+first initial+state": 4}
    assert sorted(s["unmatched_names"]) == ["Habib Wahir Abdal", "Ian Schweitzer", "Jerry Frank Townsend",
                                            "Melissa Lucio"]
    assert s["ambiguous_names"] == ["Jerry Frank Townsend"]
    by_name = matches.set_index("name")["record_id"]
    assert by_name[["Fredric Saecker", "Philip Barnett", "Ron Williamson", "Scott Minton", "Lawrence McKinney",
                    "Rickey Dale Wyatt", "Thomas Siller"]].tolist() == [
        "NRE-10823", "NRE-13096", "NRE-10969", "NRE-13875", "NRE-10683", "NRE-11157", "NRE-11431"]
    assert s["duplicate_matches"] == []


def test_real_flags_among_matched_cases_agree_with_the_raw_file(real):
    _, nre_path, table, matches = real
    s = match_summary(matches, table)
    ids = {rid.removeprefix("NRE-") for rid in matches["record_id"].dropna()}
    with nre_path.open(encoding="utf-8-sig", newline="") as fh:
        rows = [r for r in csv.DictReader(fh) if r["ID"] in ids]
    # csv module on the raw export, the 244 matched IDs: False Confession = Yes 61, DNA = Yes 224
    assert (len(rows), sum(r["False Confession"] == "Yes" for r in rows), sum(r["DNA"] == "Yes" for r in rows)) == \
        (244, 61, 224)
    assert (s["fc_share"].k, s["fc_share"].n) == (61, 244)
    assert (s["dna_share"].k, s["dna_share"].n) == (224, 244)

