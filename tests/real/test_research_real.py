"""The research tables on the 2026-06 export, against counts computed here from the raw csv with plain pandas
(``dtype=str``, not the project's readers): death sentences and false confessions among them, co-defendant
groups, arrest-date coverage, placeholder releases, the INT coding rule; and the model reproduced by fitting the
same formula directly with statsmodels on the canonical table."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
import statsmodels.formula.api as smf

from analysis.analyse import clusters
from analysis.analyse.codefendants import cluster_ids
from analysis.analyse.durations import arrest_dates
from analysis.analyse.models import fit_fc_model
from analysis.analyse.tables import TABLES
from tests.conftest import canonical_table, shared_file, skip_module_without_shared

skip_module_without_shared("the models and durations of the real 2026 export")

FILE = "nre-fullcsv-2026-06.csv"


@pytest.fixture(scope="module")
def raw() -> pd.DataFrame:
    """The raw export, every cell as text, post-1989 rows only."""
    frame = pd.read_csv(shared_file("nre", FILE), dtype=str, keep_default_na=False, encoding="utf-8-sig")
    return frame[frame["Pre-1989"] == "No"].reset_index(drop=True)


@pytest.fixture(scope="module")
def table() -> pd.DataFrame:
    return canonical_table(FILE)


def _row(frame: pd.DataFrame, group: str) -> pd.Series:
    found = frame[frame["group"] == group]
    assert len(found) == 1, (group, frame["group"].tolist())
    return found.iloc[0]


def test_death_sentences_and_false_confessions_among_them(raw, table):
    death = raw["Death Penalty?"] == "Yes"
    fc = raw["False Confession"] == "Yes"
    juvenile = raw["Age at Crime Years"].map(lambda a: a.strip() not in ("", "0") and int(a) < 18)
    assert (int(death.sum()), int((death & fc).sum())) == (144, 31)  # SOURCES-style golden, by hand
    out = TABLES["death_sentence"](table)
    assert _row(out, "Death sentence")[["n", "k"]].tolist() == [int(death.sum()), int((death & fc).sum())]
    assert _row(out, "No death sentence")[["n", "k"]].tolist() == [int((~death).sum()), int((~death & fc).sum())]
    assert _row(out, "Death sentence, false confession: juvenile")[["n", "k"]].tolist() == [
        int((death & fc).sum()), int((death & fc & juvenile).sum())]
    by_decade = TABLES["death_sentence_by_decade"](table)
    death_rows = by_decade[by_decade["sentence"] == "death sentence"]
    assert death_rows["n"].sum() == 144 and death_rows["k"].sum() == 31
    decade = raw["Date of 1st Convic"].str[:3] + "0s"
    assert _row(by_decade, "1980s, death sentence")[["n", "k"]].tolist() == [
        int((death & (decade == "1980s")).sum()), int((death & fc & (decade == "1980s")).sum())]


def _groups(refs: pd.Series) -> list[set[int]]:
    """Connected groups of rows linked by shared references (plain Python, repeated merging)."""
    groups: list[tuple[set[str], set[int]]] = []
    for i, text in refs.items():
        words = {w.strip() for w in text.split(",") if w.strip()}
        if not words:
            continue
        linked = [g for g in groups if g[0] & words]
        merged = (set(words).union(*(g[0] for g in linked)), {i}.union(*(g[1] for g in linked)))
        groups = [g for g in groups if g not in linked] + [merged]
    return [rows for _, rows in groups]


def test_co_defendant_groups(raw, table):
    groups = _groups(raw["Exonerated CoDs?"])
    sizes = pd.Series([len(g) for g in groups]).value_counts()
    out = TABLES["codefendant_group_sizes"](table)
    assert out["n"].iloc[0] == len(groups)
    assert out["records"].sum() == int((raw["Exonerated CoDs?"].str.strip() != "").sum())
    assert dict(zip(out["size"], out["k"], strict=True)) == sizes.to_dict()
    fc = raw["False Confession"] == "Yes"
    cdc = raw["Case Characteristics"].str.contains("Codefendant confessed", regex=False)
    grouped = raw["Exonerated CoDs?"].str.strip() != ""
    co = TABLES["codefendant_fc"](table)
    assert _row(co, "False confession: a co-defendant also confessed (CDC)")[["n", "k"]].tolist() == [
        int(fc.sum()), int((fc & cdc).sum())]
    assert _row(co, "False confession: in an exonerated co-defendant group")["k"] == int((fc & grouped).sum())
    largest = TABLES["largest_codefendant_groups"](table)
    assert largest["n"].iloc[0] == max(len(g) for g in groups)
    # the model's clusters and the cluster-interval module's groups are the same partition
    pop = table[~table["pre_1989"].fillna(False).astype(bool)]
    mine, theirs = cluster_ids(pop), clusters.cluster_ids(pop)
    assert pd.crosstab(mine, theirs).astype(bool).sum(axis=1).max() == 1
    assert mine.nunique() == theirs.nunique()


def _part(values: pd.Series) -> pd.Series:
    return values.str.strip().map(lambda v: v not in ("", "0", "00", "0000"))


def test_arrest_date_coverage(raw, table):
    y, m, d = (_part(raw[f"Date of Arrest {p}"]) for p in ("Year", "Month", "Day"))
    # a year that is not a four-digit year (parts shifted by a column in a few rows) is quarantined by
    # normalisation with the other parts of the date: the record has no arrest date
    readable = raw["Date of Arrest Year"].str.strip().str.fullmatch(r"(18|19|20)\d\d")
    y, m, d = y & readable, m & readable, d & readable
    expected = {"day": int((y & m & d).sum()), "month": int((y & m & ~d).sum()), "year": int((y & ~m).sum()),
                "missing": int((~y).sum())}
    pop = table[~table["pre_1989"].fillna(False).astype(bool)]
    precision = arrest_dates(pop)["precision"].value_counts().to_dict()
    assert {k: precision.get(k, 0) for k in expected} == expected
    print(f"\narrest dates: {expected}")
    coverage = TABLES["duration_coverage"](table)
    known = _row(coverage, "Arrest to conviction: known")
    before = _row(coverage, "Arrest to conviction: end before start")["k"]
    assert known["k"] + before == expected["day"] and known["n"] == len(raw)
    assert _row(coverage, "Arrest to conviction: arrest date has year and month only")["k"] == expected["month"]
    assert _row(coverage, "Conviction to exoneration: known")["k"] == int(
        ((raw["Date of 1st Convic"] != "") & (raw["Date of Exon"] != "")).sum())


def test_placeholder_zeros_and_the_int_coding_rule(raw, table):
    dist = TABLES["years_lost_distribution"](table)
    assert dist.loc[dist["band"] == "placeholder", "k"].sum() == 129
    int_coded = raw["INT - Misconduct in Interrogation"] == "Yes"
    assert int_coded.sum() > 0 and (raw.loc[int_coded, "False Confession"] == "Yes").all()
    by_year = TABLES["int_by_posting_year"](table)
    first = int(raw.loc[int_coded, "Posting Date"].str[:4].astype(int).min())
    assert by_year.loc[by_year["k"] > 0, "group"].astype(int).min() == first
    assert by_year["k"].sum() == int(int_coded.sum())


def _design(table: pd.DataFrame) -> pd.DataFrame:
    """The model's variables derived here from the canonical columns (module docstring of analysis.analyse.models)."""
    pop = table[~table["pre_1989"].fillna(False).astype(bool)]
    age = pop["age"].astype("float64")
    regions = {"Northeast": "CT ME MA NH RI VT NJ NY PA", "Midwest": "IL IN MI OH WI IA KS MN MO NE ND SD",
               "South": "DE DC FL GA MD NC SC VA WV AL KY MS TN AR LA OK TX",
               "West": "AZ CO ID MT NV NM UT WY AK CA HI OR WA"}
    of = {a: r for r, abbrs in regions.items() for a in abbrs.split()}
    crime = {"Murder": "Homicide", "Manslaughter": "Homicide", "Sexual assault": "Sexual assault",
             "Child sex abuse": "Child sex abuse", "Drug crime": "Non-violent",
             "Other non-violent crime": "Non-violent"}
    year = pop["conviction_year"].astype("float64")
    frame = pd.DataFrame({
        "fc": pop["fc"].fillna(False).astype(int),
        "age_group": np.select([age <= 13, age <= 15, age <= 17, age <= 24, age >= 25],
                               ["13 and under", "14–15", "16–17", "18–24", "25 and over"], ""),
        "crime": pop["crime_category"].astype(object).map(lambda c: crime.get(c, "Other violent")),
        "race": pop["race"].astype(object).replace({"Asian": "Other", "Native American": "Other"}),
        "sex": pop["sex"].astype(object),
        "decade": np.select([year < 1980, year < 1990, year < 2000, year < 2010, year >= 2010],
                            ["before 1980", "1980s", "1990s", "2000s", "2010s and later"], ""),
        "death_sentence": pop["death_sentence"].astype(object).map({True: "Yes", False: "No"}),
        "dna": pop["dna"].astype(object).map({True: "Yes", False: "No"}),
        "region": np.where(pop["federal"].astype(bool), "Federal", pop["state_abbr"].astype(object).map(of)),
        "cluster": pop["codefendant_group"].astype(object).map(lambda g: g if pd.isna(g) else g.split(",")[0]),
    })
    frame["cluster"] = frame["cluster"].where(frame["cluster"].notna(), "own-" + pop["record_id"].astype(str))
    return frame.replace("", np.nan).dropna()


def test_the_model_is_reproduced_by_fitting_the_formula_directly(table):
    frame = _design(table)
    young = frame[frame["age_group"] == "13 and under"]
    assert (young["fc"] == 0).sum() < 5  # too few others: the rule merges the level with 14–15 (reported)
    frame["age_group"] = frame["age_group"].replace({"13 and under": "15 and under", "14–15": "15 and under"})
    formula = ("fc ~ C(age_group, Treatment(reference='25 and over')) + C(crime, Treatment(reference='Homicide'))"
               " + C(race, Treatment(reference='White')) + C(sex, Treatment(reference='Male'))"
               " + C(decade, Treatment(reference='1990s')) + C(death_sentence, Treatment(reference='No'))"
               " + C(dna, Treatment(reference='No')) + C(region, Treatment(reference='South'))")
    # one reference per row is enough here: only one record carries two, and both are in the same group
    groups = pd.factorize(frame["cluster"])[0]
    direct = smf.logit(formula, frame).fit(disp=0, cov_type="cluster", cov_kwds={"groups": groups})
    fit = fit_fc_model(table)
    assert len(fit.frame) == len(frame) == 3799
    out = TABLES["fc_model"](table).set_index("term")
    ci = direct.conf_int()
    for term in direct.params.index.drop("Intercept"):
        assert out.loc[term, "odds_ratio"] == pytest.approx(math.exp(direct.params[term]), rel=1e-5), term
        assert out.loc[term, "or_low"] == pytest.approx(math.exp(ci.loc[term, 0]), rel=1e-4), term
        assert out.loc[term, "or_high"] == pytest.approx(math.exp(ci.loc[term, 1]), rel=1e-4), term
    print(f"\nadjusted OR 16–17: {out.loc[direct.params.index[2], 'odds_ratio']:.2f}; "
          f"records used {len(frame)}, dropped {int(out['n_dropped'].iloc[0])}")
    sample = TABLES["fc_model_sample"](table)
    assert sample["n"].sum() == int((~table["pre_1989"].fillna(False).astype(bool)).sum())
