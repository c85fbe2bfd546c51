"""False-confession share among DNA exonerations in every stored snapshot (``ctx.history``)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.analyse.reconcile import IP_CLAIM
from analysis.analyse.wording import k_of_n, listing, month_year, num, pct, pct1
from analysis.charts.draw import percent_axis
from analysis.charts.registry import ChartContext, ChartUnavailable, Drawn, chart
from analysis.charts.style import SMALL_PT, new_figure
from analysis.snapshot import Snapshot, Source


@chart("dna-fc-share-history", kind="Line chart", table="history")
def dna_fc_share_history(snapshot: Snapshot, ctx: ChartContext) -> Drawn:
    """False-confession share among DNA exonerations in every stored snapshot (``ctx.history``)."""
    history = ctx.history
    if history is None or len(history) == 0:
        raise ChartUnavailable("no history across snapshots was given (ctx.history)")
    sources = dict(zip(history.index, (Source.from_json(r) for r in history.to_dict("records")), strict=True))
    undated = history[[sources[i].date is None for i in history.index]]
    keep = [i for i in history.index if sources[i].date is not None and history.at[i, "n_dna"] > 0]
    if not keep:
        raise ChartUnavailable("no dated snapshot with DNA exonerations in the history")
    dated = history.loc[keep].assign(snapshot_date=[sources[i].iso for i in keep])
    dated = dated.sort_values(["snapshot_date", "snapshot_id"])
    when = [sources[i] for i in dated.index]  # the Source of each point, oldest first
    dated = dated.reset_index(drop=True)
    first, last = dated.iloc[0], dated.iloc[-1]
    start, end = month_year(when[0].date), month_year(when[-1].date)
    change = num(last["share"]) - num(first["share"])
    what = "The false-confession share of DNA exonerations"
    if len(dated) == 1:
        title = f"{what} was {pct(last['share'])} in {end}"
    elif abs(change) < 0.01:
        title = f"{what} has held at about {pct(last['share'])} from {start} to {end}"
    else:
        verb = "rose" if change > 0 else "fell"
        title = f"{what} {verb} from {pct(first['share'])} in {start} to {pct(last['share'])} in {end}"
    subtitle = ("Share of DNA exonerations since 1989 in which the exoneree falsely confessed, in each stored "
                "snapshot of the registry. Lines show 95% confidence intervals.")
    notes = ["Each point is the registry as exported on that date; DNA means DNA evidence contributed to the "
             f"exoneration. Dashed line: the Innocence Project's {pct(IP_CLAIM)} (September 2017)."]
    if len(undated):
        notes.append(f"Not shown (no export date): {', '.join(map(str, undated['snapshot_id']))}.")
    fig = new_figure(0.7)
    ax = fig.add_subplot()
    theme = ctx.theme
    x = pd.to_datetime(dated["snapshot_date"]).to_numpy()
    shares = dated["share"].map(num).to_numpy()
    lows, highs = dated["ci_low"].map(num).to_numpy(), dated["ci_high"].map(num).to_numpy()
    ax.vlines(x, lows, highs, color=theme.accent_light, linewidth=5, zorder=2)
    ax.plot(x, shares, color=theme.accent, marker="o", markersize=6, zorder=3)
    ax.axhline(IP_CLAIM, color=theme.reference, linestyle=(0, (3, 2)), linewidth=1, zorder=1)
    ax.text(x[0], IP_CLAIM, f"Innocence Project: {pct(IP_CLAIM)}", va="bottom", ha="left", fontsize=SMALL_PT,
            color=theme.muted)
    for i in {0, len(dated) - 1}:
        ax.annotate(f"{pct(shares[i])}\n{k_of_n(dated['k_fc_dna'][i], dated['n_dna'][i])}", (x[i], lows[i]),
                    xytext=(0, -6), textcoords="offset points", ha="center", va="top", fontsize=SMALL_PT,
                    color=theme.text)
    top = max(IP_CLAIM, float(np.nanmax(highs))) * 1.18
    percent_axis(ax, "y", top)
    ax.set_ylim(0, top)
    pad = pd.Timedelta(days=300)
    ax.set_xlim(x[0] - pad, x[-1] + pad)
    body = "Share by snapshot: " + listing([
        f"{source.date_text}: {pct1(r['share'])} ({k_of_n(r['k_fc_dna'], r['n_dna'])})"
        for source, (_, r) in zip(when, dated.iterrows(), strict=True)]) + "."
    return Drawn(fig, dated, title, subtitle, notes, body, [pct1(first["share"]), pct1(last["share"])])
