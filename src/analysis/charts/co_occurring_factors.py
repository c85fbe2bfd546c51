"""Among false-confession exonerations, the share that also carry each other factor."""

from __future__ import annotations

from analysis.analyse.tables import TABLES
from analysis.charts.draw import hbars
from analysis.charts.registry import ChartContext, ChartUnavailable, Drawn, chart
from analysis.charts.style import new_figure
from analysis.charts.words import cap, k_of_n, listing, num, pct, pct1, share_words
from analysis.snapshot import Snapshot


@chart("co-occurring-factors", kind="Horizontal bar chart", table="co_occurring")
def co_occurring_factors(snapshot: Snapshot, ctx: ChartContext) -> Drawn:
    """Among false-confession exonerations, the share that also carry each other factor."""
    data = TABLES["co_occurring"](snapshot.view)
    if data["n"].max() == 0:
        raise ChartUnavailable("no false-confession exonerations in the table")
    shown = data.assign(_s=data["share"].map(num)).sort_values("_s", ascending=False, kind="stable").drop(columns="_s")
    top = shown.iloc[0]
    n = int(top["n"])
    title = (f"{cap(share_words(top['share']))} false-confession exonerations also involved "
             f"{str(top['group'])[0].lower()}{str(top['group'])[1:]}")
    subtitle = (f"Share of the {n:,} false-confession exonerations since 1989 that also carry each factor. "
                "Lines show 95% confidence intervals.")
    notes = []
    unknown = shown[shown["unknown"] > 0] if "unknown" in shown else shown.iloc[0:0]
    if len(unknown):
        notes.append("Not coded either way (counted as absent): " + ", ".join(
            f"{r['group'].lower()} {int(r['unknown']):,}" for _, r in unknown.iterrows()) + ".")
    fig = new_figure(0.78)
    ax = fig.add_subplot()
    colours = [ctx.theme.accent if i == 0 else ctx.theme.accent_light for i in range(len(shown))]
    hbars(ax, shown, colours, value_labels=[f"{pct(r['share'])} ({int(r['k']):,})" for _, r in shown.iterrows()])
    body = f"Of {n:,} false-confession exonerations: " + listing(
        [f"{r['group']} {pct1(r['share'])} ({k_of_n(r['k'], r['n'])})" for _, r in shown.iterrows()]) + "."
    return Drawn(fig, data, title, subtitle, notes, body, [pct1(top["share"])])
