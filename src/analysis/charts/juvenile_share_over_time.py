"""Share of false-confession exonerees who were under 18 at the crime, by decade of exoneration."""

from __future__ import annotations

from analysis.analyse.tables import TABLES
from analysis.charts.draw import vbars
from analysis.charts.registry import ChartContext, ChartUnavailable, Drawn, chart
from analysis.charts.style import new_figure
from analysis.charts.words import cap, k_of_n, listing, num, pct, pct1, share_words
from analysis.snapshot import Snapshot

MIN_DECADE_FC = 10
"""Decades with fewer false confessions than this are not drawn (listed in a note)."""
MIN_NAMED_FC = 20
"""Decades with fewer false confessions than this are drawn pale and never named in the title."""
COLUMNS = ["group", "n_fc", "k_juvenile_fc", "share_juvenile_among_fc", "ci_low_juvenile_among_fc",
           "ci_high_juvenile_among_fc"]


@chart("juvenile-share-over-time", kind="Column chart", table="juvenile_by_decade")
def juvenile_share_over_time(snapshot: Snapshot, ctx: ChartContext) -> Drawn:
    """Share of false-confession exonerees who were under 18 at the crime, by decade of exoneration."""
    full = TABLES["juvenile_by_decade"](snapshot.view)
    small = full[(full["n_fc"] > 0) & (full["n_fc"] < MIN_DECADE_FC)]
    data = full.loc[full["n_fc"] >= MIN_DECADE_FC, COLUMNS].reset_index(drop=True)
    named = data[data["n_fc"] >= MIN_NAMED_FC]
    if named.empty:
        raise ChartUnavailable("too few false-confession exonerations per decade")
    latest = named.iloc[-1]
    s = num(latest["share_juvenile_among_fc"])
    title = (f"{cap(share_words(s))} false confessors exonerated in the {latest['group']} were under 18 at the "
             "time of the crime")
    peak = named.loc[named["share_juvenile_among_fc"].map(num).idxmax()]
    if peak["group"] != latest["group"] and num(peak["share_juvenile_among_fc"]) - s >= 0.05:
        title += f", down from {pct(peak['share_juvenile_among_fc'])} in the {peak['group']}"
    elif len(named) > 1 and s - num(named.iloc[0]["share_juvenile_among_fc"]) >= 0.05:
        title += f", up from {pct(named.iloc[0]['share_juvenile_among_fc'])} in the {named.iloc[0]['group']}"
    subtitle = ("Share of false-confession exonerations in which the exoneree was under 18 at the time of the "
                "crime, by decade of exoneration. Lines show 95% confidence intervals.")
    notes = ["Age unknown counts as not under 18."]
    if len(small):
        notes.append(f"Not shown (fewer than {MIN_DECADE_FC} false confessions): " + ", ".join(
            f"{r['group']}{' (1989 only)' if r['group'] == '1980s' else ''}: {k_of_n(r['k_juvenile_fc'], r['n_fc'])}"
            for _, r in small.iterrows()) + ".")
    fig = new_figure(0.66)
    ax = fig.add_subplot()
    colours = [ctx.theme.accent if n >= MIN_NAMED_FC else ctx.theme.accent_light for n in data["n_fc"]]
    vbars(ax, data, colours, k="k_juvenile_fc", n="n_fc", share="share_juvenile_among_fc",
          ci_low="ci_low_juvenile_among_fc", ci_high="ci_high_juvenile_among_fc", width=0.6, headroom=1.12)
    body = "Juveniles among false confessors by decade of exoneration: " + listing([
        f"{r['group']} {pct1(r['share_juvenile_among_fc'])} ({k_of_n(r['k_juvenile_fc'], r['n_fc'])})"
        for _, r in data.iterrows()]) + "."
    return Drawn(fig, data, title, subtitle, notes, body, [pct1(s)])
