"""``confessions rate``: one statistic from the processed table (or a stored snapshot), with a sentence."""

from __future__ import annotations

import json

from analysis.definitions import compute, known_phrases, parse_as_of
from analysis.snapshot_tables import load_processed, stored_snapshot_table


def run(args) -> int:  # noqa: ANN001
    """Print k, n, share, interval and the sentence (or JSON with ``--json``)."""
    as_of = parse_as_of(args.as_of)
    table, meta = stored_snapshot_table(args.snapshot) if args.snapshot else load_processed()
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
