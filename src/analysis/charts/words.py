"""The words on the charts: shares as percentages and in words, counts, ratios and lists."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence

import pandas as pd

__all__ = ["cap", "k_of_n", "listing", "month_year", "num", "pct", "pct1", "row_text", "share_words", "times_words",
           "whole"]

NUMBER_WORDS = {1: "one", 2: "two", 3: "three", 4: "four", 5: "five", 6: "six", 7: "seven", 8: "eight",
                9: "nine", 10: "ten"}


def num(value: object) -> float:
    """A float (NaN for missing)."""
    return float("nan") if value is None or pd.isna(value) else float(value)


def pct(share: float, digits: int = 0) -> str:
    """``0.2253`` → ``"23%"`` (``digits`` decimals; a share that would round to zero is ``"<1%"``); missing →
    ``"no data"``."""
    s = num(share)
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
    s = num(share)
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


def whole(x: float) -> str:
    """Rounded half up: 4.5 → ``"5"``."""
    return f"{math.floor(x + 0.5):,}"


def cap(text: str) -> str:
    """The first letter in upper case (the rest as it is)."""
    return text[:1].upper() + text[1:]


def month_year(day: dt.date) -> str:
    """``June 2026``."""
    return day.strftime("%B %Y")


def listing(items: Sequence[str]) -> str:
    """Items of an alt-text list, separated by semicolons."""
    return "; ".join(items)


def row_text(row: pd.Series) -> str:
    """A standard table row in words: ``Murder 22.5% (335 of 1,487)``."""
    return f"{row['group']} {pct1(row['share'])} ({k_of_n(row['k'], row['n'])})"
