"""Capital cases, conviction form, INT, victims and co-defendant tables on small built tables: exact counts, and
what is not recorded is counted apart, never read as no."""

from __future__ import annotations

import pandas as pd

from analysis.analyse.capital import (
    conviction_form_fc,
    death_sentence_fc,
    int_by_age,
    int_first_posting_year,
    victim_pair_fc,
    victim_race_fc,
)
from analysis.analyse.codefendants import codefendant_fc, codefendant_group_sizes, largest_codefendant_groups
from tests.unit.analyse.test_tables import canonical, row


def test_death_sentences_with_juveniles_and_not_recorded():
    table = canonical([
        {"death_sentence": True, "fc": True, "age": 16}, {"death_sentence": True, "fc": True, "age": 30},
        {"death_sentence": True}, {"death_sentence": False, "fc": True}, {"death_sentence": False},
        {"fc": True},  # not recorded
        {"death_sentence": True, "fc": True, "age": 15, "pre_1989": True},  # outside the population
    ])
    out = death_sentence_fc(table)
    assert row(out, "Death sentence")[["n", "k"]].tolist() == [3, 2]
    assert row(out, "No death sentence")[["n", "k"]].tolist() == [2, 1]
    assert row(out, "Death sentence not recorded")[["n", "k"]].tolist() == [1, 1]
    assert row(out, "Death sentence, false confession: juvenile")[["n", "k"]].tolist() == [2, 1]


def test_conviction_form_counts_not_recorded_apart():
    table = canonical([{"fc": True, "conviction_form": "jury"}, {"fc": True, "conviction_form": "plea"},
                       {"fc": True, "guilty_plea": True}, {"conviction_form": "bench"}])
    out = conviction_form_fc(table)
    assert row(out, "False confession: jury")[["n", "k"]].tolist() == [3, 1]
    assert row(out, "False confession: not recorded")["k"] == 1
    assert row(out, "False confession: guilty plea (tag or form)")["k"] == 2  # the form, or the tag
    assert row(out, "No false confession: bench")[["n", "k"]].tolist() == [1, 1]


def test_int_only_among_false_confessions_and_its_first_year():
    posted = pd.Timestamp
    table = canonical([
        {"fc": True, "om_interrogation": True, "age": 16, "posting_date": posted("2012-03-01")},
        {"fc": True, "om_interrogation": False, "age": 16, "posting_date": posted("2010-03-01")},
        {"fc": True, "age": 40, "posting_date": posted("2015-03-01")},  # INT not recorded
        {"om_interrogation": False, "age": 16},  # not a false confession: not in n
    ])
    out = int_by_age(table)
    assert row(out, "16–17")[["n", "k", "not_recorded"]].tolist() == [2, 1, 0]
    assert row(out, "25 and over")[["n", "k", "not_recorded"]].tolist() == [0, 0, 1]
    assert pd.isna(row(out, "25 and over")["share"])
    assert int_first_posting_year(table) == 2012


def test_victims_where_coded_and_the_coverage():
    table = canonical([
        {"fc": True, "race": "Black", "victim_races": "1WF", "white_victim": True},
        {"race": "Black", "victim_races": "1WF, 1BM", "white_victim": True, "black_victim": True},
        {"fc": True, "race": "White", "victim_races": "0", "white_victim": False},
        {"race": "White", "white_victim": True},  # victims' races not recorded: not counted as a white victim
    ])
    out = victim_race_fc(table)
    assert row(out, "White victim")[["n", "k"]].tolist() == [2, 1]
    assert row(out, "Black victim")[["n", "k"]].tolist() == [1, 0]
    assert row(out, "No victim (code 0)")[["n", "k"]].tolist() == [1, 1]
    assert row(out, "Victims' races not recorded")["n"] == 1
    pairs = victim_pair_fc(table)
    assert row(pairs, "Black defendant, white victim")[["n", "k"]].tolist() == [2, 1]
    assert row(pairs, "White defendant, white victim")["n"] == 0


def test_co_defendant_groups_sizes_and_largest():
    table = canonical([
        {"fc": True, "codefendant_confessed": True, "codefendant_group": "IL1", "state_abbr": "IL",
         "conviction_year": 1990, "exoneration_year": 2001},
        {"fc": True, "codefendant_group": "IL1, IL2", "state_abbr": "IL", "conviction_year": 1991,
         "exoneration_year": 2001},
        {"codefendant_group": "IL2", "state_abbr": "IL", "conviction_year": 1991, "exoneration_year": 2003},
        {"codefendant_group": "NY5", "state_abbr": "NY", "conviction_year": 1990, "exoneration_year": 2002},
        {"codefendant_group": "NY5", "state_abbr": "NY", "conviction_year": 1990, "exoneration_year": 2002},
        {"fc": True, "codefendant_confessed": True},
    ])
    sizes = codefendant_group_sizes(table)
    assert sizes[["size", "k", "n", "records", "fc_records"]].values.tolist() == [[2, 1, 2, 2, 0], [3, 1, 2, 3, 2]]
    largest = largest_codefendant_groups(table)
    first = largest.iloc[0]
    assert (first["group"], first["n"], first["k"], first["states"], first["conviction_years"],
            first["exoneration_years"]) == ("IL1", 3, 2, "IL", "1990–1991", "2001–2003")
    co = codefendant_fc(table)
    assert row(co, "False confession: a co-defendant also confessed (CDC)")[["n", "k"]].tolist() == [3, 2]
    assert row(co, "False confession: in an exonerated co-defendant group")["k"] == 2
    assert row(co, "False confession: both")["k"] == 1
