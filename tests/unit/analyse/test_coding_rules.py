"""Coding-rule detection on small frames: nested, not nested, empty, all missing."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.analyse.coding_rules import (
    CODED_ONLY_ON_FC,
    EVERY_FC_CODED,
    coded_only_with,
    coding_rule_label,
    nested,
    nesting_table,
)


def frame(**columns: list) -> pd.DataFrame:
    return pd.DataFrame({name: pd.array(values, dtype="boolean") for name, values in columns.items()})


def test_nested_code_is_found_with_its_counts():
    table = frame(om_interrogation=[True, True, False, None, False],
                  fc=[True, True, True, False, False])
    found = nested(table, "om_interrogation", "fc")
    assert (found.n_inner, found.n_both, found.n_outer_missing) == (2, 2, 0)
    assert found.holds
    assert coded_only_with(table, "om_interrogation")
    assert str(found) == "om_interrogation ⊂ fc: always (2 of 2)"
    # the other way round it does not hold: a false confession without INT
    assert not nested(table, "fc", "om_interrogation").holds


def test_one_exception_breaks_the_rule():
    table = frame(om_interrogation=[True, True, True, False], fc=[True, True, False, True])
    found = nested(table, "om_interrogation", "fc")
    assert (found.n_inner, found.n_both) == (3, 2)
    assert not found.holds
    assert coding_rule_label(table, "om_interrogation") == ""


def test_outer_not_coded_is_not_evidence_of_nesting():
    table = frame(om_interrogation=[True, True], fc=[True, None])
    found = nested(table, "om_interrogation", "fc")
    assert (found.n_inner, found.n_both, found.n_outer_missing) == (2, 1, 1)
    assert not found.holds


def test_among_restricts_the_rows_checked():
    table = frame(om_interrogation=[True, True], fc=[True, False])
    assert not nested(table, "om_interrogation", "fc").holds
    assert nested(table, "om_interrogation", "fc", among=pd.Series([True, False])).holds


@pytest.mark.parametrize("values", [[], [None, None, None]], ids=["empty", "all missing"])
def test_empty_or_uncoded_never_holds(values):
    table = frame(om_interrogation=values, fc=[None] * len(values))
    found = nested(table, "om_interrogation", "fc")
    assert (found.n_inner, found.n_both) == (0, 0)
    assert not found.holds
    assert coding_rule_label(table, "om_interrogation") == ""
    assert not nesting_table(table, ["om_interrogation", "fc"])["holds"].any()


def test_labels_for_the_three_kinds_of_rule():
    table = frame(fc=[True, True, False, False], om_interrogation=[True, False, False, False],
                  om=[True, True, True, False], pfa=[True, True, True, False], mwid=[False, True, True, False])
    assert coding_rule_label(table, "om_interrogation") == CODED_ONLY_ON_FC
    # every false confession is coded with pfa: a rule the other way
    assert coding_rule_label(table, "pfa") == EVERY_FC_CODED
    assert coding_rule_label(table, "om") == EVERY_FC_CODED
    assert coding_rule_label(table, "mwid") == ""
    assert coding_rule_label(table, "fc") == ""
    # om includes INT (INT ⊂ om) and INT ⊂ fc; om does not hold every false confession here
    table.loc[1, "om"] = False
    assert coding_rule_label(table, "om") == f"includes misconduct in interrogation ({CODED_ONLY_ON_FC})"


def test_nesting_table_lists_every_ordered_pair():
    table = frame(a=[True, False, True], b=[True, True, True], c=[False, True, None])
    out = nesting_table(table, ["a", "b", "c"])
    assert len(out) == 6
    held = {(r.inner, r.outer) for r in out.itertuples() if r.holds}
    assert held == {("a", "b"), ("c", "b")}
    row = out[(out["inner"] == "b") & (out["outer"] == "c")].iloc[0]
    assert (row["n_inner"], row["n_both"], row["n_outer_missing"]) == (3, 1, 1)
