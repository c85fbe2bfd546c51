"""``confessions build`` (everything downstream of the processed table) and ``confessions chart SLUG``."""

from __future__ import annotations

from analysis.errors import UserError
from analysis.settings import paths


def run(args) -> int:  # noqa: ANN001
    """``confessions build [--force] [--skip-notebooks]``: the pipeline without ingest."""
    from analysis.pipeline import build

    build(force=args.force, skip_notebooks=args.skip_notebooks)
    return 0


def run_chart(args) -> int:  # noqa: ANN001
    """``confessions chart [SLUG]``: write one chart bundle (no slug: list the slugs)."""
    from analysis import pipeline_outputs as out

    charts = out.chart_functions()
    if not args.slug:
        print("\n".join(sorted(charts)))
        return 0
    if args.slug not in charts:
        raise UserError(f"unknown chart {args.slug!r}; available: {', '.join(sorted(charts))}")
    where = paths()
    if not where.canonical_parquet.is_file():
        raise UserError("no processed table yet: run `confessions process` first")
    if not where.tables.joinpath("history.csv").is_file():
        out.analyse(where)
    out.chart(where, args.slug)
    print(f"wrote {(where.figures / args.slug).relative_to(where.root)}/")
    return 0
