"""Racial make-up of false-confession exonerees against that of all exonerees.

The title compares the largest group's share of false confessors with its share of all exonerees through
:func:`analysis.analyse.wording.compare_phrase`: "higher than" / "lower than" only when the two 95% intervals
(Wilson) do not overlap, else "in line with".
"""

from __future__ import annotations

import numpy as np

from analysis.analyse.rates import wilson_interval
from analysis.analyse.tables import TABLES
from analysis.analyse.wording import compare_phrase, k_of_n, listing, pct, pct1
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
    fc_ci = wilson_interval(int(largest["k"]), total_k)
    all_ci = wilson_interval(int(largest["n"]), total_n)
    compared = compare_phrase(*fc_ci, *all_ci, f"their {pct(x_all)} of all exonerees")
    title = f"{who} were {pct(x_fc)} of those who falsely confessed, {compared}"
    subtitle = (f"Race of the {total_k:,} exonerees since 1989 who falsely confessed, against all {total_n:,} "
                "exonerees since 1989, as coded by the registry.")
    notes = [f"{largest['group']}: {k_of_n(largest['k'], total_k)} false confessors (95% CI "
             f"{pct1(fc_ci[0])}–{pct1(fc_ci[1])}), {k_of_n(largest['n'], total_n)} exonerees (95% CI "
             f"{pct1(all_ci[0])}–{pct1(all_ci[1])}). Percentages are of each total; race as coded by the registry "
             "(Hispanic is a separate category)."]
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
    summary = (f"{largest['group']}: {pct1(x_fc)} of false confessors ({k_of_n(largest['k'], total_k)}), "
               f"{pct1(x_all)} of all exonerees ({k_of_n(largest['n'], total_n)}).")
    return Drawn(fig, data, title, subtitle, notes, body, [pct1(x_fc), pct1(x_all)], summary=summary)
