"""Years lost, false confessors against everyone else, with the placeholder zeros shown apart (seaborn).

Bands from ``TABLES["years_lost_distribution"]`` (:func:`analysis.analyse.durations.years_lost_distribution`): a
record whose release date is missing or a placeholder (:func:`analysis.analyse.time_lost.placeholder_release`) is
drawn as its own bar left of the axis, never as zero years lost. Drawn with seaborn's ``histplot`` from the
aggregated bands (weights), so the figure shows exactly the table.
"""

from __future__ import annotations

import seaborn as sns

from analysis.analyse.tables import TABLES
from analysis.analyse.wording import cap, count_noun, k_of_n, listing, num, pct, share_phrase
from analysis.charts.draw import percent_axis
from analysis.charts.registry import ChartContext, ChartUnavailable, Drawn, chart
from analysis.charts.style import LABEL_PT, SMALL_PT, new_figure
from analysis.snapshot import Snapshot

GROUPS = ("False confession", "No false confession")
THRESHOLD = 10.0
PLACEHOLDER_X = -4.0


def _beyond(part) -> tuple[int, int]:  # noqa: ANN001 - the bands of one group
    """(records with more than ``THRESHOLD`` years, records with a real value: placeholders left out)."""
    real = part[part["band"] != "placeholder"]
    return int(real.loc[real["years_from"].map(num) >= THRESHOLD, "k"].sum()), int(real["k"].sum())


@chart("years-lost-distribution", kind="Two histograms", table="years_lost_distribution")
def years_lost_distribution(snapshot: Snapshot, ctx: ChartContext) -> Drawn:
    """Years lost in two-year bands, false confession or not, placeholder zeros apart."""
    data = TABLES["years_lost_distribution"](snapshot.view)
    parts = {g: data[data["fc_group"] == g] for g in GROUPS}
    if any(p.empty or int(p["n"].iloc[0]) == 0 for p in parts.values()):
        raise ChartUnavailable("years lost are not known for one of the groups")
    beyond = {g: _beyond(p) for g, p in parts.items()}
    words = {g: share_phrase(k / n if n else float("nan"), k=k, n=n) for g, (k, n) in beyond.items()}
    title = (f"Among exonerees since 1989, {words[GROUPS[0]]} of those who falsely confessed lost {THRESHOLD:g} years "
             f"or more to a wrongful conviction, against {words[GROUPS[1]]} of the others")
    subtitle = ("Years from conviction to release, share of each group in two-year bands. Records whose release "
                "date is missing or a placeholder (release = conviction under a custodial sentence) are shown apart, "
                "not as zero years.")
    placeholders = {g: int(p.loc[p["band"] == "placeholder", "k"].iloc[0]) for g, p in parts.items()}
    notes = [f"Placeholder zeros: {count_noun(placeholders[GROUPS[0]], 'record')} with a false confession, "
             f"{count_noun(placeholders[GROUPS[1]], 'record')} without; left out of the shares in the title "
             f"({k_of_n(*beyond[GROUPS[0]])} and {k_of_n(*beyond[GROUPS[1]])})."]
    fig = new_figure(0.75)
    theme = ctx.theme
    axes = fig.subplots(2, 1, sharex=True, sharey=True)
    edges = [float(x) for x in range(0, 44, 2)]
    for ax, group, colour in zip(axes, GROUPS, (theme.accent, theme.grey), strict=True):
        part = parts[group]
        real = part[part["band"] != "placeholder"].assign(x=lambda d: d["years_from"].map(num),
                                                          w=lambda d: d["share"].map(num))
        sns.histplot(data=real, x="x", weights="w", bins=edges, ax=ax, color=colour, alpha=1.0, edgecolor="none",
                     shrink=0.92)
        ph = part[part["band"] == "placeholder"].iloc[0]
        ax.bar([PLACEHOLDER_X], [num(ph["share"])], width=1.8, color=theme.grey_light, hatch="///",
               edgecolor=theme.muted, linewidth=0)
        ax.text(PLACEHOLDER_X, num(ph["share"]), f"{pct(ph['share'])}", ha="center", va="bottom",
                fontsize=SMALL_PT - 0.5, color=theme.text)
        ax.text(0.99, 0.95, group if group == GROUPS[0] else "Other exonerations", transform=ax.transAxes,
                ha="right", va="top", fontsize=LABEL_PT, fontweight="bold",
                color=colour if group == GROUPS[0] else theme.text)
        ax.set_ylabel("")
        percent_axis(ax, "y")
    axes[1].set_xlim(PLACEHOLDER_X - 1.2, edges[-1])
    ticks = [0, 5, 10, 15, 20, 25, 30, 35]
    axes[1].set_xticks([PLACEHOLDER_X, *ticks, edges[-1] - 1], ["place-\nholder", *map(str, ticks), "40+"])
    axes[1].set_xlabel("Years lost")
    body = (f"{cap(words[GROUPS[0]])} of false confessors ({k_of_n(*beyond[GROUPS[0]])}) and {words[GROUPS[1]]} of "
            f"other exonerees ({k_of_n(*beyond[GROUPS[1]])}) lost {THRESHOLD:g} years or more. {notes[0]}")
    body += " " + " ".join(f"{group}, share in each band: " + listing(
        [f"{r['band']} {pct(r['share'])} ({int(r['k']):,})" for _, r in parts[group].iterrows()]) + "."
        for group in GROUPS)
    summary = (f"{THRESHOLD:g} years or more: {k_of_n(*beyond[GROUPS[0]])} false confessors, "
               f"{k_of_n(*beyond[GROUPS[1]])} others.")
    return Drawn(fig, data, title, subtitle, notes, body, [k_of_n(*beyond[GROUPS[0]]), k_of_n(*beyond[GROUPS[1]])],
                 summary=summary)
