"""Co-defendants: exonerated co-defendant groups, false confessions within them, and their sizes.

Definitions (exonerations since 1989, the default population):

* **Co-defendant group**: the registry's ``codefendant_group`` reference (``Exonerated CoDs?``, e.g. ``NE1``).
  A record may carry several references joined by ``", "``; records linked through any shared reference form one
  group (connected components), so a group is every exoneree tied to another by the registry's references.
  A record without a reference is a group of its own (size 1): it is not an exonerated co-defendant.
* **CDC**: the registry's "co-defendant confessed" tag (``codefendant_confessed``).

Every table has ``group, n, k, share, ci_low, ci_high`` (a 95% Wilson interval, :mod:`analysis.analyse.rates`).
Outputs are counts by group reference, never names or case lists.
"""

from __future__ import annotations

import pandas as pd

from analysis.analyse.definitions import REGISTRY
from analysis.analyse.share_rows import share_frame, share_row
from analysis.snapshot import Snapshot

__all__ = ["cluster_ids", "codefendant_fc", "codefendant_group_sizes", "largest_codefendant_groups",
           "population_words", "since_1989"]

LARGEST = 10
"""How many of the largest groups :func:`largest_codefendant_groups` lists."""


def since_1989(table: pd.DataFrame) -> pd.DataFrame:
    """The default population: exonerations since 1989 (``not pre_1989``)."""
    return table[~table["pre_1989"].fillna(False).astype(bool)]


def _flag(table: pd.DataFrame, column: str) -> pd.Series:
    return table[column].fillna(False).astype(bool)


def cluster_ids(table: pd.DataFrame) -> pd.Series:
    """A cluster label per record: the co-defendant groups of :func:`analysis.analyse.clusters.cluster_ids` (records
    linked by any shared ``codefendant_group`` reference), named by their smallest reference (``"G:<reference>"``);
    a record without a reference is its own cluster (``"R:<record_id>"``)."""
    from analysis.analyse.clusters import cluster_ids as components

    singles = pd.Series([f"R:{rid}" for rid in table["record_id"]], index=table.index, dtype=object)
    groups = components(table)
    if groups is None:
        return singles
    refs = table["codefendant_group"].astype("string").map(
        lambda v: [] if pd.isna(v) else [r.strip() for r in str(v).split(",") if r.strip()])
    exploded = pd.DataFrame({"group": groups, "ref": refs}).explode("ref").dropna(subset=["ref"])
    smallest = exploded.groupby("group")["ref"].min()
    named = groups.map(smallest)
    return named.map(lambda r: f"G:{r}", na_action="ignore").where(named.notna(), singles).astype(object)


def _groups(table: pd.DataFrame) -> pd.DataFrame:
    """Per exonerated co-defendant group in the population: members, FC members, state(s) and years."""
    pop = since_1989(table)
    ids = cluster_ids(pop)
    grouped = pop.assign(_cluster=ids)[ids.str.startswith("G:")]
    if grouped.empty:
        return pd.DataFrame(columns=["reference", "members", "fc", "states", "first_conviction", "last_conviction",
                                     "first_exoneration", "last_exoneration"])
    return grouped.groupby("_cluster").agg(
        members=("record_id", "size"), fc=("fc", lambda s: int(s.fillna(False).sum())),
        states=("state_abbr", lambda s: ", ".join(sorted(set(s.dropna().astype(str)))) or "not recorded"),
        first_conviction=("conviction_year", "min"), last_conviction=("conviction_year", "max"),
        first_exoneration=("exoneration_year", "min"), last_exoneration=("exoneration_year", "max"),
    ).reset_index().rename(columns={"_cluster": "reference"}).assign(reference=lambda d: d["reference"].str[2:])


def codefendant_fc(table: pd.DataFrame) -> pd.DataFrame:
    """Among false-confession exonerations (``n``) and, for comparison, other exonerations: how many carry the CDC
    tag (a co-defendant also confessed), belong to an exonerated co-defendant group, or both (``k``)."""
    pop = since_1989(table)
    fc = _flag(pop, "fc")
    cdc = _flag(pop, "codefendant_confessed")
    in_group = cluster_ids(pop).str.startswith("G:")
    rows = []
    for who, mask in (("False confession", fc), ("No false confession", ~fc)):
        for what, cond in (("a co-defendant also confessed (CDC)", cdc), ("in an exonerated co-defendant group",
                                                                           in_group),
                           ("both", cdc & in_group)):
            rows.append(share_row(f"{who}: {what}", int((mask & cond).sum()), int(mask.sum()), among=who,
                                  condition=what))
    return share_frame(rows, ["among", "condition"])


def codefendant_group_sizes(table: pd.DataFrame) -> pd.DataFrame:
    """Exonerated co-defendant groups by size (members since 1989): groups of that size (``k``) of all groups
    (``n``), with the records in them and how many of those falsely confessed (``fc_records``)."""
    groups = _groups(table)
    total = len(groups)
    rows = []
    for size in sorted(groups["members"].unique()) if total else []:
        part = groups[groups["members"] == size]
        noun = "exoneree" if size == 1 else "exonerees"
        rows.append(share_row(f"{int(size)} {noun} since 1989", len(part), total, size=int(size),
                              records=int(part["members"].sum()), fc_records=int(part["fc"].sum())))
    return share_frame(rows, ["size", "records", "fc_records"])


def largest_codefendant_groups(table: pd.DataFrame, top: int = LARGEST) -> pd.DataFrame:
    """The ``top`` largest exonerated co-defendant groups (ties by reference): the registry's reference, members
    (``n``), members who falsely confessed (``k``), state(s), and the range of conviction and exoneration years."""
    groups = _groups(table)
    if groups.empty:
        return share_frame([], ["states", "conviction_years", "exoneration_years"])
    chosen = groups.sort_values(["members", "reference"], ascending=[False, True]).head(top)

    def span(lo: object, hi: object) -> str:
        if pd.isna(lo):
            return "not recorded"
        return f"{int(lo)}" if lo == hi else f"{int(lo)}–{int(hi)}"

    rows = [share_row(g.reference, g.fc, g.members, states=g.states,
                      conviction_years=span(g.first_conviction, g.last_conviction),
                      exoneration_years=span(g.first_exoneration, g.last_exoneration))
            for g in chosen.itertuples()]
    return share_frame(rows, ["states", "conviction_years", "exoneration_years"])


def population_words(snapshot: Snapshot) -> str:
    """How a research sentence names its population and date: ``"among exonerees since 1989 in the National
    Registry of Exonerations as of its 26 June 2026 data"``; on the demo export ``"in the synthetic demo data,
    among exonerees since 1989 …"``."""
    if snapshot.source.synthetic:
        return f"in the synthetic demo data, among exonerees since 1989 {snapshot.when}"
    return f"among exonerees since 1989 in {REGISTRY} {snapshot.when}"
