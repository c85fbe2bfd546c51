"""The 32% question on small built tables: the grid, the lead reading, the steps, "not computable", the citation."""

from __future__ import annotations

import datetime as dt
import re

import pandas as pd
import pytest

from analysis.analyse.rates import wilson_interval
from analysis.analyse.reconcile import (
    AS_OF,
    IP_CLAIM,
    IP_LIST_COUNT,
    IP_SOURCE,
    NOT_COMPUTABLE,
    lead_rows,
    lead_sentence,
    reconciliation,
    reconciliation_paragraph,
    reconciliation_steps,
)
from analysis.analyse.wording import check_share_phrase
from analysis.snapshot import Snapshot
from tests.conftest import snap
from tests.unit.analyse.test_tables import canonical

ANY, CENTRAL = "DNA in any role", "DNA central, not a minor factor"
FC, FC_CDC, FC_CDC_PLEA = ("exoneree's own false confession", "own or a co-defendant's confession",
                           "own or a co-defendant's confession, or a guilty plea")


def day(text: str) -> pd.Timestamp:
    return pd.Timestamp(text)


@pytest.fixture(scope="module")
def latest() -> Snapshot:
    """Four DNA records since 1989 (one posted after the claim's date), no minor-DNA marker (like the 2026 export)."""
    table = canonical([
        {"dna": True, "fc": True, "homicide": True, "posting_date": day("2015-01-01")},
        {"dna": True, "codefendant_confessed": True, "posting_date": day("2017-09-12")},  # on the day: counts
        {"dna": True, "guilty_plea": True, "homicide": True, "posting_date": day("2017-09-13")},
        {"dna": True, "posting_date": day("2019-01-01")},
        {"dna": False, "fc": True, "posting_date": day("2015-01-01")},
        {"dna": True, "fc": True, "pre_1989": True, "posting_date": day("2015-01-01")},
    ])
    return snap(table, {"snapshot_id": "new", "snapshot_date": "2026-06-26"})


@pytest.fixture(scope="module")
def then() -> Snapshot:
    """The snapshot of the time: five DNA records with the marker (one minor), its own coding."""
    table = canonical([
        {"dna": True, "dna_minor": False, "fc": True, "posting_date": day("2014-01-01")},
        {"dna": True, "dna_minor": False, "codefendant_confessed": True, "posting_date": day("2014-01-01")},
        {"dna": True, "dna_minor": False, "guilty_plea": True, "posting_date": day("2014-01-01")},
        {"dna": True, "dna_minor": False, "posting_date": day("2014-01-01")},
        {"dna": True, "dna_minor": True, "fc": True, "posting_date": day("2014-01-01")},
        {"dna": False, "dna_minor": False, "fc": True, "posting_date": day("2014-01-01")},
    ])
    return snap(table, {"snapshot_id": "old", "snapshot_date": "2017-07-06"})


@pytest.fixture(scope="module")
def grid(latest, then) -> pd.DataFrame:  # noqa: ANN001
    """The reconciliation of the two built snapshots, computed once (tests copy it before changing it)."""
    return reconciliation(latest, then)


def cell(df: pd.DataFrame, reading: str) -> pd.Series:
    found = df[df["reading"] == reading]
    assert len(found) == 1, reading
    return found.iloc[0]


def kn(df: pd.DataFrame, reading: str) -> tuple[int, int]:
    r = cell(df, reading)
    return int(r["k"]), int(r["n"])


def test_the_claim_is_cited_exactly_with_its_date():
    assert dt.date(2017, 9, 12) == AS_OF
    assert '"New Netflix Series Explores False Confessions"' in IP_SOURCE and "12 September 2017" in IP_SOURCE
    assert ('"32 percent of people exonerated by DNA evidence in the United States falsely confessed"'
            in IP_SOURCE)
    assert IP_CLAIM == 0.32 and IP_LIST_COUNT == 350


def test_every_cell_of_the_grid_is_reported(latest, then, grid):
    df = grid.copy()
    assert len(df) == 3 * 12  # 3 views x 2 crimes x 2 DNA choices x 3 confession choices, computable or not
    assert df["reading"].is_unique
    assert kn(df, "latest/any/fc/all") == (1, 4)
    assert kn(df, "latest/any/fc_cdc/all") == (2, 4)
    assert kn(df, "latest/any/fc_cdc_plea/all") == (3, 4)
    assert kn(df, "latest/any/fc_cdc_plea/homicide") == (2, 2)
    # as of 12 September 2017: the records posted on or before that day, with today's coding
    assert kn(df, "as_of/any/fc/all") == (1, 2) and kn(df, "as_of/any/fc_cdc_plea/all") == (2, 2)
    assert set(df.loc[df["view"] == "as_of", "as_of"]) == {"2017-09-12"}
    assert df.loc[df["view"] != "as_of", "as_of"].isna().all()
    assert cell(df, "as_of/any/fc/all")["when"] == "records posted by 12 September 2017, with the 26 June 2026 coding"
    assert cell(df, "then/any/fc/all")["when"] == "the registry's own snapshot of 6 July 2017"
    # the snapshot of the time has the marker: DNA central leaves out the minor-DNA record
    assert kn(df, "then/any/fc/all") == (2, 5)
    assert [kn(df, f"then/central/{c}/all") for c in ("fc", "fc_cdc", "fc_cdc_plea")] == [(1, 4), (2, 4), (3, 4)]
    assert cell(df, "then/central/fc/all")["dna_minor_basis"] == "in this export"


def test_intervals_and_distances(latest, then, grid):
    df = grid.copy()
    for r in df[df["n"] > 0].itertuples():
        low, high = wilson_interval(int(r.k), int(r.n))
        assert (r.ci_low, r.ci_high) == pytest.approx((low, high))
        assert r.interval_contains_32 == (low <= IP_CLAIM <= high)
        assert r.distance_from_32 == pytest.approx(r.k / r.n - 0.32)
    empty = df[df["n"] == 0]
    assert len(empty) and not empty["interval_contains_32"].any() and empty["distance_from_32"].isna().all()


def test_dna_central_is_not_computable_without_the_marker(latest):
    df = reconciliation(latest)
    central = df[df["dna_definition"] == CENTRAL]
    assert len(central) == 2 * 2 * 3 and (central["n"] == 0).all() and central["share"].isna().all()
    assert set(central["note"]) == {NOT_COMPUTABLE}
    assert NOT_COMPUTABLE == ("not computable — the minor-DNA marker is neither in this export nor carried from "
                              "an older snapshot")
    assert (df.loc[df["dna_definition"] == ANY, "note"] == "").all()
    text = reconciliation_paragraph(df)
    assert f"On the latest data, DNA central: {NOT_COMPUTABLE}." in text
    # the lead falls back to DNA in any role, in the view closest to the claim's list (as of its date)
    lead, plea = lead_rows(df)
    assert (lead["reading"], plea["reading"]) == ("as_of/any/fc_cdc/all", "as_of/any/fc_cdc_plea/all")
    # ... and does not claim to be the Innocence Project's reading
    assert "within reach" not in lead_sentence(df) and "cannot be formed from this data" in lead_sentence(df)
    assert lead_sentence(df, short=True).endswith(": DNA central not computable")


def test_synthetic_readings_say_so_first(latest):
    demo = snap(latest.table, {**latest.source.to_json(), "synthetic": True})
    df = reconciliation(demo)
    assert df["synthetic"].all()
    text = reconciliation_paragraph(df)
    assert text.startswith("In the synthetic demo data") and "the synthetic demo data give" in text
    assert "the registry gives" not in text
    assert "In the synthetic" not in reconciliation_paragraph(reconciliation(latest))


def test_a_carried_marker_makes_dna_central_computable_on_the_latest_data(latest):
    table = latest.table.copy()
    table["dna_minor"] = pd.array([False, True, False, pd.NA, None, None], dtype="boolean")
    table["dna_minor_from"] = pd.array(["s-2023", "s-2023", "s-2023", None, None, None], dtype="string")
    df = reconciliation(snap(table, latest.source.to_json()))
    r = cell(df, "latest/central/fc/all")
    assert (r["k"], r["n"], r["dna_unknown"]) == (1, 2, 1)  # record 4 (marker unknown) is left out and counted
    assert kn(df, "latest/central/fc_cdc_plea/all") == (2, 2)
    assert r["dna_minor_basis"] == "carried from s-2023" and r["note"] == ""
    assert cell(df, "latest/central/fc/homicide")["dna_unknown"] == 0
    text = reconciliation_paragraph(df)
    assert "with the minor-DNA marker carried from s-2023 (1 DNA exoneration whose marker is unknown left out)" in text
    # the lead: the as-of view (closest to the claim's list) with the carried marker
    assert lead_rows(df)[0]["reading"] == "as_of/central/fc_cdc/all"


def test_the_lead_is_dna_central_in_the_snapshot_of_the_time(latest, then, grid):
    df = grid.copy()
    assert df.loc[df["role"] == "lead", "reading"].tolist() == ["then/central/fc_cdc/all"]
    assert df.loc[df["role"] == "lead_plea", "reading"].tolist() == ["then/central/fc_cdc_plea/all"]
    assert (df["role"] != "").sum() == 2
    # the same snapshot given twice is one view, not two
    assert len(reconciliation(then, then)) == 24


def test_steps_add_up_from_the_first_reading_to_the_last(latest, then, grid):
    df = grid.copy()
    steps = reconciliation_steps(df)
    assert steps["reading"].tolist() == ["latest/any/fc/all", "as_of/any/fc/all", "then/any/fc/all",
                                         "then/central/fc/all", "then/central/fc_cdc/all",
                                         "then/central/fc_cdc_plea/all"]
    assert steps["step"].tolist() == list(range(1, 7))
    for s in steps.itertuples():
        r = cell(df, s.reading)
        assert (s.k, s.n, s.share) == (r["k"], r["n"], r["share"])
    assert pd.isna(steps["change"].iloc[0])
    assert float(steps["change"].iloc[1:].sum()) == pytest.approx(steps["share"].iloc[-1] - steps["share"].iloc[0])
    assert steps["change"].iloc[4] == pytest.approx(2 / 4 - 1 / 4)
    assert steps["role"].tolist()[-2:] == ["lead", "lead_plea"]
    # without the snapshot of the time the path stops at the as-of view, then DNA in any role widens
    short = reconciliation_steps(reconciliation(latest))
    assert short["reading"].tolist() == ["latest/any/fc/all", "as_of/any/fc/all", "as_of/any/fc_cdc/all",
                                         "as_of/any/fc_cdc_plea/all"]


def test_without_posting_dates_the_as_of_view_says_so(latest):
    table = latest.table.assign(posting_date=pd.Series(pd.NaT, index=latest.table.index, dtype="datetime64[ns]"))
    df = reconciliation(snap(table, latest.source.to_json()))
    as_of = df[df["view"] == "as_of"]
    assert len(as_of) == 12 and (as_of["n"] == 0).all() and as_of["note"].str.contains("no posting dates").all()
    assert lead_rows(df)[0]["reading"] == "latest/any/fc_cdc/all"


def numbers_allowed(df: pd.DataFrame) -> set[str]:
    """Every number the paragraph may print: from the table (values, dates, counts of rows), the steps' changes,
    plus 32 (the claim), 95 (the CI level), 1989, the claim's date and its list's 350."""
    allowed = {"32", "95", "1989", "12", "2017", str(IP_LIST_COUNT), str(int(df["interval_contains_32"].sum())),
               str(int((df["n"] > 0).sum())), str(int((df["n"] == 0).sum()))}
    for r in df.itertuples():
        allowed |= set(re.findall(r"\d+", str(r.when))) | set(re.findall(r"\d+", str(r.dna_minor_basis)))
        allowed.add(f"{r.dna_unknown:,}")
        if r.n > 0:
            allowed |= {f"{r.k:,}", f"{r.n:,}", f"{r.share * 100:.1f}", f"{r.ci_low * 100:.1f}",
                        f"{r.ci_high * 100:.1f}"}
    steps = reconciliation_steps(df)
    allowed |= {f"{abs(c) * 100:.1f}" for c in steps["change"].dropna()}
    return allowed


def paragraph_numbers(text: str) -> list[str]:
    return re.findall(r"\d[\d,]*(?:\.\d+)?", text.replace(",)", ")").replace(", ", " "))


def check_paragraph(df: pd.DataFrame) -> str:
    text = reconciliation_paragraph(df)
    found = paragraph_numbers(text)
    assert found, text
    assert set(found) <= numbers_allowed(df), set(found) - numbers_allowed(df)
    return text


def test_paragraph_leads_with_the_closest_reading(latest, then, grid):
    df = grid.copy()
    text = check_paragraph(df)
    lead, plea = lead_rows(df)
    assert text.startswith(f"The claim: {IP_SOURCE}.")
    claim_end = text.index("Read closest to the claim's list and definition")
    stated = f"{lead['k']} of {lead['n']} ({lead['share'] * 100:.1f}%; 95% CI {lead['ci_low'] * 100:.1f}–"
    assert text.index(stated) > claim_end
    assert text.index(stated) < text.index("Step by step") < text.index("The narrowest reading")
    assert f"counting guilty pleas, {plea['k']} of {plea['n']} ({plea['share'] * 100:.1f}%" in text
    # the plea share here is 3 of 4 = 75.0%, interval 30.1–95.4%, which contains 32%
    assert "the 32% is within reach" in text
    # a changed table changes the paragraph: nothing is typed in
    changed = df.copy()
    changed.loc[changed["role"] == "lead", ["k", "share"]] = [4, 1.0]
    assert "4 of 4 (100.0%" in reconciliation_paragraph(changed)


def test_the_verdict_follows_the_intervals(then):
    df = reconciliation(then)
    far = df.copy()  # both lead readings far below 32%, intervals excluding it
    for role, k in (("lead", 10), ("lead_plea", 12)):
        low, high = wilson_interval(k, 400)
        far.loc[far["role"] == role, ["k", "n", "share", "ci_low", "ci_high", "interval_contains_32"]] = [
            k, 400, k / 400, low, high, False]
    assert "stay below 32%" in lead_sentence(far) and "within reach" not in lead_sentence(far)
    assert lead_sentence(far, short=True).endswith("still short of 32%")


def test_the_lead_sentence_says_its_numbers_through_the_wording_module(latest, then, grid):
    df = grid.copy()
    lead, plea = lead_rows(df)
    title = lead_sentence(df, short=True)
    shares = re.findall(r"(\d+\.\d)% \(95% CI", title) + re.findall(r"pleas, (\d+\.\d%)", title)
    assert check_share_phrase(shares[0] + "%", lead["share"]) and check_share_phrase(shares[1], plea["share"])
    assert title.startswith("DNA central, own or co-defendant's confession: ")
    long = lead_sentence(df)
    phrase = re.search(r"\d+\.\d%\), ([a-z ]+): the 32%", long)
    assert phrase and check_share_phrase(phrase.group(1), plea["share"], plea["ci_low"], plea["ci_high"])
