"""False-confession share by crime category, with the share across all crimes for reference."""

from __future__ import annotations

from analysis.analyse.tables import TABLES
from analysis.analyse.wording import k_of_n, listing, num, pct, pct1, row_text
from analysis.charts.draw import hbars, share_of
from analysis.charts.registry import ChartContext, ChartUnavailable, Drawn, chart
from analysis.charts.style import SMALL_PT, new_figure
from analysis.snapshot import Snapshot

MIN_N = 30
"""Categories smaller than this are drawn but never named in the title (their share is too uncertain)."""


@chart("fc-by-crime", kind="Horizontal bar chart", table="crime_category")
def fc_by_crime(snapshot: Snapshot, ctx: ChartContext) -> Drawn:
    """False-confession share by crime category, with the share across all crimes for reference."""
    data = TABLES["crime_category"](snapshot.view)
    overall_table = TABLES["overall"](snapshot.view)
    if overall_table.empty:
        raise ChartUnavailable("no exonerations since 1989 in this view")
    overall = overall_table.iloc[0]
    shown = data[data["n"] > 0].assign(_s=lambda d: d["share"].map(num)).sort_values(
        ["_s", "n"], ascending=[False, False]).drop(columns="_s")
    named = shown[shown["n"] >= MIN_N]
    if named.empty:
        raise ChartUnavailable("no crime category has enough exonerations to chart")
    # the category named in the title: the highest lower interval bound (high and well measured)
    top = named.loc[named["ci_low"].map(num).idxmax()]
    noun = f"{str(top['group']).lower()} exonerations"
    title = f"{share_of(noun, top['share'], top['ci_low'], top['ci_high'])} involved a false confession"
    subtitle = ("Share of exonerations since 1989 in which the exoneree falsely confessed, by the most serious "
                "crime of conviction. Lines show 95% confidence intervals.")
    notes = [f"{top['group']}: {pct1(top['share'])} ({k_of_n(top['k'], top['n'])}). Across all crimes: "
             f"{pct1(overall['share'])} ({k_of_n(overall['k'], overall['n'])}). Labels give false confessions of "
             "all exonerations in each category."]
    fig = new_figure(0.9)
    ax = fig.add_subplot()
    colours = [ctx.theme.accent if g == top["group"] else ctx.theme.accent_light for g in shown["group"]]
    hbars(ax, shown, colours, value_labels=[f"{pct(r['share'])}  {k_of_n(r['k'], r['n'])}"
                                            for _, r in shown.iterrows()])
    ax.axvline(num(overall["share"]), color=ctx.theme.reference, linestyle=(0, (3, 2)), linewidth=1, zorder=4)
    ax.text(num(overall["share"]), len(shown) - 0.45, f" All crimes: {pct(overall['share'])}", va="bottom",
            ha="left", fontsize=SMALL_PT, color=ctx.theme.muted)
    body = ("False-confession share by crime: " + listing([row_text(r) for _, r in shown.iterrows()])
            + f". All crimes: {pct1(overall['share'])} ({k_of_n(overall['k'], overall['n'])}).")
    summary = (f"{top['group']}: {pct1(top['share'])} ({k_of_n(top['k'], top['n'])}); all crimes: "
               f"{pct1(overall['share'])} ({k_of_n(overall['k'], overall['n'])}).")
    return Drawn(fig, shown, title, subtitle, notes, body, [pct1(top["share"]), pct1(overall["share"])],
                 summary=summary)
