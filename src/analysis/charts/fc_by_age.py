"""False-confession share by age at the time of the crime; juveniles highlighted."""

from __future__ import annotations

from matplotlib.patches import Patch

from analysis.analyse.definitions import compute_definition
from analysis.analyse.tables import TABLES, UNKNOWN
from analysis.charts.draw import vbars
from analysis.charts.registry import ChartContext, ChartUnavailable, Drawn, chart
from analysis.charts.style import new_figure
from analysis.charts.words import k_of_n, listing, pct1, row_text, times_words
from analysis.snapshot import Snapshot

JUVENILE_GROUPS = ("13 and under", "14–15", "16–17")


@chart("fc-by-age", kind="Column chart", table="age_group")
def fc_by_age(snapshot: Snapshot, ctx: ChartContext) -> Drawn:
    """False-confession share by age at the time of the crime; juveniles highlighted."""
    full = TABLES["age_group"](snapshot.view)
    data = full[full["group"] != UNKNOWN]
    unknown = full.loc[full["group"] == UNKNOWN, "n"].sum()
    juvenile = compute_definition(snapshot, "fc_share_juvenile")
    adult = compute_definition(snapshot, "fc_share_adult")
    if juvenile.n == 0 or adult.n == 0 or not adult.share:
        raise ChartUnavailable("ages are missing, so juveniles cannot be compared with adults")
    ratio = juvenile.share / adult.share
    if 1 / 1.15 < ratio < 1.15:
        title = "Juveniles and adults were about equally likely to have falsely confessed"
    elif ratio > 1:
        title = f"Juveniles were {times_words(ratio)} as likely as adults to have falsely confessed"
    else:
        title = f"Adults were {times_words(1 / ratio)} as likely as juveniles to have falsely confessed"
    subtitle = ("Share of exonerees who falsely confessed, by age at the time of the crime. Exonerations since "
                "1989; lines show 95% confidence intervals.")
    both = (f"Under 18: {pct1(juvenile.share)} ({k_of_n(juvenile.k, juvenile.n)}); 18 and over: "
            f"{pct1(adult.share)} ({k_of_n(adult.k, adult.n)}).")
    notes = [both]
    if unknown:
        notes.append(f"Age unknown for {int(unknown):,} exonerations (not shown).")
    fig = new_figure(0.72)
    ax = fig.add_subplot()
    theme = ctx.theme
    vbars(ax, data, [theme.accent if g in JUVENILE_GROUPS else theme.grey for g in data["group"]])
    ax.legend(handles=[Patch(color=theme.accent, label="Under 18"), Patch(color=theme.grey, label="18 and over")],
              loc="upper right", handlelength=1, handleheight=1)
    body = f"False-confession share by age at the crime: {listing([row_text(r) for _, r in data.iterrows()])}. {both}"
    return Drawn(fig, data, title, subtitle, notes, body, [pct1(juvenile.share), pct1(adult.share)])
