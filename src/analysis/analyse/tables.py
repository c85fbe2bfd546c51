"""The standard tables: shares of false confessions by group, each a pure function of the canonical table.

Every table has the columns ``group, n, k, share, ci_low, ci_high``:

* ``n`` = records of the default population (exonerations since 1989: ``not pre_1989``, as in
  :mod:`analysis.analyse.definitions`) that belong to the group;
* ``k`` = those of them with a false confession by the exoneree (``fc``), unless the table says otherwise
  (``confession_types`` and ``co_occurring`` count the condition named in the row);
* ``share`` = k / n as a fraction, with a two-sided 95% Wilson interval (:mod:`analysis.analyse.rates`).

A group with no records is a row with ``n = 0`` and missing share and interval, never an error. A record
counts in ``k`` only when its condition is known to be true (missing counts as False), as everywhere else.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pandas as pd

from analysis.analyse.coding_rules import coding_rule_label
from analysis.analyse.definitions import population_expression
from analysis.analyse.filters import column_kinds, parse
from analysis.analyse.rates import Rate, rate_from_masks
from analysis.analyse.research import RESEARCH_TABLES
from analysis.analyse.share_rows import rate_row, share_frame
from analysis.analyse.strata import (
    FLOAT_TIME,
    TIME_COLUMNS,
    juvenile_by_crime,
    misconduct_comparison,
    time_columns,
    time_lost_by_crime,
)
from analysis.analyse.time_lost import placeholder_release
from analysis.files import to_safe_csv, write_with
from analysis.snapshot import Snapshot

__all__ = ["AGE_GROUPS", "TABLES", "UNKNOWN", "share_by", "write_tables"]

UNKNOWN = "Unknown"
AGE_GROUPS = ["13 and under", "14–15", "16–17", "18–24", "25 and over", UNKNOWN]
"""Age at the time of the crime: <=13, 14-15, 16-17, 18-24, >=25, and age missing."""


# --------------------------------------------------------------------------------------------------------
# Building blocks
# --------------------------------------------------------------------------------------------------------


def _mask(table: pd.DataFrame, expression: str) -> pd.Series:
    """Plain bool mask of ``expression`` over ``table`` (``true_all`` selects every row)."""
    if expression == "true_all":
        return pd.Series(True, index=table.index)
    return parse(expression, column_kinds(table)).evaluate(table)


def _population(table: pd.DataFrame, of: str, among: str | None = None) -> pd.Series:
    """The default population (``not pre_1989`` unless an expression names it) intersected with ``among``."""
    return _mask(table, population_expression(among, of))


def _row(group: object, r: Rate, cluster: object = None) -> dict:
    """A standard row; with ``cluster`` (an ``analysis.analyse.clusters.ClusterRate``) also its cluster columns
    (``ci_cluster_low``, ``ci_cluster_high``, ``design_effect``, ``cluster_note``), else those are missing with the
    note that this table does not use the groups."""
    from analysis.analyse.clusters import CLUSTER_COLUMNS

    if cluster is None:
        return rate_row(group, r, **{**dict.fromkeys(CLUSTER_COLUMNS),
                                     "cluster_note": "co-defendant groups not used in this table"})
    return rate_row(group, r, **cluster.columns())  # type: ignore[attr-defined]


def _frame(rows: list[dict], extra: list[str] | None = None) -> pd.DataFrame:
    """Rows → a table with the standard columns first, then the cluster columns (``ci_cluster_low``,
    ``ci_cluster_high``, ``design_effect``: the interval allowing for co-defendant groups, see
    :mod:`analysis.analyse.clusters`; ``cluster_note``: why they are missing), then ``extra``; proper dtypes
    (missing shares are ``<NA>``)."""
    from analysis.analyse.clusters import CLUSTER_COLUMNS

    out = share_frame(rows, CLUSTER_COLUMNS + (extra or []),
                      floats=("ci_cluster_low", "ci_cluster_high", "design_effect"))
    out["cluster_note"] = out["cluster_note"].astype(object)
    return out


def _rates_for_masks(of_mask: pd.Series, population: pd.Series, groups: list[tuple[object, pd.Series]], *,
                     clusters: object = False) -> list[dict]:
    """One standard row per (label, group mask): n = population ∩ group, k = those where ``of_mask``.

    ``clusters``: the co-defendant group of each record (``analysis.analyse.clusters.cluster_ids(table)``; None
    when the export does not record groups) for the cluster columns; left out, they are missing ("co-defendant
    groups not used in this table")."""
    from analysis.analyse.clusters import cluster_rate_from_masks

    rows = []
    for label, mask in groups:
        among = population & mask.fillna(False).astype(bool)
        cluster = None if clusters is False else cluster_rate_from_masks(of_mask, among, clusters)  # type: ignore[arg-type]
        rows.append(_row(label, rate_from_masks(of_mask, among), cluster))
    return rows


def _clusters(table: pd.DataFrame) -> object:
    """The co-defendant group of each record, for the cluster columns (None: the export records no groups)."""
    from analysis.analyse.clusters import cluster_ids

    return cluster_ids(table)


def _sorted_labels(values: list) -> list:
    try:
        return sorted(values)
    except TypeError:
        return sorted(values, key=str)


def share_by(table: pd.DataFrame, by: str | pd.Series, *, of: str = "fc", among: str | None = None,
             order: list | None = None) -> pd.DataFrame:
    """Share of records meeting ``of`` in each group of ``by`` (a column name or a Series over ``table.index``).

    Population: the default population (``not pre_1989`` unless an expression names ``pre_1989``), narrowed
    by ``among``. Records whose group is missing form the group ``"Unknown"``. Groups come in ``order`` when
    given (listed groups with no records are rows with n = 0), followed by any other groups seen; otherwise
    in sorted order. ``"Unknown"`` comes last unless ``order`` places it. Each row has the cluster-aware
    interval and design effect (co-defendant groups, :mod:`analysis.analyse.clusters`), missing with the reason
    in ``cluster_note`` for an export that does not record groups.
    """
    from analysis.analyse.clusters import cluster_ids

    labels = table[by] if isinstance(by, str) else by
    if not labels.index.equals(table.index):
        raise ValueError("by must be a column name or a Series over the table's index")
    population = _population(table, of, among)
    of_mask = _mask(table, of)
    labels = labels.astype(object).where(labels.notna(), UNKNOWN)
    seen = list(pd.unique(labels[population]))
    listed = list(order or [])
    rest = [g for g in seen if g not in listed and g != UNKNOWN]
    groups = listed + _sorted_labels(rest)
    if UNKNOWN in seen and UNKNOWN not in groups:
        groups.append(UNKNOWN)
    return _frame(_rates_for_masks(of_mask, population, [(g, labels == g) for g in groups],
                                   clusters=cluster_ids(table)))


def _by_n_desc(df: pd.DataFrame) -> pd.DataFrame:
    """Largest groups first (ties by name), ``Unknown`` last."""
    known = df[df["group"] != UNKNOWN]
    known = known.assign(_g=known["group"].astype(str)).sort_values(["n", "_g"], ascending=[False, True])
    return pd.concat([known.drop(columns="_g"), df[df["group"] == UNKNOWN]]).reset_index(drop=True)


# --------------------------------------------------------------------------------------------------------
# The tables
# --------------------------------------------------------------------------------------------------------


def overall(table: pd.DataFrame) -> pd.DataFrame:
    """One row: false confessions among all exonerations since 1989."""
    return share_by(table, pd.Series("All exonerations since 1989", index=table.index, dtype=object))


def dna(table: pd.DataFrame) -> pd.DataFrame:
    """FC share among DNA exonerations (``dna``), non-DNA ones (``not dna``) and, where the snapshot has the
    minor-factor marker (``dna_minor`` known), DNA exonerations in which DNA was central (``dna and not
    dna_minor``)."""
    kinds = column_kinds(table)
    groups = [("DNA", "dna"), ("No DNA", "not dna")]
    population = _population(table, "fc")
    if table.loc[population & table["dna"].fillna(False).astype(bool), "dna_minor"].notna().any():
        groups.append(("DNA central (not minor)", "dna and not dna_minor"))
    masks = [(label, parse(expr, kinds).evaluate(table)) for label, expr in groups]
    out = _frame(_rates_for_masks(_mask(table, "fc"), population, masks, clusters=_clusters(table)), ["expression"])
    out["expression"] = [expr for _, expr in groups]
    return out


def crime_category(table: pd.DataFrame) -> pd.DataFrame:
    """FC share by crime category (``crime_category``), largest categories first."""
    return _by_n_desc(share_by(table, "crime_category"))


def age_group_labels(age: pd.Series) -> pd.Series:
    """Age at the crime → ``AGE_GROUPS`` label (``<=13``, 14–15, 16–17, 18–24, ``>=25``; missing → Unknown)."""
    bins = [-1, 13, 15, 17, 24, 10**6]
    cut = pd.cut(age.astype("float64"), bins=bins, labels=AGE_GROUPS[:-1])
    return cut.astype(object).where(cut.notna(), UNKNOWN)


def age_group(table: pd.DataFrame) -> pd.DataFrame:
    """FC share by age at the time of the crime, in ``AGE_GROUPS`` order (age missing → ``Unknown``)."""
    return share_by(table, age_group_labels(table["age"]), order=AGE_GROUPS)


def race(table: pd.DataFrame) -> pd.DataFrame:
    """FC share by race as coded by the registry (missing → ``Unknown``), largest groups first."""
    return _by_n_desc(share_by(table, "race"))


def sex(table: pd.DataFrame) -> pd.DataFrame:
    """FC share by sex, largest group first."""
    return _by_n_desc(share_by(table, "sex"))


def state(table: pd.DataFrame) -> pd.DataFrame:
    """FC share by state of conviction (``state``; federal cases under their district's state), largest first;
    with ``state`` and ``state_abbr`` columns (the abbreviation is missing for military cases)."""
    out = _by_n_desc(share_by(table, "state"))
    abbr = table.dropna(subset=["state", "state_abbr"]).drop_duplicates("state").set_index("state")["state_abbr"]
    out["state"] = out["group"].where(out["group"] != UNKNOWN, None).astype("string")
    out["state_abbr"] = out["state"].map(abbr.to_dict()).astype("string")
    return out


def exoneration_year(table: pd.DataFrame) -> pd.DataFrame:
    """FC share by year of exoneration, every year from the first to the last (years without records: n = 0)."""
    years = table.loc[_population(table, "fc"), "exoneration_year"].dropna()
    order = list(range(int(years.min()), int(years.max()) + 1)) if len(years) else []
    labels = table["exoneration_year"].astype(object).map(lambda y: y if pd.isna(y) else int(y))
    return share_by(table, labels, order=order)


def decade_labels(years: pd.Series) -> pd.Series:
    """Year → decade label, e.g. 1994 → ``"1990s"`` (missing stays missing)."""
    return years.astype(object).map(lambda y: pd.NA if pd.isna(y) else f"{int(y) // 10 * 10}s")


def _decade_order(table: pd.DataFrame) -> list[str]:
    years = table.loc[_population(table, "fc"), "exoneration_year"].dropna()
    if not len(years):
        return []
    return [f"{d}s" for d in range(int(years.min()) // 10 * 10, int(years.max()) // 10 * 10 + 1, 10)]


def exoneration_decade(table: pd.DataFrame) -> pd.DataFrame:
    """FC share by decade of exoneration (``"1980s"`` holds 1989), every decade in the range."""
    return share_by(table, decade_labels(table["exoneration_year"]), order=_decade_order(table))


def misconduct(table: pd.DataFrame) -> pd.DataFrame:
    """FC share among records with and without official misconduct (``om``), and with misconduct in
    interrogation coded yes, no, or not coded (``om_interrogation`` missing: exports without misconduct
    detail). ``coding_rule``: ``coded only on false-confession cases`` on every row of a variable whose code is
    only ever applied to false-confession cases (:mod:`analysis.analyse.coding_rules`; INT in every vintage):
    its 100% is a coding rule, not a finding."""
    om, interrogation = table["om"], table["om_interrogation"]
    spec = [
        ("Official misconduct: yes", "official misconduct", "yes", om.eq(True)),
        ("Official misconduct: no", "official misconduct", "no", om.eq(False)),
        ("Misconduct in interrogation: yes", "misconduct in interrogation", "yes", interrogation.eq(True)),
        ("Misconduct in interrogation: no", "misconduct in interrogation", "no", interrogation.eq(False)),
        ("Misconduct in interrogation: unknown", "misconduct in interrogation", "unknown", interrogation.isna()),
    ]
    population = _population(table, "fc")
    rows = _rates_for_masks(_mask(table, "fc"), population, [(label, mask) for label, _, _, mask in spec],
                            clusters=_clusters(table))
    rules = {"official misconduct": coding_rule_label(table, "om", population),
             "misconduct in interrogation": coding_rule_label(table, "om_interrogation", population)}
    for row, (_, variable, value, _) in zip(rows, spec, strict=True):
        row.update(variable=variable, value=value, coding_rule=rules[variable])
    return _frame(rows, ["variable", "value", "coding_rule"])


CONFESSION_TYPES = [
    ("Exoneree's own false confession", "fc"),
    ("A co-defendant confessed", "codefendant_confessed"),
    ("Guilty plea", "guilty_plea"),
    ("Own false confession or a co-defendant's", "fc or codefendant_confessed"),
    ("Own false confession, a co-defendant's, or a guilty plea", "fc or codefendant_confessed or guilty_plea"),
]


def confession_types(table: pd.DataFrame) -> pd.DataFrame:
    """Share of all exonerations since 1989 meeting each confession-like condition: here ``k`` counts the
    condition in the row (``expression``) and ``n`` is every record of the population."""
    rows = []
    for label, expr in CONFESSION_TYPES:
        row = _row(label, rate_from_masks(_mask(table, expr), _population(table, expr)))
        row["expression"] = expr
        rows.append(row)
    return _frame(rows, ["expression"])


CO_OCCURRING = [
    ("Official misconduct", "om"),
    ("Misconduct in interrogation", "om_interrogation"),
    ("Police misconduct", "om_police"),
    ("A co-defendant also confessed", "codefendant_confessed"),
    ("Guilty plea", "guilty_plea"),
    ("Mistaken witness identification", "mwid"),
    ("Perjury or false accusation", "pfa"),
    ("False or misleading forensic evidence", "fmfe"),
    ("DNA evidence", "dna"),
]


def co_occurring(table: pd.DataFrame) -> pd.DataFrame:
    """Among false-confession exonerations since 1989 (``n``): how many also carry each factor (``k``).

    ``unknown`` counts the false-confession records where the factor is not coded either way (for example
    misconduct detail in exports before 2021); they are in ``n`` but never in ``k``. ``coding_rule``: ``coded
    only on false-confession cases`` when the factor is only ever coded on them among all exonerations since
    1989 (:mod:`analysis.analyse.coding_rules`): such a row is a coding rule, never a finding.
    """
    population = _population(table, "fc", "fc")
    everyone = _population(table, "fc")
    rows = []
    for label, column in CO_OCCURRING:
        row = _row(label, rate_from_masks(_mask(table, column), population))
        row.update(expression=column, unknown=int((population & table[column].isna()).sum()),
                   coding_rule=coding_rule_label(table, column, everyone))
        rows.append(row)
    return _frame(rows, ["expression", "unknown", "coding_rule"])


def _basis(values: pd.Series) -> str:
    """``given`` when every value is the registry's own; otherwise each basis with its count."""
    counts = values.value_counts()
    if list(counts.index) == ["given"]:
        return "given"
    return "; ".join(f"{b} ({int(c)})" for b, c in sorted(counts.items()))


def time_lost(table: pd.DataFrame) -> pd.DataFrame:
    """Years lost (``years_lost``: conviction to release) for exonerations with and without a false
    confession: records with a known value (``n_known``; records whose release date is missing or a placeholder,
    ``n_placeholder``, are left out: :func:`analysis.analyse.time_lost.placeholder_release`), median, quartiles
    (linear interpolation), mean and total, and time from a full arrest date to conviction and to release
    (:func:`analysis.analyse.strata.time_columns`); ``basis`` says whether the values are the registry's own
    (``given``) or derived by the project. Within crime strata: ``time_lost_by_crime``."""
    population = _population(table, "fc")
    fc = _mask(table, "fc")
    groups = [("False confession", fc), ("No false confession", ~fc)]
    rows = _rates_for_masks(fc, population, groups, clusters=_clusters(table))
    kept = ~placeholder_release(table)
    for row, (_, mask) in zip(rows, groups, strict=True):
        row.update(time_columns(table, population & mask))
        known = population & mask & table["years_lost"].notna() & kept
        row["basis"] = _basis(table.loc[known, "years_lost_basis"]) if known.any() else ""
    out = _frame(rows, [*TIME_COLUMNS, "basis"])
    for col in FLOAT_TIME:
        out[col] = pd.array([None if pd.isna(v) else float(v) for v in out[col]], dtype="Float64")
    return out


JUVENILE_AMONG_FC = "fc and (juvenile or not juvenile)"
"""False confessions whose exoneree's age is known (Kleene logic: ``juvenile or not juvenile`` is unknown, and so
left out, exactly when the age is)."""


def juvenile_by_decade(table: pd.DataFrame) -> pd.DataFrame:
    """By decade of exoneration: the standard FC share (k of n records), then

    * ``share_juvenile_among_fc`` = ``k_juvenile_fc`` of ``n_fc``: false-confession cases whose exoneree was
      under 18 at the crime, age known (an unknown age is left out of ``n_fc``, as in ``juvenile_share_fc``);
    * ``share_fc_among_juvenile`` = ``k_fc_juvenile`` of ``n_juvenile``: juvenile exonerees (age known) who
      falsely confessed; each with its Wilson interval.
    """
    labels = decade_labels(table["exoneration_year"])
    out = share_by(table, labels, order=_decade_order(table))
    groups = list(out["group"])
    parts = (("juvenile_among_fc", "juvenile", JUVENILE_AMONG_FC, "n_fc", "k_juvenile_fc"),
             ("fc_among_juvenile", "fc", "juvenile", "n_juvenile", "k_fc_juvenile"))
    for suffix, of, among, n_name, k_name in parts:
        part = share_by(table, labels, of=of, among=among, order=groups).set_index("group").loc[groups]
        out[n_name], out[k_name] = part["n"].to_numpy("int64"), part["k"].to_numpy("int64")
        for col in ("share", "ci_low", "ci_high"):
            out[f"{col}_{suffix}"] = part[col].array
    return out


TABLES: dict[str, Callable[[pd.DataFrame], pd.DataFrame]] = {
    "overall": overall,
    "dna": dna,
    "crime_category": crime_category,
    "age_group": age_group,
    "race": race,
    "sex": sex,
    "state": state,
    "exoneration_year": exoneration_year,
    "exoneration_decade": exoneration_decade,
    "misconduct": misconduct,
    "confession_types": confession_types,
    "co_occurring": co_occurring,
    "time_lost": time_lost,
    "juvenile_by_decade": juvenile_by_decade,
    "juvenile_by_crime": juvenile_by_crime,
    "time_lost_by_crime": time_lost_by_crime,
    "misconduct_comparison": misconduct_comparison,
    **RESEARCH_TABLES,  # the research tables (analysis.analyse.research)
}
"""The standard tables by name (also the file name under ``reports/tables/``)."""


# --------------------------------------------------------------------------------------------------------
# Output
# --------------------------------------------------------------------------------------------------------


def write_tables(snapshot: Snapshot, out_dir: Path, history: pd.DataFrame | None = None) -> list[Path]:
    """Write every table in ``TABLES`` (of ``snapshot.view``) to ``out_dir/<name>.csv`` (and ``history.csv``).

    Each file is written with :func:`analysis.files.to_safe_csv` to a temporary file and renamed into
    place. The snapshot tables get two last columns, ``snapshot_id`` and ``snapshot_date``, saying where the
    numbers come from. Returns the paths written, in ``TABLES`` order.
    """
    out_dir = Path(out_dir)
    written = []
    frames = {name: build(snapshot.view) for name, build in TABLES.items()}
    for name, frame in frames.items():
        frame = frame.assign(snapshot_id=snapshot.source.id, snapshot_date=snapshot.source.iso)
        target = out_dir / f"{name}.csv"
        write_with(target, lambda tmp, f=frame: to_safe_csv(f, tmp))
        written.append(target)
    if history is not None:
        target = out_dir / "history.csv"
        write_with(target, lambda tmp: to_safe_csv(history, tmp))
        written.append(target)
    return written



# --------------------------------------------------------------------------------------------------------
# Distributions
# --------------------------------------------------------------------------------------------------------

YEAR_BINS = [*range(0, 42, 2), float("inf")]
"""Two-year bands from 0 to 40 years, then 40 or more (the bands of ``years_lost_bins``)."""


def years_lost_bins(table: pd.DataFrame) -> pd.DataFrame:
    """Distribution of years lost in the default population (exonerations since 1989, value known; release date
    missing or placeholder left out, as in ``time_lost``), by group (false confession or not): records per bin
    ``[years_from, years_to)``, and their share of the group."""
    population = (~table["pre_1989"].fillna(False).astype(bool) & table["years_lost"].notna()
                  & ~placeholder_release(table))
    fc = table["fc"].fillna(False).astype(bool)
    rows = []
    for group, mask in (("False confession", fc), ("No false confession", ~fc)):
        years = table.loc[population & mask, "years_lost"].astype("float64")
        counts = pd.cut(years, YEAR_BINS, right=False).value_counts(sort=False)
        for (lo, hi), count in zip(zip(YEAR_BINS[:-1], YEAR_BINS[1:], strict=True), counts, strict=True):
            last = hi == float("inf")
            rows.append({"group": group, "bin": f"{lo}+" if last else f"{lo}–{hi}", "years_from": float(lo),
                         "years_to": None if last else float(hi), "records": int(count),
                         "n_known": len(years), "share": count / len(years) if len(years) else None})
    out = pd.DataFrame(rows)
    out["share"] = pd.array(list(out["share"]), dtype="Float64")
    out["years_to"] = pd.array(list(out["years_to"]), dtype="Float64")
    return out


__all__ += ["YEAR_BINS", "years_lost_bins"]
