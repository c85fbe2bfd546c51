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


def test_juvenile_by_decade_leaves_unknown_ages_out_as_the_definitions_do():
    from analysis.analyse.tables import juvenile_by_decade

    rows = [{"fc": True, "age": 16}, {"fc": True, "age": 30}, {"fc": True, "age": None}, {"fc": False, "age": 15}]
    table = canonical([{**r, "exoneration_year": 2001} for r in rows])
    row = juvenile_by_decade(table).set_index("group").loc["2000s"]
    definition = compute_definition(snap(table, {"snapshot_id": "t", "snapshot_date": "2026-06-26"}),
                                    "juvenile_share_fc")
    assert (row["k_juvenile_fc"], row["n_fc"]) == (definition.k, definition.n) == (1, 2)
    assert (row["k_fc_juvenile"], row["n_juvenile"]) == (1, 2)
