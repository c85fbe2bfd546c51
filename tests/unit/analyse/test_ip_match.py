"""Matching the Innocence Project roster to registry records."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.analyse.ip_match import match_roster, match_summary, name_key, name_tokens
from tests.unit.analyse.test_tables import canonical


@pytest.mark.parametrize(("name", "key"), [
    ("José María Núñez Jr.", "jose nunez"),
    ("A.B. Butler", "a butler"),  # initials are one-letter words (analysis.formats.names)
    ("Marvin Grimm, Jr.", "marvin grimm"),
    ("William O'Dell Harris", "william harris"),
    ("Clemente Aguirre-Jarquin", "clemente jarquin"),
    ("JOHN  SMITH III", "john smith"),
    ("Cher", "cher"),
    ("", None),
    (None, None),
])
def test_name_key(name, key):
    assert name_key(name) == key


def test_name_tokens_drop_suffixes_and_punctuation():
    assert name_tokens("Robert DuBoise, Sr.") == ("robert", "duboise")
    assert name_tokens("Walter D. Smith II") == ("walter", "d", "smith")


def roster(*entries: tuple[str, str, str | None]) -> pd.DataFrame:
    return pd.DataFrame([{"name": n, "slug": n.lower().replace(" ", "-"), "state": s, "exoneration_year": y}
                         for n, s, y in entries])


@pytest.fixture
def registry() -> pd.DataFrame:
    return canonical([
        {"record_id": "R1", "name": "John Paul Smith", "state": "Texas", "exoneration_year": 2001, "fc": True,
         "dna": True},
        {"record_id": "R2", "name": "Jane Doe", "state": "Ohio", "exoneration_year": 2010, "dna": True},
        {"record_id": "R3", "name": "Frederic Saecker", "state": "Wisconsin", "exoneration_year": 1996},
        {"record_id": "R4", "name": "Jerry Townsend", "state": "Florida", "exoneration_year": 2001},
        {"record_id": "R5", "name": "Jerry Townsend", "state": "Florida", "exoneration_year": 2001},
        {"record_id": "R6", "name": "Jane Doe", "state": "Texas", "exoneration_year": 2010, "fc": True},
    ])


def test_methods_in_order(registry):
    entries = roster(
        ("John Smith", "Texas", "2002"),  # year one off: still exact
        ("Jane Doe", "Ohio", "2015"),  # year too far: name+state
        ("Jane Doe", "OH", None),  # postal code, no year: name+state
        ("Fredric Saecker", "Wisconsin", "1996"),  # spelling differs: last name + first initial
        ("Jerry Frank Townsend", "Florida", "2001"),  # two equally close records: not matched
        ("John Smith", "Ohio", "2001"),  # wrong state
    )
    m = match_roster(entries, registry)
    assert list(m.columns) == ["name", "slug", "state", "year", "record_id", "match_method", "candidates"]
    assert m["record_id"].tolist()[:4] == ["R1", "R2", "R2", "R3"]
    assert m["record_id"].iloc[4:].isna().all()
    assert m["match_method"].tolist()[:4] == ["exact name+state+year", "name+state", "name+state",
                                               "last+first initial+state"]
    assert m["match_method"].iloc[4:].isna().all()
    assert m["candidates"].tolist() == [1, 1, 1, 1, 2, 0]
    assert m["state"].iloc[2] == "Ohio"


def test_closest_year_wins(registry):
    two = pd.concat([registry, canonical([{"record_id": "R7", "name": "Jane Doe", "state": "Ohio",
                                           "exoneration_year": 2013}])], ignore_index=True)
    m = match_roster(roster(("Jane Doe", "Ohio", "2016")), two)
    assert m[["record_id", "match_method"]].values.tolist() == [["R7", "name+state"]]


def test_summary(registry):
    m = match_roster(roster(("John Smith", "Texas", "2001"), ("Jane Doe", "Texas", "2010"),
                            ("Jane Doe", "Ohio", "2010"), ("Nobody Here", "Texas", "2001"),
                            ("Jerry Townsend", "Florida", "2001")), registry)
    s = match_summary(m, registry)
    assert (s["entries"], s["matched"], s["unmatched"]) == (5, 3, 2)
    assert s["match_rate"] == 0.6
    assert s["unmatched_names"] == ["Nobody Here", "Jerry Townsend"]
    assert s["ambiguous_names"] == ["Jerry Townsend"]
    assert s["by_method"]["exact name+state+year"] == 3
    assert (s["fc_share"].k, s["fc_share"].n) == (2, 3)
    assert (s["dna_share"].k, s["dna_share"].n) == (2, 3)


# ---------------------------------------------------------------------------------------------------------
# The real roster against the 2026 export
# ---------------------------------------------------------------------------------------------------------






