"""Drawing helpers shared by the charts: bars with 95% interval whiskers, percentage axes, hand-placed axes, and
the subject of a share title (:func:`share_of`, words from :mod:`analysis.analyse.wording`).

All draw in the theme and size in force (:func:`analysis.charts.style.use_style`).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator, PercentFormatter

from analysis.analyse.wording import cap, k_of_n, num, pct, share_phrase
from analysis.charts.style import LABEL_PT, SMALL_PT, current_theme

__all__ = ["fit_axes", "hbars", "interval_band", "percent_axis", "share_of", "vbars"]


def percent_axis(ax: Axes, axis: str = "x", top: float | None = None) -> None:
    """Show ``axis`` (``"x"`` or ``"y"``) as whole percentages from 0 to ``top``, without the other axis' grid
    and the left spine."""
    fmt = PercentFormatter(xmax=1, decimals=0)
    target = ax.xaxis if axis == "x" else ax.yaxis
    target.set_major_formatter(fmt)
    target.set_major_locator(MaxNLocator(5, steps=[1, 2, 2.5, 5, 10]))
    ax.grid(axis="y" if axis == "x" else "x", visible=False)
    ax.spines["left"].set_visible(False)
    if top is not None:
        (ax.set_xlim if axis == "x" else ax.set_ylim)(0, top)


def _bars(frame: pd.DataFrame, share: str, ci_low: str, ci_high: str) -> tuple[np.ndarray, ...]:
    """(shares with missing as 0, interval lows, interval highs, whether the interval is known)."""
    shares = frame[share].map(num).fillna(0).to_numpy()
    lows, highs = frame[ci_low].map(num).to_numpy(), frame[ci_high].map(num).to_numpy()
    return shares, lows, highs, ~np.isnan(lows)


def hbars(ax: Axes, frame: pd.DataFrame, colours: Sequence[str], *, labels: Sequence[str] | None = None,
          value_labels: Sequence[str] | None = None, xmax: float | None = None) -> None:
    """Horizontal bars of ``frame.share`` (first row at the top) with 95% interval whiskers; value labels in a
    column to the right of the axes."""
    theme = current_theme()
    y = np.arange(len(frame))[::-1]
    shares, lows, highs, ok = _bars(frame, "share", "ci_low", "ci_high")
    ax.barh(y, shares, height=0.64, color=list(colours), zorder=2)
    ax.hlines(y[ok], lows[ok], highs[ok], color=theme.reference, linewidth=1.1, zorder=3)
    top = xmax or max(0.05, float(np.nanmax(np.where(ok, highs, shares))) * 1.04)
    for yi, text in zip(y, value_labels or [pct(s) for s in shares], strict=True):
        ax.text(1.03, yi, text, va="center", ha="left", fontsize=SMALL_PT + 0.5, color=theme.text,
                transform=ax.get_yaxis_transform())
    ax.set_yticks(y, list(labels if labels is not None else frame["group"].astype(str)))
    ax.set_ylim(-0.6, len(frame) - 0.4)
    percent_axis(ax, "x", top)


def vbars(ax: Axes, frame: pd.DataFrame, colours: Sequence[str], *, k: str = "k", n: str = "n",
          share: str = "share", ci_low: str = "ci_low", ci_high: str = "ci_high", width: float = 0.66,
          headroom: float = 1.15) -> None:
    """Columns of ``frame[share]`` (first row on the left) with 95% interval whiskers, the share in bold above
    each and ``group`` with "k of n" below; the percentage axis runs to ``headroom`` times the highest whisker."""
    theme = current_theme()
    x = np.arange(len(frame))
    shares, lows, highs, ok = _bars(frame, share, ci_low, ci_high)
    ax.bar(x, shares, width=width, color=list(colours), zorder=2)
    ax.vlines(x[ok], lows[ok], highs[ok], color=theme.reference, linewidth=1.1, zorder=3)
    tops = np.where(ok, highs, shares)
    top = max(0.05, float(np.nanmax(tops))) * headroom
    for xi, s, hi in zip(x, shares, tops, strict=True):
        ax.text(xi, hi + top * 0.02, pct(s), ha="center", va="bottom", fontsize=LABEL_PT, fontweight="bold",
                color=theme.text)
    ax.set_xticks(x, [f"{g}\n{k_of_n(a, b)}" for g, a, b in zip(frame["group"], frame[k], frame[n], strict=True)],
                  fontsize=SMALL_PT + 0.5)
    percent_axis(ax, "y", top)


def interval_band(ax: Axes, x: Sequence, lows: Sequence[float], highs: Sequence[float]) -> None:
    """A 95% interval band: a pale fill (``theme.band``) between edges drawn in ``theme.accent_light``, which reach
    3:1 contrast against the background where the fill need not."""
    theme = current_theme()
    ax.fill_between(x, lows, highs, color=theme.band, linewidth=0, zorder=1)
    for edge in (lows, highs):
        ax.plot(x, edge, color=theme.accent_light, linewidth=0.9, zorder=1.5)


def fit_axes(fig: Figure, ax: Axes) -> None:
    """Place ``ax`` in the space between the frame's header and footer (for hand-placed axes)."""
    texts = sorted(fig.texts, key=lambda t: t.get_position()[1])
    renderer = fig.canvas.get_renderer()
    footer = texts[0].get_window_extent(renderer).transformed(fig.transFigure.inverted())
    header = min(t.get_window_extent(renderer).transformed(fig.transFigure.inverted()).y0 for t in texts[1:])
    ax.set_position((0.02, footer.y1 + 0.02, 0.96, header - footer.y1 - 0.04))


def share_of(noun: str, share: float, low: float, high: float, *, start: bool = True) -> str:
    """``"More than one in five murder exonerations"`` / ``"22.5% of murder exonerations"`` /
    ``"About half of …"``: :func:`analysis.analyse.wording.share_phrase` of the share and its 95% interval
    before ``noun`` (capitalised when ``start``)."""
    phrase = share_phrase(num(share), num(low), num(high))
    joined = f"{phrase} of {noun}" if phrase.endswith(("%", "half", "none")) else f"{phrase} {noun}"
    return cap(joined) if start else joined
