"""The 32% question on the real exports (skipped with a reason when the shared data is absent).

Expected counts are taken from the raw files with code that does not use the project's readers: the 2017-07-06 xlsx
with openpyxl (`DNA` / `FC` non-empty, `*` non-empty = DNA a minor factor, Tags `CDC` / `P` / `H`), the 2026 csv
with pandas on text (`Pre-1989` = No, `DNA` = Yes, `False Confession` = Yes, `Codefendant confessed` / `Plea` /
`Homicide` in `Case Characteristics`, the as-of view: `Posting Date` <= 2017-09-12).
"""

from __future__ import annotations

import contextlib
import io
import json
from collections.abc import Iterator

import openpyxl
import pandas as pd
import pytest

from analysis.analyse.reconcile import IP_LIST_COUNT, lead_rows, reconciliation, reconciliation_steps
from analysis.analyse.wording import check_share_phrase
from tests.conftest import canonical_table, shared_file, skip_module_without_shared, snap
from tests.unit.analyse.test_reconcile import check_paragraph

skip_module_without_shared("the 32% reconciliation on the real 2017 and 2026 exports")

OLD, NEW = "nre-publicspreadsheet-2017-07-06.xlsx", "nre-fullcsv-2026-06.csv"
CONFESSIONS = ("fc", "fc_cdc", "fc_cdc_plea")


@pytest.fixture(scope="module")
def raw_2017() -> dict[str, list[tuple[int, int]]]:
    """(k, n) per confession reading, counted on the raw 2017-07-06 xlsx with openpyxl."""
    book = openpyxl.load_workbook(shared_file("nre", OLD), read_only=True)
    rows = list(book.worksheets[0].iter_rows(values_only=True))
    records = [dict(zip(rows[0], r, strict=True)) for r in rows[1:]]

    def text(v: object) -> str:
        return "" if v is None else str(v).strip()

    def tags(r: dict) -> set[str]:
        return {t.strip() for t in text(r["Tags"]).split(";#")}

    conditions = (lambda r: bool(text(r["FC"])), lambda r: bool(text(r["FC"])) or "CDC" in tags(r),
                  lambda r: bool(text(r["FC"])) or bool({"CDC", "P"} & tags(r)))
    dna = [r for r in records if text(r["DNA"])]
    central = [r for r in dna if not text(r["*"])]
    out = {}
    for name, pop in (("any/all", dna), ("central/all", central), ("any/homicide", [r for r in dna if "H" in tags(r)]),
                      ("central/homicide", [r for r in central if "H" in tags(r)])):
        out[name] = [(sum(map(c, pop)), len(pop)) for c in conditions]
    return out


@pytest.fixture(scope="module")
def raw_2026() -> dict[str, list[tuple[int, int]]]:
    """(k, n) per confession reading on the raw 2026 csv, whole and as of 2017-09-12."""
    df = pd.read_csv(shared_file("nre", NEW), dtype=str, keep_default_na=False, encoding="utf-8-sig")
    chars = df["Case Characteristics"].str.split("; ")

    def has(word: str) -> pd.Series:
        return chars.map(lambda items: word in items)

    dna = (df["Pre-1989"] == "No") & (df["DNA"] == "Yes")
    fc = df["False Confession"] == "Yes"
    conditions = (fc, fc | has("Codefendant confessed"), fc | has("Codefendant confessed") | has("Plea"))
    as_of = pd.to_datetime(df["Posting Date"]) <= pd.Timestamp("2017-09-12")
    out = {}
    for name, pop in (("latest/any/all", dna), ("latest/any/homicide", dna & has("Homicide")),
                      ("as_of/any/all", dna & as_of), ("as_of/any/homicide", dna & as_of & has("Homicide"))):
        out[name] = [(int((pop & c).sum()), int(pop.sum())) for c in conditions]
    return out


@pytest.fixture(scope="module")
def real() -> pd.DataFrame:
    new, old = canonical_table(NEW), canonical_table(OLD)
    return reconciliation(snap(new, {"snapshot_id": "nre-2026-06", "snapshot_date": "2026-06-26"}),
                          snap(old, {"snapshot_id": "nre-2017-07-06", "snapshot_date": "2017-07-06"}))


def counts(df: pd.DataFrame, prefix: str, suffix: str) -> list[tuple[int, int]]:
    return [tuple(int(x) for x in df.loc[df["reading"] == f"{prefix}/{c}/{suffix}", ["k", "n"]].iloc[0])
            for c in CONFESSIONS]


def test_the_2017_snapshot_has_350_dna_central_exonerations_like_the_ip_list(raw_2017):
    assert raw_2017["central/all"][0][1] == 350 == IP_LIST_COUNT
    assert raw_2017["central/all"][1:] == [(98, 350), (109, 350)]  # 28.0% and 31.1%


def test_real_grid_matches_counts_from_the_raw_files(real, raw_2017, raw_2026):
    for name, expected in raw_2017.items():
        dna, crimes = name.split("/")
        assert counts(real, f"then/{dna}", crimes) == expected, name
    for name, expected in raw_2026.items():
        view, dna, crimes = name.split("/")
        assert counts(real, f"{view}/{dna}", crimes) == expected, name
    # the 2026 export alone has no minor-DNA marker: every DNA-central cell of its views says so
    central = real[real["reading"].str.match(r"(latest|as_of)/central/")]
    assert len(central) == 12 and (central["n"] == 0).all() and central["note"].str.contains("not computable").all()


def test_real_lead_is_98_of_350_with_109_of_350_beside_it(real):
    lead, plea = lead_rows(real)
    assert lead["reading"] == "then/central/fc_cdc/all" and (lead["k"], lead["n"]) == (98, 350)
    assert plea["reading"] == "then/central/fc_cdc_plea/all" and (plea["k"], plea["n"]) == (109, 350)
    # Wilson 95% intervals, checked with statsmodels (an implementation independent of the project's)
    from statsmodels.stats.proportion import proportion_confint

    for row in (lead, plea):
        low, high = proportion_confint(int(row["k"]), int(row["n"]), method="wilson")
        assert (row["ci_low"], row["ci_high"]) == pytest.approx((low, high), abs=1e-9)
    assert f"{lead['ci_low'] * 100:.1f}–{lead['ci_high'] * 100:.1f}" == "23.6–32.9"
    assert f"{plea['ci_low'] * 100:.1f}–{plea['ci_high'] * 100:.1f}" == "26.5–36.2"


def test_real_paragraph_leads_with_the_closest_reading(real):
    text = check_paragraph(real)
    lead_at = text.index("98 of 350 (28.0%; 95% CI 23.6–32.9%)")
    assert lead_at < text.index("counting guilty pleas, 109 of 350 (31.1%; 95% CI 26.5–36.2%)")
    assert lead_at < text.index("162 of 647 (25.0%; 95% CI 21.9–28.5%)")  # the narrowest reading comes later
    assert "the 32% is within reach of the registry's data once read as the Innocence Project meant it" in text
    steps = reconciliation_steps(real)
    assert (steps["share"].iloc[0], steps["share"].iloc[-1]) == pytest.approx((162 / 647, 109 / 350))


# ---------------------------------------------------------------------------------------------------------
# End to end: both exports ingested with the real CLI, processed with the carry, the pipeline's analyse step
# ---------------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Iterator[dict]:  # noqa: ANN001
    from analysis.cli import main
    from analysis.ingest.store import list_snapshots
    from analysis.pipeline.outputs import analyse, chart_context
    from analysis.settings import Paths

    root = tmp_path_factory.mktemp("reconcile") / "project"
    for sub in ("data/raw", "data/processed", "reports"):
        (root / sub).mkdir(parents=True)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("CONFESSIONS_HOME", str(root))
        for var in ("CONFESSIONS_NRE_URL", "CONFESSIONS_IP_URL"):
            mp.delenv(var, raising=False)
        with contextlib.redirect_stdout(io.StringIO()):
            for name in (NEW, OLD):
                assert main(["ingest", "nre", "--from", str(shared_file("nre", name))]) == 0
            assert main(["process"]) == 0
        where = Paths(root)
        analyse(where)
        ids = {m.snapshot_date.isoformat(): m.snapshot_id for m in list_snapshots("nre")}
        yield {"where": where, "ids": ids, "ctx": chart_context(where),
               "table": pd.read_parquet(where.canonical_parquet),
               "recon": pd.read_csv(where.tables / "reconciliation.csv", keep_default_na=False),
               "paragraph": (where.reports / "reconciliation.md").read_text(),
               "meta": json.loads(where.processed_meta.read_text())}


def test_latest_data_gets_dna_central_readings_through_the_carried_marker(project, raw_2017):
    table, recon, old_id = project["table"], project["recon"], project["ids"]["2017-07-06"]
    assert [c["column"] for c in project["meta"]["carried"]] == ["dna_minor"]
    # expected, counted on the processed table with plain pandas (not the reconciliation's code)
    dna = table["dna"].fillna(False).astype(bool) & ~table["pre_1989"].astype(bool)
    central = dna & (table["dna_minor"] == False).fillna(False)  # noqa: E712 (nullable boolean)
    fc = table["fc"].fillna(False).astype(bool)
    cdc = table["codefendant_confessed"].fillna(False).astype(bool)
    plea = table["guilty_plea"].fillna(False).astype(bool)
    expected = [(int((central & c).sum()), int(central.sum())) for c in (fc, fc | cdc, fc | cdc | plea)]
    assert counts(recon, "latest/central", "all") == expected
    assert 300 <= expected[0][1] <= 350  # at most the 2017 list's 350 can carry "central"
    row = recon[recon["reading"] == "latest/central/fc/all"].iloc[0]
    assert row["dna_minor_basis"] == f"carried from {old_id}" and row["note"] == ""
    assert row["dna_unknown"] == int((dna & table["dna_minor"].isna()).sum()) > 150  # posted after 2017-07-06 etc.
    assert (table.loc[table["dna_minor"].notna(), "posting_date"] <= pd.Timestamp("2017-07-06")).all()
    # the snapshot of the time is in the grid beside the backcast, and the lead is its DNA-central reading
    assert counts(recon, "then/central", "all") == raw_2017["central/all"]
    lead = recon[recon["role"] == "lead"].iloc[0]
    assert (lead["reading"], lead["k"], lead["n"]) == ("then/central/fc_cdc/all", 98, 350)
    assert recon[recon["reading"].str.startswith("as_of/central/")]["n"].gt(0).all()


def test_paragraph_and_chart_lead_with_the_closest_reading(project):
    from analysis.charts import make_chart
    from analysis.normalise.load import load_processed

    text = project["paragraph"]
    assert text.index("98 of 350 (28.0%; 95% CI 23.6–32.9%)") < text.index("Step by step")
    assert f"with the minor-DNA marker carried from {project['ids']['2017-07-06']}" in text
    spec = make_chart("reconciliation-32", load_processed(project["where"]), project["ctx"])
    assert spec.title.startswith("DNA central, own or co-defendant's confession: 28.0% (95% CI 23.6–32.9%); "
                                 "with guilty pleas, 31.1%")
    assert check_share_phrase("28.0%", 98 / 350) and check_share_phrase("31.1%", 109 / 350)
    assert spec.title.endswith("32% is within reach")
    assert spec.data["reading"].tolist()[0] == "latest/any/fc/all"
    assert spec.data["reading"].tolist()[-2:] == ["then/central/fc_cdc/all", "then/central/fc_cdc_plea/all"]
    assert spec.data[["k", "n"]].values.tolist()[-2:] == [[98, 350], [109, 350]]
    assert "28.0%" in spec.alt_text and "31.1%" in spec.alt_text


def test_with_the_2023_09_spreadsheet_the_as_of_view_leads_with_the_carried_marker():
    """No snapshot of the time: the lead is the backcast (records posted by 12 September 2017, today's coding) with
    the marker carried from 2023-09 by the compare stage's own carry."""
    from analysis.compare.carry import carry_columns

    new = snap(canonical_table(NEW), {"snapshot_id": "nre-2026-06", "snapshot_date": "2026-06-26"})
    old = snap(canonical_table("nre-publicspreadsheet-2023-09.csv"),
               {"snapshot_id": "nre-2023-09", "snapshot_date": "2023-09-22"})
    filled, carried = carry_columns(new, [old])
    assert [c.column for c in carried] == ["dna_minor"]
    df = reconciliation(filled)
    table = filled.table
    posted = table["posting_date"] <= pd.Timestamp("2017-09-12")
    dna = table["dna"].fillna(False).astype(bool) & ~table["pre_1989"].astype(bool)
    central = dna & (table["dna_minor"] == False).fillna(False)  # noqa: E712 (nullable boolean)
    fc, cdc, plea = (table[c].fillna(False).astype(bool) for c in ("fc", "codefendant_confessed", "guilty_plea"))
    for prefix, pop in (("latest/central", central), ("as_of/central", central & posted)):
        assert counts(df, prefix, "all") == [(int((pop & c).sum()), int(pop.sum())) for c in (fc, fc | cdc,
                                                                                              fc | cdc | plea)]
    lead, plea_row = lead_rows(df)
    assert (lead["reading"], plea_row["reading"]) == ("as_of/central/fc_cdc/all", "as_of/central/fc_cdc_plea/all")
    assert abs(int(lead["n"]) - IP_LIST_COUNT) <= 5  # the backcast's DNA-central list is about the IP's 350
    latest = df[df["reading"] == "latest/central/fc/all"].iloc[0]
    assert latest["dna_minor_basis"] == "carried from nre-2023-09"
    assert latest["dna_unknown"] == int((dna & table["dna_minor"].isna()).sum()) > 0
