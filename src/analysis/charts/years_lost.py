"""How many years exonerees lost, false confessors against everyone else (distribution and medians).

Records whose release date is missing or a placeholder (zero years under a custodial sentence:
:func:`analysis.analyse.time_lost.placeholder_release`) are left out of the bands and medians and counted in a
note. False confessions are mostly homicide cases, which carry long sentences, so the title gives the medians
within homicide cases too (``time_lost_by_crime``); the notes give time from a full arrest date.
"""

from __future__ import annotations

import math

import numpy as np
from matplotlib.ticker import MaxNLocator

from analysis.analyse.tables import TABLES, YEAR_BINS, years_lost_bins
from analysis.analyse.time_lost import PLACEHOLDER_LABEL
from analysis.analyse.wording import count_noun, k_of_n, listing, num, pct
from analysis.charts.draw import percent_axis
from analysis.charts.registry import ChartContext, ChartUnavailable, Drawn, chart
from analysis.charts.style import LABEL_PT, SMALL_PT, new_figure
from analysis.snapshot import Snapshot

GROUPS = ("False confession", "No false confession")


@chart("years-lost", kind="Two histograms", table="time_lost")
def years_lost(snapshot: Snapshot, ctx: ChartContext) -> Drawn:
    """How many years exonerees lost, false confessors against everyone else (distribution and medians).

Records whose release date is missing or a placeholder (zero years under a custodial sentence:
:func:`analysis.analyse.time_lost.placeholder_release`) are left out of the bands and medians and counted in a
note. False confessions are mostly homicide cases, which carry long sentences, so the title gives the medians
within homicide cases too (``time_lost_by_crime``); the notes give time from a full arrest date.
"""
    summary = TABLES["time_lost"](snapshot.view).set_index("group")
    bins = years_lost_bins(snapshot.view)
    if summary["n_known"].min() == 0:
        raise ChartUnavailable("years lost are not known for one of the groups")
    medians = {g: num(summary.loc[g, "median"]) for g in summary.index}
    bins["median"] = bins["group"].map(medians)
    m_fc, m_other = medians["False confession"], medians["No false confession"]
    strata = TABLES["time_lost_by_crime"](snapshot.view).set_index("group")
    h_fc, h_other = (num(strata.loc[f"{g}: homicide", "median"]) for g in GROUPS)
    title = (f"People who falsely confessed lost a median of {m_fc:.1f} years to a wrongful conviction, "
             f"against {m_other:.1f} for other exonerees")
    if not (math.isnan(h_fc) or math.isnan(h_other)):
        title += f"; within homicide cases, {h_fc:.1f} against {h_other:.1f}"
    placeholders = int(summary["n_placeholder"].sum())
    subtitle = ("Years from conviction to release, exonerations since 1989: share of each group in each band of "
                f"years, with the median. Left out: {count_noun(placeholders, 'record')} with the "
                f"{PLACEHOLDER_LABEL} (zero years under a custodial sentence).")
    known = [k_of_n(summary.loc[g, "n_known"], summary.loc[g, "n"]) for g in GROUPS]
    notes = [f"Known for {known[0]} false-confession and {known[1]} other exonerations "
             f"({int(summary.loc[GROUPS[0], 'n_placeholder']):,} and {int(summary.loc[GROUPS[1], 'n_placeholder']):,} "
             f"with the {PLACEHOLDER_LABEL}, left out).", _arrest_note(summary)]
    if (summary["basis"].astype(str) != "given").any():
        notes.append("Years lost derived by the project where the export does not give them (release or "
                     "exoneration minus conviction).")
    fig = new_figure(1.0)
    theme = ctx.theme
    grid = fig.add_gridspec(2, 1)
    axes = [fig.add_subplot(grid[0])]
    axes.append(fig.add_subplot(grid[1], sharex=axes[0], sharey=axes[0]))
    last_edge = YEAR_BINS[-2] + 2
    for ax, group, colour in zip(axes, GROUPS, (theme.accent, theme.grey), strict=True):
        part = bins[bins["group"] == group]
        lefts = part["years_from"].to_numpy()
        widths = np.array([(num(t) if not math.isnan(num(t)) else last_edge) for t in part["years_to"]]) - lefts
        ax.bar(lefts, part["share"].map(num).to_numpy(), width=widths * 0.92, align="edge", color=colour, zorder=2)
        ax.axvline(medians[group], color=theme.reference, linewidth=1.2, zorder=3)
        fc = group == "False confession"
        ax.text(0.99, 0.95, group if fc else "Other exonerations", transform=ax.transAxes, ha="right", va="top",
                fontsize=LABEL_PT, fontweight="bold", color=colour if fc else theme.text)
        ax.text(medians[group], 0.95, f" median {medians[group]:.1f} years", transform=ax.get_xaxis_transform(),
                ha="left", va="top", fontsize=SMALL_PT, color=theme.text)
        percent_axis(ax, "y")
        ax.yaxis.set_major_locator(MaxNLocator(3, steps=[1, 2, 2.5, 5, 10]))
    axes[0].tick_params(labelbottom=False)
    axes[1].set_xlim(0, last_edge)
    ticks = [0, 5, 10, 15, 20, 25, 30, 35]
    axes[1].set_xticks([*ticks, last_edge - 1], [f"{t}" for t in ticks] + [f"{YEAR_BINS[-2]}+"])
    axes[1].set_xlabel("Years lost")
    q = {g: (num(summary.loc[g, "q1"]), num(summary.loc[g, "q3"])) for g in summary.index}
    body = (f"Median years lost: false confession {m_fc:.1f} (middle half {q['False confession'][0]:.1f} to "
            f"{q['False confession'][1]:.1f}); other exonerations {m_other:.1f} (middle half "
            f"{q['No false confession'][0]:.1f} to {q['No false confession'][1]:.1f}).")
    body += (f" Within homicide cases: {h_fc:.1f} against {h_other:.1f}. {count_noun(placeholders, 'record')} "
             f"with the {PLACEHOLDER_LABEL} left out.")
    body += " " + " ".join(f"{group}, share in each band of years lost: " + listing(
        [f"{r['bin']} {pct(r['share'])} ({int(r['records']):,})" for _, r in part.iterrows()]) + "."
        for group, part in bins.groupby("group", sort=False))
    summary = (f"Middle half: {q['False confession'][0]:.1f}–{q['False confession'][1]:.1f} years against "
               f"{q['No false confession'][0]:.1f}–{q['No false confession'][1]:.1f}.")
    return Drawn(fig, bins, title, subtitle, notes, body, [f"{m_fc:.1f}", f"{m_other:.1f}"], summary=summary)


def _arrest_note(summary) -> str:  # noqa: ANN001 - the time_lost table by group
    """Time from a full arrest date, with how many records each measure covers."""
    fc, other = summary.loc[GROUPS[0]], summary.loc[GROUPS[1]]
    if fc["n_arrest_to_conviction"] + other["n_arrest_to_conviction"] == 0:
        return "Arrest dates are not in this export."

    def median(row, measure: str) -> str:  # noqa: ANN001
        value = num(row[f"median_{measure}"])
        return "no data" if math.isnan(value) else f"{value:.1f}"

    parts = [f"{label}: median {median(fc, m)} years for false confessors ({k_of_n(fc[f'n_{m}'], fc['n'])}) "
             f"against {median(other, m)} ({k_of_n(other[f'n_{m}'], other['n'])})"
             for label, m in (("From arrest to conviction", "arrest_to_conviction"),
                              ("from arrest to release", "arrest_to_release"))]
    partial = int(fc["n_arrest_partial"] + other["n_arrest_partial"])
    inconsistent = int(fc["n_arrest_inconsistent"] + other["n_arrest_inconsistent"])
    return ("; ".join(parts) + f". Arrest month or day not recorded: {count_noun(partial, 'record')} (left out, "
            f"never guessed); arrest after conviction or release as published: {count_noun(inconsistent, 'record')}"
            " (left out).")
