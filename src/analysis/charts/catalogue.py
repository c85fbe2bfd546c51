"""The charts: one function per chart, ``(table, meta, ctx) -> ChartSpec``.

Each function takes its numbers from :mod:`analysis.analyse.tables` (so ``data.csv`` matches ``reports/tables/*.csv``),
draws them in the house style (:mod:`analysis.charts.style`, at the theme and size in force), writes a title that
states the finding, a subtitle that states the definition, and alt text that states the key numbers. ``data`` is
the frame exactly as plotted.

``ctx`` (:class:`ChartContext`, a dict with the same keys, or None) carries what one snapshot cannot give: the
history table across stored snapshots, the 32% reconciliation table and an ``as_of`` date.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import textwrap
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.patches import Patch, Rectangle
from matplotlib.ticker import MaxNLocator, PercentFormatter

from analysis.analyse.definitions import compute_definition
from analysis.analyse.tables import TABLES, UNKNOWN
from analysis.charts.style import (
    LABEL_PT,
    SMALL_PT,
    as_of_text,
    current_size,
    current_theme,
    frame_chart,
    new_figure,
    png_bytes,
    source_line,
)
from analysis.errors import UserError
from analysis.snapshot import Snapshot, Source, day_text

__all__ = ["CHARTS", "ChartContext", "ChartSpec", "ChartUnavailable", "as_context"]

MIN_N = 30
"""Groups smaller than this are drawn but never named in a title (their share is too uncertain)."""
IP_CLAIM = 0.32
"""The Innocence Project's September 2017 figure (see :mod:`analysis.analyse.reconcile`)."""


class ChartUnavailable(UserError):
    """The chart cannot be drawn from what was given (for example no history across snapshots)."""


@dataclass(repr=False)
class ChartSpec:
    """A drawn chart with everything a writer needs to publish it."""

    slug: str
    fig: Figure
    data: pd.DataFrame  # exactly the numbers plotted
    title: str
    subtitle: str
    notes: list[str]
    alt_text: str
    source_line: str = ""
    as_of: str = ""
    key_numbers: list[str] = field(default_factory=list)  # formatted numbers the alt text must state
    render: Callable[..., ChartSpec] | None = field(default=None, repr=False, compare=False)
    """Redraw the same chart in another theme/size: ``render(theme="dark", size="social")`` (set by make_chart)."""

    def __repr__(self) -> str:
        return f"ChartSpec({self.slug!r}: {self.title!r}, {len(self.data)} rows of data)"

    def _repr_png_(self) -> bytes:
        """Notebooks show the chart itself."""
        return png_bytes(self.fig)


@dataclass(frozen=True)
class ChartContext:
    """Inputs beyond the canonical table: history across snapshots, the reconciliation table, an as-of date."""

    history: pd.DataFrame | None = None
    reconciliation: pd.DataFrame | None = None
    as_of: dt.date | None = None


def as_context(ctx: ChartContext | Mapping | None) -> ChartContext:
    """``ctx`` as a :class:`ChartContext` (a dict with the same keys, or None, is accepted)."""
    if ctx is None:
        return ChartContext()
    if isinstance(ctx, ChartContext):
        return ctx
    as_of = ctx.get("as_of")
    if isinstance(as_of, str):
        as_of = dt.date.fromisoformat(as_of)
    return ChartContext(history=ctx.get("history"), reconciliation=ctx.get("reconciliation"), as_of=as_of)


# --------------------------------------------------------------------------------------------------------
# Words
# --------------------------------------------------------------------------------------------------------

NUMBER_WORDS = {1: "one", 2: "two", 3: "three", 4: "four", 5: "five", 6: "six", 7: "seven", 8: "eight",
                9: "nine", 10: "ten"}


def _f(value: object) -> float:
    """A float (NaN for missing)."""
    return float("nan") if value is None or pd.isna(value) else float(value)


def pct(share: float, digits: int = 0) -> str:
    """``0.2253`` → ``"23%"`` (``digits`` decimals; a share that would round to zero is ``"<1%"``); missing →
    ``"no data"``."""
    s = _f(share)
    if math.isnan(s):
        return "no data"
    if 0 < s < 0.5 * 10 ** -(digits + 2):
        return f"<{10 ** -digits:g}%"
    return f"{s * 100:.{digits}f}%"


def pct1(share: float) -> str:
    """One decimal, as in the ready sentences: ``"22.5%"``."""
    return pct(share, 1)


def k_of_n(k: int, n: int) -> str:
    """``"335 of 1,487"``."""
    return f"{int(k):,} of {int(n):,}"


def share_words(share: float) -> str:
    """A share in words: ``0.225`` → ``"more than one in five"``, ``0.828`` → ``"more than eight in ten"``."""
    s = _f(share)
    if math.isnan(s):
        return "no data"
    if s >= 0.995:
        return "all"
    if abs(s - 0.5) <= 0.005:
        return "about half"
    if s >= 0.5:
        candidates = [(k / 10, f"{NUMBER_WORDS[k]} in ten") for k in range(5, 11)]
    elif s > 0:
        candidates = [(1 / d, f"one in {NUMBER_WORDS.get(d, str(d))}") for d in range(2, 51)]
    else:
        return "none"
    value, words = min(candidates, key=lambda c: (abs(c[0] - s), c[0]))
    if abs(value - s) <= 0.005:
        return f"about {words}"
    return f"more than {words}" if s > value else f"nearly {words}"


def times_words(ratio: float) -> str:
    """``2.02`` → ``"twice"``, ``3.05`` → ``"three times"``, ``2.6`` → ``"2.6 times"``."""
    nearest = round(ratio)
    if abs(ratio - nearest) <= 0.1 and 2 <= nearest <= 10:
        return "twice" if nearest == 2 else f"{NUMBER_WORDS[nearest]} times"
    return f"{ratio:.1f} times"


def _whole(x: float) -> str:
    """Rounded half up: 4.5 → ``"5"``."""
    return f"{math.floor(x + 0.5):,}"


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _month_year(day: str) -> str:
    return dt.date.fromisoformat(str(day)[:10]).strftime("%B %Y")


def _list(items: Sequence[str]) -> str:
    return "; ".join(items)


def _alt(kind: str, title: str, body: str, meta: dict, as_of: str) -> str:
    return f"{kind}. {title}. {body} {source_line(meta)}. {as_of}."


def _snapshot(table: pd.DataFrame, meta: dict, ctx: ChartContext) -> Snapshot:
    return Snapshot(Source.from_json(meta), table, ctx.as_of)


def _view(table: pd.DataFrame, ctx: ChartContext) -> pd.DataFrame:
    return _snapshot(table, {}, ctx).view


def _spec(slug: str, fig: Figure, data: pd.DataFrame, title: str, subtitle: str, notes: list[str], alt: str,
          meta: dict, ctx: ChartContext, key_numbers: list[str], *, tight: bool = True) -> ChartSpec:
    """Frame ``fig`` with title, subtitle and footer, and bundle everything into a :class:`ChartSpec`."""
    as_of = as_of_text(meta, ctx.as_of)
    frame_chart(fig, title, subtitle, source_line(meta), notes, as_of, tight=tight)
    return ChartSpec(slug=slug, fig=fig, data=data.reset_index(drop=True), title=title, subtitle=subtitle,
                     notes=notes, alt_text=alt, source_line=source_line(meta), as_of=as_of,
                     key_numbers=key_numbers)


# --------------------------------------------------------------------------------------------------------
# Drawing helpers
# --------------------------------------------------------------------------------------------------------


def _percent_axis(ax, axis: str = "x", top: float | None = None) -> None:  # noqa: ANN001
    fmt = PercentFormatter(xmax=1, decimals=0)
    if axis == "x":
        ax.xaxis.set_major_formatter(fmt)
        ax.xaxis.set_major_locator(MaxNLocator(5, steps=[1, 2, 2.5, 5, 10]))
        ax.grid(axis="y", visible=False)
        ax.spines["left"].set_visible(False)
        if top is not None:
            ax.set_xlim(0, top)
    else:
        ax.yaxis.set_major_formatter(fmt)
        ax.yaxis.set_major_locator(MaxNLocator(5, steps=[1, 2, 2.5, 5, 10]))
        ax.grid(axis="x", visible=False)
        ax.spines["left"].set_visible(False)
        if top is not None:
            ax.set_ylim(0, top)


def _hbars(ax, frame: pd.DataFrame, colours: Sequence[str], *, labels: Sequence[str] | None = None,  # noqa: ANN001
           value_labels: Sequence[str] | None = None, xmax: float | None = None) -> None:
    """Horizontal bars of ``frame.share`` (first row at the top) with 95% interval whiskers; value labels in a
    column to the right of the axes."""
    theme = current_theme()
    y = np.arange(len(frame))[::-1]
    shares = frame["share"].map(_f).fillna(0).to_numpy()
    lows = frame["ci_low"].map(_f).to_numpy()
    highs = frame["ci_high"].map(_f).to_numpy()
    ax.barh(y, shares, height=0.64, color=list(colours), zorder=2)
    ok = ~np.isnan(lows)
    ax.hlines(y[ok], lows[ok], highs[ok], color=theme.reference, linewidth=1.1, zorder=3)
    top = xmax or max(0.05, float(np.nanmax(np.where(ok, highs, shares))) * 1.04)
    for yi, text in zip(y, value_labels or [pct(s) for s in shares], strict=True):
        ax.text(1.03, yi, text, va="center", ha="left", fontsize=SMALL_PT + 0.5, color=theme.text,
                transform=ax.get_yaxis_transform())
    ax.set_yticks(y, list(labels if labels is not None else frame["group"].astype(str)))
    ax.set_ylim(-0.6, len(frame) - 0.4)
    _percent_axis(ax, "x", top)


def _row_text(row: pd.Series) -> str:
    return f"{row['group']} {pct1(row['share'])} ({k_of_n(row['k'], row['n'])})"


# --------------------------------------------------------------------------------------------------------
# The charts
# --------------------------------------------------------------------------------------------------------


def fc_by_crime(table: pd.DataFrame, meta: dict, ctx: ChartContext | Mapping | None = None) -> ChartSpec:
    """False-confession share by crime category, with the share across all crimes for reference."""
    ctx = as_context(ctx)
    table = _view(table, ctx)
    theme = current_theme()
    data = TABLES["crime_category"](table)
    overall = TABLES["overall"](table).iloc[0]
    shown = data[data["n"] > 0].assign(_s=lambda d: d["share"].map(_f)).sort_values(
        ["_s", "n"], ascending=[False, False]).drop(columns="_s")
    named = shown[shown["n"] >= MIN_N]
    if named.empty:
        raise ChartUnavailable("no crime category has enough exonerations to chart")
    # the category named in the title: the highest lower interval bound (high and well measured)
    top = named.loc[named["ci_low"].map(_f).idxmax()]
    title = f"{_cap(share_words(top['share']))} {str(top['group']).lower()} exonerations involved a false confession"
    subtitle = ("Share of exonerations since 1989 in which the exoneree falsely confessed, by the most serious "
                "crime of conviction. Lines show 95% confidence intervals.")
    notes = [f"Across all crimes: {pct1(overall['share'])} ({k_of_n(overall['k'], overall['n'])}). "
             f"Labels give false confessions of all exonerations in each category."]
    fig = new_figure(0.9)
    ax = fig.add_subplot()
    colours = [theme.accent if g == top["group"] else theme.accent_light for g in shown["group"]]
    _hbars(ax, shown, colours, value_labels=[f"{pct(r['share'])}  {k_of_n(r['k'], r['n'])}"
                                             for _, r in shown.iterrows()])
    ax.axvline(_f(overall["share"]), color=theme.reference, linestyle=(0, (3, 2)), linewidth=1, zorder=4)
    ax.text(_f(overall["share"]), len(shown) - 0.45, f" All crimes: {pct(overall['share'])}", va="bottom",
            ha="left", fontsize=SMALL_PT, color=theme.muted)
    body = ("False-confession share by crime: " + _list([_row_text(r) for _, r in shown.iterrows()])
            + f". All crimes: {pct1(overall['share'])} ({k_of_n(overall['k'], overall['n'])}).")
    return _spec("fc-by-crime", fig, data, title, subtitle, notes,
                 _alt("Horizontal bar chart", title, body, meta, as_of_text(meta, ctx.as_of)), meta, ctx,
                 [pct1(top["share"]), pct1(overall["share"])])


JUVENILE_GROUPS = ("13 and under", "14–15", "16–17")


def fc_by_age(table: pd.DataFrame, meta: dict, ctx: ChartContext | Mapping | None = None) -> ChartSpec:
    """False-confession share by age at the time of the crime; juveniles highlighted."""
    ctx = as_context(ctx)
    table = _view(table, ctx)
    theme = current_theme()
    full = TABLES["age_group"](table)
    data = full[full["group"] != UNKNOWN]
    unknown = full.loc[full["group"] == UNKNOWN, "n"].sum()
    juvenile = compute_definition(_snapshot(table, meta, ctx), "fc_share_juvenile")
    adult = compute_definition(_snapshot(table, meta, ctx), "fc_share_adult")
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
    notes = [f"Under 18: {pct1(juvenile.share)} ({k_of_n(juvenile.k, juvenile.n)}); 18 and over: "
             f"{pct1(adult.share)} ({k_of_n(adult.k, adult.n)})."]
    if unknown:
        notes.append(f"Age unknown for {int(unknown):,} exonerations (not shown).")
    fig = new_figure(0.72)
    ax = fig.add_subplot()
    x = np.arange(len(data))
    shares = data["share"].map(_f).fillna(0).to_numpy()
    lows, highs = data["ci_low"].map(_f).to_numpy(), data["ci_high"].map(_f).to_numpy()
    colours = [theme.accent if g in JUVENILE_GROUPS else theme.grey for g in data["group"]]
    ax.bar(x, shares, width=0.66, color=colours, zorder=2)
    ok = ~np.isnan(lows)
    ax.vlines(x[ok], lows[ok], highs[ok], color=theme.reference, linewidth=1.1, zorder=3)
    top = max(0.05, float(np.nanmax(np.where(ok, highs, shares)))) * 1.15
    for xi, s, hi in zip(x, shares, np.where(ok, highs, shares), strict=True):
        ax.text(xi, hi + top * 0.02, pct(s), ha="center", va="bottom", fontsize=LABEL_PT, fontweight="bold",
                color=theme.text)
    ax.set_xticks(x, [f"{g}\n{k_of_n(k, n)}" for g, k, n in zip(data["group"], data["k"], data["n"], strict=True)],
                  fontsize=SMALL_PT + 0.5)
    _percent_axis(ax, "y", top)
    ax.legend(handles=[Patch(color=theme.accent, label="Under 18"), Patch(color=theme.grey, label="18 and over")],
              loc="upper right", handlelength=1, handleheight=1)
    body = ("False-confession share by age at the crime: " + _list([_row_text(r) for _, r in data.iterrows()])
            + f". Under 18: {pct1(juvenile.share)} ({k_of_n(juvenile.k, juvenile.n)}); 18 and over: "
            f"{pct1(adult.share)} ({k_of_n(adult.k, adult.n)}).")
    return _spec("fc-by-age", fig, data, title, subtitle, notes,
                 _alt("Column chart", title, body, meta, as_of_text(meta, ctx.as_of)), meta, ctx,
                 [pct1(juvenile.share), pct1(adult.share)])


def dna_fc_share_history(table: pd.DataFrame, meta: dict, ctx: ChartContext | Mapping | None = None) -> ChartSpec:
    """False-confession share among DNA exonerations in every stored snapshot (``ctx.history``)."""
    ctx = as_context(ctx)
    theme = current_theme()
    history = ctx.history
    if history is None or len(history) == 0:
        raise ChartUnavailable("no history across snapshots was given (ctx.history)")
    dated = history[history["snapshot_date"].notna() & (history["n_dna"] > 0)].copy()
    undated = history[history["snapshot_date"].isna()]
    if dated.empty:
        raise ChartUnavailable("no dated snapshot with DNA exonerations in the history")
    dated["snapshot_date"] = dated["snapshot_date"].astype(str).str[:10]
    dated = dated.sort_values(["snapshot_date", "snapshot_id"]).reset_index(drop=True)
    first, last = dated.iloc[0], dated.iloc[-1]
    change = _f(last["share"]) - _f(first["share"])
    what = "The false-confession share of DNA exonerations"
    if len(dated) == 1:
        title = f"{what} was {pct(last['share'])} in {_month_year(last['snapshot_date'])}"
    elif abs(change) < 0.01:
        title = (f"{what} has held at about {pct(last['share'])} from {_month_year(first['snapshot_date'])} "
                 f"to {_month_year(last['snapshot_date'])}")
    else:
        verb = "rose" if change > 0 else "fell"
        title = (f"{what} {verb} from {pct(first['share'])} in {_month_year(first['snapshot_date'])} to "
                 f"{pct(last['share'])} in {_month_year(last['snapshot_date'])}")
    subtitle = ("Share of DNA exonerations since 1989 in which the exoneree falsely confessed, in each stored "
                "snapshot of the registry. Lines show 95% confidence intervals.")
    notes = ["Each point is the registry as exported on that date; DNA means DNA evidence contributed to the "
             f"exoneration. Dashed line: the Innocence Project's {pct(IP_CLAIM)} (September 2017)."]
    if len(undated):
        notes.append(f"Not shown (no export date): {', '.join(map(str, undated['snapshot_id']))}.")
    fig = new_figure(0.7)
    ax = fig.add_subplot()
    x = pd.to_datetime(dated["snapshot_date"]).to_numpy()
    shares = dated["share"].map(_f).to_numpy()
    lows, highs = dated["ci_low"].map(_f).to_numpy(), dated["ci_high"].map(_f).to_numpy()
    ax.vlines(x, lows, highs, color=theme.accent_light, linewidth=5, zorder=2)
    ax.plot(x, shares, color=theme.accent, marker="o", markersize=6, zorder=3)
    ax.axhline(IP_CLAIM, color=theme.reference, linestyle=(0, (3, 2)), linewidth=1, zorder=1)
    ax.text(x[0], IP_CLAIM, f"Innocence Project: {pct(IP_CLAIM)}", va="bottom", ha="left", fontsize=SMALL_PT,
            color=theme.muted)
    for i in {0, len(dated) - 1}:
        ax.annotate(f"{pct(shares[i])}\n{k_of_n(dated['k_fc_dna'][i], dated['n_dna'][i])}", (x[i], lows[i]),
                    xytext=(0, -6), textcoords="offset points", ha="center", va="top", fontsize=SMALL_PT,
                    color=theme.text)
    top = max(IP_CLAIM, float(np.nanmax(highs))) * 1.18
    _percent_axis(ax, "y", top)
    ax.set_ylim(0, top)
    pad = pd.Timedelta(days=300)
    ax.set_xlim(x[0] - pad, x[-1] + pad)
    body = "Share by snapshot: " + _list([
        f"{day_text(dt.date.fromisoformat(r['snapshot_date']))}: {pct1(r['share'])} "
        f"({k_of_n(r['k_fc_dna'], r['n_dna'])})" for _, r in dated.iterrows()]) + "."
    return _spec("dna-fc-share-history", fig, dated, title, subtitle, notes,
                 _alt("Line chart", title, body, meta, as_of_text(meta, ctx.as_of)), meta, ctx,
                 [pct1(first["share"]), pct1(last["share"])])


SHORT_LABELS = {
    "exoneree's own false confession": "Own confession",
    "own or a co-defendant's confession": "Own or co-defendant's",
    "own or a co-defendant's confession, or a guilty plea": "Own, co-defendant's or plea",
    "DNA in any role": "any DNA",
    "DNA central, not a minor factor": "DNA central",
}


def _panel_title(when: str) -> str:
    """``latest snapshot (26 June 2026)`` → ``Latest snapshot\n26 Jun 2026``."""
    found = re.search(r"(\d{1,2}) ([A-Z][a-z]+) (\d{4})", when)
    if not found:
        return textwrap.fill(_cap(when), 16)
    short = f"{found.group(1)} {found.group(2)[:3]} {found.group(3)}"
    prefix = when[:found.start()].strip(" (").rstrip()
    prefix = {"latest snapshot": "Latest data", "registry as of": "Registry as of",
              "snapshot of": "Snapshot of"}.get(prefix.lower(), _cap(prefix))
    return f"{prefix}\n{short}"


def _bool(value: object) -> bool:
    if isinstance(value, str):
        return value.strip().lower() in ("true", "1", "yes")
    return bool(value) if not pd.isna(value) else False


def reconciliation_32(table: pd.DataFrame, meta: dict, ctx: ChartContext | Mapping | None = None) -> ChartSpec:
    """Every reading of the Innocence Project's 32% computed on the registry, against a line at 32%."""
    ctx = as_context(ctx)
    theme = current_theme()
    rec = ctx.reconciliation
    if rec is None or len(rec) == 0:
        raise ChartUnavailable("no reconciliation table was given (ctx.reconciliation)")
    data = rec[rec["n"] > 0].reset_index(drop=True)
    if data.empty:
        raise ChartUnavailable("no definition in the reconciliation table could be computed")
    inside = data["interval_contains_32"].map(_bool)
    plain = data[(data["dna_definition"] == "DNA in any role")
                 & (data["confession_definition"] == "exoneree's own false confession")
                 & (data["crimes"] == "all crimes")]
    lead = plain.iloc[0] if len(plain) else data.iloc[0]
    lead_inside = _bool(lead["interval_contains_32"])
    if len(plain):
        title = (f"On the registry's own flags, {pct(lead['share'])} of DNA exonerations involved a false "
                 f"confession, " + ("in line with the 32% figure" if lead_inside else "not 32%"))
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
        rows.append((_cap(str(crimes)), None))
        rows += [(f"{SHORT_LABELS.get(c[2], c[2])}, {SHORT_LABELS.get(c[1], c[1])}", c)
                 for c in keys if c[0] == crimes]
    fig = new_figure(max(0.7, 0.05 * len(rows) + 0.3))
    axes = fig.subplots(1, len(whens), sharey=True, squeeze=False)[0]
    y = np.arange(len(rows))[::-1]
    top = max(IP_CLAIM, float(np.nanmax(data["ci_high"].map(_f)))) * 1.25
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
            r = match.iloc[0]
            colour = theme.accent if inside[match.index[0]] else theme.grey
            ax.hlines(yi, _f(r["ci_low"]), _f(r["ci_high"]), color=colour, linewidth=1.6, zorder=2)
            ax.plot([_f(r["share"])], [yi], "o", color=colour, markersize=5, zorder=3)
            ax.text(_f(r["ci_high"]) + top * 0.03, yi, pct(r["share"]), va="center", ha="left",
                    fontsize=SMALL_PT - 1, color=theme.text if inside[match.index[0]] else theme.muted, zorder=4,
                    bbox={"facecolor": theme.background, "edgecolor": "none", "pad": 0.4})
        ax.axvline(IP_CLAIM, color=theme.reference, linestyle=(0, (3, 2)), linewidth=1, zorder=1)
        ax.set_title(_panel_title(str(when)), fontsize=SMALL_PT, color=theme.text, loc="left",
                     fontweight="bold")
        _percent_axis(ax, "x", top)
        ax.set_xticks([0, IP_CLAIM], ["0", "32%"], fontsize=SMALL_PT)
        ax.grid(axis="x", visible=False)
    axes[0].set_yticks(y, [label for label, _ in rows], fontsize=SMALL_PT)
    for tick, (_, key) in zip(axes[0].get_yticklabels(), rows, strict=True):
        if key is None:
            tick.set_fontweight("bold")
    axes[0].set_ylim(-0.6, len(rows) - 0.4)
    body = "Readings: " + _list([
        f"{r['definition']}: {pct1(r['share'])} ({k_of_n(r['k'], r['n'])}), interval "
        f"{'includes' if inside[i] else 'excludes'} 32%" for i, r in data.iterrows()]) + "."
    return _spec("reconciliation-32", fig, data, title, subtitle, notes,
                 _alt("Dot chart with intervals", title, body, meta, as_of_text(meta, ctx.as_of)), meta, ctx,
                 [pct1(lead["share"]), "32%"])


def _snapshot_year(meta: dict) -> int | None:
    day = meta.get("snapshot_date")
    return int(str(day)[:4]) if day else None


def fc_by_exoneration_year(table: pd.DataFrame, meta: dict, ctx: ChartContext | Mapping | None = None) -> ChartSpec:
    """Exonerations per year with and without a false confession (counts) and the false-confession share."""
    ctx = as_context(ctx)
    table = _view(table, ctx)
    theme = current_theme()
    data = TABLES["exoneration_year"](table)
    data = data[data["group"] != UNKNOWN].reset_index(drop=True)
    if data.empty:
        raise ChartUnavailable("no exoneration years in the table")
    years = data["group"].astype(int).to_numpy()
    k, n = data["k"].to_numpy(), data["n"].to_numpy()
    partial_year = (ctx.as_of.year if ctx.as_of else _snapshot_year(meta))
    partial = years == partial_year
    complete = data[~partial]
    recent = complete.tail(5)
    early = complete[(complete["group"].astype(int) >= 1990) & (complete["group"].astype(int) <= 1999)]
    if len(early) == 0:
        early = complete.head(5)
    recent_mean, early_mean = recent["k"].mean(), early["k"].mean()
    early_label = "in the 1990s" if early["group"].astype(int).min() >= 1990 and len(early) == 10 else (
        f"in {int(early['group'].min())}–{int(early['group'].max())}")
    direction = "up" if recent_mean >= early_mean else "down"
    span = f"{int(recent['group'].min())}–{int(recent['group'].max())}"
    title = (f"About {_whole(recent_mean)} exonerations a year involved a false confession in {span}, "
             f"{direction} from about {_whole(early_mean)} a year {early_label}")
    subtitle = ("Exonerations since 1989 by year of exoneration, with and without a false confession by the "
                "exoneree (top), and the false-confession share with its 95% confidence band (bottom).")
    notes = []
    if partial.any():
        notes.append(f"{partial_year} is a partial year (to the data date).")
    fig = new_figure(0.8)
    grid = fig.add_gridspec(2, 1, height_ratios=[3, 2])
    ax1 = fig.add_subplot(grid[0])
    ax2 = fig.add_subplot(grid[1], sharex=ax1)
    alpha = np.where(partial, 0.55, 1.0)
    for i, year in enumerate(years):
        ax1.bar(year, k[i], width=0.8, color=theme.accent, alpha=alpha[i], zorder=2)
        ax1.bar(year, n[i] - k[i], bottom=k[i], width=0.8, color=theme.grey_light, alpha=alpha[i], zorder=2)
    ax1.grid(axis="x", visible=False)
    ax1.spines["left"].set_visible(False)
    ax1.yaxis.set_major_locator(MaxNLocator(4, integer=True))
    ax1.legend(handles=[Patch(color=theme.accent, label="False confession"),
                        Patch(color=theme.grey_light, label="Other exonerations")],
               loc="upper left", handlelength=1, handleheight=1)
    ax1.tick_params(labelbottom=False)
    shares = data["share"].map(_f).to_numpy()
    lows, highs = data["ci_low"].map(_f).to_numpy(), data["ci_high"].map(_f).to_numpy()
    ax2.fill_between(years, lows, highs, color=theme.accent_light, linewidth=0, zorder=1, step=None)
    ax2.plot(years, shares, color=theme.accent, linewidth=1.8, zorder=2)
    _percent_axis(ax2, "y", max(0.05, float(np.nanmax(highs)) * 1.08))
    ax2.xaxis.set_major_locator(MaxNLocator(6, integer=True))
    ax1.set_xlim(years.min() - 0.7, years.max() + 0.7)
    peak = data.iloc[int(np.argmax(k))]
    body = (f"Per year, false-confession exonerations averaged {recent_mean:.1f} in {span} and {early_mean:.1f} "
            f"{early_label}; the most in one year was {int(peak['k'])} in {int(peak['group'])}. By year: "
            + _list([f"{int(r['group'])} {k_of_n(r['k'], r['n'])} ({pct(r['share'])})" for _, r in data.iterrows()])
            + ".")
    return _spec("fc-by-exoneration-year", fig, data, title, subtitle, notes,
                 _alt("Column chart above a line chart", title, body, meta, as_of_text(meta, ctx.as_of)), meta,
                 ctx, [f"{recent_mean:.1f}", str(int(peak["k"]))])


YEAR_BINS = [*range(0, 42, 2), math.inf]
"""Two-year bands from 0 to 40 years, then 40 or more."""


def years_lost_bins(table: pd.DataFrame) -> pd.DataFrame:
    """Distribution of years lost in the default population (exonerations since 1989, value known), by group
    (false confession or not): records per bin ``[years_from, years_to)``, and their share of the group."""
    population = ~table["pre_1989"].fillna(False).astype(bool) & table["years_lost"].notna()
    fc = table["fc"].fillna(False).astype(bool)
    rows = []
    for group, mask in (("False confession", fc), ("No false confession", ~fc)):
        years = table.loc[population & mask, "years_lost"].astype("float64")
        counts = pd.cut(years, YEAR_BINS, right=False).value_counts(sort=False)
        for (lo, hi), count in zip(zip(YEAR_BINS[:-1], YEAR_BINS[1:], strict=True), counts, strict=True):
            label = f"{lo}+" if math.isinf(hi) else f"{lo}–{hi}"
            rows.append({"group": group, "bin": label, "years_from": float(lo),
                         "years_to": None if math.isinf(hi) else float(hi), "records": int(count),
                         "n_known": len(years), "share": count / len(years) if len(years) else None})
    out = pd.DataFrame(rows)
    out["share"] = pd.array(list(out["share"]), dtype="Float64")
    out["years_to"] = pd.array(list(out["years_to"]), dtype="Float64")
    return out


def years_lost(table: pd.DataFrame, meta: dict, ctx: ChartContext | Mapping | None = None) -> ChartSpec:
    """How many years exonerees lost, false confessors against everyone else (distribution and medians)."""
    ctx = as_context(ctx)
    table = _view(table, ctx)
    theme = current_theme()
    summary = TABLES["time_lost"](table).set_index("group")
    bins = years_lost_bins(table)
    if summary["n_known"].min() == 0:
        raise ChartUnavailable("years lost are not known for one of the groups")
    medians = {g: _f(summary.loc[g, "median"]) for g in summary.index}
    bins["median"] = bins["group"].map(medians)
    m_fc, m_other = medians["False confession"], medians["No false confession"]
    title = (f"People who falsely confessed lost a median of {m_fc:.1f} years to a wrongful conviction, "
             f"against {m_other:.1f} for other exonerees")
    subtitle = ("Years from conviction to release, exonerations since 1989, by whether the exoneree falsely "
                "confessed: share of each group in each band of years, with the median.")
    basis = summary["basis"].astype(str)
    notes = [f"Known for {int(summary.loc['False confession', 'n_known']):,} of "
             f"{int(summary.loc['False confession', 'n']):,} false-confession and "
             f"{int(summary.loc['No false confession', 'n_known']):,} of "
             f"{int(summary.loc['No false confession', 'n']):,} other exonerations."]
    if (basis != "given").any():
        notes.append("Years lost derived by the project where the export does not give them (release or "
                     "exoneration minus conviction).")
    fig = new_figure(0.75)
    grid = fig.add_gridspec(2, 1)
    axes = [fig.add_subplot(grid[0])]
    axes.append(fig.add_subplot(grid[1], sharex=axes[0], sharey=axes[0]))
    last_edge = YEAR_BINS[-2] + 2
    for ax, group, colour in zip(axes, ("False confession", "No false confession"), (theme.accent, theme.grey),
                                 strict=True):
        part = bins[bins["group"] == group]
        lefts = part["years_from"].to_numpy()
        widths = np.array([(_f(t) if not math.isnan(_f(t)) else last_edge) for t in part["years_to"]]) - lefts
        ax.bar(lefts, part["share"].map(_f).to_numpy(), width=widths * 0.92, align="edge", color=colour, zorder=2)
        ax.axvline(medians[group], color=theme.reference, linewidth=1.2, zorder=3)
        label = "False confession" if group == "False confession" else "Other exonerations"
        ax.text(0.99, 0.95, label, transform=ax.transAxes, ha="right", va="top", fontsize=LABEL_PT,
                fontweight="bold", color=colour if group == "False confession" else theme.text)
        ax.text(medians[group], 0.95, f" median {medians[group]:.1f} years", transform=ax.get_xaxis_transform(),
                ha="left", va="top", fontsize=SMALL_PT, color=theme.text)
        _percent_axis(ax, "y")
        ax.yaxis.set_major_locator(MaxNLocator(3, steps=[1, 2, 2.5, 5, 10]))
    axes[0].tick_params(labelbottom=False)
    axes[1].set_xlim(0, last_edge)
    ticks = [0, 5, 10, 15, 20, 25, 30, 35]
    axes[1].set_xticks([*ticks, last_edge - 1], [f"{t}" for t in ticks] + [f"{YEAR_BINS[-2]}+"])
    axes[1].set_xlabel("Years lost")
    q = {g: (_f(summary.loc[g, "q1"]), _f(summary.loc[g, "q3"])) for g in summary.index}
    body = (f"Median years lost: false confession {m_fc:.1f} (middle half {q['False confession'][0]:.1f} to "
            f"{q['False confession'][1]:.1f}); other exonerations {m_other:.1f} (middle half "
            f"{q['No false confession'][0]:.1f} to {q['No false confession'][1]:.1f}).")
    return _spec("years-lost", fig, bins, title, subtitle, notes,
                 _alt("Two histograms", title, body, meta, as_of_text(meta, ctx.as_of)), meta, ctx,
                 [f"{m_fc:.1f}", f"{m_other:.1f}"])


def co_occurring_factors(table: pd.DataFrame, meta: dict, ctx: ChartContext | Mapping | None = None) -> ChartSpec:
    """Among false-confession exonerations, the share that also carry each other factor."""
    ctx = as_context(ctx)
    table = _view(table, ctx)
    theme = current_theme()
    data = TABLES["co_occurring"](table)
    if data["n"].max() == 0:
        raise ChartUnavailable("no false-confession exonerations in the table")
    shown = data.assign(_s=data["share"].map(_f)).sort_values("_s", ascending=False, kind="stable").drop(columns="_s")
    top = shown.iloc[0]
    n = int(top["n"])
    title = (f"{_cap(share_words(top['share']))} false-confession exonerations also involved "
             f"{str(top['group'])[0].lower()}{str(top['group'])[1:]}")
    subtitle = (f"Share of the {n:,} false-confession exonerations since 1989 that also carry each factor. "
                "Lines show 95% confidence intervals.")
    notes = []
    unknown = shown[shown["unknown"] > 0] if "unknown" in shown else shown.iloc[0:0]
    if len(unknown):
        notes.append("Not coded either way (counted as absent): " + ", ".join(
            f"{r['group'].lower()} {int(r['unknown']):,}" for _, r in unknown.iterrows()) + ".")
    fig = new_figure(0.78)
    ax = fig.add_subplot()
    colours = [theme.accent if i == 0 else theme.accent_light for i in range(len(shown))]
    _hbars(ax, shown, colours, value_labels=[f"{pct(r['share'])} ({int(r['k']):,})" for _, r in shown.iterrows()])
    body = f"Of {n:,} false-confession exonerations: " + _list(
        [f"{r['group']} {pct1(r['share'])} ({k_of_n(r['k'], r['n'])})" for _, r in shown.iterrows()]) + "."
    return _spec("co-occurring-factors", fig, data, title, subtitle, notes,
                 _alt("Horizontal bar chart", title, body, meta, as_of_text(meta, ctx.as_of)), meta, ctx,
                 [pct1(top["share"])])


# Hand-placed tile grid: (column, row) for 50 states, DC and Puerto Rico; row 0 at the top.
TILE_GRID: dict[str, tuple[int, int]] = {
    "AK": (0, 0), "ME": (10, 0),
    "VT": (9, 1), "NH": (10, 1),
    "WA": (0, 2), "ID": (1, 2), "MT": (2, 2), "ND": (3, 2), "MN": (4, 2), "IL": (5, 2), "WI": (6, 2), "MI": (7, 2),
    "NY": (8, 2), "RI": (9, 2), "MA": (10, 2),
    "OR": (0, 3), "NV": (1, 3), "WY": (2, 3), "SD": (3, 3), "IA": (4, 3), "IN": (5, 3), "OH": (6, 3), "PA": (7, 3),
    "NJ": (8, 3), "CT": (9, 3),
    "CA": (0, 4), "UT": (1, 4), "CO": (2, 4), "NE": (3, 4), "MO": (4, 4), "KY": (5, 4), "WV": (6, 4), "VA": (7, 4),
    "MD": (8, 4), "DE": (9, 4),
    "AZ": (1, 5), "NM": (2, 5), "KS": (3, 5), "AR": (4, 5), "TN": (5, 5), "NC": (6, 5), "SC": (7, 5), "DC": (8, 5),
    "OK": (3, 6), "LA": (4, 6), "MS": (5, 6), "AL": (6, 6), "GA": (7, 6),
    "HI": (0, 7), "TX": (3, 7), "FL": (8, 7), "PR": (10, 7),
}
SHARE_CLASSES = (0.0, 0.05, 0.10, 0.15, 0.20)
"""Lower bounds of the colour classes (the last is open-ended)."""
MIN_STATE_N = 10


def state_tile_map(table: pd.DataFrame, meta: dict, ctx: ChartContext | Mapping | None = None) -> ChartSpec:
    """A tile grid map of the states: colour = false-confession share, label = false confessions of all."""
    ctx = as_context(ctx)
    table = _view(table, ctx)
    theme = current_theme()
    full = TABLES["state"](table)
    drawn = full["state_abbr"].isin(list(TILE_GRID)).fillna(False).astype(bool)
    data = full[drawn].reset_index(drop=True)
    hidden = full[~drawn & (full["n"] > 0)]
    if data.empty:
        raise ChartUnavailable("no state is known for these exonerations")
    total_k = int(full["k"].sum())
    top = data.sort_values(["k", "n"], ascending=[False, True]).iloc[0]
    share_of_all = top["k"] / total_k if total_k else float("nan")
    title = (f"{top['state']} accounts for {share_words(share_of_all)} false-confession exonerations: "
             f"{int(top['k']):,} of {total_k:,}")
    subtitle = ("Share of each state's exonerations since 1989 in which the exoneree falsely confessed. "
                "Labels: false confessions / all exonerations.")
    notes = ["Federal cases are counted in the state of their district. Each tile is one state, not to scale."]
    if len(hidden):
        notes.append("Not shown: " + ", ".join(f"{r['group']} ({k_of_n(r['k'], r['n'])})"
                                              for _, r in hidden.iterrows()) + ".")
    ramp = list(theme.ramp)
    fig = new_figure(1.04)
    ax = fig.add_axes((0, 0, 1, 1))
    by_abbr = {r["state_abbr"]: r for _, r in data.iterrows()}
    count_pt = SMALL_PT - (3.0 if current_size().square else 2.2)
    for abbr, (col, row) in TILE_GRID.items():
        r = by_abbr.get(abbr)
        n = int(r["n"]) if r is not None else 0
        if n >= MIN_STATE_N:
            level = int(np.searchsorted(SHARE_CLASSES, _f(r["share"]), side="right")) - 1
            fill = ramp[max(0, level)]
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
        x0 = 1.5 + i * 1.0
        ax.add_patch(Rectangle((x0, 0.3), 1.0, 0.3, facecolor=colour, edgecolor=theme.background, linewidth=0.8))
        label = f"{round(bound * 100)}%" + ("+" if i == len(SHARE_CLASSES) - 1 else "")
        ax.text(x0, 0.22, label, ha="center" if i else "left", va="top", fontsize=SMALL_PT - 1, color=theme.text)
    ax.add_patch(Rectangle((1.5, -0.75), 0.5, 0.3, facecolor=theme.grey_light, edgecolor="none"))
    ax.text(2.1, -0.6, f"Fewer than {MIN_STATE_N} exonerations", ha="left", va="center", fontsize=SMALL_PT - 1,
            color=theme.text)
    ax.set_xlim(-0.05, 11.05)
    ax.set_ylim(-7.05, 1.0)
    ax.set_aspect("equal")
    ax.axis("off")
    spec = _spec("state-tile-map", fig, data, title, subtitle, notes, "", meta, ctx,
                 [str(int(top["k"])), pct1(top["share"])], tight=False)
    _fit_axes(fig, ax)
    ranked = data[data["n"] >= MIN_STATE_N].assign(_s=lambda d: d["share"].map(_f)).sort_values(
        "_s", ascending=False)
    body = (f"{top['state']}: {k_of_n(top['k'], top['n'])} exonerations involved a false confession "
            f"({pct1(top['share'])}). Highest shares among states with at least {MIN_STATE_N} exonerations: "
            + _list([_row_text(r) for _, r in ranked.head(5).iterrows()]) + ". Lowest: "
            + _list([_row_text(r) for _, r in ranked.tail(3).iloc[::-1].iterrows()]) + ".")
    spec.alt_text = _alt("Tile grid map of US states", title, body, meta, as_of_text(meta, ctx.as_of))
    return spec


def _fit_axes(fig: Figure, ax) -> None:  # noqa: ANN001
    """Place ``ax`` in the space between the frame's header and footer (for hand-placed axes)."""
    texts = sorted(fig.texts, key=lambda t: t.get_position()[1])
    renderer = fig.canvas.get_renderer()
    footer = texts[0].get_window_extent(renderer).transformed(fig.transFigure.inverted())
    header = min(t.get_window_extent(renderer).transformed(fig.transFigure.inverted()).y0 for t in texts[1:])
    ax.set_position((0.02, footer.y1 + 0.02, 0.96, header - footer.y1 - 0.04))


def race_fc_vs_all(table: pd.DataFrame, meta: dict, ctx: ChartContext | Mapping | None = None) -> ChartSpec:
    """Racial make-up of false-confession exonerees against that of all exonerees."""
    ctx = as_context(ctx)
    table = _view(table, ctx)
    theme = current_theme()
    data = TABLES["race"](table)
    total_k, total_n = int(data["k"].sum()), int(data["n"].sum())
    if total_k == 0:
        raise ChartUnavailable("no false-confession exonerations in the table")
    data = data.assign(share_of_fc=data["k"] / total_k, share_of_all=data["n"] / total_n)
    largest = data.iloc[0]
    x_fc, x_all = float(largest["share_of_fc"]), float(largest["share_of_all"])
    who = f"{largest['group']} exonerees"
    if abs(x_fc - x_all) < 0.03:
        title = (f"{who} were {pct(x_fc)} of those who falsely confessed, in line with their {pct(x_all)} of all "
                 "exonerations")
    else:
        word = "more" if x_fc > x_all else "less"
        title = (f"{who} were {pct(x_fc)} of those who falsely confessed, {word} than their {pct(x_all)} of all "
                 "exonerations")
    subtitle = (f"Race of the {total_k:,} exonerees since 1989 who falsely confessed, against all {total_n:,} "
                "exonerees since 1989, as coded by the registry.")
    notes = ["Percentages are of each total; race as coded by the registry (Hispanic is a separate category)."]
    fig = new_figure(0.8)
    ax = fig.add_subplot()
    y = np.arange(len(data))[::-1]
    h = 0.38
    ax.barh(y + h / 2, data["share_of_fc"], height=h, color=theme.accent, zorder=2, label="Falsely confessed")
    ax.barh(y - h / 2, data["share_of_all"], height=h, color=theme.grey, zorder=2, label="All exonerees")
    top = float(max(data["share_of_fc"].max(), data["share_of_all"].max())) * 1.25
    for yi, a, b, k, n in zip(y, data["share_of_fc"], data["share_of_all"], data["k"], data["n"], strict=True):
        ax.text(a + top * 0.012, yi + h / 2, f"{pct(a)} ({int(k):,})", va="center", fontsize=SMALL_PT,
                color=theme.text)
        ax.text(b + top * 0.012, yi - h / 2, f"{pct(b)} ({int(n):,})", va="center", fontsize=SMALL_PT,
                color=theme.muted)
    ax.set_yticks(y, list(data["group"].astype(str)))
    ax.set_ylim(-0.7, len(data) - 0.3)
    _percent_axis(ax, "x", top)
    ax.legend(loc="lower right", handlelength=1, handleheight=1)
    body = "Share of false confessors and of all exonerees: " + _list([
        f"{r['group']} {pct1(r['share_of_fc'])} of false confessors ({int(r['k']):,}) and {pct1(r['share_of_all'])} "
        f"of all exonerees ({int(r['n']):,})" for _, r in data.iterrows()]) + "."
    return _spec("race-fc-vs-all", fig, data, title, subtitle, notes,
                 _alt("Grouped horizontal bar chart", title, body, meta, as_of_text(meta, ctx.as_of)), meta, ctx,
                 [pct1(x_fc), pct1(x_all)])


MIN_DECADE_FC = 10


def juvenile_share_over_time(table: pd.DataFrame, meta: dict,
                             ctx: ChartContext | Mapping | None = None) -> ChartSpec:
    """Share of false-confession exonerees who were under 18 at the crime, by decade of exoneration."""
    ctx = as_context(ctx)
    table = _view(table, ctx)
    theme = current_theme()
    full = TABLES["juvenile_by_decade"](table)
    cols = ["group", "n_fc", "k_juvenile_fc", "share_juvenile_among_fc", "ci_low_juvenile_among_fc",
            "ci_high_juvenile_among_fc"]
    small = full[(full["n_fc"] > 0) & (full["n_fc"] < MIN_DECADE_FC)]
    data = full.loc[full["n_fc"] >= MIN_DECADE_FC, cols].reset_index(drop=True)
    named = data[data["n_fc"] >= 20]
    if named.empty:
        raise ChartUnavailable("too few false-confession exonerations per decade")
    latest = named.iloc[-1]
    s = _f(latest["share_juvenile_among_fc"])
    title = (f"{_cap(share_words(s))} false confessors exonerated in the {latest['group']} were under 18 at the "
             "time of the crime")
    peak = named.loc[named["share_juvenile_among_fc"].map(_f).idxmax()]
    if peak["group"] != latest["group"] and _f(peak["share_juvenile_among_fc"]) - s >= 0.05:
        title += f", down from {pct(peak['share_juvenile_among_fc'])} in the {peak['group']}"
    elif len(named) > 1 and s - _f(named.iloc[0]["share_juvenile_among_fc"]) >= 0.05:
        title += f", up from {pct(named.iloc[0]['share_juvenile_among_fc'])} in the {named.iloc[0]['group']}"
    subtitle = ("Share of false-confession exonerations in which the exoneree was under 18 at the time of the "
                "crime, by decade of exoneration. Lines show 95% confidence intervals.")
    notes = ["Age unknown counts as not under 18."]
    if len(small):
        notes.append(f"Not shown (fewer than {MIN_DECADE_FC} false confessions): " + ", ".join(
            f"{r['group']}{' (1989 only)' if r['group'] == '1980s' else ''}: {k_of_n(r['k_juvenile_fc'], r['n_fc'])}"
            for _, r in small.iterrows()) + ".")
    fig = new_figure(0.66)
    ax = fig.add_subplot()
    x = np.arange(len(data))
    shares = data["share_juvenile_among_fc"].map(_f).to_numpy()
    lows = data["ci_low_juvenile_among_fc"].map(_f).to_numpy()
    highs = data["ci_high_juvenile_among_fc"].map(_f).to_numpy()
    colours = [theme.accent if n >= 20 else theme.accent_light for n in data["n_fc"]]
    ax.bar(x, shares, width=0.6, color=colours, zorder=2)
    ax.vlines(x, lows, highs, color=theme.reference, linewidth=1.1, zorder=3)
    top = max(0.05, float(np.nanmax(highs))) * 1.12
    for xi, sh, hi in zip(x, shares, highs, strict=True):
        ax.text(xi, hi + top * 0.02, pct(sh), ha="center", va="bottom", fontsize=LABEL_PT, fontweight="bold",
                color=theme.text)
    ax.set_xticks(x, [f"{g}\n{k_of_n(k, n)}" for g, k, n in zip(data["group"], data["k_juvenile_fc"],
                                                                data["n_fc"], strict=True)], fontsize=SMALL_PT + 0.5)
    _percent_axis(ax, "y", top)
    body = "Juveniles among false confessors by decade of exoneration: " + _list([
        f"{r['group']} {pct1(r['share_juvenile_among_fc'])} ({k_of_n(r['k_juvenile_fc'], r['n_fc'])})"
        for _, r in data.iterrows()]) + "."
    return _spec("juvenile-share-over-time", fig, data, title, subtitle, notes,
                 _alt("Column chart", title, body, meta, as_of_text(meta, ctx.as_of)), meta, ctx, [pct1(s)])


ChartFunction = Callable[[pd.DataFrame, dict, "ChartContext | Mapping | None"], ChartSpec]

CHARTS: dict[str, ChartFunction] = {
    "fc-by-crime": fc_by_crime,
    "fc-by-age": fc_by_age,
    "dna-fc-share-history": dna_fc_share_history,
    "reconciliation-32": reconciliation_32,
    "fc-by-exoneration-year": fc_by_exoneration_year,
    "years-lost": years_lost,
    "co-occurring-factors": co_occurring_factors,
    "state-tile-map": state_tile_map,
    "race-fc-vs-all": race_fc_vs_all,
    "juvenile-share-over-time": juvenile_share_over_time,
}
"""Every chart by slug (the folder name under ``reports/figures/``)."""

TABLE_OF_CHART = {
    "fc-by-crime": "crime_category", "fc-by-age": "age_group", "fc-by-exoneration-year": "exoneration_year",
    "co-occurring-factors": "co_occurring", "state-tile-map": "state", "race-fc-vs-all": "race",
    "juvenile-share-over-time": "juvenile_by_decade", "years-lost": "time_lost",
    "dna-fc-share-history": "history", "reconciliation-32": "reconciliation",
}
"""The ``reports/tables/<name>.csv`` each chart's numbers come from."""
