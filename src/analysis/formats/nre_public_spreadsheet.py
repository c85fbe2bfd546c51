"""The old site's "public spreadsheet" export (2015–2024, csv and xlsx).

One row per exoneration since 1989. Factor columns hold the code (``FC``) or ``Y`` or blank; ``Tags`` and
``OM Tags`` hold ``;#``-joined codes. Columns were renamed, moved, added and dropped over the years; every
variant seen is in ``formats/crosswalk.csv``, and the columns reach ``extract`` under their reference spellings.
"""

from __future__ import annotations

import pandas as pd

from analysis.formats.cells import (
    Problems,
    code_flag,
    om_from_codes,
    parse_dates,
    parse_ints,
    place_from_state,
    race,
    split_multi,
    tags_from_codes,
    text,
)
from analysis.formats.codes import FACTOR_CODES
from analysis.formats.headers import known_headers

FORMAT = "nre_public_spreadsheet"
PREFIX = "ps"
# reference spellings (formats/crosswalk.csv): the file must fill these, under any spelling the crosswalk knows
REQUIRED = {"Last Name", "First Name", "Age", "Race", "State", "County", "Worst Crime Display",
            *FACTOR_CODES}
KNOWN = known_headers(PREFIX)  # every column this reader knows, by its reference spelling
YEAR_LO, YEAR_HI = 1800, 2100


def _first(frame: pd.DataFrame, *names: str) -> tuple[str | None, pd.Series | None]:
    for name in names:
        if name in frame.columns:
            return name, frame[name]
    return None, None


def extract(frame: pd.DataFrame, problems: Problems, warn: list[str]) -> dict[str, pd.Series]:
    """Canonical columns that this format publishes (the rest are derived in ``analysis.normalise``)."""
    out: dict[str, pd.Series] = {}
    idx = frame.index
    out["last_name"] = text(frame["Last Name"])
    out["first_name"] = text(frame["First Name"])
    out["name"] = (out["first_name"].fillna("") + " " + out["last_name"].fillna("")).str.strip().astype("string")
    out["age"] = parse_ints(frame["Age"], "Age", problems, lo=5, hi=100, what="age")
    out["race"] = race(frame["Race"])
    if "Sex" in frame.columns:
        out["sex"] = text(frame["Sex"])
    out["state"], out["state_abbr"], out["federal"] = place_from_state(frame["State"])
    out["county"] = text(frame["County"])
    out["worst_crime"] = text(frame["Worst Crime Display"])
    if "Sentence" in frame.columns:
        out["sentence"] = text(frame["Sentence"])

    name, col = _first(frame, "Date of Crime Year", "Occurred")
    if col is not None:
        out["crime_year"] = parse_ints(col, name, problems, lo=YEAR_LO, hi=YEAR_HI, what="year")
    if "Date of 1st Conviction" in frame.columns:
        out["conviction_date"] = parse_dates(frame["Date of 1st Conviction"], "Date of 1st Conviction", problems)
    name, col = _first(frame, "Convicted", "Date of 1st Convic Year")
    if col is not None:
        out["conviction_year"] = parse_ints(col, name, problems, lo=YEAR_LO, hi=YEAR_HI, what="year")
    if "Date of Exoneration" in frame.columns:
        out["exoneration_date"] = parse_dates(frame["Date of Exoneration"], "Date of Exoneration", problems)
    name, col = _first(frame, "Exonerated", "Date of Exon Year")
    if col is not None:
        out["exoneration_year"] = parse_ints(col, name, problems, lo=YEAR_LO, hi=YEAR_HI, what="year")
    if "Date of Release" in frame.columns:
        out["release_date"] = parse_dates(frame["Date of Release"], "Date of Release", problems)
    if "Posting Date" in frame.columns:
        out["posting_date"] = parse_dates(frame["Posting Date"], "Posting Date", problems)

    for code, (canonical, _) in FACTOR_CODES.items():
        out[canonical] = code_flag(frame[code], code, code, problems)
    if "*" in frame.columns:
        out["dna_minor"] = code_flag(frame["*"], "*", "*", problems)
        if "DNA?" in frame.columns:
            out["dna_minor"] = out["dna_minor"] | frame["DNA?"].fillna("").str.strip().eq("Yes*")
    elif "DNA?" in frame.columns:
        out["dna_minor"] = frame["DNA?"].fillna("").str.strip().eq("Yes*").astype("boolean")

    if "Tags" in frame.columns:
        out.update(tags_from_codes(split_multi(frame["Tags"], ";#"), warn))
    else:
        warn.append("no 'Tags' column: case tags are missing for this snapshot")
    om_lists = split_multi(frame["OM Tags"], ";#") if "OM Tags" in frame.columns else None
    out.update(om_from_codes(om_lists, idx, warn))
    return out
