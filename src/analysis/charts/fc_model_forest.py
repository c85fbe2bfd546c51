"""The false-confession model as a forest plot: adjusted odds ratios with 95% cluster-robust intervals.

Numbers from ``TABLES["fc_model"]`` (:mod:`analysis.analyse.models`): one row per level, the reference levels at
1. The title is the headline: the adjusted odds ratio for exonerees under 18 (pooled model) against adults 25 or
older, with the crude one beside it, said through :func:`analysis.analyse.wording.odds_ratio_phrase` — an
association among the exonerated, not a risk of confessing.
"""

from __future__ import annotations

import numpy as np
from matplotlib.ticker import FixedLocator, NullFormatter, NullLocator

from analysis.analyse.models import adjusted_for
from analysis.analyse.tables import TABLES
from analysis.analyse.wording import listing, num, odds_ratio_phrase
from analysis.charts.registry import ChartContext, ChartUnavailable, Drawn, chart
from analysis.charts.style import SMALL_PT, current_size, new_figure
from analysis.snapshot import Snapshot


def _or_text(r) -> str:  # noqa: ANN001 - a row of the table
    if bool(r["reference"]):
        return "reference"
    return f"{num(r['odds_ratio']):.2f} ({num(r['or_low']):.2f}–{num(r['or_high']):.2f})"


@chart("fc-model-forest", kind="Forest plot", table="fc_model")
def fc_model_forest(snapshot: Snapshot, ctx: ChartContext) -> Drawn:
    """Adjusted odds ratios of a false confession among exonerees since 1989, every level of every variable."""
    data = TABLES["fc_model"](snapshot.view)
    pooled = data[data["level"] == "Under 18"]
    if data.empty or pooled.empty:
        raise ChartUnavailable("too few records or cases to fit the false-confession model")
    head = pooled.iloc[0]
    title = odds_ratio_phrase(num(head["odds_ratio"]), num(head["or_low"]), num(head["or_high"]),
                              group="those under 18", reference="adults 25 or older", outcome="a false confession",
                              population="among exonerees since 1989", adjusted_for="the other factors")
    crude = (f"Unadjusted, the odds ratio was {num(head['crude_or']):.1f} (95% CI {num(head['crude_low']):.1f}–"
             f"{num(head['crude_high']):.1f})")
    n_used, n_dropped = int(data["n_used"].iloc[0]), int(data["n_dropped"].iloc[0])
    subtitle = (f"{crude}. Logistic regression, exonerations since 1989: adjusted odds ratios (log scale), 95% "
                "intervals robust to clustering by co-defendant group.")
    notes = [f"Adjusted for age, {adjusted_for(data)}. {n_used:,} exonerations used; {n_dropped:,} dropped for a "
             "missing value (not imputed)."]
    if str(data["note"].iloc[0]):
        notes.append(f"Merged, too few cases: {data['note'].iloc[0]}.")
    rows = data.reset_index(drop=True)
    square = current_size().square
    if square:  # the square version has room for the age rows only (the full model is in data.csv)
        rows = rows[rows["variable"] == "age_group"].reset_index(drop=True)
        notes.append("This square version shows the age rows; the full model is in the data file.")
    fig = new_figure(1.25)
    ax = fig.add_subplot()
    theme = ctx.theme
    y = np.arange(len(rows))[::-1]
    ors = rows["odds_ratio"].map(num).to_numpy()
    lows, highs = rows["or_low"].map(num).to_numpy(), rows["or_high"].map(num).to_numpy()
    ok = ~np.isnan(lows)
    age = (rows["variable"] == "age_group").to_numpy()
    colours = np.where(age, theme.accent, theme.grey)
    ax.hlines(y[ok], lows[ok], highs[ok], color=list(colours[ok]), linewidth=1.4, zorder=2)
    ax.scatter(ors[ok], y[ok], color=list(colours[ok]), s=18, zorder=3)
    ax.scatter(ors[~ok], y[~ok], facecolors="none", edgecolors=theme.muted, s=18, zorder=3)
    ax.axvline(1, color=theme.reference, linewidth=0.8, linestyle=(0, (3, 2)), zorder=1)
    ax.set_xscale("log")
    ticks = [t for t in (0.1, 0.2, 0.5, 1, 2, 5, 10, 20) if np.nanmin(np.r_[lows[ok], 1]) / 1.2 <= t
             <= np.nanmax(np.r_[highs[ok], 1]) * 1.2]
    ax.xaxis.set_major_locator(FixedLocator(ticks))
    ax.xaxis.set_minor_locator(NullLocator())
    ax.xaxis.set_minor_formatter(NullFormatter())
    ax.set_xticklabels([f"{t:g}" for t in ticks])
    ax.set_yticks(y, list(rows["group"].astype(str)), fontsize=SMALL_PT)
    for yi, r in zip(y, rows.to_dict("records"), strict=True):
        ax.text(1.02, yi, _or_text(r), transform=ax.get_yaxis_transform(), va="center", ha="left",
                fontsize=SMALL_PT - 0.5, color=theme.text)
    ax.set_ylim(-0.7, len(rows) - 0.3)
    ax.grid(axis="y", visible=False)
    ax.set_xlabel("Adjusted odds ratio (log scale)")
    body = (f"{crude}. Adjusted odds ratios with 95% intervals: "
            + listing([f"{r['group']} {_or_text(r)}" for r in rows.to_dict("records")]) + ".")
    short = odds_ratio_phrase(num(head["odds_ratio"]), num(head["or_low"]), num(head["or_high"]),
                              group="under-18s", reference="adults 25+", outcome="a false confession",
                              population="among exonerees", adjusted_for="covariates")
    summary = f"Crude: {num(head['crude_or']):.1f}."
    return Drawn(fig, data, title, subtitle, notes, body,
                 [f"{num(head['odds_ratio']):.1f}", f"{num(head['crude_or']):.1f}"], summary=summary,
                 alt_title=short)
