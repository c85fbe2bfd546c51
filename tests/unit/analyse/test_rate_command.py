"""``confessions rate`` and the named definitions on real snapshots, through the real command line."""

from __future__ import annotations

import datetime as dt
import json

import pandas as pd
import pytest

from analysis.analyse.definitions import DEFINITIONS, compute, compute_definition, population_expression
from analysis.cli import main
from analysis.errors import UserError
from tests.conftest import canonical_table, shared_file, snap


@pytest.fixture(scope="module")
def table_2024():
    return canonical_table("nre-publicspreadsheet-2024-04-10.xlsx")


@pytest.fixture
def processed_2024(project, capsys):
    assert main(["ingest", "nre", "--from", str(shared_file("nre", "nre-publicspreadsheet-2024-04-10.xlsx"))]) == 0
    assert main(["process"]) == 0
    capsys.readouterr()
    return project


def test_as_of_rebuilds_the_published_total(table_2024):
    """The registry's published total on 20 May 2023 was 3,315 exonerations (issue 3); rebuilt from 2024-04-10."""
    stat = compute(snap(table_2024, as_of=dt.date(2023, 5, 20)), "fc", None)
    assert stat.n == 3315
    # Hand check: rows of the 2024-04-10 xlsx with Posting Date <= 2023-05-20, counted with python-calamine.
    assert len(snap(table_2024, as_of=dt.date(2023, 5, 20)).view) == 3315


def test_dna_share_matches_sources_table(table_2024):
    stat = compute_definition(snap(table_2024, {"snapshot_date": "2024-04-10"}), "fc_share_dna")
    assert (stat.k, stat.n) == (143, 596)  # SOURCES.md section 6
    assert stat.ci_low < stat.share < stat.ci_high
    assert "Of the 596 DNA exonerations" in stat.sentence and "143 (24.0%" in stat.sentence
    assert "10 April 2024" in stat.sentence


def test_every_definition_computes_with_a_sentence(table_2024):
    for definition in DEFINITIONS:
        stat = compute_definition(snap(table_2024, {"snapshot_date": "2024-04-10"}), definition)
        assert 0 <= stat.k <= stat.n
        assert f"{stat.n:,}" in stat.sentence and f"{stat.k:,}" in stat.sentence


def test_pre_1989_left_out_unless_asked():
    assert population_expression(None, "fc") == "not pre_1989"
    assert population_expression("dna", "fc") == "not pre_1989 and (dna)"
    assert population_expression("pre_1989", "fc") == "pre_1989"


def test_cli_json_output(processed_2024, capsys):
    assert main(["rate", "--of", "fc", "--among", "dna", "--as-of", "2017-09-30", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert set(out) >= {"k", "n", "share", "ci_low", "ci_high", "of", "among", "as_of", "snapshot", "sentence"}
    assert out["as_of"] == "2017-09-30" and out["snapshot"].startswith("2024-04-10-")
    assert out["k"] <= out["n"] < 596 and "posted by 30 September 2017" in out["sentence"]


def test_cli_unknown_column_lists_valid_names(processed_2024, capsys):
    assert main(["rate", "--of", "fc", "--among", "dnaa"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "unknown column 'dnaa'" in err and "dna_minor" in err


def test_cli_hostile_expression_is_refused(processed_2024, capsys):
    assert main(["rate", "--of", "__import__('os').system('touch pwned')"]) == 1
    assert "error:" in capsys.readouterr().err
    assert not (processed_2024 / "pwned").exists()


def test_as_of_needs_posting_dates(project, capsys):
    main(["ingest", "nre", "--from", str(shared_file("nre", "nre-detaillist-scrape-2019-12.csv"))])
    main(["process"])
    capsys.readouterr()
    assert main(["rate", "--of", "fc", "--as-of", "2019-01-01"]) == 1
    assert "no posting dates" in capsys.readouterr().err


def test_empty_population_is_no_data(table_2024):
    stat = compute(snap(table_2024), "fc", 'state_abbr == "ZZ"')
    assert stat.n == 0 and stat.share is None and "no share" in stat.sentence


def test_bad_as_of_date():
    from analysis.snapshot import parse_as_of

    with pytest.raises(UserError, match="YYYY-MM-DD"):
        parse_as_of("13/45/2019")


def test_a_condition_that_is_not_recorded_leaves_n_and_is_said():
    """Tags are missing (not False) for records that never coded them: those records leave the denominator, the
    Stat counts them, and the sentence says so; when none is recorded there is no share, never a confident 0."""
    from tests.unit.analyse.test_tables import canonical

    table = canonical([
        {"sexual_assault": True, "posting_date": pd.Timestamp("2020-01-01")},
        {"sexual_assault": False, "posting_date": pd.Timestamp("2020-01-01")},
        {"sexual_assault": None, "posting_date": pd.Timestamp("2020-01-01")},
        {"sexual_assault": None, "pre_1989": True, "posting_date": pd.Timestamp("2020-01-01")},
    ])
    stat = compute(snap(table, {"snapshot_date": "2026-06-26"}), "sexual_assault")
    assert (stat.k, stat.n, stat.not_recorded) == (1, 2, 1)
    assert "For 1 more, it is not recorded; they are left out." in stat.sentence
    none = compute(snap(table, {"snapshot_date": "2026-06-26"}), "sexual_assault", "pre_1989")
    assert (none.k, none.n, none.not_recorded, none.share) == (0, 0, 1, None)
    assert "is not recorded, so there is no share to report" in none.sentence
