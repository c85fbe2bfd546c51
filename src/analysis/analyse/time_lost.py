"""Time lost, honestly: which zero-year records are placeholders, not zero years in prison.

The registry's ``years_lost`` runs from conviction to release. Some records give a release date equal to the
conviction date while the sentence was custodial (death, life, a term of years): nobody sentenced to death was
released the day they were convicted, so the release date there is missing or a placeholder. Such records are
**flagged, counted and left out of medians**, never read as zero years lost.
"""

from __future__ import annotations

import pandas as pd

__all__ = ["NON_CUSTODIAL", "custodial_sentence", "placeholder_release", "PLACEHOLDER_LABEL"]

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
