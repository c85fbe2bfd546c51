"""The one claim-wording module: every title, alt text, sentence and notebook line says a number through here.

Rules (each phrase must be true of the number *and* its 95% interval):

- **Fractions in words** ("one in four", "three in ten", "two in three") only within a tolerance of the share:
  "about F" when the share is within ``ABOUT`` (1.5 percentage points) of F; "nearly F" when it is below F by at
  most ``ABOUT`` *and* the whole interval is below F; "more than F" when it is above F by at most ``MORE_THAN``
  (3 points) *and* the whole interval is above F. Anything else is said as a percentage ("22.5%").
- **Ratios** ("times as likely") always name their population ("among exonerees") and carry their interval; a
  ratio whose interval includes 1 is "about as likely … (no clear difference)".
- **Changes** ("rose", "fell", "up from") only when the interval of the difference of two shares excludes zero,
  between periods declared in advance by the caller (never the peak); otherwise "was X, against Y (no clear
  change)". Counts over time are never headlined without the share beside them (see :func:`count_with_share`).
- **Group against a reference** ("higher than / in line with / lower than"): only when the intervals say so.

:func:`check_share_phrase` re-derives the claim a phrase makes and checks it against the numbers; the property
tests feed every share in [0, 1] through :func:`share_phrase` and this checker.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from analysis.analyse.rates import wilson_interval

__all__ = ["ABOUT", "FRACTIONS", "MORE_THAN", "Fraction", "cap", "change_phrase", "check_share_phrase",
           "compare_phrase", "count_noun", "count_with_share", "diff_interval", "interval_text", "k_of_n",
           "listing", "month_year", "num", "odds_ratio_phrase", "pct", "pct1", "ratio_interval",
           "ratio_phrase", "row_text",
           "share_phrase", "whole"]

ABOUT = 0.015
""""about F": within 1.5 percentage points of F (either side)."""
MORE_THAN = 0.03
""""more than F": above F by at most 3 points, with the whole interval above F ("nearly F": at most ``ABOUT``
below, the whole interval below)."""

NUMBER_WORDS = {1: "one", 2: "two", 3: "three", 4: "four", 5: "five", 6: "six", 7: "seven", 8: "eight",
                9: "nine", 10: "ten"}


@dataclass(frozen=True)
class Fraction:
    """A fraction a sentence may use in words: ``Fraction(1, 4)`` is "one in four"."""

    k: int
    n: int

    @property
    def value(self) -> float:
        return self.k / self.n

    @property
    def words(self) -> str:
        return "half" if (self.k, self.n) == (1, 2) else f"{NUMBER_WORDS[self.k]} in {NUMBER_WORDS[self.n]}"


def _fractions() -> tuple[Fraction, ...]:
    found: dict[float, Fraction] = {}
    for n in (2, 3, 4, 5, 6, 8, 10):
        for k in range(1, n):
            f = Fraction(k, n)
            # simplest form only ("two in four" is "one in two"); "one in N" and "N in ten" preferred
            if math.gcd(k, n) == 1 and round(f.value, 6) not in found:
                found[round(f.value, 6)] = f
    for n in (7, 9):
        found.setdefault(round(1 / n, 6), Fraction(1, n))
    return tuple(sorted(found.values(), key=lambda f: f.value))


FRACTIONS = _fractions()
"""The fractions said in words: one in 2–10, k in 3, 4, 5, 6, 8 and 10 (simplest form)."""


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


def interval_text(low: float, high: float, digits: int = 1) -> str:
    """``"95% CI 20.4–24.7%"``."""
    return f"95% CI {num(low) * 100:.{digits}f}–{num(high) * 100:.{digits}f}%"


def count_noun(n: int, noun: str = "exoneration", plural: str | None = None) -> str:
    """``"1 exoneration"``, ``"1,487 exonerations"``."""
    n = int(n)
    return f"{n:,} {noun if n == 1 else (plural or noun + 's')}"


def k_of_n(k: int, n: int) -> str:
    """``"335 of 1,487"``."""
    return f"{int(k):,} of {int(n):,}"


def _interval(share: float, low: float | None, high: float | None, k: int | None, n: int | None):
    if low is not None and high is not None and not (math.isnan(num(low)) or math.isnan(num(high))):
        return num(low), num(high)
    if k is not None and n:
        return wilson_interval(int(k), int(n))
    return None


def share_phrase(share: float, low: float | None = None, high: float | None = None, *, k: int | None = None,
                 n: int | None = None, digits: int = 1) -> str:
    """A share in words that is true of it and its interval (``low``–``high``, or Wilson from ``k`` of ``n``):
    ``0.310`` → ``"about three in ten"``, ``0.225`` [0.204, 0.247] → ``"more than one in five"``; otherwise a
    percentage (``"22.5%"``). Without an interval only "about" is ever used."""
    s = num(share)
    if math.isnan(s):
        return "no data"
    if s == 0:
        return "none"
    if s == 1:
        return "all"
    ci = _interval(s, low, high, k, n)
    for f in sorted(FRACTIONS, key=lambda f: abs(f.value - s)):
        gap = s - f.value
        if ci is not None and 0 < gap <= MORE_THAN and ci[0] > f.value:
            return f"more than {f.words}"
        if ci is not None and 0 < -gap <= ABOUT and ci[1] < f.value:
            return f"nearly {f.words}"
        if abs(gap) <= ABOUT:
            return f"about {f.words}"
    return pct(s, digits)


_PHRASE = re.compile(r"^(about|nearly|more than) (?:(\w+) in (\w+)|half)$")
_WORD_NUMBERS = {w: k for k, w in NUMBER_WORDS.items()}


def check_share_phrase(phrase: str, share: float, low: float | None = None, high: float | None = None) -> bool:
    """Is ``phrase`` (as :func:`share_phrase` writes them, or a percentage) true of the share and its interval?"""
    s = num(share)
    if phrase == "none":
        return s == 0
    if phrase == "all":
        return s == 1
    if phrase == "no data":
        return math.isnan(s)
    if phrase.endswith("%"):
        digits = len(phrase[:-1].split(".")[1]) if "." in phrase else 0
        return phrase == pct(s, digits)
    m = _PHRASE.match(phrase)
    if not m:
        return False
    if m.group(2) is None:
        value = 0.5
    elif m.group(2) in _WORD_NUMBERS and m.group(3) in _WORD_NUMBERS:
        value = _WORD_NUMBERS[m.group(2)] / _WORD_NUMBERS[m.group(3)]
    else:
        return False
    gap = s - value
    if m.group(1) == "about":
        return abs(gap) <= ABOUT + 1e-12
    if low is None or high is None:
        return False
    if m.group(1) == "nearly":
        return 0 < -gap <= ABOUT + 1e-12 and num(high) < value
    return 0 < gap <= MORE_THAN + 1e-12 and num(low) > value


def ratio_interval(k1: int, n1: int, k0: int, n0: int, z: float = 1.959963984540054) -> tuple[float, float, float]:
    """Ratio of two shares (k1/n1) / (k0/n0) with its 95% interval on the log scale (Katz); NaN when undefined."""
    if min(n1, n0) <= 0 or k0 <= 0 or k1 <= 0:
        return float("nan"), float("nan"), float("nan")
    ratio = (k1 / n1) / (k0 / n0)
    se = math.sqrt(1 / k1 - 1 / n1 + 1 / k0 - 1 / n0)
    return ratio, ratio * math.exp(-z * se), ratio * math.exp(z * se)


def ratio_phrase(ratio: float, low: float, high: float, *, group: str, reference: str, outcome: str,
                 population: str) -> str:
    """``"Among exonerees, juveniles were 3.2 times as likely as adults to have falsely confessed (95% CI
    2.7–3.8)"``: always the population and the interval; "about as likely" when the interval includes 1."""
    where = cap(population)
    if any(math.isnan(num(x)) for x in (ratio, low, high)):
        return f"{where}, there are too few cases to compare {group} with {reference}"
    if low <= 1 <= high:
        return (f"{where}, {group} were about as likely as {reference} {outcome} (ratio {ratio:.1f}, 95% CI "
                f"{low:.1f}–{high:.1f}: no clear difference)")
    if ratio < 1:
        return (f"{where}, {group} were less likely than {reference} {outcome} (ratio {ratio:.2f}, 95% CI "
                f"{low:.2f}–{high:.2f})")
    return f"{where}, {group} were {ratio:.1f} times as likely as {reference} {outcome} (95% CI {low:.1f}–{high:.1f})"


def odds_ratio_phrase(ratio: float, low: float, high: float, *, group: str, reference: str, outcome: str,
                      population: str, adjusted_for: str | None = None) -> str:
    """``"Among exonerees since 1989, the odds of a false confession were 3.9 times as high for those 14–15 as for
    adults 25 or older (95% CI 2.9–5.2), adjusting for crime, race; an association among the exonerated, not a
    risk of confessing"``: an odds ratio always with its population, interval and that reading; "about the same"
    when the interval includes 1, "lower" (with the ratio) below 1."""
    where = cap(population)
    adjusted = f", adjusting for {adjusted_for}" if adjusted_for else ", unadjusted"
    reading = "; an association among the exonerated, not a risk of confessing"
    if any(math.isnan(num(x)) for x in (ratio, low, high)):
        return f"{where}, there are too few cases to compare the odds of {outcome} for {group} with {reference}"
    if low <= 1 <= high:
        return (f"{where}, the odds of {outcome} were about the same for {group} as for {reference} (odds ratio "
                f"{ratio:.2f}, 95% CI {low:.2f}–{high:.2f}: no clear difference){adjusted}{reading}")
    if ratio < 1:
        return (f"{where}, the odds of {outcome} were lower for {group} than for {reference} (odds ratio "
                f"{ratio:.2f}, 95% CI {low:.2f}–{high:.2f}){adjusted}{reading}")
    return (f"{where}, the odds of {outcome} were {ratio:.1f} times as high for {group} as for {reference} (95% CI "
            f"{low:.1f}–{high:.1f}){adjusted}{reading}")


def diff_interval(k1: int, n1: int, k0: int, n0: int, z: float = 1.959963984540054) -> tuple[float, float, float]:
    """Difference of two shares k1/n1 − k0/n0 with its 95% interval (Newcombe's hybrid score method, from the
    two Wilson intervals)."""
    if min(n1, n0) <= 0:
        return float("nan"), float("nan"), float("nan")
    p1, p0 = k1 / n1, k0 / n0
    l1, u1 = wilson_interval(k1, n1)
    l0, u0 = wilson_interval(k0, n0)
    d = p1 - p0
    low = d - math.sqrt((p1 - l1) ** 2 + (u0 - p0) ** 2)
    high = d + math.sqrt((u1 - p1) ** 2 + (p0 - l0) ** 2)
    return d, low, high


def change_phrase(k0: int, n0: int, k1: int, n1: int, *, before: str, after: str) -> str:
    """A share between two periods declared in advance (``before`` then ``after``, e.g. "the 1990s",
    "2021–2025"): ``"rose from 10.0% in the 1990s to 15.2% in 2021–2025"`` only when the interval of the
    difference excludes zero; otherwise ``"was 10.0% in the 1990s and 11.1% in 2021–2025 (no clear change)"``."""
    d, low, high = diff_interval(k1, n1, k0, n0)
    s0, s1 = (k0 / n0 if n0 else float("nan")), (k1 / n1 if n1 else float("nan"))
    if math.isnan(d) or low <= 0 <= high:
        return f"was {pct1(s0)} {before} and {pct1(s1)} {after} (no clear change)"
    verb = "rose" if d > 0 else "fell"
    return f"{verb} from {pct1(s0)} {before} to {pct1(s1)} {after}"


def compare_phrase(low: float, high: float, ref_low: float, ref_high: float, reference: str) -> str:
    """``"higher than the national share"`` only when the two intervals do not overlap; ``"lower than …"``
    likewise; otherwise ``"in line with …"``."""
    if low > ref_high:
        return f"higher than {reference}"
    if high < ref_low:
        return f"lower than {reference}"
    return f"in line with {reference}"


def count_with_share(k: int, n: int, noun: str = "exoneration") -> str:
    """A count never stands alone: ``"335 exonerations (22.5% of 1,487)"``."""
    return f"{count_noun(k, noun)} ({pct1(k / n) if n else 'no data'} of {int(n):,})"


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
