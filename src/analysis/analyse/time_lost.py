"""Time lost, honestly: which zero-year records are placeholders, not zero years in prison.

The registry's ``years_lost`` runs from conviction to release. Some records give a release date equal to the
conviction date while the sentence was custodial (death, life, a term of years): nobody sentenced to death was
released the day they were convicted, so the release date there is missing or a placeholder. Such records are
**flagged, counted and left out of medians**, never read as zero years lost.

Time from arrest (:func:`durations`): the arrest date is used only where the export gives it in full
(``arrest_date``: year, month and day). A record with an arrest year but no month or day is counted as
"arrest month or day not recorded" and left out: a missing month or day is never guessed. Durations are in years
of 365.25 days; a negative one (arrest after conviction or release, as published) is counted and left out.
"""

from __future__ import annotations

import pandas as pd

__all__ = ["ARREST_STATUS", "NON_CUSTODIAL", "PLACEHOLDER_LABEL", "YEAR_DAYS", "custodial_sentence", "durations",
           "placeholder_release"]

NON_CUSTODIAL = ("probation", "not sentenced", "community service", "fine", "unknown", "suspended", "no sentence")
"""Sentence wordings (lower case, matched as substrings) that are not custodial, or say nothing: anything else
that is recorded (death, life, life without parole, a term of years, "25 to life", "10 years") is custodial."""

PLACEHOLDER_LABEL = "release date missing or placeholder"


def custodial_sentence(table: pd.DataFrame) -> pd.Series:
    """True where the recorded sentence is custodial; False where it is not; missing where no sentence is given."""
    sentence = table["sentence"].astype("string").str.strip().str.lower()
    pattern = "|".join(NON_CUSTODIAL)
    custodial = ~sentence.str.contains(pattern, regex=True)
    return custodial.where(sentence.notna() & (sentence != ""), pd.NA).astype("boolean")


def placeholder_release(table: pd.DataFrame) -> pd.Series:
    """True where ``years_lost`` is 0 under a custodial sentence and the release date is the conviction date (or
    is missing): the release date is missing or a placeholder (:data:`PLACEHOLDER_LABEL`). On the 2026-06 export:
    129 records since 1989."""
    zero = table["years_lost"].astype("Float64").eq(0).fillna(False)
    custodial = custodial_sentence(table).fillna(False)
    release, conviction = table.get("release_date"), table.get("conviction_date")
    if release is None or conviction is None:
        same_day = pd.Series(True, index=table.index)
    else:
        same_day = (release.isna() | release.eq(conviction)).fillna(True)
    return (zero & custodial & same_day).astype(bool)


YEAR_DAYS = 365.25
"""Days in a year of the durations from arrest."""
ARREST_STATUS = ("full date", "arrest month or day not recorded", "arrest not recorded")
"""How much of the arrest date a record gives (:func:`durations`, column ``arrest``)."""


def _column(table: pd.DataFrame, name: str, dtype: str) -> pd.Series:
    return table[name] if name in table else pd.Series(pd.NA, index=table.index, dtype=dtype)


def _years(later: pd.Series, earlier: pd.Series) -> pd.Series:
    return ((pd.to_datetime(later) - pd.to_datetime(earlier)).dt.days / YEAR_DAYS).astype("Float64")


def durations(table: pd.DataFrame) -> pd.DataFrame:
    """Per record (same index): ``placeholder`` (:func:`placeholder_release`); ``years_lost`` (missing where the
    release date is a placeholder); ``arrest`` (one of :data:`ARREST_STATUS`); ``arrest_to_conviction`` and
    ``arrest_to_release`` in years (missing without a full arrest date, with a placeholder or missing release
    date, or when negative); ``negative_conviction`` / ``negative_release``: the published dates put the arrest
    after the conviction / release (left out). Internal: tables publish only aggregates of it."""
    placeholder = placeholder_release(table)
    arrest_date = _column(table, "arrest_date", "datetime64[ns]")
    arrest_year = _column(table, "arrest_year", "Int64")
    status = pd.Series(ARREST_STATUS[2], index=table.index, dtype=object)
    status[arrest_year.notna()] = ARREST_STATUS[1]
    status[arrest_date.notna()] = ARREST_STATUS[0]
    to_conviction = _years(_column(table, "conviction_date", "datetime64[ns]"), arrest_date)
    release = _column(table, "release_date", "datetime64[ns]").where(~placeholder)
    to_release = _years(release, arrest_date)
    negative_conviction = to_conviction.lt(0).fillna(False).astype(bool)
    negative_release = to_release.lt(0).fillna(False).astype(bool)
    return pd.DataFrame({
        "placeholder": placeholder,
        "years_lost": table["years_lost"].astype("Float64").where(~placeholder),
        "arrest": status,
        "arrest_to_conviction": to_conviction.where(~negative_conviction),
        "arrest_to_release": to_release.where(~negative_release),
        "negative_conviction": negative_conviction,
        "negative_release": negative_release,
    }, index=table.index)
