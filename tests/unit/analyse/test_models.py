"""The false-confession model on small built tables: separation is detected and merged (never a silent infinite
estimate), the cluster-robust standard errors are statsmodels' own ``cov_type="cluster"`` and differ from the
naive ones when clusters are correlated, and the likelihood-ratio test is the one computed by hand."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pandas as pd
import pytest
import statsmodels.formula.api as smf
from scipy import stats as sps

from analysis.analyse.codefendants import cluster_ids
from analysis.analyse.models import (
    design_frame,
    fc_model,
    fc_model_sample,
    fit_fc_model,
    model_sample,
    sparse_levels,
)
from tests.unit.analyse.test_tables import canonical

# one value per design level, so the test knows each record's level without the module's mapping
AGES = {"13 and under": 12, "14–15": 15, "16–17": 16, "18–24": 20, "25 and over": 40}
CRIMES = {"Homicide": "Murder", "Sexual assault": "Sexual assault", "Child sex abuse": "Child sex abuse",
          "Other violent": "Robbery", "Non-violent": "Drug crime"}
DECADES = {"before 1980": 1975, "1980s": 1985, "1990s": 1995, "2000s": 2005, "2010s and later": 2015}
REGIONS = {"South": ("Texas", "TX"), "Northeast": ("New York", "NY"), "Midwest": ("Illinois", "IL"),
           "West": ("California", "CA")}


def built(n: int, seed: int, *, cluster_size: int = 1, no_fc_in: str | None = None) -> tuple[pd.DataFrame, dict]:
    """A canonical table of ``n`` records with random levels and a false-confession factor that depends on age;
    records come in co-defendant groups of ``cluster_size`` that share their outcome and age (correlated);
    ``no_fc_in``: a crime level in which nobody falsely confessed. Returns the table and the levels drawn."""
    rng = np.random.default_rng(seed)
    groups = n // cluster_size
    pick = {name: rng.choice(list(levels), size=groups) for name, levels in
            (("age", AGES), ("crime", CRIMES), ("decade", DECADES), ("region", REGIONS))}
    rows, drawn = [], {k: [] for k in ("age_group", "crime", "race", "sex", "decade", "death_sentence", "dna",
                                       "region", "fc", "cluster")}
    for g in range(groups):
        p = {"13 and under": .6, "14–15": .55, "16–17": .4, "18–24": .25, "25 and over": .15}[pick["age"][g]]
        fc = bool(rng.random() < p)
        for m in range(cluster_size):
            crime = pick["crime"][g] if m == 0 else rng.choice(list(CRIMES))
            own_fc = fc and crime != no_fc_in
            race, sex = rng.choice(["White", "Black", "Hispanic"]), rng.choice(["Male", "Female"], p=[.7, .3])
            death, dna = bool(rng.random() < .3), bool(rng.random() < .4)
            region = pick["region"][g]
            state, abbr = REGIONS[region]
            ref = f"G{g}" if cluster_size > 1 else None
            rows.append({"age": AGES[pick["age"][g]], "crime_category": CRIMES[crime], "race": race, "sex": sex,
                         "conviction_year": DECADES[pick["decade"][g]], "death_sentence": death, "dna": dna,
                         "state": state, "state_abbr": abbr, "fc": own_fc, "codefendant_group": ref})
            for key, value in (("age_group", pick["age"][g]), ("crime", crime), ("race", race), ("sex", sex),
                               ("decade", pick["decade"][g]), ("death_sentence", "Yes" if death else "No"),
                               ("dna", "Yes" if dna else "No"), ("region", region), ("fc", int(own_fc)),
                               ("cluster", ref or f"own-{len(rows)}")):
                drawn[key].append(value)
    return canonical(rows), drawn


FORMULA = ("fc ~ C(age_group, Treatment(reference='25 and over')) + C(crime, Treatment(reference='Homicide')) + "
           "C(race, Treatment(reference='White')) + C(sex, Treatment(reference='Male')) + "
           "C(decade, Treatment(reference='1990s')) + C(death_sentence, Treatment(reference='No')) + "
           "C(dna, Treatment(reference='No')) + C(region, Treatment(reference='South'))")


@pytest.fixture(scope="module")
def clustered() -> tuple[pd.DataFrame, pd.DataFrame]:
    table, drawn = built(1600, 7, cluster_size=4)
    return table, pd.DataFrame(drawn)


def test_design_frame_levels_are_the_drawn_ones(clustered):
    table, drawn = clustered
    frame = design_frame(table)
    for column in ("age_group", "crime", "race", "sex", "decade", "death_sentence", "dna", "region", "fc"):
        assert frame[column].tolist() == drawn[column].tolist(), column


def test_a_level_without_any_false_confession_is_detected_and_merged():
    table, drawn = built(900, 3, no_fc_in="Child sex abuse")
    frame, _ = model_sample(design_frame(table))
    found = sparse_levels(frame)
    row = found[(found["variable"] == "crime") & (found["level"] == "Child sex abuse")]
    assert len(row) == 1 and row["k"].iloc[0] == 0 and "separation" in row["problem"].iloc[0]
    assert row["n"].iloc[0] == (pd.Series(drawn["crime"]) == "Child sex abuse").sum()
    # fitted as is, the level's estimate runs off towards minus infinity: what the check prevents
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # statsmodels warns that the fit does not converge: that is the point
        naive = smf.logit(FORMULA, pd.DataFrame(drawn)).fit(disp=0, maxiter=200)
    term = "C(crime, Treatment(reference='Homicide'))[T.Child sex abuse]"
    assert naive.params[term] < -8 or naive.bse[term] > 100
    fit = fit_fc_model(table)
    assert any("'Child sex abuse'" in note for note in fit.notes)
    assert "Child sex abuse" not in set(fit.frame["crime"])  # merged into another level
    assert np.isfinite(fit.result.params).all() and (fit.result.bse < 5).all()
    out = fc_model(table)
    assert out["odds_ratio"].notna().all()
    assert np.isfinite(out["or_high"].dropna().astype(float)).all()
    assert "Child sex abuse" in out["note"].iloc[0]


def test_cluster_robust_errors_are_statsmodels_cluster_errors(clustered):
    table, drawn = clustered
    fit = fit_fc_model(table)
    assert not fit.notes  # no level sparse in this build, so the model is the full formula
    direct = smf.logit(FORMULA, drawn).fit(disp=0, cov_type="cluster",
                                           cov_kwds={"groups": pd.factorize(drawn["cluster"])[0]})
    naive = smf.logit(FORMULA, drawn).fit(disp=0)
    pd.testing.assert_series_equal(fit.result.params.sort_index(), direct.params.sort_index(), rtol=1e-6)
    pd.testing.assert_series_equal(fit.result.bse.sort_index(), direct.bse.sort_index(), rtol=1e-6)
    pd.testing.assert_series_equal(fit.naive.bse.sort_index(), naive.bse.sort_index(), rtol=1e-6)
    # the members of a group share outcome and age: the age terms' errors are clearly wider than naive ones
    age_terms = [t for t in direct.params.index if t.startswith("C(age_group")]
    assert (direct.bse[age_terms] / naive.bse[age_terms] > 1.3).all()
    # the table reports exactly these: odds ratio = exp(coef), interval = exp(cluster interval)
    out = fc_model(table).set_index("term")
    ci = direct.conf_int()
    for term in age_terms:
        assert out.loc[term, "odds_ratio"] == pytest.approx(math.exp(direct.params[term]), rel=1e-6)
        assert out.loc[term, "or_low"] == pytest.approx(math.exp(ci.loc[term, 0]), rel=1e-6)
        assert out.loc[term, "se_cluster"] == pytest.approx(direct.bse[term], rel=1e-6)
        assert out.loc[term, "se_naive"] == pytest.approx(naive.bse[term], rel=1e-6)


def test_independent_records_give_errors_close_to_the_naive_ones():
    table, drawn = built(1200, 11)
    fit = fit_fc_model(table)
    ratio = fit.result.bse / fit.naive.bse
    assert ((ratio > 0.8) & (ratio < 1.25)).all()


def test_likelihood_ratio_test_per_variable(clustered):
    table, drawn = clustered
    fit = fit_fc_model(table)
    full = smf.logit(FORMULA, drawn).fit(disp=0)
    for variable, reference in (("sex", "Male"), ("age_group", "25 and over")):
        term = f" + C({variable}, Treatment(reference='{reference}'))"
        reduced = smf.logit(FORMULA.replace(term, "").replace(f"C({variable}, Treatment(reference='{reference}')) + ",
                                                              ""), drawn).fit(disp=0)
        stat = 2 * (full.llf - reduced.llf)
        df = {"sex": 1, "age_group": 4}[variable]
        assert fit.lr[variable][0] == pytest.approx(stat, rel=1e-6)
        assert fit.lr[variable][1] == df
        assert fit.lr[variable][2] == pytest.approx(sps.chi2.sf(stat, df), rel=1e-6)
    assert fit.lr["age_group"][2] < 1e-6  # age drives the built outcome
    out = fc_model(table)
    assert out.loc[out["variable"] == "sex", "lr_p"].astype(float).tolist() == pytest.approx([fit.lr["sex"][2]] * 2)


def test_missing_values_are_dropped_and_counted_by_reason():
    table, _ = built(300, 5)
    table.loc[table.index[:7], "age"] = pd.NA
    table.loc[table.index[7:10], "race"] = pd.NA
    table.loc[table.index[10], "pre_1989"] = True  # outside the population: neither used nor dropped
    sample = fc_model_sample(table).set_index("group")
    assert sample.loc["Used in the model", "n"] == 300 - 11
    assert sample.loc["Dropped: age not recorded", "n"] == 7
    assert sample.loc["Dropped: race not recorded", "n"] == 3
    out = fc_model(table)
    assert out["n_used"].iloc[0] == 289 and out["n_dropped"].iloc[0] == 10


def test_co_defendant_references_link_records_into_one_cluster():
    table = canonical([{"codefendant_group": "NE1"}, {"codefendant_group": "NE1, NE2"}, {"codefendant_group": "NE2"},
                       {}, {}, {"codefendant_group": "CA4"}])
    ids = cluster_ids(table).tolist()
    assert ids[0] == ids[1] == ids[2] and len(set(ids)) == 4
    assert ids[3] != ids[4]  # without a reference, a record is its own cluster


def test_too_few_cases_give_an_empty_table_not_an_error():
    table, _ = built(40, 2)
    table["fc"] = pd.array([False] * len(table), dtype="boolean")
    assert fit_fc_model(table) is None
    assert fc_model(table).empty


def test_odds_ratio_phrase_names_population_interval_and_reading():
    from analysis.analyse.wording import odds_ratio_phrase

    kw = {"group": "those 14–15", "reference": "adults 25 or older", "outcome": "a false confession",
          "population": "among exonerees since 1989"}
    high = odds_ratio_phrase(3.94, 2.9, 5.2, adjusted_for="crime", **kw)
    assert high == ("Among exonerees since 1989, the odds of a false confession were 3.9 times as high for those "
                    "14–15 as for adults 25 or older (95% CI 2.9–5.2), adjusting for crime; an association among the "
                    "exonerated, not a risk of confessing")
    assert "about the same" in odds_ratio_phrase(1.2, 0.8, 1.7, **kw) and "no clear difference" in \
        odds_ratio_phrase(1.2, 0.8, 1.7, **kw)
    low = odds_ratio_phrase(0.45, 0.3, 0.7, **kw)
    assert "lower for those 14–15" in low and "0.45" in low and "unadjusted" in low
    assert "too few cases" in odds_ratio_phrase(float("nan"), 1, 2, **kw)
