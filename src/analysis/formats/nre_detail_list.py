"""A copy of the old site's web list view (``Pages/detaillist.aspx``), e.g. the 2019-12 scrape.

Two-letter state codes in ``ST`` (``F-PA`` for federal cases), ``", "``-joined tags, ``Crime`` instead of
``Worst Crime Display``, no ``Sex`` and no dates (only conviction and exoneration years).
"""

from __future__ import annotations

import pandas as pd

from analysis.formats.cells import (
    Problems,
    code_flag,
    om_from_codes,
    parse_ints,
    place_from_code,
    race,
    split_multi,
    tags_from_codes,
    text,
)
from analysis.formats.codes import FACTOR_CODES
from analysis.formats.headers import known_headers

FORMAT = "nre_detail_list"
PREFIX = "dl"
# reference spellings (formats/crosswalk.csv): the file must fill these, under any spelling the crosswalk knows
REQUIRED = {"Last", "First", "Age", "Race", "ST", "County", "Crime", "Convicted", "Exonerated", *FACTOR_CODES}
KNOWN = known_headers(PREFIX)  # every column this reader knows, by its reference spelling


def extract(frame: pd.DataFrame, problems: Problems, warn: list[str]) -> dict[str, pd.Series]:
    """Canonical columns that the list view publishes."""
    out: dict[str, pd.Series] = {}
    out["last_name"] = text(frame["Last"])
    out["first_name"] = text(frame["First"])
    out["name"] = (out["first_name"].fillna("") + " " + out["last_name"].fillna("")).str.strip().astype("string")
    out["age"] = parse_ints(frame["Age"], "Age", problems, lo=5, hi=100, what="age")
    out["race"] = race(frame["Race"])
    out["state"], out["state_abbr"], out["federal"] = place_from_code(frame["ST"])
    out["county"] = text(frame["County"])
    out["worst_crime"] = text(frame["Crime"])
    if "Sentence" in frame.columns:
        out["sentence"] = text(frame["Sentence"])
    out["conviction_year"] = parse_ints(frame["Convicted"], "Convicted", problems, lo=1800, hi=2100, what="year")
    out["exoneration_year"] = parse_ints(frame["Exonerated"], "Exonerated", problems, lo=1800, hi=2100,
                                         what="year")
    for code, (canonical, _) in FACTOR_CODES.items():
        out[canonical] = code_flag(frame[code], code, code, problems)
    if "*" in frame.columns:
        out["dna_minor"] = code_flag(frame["*"], "*", "*", problems)
    if "Tags" in frame.columns:
        out.update(tags_from_codes(split_multi(frame["Tags"], ","), warn))
    out.update(om_from_codes(None, frame.index, warn))
    return out
