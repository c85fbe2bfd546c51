"""What the narrative notebooks call: open the project, gather snapshots, compare the two newest, show text.

The notebooks in ``notebooks/`` (jupytext percent-format ``.py`` files) narrate; every computation they show is a
call into ``analysis``. The helpers here are the few steps a notebook needs beyond the tables and charts: open the
project (the processed table, or a stored snapshot, optionally as the registry stood on a date), gather stored
snapshots, compare the two newest, and one seaborn view of the years lost (:func:`years_lost_curves`).

Running the notebooks headless is :mod:`analysis.narrate.execute`.
"""

from __future__ import annotations

import datetime as dt
import inspect
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.charts import ChartContext, ChartSpec
from analysis.normalise.load import snapshot_on_or_before
from analysis.settings import Paths, paths
from analysis.snapshot import Snapshot

__all__ = ["CHOICES", "Session", "change_summary", "changelog_text", "choice_text", "claim_snapshot_sentence",
           "coverage", "explain", "headline_changes", "headline_sentences", "headline_table", "open_project",
           "provenance", "readable", "roster_match", "show_markdown", "snapshot_history", "snapshot_on_or_before",
           "what_changed", "years_lost_curves"]


@dataclass
class Session:
    """What a notebook works on: one ``Snapshot`` (viewed as of ``as_of`` when set) and the project paths."""

    snapshot: Snapshot
    where: Paths
    cache: dict = field(default_factory=dict, repr=False)

    @property
    def table(self) -> pd.DataFrame:
        """The records the numbers are about: the snapshot's as-of view."""
        return self.snapshot.view

    @property
    def meta(self) -> dict:
        """The snapshot's provenance (``Snapshot.to_json``)."""
        return self.snapshot.to_json()

    @property
    def as_of(self) -> dt.date | None:
        return self.snapshot.as_of

    @property
    def ctx(self) -> ChartContext:
        return ChartContext(as_of=self.snapshot.as_of)


def open_project(project_root: str | Path | None = None, snapshot: str | None = None,
                 as_of: str | dt.date | None = None) -> Session:
    """Open the project at ``project_root`` (default: the current one).

    ``snapshot``: a stored snapshot id (default, or the processed snapshot's own id: the processed table);
    ``as_of``: the registry as it stood on this date (YYYY-MM-DD): records posted on or before it.
    """
    if project_root:
        os.environ["CONFESSIONS_HOME"] = str(Path(project_root).resolve())
    from analysis.normalise.load import load_processed, stored_snapshot

    pd.set_option("display.max_rows", 500)  # whole tables: a coverage table cut to 10 of 117 rows hides the point

    where = paths()
    processed = load_processed(where) if where.canonical_parquet.is_file() or not snapshot else None
    if snapshot and (processed is None or snapshot != processed.source.id):
        chosen = stored_snapshot(snapshot, where)
    else:
        chosen = processed
    # no as_of given: the processed table's own view (a `build --as-of DATE` keeps its date)
    return Session(snapshot=chosen if as_of is None else chosen.at(as_of), where=where)


def provenance(session: Session) -> pd.DataFrame:
    """Where the numbers come from, one row per item (snapshot id, date, sha256, format, rows, as-of)."""
    source = session.snapshot.source
    items = [("snapshot id", source.id), ("snapshot date", source.iso), ("sha256", source.sha256),
             ("export format", source.format), ("records in the table", f"{len(session.table):,}"),
             ("as of", session.as_of.isoformat() if session.as_of else "the snapshot date")]
    return pd.DataFrame(items, columns=["item", "value"])


SHARE_COLUMNS = ("share", "ci_low", "ci_high", "ci_cluster_low", "ci_cluster_high", "old_share", "new_share",
                 "share_with_value", "km_survival", "km_low", "km_high")
"""Columns that hold shares (0–1), besides every ``share_*`` and ``ci_*`` column: shown as percentages."""
POINT_COLUMNS = ("change", "distance_from_32")
"""Columns that hold a difference of two shares: shown in percentage points with a sign (``change_points`` is in
points already)."""
P_VALUE_COLUMNS = ("p_value", "crude_p", "lr_p", "logrank_p")


def _is_share(column: object) -> bool:
    name = str(column)
    return name in SHARE_COLUMNS or name.startswith(("share_", "ci_"))


def _numeric(values: pd.Series) -> bool:
    """Numbers (and missing values) only, not text or flags."""
    if pd.api.types.is_bool_dtype(values):
        return False
    if pd.api.types.is_numeric_dtype(values):
        return True
    return bool(values.dropna().map(lambda v: isinstance(v, int | float) and not isinstance(v, bool)).all())


def _same_as_group(frame: pd.DataFrame, column: object) -> bool:
    """Whether ``column`` says again what ``group`` says: the same values (``state`` beside a ``group`` of
    states), or their postal codes (``state_abbr``)."""
    from analysis.formats.codes import STATE_ABBR

    if "group" not in frame.columns or column == "group":
        return False
    group = frame["group"].astype("string").reset_index(drop=True)
    values = frame[column].astype("string").reset_index(drop=True)
    if values.equals(group):
        return True
    return column == "state_abbr" and values.equals(group.map(STATE_ABBR).astype("string"))


def readable(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy for reading: shares as percentages with one decimal (``0.1270`` → ``"12.7%"``, missing stays empty),
    differences of shares in percentage points with a sign (``+2.8 pts``), p-values to three decimals (``<0.001``),
    other fractional numbers to two decimals, and no column that repeats ``group`` (a ``state`` or ``state_abbr``
    beside a ``group`` of states). The numbers themselves are in ``reports/tables/``."""
    out = frame.drop(columns=[c for c in frame.columns if _same_as_group(frame, c)])
    for col in out.columns:
        values = out[col]
        if _is_share(col) and _numeric(values):
            out[col] = values.map(lambda v: "" if pd.isna(v) else f"{float(v):.1%}")
        elif col == "change_points":
            out[col] = values.map(lambda v: "" if pd.isna(v) else f"{float(v):+.1f} pts")
        elif col in POINT_COLUMNS:
            out[col] = values.map(lambda v: "" if pd.isna(v) else f"{float(v) * 100:+.1f} pts")
        elif col in P_VALUE_COLUMNS:
            out[col] = values.map(lambda v: "" if pd.isna(v) else "<0.001" if float(v) < 0.001 else f"{v:.3f}")
        elif pd.api.types.is_float_dtype(values):
            out[col] = values.round(2)
    return out


def coverage(table: pd.DataFrame) -> pd.DataFrame:
    """Per canonical column: type, records with a value, share with a value (blank factor = not coded = False);
    every column, shares as percentages."""
    known = table.notna().sum()
    return readable(pd.DataFrame({"column": table.columns, "type": [str(t) for t in table.dtypes],
                                  "with_value": known.to_numpy(),
                                  "share_with_value": (known / max(len(table), 1)).to_numpy()}).reset_index(drop=True))


def snapshot_history(session: Session) -> list[Snapshot]:
    """Every stored registry snapshot, oldest first; just this session's when none is stored."""
    from analysis.ingest.store import list_snapshots
    from analysis.normalise.load import all_snapshots

    if not list_snapshots("nre"):
        return [session.snapshot]
    return all_snapshots(session.where)


def what_changed(session: Session):  # noqa: ANN201 - returns analysis.compare.SnapshotDiff | None
    """The difference between the two newest dated stored snapshots (None when fewer than two are stored);
    computed once per session."""
    from analysis import compare as diff

    if "diff" not in session.cache:
        pair = compared_pair(session)
        session.cache["diff"] = diff.diff_refs(*pair) if pair else None
    return session.cache["diff"]


def compared_pair(session: Session) -> tuple[str, str] | None:
    """The two snapshots ``what_changed`` compares: the session's own snapshot (the ``snapshot`` parameter, or the
    processed one) against the stored snapshot dated just before it; the two newest when the session's snapshot is
    not a stored one. None when there is no earlier snapshot. (``as_of`` does not apply: snapshots are compared
    whole.)"""
    from analysis.ingest.store import list_snapshots

    dated = [m.snapshot_id for m in list_snapshots("nre") if m.snapshot_date]
    own = session.snapshot.source.id
    if own in dated:
        i = dated.index(own)
        return (dated[i - 1], own) if i > 0 else None
    return (dated[-2], dated[-1]) if len(dated) >= 2 else None


def change_summary(session: Session):  # noqa: ANN201 - IPython.display.Markdown
    """What changed between the two newest stored snapshots, as the changelog entry (or a note)."""
    from analysis import compare as diff

    difference = what_changed(session)
    if difference is None:
        return show_markdown(f"_No stored snapshot is dated before {session.snapshot.source.id}, so there is "
                             "nothing to compare it with._")
    note = ("" if session.as_of is None else f"_The as-of date ({session.as_of.isoformat()}) does not apply here: "
            "snapshots are compared whole._\n\n")
    return show_markdown(note + diff.changelog_entry(difference))


HEADLINE_CHANGE_COLUMNS = ["id", "old_k", "old_n", "old_share", "new_k", "new_n", "new_share", "change_points"]


def headline_changes(session: Session) -> pd.DataFrame:
    """The headline numbers in the two newest stored snapshots, with the change in percentage points."""
    difference = what_changed(session)
    rows = [{c: getattr(h, c) for c in HEADLINE_CHANGE_COLUMNS} for h in (difference.headlines if difference else [])]
    return readable(pd.DataFrame(rows, columns=HEADLINE_CHANGE_COLUMNS))


def headline_table(session: Session) -> pd.DataFrame:
    """Every headline statistic (:func:`analysis.analyse.stats.headline_stats`): id, k, n, share, interval, sentence."""
    from analysis.analyse.stats import headline_stats

    stats = headline_stats(session.snapshot)
    return readable(pd.DataFrame(stats)[["id", "k", "n", "share", "ci_low", "ci_high", "sentence"]])


def headline_sentences(session: Session):  # noqa: ANN201 - IPython.display.Markdown
    """The ready sentences of the headline statistics, as a list."""
    return show_markdown("\n".join(f"- {s}" for s in headline_table(session)["sentence"]))


def changelog_text(session: Session) -> str:
    """``reports/CHANGES.md`` (the data changelog), or a note when none was written yet."""
    path = session.where.reports / "CHANGES.md"
    return path.read_text(encoding="utf-8") if path.exists() else "_No data changelog has been written yet._"


def show_markdown(text: str):  # noqa: ANN201 - IPython.display.Markdown
    """Markdown for the notebook to display, with raw HTML disabled (``<`` and ``>`` become entities), so
    nothing in the data can inject markup into the executed notebook or its HTML export."""
    from IPython.display import Markdown

    return Markdown(text.replace("<", "&lt;").replace(">", "&gt;"))


# --------------------------------------------------------------------------------------------------------
# Years lost, as curves (seaborn)
# --------------------------------------------------------------------------------------------------------

YEARS_LOST_GROUPS = ("False confession", "Other exonerations")
THRESHOLD_YEARS = 10


def years_lost_values(table: pd.DataFrame) -> pd.DataFrame:
    """Years lost per exoneration since 1989 with a known value: ``group`` (``YEARS_LOST_GROUPS``) and
    ``years_lost``, sorted by group then years (the same population as ``TABLES["time_lost"]``: records whose
    release date is missing or a placeholder are left out, :func:`analysis.analyse.time_lost.placeholder_release`)."""
    from analysis.analyse.time_lost import placeholder_release

    population = (~table["pre_1989"].fillna(False).astype(bool) & table["years_lost"].notna()
                  & ~placeholder_release(table))
    fc = table["fc"].fillna(False).astype(bool)
    chosen = table.loc[population]
    out = pd.DataFrame({"group": np.where(fc[population], *YEARS_LOST_GROUPS),
                        "years_lost": chosen["years_lost"].astype("float64").to_numpy()})
    out["group"] = pd.Categorical(out["group"], categories=list(YEARS_LOST_GROUPS))
    return out.sort_values(["group", "years_lost"], kind="stable").reset_index(drop=True)


def _share_text(share: float) -> str:
    return f"{share * 100:.0f}%"


def years_lost_curves(session: Session) -> ChartSpec:
    """For every number of years, the share of each group who lost more than that (seaborn's complementary
    ECDF), in the house style: no bands to choose, the medians where the curves cross 50%, and the share who lost
    more than ten years marked. Deterministic: no sampling or smoothing, PNG without metadata."""
    import seaborn as sns
    from matplotlib.ticker import MultipleLocator, PercentFormatter

    from analysis.charts.style import SMALL_PT, frame_chart, new_figure, source_line, use_style

    data = years_lost_values(session.table)
    years = {g: data.loc[data["group"] == g, "years_lost"] for g in YEARS_LOST_GROUPS}
    if min(len(y) for y in years.values()) == 0:
        from analysis.charts import ChartUnavailable

        raise ChartUnavailable("years lost are not known for one of the groups")
    medians = {g: float(y.median()) for g, y in years.items()}
    beyond = {g: float((y > THRESHOLD_YEARS).mean()) for g, y in years.items()}
    fc, other = YEARS_LOST_GROUPS
    title = (f"{_share_text(beyond[fc])} of people who falsely confessed lost more than {THRESHOLD_YEARS} years to "
             f"a wrongful conviction, against {_share_text(beyond[other])} of other exonerees")
    subtitle = ("Share of each group who lost more than a given number of years between conviction and release, "
                "exonerations since 1989. The curves cross 50% at the medians.")
    notes = [f"Years lost known for {len(years[fc]):,} false-confession and {len(years[other]):,} other "
             "exonerations."]
    source = source_line(session.meta)
    as_of = session.snapshot.as_of_label
    with use_style("light", "web") as theme:
        colours = {fc: theme.accent, other: theme.grey}
        fig = new_figure(0.68)
        ax = fig.add_subplot()
        sns.ecdfplot(data=data, x="years_lost", hue="group", hue_order=list(YEARS_LOST_GROUPS), palette=colours,
                     complementary=True, legend=False, ax=ax, linewidth=2.2)
        ax.axhline(0.5, color=theme.reference, linewidth=0.8, linestyle=(0, (3, 2)), zorder=1)
        ax.axvline(THRESHOLD_YEARS, color=theme.reference, linewidth=0.8, linestyle=(0, (1, 2)), zorder=1)
        # the groups are named in the top right, which a falling curve always leaves empty
        for row, group in enumerate(YEARS_LOST_GROUPS):
            ax.text(0.99, 0.97 - 0.09 * row, f"{group}: median {medians[group]:.1f} years", transform=ax.transAxes,
                    ha="right", va="top", fontsize=SMALL_PT, color=colours[group] if group == fc else theme.text,
                    fontweight="bold" if group == fc else "normal")
        higher = max(YEARS_LOST_GROUPS, key=lambda g: beyond[g])
        for group in YEARS_LOST_GROUPS:
            ax.plot([medians[group]], [0.5], marker="o", markersize=5, color=colours[group], zorder=3)
            ax.plot([THRESHOLD_YEARS], [beyond[group]], marker="o", markersize=5, color=colours[group], zorder=3)
            # above right of the higher curve and below left of the lower one: both places the curves leave empty
            above = group == higher
            ax.annotate(_share_text(beyond[group]), (THRESHOLD_YEARS, beyond[group]),
                        xytext=(5, 3) if above else (-5, -3), textcoords="offset points",
                        ha="left" if above else "right", va="bottom" if above else "top", fontsize=SMALL_PT,
                        color=theme.text)
        ax.yaxis.set_major_formatter(PercentFormatter(xmax=1, decimals=0))
        ax.set_ylim(0, 1.02)
        ax.set_xlim(0, float(data["years_lost"].max()) + 1)
        ax.xaxis.set_major_locator(MultipleLocator(5))
        ax.grid(axis="x", visible=False)
        ax.spines["left"].set_visible(False)
        ax.set_xlabel("Years lost")
        ax.set_ylabel("Lost more than this")
        frame_chart(fig, title, subtitle, source, notes, as_of)
    plotted = data.assign(share_lost_more=np.concatenate([
        (len(y) - np.searchsorted(np.sort(y.to_numpy()), y.to_numpy(), side="right")) / len(y)
        for y in years.values()]))
    alt = (f"Line chart (two falling curves). {title}. Median years lost: false confession {medians[fc]:.1f}, "
           f"other exonerations {medians[other]:.1f}. {source}. {as_of}.")
    return ChartSpec(slug="years-lost-curves", fig=fig, data=plotted, title=title, subtitle=subtitle, notes=notes,
                     alt_text=alt, source_line=source, as_of=as_of,
                     key_numbers=[_share_text(beyond[fc]), _share_text(beyond[other]), f"{medians[fc]:.1f}",
                                  f"{medians[other]:.1f}"])


# --------------------------------------------------------------------------------------------------------
# The methodological choices, in the words of the code that applies them
# --------------------------------------------------------------------------------------------------------


def _sentences(doc: str | None, keyword: str) -> str:
    """The sentences of the docstring ``doc`` that contain ``keyword``, on one line, as Markdown (reST roles
    dropped, double backticks single); a KeyError when there is none (the docstring changed: the notebooks must
    follow)."""
    text = " ".join(inspect.cleandoc(doc or "").split())
    text = re.sub(r":(?:func|mod|class|data|meth|attr):", "", text).replace("``", "`")
    found = [s for s in re.split(r"(?<=[.:])\s+(?=[A-Z])", text) if keyword in s]
    if not found:
        raise KeyError(f"no sentence with {keyword!r} in the docstring")
    return " ".join(found)


def _choice_sources() -> dict[str, tuple[str, list[tuple[str, str]]]]:
    """Each choice: a title and its definition texts, each with the module it is pulled from."""
    from analysis.analyse import definitions, rates
    from analysis.normalise import schema

    meaning = definitions.BY_ID
    return {
        "population": ("Default population: exonerations since 1989",
                       [(definitions.__name__, _sentences(definitions.__doc__, "pre_1989"))]),
        "blank": ("A blank factor means not coded", [(schema.__name__, _sentences(schema.__doc__, "not coded"))]),
        "unknown_ages": ("Unknown ages", [(definitions.__name__, f"`{d}`: {meaning[d].meaning}")
                                          for d in ("fc_share_juvenile", "fc_share_adult", "juvenile_share_fc")]),
        "wilson": ("95% Wilson intervals", [(rates.__name__, _sentences(rates.Rate.__doc__, "Wilson")),
                                            (definitions.__name__, _sentences(definitions.__doc__,
                                                                              "Wilson interval"))]),
        "as_of": ("The as-of rule",
                  [(definitions.__name__, _sentences(definitions.__doc__, "as it stood on an earlier date"))]),
    }


CHOICES = ("population", "blank", "unknown_ages", "wilson", "as_of")
"""The methodological choices a notebook states next to the cell each affects (:func:`explain`)."""


def choice_text(choice: str) -> str:
    """The definition of ``choice`` (one of :data:`CHOICES`) as Markdown: its title in bold, then the text of the
    module that applies it (``analysis.analyse.definitions``, ``analysis.analyse.rates``; the blank rule from
    ``analysis.normalise.schema``), each item naming its module: pulled from the code, never retyped."""
    sources = _choice_sources()
    if choice not in sources:
        raise KeyError(f"unknown choice {choice!r}; choices: {', '.join(CHOICES)}")
    title, texts = sources[choice]
    return f"**{title}.**\n\n" + "\n".join(f"- {text} (`{module}`)" for module, text in texts)


def explain(choice: str):  # noqa: ANN201 - IPython.display.Markdown
    """Show the definition of a methodological choice in a notebook (:func:`choice_text`)."""
    return show_markdown(choice_text(choice))


# --------------------------------------------------------------------------------------------------------
# Notebook 04: which snapshot stands for September 2017, and the Innocence Project's roster
# --------------------------------------------------------------------------------------------------------


def claim_snapshot_sentence(latest: Snapshot, then: Snapshot | None) -> str:
    """What the readings "of the time" in notebook 04 rest on: the stored snapshot closest to (not after) the
    claim's date when one is stored and is not the snapshot in use, else the latest snapshot filtered to the
    records posted by that date (``analysis.analyse.reconcile.AS_OF``)."""
    from analysis.analyse.reconcile import AS_OF
    from analysis.analyse.wording import month_year
    from analysis.snapshot import day_text

    claim = day_text(AS_OF)
    filtered = (f"the latest snapshot ({latest.source.id}) filtered to records posted by {claim}, with that "
                "snapshot's coding")
    if then is not None and then.source.id != latest.source.id:
        dated = day_text(then.source.date) if then.source.date else "undated"
        return (f"The registry as it stood at the claim uses the snapshot closest to {month_year(AS_OF)}: "
                f"{then.source.id}, dated {dated}, with the coding of the time; beside it, {filtered}.")
    return (f"No snapshot dated between the claim's list and {claim} is stored apart from the one in use, so the "
            f"registry as it stood at the claim is {filtered}." if then is not None else
            f"No snapshot dated on or before {claim} is stored, so the registry as it stood at the claim is "
            f"{filtered}.")


def roster_match(session: Session):  # noqa: ANN201 - IPython.display.Markdown
    """The Innocence Project roster matched to this session's snapshot, in words with its definition
    (:func:`analysis.narrate.report.roster_match`), or a note when no roster is stored."""
    from analysis.narrate.report import ROSTER_NOT_STORED
    from analysis.narrate.report import roster_match as match

    found = match(session.snapshot)
    if found is None:
        return show_markdown(f"_{ROSTER_NOT_STORED}_")
    return show_markdown(f"{found['sentence']}\n\n_{found['definition']}_")
