"""The shapes of the interactive embeds: which column is what (:class:`Roles`), the rows as the embed holds them
(:func:`records`: ``data.csv``'s values plus ``tip_`` tooltip text worded by :mod:`analysis.analyse.wording`), and
one small altair builder per chart shape (:data:`BUILDERS`, by slug; others by the kind that opens their alt text).
Each builder returns the layers and the height in pixels; :mod:`analysis.charts.embed` puts them on a page.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import altair as alt
import pandas as pd

from analysis.analyse.wording import interval_text, k_of_n, pct1
from analysis.charts.style import THEMES
from analysis.files import safe_frame

__all__ = ["BUILDERS", "TIP", "Roles", "builder_for", "records", "roles", "table"]

THEME = THEMES["light"]
TIP = "tip_"  # prefix of the tooltip text columns the embed adds to the bundle's data


@dataclass(frozen=True)
class Roles:
    """Which data column holds the label, k, n, share and its interval (None when the chart has none)."""

    label: str
    k: str | None
    n: str | None
    share: str | None
    low: str | None
    high: str | None


def _first(columns: list[str], exact: str, prefix: str) -> str | None:
    if exact in columns:
        return exact
    return next((c for c in columns if c.startswith(prefix)), None)


def roles(frame: pd.DataFrame) -> Roles:
    cols = [str(c) for c in frame.columns]
    label = next((c for c in ("group", "definition", "snapshot_date") if c in cols), cols[0])
    return Roles(label, _first(cols, "k", "k_"), _first(cols, "n", "n_"), _first(cols, "share", "share"),
                 _first(cols, "ci_low", "ci_low"), _first(cols, "ci_high", "ci_high"))


def _plain(value: object) -> object:
    """A JSON value: numpy scalars as Python, missing as None."""
    if hasattr(value, "item"):
        value = value.item()
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return None
    return value


def records(frame: pd.DataFrame, r: Roles | None = None) -> list[dict]:
    """The rows of ``frame`` as ``data.csv`` holds them (text neutralised), plus ``tip_`` tooltip text."""
    r = r or roles(frame)
    rows = [{str(k): _plain(v) for k, v in row.items()} for row in safe_frame(frame).to_dict("records")]
    for row in rows:
        k, n = (row.get(r.k), row.get(r.n)) if r.k and r.n else (None, None)
        share, low, high = (row.get(c) if c else None for c in (r.share, r.low, r.high))
        row[f"{TIP}k_of_n"] = k_of_n(k, n) if k is not None and n is not None else "not recorded"
        row[f"{TIP}share"] = pct1(share) if share is not None else "not recorded"
        row[f"{TIP}interval"] = interval_text(low, high) if low is not None and high is not None else "no interval"
    return rows


def _tips(r: Roles, *extra: alt.Tooltip) -> list[alt.Tooltip]:
    return [alt.Tooltip(f"{r.label}:N", title="Group"), *extra,
            alt.Tooltip(f"{TIP}k_of_n:N", title="k of n"), alt.Tooltip(f"{TIP}share:N", title="Share"),
            alt.Tooltip(f"{TIP}interval:N", title="95% interval")]


def _pct_axis(title: str | None = None) -> alt.Axis:
    return alt.Axis(format=".0%", title=title, grid=True)


Layers = tuple[list[alt.Chart], int]  # the layers and the height in pixels


def hbars(r: Roles, rows: list[dict], spec: object) -> Layers:
    """Horizontal bars of the share (first row at the top) with 95% interval rules; a ``series`` column (e.g.
    state vs national) is drawn as side-by-side bars in two colours."""
    series = "series" in rows[0] if rows else False
    y = alt.Y(f"{r.label}:N", sort=None, title=None, axis=alt.Axis(labelLimit=220))
    extra = dict(yOffset=alt.YOffset("series:N", sort=None)) if series else {}
    colour = (alt.Color("series:N", sort=None, scale=alt.Scale(range=[THEME.accent, THEME.grey]),
                        legend=alt.Legend(title=None, orient="top"))
              if series else alt.value(THEME.accent))
    tips = _tips(r, *([alt.Tooltip("series:N", title="Series")] if series else []))
    base = alt.Chart()
    bars = base.mark_bar().encode(x=alt.X(f"{r.share}:Q", axis=_pct_axis()), y=y, color=colour, tooltip=tips,
                                  **extra)
    layers = [bars]
    if r.low and r.high:
        layers.append(base.mark_rule(color=THEME.reference).encode(x=f"{r.low}:Q", x2=f"{r.high}:Q", y=y,
                                                                   tooltip=tips, **extra))
    groups = len({row.get(r.label) for row in rows})
    return layers, max(120, groups * (44 if series else 26))


def vbars(r: Roles, rows: list[dict], spec: object) -> Layers:
    """Columns of the share (first row on the left) with 95% interval rules."""
    x = alt.X(f"{r.label}:N", sort=None, title=None, axis=alt.Axis(labelAngle=0))
    base, tips = alt.Chart(), _tips(r)
    layers = [base.mark_bar(color=THEME.accent).encode(x=x, y=alt.Y(f"{r.share}:Q", axis=_pct_axis()),
                                                        tooltip=tips)]
    if r.low and r.high:
        layers.append(base.mark_rule(color=THEME.reference).encode(x=x, y=f"{r.low}:Q", y2=f"{r.high}:Q",
                                                                   tooltip=tips))
    return layers, 320


def by_year(r: Roles, rows: list[dict], spec: object) -> Layers:
    """Exonerations per year (grey columns) and those with a false confession (accent columns in front)."""
    x = alt.X(f"{r.label}:O", sort=None, title=None, axis=alt.Axis(labelAngle=-90))
    base, tips = alt.Chart(), _tips(r)
    return [base.mark_bar(color=THEME.grey_light).encode(x=x, y=alt.Y(f"{r.n}:Q", title="Exonerations"),
                                                         tooltip=tips),
            base.mark_bar(color=THEME.accent).encode(x=x, y=f"{r.k}:Q", tooltip=tips)], 320


def history(r: Roles, rows: list[dict], spec: object) -> Layers:
    """The share in each snapshot over time: a line with points and 95% interval rules."""
    x = alt.X("snapshot_date:T", title=None)
    base, tips = alt.Chart(), _tips(r)
    return [base.mark_rule(color=THEME.accent_light, strokeWidth=5).encode(x=x, y=f"{r.low}:Q", y2=f"{r.high}:Q",
                                                                           tooltip=tips),
            base.mark_line(color=THEME.accent, point=True).encode(x=x, y=alt.Y(f"{r.share}:Q", axis=_pct_axis()),
                                                                  tooltip=tips)], 320


def dots(r: Roles, rows: list[dict], spec: object) -> Layers:
    """A dot per reading with its 95% interval, readings of different dates side by side (``when``)."""
    y = alt.Y(f"{r.label}:N", sort=None, title=None, axis=alt.Axis(labelLimit=260))
    off = {"yOffset": alt.YOffset("when:N")} if rows and "when" in rows[0] else {}
    colour = alt.Color("when:N", legend=alt.Legend(title=None, orient="top"),
                       scale=alt.Scale(range=[THEME.accent, THEME.grey])) if off else alt.value(THEME.accent)
    base, tips = alt.Chart(), _tips(r, *([alt.Tooltip("when:N", title="Data")] if off else []))
    return [base.mark_rule().encode(x=f"{r.low}:Q", x2=f"{r.high}:Q", y=y, color=colour, tooltip=tips, **off),
            base.mark_point(filled=True, size=50).encode(x=alt.X(f"{r.share}:Q", axis=_pct_axis()), y=y,
                                                         color=colour, tooltip=tips, **off)], \
        max(160, len({row.get(r.label) for row in rows}) * 30)


def histogram(r: Roles, rows: list[dict], spec: object) -> Layers:
    """Years lost: the share of each group in each bin, groups side by side."""
    tips = [alt.Tooltip("group:N", title="Group"), alt.Tooltip("bin:N", title="Years lost"),
            alt.Tooltip(f"{TIP}k_of_n:N", title="k of n"), alt.Tooltip(f"{TIP}share:N", title="Share"),
            alt.Tooltip("median:Q", title="Median years", format=".1f")]
    chart = alt.Chart().mark_bar().encode(
        x=alt.X("bin:N", sort=None, title="Years lost", axis=alt.Axis(labelAngle=0)),
        xOffset=alt.XOffset("group:N", sort=None), y=alt.Y("share:Q", axis=_pct_axis()),
        color=alt.Color("group:N", sort=None, scale=alt.Scale(range=[THEME.accent, THEME.grey]),
                        legend=alt.Legend(title=None, orient="top")), tooltip=tips)
    return [chart], 320


def tiles(r: Roles, rows: list[dict], spec: object) -> Layers:
    """The tile grid map: one square per state, coloured by the share, labelled with its abbreviation."""
    from analysis.charts.state_tile_map import SHARE_CLASSES, TILE_GRID

    for row in rows:
        row[f"{TIP}col"], row[f"{TIP}row"] = TILE_GRID.get(str(row.get("state_abbr")), (None, None))
    x = alt.X(f"{TIP}col:O", axis=None)
    y = alt.Y(f"{TIP}row:O", axis=None)
    colour = alt.Color(f"{r.share}:Q", title="Share", legend=alt.Legend(format=".0%", orient="top"),
                       scale=alt.Scale(type="threshold", domain=list(SHARE_CLASSES[1:]), range=list(THEME.ramp)))
    base, tips = alt.Chart().transform_filter(f"datum.{TIP}col != null"), _tips(r)
    return [base.mark_rect(stroke="#FFFFFF", strokeWidth=2).encode(x=x, y=y, color=colour, tooltip=tips),
            base.mark_text(fontSize=11).encode(
                x=x, y=y, text="state_abbr:N", tooltip=tips,
                color=alt.condition(f"datum.{r.share} >= {SHARE_CLASSES[3]}", alt.value("#FFFFFF"),
                                    alt.value(THEME.text)))], 360


def race(r: Roles, rows: list[dict], spec: object) -> Layers:
    """Racial make-up of false-confession exonerees against all exonerees: two bars per group."""
    for row in rows:
        for column in ("share_of_fc", "share_of_all"):
            row[f"{TIP}{column}"] = pct1(row[column]) if row.get(column) is not None else "not recorded"
    y = alt.Y(f"{r.label}:N", sort=None, title=None)
    base = alt.Chart().transform_fold(["share_of_fc", "share_of_all"], as_=["of", "value"]).transform_calculate(
        series="datum.of == 'share_of_fc' ? 'False-confession exonerees' : 'All exonerees'")
    tips = _tips(r, alt.Tooltip(f"{TIP}share_of_fc:N", title="Of false-confession exonerees"),
                 alt.Tooltip(f"{TIP}share_of_all:N", title="Of all exonerees"))
    chart = base.mark_bar().encode(
        x=alt.X("value:Q", axis=_pct_axis()), y=y, yOffset=alt.YOffset("series:N", sort=None),
        color=alt.Color("series:N", sort=None, scale=alt.Scale(range=[THEME.accent, THEME.grey]),
                        legend=alt.Legend(title=None, orient="top")), tooltip=tips)
    return [chart], max(160, len(rows) * 44)


def forest(r: Roles, rows: list[dict], spec: object) -> Layers:
    """Odds ratios with their 95% intervals on a log scale (reference levels at 1), a row per level."""
    for row in rows:
        ratio, low, high = row.get("odds_ratio"), row.get("or_low"), row.get("or_high")
        row[f"{TIP}odds_ratio"] = ("reference" if row.get("reference") else
                                   f"{ratio:.2f} (95% CI {low:.2f}–{high:.2f})" if None not in (ratio, low, high)
                                   else "not estimated")
    y = alt.Y(f"{r.label}:N", sort=None, title=None, axis=alt.Axis(labelLimit=260))
    x = alt.X("odds_ratio:Q", scale=alt.Scale(type="log"), title="Odds ratio (log scale)")
    tips = _tips(r, alt.Tooltip(f"{TIP}odds_ratio:N", title="Odds ratio"))
    base = alt.Chart()
    return [base.mark_rule(color=THEME.reference).encode(x="or_low:Q", x2="or_high:Q", y=y, tooltip=tips),
            base.mark_point(filled=True, size=50, color=THEME.accent).encode(x=x, y=y, tooltip=tips)], \
        max(160, len(rows) * 22)


def curves(r: Roles, rows: list[dict], spec: object) -> Layers:
    """Step curves (Kaplan–Meier) of ``km_survival`` over ``years``, one per curve and stratum."""
    for row in rows:
        low, high = row.get("km_low"), row.get("km_high")
        row[f"{TIP}km"] = (f"{pct1(row['km_survival'])} ({interval_text(low, high)})"
                           if None not in (row.get("km_survival"), low, high) else "not recorded")
    tips = [alt.Tooltip(f"{r.label}:N", title="Group"), alt.Tooltip("at_risk:Q", title="At risk"),
            alt.Tooltip(f"{TIP}km:N", title="Not yet exonerated"), alt.Tooltip(f"{TIP}k_of_n:N", title="k of n")]
    chart = alt.Chart().mark_line(interpolate="step-after").encode(
        x=alt.X("years:Q", title="Years"), y=alt.Y("km_survival:Q", axis=_pct_axis()),
        color=alt.Color("curve:N", scale=alt.Scale(range=[THEME.accent, THEME.grey]),
                        legend=alt.Legend(title=None, orient="top")),
        strokeDash=alt.StrokeDash("stratum:N", legend=alt.Legend(title=None, orient="top")), tooltip=tips)
    return [chart], 340


def bands(r: Roles, rows: list[dict], spec: object) -> Layers:
    """A histogram per group (``fc_group``) over ``band``, side by side, with 95% intervals in the tooltip."""
    chart = alt.Chart().mark_bar().encode(
        x=alt.X("band:N", sort=None, title="Years lost", axis=alt.Axis(labelAngle=-45)),
        xOffset=alt.XOffset("fc_group:N", sort=None), y=alt.Y(f"{r.share}:Q", axis=_pct_axis()),
        color=alt.Color("fc_group:N", sort=None, scale=alt.Scale(range=[THEME.accent, THEME.grey]),
                        legend=alt.Legend(title=None, orient="top")), tooltip=_tips(r))
    return [chart], 320


def table(r: Roles, rows: list[dict], spec: object) -> Layers:
    """Any other shape: one line of text per row (label, k of n, share, interval)."""
    chart = alt.Chart().transform_calculate(
        line=f"datum['{r.label}'] + ': ' + datum.{TIP}k_of_n + ', ' + datum.{TIP}share").mark_text(
        align="left", fontSize=12).encode(y=alt.Y(f"{r.label}:N", sort=None, axis=None), text="line:N",
                                          tooltip=_tips(r))
    return [chart], max(120, len(rows) * 20)


Builder = Callable[[Roles, list[dict], object], Layers]
BUILDERS: dict[str, Builder] = {"fc-by-exoneration-year": by_year, "years-lost": histogram, "state-tile-map": tiles,
                                "race-fc-vs-all": race, "dna-fc-share-history": history, "reconciliation-32": dots,
                                "fc-model-forest": forest, "time-to-exoneration": curves,
                                "years-lost-distribution": bands}
"""Builders by chart slug; any other chart is drawn by its kind (:func:`builder_for`)."""


def builder_for(slug: str, alt_text: str, r: Roles) -> Builder:
    """The builder of chart ``slug``: its own, else by the kind that opens its alt text; :func:`table` for data
    without a share."""
    if slug in BUILDERS:
        return BUILDERS[slug]
    if r.share is None:
        return table
    kind = alt_text.split(".", 1)[0].lower()
    return hbars if "horizontal" in kind else dots if "dot" in kind or "forest" in kind else vbars
