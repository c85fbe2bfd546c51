"""Stage 2: one NRE snapshot → the canonical table ``data/processed/exonerations.parquet`` (+ ``.csv``).

Load the snapshot's file with the reader for its format, derive the columns the format does not publish,
validate against the one schema (``analysis.normalise.schema``), and write atomically. Values that cannot be read are
set to missing and reported by row and column; nothing is dropped silently.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import pandera.errors

from analysis import __version__
from analysis.errors import FormatError, UserError
from analysis.files import atomic_path, sha256_file, to_safe_csv
from analysis.formats import ExportRead, read_export
from analysis.formats.cells import Problems
from analysis.formats.codes import HOMICIDE_CRIMES, crime_category
from analysis.formats.detect import reader_for
from analysis.normalise.schema import COLUMNS, dataframe_schema
from analysis.settings import Paths, paths
from analysis.snapshot import Source


@dataclass
class Normalised:
    """The canonical table and what happened on the way."""

    table: pd.DataFrame
    format: str
    warnings: list[str] = field(default_factory=list)
    quarantined: list[str] = field(default_factory=list)


def _record_ids(table: pd.DataFrame, prefix: str) -> pd.Series:
    """``NRE-<ID>`` where every record has the registry's case number (unique), else a content hash of name,
    state, county, crime, years and age, with an occurrence number for exact repeats."""
    if table["registry_id"].notna().all() and table["registry_id"].is_unique:
        return ("NRE-" + table["registry_id"].astype("string")).astype("string")
    keys = ["last_name", "first_name", "state", "county", "worst_crime", "conviction_year", "exoneration_year",
            "age"]
    parts = [table[k].astype("string").fillna("").str.lower() for k in keys]
    joined = parts[0].str.cat(parts[1:], sep="|")
    hashed = pd.Series([hashlib.sha1(s.encode("utf-8")).hexdigest()[:10] for s in joined], index=table.index)
    occurrence = hashed.groupby(hashed).cumcount()
    suffix = occurrence.map(lambda n: "" if n == 0 else f"-{n + 1}")
    return (f"{prefix}-" + hashed + suffix).astype("string")


def _years_lost(table: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    given = table["years_lost"]
    basis = table["years_lost_basis"]
    from_dates = ((table["release_date"] - table["conviction_date"]).dt.days / 365.25).round(1).astype("Float64")
    from_years = (table["exoneration_year"] - table["conviction_year"]).astype("Float64")
    use_dates = given.isna() & from_dates.notna() & (from_dates >= 0)
    use_years = given.isna() & ~use_dates & from_years.notna() & (from_years >= 0)
    years = given.mask(use_dates, from_dates).mask(use_years, from_years)
    basis = basis.mask(use_dates, "derived from dates").mask(use_years, "derived from years")
    return years.astype("Float64"), basis.astype("string")


def _quarantine_impossible(table: pd.DataFrame, problems: Problems, today: dt.date | None = None) -> None:
    """Values that cannot be true are set to missing and reported by row and column (never silently kept): a
    posting date after today, and an exoneration (year or date) before the conviction."""
    today_ts = pd.Timestamp(today or dt.date.today())
    future = table["posting_date"].notna() & (table["posting_date"] > today_ts)
    for i in table.index[future]:
        problems.add(int(i) + 2, "posting_date", str(table.at[i, "posting_date"].date()), "is after today")
    table.loc[future, "posting_date"] = pd.NaT
    before = (table["exoneration_year"] < table["conviction_year"]).fillna(False).astype(bool)
    for i in table.index[before]:
        problems.add(int(i) + 2, "exoneration_year", str(table.at[i, "exoneration_year"]),
                     f"is before the conviction ({table.at[i, 'conviction_year']})")
    table.loc[before, "exoneration_year"] = pd.NA
    table.loc[before, "exoneration_date"] = pd.NaT


def canonical_table(read: ExportRead) -> Normalised:
    """Turn one NRE export, as read, into the canonical table (validated)."""
    reader = reader_for(read.format)
    frame = read.frame.reset_index(drop=True)
    problems = Problems()
    warn: list[str] = []
    columns = reader.extract(frame, problems, warn)
    n = len(frame)
    table = pd.DataFrame(index=frame.index)
    for col in COLUMNS:
        if col.name in columns:
            table[col.name] = columns[col.name].astype(col.dtype)
        else:
            table[col.name] = pd.Series([pd.NA] * n, index=frame.index, dtype=col.dtype)

    if "pre_1989" not in columns:
        table["pre_1989"] = pd.Series(False, index=frame.index, dtype="boolean")
    table["juvenile"] = (table["age"] < 18).astype("boolean")
    if "sex" not in columns and table["female"].notna().any():
        table["sex"] = table["female"].map({True: "Female", False: "Male"}).astype("string")
    # derived where the export does not tell: the whole column for exports without the tag, single rows where
    # the record carries no tags (the pre-1989 rows of the 2026 export); see the schema's `derived`
    table["female"] = table["female"].fillna((table["sex"] == "Female").astype("boolean"))
    table["homicide"] = table["homicide"].fillna(table["worst_crime"].isin(HOMICIDE_CRIMES).astype("boolean").mask(
        table["worst_crime"].isna(), pd.NA))
    table["child_sex_abuse"] = (table["worst_crime"] == "Child Sex Abuse").astype("boolean")
    categories = table["worst_crime"].map(lambda w: crime_category(None if pd.isna(w) else w))
    table["crime_category"] = categories.map(lambda c: c[0]).astype("string")
    unknown = sorted({w for w, (_, known) in zip(table["worst_crime"], categories, strict=True) if not known})
    if unknown:
        warn.append(f"crime name(s) not seen before, counted as 'Other non-violent crime': {', '.join(unknown)}")
    for year, day in (("conviction_year", "conviction_date"), ("exoneration_year", "exoneration_date")):
        table[year] = table[year].fillna(table[day].dt.year.astype("Int64"))
    _quarantine_impossible(table, problems)
    table["years_lost"], table["years_lost_basis"] = _years_lost(table)
    bad_state = table["state"].notna() & table["state_abbr"].isna() & ~table["state"].eq("Military (federal)")
    if bad_state.any():
        names = ", ".join(map(str, sorted(set(table.loc[bad_state, "state"]))))
        rows = ", ".join(str(int(i) + 2) for i in table.index[bad_state][:5])
        raise FormatError(f"unknown state name(s): {names} (row {rows})")
    table["record_id"] = _record_ids(table, reader.PREFIX)
    table = table[[c.name for c in COLUMNS]]
    try:
        table = dataframe_schema().validate(table, lazy=True)
    except pandera.errors.SchemaErrors as exc:
        cases = exc.failure_cases
        summary = "; ".join(
            f"{r.column}: {r.check} failed for {r.failure_case!r}" for r in cases.head(5).itertuples()
        )
        raise FormatError(f"the table does not pass the schema ({len(cases)} problem(s)): {summary}") from None
    return Normalised(table=table, format=read.format, warnings=warn, quarantined=problems.items)


def write_processed(result: Normalised, meta: dict, where: Paths) -> dict:
    """Write parquet, csv and the metadata file: all three to temporary files first, then each renamed into place.

    Returns the metadata as written. An error while writing any of them leaves all three previous files untouched.
    The metadata names the parquet
    and csv by their sha256 (``table_sha256``, ``csv_sha256``), so a reader can tell when a run was killed between
    two renames and the three files are not one unit (:func:`analysis.normalise.load.load_processed` refuses them).
    """
    where.processed.mkdir(parents=True, exist_ok=True)
    table = result.table
    with (atomic_path(where.canonical_csv) as csv_tmp, atomic_path(where.canonical_parquet) as parquet_tmp,
          atomic_path(where.processed_meta) as meta_tmp):
        to_safe_csv(table, csv_tmp)
        table.to_parquet(parquet_tmp, index=False)
        meta = {**meta, "table_sha256": sha256_file(parquet_tmp), "csv_sha256": sha256_file(csv_tmp)}
        meta_tmp.write_text(json.dumps(meta, indent=2, sort_keys=True, default=str) + "\n", encoding="utf-8")
    return meta


def process(snapshot_id: str | None = None, where: Paths | None = None) -> tuple[dict, Normalised]:
    """Normalise a stored snapshot (default: the newest) into ``data/processed/``."""
    from analysis.ingest.store import get_snapshot, newest_snapshot, snapshot_file

    where = where or paths()
    manifest = get_snapshot(snapshot_id, source="nre") if snapshot_id else newest_snapshot("nre")
    result = normalise_file(snapshot_file(manifest))
    meta = {
        **Source.from_manifest(manifest).to_json(),
        "format": result.format,
        "rows": len(result.table),
        "warnings": result.warnings,
        "quarantined": result.quarantined,
        "code_version": __version__,
    }
    meta = write_processed(result, meta, where)
    return meta, result


def normalise_file(path: Path) -> Normalised:
    """Read and normalise one NRE export file; warnings are issued through ``warnings.warn``."""
    read = read_export(path)
    if read.source != "nre":
        raise UserError(f"{path.name} is an Innocence Project file, not a registry export")
    result = canonical_table(read)
    for message in read.notes + result.warnings:
        warnings.warn(message, stacklevel=2)
    if result.quarantined:
        problems = Problems(result.quarantined)
        warnings.warn(problems.summary(), stacklevel=2)
    return result

