"""``confessions rate``: one statistic from the processed table (or a stored snapshot), with a sentence."""

from __future__ import annotations

import json
import warnings

import pandas as pd

from analysis.definitions import compute, known_phrases, parse_as_of
from analysis.errors import UserError
from analysis.settings import paths


def load_processed() -> tuple[pd.DataFrame, dict]:
    """The canonical table and its metadata from ``data/processed/``."""
    where = paths()
    if not where.canonical_parquet.is_file():
        raise UserError("no processed table yet: run `confessions ingest nre --from FILE` then "
                        "`confessions process`")
    table = pd.read_parquet(where.canonical_parquet)
    meta = json.loads(where.processed_meta.read_text()) if where.processed_meta.is_file() else {}
    return table, meta


def load_snapshot_table(snapshot_id: str) -> tuple[pd.DataFrame, dict]:
    """Normalise a stored snapshot in memory (nothing is written)."""
    from analysis.normalise import normalise_file
    from analysis.snapshots import get_snapshot, snapshot_file

    manifest = get_snapshot(snapshot_id, source="nre")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = normalise_file(snapshot_file(manifest))
    day = manifest.snapshot_date.isoformat() if manifest.snapshot_date else None
    meta = {"snapshot_id": manifest.snapshot_id, "snapshot_date": day,
            "sha256": manifest.sha256}
    return result.table, meta


def run(args) -> int:  # noqa: ANN001
    """Print k, n, share, interval and the sentence (or JSON with ``--json``)."""
    as_of = parse_as_of(args.as_of)
    table, meta = load_snapshot_table(args.snapshot) if args.snapshot else load_processed()
    population, condition = known_phrases(args.of, args.among)
    stat = compute(table, args.of, args.among, as_of=as_of, meta=meta, population=population, condition=condition)
    if args.json:
        keys = ("k", "n", "share", "ci_low", "ci_high", "of", "among", "as_of", "snapshot", "sentence")
        out = {key: getattr(stat, key) for key in keys}
        out["population_used"] = stat.population_used
        print(json.dumps(out, indent=2))
    else:
        share = "no data" if stat.share is None else f"{stat.share:.1%} (95% CI {stat.ci_low:.1%}–{stat.ci_high:.1%})"
        print(f"{stat.k:,} of {stat.n:,}: {share}")
        print(f"population: {stat.population_used}")
        print(stat.sentence)
    return 0
