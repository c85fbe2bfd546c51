"""From the registry's plain count to the Innocence Project's 32%, one definitional choice a step (a waterfall).

The first bar is the plain count (latest data, DNA in any role, own false confession); each later bar floats from
the previous reading to the next (:func:`analysis.analyse.reconcile.reconciliation_steps`), with the reading's 95%
interval; the lead readings (DNA central, own or co-defendant's confession, and with guilty pleas) are highlighted.
"""

from __future__ import annotations

import textwrap

import numpy as np
import pandas as pd

from analysis.analyse.reconcile import IP_CLAIM, IP_LIST_COUNT, lead_rows, lead_sentence, reconciliation_steps
from analysis.analyse.wording import cap, interval_text, k_of_n, listing, num, pct, pct1
from analysis.charts.draw import percent_axis
from analysis.charts.registry import ChartContext, ChartUnavailable, Drawn, chart
from analysis.charts.style import SMALL_PT, new_figure
from analysis.snapshot import Snapshot


def _bool(value: object) -> bool:
    """A flag as written by the reconciliation (a bool, or text when read back from CSV)."""
    if isinstance(value, str):
        return value.strip().lower() in ("true", "1", "yes")
    return bool(value) if not pd.isna(value) else False


def _table(rec: pd.DataFrame) -> pd.DataFrame:
    """The reconciliation table with the dtypes it has when computed (it may have been read back from CSV)."""
    out = rec.copy()
    for col in ("role", "reading", "note", "dna_minor_basis", "when"):
        if col in out.columns:
            out[col] = out[col].map(lambda v: "" if pd.isna(v) else str(v))
    out["interval_contains_32"] = out["interval_contains_32"].map(_bool)
    return out


def _change_label(change: float) -> str:
    points = round(num(change) * 100, 1)
    return f"{'+' if points >= 0 else '−'}{abs(points):.1f} pts"


@chart("reconciliation-32", kind="Waterfall chart", table="reconciliation")
def reconciliation_32(snapshot: Snapshot, ctx: ChartContext) -> Drawn:
    """From the registry's plain count to the readings closest to the Innocence Project's 32%, step by step."""
    rec, theme = ctx.reconciliation, ctx.theme
    if rec is None or len(rec) == 0:
        raise ChartUnavailable("no reconciliation table was given (ctx.reconciliation)")
    if "role" not in rec.columns:
        raise ChartUnavailable("the reconciliation table predates the lead readings: run the analyse step again")
    rec = _table(rec)
    if lead_rows(rec) is None:
        raise ChartUnavailable("no definition in the reconciliation table could be computed")
    steps = reconciliation_steps(rec)
    lead, plea = lead_rows(rec)
    title = cap(lead_sentence(rec, short=True))
    subtitle = ("False confessions among DNA exonerations since 1989, from the registry's own flag to the "
                "Innocence Project's list (DNA central) and definition (confessions and admissions, a "
                "co-defendant's too, guilty pleas). Bars: each step's change; lines: 95% confidence intervals.")
    computed = rec[rec["n"] > 0]
    notes = [f"The Innocence Project's {pct(IP_CLAIM)}: blog post of 12 September 2017, on a list of "
             f"{IP_LIST_COUNT} DNA exonerations. {int(computed['interval_contains_32'].sum())} of {len(computed)} "
             "readings of the pre-declared grid have a 95% interval containing 32% (all in the reconciliation "
             "table)."]
    if rec["note"].str.contains("minor-DNA marker", regex=False).any():
        notes.append("DNA central is not computable for some views: the minor-DNA marker is neither in that export "
                     "nor carried from an older snapshot.")
    if (steps["reading"].str.startswith("as_of/")).any():
        notes.append("\"Records posted by\": the latest export's records posted by that date, with today's coding.")

    shares = steps["share"].map(num).to_numpy()
    lows, highs = steps["ci_low"].map(num).to_numpy(), steps["ci_high"].map(num).to_numpy()
    prev = np.concatenate([[0.0], shares[:-1]])
    x = np.arange(len(steps))
    lead_step = steps["role"].isin(["lead", "lead_plea"]).to_numpy()
    row_y = max(IP_CLAIM, float(np.nanmax(highs))) + 0.03  # the value labels, in one row above every interval
    top = row_y + 0.09
    fig = new_figure(0.95)
    ax = fig.add_subplot()
    for i in x:
        bottom, height = (0.0, shares[0]) if i == 0 else (min(prev[i], shares[i]), abs(shares[i] - prev[i]))
        colour = theme.accent if lead_step[i] else (theme.grey if i == 0 else theme.grey_light)
        ax.bar(i, max(height, 0.0015), bottom=bottom, width=0.62, color=colour, zorder=2)
        if i + 1 < len(steps):  # the connector to the next step
            ax.hlines(shares[i], i + 0.31, i + 0.69, color=theme.muted, linewidth=0.8, zorder=1)
        ax.vlines(i, lows[i], highs[i], color=theme.reference, linewidth=1.1, zorder=3)
        ax.plot([i], [shares[i]], "_", color=theme.text, markersize=9, zorder=4)
        change = "" if i == 0 else f"\n{_change_label(steps['change'].iloc[i])}"
        ax.text(i, row_y, f"{pct1(shares[i])}{change}", ha="center", va="bottom", fontsize=SMALL_PT,
                color=theme.text, fontweight="bold" if lead_step[i] else "normal")
    ax.axhline(IP_CLAIM, color=theme.reference, linestyle=(0, (3, 2)), linewidth=1, zorder=1)
    ax.text(-0.55, IP_CLAIM + 0.004, f"Innocence Project: {pct(IP_CLAIM)}", ha="left", va="bottom",
            fontsize=SMALL_PT, color=theme.muted)
    wrap = textwrap.TextWrapper(13, break_on_hyphens=False, break_long_words=False)
    labels = [f"{wrap.fill(str(r['label']))}\n{k_of_n(r['k'], r['n'])}" for _, r in steps.iterrows()]
    ax.set_xticks(x, labels, fontsize=SMALL_PT - 0.5)
    ax.grid(axis="x", visible=False)
    percent_axis(ax, "y", top)
    ax.set_xlim(-0.6, len(steps) - 0.4)
    steps_text = listing([f"{r['label']} ({r['when']}): {pct1(r['share'])} ({k_of_n(r['k'], r['n'])}; "
                          f"{interval_text(r['ci_low'], r['ci_high'])})"
                          + ("" if i == 0 else f", {_change_label(r['change'])}")
                          for i, (_, r) in enumerate(steps.iterrows())])
    body = f"Against the Innocence Project's {pct(IP_CLAIM)}. Steps: {steps_text}."
    plain = steps.iloc[0]
    summary = (f"{plain['label']}: {pct1(plain['share'])} ({k_of_n(plain['k'], plain['n'])}); the Innocence "
               f"Project: {pct(IP_CLAIM)}.")
    return Drawn(fig, steps, title, subtitle, notes, body, [pct1(lead["share"]), pct1(plea["share"]), "32%"],
                 summary=summary)
