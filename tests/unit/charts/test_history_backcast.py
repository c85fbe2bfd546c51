"""The DNA false-confession share backcast year by year from one snapshot, and its chart.

Expected values are counted here with plain pandas (the entry-date rule written out again, not the module's code).
"""

from __future__ import annotations

import datetime as dt
import re
import warnings

import pandas as pd
import pytest

from analysis.analyse.history import SMALL_N, START_YEAR, history_table, year_end_history
from analysis.analyse.wording import change_phrase, check_share_phrase
from analysis.charts import ChartContext, make_chart
from analysis.charts.dna_fc_share_history import BACKCAST, FROM_YEAR, STORED
from tests.conftest import canonical_table, shared_file, snap
from tests.unit.analyse.test_tables import canonical

T = pd.Timestamp


@pytest.fixture(scope="module")
def built():
    """Opening list posted 2011-09-01; later postings enter on their posting date; two records cannot be placed."""
    table = canonical([
        {"dna": True, "fc": True, "posting_date": T("2011-09-01"), "exoneration_date": T("1993-05-01"),
         "exoneration_year": 1993},  # A: opening list, enters 1993
        {"dna": True, "posting_date": T("2011-09-01"), "exoneration_year": 1995},  # B: year only, enters 1995
        {"dna": True, "fc": True, "posting_date": T("2013-03-01"), "exoneration_date": T("1990-01-01"),
         "exoneration_year": 1990},  # C: posted after the opening year, enters 2013
        {"dna": True, "fc": True, "exoneration_year": 2000},  # D: no posting date: undated
        {"dna": False, "fc": True, "posting_date": T("2011-09-01"), "exoneration_year": 1992},  # not DNA
        {"dna": True, "fc": True, "pre_1989": True, "posting_date": T("2011-09-01"), "exoneration_year": 1980},
        {"dna": True, "posting_date": T("2011-10-01")},  # G: opening list, no exoneration date: undated
    ])
    return snap(table, {"snapshot_id": "built", "snapshot_date": "2014-06-30"})


def test_year_end_backcast_on_a_built_table(built):
    years = year_end_history(built)
    assert years["year"].tolist() == list(range(START_YEAR, 2015))
    by_year = years.set_index("year")
    expected = {1992: (0, 0), 1993: (1, 1), 1994: (1, 1), 1995: (1, 2), 2012: (1, 2), 2013: (2, 3), 2014: (2, 3)}
    for year, kn in expected.items():
        assert (by_year.at[year, "k_fc_dna"], by_year.at[year, "n_dna"]) == kn, year
    assert pd.isna(by_year.at[1992, "share"])  # no DNA exoneration yet: no share, never 0%
    assert by_year.at[2013, "share"] == pytest.approx(2 / 3)
    assert by_year.at[2014, "as_of"] == "2014-06-30" and by_year.at[2013, "as_of"] == "2013-12-31"
    assert (years["undated"] == 2).all()  # D (no posting date) and G (opening list, no exoneration date)
    assert years["small_n"].all() and SMALL_N > 3


def test_the_backcast_follows_an_as_of_view(built):
    years = year_end_history(built.at("2012-12-31"))
    assert years["year"].iloc[-1] == 2012 and years["n_dna"].iloc[-1] == 2  # C, posted 2013, not yet there


def test_chart_on_a_built_table_draws_the_backcast_and_the_snapshot(built):
    spec = make_chart("dna-fc-share-history", built, ChartContext(history=history_table([built])))
    back = spec.data[spec.data["series"] == BACKCAST]
    assert back["year"].tolist() == list(range(1993, 2015))  # every year with a DNA exoneration to show
    stored = spec.data[spec.data["series"] == STORED]
    # the snapshot's own share counts every DNA record, the two that cannot be placed in time too (A C D of A B C D G)
    assert stored[["snapshot_id", "date", "k_fc_dna", "n_dna"]].values.tolist() == [["built", "2014-06-30", 3, 5]]
    assert "Dotted: fewer than" in spec.notes[0]
    assert "Left out of every year: 2 DNA exonerations with no date" in spec.notes[0]


@pytest.fixture(scope="module")
def demo():
    """The synthetic demo export (1,500 rows, seed 1) as one stored snapshot."""
    import tempfile
    from pathlib import Path

    from analysis.ingest.demo import write_demo
    from analysis.ingest.demo_parameters import EXPORT_DATE
    from analysis.normalise import normalise_file

    with tempfile.TemporaryDirectory() as folder, warnings.catch_warnings():
        warnings.simplefilter("ignore")
        table = normalise_file(write_demo(Path(folder) / "demo.csv", 1500, 1)).table
    return snap(table, {"snapshot_id": "demo-1", "snapshot_date": EXPORT_DATE.isoformat(), "synthetic": True})


def independent_counts(table: pd.DataFrame, day: dt.date) -> dict[int, tuple[int, int]]:
    """(k, n) at each year's end, the rule written out again: posting date; opening year → exoneration date."""
    posted = pd.to_datetime(table["posting_date"])
    opening = posted.dt.year == posted.min().year
    exon = pd.to_datetime(table["exoneration_date"]).fillna(
        pd.to_datetime(table["exoneration_year"].astype("Int64").astype("string") + "-12-31", errors="coerce"))
    entered = posted.mask(opening, exon)
    dna = (table["dna"] == True).fillna(False) & (table["pre_1989"] == False)  # noqa: E712
    fc = (table["fc"] == True).fillna(False)  # noqa: E712
    out = {}
    for year in range(START_YEAR, day.year + 1):
        held = dna & (entered <= T(min(dt.date(year, 12, 31), day)))
        out[year] = (int((held & fc).sum()), int(held.sum()))
    return out


def check_single_snapshot_chart(snapshot) -> None:  # noqa: ANN001
    """A point for every year from 1992 to the snapshot's year, counts as counted here, title via the wording."""
    expected = independent_counts(snapshot.table, snapshot.source.date)
    spec = make_chart("dna-fc-share-history", snapshot, ChartContext(history=history_table([snapshot])))
    back = spec.data[spec.data["series"] == BACKCAST]
    assert back["year"].tolist() == list(range(1992, snapshot.source.date.year + 1))
    assert (back["n_dna"] > 0).all()
    assert {int(r.year): (int(r.k_fc_dna), int(r.n_dna)) for r in back.itertuples()} == expected
    assert back["small_n"].tolist() == [expected[y][1] < SMALL_N for y in back["year"]]
    stored = spec.data[spec.data["series"] == STORED]
    assert len(stored) == 1 and stored["date"].iloc[0] == snapshot.source.iso
    # the whole snapshot's own share is the backcast's last point (same records, same coding)
    assert (stored["k_fc_dna"].iloc[0], stored["n_dna"].iloc[0]) == expected[snapshot.source.date.year]
    (k0, n0), (k1, n1) = expected[FROM_YEAR], expected[snapshot.source.date.year]
    phrase = change_phrase(k0, n0, k1, n1, before=f"at the end of {FROM_YEAR}",
                           after=f"in {snapshot.source.date.strftime('%B %Y')}")
    assert spec.title == f"The false-confession share of DNA exonerations {phrase}"
    first, second = re.findall(r"\d+\.\d%", spec.title)
    assert check_share_phrase(first, k0 / n0) and check_share_phrase(second, k1 / n1)
    assert first in spec.alt_text and second in spec.alt_text


def test_single_demo_snapshot_has_a_point_for_every_year_from_1992(demo):
    check_single_snapshot_chart(demo)


def test_single_2026_snapshot_has_a_point_for_every_year_from_1992():
    shared_file("nre", "nre-fullcsv-2026-06.csv")
    check_single_snapshot_chart(snap(canonical_table("nre-fullcsv-2026-06.csv"),
                                     {"snapshot_id": "nre-2026-06", "snapshot_date": "2026-06-26"}))
