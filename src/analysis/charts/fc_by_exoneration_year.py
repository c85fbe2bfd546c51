"""Exonerations per year with and without a false confession (counts) and the false-confession share.

The registry grew about fourfold over the years, so the title compares the **share**, never the count, between two
periods fixed in advance (:data:`EARLY`, the 1990s, against the latest five complete years before the year the
data stop in, :data:`LATEST_YEARS`), through :func:`analysis.analyse.wording.change_phrase` ("rose" only when
the interval of the difference excludes zero). The counts are in the subtitle, beside the shares.
"""

from __future__ import annotations

import numpy as np
from matplotlib.patches import Patch
from matplotlib.ticker import MaxNLocator

from analysis.analyse.tables import TABLES, UNKNOWN
from analysis.analyse.wording import cap, change_phrase, count_with_share, k_of_n, listing, num, pct
from analysis.charts.draw import interval_band, percent_axis
from analysis.charts.registry import ChartContext, ChartUnavailable, Drawn, chart
from analysis.charts.style import new_figure
from analysis.snapshot import Snapshot

EARLY = (1990, 1999, "the 1990s")
"""The early period: exonerations in 1990–1999."""
LATEST_YEARS = 5
"""The late period: the last five complete years (the year the data stop in is partial and left out)."""


def _span(rows) -> str:  # noqa: ANN001 - a frame of year rows
    first, last = int(rows["group"].min()), int(rows["group"].max())
    return f"{first}–{last}" if first != last else str(first)


def _period_text(rows, label: str) -> str:  # noqa: ANN001 - a frame of year rows
    k, n = int(rows["k"].sum()), int(rows["n"].sum())
    return (f"{label}: {count_with_share(k, n, 'false-confession exoneration')}, "
            f"{k / max(len(rows), 1):.1f} a year")


@chart("fc-by-exoneration-year", kind="Column chart above a line chart", table="exoneration_year")
def fc_by_exoneration_year(snapshot: Snapshot, ctx: ChartContext) -> Drawn:
    """Exonerations per year with and without a false confession (counts) and the false-confession share."""
    data = TABLES["exoneration_year"](snapshot.view)
    data = data[data["group"] != UNKNOWN].reset_index(drop=True)
    if data.empty:
        raise ChartUnavailable("no exoneration years in the table")
    years = data["group"].astype(int).to_numpy()
    k, n = data["k"].to_numpy(), data["n"].to_numpy()
    partial_year = snapshot.date.year if snapshot.date else None  # the year the data stops in
    partial = years == partial_year
    complete = data[~partial]
    years_complete = complete["group"].astype(int)
    early = complete[years_complete.between(EARLY[0], EARLY[1])]
    recent = complete.tail(LATEST_YEARS)
    if recent.empty:
        recent = data.tail(LATEST_YEARS)
    early_label, span = EARLY[2], _span(recent)
    k1, n1 = int(recent["k"].sum()), int(recent["n"].sum())
    if early["n"].sum() == 0 or recent["group"].astype(int).min() <= EARLY[1]:  # the periods are not both there
        title = f"{pct(k1 / n1 if n1 else float('nan'), 1)} of exonerations in {span} involved a false confession"
        counts = f"{_period_text(recent, span)}."
    else:
        k0, n0 = int(early["k"].sum()), int(early["n"].sum())
        title = ("The share of exonerations that involved a false confession "
                 f"{change_phrase(k0, n0, k1, n1, before=f'in {early_label}', after=f'in {span}')}")
        counts = f"{_period_text(early, cap(early_label))}; {_period_text(recent, span)}."
    subtitle = (f"{counts} Exonerations since 1989 by year of exoneration, with and without a false confession by "
                "the exoneree (top), and the false-confession share with its 95% confidence band (bottom).")
    notes = [f"{partial_year} is a partial year (to the data date)."] if partial.any() else []
    fig = new_figure(0.8)
    theme = ctx.theme
    grid = fig.add_gridspec(2, 1, height_ratios=[3, 2])
    ax1 = fig.add_subplot(grid[0])
    ax2 = fig.add_subplot(grid[1], sharex=ax1)
    alpha = np.where(partial, 0.55, 1.0)
    for i, year in enumerate(years):
        ax1.bar(year, k[i], width=0.8, color=theme.accent, alpha=alpha[i], zorder=2)
        ax1.bar(year, n[i] - k[i], bottom=k[i], width=0.8, color=theme.grey_light, alpha=alpha[i], zorder=2)
    ax1.grid(axis="x", visible=False)
    ax1.spines["left"].set_visible(False)
    ax1.yaxis.set_major_locator(MaxNLocator(4, integer=True))
    ax1.legend(handles=[Patch(color=theme.accent, label="False confession"),
                        Patch(color=theme.grey_light, label="Other exonerations")],
               loc="upper left", handlelength=1, handleheight=1)
    ax1.tick_params(labelbottom=False)
    shares = data["share"].map(num).to_numpy()
    lows, highs = data["ci_low"].map(num).to_numpy(), data["ci_high"].map(num).to_numpy()
    interval_band(ax2, years, lows, highs)
    ax2.plot(years, shares, color=theme.accent, linewidth=1.8, zorder=2)
    percent_axis(ax2, "y", max(0.05, float(np.nanmax(highs)) * 1.08))
    ax2.xaxis.set_major_locator(MaxNLocator(6, integer=True))
    ax1.set_xlim(years.min() - 0.7, years.max() + 0.7)
    peak = data.iloc[int(np.argmax(k))]
    body = (f"{counts} The most false-confession exonerations in one year was {int(peak['k'])} in "
            f"{int(peak['group'])} ({k_of_n(peak['k'], peak['n'])}, {pct(peak['share'])}). By year: "
            + listing([f"{int(r['group'])} {k_of_n(r['k'], r['n'])} ({pct(r['share'])})" for _, r in data.iterrows()])
            + ".")
    latest_share = pct(k1 / n1 if n1 else float("nan"), 1)
    summary = (f"Most in one year: {int(peak['k'])} false-confession exonerations in {int(peak['group'])} "
               f"({k_of_n(peak['k'], peak['n'])}).")
    return Drawn(fig, data, title, subtitle, notes, body, [latest_share, str(int(peak["k"]))], summary=summary)
