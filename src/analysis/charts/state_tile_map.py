"""A tile grid map of the states: colour = false-confession share, label = false confessions of all."""

from __future__ import annotations

import numpy as np
from matplotlib.patches import Rectangle

from analysis.analyse.rates import wilson_interval
from analysis.analyse.tables import TABLES
from analysis.analyse.wording import compare_phrase, k_of_n, listing, num, pct1, row_text
from analysis.charts.draw import share_of
from analysis.charts.registry import ChartContext, ChartUnavailable, Drawn, chart
from analysis.charts.style import SMALL_PT, current_size, new_figure
from analysis.snapshot import Snapshot

# Hand-placed tile grid: (column, row) for 50 states, DC and Puerto Rico; row 0 at the top.
TILE_GRID: dict[str, tuple[int, int]] = {
    "AK": (0, 0), "ME": (10, 0), "VT": (9, 1), "NH": (10, 1),
    "WA": (0, 2), "ID": (1, 2), "MT": (2, 2), "ND": (3, 2), "MN": (4, 2), "IL": (5, 2), "WI": (6, 2), "MI": (7, 2),
    "NY": (8, 2), "RI": (9, 2), "MA": (10, 2),
    "OR": (0, 3), "NV": (1, 3), "WY": (2, 3), "SD": (3, 3), "IA": (4, 3), "IN": (5, 3), "OH": (6, 3), "PA": (7, 3),
    "NJ": (8, 3), "CT": (9, 3),
    "CA": (0, 4), "UT": (1, 4), "CO": (2, 4), "NE": (3, 4), "MO": (4, 4), "KY": (5, 4), "WV": (6, 4), "VA": (7, 4),
    "MD": (8, 4), "DE": (9, 4),
    "AZ": (1, 5), "NM": (2, 5), "KS": (3, 5), "AR": (4, 5), "TN": (5, 5), "NC": (6, 5), "SC": (7, 5), "DC": (8, 5),
    "OK": (3, 6), "LA": (4, 6), "MS": (5, 6), "AL": (6, 6), "GA": (7, 6), "HI": (0, 7), "TX": (3, 7), "FL": (8, 7),
    "PR": (10, 7),
}
SHARE_CLASSES = (0.0, 0.05, 0.10, 0.15, 0.20)
"""Lower bounds of the colour classes (the last is open-ended)."""
MIN_STATE_N = 10


@chart("state-tile-map", kind="Tile grid map of US states", table="state")
def state_tile_map(snapshot: Snapshot, ctx: ChartContext) -> Drawn:
    """A tile grid map of the states: colour = false-confession share, label = false confessions of all."""
    full = TABLES["state"](snapshot.view)
    drawn = full["state_abbr"].isin(list(TILE_GRID)).fillna(False).astype(bool)
    data, hidden = full[drawn].reset_index(drop=True), full[~drawn & (full["n"] > 0)]
    if data.empty:
        raise ChartUnavailable("no state is known for these exonerations")
    total_k, total_n = int(full["k"].sum()), int(full["n"].sum())
    top = data.sort_values(["k", "n"], ascending=[False, True]).iloc[0]
    if total_k == 0:
        raise ChartUnavailable("no false-confession exonerations in the table")
    low, high = wilson_interval(int(top["k"]), total_k)
    title = (f"{top['state']} accounts for "
             f"{share_of('false-confession exonerations', top['k'] / total_k, low, high, start=False)}: "
             f"{k_of_n(top['k'], total_k)}")
    national = wilson_interval(total_k, total_n)
    against = compare_phrase(num(top["ci_low"]), num(top["ci_high"]), *national,
                             f"the {pct1(total_k / total_n)} of all states together")
    subtitle = (f"{top['state']}'s own false-confession share, {pct1(top['share'])} "
                f"({k_of_n(top['k'], top['n'])}), is {against}. Share of each state's exonerations since 1989 in "
                "which the exoneree falsely confessed. Labels: false confessions / all exonerations.")
    notes = ["Federal cases are counted in the state of their district. Each tile is one state, not to scale."]
    if len(hidden):
        notes.append("Not shown: " + ", ".join(f"{r['group']} ({k_of_n(r['k'], r['n'])})"
                                              for _, r in hidden.iterrows()) + ".")
    theme, ramp = ctx.theme, list(ctx.theme.ramp)
    fig = new_figure(1.04)
    ax = fig.add_axes((0, 0, 1, 1))
    by_abbr = {r["state_abbr"]: r for _, r in data.iterrows()}
    count_pt = SMALL_PT - (3.0 if current_size().square else 2.2)
    for abbr, (col, row) in TILE_GRID.items():
        r = by_abbr.get(abbr)
        n = int(r["n"]) if r is not None else 0
        if n >= MIN_STATE_N:
            fill = ramp[max(0, int(np.searchsorted(SHARE_CLASSES, num(r["share"]), side="right")) - 1)]
        else:
            fill = theme.grey_light
        ax.add_patch(Rectangle((col + 0.04, -row + 0.04), 0.92, 0.92, facecolor=fill, edgecolor="none"))
        ink = theme.ink_on(fill)
        ax.text(col + 0.5, -row + 0.63, abbr, ha="center", va="center", fontsize=SMALL_PT, fontweight="bold",
                color=ink)
        label = f"{int(r['k'])}/{n}" if r is not None else "0/0"
        ax.text(col + 0.5, -row + 0.3, label, ha="center", va="center", fontsize=count_pt, color=ink)
    # legend in the empty top rows of the grid (between Alaska and Maine)
    ax.text(1.5, 0.92, "Share with a false confession", ha="left", va="top", fontsize=SMALL_PT - 0.5,
            color=theme.muted)
    for i, (bound, colour) in enumerate(zip(SHARE_CLASSES, ramp, strict=True)):
        ax.add_patch(Rectangle((1.5 + i, 0.3), 1.0, 0.3, facecolor=colour, edgecolor=theme.background, linewidth=0.8))
        label = f"{round(bound * 100)}%" + ("+" if i == len(SHARE_CLASSES) - 1 else "")
        ax.text(1.5 + i, 0.22, label, ha="center" if i else "left", va="top", fontsize=SMALL_PT - 1, color=theme.text)
    ax.add_patch(Rectangle((1.5, -0.75), 0.5, 0.3, facecolor=theme.grey_light, edgecolor="none"))
    ax.text(2.1, -0.6, f"Fewer than {MIN_STATE_N} exonerations", ha="left", va="center", fontsize=SMALL_PT - 1,
            color=theme.text)
    ax.set_xlim(-0.05, 11.05)
    ax.set_ylim(-7.05, 1.0)
    ax.set_aspect("equal")
    ax.axis("off")
    ranked = data[data["n"] >= MIN_STATE_N].assign(_s=lambda d: d["share"].map(num)).sort_values(
        "_s", ascending=False)
    body = (f"{top['state']}: {k_of_n(top['k'], top['n'])} exonerations involved a false confession "
            f"({pct1(top['share'])}). Highest shares among states with at least {MIN_STATE_N} exonerations: "
            + listing([row_text(r) for _, r in ranked.head(5).iterrows()]) + ". Lowest: "
            + listing([row_text(r) for _, r in ranked.tail(3).iloc[::-1].iterrows()]) + ".")
    return Drawn(fig, data, title, subtitle, notes, body, [str(int(top["k"])), pct1(top["share"])], fit=ax)
