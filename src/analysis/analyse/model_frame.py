"""The false-confession model's variables: levels, reference levels, how each is derived from the canonical table,
the records used and dropped, and the sparse-level check (:mod:`analysis.analyse.models` fits it).

Variables (exonerations since 1989):

* ``age_group``: age at the crime ≤13, 14–15, 16–17, 18–24, ≥25 (**reference: 25 and over**);
* ``crime``: homicide (murder, manslaughter; **reference**), sexual assault, child sex abuse, other violent
  (attempted murder, robbery, assault, other violent crime), non-violent (drug and other non-violent crimes);
* ``race``: **White (reference)**, Black, Hispanic, Other (Asian, Native American and other, merged: small);
* ``sex``: **Male (reference)**, Female;
* ``decade``: decade of conviction, before 1980, 1980s, **1990s (reference)**, 2000s, 2010s and later;
* ``death_sentence`` and ``dna``: No (reference) / Yes;
* ``region``: Census region of the state of conviction (Northeast, Midwest, **South (reference)**, West);
  federal prosecutions (military included) are their own level ``Federal``; Puerto Rico and Guam, outside the
  Census regions, are dropped and counted.

A record with a missing value in any variable is **dropped and counted, never imputed** (:func:`model_sample`); a
variable the export does not record at all is left out of the model and said (:func:`recorded_variables`).
**Sparse levels**: a level with fewer than :data:`MIN_CELL` false-confession cases, or fewer than :data:`MIN_CELL`
other cases, would give an unstable or infinite estimate (separation, :func:`sparse_levels`); it is merged into its
neighbour (ordered variables) or into the variable's catch-all level (else the reference), and the merge is
reported; a two-level variable that is sparse is left out and reported (:func:`merge_sparse`).
"""

from __future__ import annotations

import pandas as pd

from analysis.analyse.codefendants import cluster_ids, since_1989

__all__ = ["AGE_LEVELS", "CRIME", "FORMULA", "LABELS", "MIN_CELL", "REFERENCE", "VARIABLES", "DROP_REASONS",
           "MERGED_NAMES", "design_frame", "formula_for", "merge_sparse", "model_sample", "order_levels",
           "recorded_variables", "sparse_levels"]

MIN_CELL = 5
"""A level needs at least this many false-confession cases and this many other cases, else it is merged."""

AGE_LEVELS = ["13 and under", "14–15", "16–17", "18–24", "25 and over"]
LEVELS: dict[str, list[str]] = {
    "age_group": AGE_LEVELS,
    "crime": ["Homicide", "Sexual assault", "Child sex abuse", "Other violent", "Non-violent"],
    "race": ["White", "Black", "Hispanic", "Other"],
    "sex": ["Male", "Female"],
    "decade": ["before 1980", "1980s", "1990s", "2000s", "2010s and later"],
    "death_sentence": ["No", "Yes"],
    "dna": ["No", "Yes"],
    "region": ["South", "Northeast", "Midwest", "West", "Federal"],
}
VARIABLES = tuple(LEVELS)
REFERENCE = {"age_group": "25 and over", "crime": "Homicide", "race": "White", "sex": "Male", "decade": "1990s",
             "death_sentence": "No", "dna": "No", "region": "South"}
ORDERED = {"age_group", "decade"}
MERGED_NAMES = {("13 and under", "14–15"): "15 and under", ("16–17", "18–24"): "16–24",
                ("before 1980", "1980s"): "before 1990", ("2000s", "2010s and later"): "2000s and later"}
"""Names of merged neighbouring levels (others are joined as ``"a / b"``)."""
CATCH_ALL = {"crime": "Other violent", "race": "Other", "region": "Federal"}
LABELS = {"age_group": "Age at crime", "crime": "Crime", "race": "Race", "sex": "Sex", "decade": "Decade of conviction",
          "death_sentence": "Death sentence", "dna": "DNA", "region": "Region"}
FORMULA = "fc ~ " + " + ".join(f"C({v}, Treatment(reference='{REFERENCE[v]}'))" for v in VARIABLES)
"""The model as a patsy formula, on the frame :func:`design_frame` builds."""


CRIME = {"Murder": "Homicide", "Manslaughter": "Homicide", "Sexual assault": "Sexual assault",
         "Child sex abuse": "Child sex abuse", "Attempted murder": "Other violent", "Robbery": "Other violent",
         "Assault": "Other violent", "Other violent crime": "Other violent", "Drug crime": "Non-violent",
         "Other non-violent crime": "Non-violent"}
RACE = {"White": "White", "Black": "Black", "Hispanic": "Hispanic", "Asian": "Other", "Native American": "Other",
        "Other": "Other"}
REGIONS = {
    "Northeast": "CT ME MA NH RI VT NJ NY PA",
    "Midwest": "IL IN MI OH WI IA KS MN MO NE ND SD",
    "South": "DE DC FL GA MD NC SC VA WV AL KY MS TN AR LA OK TX",
    "West": "AZ CO ID MT NV NM UT WY AK CA HI OR WA",
}
REGION_OF = {abbr: region for region, abbrs in REGIONS.items() for abbr in abbrs.split()}
DROP_REASONS = {"age_group": "age not recorded", "crime": "crime category not recorded",
                "race": "race not recorded", "sex": "sex not recorded", "decade": "conviction year not recorded",
                "death_sentence": "death sentence not recorded", "dna": "DNA not recorded",
                "region": "state outside the Census regions (Puerto Rico, Guam) or not recorded"}


def _yes_no(values: pd.Series) -> pd.Series:
    return values.map(lambda v: pd.NA if pd.isna(v) else ("Yes" if bool(v) else "No")).astype(object)


def _decade(year: object) -> object:
    if pd.isna(year):
        return pd.NA
    year = int(year)
    return "before 1980" if year < 1980 else "2010s and later" if year >= 2010 else f"{year // 10 * 10}s"


def _age(age: object) -> object:
    if pd.isna(age):
        return pd.NA
    age = int(age)
    return AGE_LEVELS[0 if age <= 13 else 1 if age <= 15 else 2 if age <= 17 else 3 if age <= 24 else 4]


def design_frame(table: pd.DataFrame) -> pd.DataFrame:
    """Exonerations since 1989 as model variables (missing where not recorded), ``fc`` as 0/1 and ``cluster``."""
    pop = since_1989(table)
    region = pop["state_abbr"].astype(object).map(lambda a: REGION_OF.get(a, pd.NA) if pd.notna(a) else pd.NA)
    region = region.where(~pop["federal"].fillna(False).astype(bool), "Federal")
    return pd.DataFrame({
        "fc": pop["fc"].fillna(False).astype(bool).astype("int64"),
        "age_group": pop["age"].astype(object).map(_age),
        "crime": pop["crime_category"].astype(object).map(lambda c: CRIME.get(c, pd.NA) if pd.notna(c) else pd.NA),
        "race": pop["race"].astype(object).map(lambda r: RACE.get(r, pd.NA) if pd.notna(r) else pd.NA),
        "sex": pop["sex"].astype(object),
        "decade": pop["conviction_year"].astype(object).map(_decade),
        "death_sentence": _yes_no(pop["death_sentence"]),
        "dna": _yes_no(pop["dna"]),
        "region": region,
        "cluster": cluster_ids(pop),
    }, index=pop.index)


def recorded_variables(frame: pd.DataFrame) -> list[str]:
    """The variables the export records at all: one missing in every record (e.g. the death penalty before the 2026
    export) is left out of the model, and said, rather than dropping every record."""
    return [v for v in VARIABLES if frame[v].notna().any()]


def model_sample(frame: pd.DataFrame) -> tuple[pd.DataFrame, pd.Series]:
    """(records with every recorded variable known, the reason each other record is dropped: its first missing
    variable in :data:`VARIABLES` order)."""
    missing = frame[recorded_variables(frame)].isna()
    reason = missing.idxmax(axis=1).map(DROP_REASONS).where(missing.any(axis=1))
    return frame[~missing.any(axis=1)].copy(), reason.dropna()


def sparse_levels(frame: pd.DataFrame, variables: tuple[str, ...] = VARIABLES, min_cell: int = MIN_CELL,
                  outcome: str = "fc") -> pd.DataFrame:
    """Levels with fewer than ``min_cell`` outcome cases or non-cases (``problem`` says which; a level with no
    case at all would give an infinite odds ratio: separation)."""
    rows = []
    for var in variables:
        counts = frame.groupby(var, observed=True)[outcome].agg(["size", "sum"])
        for level, (n, k) in counts.iterrows():
            if k < min_cell or n - k < min_cell:
                problem = ("no false confession (separation)" if k == 0 else "all falsely confessed (separation)"
                           if k == n else f"fewer than {min_cell} {'false confessions' if k < min_cell else 'others'}")
                rows.append({"variable": var, "level": level, "n": int(n), "k": int(k), "problem": problem})
    return pd.DataFrame(rows, columns=["variable", "level", "n", "k", "problem"])


def merge_sparse(frame: pd.DataFrame, min_cell: int = MIN_CELL) -> tuple[pd.DataFrame, dict[str, str],
                                                                         list[str], list[str]]:
    """Merge sparse levels until none is left: (frame, reference per variable, variables kept, notes)."""
    frame, reference, notes, kept = frame.copy(), dict(REFERENCE), [], []
    present = recorded_variables(frame)
    notes += [f"{LABELS[v].lower()} not recorded in this export: left out of the model" for v in VARIABLES
              if v not in present]
    for var in present:
        while True:
            sparse = sparse_levels(frame, (var,), min_cell)
            levels = [lv for lv in order_levels(var, frame[var]) if lv in set(frame[var])]
            if sparse.empty or len(levels) <= 2:
                break
            level = sparse.iloc[0]["level"]
            i = levels.index(level)
            if var in ORDERED:
                into = levels[i + 1] if i + 1 < len(levels) else levels[i - 1]
            else:
                into = CATCH_ALL.get(var) if CATCH_ALL.get(var) in levels and level != CATCH_ALL.get(var) else (
                    reference[var] if level != reference[var] else levels[1])
            pair = (level, into) if levels.index(into) > i else (into, level)
            merged = MERGED_NAMES.get(pair, " / ".join(pair))
            notes.append(f"{LABELS[var].lower()} '{level}' ({sparse.iloc[0]['problem']}: {sparse.iloc[0]['k']} of "
                         f"{sparse.iloc[0]['n']}) with '{into}'")
            frame[var] = frame[var].replace({level: merged, into: merged})
            if reference[var] in (level, into):
                reference[var] = merged
        if frame[var].nunique() < 2 or not sparse_levels(frame, (var,), min_cell).empty:
            notes.append(f"{LABELS[var].lower()} left out of the model: a level too sparse to estimate, or one level")
        else:
            kept.append(var)
    return frame, reference, kept, notes


def order_levels(var: str, values: pd.Series) -> list[str]:
    """Levels in their stated order, merged levels ("a / b") where their first part was."""
    seen = list(pd.unique(values.dropna()))
    rank = {lv: i for i, lv in enumerate(LEVELS[var])}
    first = {merged: pair[0] for pair, merged in MERGED_NAMES.items()}
    return sorted(seen, key=lambda lv: rank.get(first.get(lv, str(lv).split(" / ")[0]), len(rank)))


def formula_for(variables: list[str], reference: dict[str, str]) -> str:
    """The patsy formula of ``fc`` on ``variables`` with their reference levels (the constant alone when none)."""
    terms = [f"C({v}, Treatment(reference='{reference[v]}'))" for v in variables]
    return "fc ~ " + (" + ".join(terms) if terms else "1")
