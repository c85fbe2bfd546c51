"""Time from conviction to exoneration, false confession or not: Kaplan–Meier curves with 95% bands (lifelines).

Every record in the registry was exonerated (no censoring), so a curve is the share of exonerees still waiting
after t years — the time it took among those exonerated, not a chance of ever being exonerated. Curves from
``TABLES["km_curves"]`` (half-year grid), medians and log-rank tests from ``TABLES["durations"]``
(:mod:`analysis.analyse.durations`).
"""

from __future__ import annotations

from matplotlib.ticker import MultipleLocator

from analysis.analyse.tables import TABLES
from analysis.analyse.wording import k_of_n, listing, num, pct
from analysis.charts.draw import percent_axis
from analysis.charts.registry import ChartContext, ChartUnavailable, Drawn, chart
from analysis.charts.style import LABEL_PT, SMALL_PT, new_figure
from analysis.snapshot import Snapshot

STRATA = ("All crimes", "Homicide")
CURVES = ("False confession", "No false confession")


def _p(p: float) -> str:
    return "p < 0.001" if p < 0.001 else f"p = {p:.3f}"


@chart("time-to-exoneration", kind="Step line chart (two panels)", table="km_curves")
def time_to_exoneration(snapshot: Snapshot, ctx: ChartContext) -> Drawn:
    """Kaplan–Meier curves of the years from conviction to exoneration, all crimes and homicide."""
    data = TABLES["km_curves"](snapshot.view)
    summary = TABLES["durations"](snapshot.view)
    summary = summary[summary["measure"] == "conviction_to_exoneration"].set_index(["stratum", "fc_group"])
    if data.empty or any((STRATA[0], c) not in summary.index or summary.loc[(STRATA[0], c), "k"] == 0
                         for c in CURVES):
        raise ChartUnavailable("conviction and exoneration dates are not known for one of the groups")
    med = {(s, c): summary.loc[(s, c)] for s in STRATA for c in CURVES if (s, c) in summary.index}
    m_fc, m_other = (num(med[(STRATA[0], c)]["median_years"]) for c in CURVES)
    title = (f"Exonerees who had falsely confessed waited a median of {m_fc:.1f} years from conviction to "
             f"exoneration, against {m_other:.1f} for the others")
    subtitle = ("Exonerations since 1989: share still waiting after each number of years since conviction "
                "(Kaplan–Meier, 95% bands). Every record was exonerated, so the curves show the time it took among "
                "those exonerated, not a chance of exoneration.")
    tests = [f"{s}: log-rank {_p(num(summary.loc[(s, CURVES[0]), 'logrank_p']))}" for s in STRATA
             if not summary.loc[(s, CURVES[0])].isna()["logrank_p"]]
    medians = listing([f"{s}, {c.lower()}: median {num(r['median_years']):.1f} years (95% CI "
                       f"{num(r['median_low']):.1f}–{num(r['median_high']):.1f}), {k_of_n(r['k'], r['n'])} with both "
                       "dates" for (s, c), r in med.items()]) + "."
    covered = med[(STRATA[0], CURVES[0])]["k"] + med[(STRATA[0], CURVES[1])]["k"]
    total = med[(STRATA[0], CURVES[0])]["n"] + med[(STRATA[0], CURVES[1])]["n"]
    notes = [f"Dots mark the medians. {listing(tests)}. Both dates known for {k_of_n(covered, total)} exonerations."]
    fig = new_figure(0.85)
    theme = ctx.theme
    axes = fig.subplots(1, 2, sharey=True)
    for ax, stratum in zip(axes, STRATA, strict=True):
        for curve, colour in zip(CURVES, (theme.accent, theme.grey), strict=True):
            part = data[(data["stratum"] == stratum) & (data["curve"] == curve)]
            if part.empty:
                continue
            x = part["years"].to_numpy()
            ax.fill_between(x, part["km_low"].to_numpy(), part["km_high"].to_numpy(), step="post",
                            color=colour, alpha=0.25, linewidth=0, zorder=1)
            ax.step(x, part["km_survival"].to_numpy(), where="post", color=colour, linewidth=1.8, zorder=2,
                    label="False confession" if curve == CURVES[0] else "Others")
            m = num(med[(stratum, curve)]["median_years"]) if (stratum, curve) in med else float("nan")
            ax.plot([m], [0.5], marker="o", markersize=4, color=colour, zorder=3)
        ax.axhline(0.5, color=theme.reference, linewidth=0.7, linestyle=(0, (3, 2)), zorder=0)
        ax.set_title(stratum, fontsize=LABEL_PT, loc="left", color=theme.text)
        ax.xaxis.set_major_locator(MultipleLocator(10))
        ax.set_xlim(0, float(data["years"].max()))
        ax.set_xlabel("Years since conviction")
        percent_axis(ax, "y", 1.02)
    axes[0].set_ylabel("Still waiting")
    axes[0].legend(loc="upper right", fontsize=SMALL_PT, frameon=False)
    body = f"Medians: {medians} {notes[0]} " + " ".join(_still_waiting(data, s, c) for s in STRATA for c in CURVES)
    summary = ""
    if all((STRATA[1], c) in med for c in CURVES):
        h_fc, h_other = (num(med[(STRATA[1], c)]["median_years"]) for c in CURVES)
        summary = f"{STRATA[1]}: {h_fc:.1f} against {h_other:.1f} years."
    return Drawn(fig, data, title, subtitle, notes, body, [f"{m_fc:.1f}", f"{m_other:.1f}"], summary=summary)


WAITING_AT = (5, 10, 20)
"""Years since conviction at which the long description reads each curve."""


def _still_waiting(data, stratum: str, curve: str) -> str:  # noqa: ANN001 - the km_curves table
    """``"All crimes, False confession: still waiting after 5 years 82%, 10 years 65%, 20 years 40%."``"""
    part = data[(data["stratum"] == stratum) & (data["curve"] == curve)]
    if part.empty:
        return ""
    points = []
    for years in WAITING_AT:
        before = part[part["years"].map(num) <= years]
        if len(before):
            points.append(f"{years} years {pct(before['km_survival'].iloc[-1])}")
    return f"{stratum}, {curve}: still waiting after " + listing(points) + "." if points else ""
