"""False-confession share of juveniles and adults, for all crimes and within homicide and other crimes.

The all-crimes ratio mixes age with crime: juvenile exonerees are more often convicted of homicide, where false
confessions are commoner. So the chart shows the ratio within the crime strata too
(:func:`analysis.analyse.strata.juvenile_by_crime`), and the title says so when the within-homicide ratio is much
smaller (below :data:`MUCH_SMALLER` times the all-crimes ratio). Every ratio is said among exonerees with its 95%
interval (:func:`analysis.analyse.wording.ratio_phrase`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.patches import Patch

from analysis.analyse.strata import ADULT, JUVENILE, STRATA
from analysis.analyse.tables import TABLES
from analysis.analyse.wording import k_of_n, listing, num, pct, pct1, ratio_phrase
from analysis.charts.draw import percent_axis
from analysis.charts.registry import ChartContext, ChartUnavailable, Drawn, chart
from analysis.charts.style import LABEL_PT, SMALL_PT, new_figure
from analysis.snapshot import Snapshot

MUCH_SMALLER = 0.8
"""The title names the within-homicide ratio when it is below this fraction of the all-crimes ratio."""
OUTCOME = "to have falsely confessed"


def _ratio(rows: pd.DataFrame, population: str) -> str:
    r = rows.iloc[0]
    return ratio_phrase(num(r["ratio"]), num(r["ratio_low"]), num(r["ratio_high"]), group="juveniles",
                        reference="adults", outcome=OUTCOME, population=population)


@chart("fc-by-age", kind="Grouped column chart", table="juvenile_by_crime")
def fc_by_age(snapshot: Snapshot, ctx: ChartContext) -> Drawn:
    """False-confession share of juveniles and adults, for all crimes and within homicide and other crimes."""
    data = TABLES["juvenile_by_crime"](snapshot.view)
    by = {s: data[data["stratum"] == s].set_index("age_group") for s in STRATA}
    everyone = by[STRATA[0]]
    if everyone.loc[JUVENILE, "n"] == 0 or everyone.loc[ADULT, "n"] == 0 or everyone.loc[ADULT, "k"] == 0:
        raise ChartUnavailable("ages are missing, so juveniles cannot be compared with adults")
    crude, homicide = num(everyone["ratio"].iloc[0]), num(by[STRATA[1]]["ratio"].iloc[0])
    title = _ratio(everyone, "among exonerees")
    if not np.isnan(homicide) and homicide < MUCH_SMALLER * crude:
        low, high = num(by[STRATA[1]]["ratio_low"].iloc[0]), num(by[STRATA[1]]["ratio_high"].iloc[0])
        title += f"; within homicide cases the ratio is {homicide:.1f} (95% CI {low:.1f}–{high:.1f})"
    hom = by[STRATA[1]]
    mix = (f"{pct(hom.loc[JUVENILE, 'share_of_age_group'])} of juvenile exonerees were convicted of homicide, "
           f"against {pct(hom.loc[ADULT, 'share_of_age_group'])} of adults")
    subtitle = (f"{mix}. Share who falsely confessed, exonerations since 1989, age at the crime known; lines show "
                "95% confidence intervals.")
    strata = [f"{_ratio(by[s], f'among exonerees convicted of {s.lower()}')}." for s in STRATA[1:]]
    notes = [" ".join(strata)]
    listed = listing([f"{r['group']}: {pct1(r['share'])} ({k_of_n(r['k'], r['n'])})" for _, r in data.iterrows()])
    fig = new_figure(0.8)
    ax = fig.add_subplot()
    theme = ctx.theme
    x, w = np.arange(len(STRATA)), 0.38
    tops = []
    for offset, age, colour in ((-w / 2, JUVENILE, theme.accent), (w / 2, ADULT, theme.grey)):
        rows = [by[s].loc[age] for s in STRATA]
        shares = np.array([num(r["share"]) for r in rows])
        lows, highs = np.array([num(r["ci_low"]) for r in rows]), np.array([num(r["ci_high"]) for r in rows])
        ok = ~np.isnan(lows)
        ax.bar(x + offset, np.nan_to_num(shares), width=w * 0.94, color=colour, zorder=2)
        ax.vlines((x + offset)[ok], lows[ok], highs[ok], color=theme.reference, linewidth=1.1, zorder=3)
        tops.append(np.where(ok, highs, np.nan_to_num(shares)))
        for xi, s, hi, r in zip(x + offset, shares, tops[-1], rows, strict=True):
            ax.text(xi, hi + 0.01, f"{pct(s)}\n{k_of_n(r['k'], r['n'])}", ha="center", va="bottom",
                    fontsize=SMALL_PT - 0.5, color=theme.text)
    ratios = [f"ratio {num(by[s]['ratio'].iloc[0]):.1f}" if not np.isnan(num(by[s]["ratio"].iloc[0]))
              else "ratio: too few" for s in STRATA]
    ax.set_xticks(x, [f"{s}\n{r}" for s, r in zip(STRATA, ratios, strict=True)], fontsize=LABEL_PT)
    percent_axis(ax, "y", max(0.05, float(np.nanmax(np.concatenate(tops)))) * 1.45)
    ax.legend(handles=[Patch(color=theme.accent, label=JUVENILE), Patch(color=theme.grey, label=ADULT)],
              loc="upper left", ncol=2, handlelength=1, handleheight=1)
    body = f"Share who falsely confessed: {listed}. {mix}. {notes[0]}"
    summary = f"{JUVENILE} {pct1(everyone.loc[JUVENILE, 'share'])}, {ADULT} {pct1(everyone.loc[ADULT, 'share'])}."
    return Drawn(fig, data, title, subtitle, notes, body,
                 [pct1(everyone.loc[JUVENILE, "share"]), pct1(everyone.loc[ADULT, "share"])], summary=summary)
