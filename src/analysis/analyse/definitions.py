"""Named definitions: every statistic the project publishes, with its population, condition and a sentence.

A statistic is "K of the N records in POPULATION meet CONDITION", computed on one snapshot of the registry,
optionally as it stood on an earlier date (``as_of``: records whose posting date is on or before it).

Default population: the registry's headline counts cover exonerations since 1989, so records with
``pre_1989`` are left out unless an expression names ``pre_1989`` itself.

Before anything is counted, :func:`compute` refuses an expression the snapshot cannot answer
(:mod:`analysis.analyse.checks`: a column not recorded in the export, a value its column cannot hold). Each
statistic carries the Wilson interval and, where the export records co-defendant groups, the cluster-aware interval
and design effect (:mod:`analysis.analyse.clusters`); the sentence quotes the cluster-aware interval when there is
one ("95% CI …, allowing for co-defendant groups"). Sentences outside the named definitions are composed from the
schema's column phrases (:mod:`analysis.analyse.phrases`).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import pandas as pd

from analysis.analyse.checks import check_expressions
from analysis.analyse.clusters import NOT_RECORDED, ClusterRate, cluster_ids, cluster_rate_from_masks
from analysis.analyse.filters import column_kinds, parse
from analysis.analyse.phrases import condition_phrase, population_phrase, singular
from analysis.analyse.rates import Rate, format_interval, format_share, rate_from_masks
from analysis.analyse.wording import count_noun
from analysis.snapshot import Snapshot, day_text

REGISTRY = "the National Registry of Exonerations"
SOURCE_NAME = "National Registry of Exonerations"
SYNTHETIC_LABEL = "Synthetic demo data — not real cases"
"""What every output built from the demo export (``confessions demo``, ``Source.synthetic``) says about itself."""


@dataclass(frozen=True)
class Definition:
    """A named statistic: ``of`` among ``among`` (expressions over canonical columns) and how to say it."""

    id: str
    of: str
    among: str | None
    population: str  # plural noun phrase for the population, e.g. "DNA exonerations"
    condition: str  # verb phrase for the condition, e.g. "involved a false confession by the exoneree"
    meaning: str  # one plain-English sentence stating the definition


DEFINITIONS: tuple[Definition, ...] = (
    Definition("fc_share_all", "fc", None, "exonerations since 1989",
               "involved a false confession by the exoneree",
               "Share of all exonerations since 1989 in which the registry codes a false confession (FC) by the "
               "exoneree."),
    Definition("fc_share_dna", "fc", "dna", "DNA exonerations since 1989",
               "involved a false confession by the exoneree",
               "Share of exonerations since 1989 in which DNA evidence contributed to the exoneration that carry the "
               "false-confession (FC) factor."),
    Definition("fc_share_non_dna", "fc", "not dna", "exonerations since 1989 without DNA evidence",
               "involved a false confession by the exoneree",
               "Share of exonerations since 1989 without DNA evidence that carry the FC factor."),
    Definition("fc_share_homicide", "fc", "homicide", "homicide exonerations since 1989",
               "involved a false confession by the exoneree",
               "Share of homicide exonerations (the registry's H tag, or murder/manslaughter where the tag is "
               "missing) with the FC factor."),
    Definition("fc_share_dna_homicide", "fc", "dna and homicide", "DNA homicide exonerations since 1989",
               "involved a false confession by the exoneree",
               "Share of DNA homicide exonerations with the FC factor."),
    Definition("fc_share_juvenile", "fc", "juvenile", "exonerations since 1989 of people under 18 at the time of "
               "the crime", "involved a false confession by the exoneree",
               "Share of exonerees who were under 18 at the time of the crime (age known) with the FC factor."),
    Definition("fc_share_adult", "fc", "not juvenile", "exonerations since 1989 of people 18 or older at the "
               "time of the crime", "involved a false confession by the exoneree",
               "Share of exonerees aged 18 or over at the time of the crime (age known) with the FC factor."),
    Definition("juvenile_share_fc", "juvenile", "fc", "false-confession exonerations since 1989",
               "were of people under 18 at the time of the crime",
               "Share of false-confession exonerations in which the exoneree was under 18 at the time of the "
               "crime (age known, as in fc_share_juvenile: a record whose age is unknown is left out and counted as "
               "not recorded)."),
    Definition("homicide_share_fc", "homicide", "fc", "false-confession exonerations since 1989",
               "were homicide cases", "Share of false-confession exonerations that are homicide cases."),
    Definition("om_share_fc", "om", "fc", "false-confession exonerations since 1989",
               "also involved official misconduct",
               "Share of false-confession exonerations in which official misconduct is also coded."),
    Definition("mwid_share_fc", "mwid", "fc", "false-confession exonerations since 1989",
               "also involved a mistaken witness identification",
               "Share of false-confession exonerations that also carry the mistaken-identification factor."),
    Definition("any_confession_share_dna", "fc or codefendant_confessed", "dna", "DNA exonerations since 1989",
               "involved a false confession by the exoneree or a co-defendant",
               "Share of DNA exonerations with the FC factor or the co-defendant-confessed tag (CDC)."),
)
BY_ID = {d.id: d for d in DEFINITIONS}


@dataclass(frozen=True)
class Stat:
    """A computed statistic: the numbers, what they mean, and where and when they come from."""

    id: str
    of: str
    among: str | None
    population_used: str  # the full population expression actually applied
    k: int
    n: int
    share: float | None
    ci_low: float | None
    ci_high: float | None
    as_of: str | None
    snapshot: str | None
    snapshot_date: str | None
    sha256: str | None
    sentence: str
    meaning: str
    not_recorded: int = 0  # records in the population for which the condition is unknown: left out of n
    ci_cluster_low: float | None = None  # the cluster-aware interval (analysis.analyse.clusters)
    ci_cluster_high: float | None = None
    design_effect: float | None = None
    cluster_note: str | None = NOT_RECORDED  # why the cluster values are missing (None: all computed)

    def as_dict(self) -> dict:
        return asdict(self)


def _adds_default(of: str, among: str | None) -> bool:
    """Whether the default population (``not pre_1989``) is added: unless an expression names ``pre_1989``."""
    return "pre_1989" not in f"{of} {among or ''}"


def population_expression(among: str | None, of: str) -> str:
    """The population actually used: ``among`` plus ``not pre_1989`` unless an expression names ``pre_1989``."""
    parts = ["not pre_1989"] if _adds_default(of, among) else []
    if among:
        parts.append(f"({among})" if parts else among)
    return " and ".join(parts) if parts else "true_all"


def _mask(table: pd.DataFrame, expression: str, kinds: dict[str, str]) -> pd.Series:
    if expression == "true_all":
        return pd.Series(True, index=table.index)
    return parse(expression, kinds).evaluate(table)


def _singular_population(population: str) -> str:
    """"DNA exonerations since 1989 that were homicide cases" → "DNA exoneration since 1989 that was a homicide
    case": the head noun and the verbs of the phrase for one record."""
    head, found, rest = population.partition("exonerations")
    return singular(head + "exoneration" + rest) if found else singular(population)


def _counted(n: int, population: str) -> str:
    """``"1 DNA exoneration since 1989"``, ``"596 DNA exonerations since 1989"`` (via ``wording.count_noun``)."""
    return count_noun(n, _singular_population(population), population)


def _interval_text(rate: Rate, cluster: ClusterRate | None) -> str:
    if cluster is None or cluster.ci_low is None or cluster.ci_high is None:
        return format_interval(rate)
    shown = Rate(rate.k, rate.n, rate.share, cluster.ci_low, cluster.ci_high, rate.confidence)
    return f"{format_interval(shown)}, allowing for co-defendant groups"


def sentence(k: int, n: int, rate: Rate, population: str, condition: str, *, when: str,
             synthetic: bool = False, not_recorded: int = 0, cluster: ClusterRate | None = None) -> str:
    """The ready sentence: denominator, date (``when``, from ``Snapshot.when``) and source in words; on the
    synthetic demo export it begins "In the synthetic demo data," and never names the registry as its source.
    The interval is the cluster-aware one when ``cluster`` has it (and the sentence says "allowing for
    co-defendant groups"), else Wilson. Counts agree with their nouns ("1 exoneration"; ``condition`` is put in the
    singular for k = 1). Records whose condition is not recorded (``not_recorded``) are left out of n, and the
    sentence says so."""
    main = _sentence(k, n, rate, population, condition, when=when, synthetic=synthetic, cluster=cluster)
    if not not_recorded:
        return main
    where = "in the synthetic demo data" if synthetic else f"in {REGISTRY}"
    if rate.no_data:
        return (f"Whether the {_counted(not_recorded, population)} {where} {when} met the condition is not "
                "recorded, so there is no share to report.")
    left = "it is left out" if not_recorded == 1 else "they are left out"
    return f"{main} For {not_recorded:,} more, it is not recorded; {left}."


def _sentence(k: int, n: int, rate: Rate, population: str, condition: str, *, when: str, synthetic: bool,
              cluster: ClusterRate | None = None) -> str:
    said = singular(condition) if k == 1 else condition
    numbers = f"{k:,} ({format_share(rate)}; {_interval_text(rate, cluster)}) {said}"
    if synthetic:
        if rate.no_data:
            return f"In the synthetic demo data, there were no {population} {when}, so there is no share to report."
        return (f"In the synthetic demo data, of the {_counted(n, population)} {when}, {numbers} (invented records, "
                "not real cases).")
    if rate.no_data:
        return f"There were no {population} in {REGISTRY} {when}, so there is no share to report."
    return f"Of the {_counted(n, population)} in {REGISTRY} {when}, {numbers}."


def compute(snapshot: Snapshot, of: str, among: str | None = None, *, stat_id: str = "custom",
            population: str | None = None, condition: str | None = None, meaning: str = "") -> Stat:
    """Compute one statistic on ``snapshot`` as of its ``as_of`` date (see the module docstring for the population
    rule); the sentence states the date the numbers describe."""
    table = snapshot.table
    kinds = column_kinds(table)
    # validate before anything else: unknown columns are reported even on an empty view, then columns this export
    # does not record and values their column cannot hold (analysis.analyse.checks)
    of_expr = parse(of, kinds)
    among_expr = parse(among, kinds) if among else None
    check_expressions(table, [of_expr, among_expr], kinds)
    view = snapshot.view
    pop_expr = population_expression(among, of)
    among_mask = _mask(view, pop_expr, kinds)
    of_known = of_expr.evaluate_nullable(view)  # <NA>: not recorded (e.g. tags of pre-1989 records)
    recorded = of_known.notna().to_numpy()
    not_recorded = int((among_mask.to_numpy() & ~recorded).sum())
    of_mask, counted = of_known.fillna(False).astype(bool), among_mask & recorded
    r = rate_from_masks(of_mask, counted)
    groups = cluster_ids(table)  # the export's co-defendant groups (None: not recorded), on the as-of view
    cluster = cluster_rate_from_masks(of_mask, counted, None if groups is None else groups.loc[view.index])
    if population is None:
        population = population_phrase(among_expr, since_1989=_adds_default(of, among))
    if condition is None:
        condition = condition_phrase(of_expr) or f"met the condition `{of}`"
    text = sentence(r.k, r.n, r, population, condition, when=snapshot.when, synthetic=snapshot.source.synthetic,
                    not_recorded=not_recorded, cluster=cluster)
    source, as_of = snapshot.source, snapshot.as_of
    return Stat(
        id=stat_id, of=of, among=among, population_used=pop_expr, k=r.k, n=r.n, share=r.share, ci_low=r.ci_low,
        ci_high=r.ci_high, as_of=as_of.isoformat() if as_of else None, snapshot=source.id,
        snapshot_date=source.iso, sha256=source.sha256, sentence=text,
        meaning=meaning or f"Records where {of}, among {pop_expr}.",
        not_recorded=not_recorded, ci_cluster_low=cluster.ci_low, ci_cluster_high=cluster.ci_high,
        design_effect=cluster.design_effect, cluster_note=cluster.note,
    )


def compute_definition(snapshot: Snapshot, definition: Definition | str) -> Stat:
    """Compute a named definition on ``snapshot`` (as of its ``as_of`` date)."""
    d = BY_ID[definition] if isinstance(definition, str) else definition
    return compute(snapshot, d.of, d.among, stat_id=d.id, population=d.population, condition=d.condition,
                   meaning=d.meaning)


def known_phrases(of: str, among: str | None) -> tuple[str | None, str | None]:
    """Population and condition phrases of the named definition with this ``of`` and ``among``; (None, None)
    otherwise, and :func:`compute` composes them from the schema's column phrases."""
    for d in DEFINITIONS:
        if d.of == of and d.among == among:
            return d.population, d.condition
    return None, None


def as_of_warning(snapshot: Snapshot) -> str | None:
    """A warning when ``snapshot.as_of`` is after the snapshot date: such a view is the whole snapshot (nothing
    posted later is in it), so the date must not suggest the registry as it stood then."""
    day, as_of = snapshot.source.date, snapshot.as_of
    if as_of is None or day is None or as_of <= day:
        return None
    return (f"the snapshot is from {day_text(day)}; as of {day_text(as_of)} is the same as the snapshot (records "
            f"posted after {day_text(day)} are not in it)")
