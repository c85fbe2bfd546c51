"""The DNA false-confession share at the end of every year since 1992, backcast from the snapshot with today's
coding (:func:`analysis.analyse.history.year_end_history`), with the stored snapshots (``ctx.history``) drawn on
it at their own dates, each with its own coding."""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.analyse.history import SMALL_N, START_YEAR, year_end_history
from analysis.analyse.reconcile import IP_CLAIM
from analysis.analyse.wording import change_phrase, count_noun, k_of_n, listing, month_year, num, pct, pct1
from analysis.charts.draw import interval_band, percent_axis
from analysis.charts.registry import ChartContext, ChartUnavailable, Drawn, chart
from analysis.charts.style import SMALL_PT, new_figure
from analysis.snapshot import Snapshot, Source

FROM_YEAR = 2012
"""The fixed year the title compares the latest share with: the end of the registry's first public year."""
DATA_COLUMNS = ["series", "date", "year", "snapshot_id", "n_dna", "k_fc_dna", "share", "ci_low", "ci_high",
                "small_n", "undated"]
BACKCAST = "year end, backcast with today's coding"
STORED = "stored snapshot, its own coding"


def _snapshots(history: pd.DataFrame) -> pd.DataFrame:
    """The dated stored snapshots with DNA exonerations, oldest first, as chart rows."""
    sources = [Source.from_json(r) for r in history.to_dict("records")]
    rows = [{"series": STORED, "date": s.iso, "year": s.date.year, "snapshot_id": s.id, "n_dna": int(r["n_dna"]),
             "k_fc_dna": int(r["k_fc_dna"]), "share": num(r["share"]), "ci_low": num(r["ci_low"]),
             "ci_high": num(r["ci_high"]), "small_n": int(r["n_dna"]) < SMALL_N, "undated": 0}
            for s, r in zip(sources, history.to_dict("records"), strict=True) if s.date and int(r["n_dna"]) > 0]
    return pd.DataFrame(rows, columns=DATA_COLUMNS).sort_values(["date", "snapshot_id"], kind="stable")


@chart("dna-fc-share-history", kind="Line chart", table="history")
def dna_fc_share_history(snapshot: Snapshot, ctx: ChartContext) -> Drawn:
    """The DNA false-confession share at each year's end (backcast, 95% band) and in each stored snapshot."""
    history = ctx.history
    if history is None:
        raise ChartUnavailable("no history across snapshots was given (ctx.history)")
    years = year_end_history(snapshot)
    years = years[years["n_dna"] > 0]
    if years.empty:
        raise ChartUnavailable("no DNA exonerations can be placed in time in this snapshot")
    stored = _snapshots(history)
    data = pd.concat([years.assign(series=BACKCAST, date=years["as_of"], snapshot_id="")[DATA_COLUMNS], stored],
                     ignore_index=True)
    last = years.iloc[-1]
    base = years[years["year"] == FROM_YEAR]
    if base.empty or base["n_dna"].iloc[0] < SMALL_N:
        base = years[years["n_dna"] >= SMALL_N].head(1)
    day = pd.Timestamp(last["as_of"]).date()
    what = "The false-confession share of DNA exonerations"
    if len(base) and int(base["year"].iloc[0]) != int(last["year"]):
        b = base.iloc[0]
        title = (f"{what} " + change_phrase(int(b["k_fc_dna"]), int(b["n_dna"]), int(last["k_fc_dna"]),
                                            int(last["n_dna"]), before=f"at the end of {int(b['year'])}",
                                            after=f"in {month_year(day)}"))
    else:
        title = f"{what} was {pct1(last['share'])} in {month_year(day)}"
    subtitle = ("Share of DNA exonerations since 1989 in which the exoneree falsely confessed, as the registry stood "
                f"at the end of each year from {START_YEAR} (records it held then, with today's coding; band: 95% "
                "confidence interval), and in each stored snapshot (dots, their own coding).")
    small = years[years["small_n"]]
    notes = ["A record counts from its posting date; the registry's opening list (its first year of postings) from "
             "the exoneration date."
             + (f" Dotted: fewer than {SMALL_N} DNA exonerations ({', '.join(map(str, small['year']))})."
                if len(small) else "")
             + (f" Left out of every year: {count_noun(int(last['undated']), 'DNA exoneration')} with no date to "
                "place in time." if last["undated"] else "")
             + f" Dashed line: the Innocence Project's {pct(IP_CLAIM)} (September 2017)."]
    undated = [s.id for s in (Source.from_json(r) for r in history.to_dict("records")) if s.date is None]
    if undated:
        notes.append(f"Not shown (no export date): {', '.join(map(str, undated))}.")
    fig = new_figure(0.7)
    ax = fig.add_subplot()
    theme = ctx.theme
    x = pd.to_datetime(years["as_of"]).to_numpy()
    shares = years["share"].map(num).to_numpy()
    lows, highs = years["ci_low"].map(num).to_numpy(), years["ci_high"].map(num).to_numpy()
    few = years["small_n"].to_numpy(dtype=bool)
    interval_band(ax, x, lows, highs)
    solid = np.where(few, np.nan, shares)
    first_solid = int(np.argmax(~few)) if (~few).any() else len(few)
    dotted = np.where(np.arange(len(few)) <= first_solid, shares, np.nan)  # small-n years, joined to the next
    ax.plot(x, dotted, color=theme.accent, linewidth=1.4, linestyle=(0, (1, 1.5)), zorder=2)
    ax.plot(x, solid, color=theme.accent, linewidth=1.8, zorder=3)
    ax.plot(x[few], shares[few], "o", markersize=3, markerfacecolor=theme.background, color=theme.accent, zorder=3)
    ax.plot(x[~few], shares[~few], "o", markersize=3, color=theme.accent, zorder=3)
    if len(stored):
        sx = pd.to_datetime(stored["date"]).to_numpy()
        ax.vlines(sx, stored["ci_low"], stored["ci_high"], color=theme.grey, linewidth=1, zorder=4)
        ax.plot(sx, stored["share"], "D", color=theme.grey, markersize=4.5, markeredgecolor=theme.background,
                zorder=5, label="Stored snapshot")
    ax.axhline(IP_CLAIM, color=theme.reference, linestyle=(0, (3, 2)), linewidth=1, zorder=1)
    ax.text(x[0], IP_CLAIM, f"Innocence Project: {pct(IP_CLAIM)}", va="bottom", ha="left", fontsize=SMALL_PT,
            color=theme.muted)
    ax.annotate(f"{pct(shares[-1])}\n{k_of_n(last['k_fc_dna'], last['n_dna'])}", (x[-1], lows[-1]),
                xytext=(0, -6), textcoords="offset points", ha="center", va="top", fontsize=SMALL_PT,
                color=theme.text)
    top = max(IP_CLAIM, float(np.nanmax(np.concatenate([highs, stored["ci_high"].to_numpy(float)])))) * 1.12
    percent_axis(ax, "y", min(1.0, top))
    pad = pd.Timedelta(days=200)
    ax.set_xlim(x[0] - pad, x[-1] + pad)
    if len(stored):
        ax.legend(loc="upper right", fontsize=SMALL_PT, frameon=False)
    def point(label: str, r: pd.Series, few: bool = False) -> str:
        return f"{label}: {pct1(r['share'])} ({k_of_n(r['k_fc_dna'], r['n_dna'])}{', few cases' if few else ''})"

    body = ("Year-end shares (backcast): " + listing([point(str(r["year"]), r, r["small_n"])
                                                     for _, r in years.iterrows()])
            + ". Stored snapshots: " + (listing([point(str(Source.from_json({"date": r["date"]}).date_text), r)
                                                 for _, r in stored.iterrows()]) or "none") + ".")
    ends = stored["share"].iloc[[0, -1]] if len(stored) else []
    keys = [pct1(years["share"].iloc[0]), pct1(last["share"]), *(pct1(s) for s in ends)]
    first = years.iloc[0]
    summary = f"{int(first['year'])}: {pct1(first['share'])} ({k_of_n(first['k_fc_dna'], first['n_dna'])})."
    if len(stored):
        summary += " Stored snapshots: " + listing(list(dict.fromkeys(
            f"{month_year(pd.Timestamp(r['date']).date())} {pct1(r['share'])}"
            for _, r in stored.iloc[[0, -1]].iterrows()))) + "."
    return Drawn(fig, data, title, subtitle, notes, body, list(dict.fromkeys(keys)), summary=summary)
