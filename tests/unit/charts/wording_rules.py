"""The wording rules, checked on drawn charts against the chart's own numbers (shared by the unit and real tests).

Every check re-derives what a phrase claims from the snapshot's table with code written here (pandas counts,
statsmodels' Newcombe interval, the Katz ratio interval written out), not with the chart's own computation, and
then judges the phrase with :func:`analysis.analyse.wording.check_share_phrase` or the interval itself.
"""

from __future__ import annotations

import math
import re

import pandas as pd
from statsmodels.stats.proportion import confint_proportions_2indep, proportion_confint

from analysis.analyse.wording import check_share_phrase

WORDS = "one|two|three|four|five|six|seven|eight|nine|ten"
SHARE = re.compile(rf"\b(?:about|nearly|more than) (?:half|(?:{WORDS}) in (?:{WORDS}))\b", re.IGNORECASE)
TIMES = re.compile(r"(\d+(?:\.\d+)?) times as likely")
CHANGE = re.compile(r"\b(rose|fell|up from|down from|increased|decreased|grew|declined|doubled|halved)\b",
                    re.IGNORECASE)
MY_CHARTS = ("fc-by-crime", "fc-by-age", "fc-by-exoneration-year", "years-lost", "co-occurring-factors",
             "state-tile-map", "race-fc-vs-all", "juvenile-share-over-time")


def texts(spec) -> list[str]:  # noqa: ANN001 - a ChartSpec
    return [spec.title, spec.subtitle, *spec.notes, spec.alt_text]


def _yes(view: pd.DataFrame, column: str) -> pd.Series:
    return view[column].astype("boolean").eq(True).fillna(False).astype(bool)


def _since_1989(view: pd.DataFrame) -> pd.Series:
    return ~_yes(view, "pre_1989")


def wilson(k: int, n: int) -> tuple[float, float]:
    return tuple(float(x) for x in proportion_confint(k, n, alpha=0.05, method="wilson"))


def _titled_row(spec, noun: str = "") -> pd.Series:  # noqa: ANN001
    named = [r for _, r in spec.data.iterrows() if f"{str(r['group']).lower()}{noun}" in spec.title.lower()]
    assert len(named) == 1, (spec.title, [r["group"] for r in named])
    return named[0]


def share_source(slug: str, spec, view: pd.DataFrame) -> tuple[float, float, float]:  # noqa: ANN001
    """(share, low, high) that the share phrase of ``slug``'s title must be true of."""
    if slug == "fc-by-crime":
        row = _titled_row(spec, " exonerations")
        people = view[_since_1989(view) & view["crime_category"].eq(row["group"]).fillna(False)]
        k, n = int(_yes(people, "fc").sum()), len(people)
    elif slug == "co-occurring-factors":
        row = _titled_row(spec)
        assert not row["coding_rule"], f"a coding-rule row is headlined: {spec.title}"
        fc = view[_since_1989(view) & _yes(view, "fc")]
        k, n = int(_yes(fc, str(row["expression"])).sum()), len(fc)
    elif slug == "state-tile-map":  # the colour's measure: the state's own exonerations since 1989
        state = re.search(r"exonerations in (.+?) since 1989", spec.title).group(1)
        people = view[_since_1989(view) & view["state"].eq(state).fillna(False)]
        k, n = int(_yes(people, "fc").sum()), len(people)
    else:
        raise AssertionError(f"{slug}: a share phrase in words, but no source for it: {spec.title}")
    return (k / n, *wilson(k, n))


def katz(k1: int, n1: int, k0: int, n0: int) -> tuple[float, float, float]:
    ratio = (k1 / n1) / (k0 / n0)
    se = math.sqrt(1 / k1 - 1 / n1 + 1 / k0 - 1 / n0)
    return ratio, ratio * math.exp(-1.959964 * se), ratio * math.exp(1.959964 * se)


def juvenile_ratios(view: pd.DataFrame) -> dict[str, tuple[float, float, float]]:
    """Juvenile / adult FC share among exonerees since 1989, all crimes and within homicide and other crimes."""
    people = view[_since_1989(view)]
    fc, juvenile = _yes(people, "fc"), people["juvenile"].astype("boolean")
    homicide = people["homicide"].astype("boolean")
    out = {}
    for name, mask in (("all", pd.Series(True, index=people.index)), ("homicide", homicide.eq(True)),
                       ("other", homicide.eq(False))):
        mask = mask.fillna(False).astype(bool)
        j, a = mask & juvenile.eq(True).fillna(False), mask & juvenile.eq(False).fillna(False)
        if (fc & j).sum() and (fc & a).sum():
            out[name] = katz(int((fc & j).sum()), int(j.sum()), int((fc & a).sum()), int(a.sum()))
    return out


def change_periods(slug: str, spec, view: pd.DataFrame) -> tuple[int, int, int, int] | None:  # noqa: ANN001
    """(k0, n0, k1, n1) of the two periods fixed in advance for ``slug``; None when the chart compares none."""
    people = view[_since_1989(view)]
    if slug == "fc-by-exoneration-year":
        year = people["exoneration_year"].astype("Float64")
        last = spec.snapshot.date.year if spec.snapshot.date else int(year.max()) + 1
        early, late = year.between(1990, 1999).fillna(False), year.between(last - 5, last - 1).fillna(False)
        fc = _yes(people, "fc")
        return int((fc & early).sum()), int(early.sum()), int((fc & late).sum()), int(late.sum())
    if slug == "juvenile-share-over-time":
        fc = people[_yes(people, "fc")]
        decade = (fc["exoneration_year"].astype("Float64") // 10 * 10).dropna().astype(int)
        counts = decade.value_counts().sort_index()
        enough = counts[counts >= 20].index
        if len(enough) < 2:
            return None
        first, last = decade == enough[0], decade == enough[-1]
        juvenile = _yes(fc, "juvenile").loc[decade.index]
        return int((juvenile & first).sum()), int(first.sum()), int((juvenile & last).sum()), int(last.sum())
    return None


def problems(slug: str, spec, view: pd.DataFrame) -> list[str]:  # noqa: ANN001
    """Every breach of the wording rules in ``spec``'s title, subtitle, notes and alt text."""
    found: list[str] = []
    for text in texts(spec):
        for m in SHARE.finditer(text):
            phrase = m.group(0).lower()
            share, low, high = share_source(slug, spec, view)
            if not check_share_phrase(phrase, share, low, high):
                found.append(f"{phrase!r} is not true of {share:.4f} [{low:.4f}, {high:.4f}]")
        if re.search(r"\bnearly\b", text, re.IGNORECASE) and not re.search(r"\bnearly (?:one|two|three|four|five|"
                                                                           r"six|seven|eight|nine|half)", text):
            found.append(f"'nearly' outside a share phrase: {text}")
        for clause in re.split(r";|\. ", text):
            for m in TIMES.finditer(clause):
                if "among exonerees" not in clause.lower() or "95% ci" not in clause.lower():
                    found.append(f"'times as likely' without its population and interval: {clause}")
                ratios = juvenile_ratios(view) if slug == "fc-by-age" else {}
                if not any(f"{r[0]:.1f}" == m.group(1) and f"95% CI {r[1]:.1f}–{r[2]:.1f}" in clause
                           for r in ratios.values()):
                    found.append(f"ratio {m.group(1)} with its interval is not in the data: {clause}")
        words = {w.lower() for w in CHANGE.findall(text)}
        if words & {"up from", "down from", "increased", "decreased", "grew", "declined", "doubled", "halved"}:
            found.append(f"change words outside change_phrase: {text}")
        periods = change_periods(slug, spec, view)
        if words & {"rose", "fell"} or "no clear change" in text:
            if periods is None:
                found.append(f"a change claimed without periods fixed in advance: {text}")
                continue
            k0, n0, k1, n1 = periods
            if not (f"{k0 / n0 * 100:.1f}%" in text and f"{k1 / n1 * 100:.1f}%" in text):
                found.append(f"the two periods' shares ({k0} of {n0}, {k1} of {n1}) are not the ones said: {text}")
            low, high = confint_proportions_2indep(k1, n1, k0, n0, method="newcomb", compare="diff")
            clear = low > 0 or high < 0
            if words & {"rose", "fell"} and not clear:
                found.append(f"'rose/fell' but the difference's interval [{low:.3f}, {high:.3f}] includes 0: {text}")
            if "rose" in words and not low > 0 or "fell" in words and not high < 0:
                found.append(f"the direction is wrong: {text}")
            if "no clear change" in text and clear:
                found.append(f"'no clear change' but the interval [{low:.3f}, {high:.3f}] excludes 0: {text}")
    if " a year" in spec.title and "share" not in spec.title and "%" not in spec.title:
        found.append(f"a count over time headlined without the share: {spec.title}")
    return found
