"""A tile grid map of the states: colour = the share of each state's exonerations since 1989 with a false
confession (the measure the title, the legend and ``data.csv`` state), label = false confessions of all.

States with fewer than :data:`SMALL_STATE_N` exonerations are not coloured by their share: their tile is hatched and
outlined, the legend says why, and ``data.csv`` flags them (``small_n``). ``data.csv`` rows follow the tiles, top to
bottom and left to right (:data:`TILE_GRID`); each tile is ``tile-<abbr>`` in the SVG.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.patches import Rectangle

from analysis.analyse.rates import wilson_interval
from analysis.analyse.tables import TABLES
from analysis.analyse.wording import cap, compare_phrase, k_of_n, listing, num, pct1, row_text
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
"""Lower bounds of the colour classes of the share (the last is open-ended)."""
SMALL_STATE_N = 20
"""States with fewer exonerations since 1989 than this have their share marked as not shown (hatched tile, legend
note, ``small_n`` in data.csv): below 20 records a share's 95% interval is about 40 points wide, wider than every
colour class together."""
MEASURE = "share of exonerations since 1989 with a false confession"
"""What the colour measures, as the legend states it."""


def share_class(share: float) -> int:
    """Index of the colour class of ``share`` (:data:`SHARE_CLASSES`)."""
    return max(0, int(np.searchsorted(SHARE_CLASSES, share, side="right")) - 1)


def in_tile_order(frame: pd.DataFrame) -> pd.DataFrame:
    """The rows of ``frame`` (a ``state_abbr`` column, every one in :data:`TILE_GRID`) top to bottom, left to
    right as the tiles are drawn."""
    position = frame["state_abbr"].map(lambda a: TILE_GRID[a][1] * 100 + TILE_GRID[a][0])
    return frame.assign(_at=position).sort_values("_at", kind="stable").drop(columns="_at").reset_index(drop=True)


@chart("state-tile-map", kind="Tile grid map of US states", table="state")
def state_tile_map(snapshot: Snapshot, ctx: ChartContext) -> Drawn:
    """A tile grid map of the states: colour = each state's false-confession share, label = false confessions of
    all; the title names the state with the most false confessions by the same share."""
    full = TABLES["state"](snapshot.view)
    drawn = full["state_abbr"].isin(list(TILE_GRID)).fillna(False).astype(bool)
    data, hidden = full[drawn].reset_index(drop=True), full[~drawn & (full["n"] > 0)]
    if data.empty:
        raise ChartUnavailable("no state is known for these exonerations")
    total_k, total_n = int(full["k"].sum()), int(full["n"].sum())
    if total_k == 0:
        raise ChartUnavailable("no false-confession exonerations in the table")
    data = in_tile_order(data).assign(small_n=lambda d: d["n"] < SMALL_STATE_N)
    top = data.sort_values(["k", "n"], ascending=[False, True]).iloc[0]
    national = wilson_interval(total_k, total_n)
    against = compare_phrase(num(top["ci_low"]), num(top["ci_high"]), *national,
                             f"the {pct1(total_k / total_n)} of all states together")
    noun = f"exonerations in {top['state']} since 1989"
    title = f"{share_of(noun, top['share'], top['ci_low'], top['ci_high'])} involved a false confession, {against}"
    subtitle = (f"Colour: the {MEASURE} in each state. {top['state']} has the most false-confession exonerations: "
                f"{k_of_n(top['k'], total_k)} in all states. Labels: false confessions / all exonerations.")
    notes = [f"Hatched: fewer than {SMALL_STATE_N} exonerations, share not shown. Federal cases are counted in the "
             "state of their district. Each tile is one state, not to scale."]
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
        if n >= SMALL_STATE_N:
            fill = ramp[share_class(num(r["share"]))]
            tile = Rectangle((col + 0.04, -row + 0.04), 0.92, 0.92, facecolor=fill, edgecolor="none")
        else:  # share not shown: hatched and outlined on the background
            fill = theme.background
            tile = Rectangle((col + 0.07, -row + 0.07), 0.86, 0.86, facecolor=fill, edgecolor=theme.grey,
                             linewidth=1.0, hatch="//")
        tile.set_gid(f"tile-{abbr}")
        ax.add_patch(tile)
        ink = theme.ink_on(fill)
        ax.text(col + 0.5, -row + 0.63, abbr, ha="center", va="center", fontsize=SMALL_PT, fontweight="bold",
                color=ink)
        label = f"{int(r['k'])}/{n}" if r is not None else "0/0"
        ax.text(col + 0.5, -row + 0.3, label, ha="center", va="center", fontsize=count_pt, color=ink)
    # legend in the empty top rows of the grid (between Alaska and Maine)
    ax.text(1.5, 0.92, cap(MEASURE), ha="left", va="top", fontsize=SMALL_PT - 0.5, color=theme.muted)
    for i, (bound, colour) in enumerate(zip(SHARE_CLASSES, ramp, strict=True)):
        key = Rectangle((1.5 + i, 0.3), 1.0, 0.3, facecolor=colour, edgecolor=theme.background, linewidth=0.8)
        key.set_gid(f"legend-class-{i}")
        ax.add_patch(key)
        label = f"{round(bound * 100)}%" + ("+" if i == len(SHARE_CLASSES) - 1 else "")
        ax.text(1.5 + i, 0.22, label, ha="center" if i else "left", va="top", fontsize=SMALL_PT - 1, color=theme.text)
    key = Rectangle((1.5, -0.75), 0.5, 0.3, facecolor=theme.background, edgecolor=theme.grey, linewidth=1.0,
                    hatch="//")
    key.set_gid("legend-small-n")
    ax.add_patch(key)
    ax.text(2.1, -0.6, f"Fewer than {SMALL_STATE_N} exonerations: share not shown", ha="left", va="center",
            fontsize=SMALL_PT - 1, color=theme.text)
    ax.set_xlim(-0.05, 11.05)
    ax.set_ylim(-7.05, 1.0)
    ax.set_aspect("equal")
    ax.axis("off")
    ranked = data[~data["small_n"]].assign(_s=lambda d: d["share"].map(num)).sort_values("_s", ascending=False)
    small = data[data["small_n"]]
    body = (f"Colour: the {MEASURE} in each state. {top['state']}: {k_of_n(top['k'], top['n'])} exonerations "
            f"involved a false confession ({pct1(top['share'])}). Highest shares among states with at least "
            f"{SMALL_STATE_N} exonerations: " + listing([row_text(r) for _, r in ranked.head(5).iterrows()])
            + ". Lowest: " + listing([row_text(r) for _, r in ranked.tail(3).iloc[::-1].iterrows()])
            + ". Every state, top to bottom and left to right: " + listing([row_text(r) for _, r in ranked.assign(
                _at=ranked.index).sort_values("_at").iterrows()]) + "."
            + (f" Fewer than {SMALL_STATE_N} exonerations (share not shown): "
               + listing([f"{r['group']} ({k_of_n(r['k'], r['n'])})" for _, r in small.iterrows()]) + "."
               if len(small) else ""))
    summary = (f"{top['state']}: {pct1(top['share'])} ({k_of_n(top['k'], top['n'])}); all states: "
               f"{pct1(total_k / total_n)} ({k_of_n(total_k, total_n)}).")
    return Drawn(fig, data, title, subtitle, notes, body, [str(int(top["k"])), pct1(top["share"])], fit=ax,
                 summary=summary)
