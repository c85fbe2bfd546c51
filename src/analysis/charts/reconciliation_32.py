"""Every reading of the Innocence Project's 32% computed on the registry, against a line at 32%."""

from __future__ import annotations

import re
import textwrap

import numpy as np
import pandas as pd

from analysis.analyse.reconcile import IP_CLAIM
from analysis.analyse.wording import cap, k_of_n, listing, num, pct, pct1
from analysis.charts.draw import percent_axis
from analysis.charts.registry import ChartContext, ChartUnavailable, Drawn, chart
from analysis.charts.style import SMALL_PT, new_figure
from analysis.snapshot import Snapshot

SHORT_LABELS = {  # the definitions' names in reconcile, as row labels (in this order)
    "exoneree's own false confession": "Own confession", "own or a co-defendant's confession": "Own or co-defendant's",
    "own or a co-defendant's confession, or a guilty plea": "Own, co-defendant's or plea", "DNA in any role": "any DNA",
    "DNA central, not a minor factor": "DNA central"}
PANEL_PREFIXES = {"latest snapshot": "Latest data", "registry as of": "Registry as of", "snapshot of": "Snapshot of"}


def panel_title(when: str) -> str:
    """``latest snapshot (26 June 2026)`` → ``Latest data\n26 Jun 2026``."""
    found = re.search(r"(\d{1,2}) ([A-Z][a-z]+) (\d{4})", when)
    if not found:
        return textwrap.fill(cap(when), 16)
    prefix = when[:found.start()].strip(" (").rstrip()
    return f"{PANEL_PREFIXES.get(prefix.lower(), cap(prefix))}\n{found[1]} {found[2][:3]} {found[3]}"


def _bool(value: object) -> bool:
    """A flag as written by the reconciliation (a bool, or text when read back from CSV)."""
    if isinstance(value, str):
        return value.strip().lower() in ("true", "1", "yes")
    return bool(value) if not pd.isna(value) else False


@chart("reconciliation-32", kind="Dot chart with intervals", table="reconciliation")
def reconciliation_32(snapshot: Snapshot, ctx: ChartContext) -> Drawn:
    """Every reading of the Innocence Project's 32% computed on the registry, against a line at 32%."""
    rec, theme = ctx.reconciliation, ctx.theme
    if rec is None or len(rec) == 0:
        raise ChartUnavailable("no reconciliation table was given (ctx.reconciliation)")
    data = rec[rec["n"] > 0].reset_index(drop=True)
    if data.empty:
        raise ChartUnavailable("no definition in the reconciliation table could be computed")
    inside = data["interval_contains_32"].map(_bool)
    plain = data[(data["dna_definition"] == "DNA in any role") & (data["crimes"] == "all crimes")
                 & (data["confession_definition"] == "exoneree's own false confession")]
    lead = plain.iloc[0] if len(plain) else data.iloc[0]
    if len(plain):
        title = (f"On the registry's own flags, {pct(lead['share'])} of DNA exonerations involved a false "
                 "confession, " + ("in line with the 32% figure" if _bool(lead["interval_contains_32"]) else "not 32%"))
    else:
        title = f"{int(inside.sum())} of {len(data)} readings of the registry come close to 32%"
    subtitle = ("False confessions among DNA exonerations since 1989, under each reading of the Innocence "
                "Project's \"32 percent\" (September 2017). Highlighted: readings whose 95% interval includes 32%.")
    notes = [f"{int(inside.sum())} of {len(data)} readings have a 95% interval containing 32%. Lines show 95% "
             "confidence intervals. The Innocence Project counts its own cases and a broader definition."]
    skipped = rec[rec["n"] == 0]
    if len(skipped):
        central = skipped["dna_definition"].astype(str).str.contains("central").all()
        notes.append("n/a: the 'DNA central' readings need the registry's minor-DNA marker, which this data lacks."
                     if central else "n/a: not computable from this data (see the reconciliation table).")
    whens = list(dict.fromkeys(data["when"]))
    order = {label: i for i, label in enumerate(SHORT_LABELS)}
    keys = sorted(dict.fromkeys(zip(data["crimes"], data["dna_definition"], data["confession_definition"],
                                    strict=True)),
                  key=lambda c: (c[0] != "all crimes", str(c[0]), order.get(c[1], 99), order.get(c[2], 99)))
    rows: list[tuple[str, tuple | None]] = []
    for crimes in dict.fromkeys(c[0] for c in keys):
        rows.append((cap(str(crimes)), None))
        rows += [(f"{SHORT_LABELS.get(c[2], c[2])}, {SHORT_LABELS.get(c[1], c[1])}", c)
                 for c in keys if c[0] == crimes]
    fig = new_figure(max(0.7, 0.05 * len(rows) + 0.3))
    axes = fig.subplots(1, len(whens), sharey=True, squeeze=False)[0]
    y = np.arange(len(rows))[::-1]
    top = max(IP_CLAIM, float(np.nanmax(data["ci_high"].map(num)))) * 1.25
    for ax, when in zip(axes, whens, strict=True):
        part = data[data["when"] == when]
        for yi, (_, key) in zip(y, rows, strict=True):
            if key is None:
                continue
            match = part[(part["crimes"] == key[0]) & (part["dna_definition"] == key[1])
                         & (part["confession_definition"] == key[2])]
            if match.empty:
                ax.text(0.02, yi, "n/a", va="center", ha="left", fontsize=SMALL_PT - 1, color=theme.muted,
                        transform=ax.get_yaxis_transform())
                continue
            r, hit = match.iloc[0], inside[match.index[0]]
            colour = theme.accent if hit else theme.grey
            ax.hlines(yi, num(r["ci_low"]), num(r["ci_high"]), color=colour, linewidth=1.6, zorder=2)
            ax.plot([num(r["share"])], [yi], "o", color=colour, markersize=5, zorder=3)
            ax.text(num(r["ci_high"]) + top * 0.03, yi, pct(r["share"]), va="center", ha="left",
                    fontsize=SMALL_PT - 1, color=theme.text if hit else theme.muted, zorder=4,
                    bbox={"facecolor": theme.background, "edgecolor": "none", "pad": 0.4})
        ax.axvline(IP_CLAIM, color=theme.reference, linestyle=(0, (3, 2)), linewidth=1, zorder=1)
        ax.set_title(panel_title(str(when)), fontsize=SMALL_PT, color=theme.text, loc="left", fontweight="bold")
        percent_axis(ax, "x", top)
        ax.set_xticks([0, IP_CLAIM], ["0", "32%"], fontsize=SMALL_PT)
        ax.grid(axis="x", visible=False)
    axes[0].set_yticks(y, [label for label, _ in rows], fontsize=SMALL_PT)
    for tick, (_, key) in zip(axes[0].get_yticklabels(), rows, strict=True):
        if key is None:
            tick.set_fontweight("bold")
    axes[0].set_ylim(-0.6, len(rows) - 0.4)
    body = "Readings: " + listing([
        f"{r['definition']}: {pct1(r['share'])} ({k_of_n(r['k'], r['n'])}), interval "
        f"{'includes' if inside[i] else 'excludes'} 32%" for i, r in data.iterrows()]) + "."
    return Drawn(fig, data, title, subtitle, notes, body, [pct1(lead["share"]), "32%"])
