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
def processed_demo(project, demo_export, capsys):
    """The synthetic demo export ingested and processed in a scratch project."""
    assert main(["ingest", "nre", "--from", str(demo_export)]) == 0
    assert main(["process"]) == 0
    capsys.readouterr()
    return project


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


def test_every_definition_computes_with_a_sentence(demo_normalised):
    for definition in DEFINITIONS:
        stat = compute_definition(snap(demo_normalised.table.copy(), {"snapshot_date": "2026-06-26"}), definition)
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


def test_cli_unknown_column_lists_valid_names(processed_demo, capsys):
    assert main(["rate", "--of", "fc", "--among", "dnaa"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "unknown column 'dnaa'" in err and "dna_minor" in err


def test_cli_hostile_expression_is_refused(processed_demo, capsys):
    assert main(["rate", "--of", "__import__('os').system('touch pwned')"]) == 1
    assert "error:" in capsys.readouterr().err
    assert not (processed_demo / "pwned").exists()


def test_as_of_needs_posting_dates(project, capsys):
    main(["ingest", "nre", "--from", str(shared_file("nre", "nre-detaillist-scrape-2019-12.csv"))])
    main(["process"])
    capsys.readouterr()
    assert main(["rate", "--of", "fc", "--as-of", "2019-01-01"]) == 1
    assert "no posting dates" in capsys.readouterr().err


def test_empty_population_is_no_data(demo_normalised):
    # an allowed code that no record of the demo export has (its states never include American Samoa)
    table = demo_normalised.table.copy()
    assert not table["state_abbr"].eq("AS").any()
    stat = compute(snap(table), "fc", 'state_abbr == "AS"')
    assert stat.n == 0 and stat.share is None and "no share" in stat.sentence
    assert "There were no exonerations since 1989 in American Samoa" in stat.sentence


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
    assert "For 1 more, it is not recorded; it is left out." in stat.sentence
    none = compute(snap(table, {"snapshot_date": "2026-06-26"}), "sexual_assault", "pre_1989")
    assert (none.k, none.n, none.not_recorded, none.share) == (0, 0, 1, None)
    assert "is not recorded, so there is no share to report" in none.sentence


# ---------------------------------------------------------------------------------------------------------
# `confessions rate` never prints a false sentence: the real command line on stored real snapshots
# ---------------------------------------------------------------------------------------------------------

OLD, NEW = "nre-publicspreadsheet-2015-01.csv", "nre-fullcsv-2026-06.csv"


@pytest.fixture(scope="module")
def stored(tmp_path_factory):
    """A project holding the 2015-01 public spreadsheet and the 2026-06 full export: {file name: snapshot id}."""
    from analysis.ingest.store import list_snapshots

    files = {name: shared_file("nre", name) for name in (OLD, NEW)}
    root = tmp_path_factory.mktemp("rate") / "project"
    for folder in ("data/raw", "data/processed", "reports"):
        (root / folder).mkdir(parents=True)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("CONFESSIONS_HOME", str(root))
        for var in ("CONFESSIONS_NRE_URL", "CONFESSIONS_IP_URL"):
            mp.delenv(var, raising=False)
        for path in files.values():
            assert main(["ingest", "nre", "--from", str(path)]) == 0
        by_sha = {m.sha256: m.snapshot_id for m in list_snapshots("nre")}
        from analysis.ingest.store import file_sha256

        yield {name: by_sha[file_sha256(path)[0]] for name, path in files.items()}


def raw(name: str) -> pd.DataFrame:
    """The raw export read by pandas alone (every cell as text), independently of the project's readers."""
    return pd.read_csv(shared_file("nre", name), dtype=str, keep_default_na=False, encoding_errors="replace")


def rate(capsys, snapshot: str, *args: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(["rate", "--snapshot", snapshot, *args])
    got = capsys.readouterr()
    return code, got.out, got.err


def test_a_column_the_export_does_not_record_is_one_line_and_exit_1(stored, capsys):
    # the 2015-01 header has no misconduct-type columns at all (no INT code), so om_interrogation is not recorded
    assert not any("interrogation" in c.lower() or c.strip().upper() == "INT" for c in raw(OLD).columns)
    code, out, err = rate(capsys, stored[OLD], "--of", "om_interrogation")
    assert code == 1 and out == ""
    assert err.count("\n") == 1 and err.startswith("error: `om_interrogation` is not recorded in this export (")
    assert "1,535" in err and "%" not in err  # says how many records lack it, never a share
    # the 2026 export has no `*` (DNA minor) column: the --help example cannot be answered there
    assert "*" not in raw(NEW).columns
    code, out, err = rate(capsys, stored[NEW], "--of", "fc", "--among", "dna and not dna_minor")
    assert code == 1 and out == "" and err.count("\n") == 1
    assert err.startswith("error: `dna_minor` is not recorded in this export (") and "There were no" not in err


def test_a_value_typo_gets_did_you_mean_like_a_column_typo(stored, capsys):
    code, out, err = rate(capsys, stored[NEW], "--of", "fc", "--among", 'state == "IL"')
    assert code == 1 and out == "" and err.count("\n") == 1
    assert 'did you mean `state_abbr == "IL"` or `state == "Illinois"`?' in err
    code, _, err = rate(capsys, stored[OLD], "--of", "fc", "--among", 'crime_category == "murder"')
    assert code == 1 and '`crime_category == "Murder"`' in err
    code, _, err = rate(capsys, stored[NEW], "--of", 'race in ["Black", "Whte"]')
    assert code == 1 and '"Whte" is not a value of `race`' in err and '`race == "White"`' in err


def test_as_of_after_the_snapshot_date_warns_and_says_the_snapshot(stored, capsys):
    code, out, err = rate(capsys, stored[OLD], "--of", "fc", "--as-of", "2030-01-01")
    assert code == 0
    assert ("warning: the snapshot is from 20 January 2015; as of 1 January 2030 is the same as the snapshot"
            in err)
    rows = len(raw(OLD))  # the public spreadsheet lists exonerations since 1989 only
    assert out.startswith(f"{k_fc(OLD):,} of {rows:,}:")
    assert "as of its 20 January 2015 data" in out and "2030" not in out


def k_fc(name: str) -> int:
    """FC records counted in the raw file: the 2015 spreadsheet codes FC in its `FC` column."""
    table = raw(name)
    return int((table["FC"].str.strip() != "").sum())


def test_a_population_that_names_pre_1989_is_said_as_used(stored, capsys):
    table = raw(NEW)
    pre = table["Pre-1989"] == "Yes"
    k, n = int((pre & (table["False Confession"] == "Yes")).sum()), int(pre.sum())
    code, out, _ = rate(capsys, stored[NEW], "--of", "fc", "--among", "pre_1989")
    assert code == 0 and out.startswith(f"{k:,} of {n:,}:")
    sentence = out.strip().splitlines()[-1]
    assert f"Of the {n:,} exonerations before 1989 in" in sentence and "since 1989" not in sentence
    code, out, _ = rate(capsys, stored[NEW], "--of", "pre_1989")
    sentence = out.strip().splitlines()[-1]
    assert f"Of the {len(table):,} exonerations of any year" in sentence and "since 1989" not in sentence
    assert f"{n:,} (" in sentence and "were exonerated before 1989" in sentence


def test_cluster_interval_in_the_text_and_json_output(stored, capsys):
    code, out, _ = rate(capsys, stored[NEW], "--of", "fc", "--among", "dna")
    assert code == 0 and "allowing for co-defendant groups: 95% CI" in out and "design effect 1.4" in out
    code, out, _ = rate(capsys, stored[OLD], "--of", "fc", "--json")
    got = json.loads(out)
    assert got["ci_cluster_low"] is None and got["cluster_note"] == "co-defendant groups not recorded in this export"


# ---------------------------------------------------------------------------------------------------------
# Sentences composed from the schema's column phrases (small built tables)
# ---------------------------------------------------------------------------------------------------------


@pytest.fixture
def built():
    from tests.unit.analyse.test_tables import canonical

    return canonical([
        {"race": "Black", "fc": True, "state": "Illinois", "state_abbr": "IL", "dna": True, "county": "Cook"},
        {"race": "Black", "state": "Illinois", "state_abbr": "IL", "county": "Cook"},
        {"race": "White", "fc": True, "state": "Texas", "state_abbr": "TX", "dna": True, "county": "Harris"},
        {"race": "White", "state": "Texas", "state_abbr": "TX", "county": "Harris"},
        {"race": "Hispanic", "state": "Texas", "state_abbr": "TX", "county": "Harris"},
    ])


def test_phrases_for_race_state_and_tags(built):
    s = snap(built, {"snapshot_date": "2026-06-26"})
    black = compute(s, 'race == "Black"', "fc")
    assert black.sentence.endswith(", 1 (50.0%; 95% CI 9.5–90.5%) was Black.")
    assert "of the condition" not in black.sentence and "race ==" not in black.sentence
    illinois = compute(s, "fc", 'state_abbr == "IL"')
    assert illinois.sentence.startswith("Of the 2 exonerations since 1989 in Illinois in the National Registry")
    dna = compute(s, "dna", 'race in ["White", "Hispanic"]')
    assert "exonerations since 1989 that were White or Hispanic" in dna.sentence
    assert dna.sentence.endswith("1 (33.3%; 95% CI 6.1–79.2%) had DNA evidence contribute to the exoneration.")
    both = compute(s, "fc", "dna and not homicide")
    assert "that had DNA evidence contribute to the exoneration and were not homicide cases" in both.sentence


def test_no_phrase_falls_back_to_the_expression_in_backticks(built):
    s = snap(built, {"snapshot_date": "2026-06-26"})
    stat = compute(s, "fc", 'county == "Cook"')
    assert "exonerations since 1989 where `county == \"Cook\"`" in stat.sentence
    mixed = compute(s, "dna and (fc or homicide)")
    assert "met the condition `dna and (fc or homicide)`" in mixed.sentence


def test_one_exoneration_is_singular(built):
    s = snap(built, {"snapshot_date": "2026-06-26"})
    stat = compute(s, "fc", 'race == "Hispanic"')
    assert stat.sentence.startswith("Of the 1 exoneration since 1989 that was Hispanic in the National Registry")
    assert "1 exonerations" not in stat.sentence
    homicide = compute(s, "homicide", 'state_abbr == "IL" and fc')
    assert "Of the 1 exoneration since 1989 that was in Illinois and involved a false confession" in homicide.sentence
    assert homicide.sentence.endswith("0 (0.0%; 95% CI 0.0–79.3%) were homicide cases.")


def test_value_checks_and_not_recorded_on_a_built_table(built):
    from analysis.analyse.checks import NotRecordedError
    from analysis.errors import ExpressionError

    s = snap(built, {"snapshot_date": "2026-06-26"})
    with pytest.raises(ExpressionError, match=r'did you mean `county == "Cook"`\?'):
        compute(s, "fc", 'county == "Cok"')  # a free-text column: the values present are the allowed ones
    with pytest.raises(ExpressionError, match=r'did you mean `state_abbr == "TX"` or `state == "Texas"`\?'):
        compute(s, "fc", 'state != "TX"')
    with pytest.raises(NotRecordedError, match=r"^`om_interrogation` is not recorded in this export \(missing in all"):
        compute(s, "fc or om_interrogation")  # Kleene "or" would otherwise count every fc record out of fc records
    assert compute(s, "fc", 'state == "Guam"').n == 0  # an allowed value no record has: a true "no exonerations"


def test_as_of_warning_only_after_the_snapshot_date(built):
    from analysis.analyse.definitions import as_of_warning

    s = snap(built, {"snapshot_date": "2026-06-26"})
    assert as_of_warning(s.at("2026-06-26")) is None and as_of_warning(s.at("2020-01-01")) is None
    assert as_of_warning(s.at("2027-01-31")).startswith(
        "the snapshot is from 26 June 2026; as of 31 January 2027 is the same as the snapshot")
    assert as_of_warning(snap(built, {}, as_of="2030-01-01")) is None  # undated: nothing to compare with


def test_pre_1989_population_on_a_built_table(built):
    table = built.copy()
    table.loc[[0, 2], "pre_1989"] = True
    s = snap(table, {"snapshot_date": "2026-06-26"})
    old = compute(s, "fc", "pre_1989")
    assert (old.k, old.n) == (2, 2) and old.sentence.startswith("Of the 2 exonerations before 1989 in")
    recent = compute(s, "fc", "not pre_1989 and dna")
    assert "since 1989" not in recent.sentence and recent.n == 0
    assert "exonerations that were exonerated in 1989 or later and had DNA evidence" in recent.sentence
