"""Share of false-confession exonerees who were under 18 at the crime, by decade of exoneration.

The title compares two periods declared here, never the peak: the **first** decade with at least
:data:`MIN_NAMED_FC` false confessions against the **latest** such decade (which may still be under way: a note
says so), through :func:`analysis.analyse.wording.change_phrase` ("rose"/"fell" only when the interval of the
difference excludes zero).
"""

from __future__ import annotations

from analysis.analyse.tables import TABLES
from analysis.analyse.wording import change_phrase, k_of_n, listing, pct1
from analysis.charts.draw import vbars
from analysis.charts.registry import ChartContext, ChartUnavailable, Drawn, chart
from analysis.charts.style import new_figure
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
    first, latest = named.iloc[0], named.iloc[-1]
    s = latest["share_juvenile_among_fc"]
    if first["group"] == latest["group"]:
        title = (f"In the {latest['group']}, {pct1(s)} of false-confession exonerees were under 18 at the time of "
                 "the crime")
    else:
        change = change_phrase(int(first["k_juvenile_fc"]), int(first["n_fc"]), int(latest["k_juvenile_fc"]),
                               int(latest["n_fc"]), before=f"in the {first['group']}",
                               after=f"in the {latest['group']}")
        title = f"The share of false-confession exonerees who were under 18 at the time of the crime {change}"
    subtitle = ("Share of false-confession exonerations in which the exoneree was under 18 at the time of the "
                "crime, by decade of exoneration. Lines show 95% confidence intervals.")
    notes = [f"Compared: the first and the latest decade with at least {MIN_NAMED_FC} false confessions "
             f"({first['group']}: {k_of_n(first['k_juvenile_fc'], first['n_fc'])}; {latest['group']}: "
             f"{k_of_n(latest['k_juvenile_fc'], latest['n_fc'])}). Age unknown counts as not under 18."]
    if snapshot.date and str(latest["group"]) == f"{snapshot.date.year // 10 * 10}s":
        notes.append(f"The {latest['group']} run to the data date ({snapshot.date.year} is a partial year).")
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
    summary = "By decade: " + listing([f"{r['group']} {pct1(r['share_juvenile_among_fc'])}"
                                       for _, r in data.iterrows()]) + "."
    return Drawn(fig, data, title, subtitle, notes, body, [pct1(s)], summary=summary)
