"""The ``confessions`` command line (also ``python -m analysis``).

Exit codes: 0 success, 1 a user error explained in one line on stderr, 2 usage error.
Each sub-command is a function ``run(args) -> int`` in its own module, imported only when used.
"""

from __future__ import annotations

import argparse
import importlib
import sys
import warnings

from analysis import __version__
from analysis.errors import UserError

# command name -> "module:function"; each function takes the parsed args and returns an exit code.
HANDLERS = {
    "ingest": "analysis.ingest:run",
    "snapshots": "analysis.snapshots:run",
    "process": "analysis.normalise:run",
    "rate": "analysis.rate_command:run",
    "build": "analysis.build:run",
    "chart": "analysis.build:run_chart",
    "all": "analysis.pipeline:run",
    "diff": "analysis.diff:run",
}


def build_parser() -> argparse.ArgumentParser:
    """The argument parser, with ``--help`` text for every command."""
    parser = argparse.ArgumentParser(
        prog="confessions",
        description="False confessions in US wrongful convictions: ingest registry exports, build the canonical "
        "table, compute rates with intervals, and publish charts, notebooks and a report.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    p = sub.add_parser("ingest", help="store a registry export or Innocence Project roster as a new snapshot",
                       description="Store a file as an immutable snapshot under data/raw/<source>/<snapshot-id>/ "
                       "with a manifest.json. Without --from, download from the configured URL.")
    p.add_argument("source", choices=["nre", "ip"], help="nre: National Registry of Exonerations; ip: Innocence "
                   "Project")
    p.add_argument("--from", dest="from_", metavar="PATH_OR_URL", help="a local file or an http(s) URL")

    sub.add_parser("snapshots", help="list stored snapshots with date, rows and sha256",
                   description="List every stored snapshot: source, id, snapshot date, format, rows, sha256.")

    p = sub.add_parser("process", help="normalise a snapshot into data/processed/",
                       description="Read one NRE snapshot with the reader for its format and write the canonical "
                       "table data/processed/exonerations.parquet (+ .csv). Default: the newest snapshot by "
                       "snapshot date (ties: the latest imported).")
    p.add_argument("--snapshot", metavar="ID", help="snapshot id (see `confessions snapshots`)")

    p = sub.add_parser("rate", help="k of n, share, 95%% Wilson interval and a ready sentence",
                       description="Compute the share of records matching --of among records matching --among. "
                       'EXPR is a boolean expression over canonical columns, e.g. fc, "dna and not dna_minor", '
                       '"age < 18", \'crime_category == "Murder"\', \'state_abbr in ["IL", "NY"]\'.')
    p.add_argument("--of", required=True, metavar="EXPR", help="the condition counted (numerator)")
    p.add_argument("--among", metavar="EXPR", help="the population (denominator); default: all post-1989 records")
    p.add_argument("--as-of", dest="as_of", metavar="DATE", help="the registry as it stood on DATE (YYYY-MM-DD): "
                   "records posted on or before it")
    p.add_argument("--snapshot", metavar="ID", help="compute from this snapshot instead of the processed table")
    p.add_argument("--json", action="store_true", help="print JSON instead of text")

    p = sub.add_parser("build", help="tables, stats.json, charts, notebooks and report from the processed table",
                       description="Build everything downstream of data/processed/: reports/tables/*.csv, "
                       "reports/stats.json, reports/figures/*, executed notebooks and reports/index.html.")
    p.add_argument("--force", action="store_true", help="rebuild even what is up to date")
    p.add_argument("--skip-notebooks", action="store_true", help="do not execute the notebooks")

    p = sub.add_parser("chart", help="write one chart bundle", description="Write reports/figures/SLUG/.")
    p.add_argument("slug", nargs="?", help="chart slug; omit to list the slugs")

    p = sub.add_parser("all", help="ingest (when given) + process + build, incremental",
                       description="One command from a registry export to an updated report. Steps whose "
                       "inputs and code did not change are skipped.")
    p.add_argument("--from", dest="from_", metavar="PATH_OR_URL", help="a registry export to ingest first")
    p.add_argument("--force", action="store_true", help="rebuild every step")
    p.add_argument("--skip-notebooks", action="store_true", help="do not execute the notebooks")

    p = sub.add_parser("diff", help="what changed between two snapshots",
                       description="Match records across two NRE snapshots (any formats) and list added, "
                       "removed and changed records, schema changes and moved headline numbers.")
    p.add_argument("old", metavar="OLD", help="older snapshot id")
    p.add_argument("new", metavar="NEW", help="newer snapshot id")
    p.add_argument("--write", action="store_true", help="also add an entry to reports/CHANGES.md")
    return parser


def _handler(command: str):
    module_name, func_name = HANDLERS[command].split(":")
    return getattr(importlib.import_module(module_name), func_name)


def _show_warning(message, category, filename, lineno, file=None, line=None):  # noqa: ANN001
    print(f"warning: {message}", file=sys.stderr)


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    warnings.showwarning = _show_warning
    try:
        return int(_handler(args.command)(args) or 0)
    except UserError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("error: interrupted", file=sys.stderr)
        return 1


if __name__ == "__main__":
    raise SystemExit(main())
