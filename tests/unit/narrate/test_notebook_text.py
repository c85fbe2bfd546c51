"""What the notebooks say about their own method: which snapshot stands for September 2017, the methodological
choices in the words of the code that applies them, readable tables, the Innocence Project match (issue 14)."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pandas as pd
import pytest

from analysis.analyse import definitions, rates
from analysis.analyse.reconcile import AS_OF, reconciliation, reconciliation_steps
from analysis.analyse.tables import TABLES
from analysis.narrate import session as session_module
from analysis.narrate.report import ROSTER_DEFINITION as DEFINITION
from analysis.narrate.report import ROSTER_NOT_STORED as NOT_STORED
from analysis.narrate.session import (
    CHOICES,
    Session,
    choice_text,
    claim_snapshot_sentence,
    explain,
    readable,
    roster_match,
)
from analysis.normalise import schema
from analysis.settings import paths
from tests.conftest import REPO_ROOT, snap

NOTEBOOKS = REPO_ROOT / "notebooks"
LATEST = {"snapshot_id": "2026-06-26-d3738287", "snapshot_date": "2026-06-26", "synthetic": True}
THEN = {"snapshot_id": "2017-07-06-0f1e2d3c", "snapshot_date": "2017-07-06"}


# --- 3. notebook 04 says which snapshot stands for the claim's date ------------------------------------------


def test_claim_sentence_names_the_snapshot_of_the_time_when_one_is_stored():
    text = claim_snapshot_sentence(snap(pd.DataFrame(), LATEST), snap(pd.DataFrame(), THEN))
    assert "the snapshot closest to September 2017: 2017-07-06-0f1e2d3c, dated 6 July 2017" in text
    assert "No snapshot" not in text


def test_claim_sentence_says_the_latest_was_filtered_when_none_is_stored():
    latest = snap(pd.DataFrame(), LATEST)
    text = claim_snapshot_sentence(latest, None)
    assert text.startswith("No snapshot dated on or before 12 September 2017 is stored")
    assert "the latest snapshot (2026-06-26-d3738287) filtered to records posted by 12 September 2017" in text
    assert "closest to September 2017" not in text
    same = claim_snapshot_sentence(latest, latest)  # the session's own snapshot is the only one by then
    assert "closest to September 2017" not in same and "filtered to records posted by 12 September 2017" in same
    assert dt.date(2017, 9, 12) == AS_OF


def test_notebook_04_prints_the_claim_sentence_from_code_and_the_roster_match():
    text = (NOTEBOOKS / "04-the-32-percent-question.py").read_text(encoding="utf-8")
    assert "show_markdown(claim_snapshot_sentence(session.snapshot, then))" in text
    assert "roster_match(session)" in text
    assert "closest to September 2017" not in text  # the notebook never asserts it in its own words


# --- 4. methodological choices, pulled from the code ---------------------------------------------------------


def test_each_choice_quotes_the_module_that_applies_it():
    meaning = definitions.BY_ID
    assert "records with `pre_1989` are left out unless an expression names `pre_1989`" in choice_text("population")
    assert 'blank means "not coded"' in choice_text("blank") and "`analysis.normalise.schema`" in choice_text("blank")
    for stat in ("fc_share_juvenile", "fc_share_adult", "juvenile_share_fc"):
        assert meaning[stat].meaning in choice_text("unknown_ages")
    assert "two-sided Wilson score interval" in choice_text("wilson")
    assert "records whose posting date is on or before it" in choice_text("as_of")
    with pytest.raises(KeyError, match="unknown choice"):
        choice_text("wald")


def test_choice_text_follows_the_source_text(monkeypatch: pytest.MonkeyPatch):
    """Not retyped: change the definitions' own words and the notebooks say the new words."""
    doc = definitions.__doc__.replace("are left out unless", "are dropped unless")
    monkeypatch.setattr(definitions, "__doc__", doc)
    assert "are dropped unless an expression names `pre_1989`" in choice_text("population")
    monkeypatch.setattr(rates.Rate, "__doc__", "A share with a Wilson interval of a new kind.")
    assert "Wilson interval of a new kind" in choice_text("wilson")
    monkeypatch.setattr(schema, "__doc__", "Nothing about blanks here.")
    with pytest.raises(KeyError):
        choice_text("blank")


def test_explain_shows_the_choice_as_markdown():
    shown = explain("population")
    assert shown.data == choice_text("population").replace("<", "&lt;").replace(">", "&gt;")


NOTEBOOK_CHOICES = {
    "01-data-overview": {"as_of", "population", "wilson", "blank"},
    "02-how-common": {"as_of", "population", "wilson", "blank"},
    "03-who-confesses": {"as_of", "population", "unknown_ages"},
    "04-the-32-percent-question": {"as_of", "wilson"},
    "05-time-lost": {"as_of", "population"},
    "06-what-changed": {"as_of", "population"},
    "07-who-confesses-modelled": {"as_of", "population", "unknown_ages"},
    "08-time-to-exoneration": {"as_of", "population"},
    "09-capital-cases-and-codefendants": {"as_of", "population", "wilson"},
}


def _code_cells(path: Path) -> list[str]:
    cells = re.split(r"^# %%.*$", path.read_text(encoding="utf-8"), flags=re.MULTILINE)
    return [c.strip() for c in cells if c.strip() and not c.lstrip().startswith("#")]


def test_every_notebook_explains_the_choices_it_uses_next_to_the_cells_they_affect():
    sources = {p.stem: p for p in sorted(NOTEBOOKS.glob("*.py"))}
    assert set(sources) == set(NOTEBOOK_CHOICES)
    for stem, path in sources.items():
        text = path.read_text(encoding="utf-8")
        explained = set(re.findall(r'^explain\("(\w+)"\)$', text, flags=re.MULTILINE))
        assert explained == NOTEBOOK_CHOICES[stem], stem
        assert explained <= set(CHOICES)
        if "TABLES[" in text or "headline_" in text:  # the since-1989 tables and statistics
            assert "population" in explained, stem
        cells = re.split(r"^# %%", text, flags=re.MULTILINE)
        for i, cell in enumerate(cells):
            if re.search(r'^explain\("\w+"\)$', cell, flags=re.MULTILINE):
                argued = cells[i - 1]
                assert argued.startswith(" [markdown]") and len(argued) > 120, (stem, cell)  # argued just above
                assert not re.search(r'^explain\(', cells[i + 1], flags=re.MULTILINE)  # then the cell it affects


# --- 5. readable tables ----------------------------------------------------------------------------------


def test_every_table_a_notebook_shows_is_readable():
    shown_raw = []
    for path in sorted(NOTEBOOKS.glob("*.py")):
        for cell in _code_cells(path):
            last = cell.splitlines()[-1]
            table = ("TABLES[" in last or last in ("history", "readings")
                     or last.startswith(("year_end_history(", "reconciliation_steps(", "years_lost_bins(",
                                         "reconciliation(")))
            if table and not last.startswith("readable("):
                shown_raw.append(f"{path.name}: {last}")
    assert shown_raw == []


def test_the_state_table_shows_the_state_once_and_shares_as_percentages(demo_normalised):
    raw = TABLES["state"](demo_normalised.table)
    assert {"group", "state", "state_abbr"} <= set(raw.columns)  # the table itself keeps every column
    out = readable(raw)
    assert "state" not in out.columns and "state_abbr" not in out.columns
    assert out["group"].tolist() == raw["group"].tolist()
    first = raw.iloc[0]
    assert out["share"].iloc[0] == f"{first['share']:.1%}" and out["ci_low"].iloc[0] == f"{first['ci_low']:.1%}"
    numbers = out.select_dtypes("number")
    assert not [c for c in numbers.columns if (numbers[c].dropna().round(2) != numbers[c].dropna()).any()]


def test_readable_keeps_a_state_column_that_is_not_the_group():
    frame = pd.DataFrame({"group": ["Murder", "Rape"], "state": ["Illinois", "Texas"], "state_abbr": ["IL", "TX"]})
    assert list(readable(frame).columns) == ["group", "state", "state_abbr"]


def test_reconciliation_tables_show_changes_in_points_and_shares_in_percent(demo_normalised):
    readings = reconciliation(snap(demo_normalised.table, LATEST))
    steps = reconciliation_steps(readings)
    out = readable(steps)
    second = steps.iloc[1]
    assert out["change"].iloc[1] == f"{second['change'] * 100:+.1f} pts" and out["change"].iloc[0] == ""
    assert out["share"].iloc[1] == f"{second['share']:.1%}"
    shown = readable(readings)
    assert shown["distance_from_32"].iloc[0] == f"{readings['distance_from_32'].iloc[0] * 100:+.1f} pts"
    assert shown["interval_contains_32"].tolist() == readings["interval_contains_32"].tolist()  # flags stay flags


def test_readable_p_values_and_other_decimals():
    out = readable(pd.DataFrame({"group": ["a", "b"], "p_value": [0.0004, 0.04567], "odds_ratio": [1.23456, 2.0],
                                 "km_survival": [0.5, 0.25]}))
    assert out["p_value"].tolist() == ["<0.001", "0.046"]
    assert out["odds_ratio"].tolist() == [1.23, 2.0] and out["km_survival"].tolist() == ["50.0%", "25.0%"]


# --- 2. the roster match in notebook 04 ------------------------------------------------------------------


def test_notebook_roster_match_without_a_stored_roster_says_so(project: Path):
    shown = roster_match(Session(snapshot=snap(pd.DataFrame({"record_id": []}), LATEST), where=paths()))
    assert NOT_STORED.replace("`", "") in shown.data.replace("`", "")


def test_notebook_roster_match_matches_the_sessions_records(demo_normalised, monkeypatch: pytest.MonkeyPatch):
    from analysis.narrate import report

    table = demo_normalised.table
    chosen = table.iloc[:30]
    roster = pd.DataFrame({"name": chosen["name"].astype(str), "slug": "s", "state": chosen["state"].astype(str),
                           "exoneration_year": chosen["exoneration_year"].astype("Int64").astype(str)})
    monkeypatch.setattr(report, "stored_roster", lambda: roster)
    shown = roster_match(Session(snapshot=snap(table, LATEST), where=paths())).data
    k = int(chosen["fc"].fillna(False).sum())
    assert f"; {k} of the 30 matched records ({k / 30:.1%}; 95% CI " in shown
    assert DEFINITION.replace("<", "&lt;") in shown
    assert session_module.roster_match is roster_match
