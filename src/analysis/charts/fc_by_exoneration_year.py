"""Exonerations per year with and without a false confession (counts) and the false-confession share."""

from __future__ import annotations

import numpy as np
from matplotlib.patches import Patch
from matplotlib.ticker import MaxNLocator

from analysis.analyse.tables import TABLES, UNKNOWN
from analysis.analyse.wording import k_of_n, listing, num, pct, whole
from analysis.charts.draw import percent_axis
from analysis.charts.registry import ChartContext, ChartUnavailable, Drawn, chart
from analysis.charts.style import new_figure
from analysis.snapshot import Snapshot


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
    recent = complete.tail(5)
    early = complete[(complete["group"].astype(int) >= 1990) & (complete["group"].astype(int) <= 1999)]
    if len(early) == 0:
        early = complete.head(5)
    recent_mean, early_mean = recent["k"].mean(), early["k"].mean()
    early_label = "in the 1990s" if early["group"].astype(int).min() >= 1990 and len(early) == 10 else (
        f"in {int(early['group'].min())}–{int(early['group'].max())}")
    direction = "up" if recent_mean >= early_mean else "down"
    span = f"{int(recent['group'].min())}–{int(recent['group'].max())}"
    title = (f"About {whole(recent_mean)} exonerations a year involved a false confession in {span}, "
             f"{direction} from about {whole(early_mean)} a year {early_label}")
    subtitle = ("Exonerations since 1989 by year of exoneration, with and without a false confession by the "
                "exoneree (top), and the false-confession share with its 95% confidence band (bottom).")
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
    ax2.fill_between(years, lows, highs, color=theme.accent_light, linewidth=0, zorder=1, step=None)
    ax2.plot(years, shares, color=theme.accent, linewidth=1.8, zorder=2)
    percent_axis(ax2, "y", max(0.05, float(np.nanmax(highs)) * 1.08))
    ax2.xaxis.set_major_locator(MaxNLocator(6, integer=True))
    ax1.set_xlim(years.min() - 0.7, years.max() + 0.7)
    peak = data.iloc[int(np.argmax(k))]
    body = (f"Per year, false-confession exonerations averaged {recent_mean:.1f} in {span} and {early_mean:.1f} "
            f"{early_label}; the most in one year was {int(peak['k'])} in {int(peak['group'])}. By year: "
            + listing([f"{int(r['group'])} {k_of_n(r['k'], r['n'])} ({pct(r['share'])})" for _, r in data.iterrows()])
            + ".")
    return Drawn(fig, data, title, subtitle, notes, body, [f"{recent_mean:.1f}", str(int(peak["k"]))])
