"""Racial make-up of false-confession exonerees against that of all exonerees."""

from __future__ import annotations

import numpy as np

from analysis.analyse.tables import TABLES
from analysis.analyse.wording import listing, pct, pct1
from analysis.charts.draw import percent_axis
from analysis.charts.registry import ChartContext, ChartUnavailable, Drawn, chart
from analysis.charts.style import SMALL_PT, new_figure
from analysis.snapshot import Snapshot


@chart("race-fc-vs-all", kind="Grouped horizontal bar chart", table="race")
def race_fc_vs_all(snapshot: Snapshot, ctx: ChartContext) -> Drawn:
    """Racial make-up of false-confession exonerees against that of all exonerees."""
    data = TABLES["race"](snapshot.view)
    total_k, total_n = int(data["k"].sum()), int(data["n"].sum())
    if total_k == 0:
        raise ChartUnavailable("no false-confession exonerations in the table")
    data = data.assign(share_of_fc=data["k"] / total_k, share_of_all=data["n"] / total_n)
    largest = data.iloc[0]
    x_fc, x_all = float(largest["share_of_fc"]), float(largest["share_of_all"])
    who = f"{largest['group']} exonerees"
    if abs(x_fc - x_all) < 0.03:
        title = (f"{who} were {pct(x_fc)} of those who falsely confessed, in line with their {pct(x_all)} of all "
                 "exonerations")
    else:
        word = "more" if x_fc > x_all else "less"
        title = (f"{who} were {pct(x_fc)} of those who falsely confessed, {word} than their {pct(x_all)} of all "
                 "exonerations")
    subtitle = (f"Race of the {total_k:,} exonerees since 1989 who falsely confessed, against all {total_n:,} "
                "exonerees since 1989, as coded by the registry.")
    notes = ["Percentages are of each total; race as coded by the registry (Hispanic is a separate category)."]
    fig = new_figure(0.8)
    ax = fig.add_subplot()
    theme = ctx.theme
    y = np.arange(len(data))[::-1]
    h = 0.38
    ax.barh(y + h / 2, data["share_of_fc"], height=h, color=theme.accent, zorder=2, label="Falsely confessed")
    ax.barh(y - h / 2, data["share_of_all"], height=h, color=theme.grey, zorder=2, label="All exonerees")
    top = float(max(data["share_of_fc"].max(), data["share_of_all"].max())) * 1.25
    for yi, a, b, k, n in zip(y, data["share_of_fc"], data["share_of_all"], data["k"], data["n"], strict=True):
        ax.text(a + top * 0.012, yi + h / 2, f"{pct(a)} ({int(k):,})", va="center", fontsize=SMALL_PT,
                color=theme.text)
        ax.text(b + top * 0.012, yi - h / 2, f"{pct(b)} ({int(n):,})", va="center", fontsize=SMALL_PT,
                color=theme.muted)
    ax.set_yticks(y, list(data["group"].astype(str)))
    ax.set_ylim(-0.7, len(data) - 0.3)
    percent_axis(ax, "x", top)
    ax.legend(loc="lower right", handlelength=1, handleheight=1)
    body = "Share of false confessors and of all exonerees: " + listing([
        f"{r['group']} {pct1(r['share_of_fc'])} of false confessors ({int(r['k']):,}) and {pct1(r['share_of_all'])} "
        f"of all exonerees ({int(r['n']):,})" for _, r in data.iterrows()]) + "."
    return Drawn(fig, data, title, subtitle, notes, body, [pct1(x_fc), pct1(x_all)])
