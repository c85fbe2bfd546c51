"""Among false-confession exonerations, the share that also carry each other factor.

A factor that is a coding rule rather than a finding (``coding_rule`` in the ``co_occurring`` table: coded only on
false-confession cases, or including such a code: :mod:`analysis.analyse.coding_rules`) is marked on the chart,
explained in a note and never headlined; the title names the most common factor without such a rule.
"""

from __future__ import annotations

from analysis.analyse.strata import misconduct_sentence
from analysis.analyse.tables import TABLES
from analysis.analyse.wording import k_of_n, listing, num, pct, pct1
from analysis.charts.draw import hbars, share_of
from analysis.charts.registry import ChartContext, ChartUnavailable, Drawn, chart
from analysis.charts.style import new_figure
from analysis.snapshot import Snapshot

MARK = "†"
"""Marks a factor with a coding rule."""


@chart("co-occurring-factors", kind="Horizontal bar chart", table="co_occurring")
def co_occurring_factors(snapshot: Snapshot, ctx: ChartContext) -> Drawn:
    """Among false-confession exonerations, the share that also carry each other factor."""
    data = TABLES["co_occurring"](snapshot.view)
    if data["n"].max() == 0:
        raise ChartUnavailable("no false-confession exonerations in the table")
    shown = data.assign(_s=data["share"].map(num)).sort_values("_s", ascending=False, kind="stable").drop(columns="_s")
    ruled = shown["coding_rule"].astype(str) != ""
    candidates = shown[~ruled & (shown["k"] > 0)]
    n = int(shown.iloc[0]["n"])
    if candidates.empty:
        top = None
        title = "No other factor can be headlined: each is a coding rule or never coded"
    else:
        top = candidates.iloc[0]
        what = f"{str(top['group'])[0].lower()}{str(top['group'])[1:]}"
        title = (f"{share_of('false-confession exonerations', top['share'], top['ci_low'], top['ci_high'])} "
                 f"also involved {what}")
    subtitle = (f"Share of the {n:,} false-confession exonerations since 1989 that also carry each factor. "
                "Lines show 95% confidence intervals.")
    notes = []
    if ruled.any():
        notes.append(f"{MARK} " + "; ".join(f"{r['group']}: {r['coding_rule']}" for _, r in shown[ruled].iterrows())
                     + ": a coding rule, not a finding.")
        if "om_interrogation" in set(shown.loc[ruled, "expression"]):
            notes.append(misconduct_sentence(snapshot.view))
    unknown = shown[shown["unknown"] > 0]
    if len(unknown):
        notes.append("Not coded either way (counted as absent): " + ", ".join(
            f"{r['group'].lower()} {int(r['unknown']):,}" for _, r in unknown.iterrows()) + ".")
    fig = new_figure(0.78)
    ax = fig.add_subplot()
    theme = ctx.theme
    is_top = [top is not None and g == top["group"] for g in shown["group"]]
    colours = [theme.accent if t else (theme.grey_light if r else theme.accent_light)
               for t, r in zip(is_top, ruled, strict=True)]
    labels = [f"{g} {MARK}" if r else str(g) for g, r in zip(shown["group"], ruled, strict=True)]
    hbars(ax, shown, colours, labels=labels,
          value_labels=[f"{pct(r['share'])} ({int(r['k']):,})" for _, r in shown.iterrows()])
    body = f"Of {n:,} false-confession exonerations: " + listing(
        [f"{r['group']} {pct1(r['share'])} ({k_of_n(r['k'], r['n'])})"
         + (f", {r['coding_rule']}" if r["coding_rule"] else "") for _, r in shown.iterrows()]) + "."
    key = [pct1(top["share"])] if top is not None else []
    summary = "Most often: " + listing([f"{r['group'].lower()}{' ' + MARK if rule else ''} {pct1(r['share'])}"
                                        for (_, r), rule in zip(shown.head(2).iterrows(), ruled.head(2), strict=True)])
    summary += f" ({MARK} a coding rule)." if ruled.head(2).any() else "."
    return Drawn(fig, shown, title, subtitle, notes, body, key, summary=summary)
