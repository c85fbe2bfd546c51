"""The two juvenile definitions treat an unknown age the same way: left out of n and counted as not recorded."""

from __future__ import annotations

from analysis.analyse.definitions import compute_definition
from tests.conftest import snap
from tests.unit.analyse.test_tables import canonical


def test_unknown_ages_are_left_out_of_both_juvenile_definitions():
    table = canonical([{"fc": True, "age": 16}, {"fc": True, "age": 30}, {"fc": True, "age": None},
                       {"fc": False, "age": 15}, {"fc": False, "age": None}])
    s = snap(table, {"snapshot_id": "t", "snapshot_date": "2026-06-26"})
    among_fc = compute_definition(s, "juvenile_share_fc")  # juveniles among false confessors
    fc_among_juveniles = compute_definition(s, "fc_share_juvenile")  # false confessors among juveniles
    assert (among_fc.k, among_fc.n, among_fc.not_recorded) == (1, 2, 1)
    assert (fc_among_juveniles.k, fc_among_juveniles.n) == (1, 2)
    assert "For 1 more, it is not recorded" in among_fc.sentence
