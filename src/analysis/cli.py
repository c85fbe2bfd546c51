"""The ``confessions`` command line (also ``python -m analysis``).

Exit codes: 0 success, 1 a user error explained in one line on stderr, 2 usage error.
Each sub-command is a function ``cmd_<name>(args) -> int`` below; it imports its stage only when used, so
``--help`` stays fast.
"""

from __future__ import annotations

import argparse
import contextlib
import errno
import os
import sys
import warnings
from collections.abc import Iterator

from analysis import __version__
from analysis.errors import UserError
from analysis.inert import terminal


def build_parser() -> argparse.ArgumentParser:
    """The argument parser, with ``--help`` text for every command."""
    parser = argparse.ArgumentParser(
        prog="confessions",
        description="False confessions in US wrongful convictions: ingest registry exports, build the canonical "
        "table, compute rates with intervals, and publish charts, notebooks and a report.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument("--debug", action="store_true", help="on an internal error, print the full traceback "
                        "(also CONFESSIONS_DEBUG=1)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    p = sub.add_parser("ingest", help="store a registry export or Innocence Project roster as a new snapshot",
                       description="Store a file as an immutable snapshot under data/raw/<source>/<snapshot-id>/ "
                       "with a manifest.json. Without --from, download from the configured URL.")
    p.add_argument("source", choices=["nre", "ip"], help="nre: National Registry of Exonerations; ip: Innocence "
                   "Project")
    p.add_argument("--from", dest="from_", metavar="PATH_OR_URL", help="a local file or an http(s) URL")
    p.add_argument("--date", metavar="YYYY-MM-DD", help="the export's snapshot date, for an undated export (recorded "
                   "in the manifest as given by you, beside what the file itself says)")

    p = sub.add_parser("snapshots", help="list, show or remove stored snapshots",
                       description="List every stored snapshot (source, id, snapshot date, format, rows, sha256), "
                       "show one snapshot's manifest, or remove one snapshot. A snapshot is named by its id or any "
                       "unique prefix of it, such as its date (2024-04-10).")
    actions = p.add_subparsers(dest="action", metavar="ACTION")
    actions.add_parser("list", help="list every stored snapshot (the default)")
    q = actions.add_parser("show", help="one snapshot's manifest: origin, sha256, date evidence, reader's notes")
    q.add_argument("id", metavar="ID", help="snapshot id, or a unique prefix such as its date")
    q = actions.add_parser("remove", help="delete one snapshot (asks first; never touches the others)")
    q.add_argument("id", metavar="ID", help="snapshot id, or a unique prefix such as its date")
    q.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    actions.add_parser("verify", help="check every stored file against its manifest (size, sha256); exit 1 on "
                       "any mismatch")

    p = sub.add_parser("process", help="normalise a snapshot into data/processed/",
                       description="Read one NRE snapshot with the reader for its format and write the canonical "
                       "table data/processed/exonerations.parquet (+ .csv). Default: the newest snapshot by "
                       "snapshot date (ties: the latest imported).")
    p.add_argument("--snapshot", metavar="ID", help="snapshot id (see `confessions snapshots`)")

    p = sub.add_parser("rate", help="k of n, share, 95%% intervals and a ready sentence",
                       description="Compute the share of records matching --of among records matching --among, "
                       "with its 95%% Wilson interval and, where the export records co-defendant groups (2026 on), "
                       "the interval allowing for them and the design effect. "
                       'EXPR is a boolean expression over canonical columns, e.g. fc, "dna and not dna_minor", '
                       '"age < 18", \'crime_category == "Murder"\', \'state_abbr in ["IL", "NY"]\'. A column '
                       "the export does not record, or a value its column cannot hold, is an error (exit 1), "
                       "never a share.")
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
    p.add_argument("--snapshot", metavar="ID", help="build from this stored snapshot (id, or a unique prefix such as "
                   "its date) instead of the newest")
    p.add_argument("--as-of", dest="as_of", metavar="YYYY-MM-DD", help="build from the records posted by this date "
                   "(with the snapshot's coding); every output says so")

    sub.add_parser("states", help="state fact sheets → reports/states/ (also part of build)",
                   description="Write a fact sheet (index.html, facts.json, a chart bundle) for every state with "
                   "at least 10 exonerations since 1989, and reports/states/index.html listing every state.")

    p = sub.add_parser("chart", help="write one chart bundle", description="Write reports/figures/SLUG/.")
    p.add_argument("slug", nargs="?", help="chart slug; omit to list the slugs")

    p = sub.add_parser("all", help="ingest (when given) + process + build, incremental",
                       description="One command from a registry export to an updated report. Steps whose "
                       "inputs and code did not change are skipped.")
    p.add_argument("--from", dest="from_", metavar="PATH_OR_URL", help="a registry export to ingest first")
    p.add_argument("--force", action="store_true", help="rebuild every step")
    p.add_argument("--skip-notebooks", action="store_true", help="do not execute the notebooks")
    p.add_argument("--snapshot", metavar="ID", help="build from this stored snapshot (id, or a unique prefix such as "
                   "its date) instead of the newest")
    p.add_argument("--as-of", dest="as_of", metavar="YYYY-MM-DD", help="build from the records posted by this date "
                   "(with the snapshot's coding); every output says so")

    p = sub.add_parser("diff", help="what changed between two snapshots",
                       description="Match records across two NRE snapshots (any formats) and list added, "
                       "removed and changed records, schema changes and moved headline numbers.")
    p.add_argument("old", metavar="OLD", help="older snapshot id")
    p.add_argument("new", metavar="NEW", help="newer snapshot id")
    p.add_argument("--write", action="store_true", help="also add an entry to reports/CHANGES.md")

    p = sub.add_parser("demo", help="write a synthetic demo export (invented records, not real cases)",
                       description="Write a synthetic registry export in the 2026 full export format (78 columns), "
                       "drawn from invented parameters roughly like the registry's aggregate shares, so that every "
                       "table, chart and notebook can be built without the registry's spreadsheet. Exonerees are "
                       "'Demo Exoneree 0001' ...; nothing is copied from any real record. The same --rows and "
                       "--seed always give the same file. Feed it with `confessions all --from PATH`: it is stored "
                       "as source 'demo' and every output built from it is labelled synthetic.")
    p.add_argument("--rows", type=int, metavar="N", help="number of records (default 3000)")
    p.add_argument("--seed", type=int, metavar="S", help="random seed (default 2026)")
    p.add_argument("--out", metavar="PATH", help="the CSV file to write (default demo-export.csv)")
    return parser


@contextlib.contextmanager
def project_lock() -> Iterator[None]:
    """The project lock (:mod:`analysis.pipeline.lock`) that every command that writes holds, so two commands never
    write the same project at once (``build`` and ``all`` take it inside the pipeline)."""
    from analysis.pipeline.lock import exclusive_run
    from analysis.settings import paths

    with exclusive_run(paths().lock_file):
        yield


def cmd_ingest(args) -> int:  # noqa: ANN001
    """``confessions ingest nre|ip [--from PATH_OR_URL] [--date YYYY-MM-DD]``; warns when the new snapshot holds the
    same records as a stored one (≥ 99%)."""
    from analysis.compare.duplicates import warn_near_duplicates
    from analysis.ingest import run
    from analysis.ingest.store import list_snapshots
    from analysis.settings import paths

    with project_lock():
        before = {m.snapshot_id for m in list_snapshots(None)}
        code = run(args)
        new = [m for m in list_snapshots(None) if m.snapshot_id not in before]
        for manifest in new:
            warning = warn_near_duplicates(manifest, paths())
            if warning:
                print(warning, file=sys.stderr)
    return code


def cmd_snapshots(args) -> int:  # noqa: ANN001
    """``confessions snapshots [list | show ID | remove ID [--yes]]``."""
    from analysis.ingest.store import run

    if getattr(args, "action", None) == "remove":
        with project_lock():
            return run(args)
    return run(args)


def cmd_process(args) -> int:  # noqa: ANN001
    """``confessions process [--snapshot ID]``: normalise, then carry what the export lacks (``dna_minor``) from
    the older stored snapshots, as the pipeline's process step does."""
    from analysis.compare.carry import carry_text, process_with_carry
    from analysis.settings import paths

    where = paths()
    with project_lock():
        meta, result, carried = process_with_carry(args.snapshot, where)
    print(f"processed snapshot {meta['snapshot_id']} ({meta['format']}): {meta['rows']} rows → "
          f"{where.canonical_parquet.relative_to(where.root)}")
    carry = carry_text(carried, result.table)
    if carry:
        print(carry)
    return 0


def cmd_rate(args) -> int:  # noqa: ANN001
    """``confessions rate``: k, n, share, interval and the sentence (or JSON with ``--json``)."""
    import json

    from analysis.analyse.definitions import as_of_warning, compute, known_phrases
    from analysis.analyse.wording import interval_text, k_of_n, pct1
    from analysis.normalise.load import load_processed, stored_snapshot

    snapshot = stored_snapshot(args.snapshot) if args.snapshot else load_processed()
    if args.as_of is not None:  # else the processed table's own view (a `build --as-of DATE` keeps its date)
        snapshot = snapshot.at(args.as_of)
    if warning := as_of_warning(snapshot):  # a date after the snapshot's: the whole snapshot, said as such
        warnings.warn(warning, stacklevel=1)
        snapshot = snapshot.at(None)
    population, condition = known_phrases(args.of, args.among)
    stat = compute(snapshot, args.of, args.among, population=population, condition=condition)
    if args.json:
        keys = ("k", "n", "share", "ci_low", "ci_high", "ci_cluster_low", "ci_cluster_high", "design_effect",
                "cluster_note", "of", "among", "as_of", "snapshot", "sentence")
        out = {key: getattr(stat, key) for key in keys}
        out["population_used"] = stat.population_used
        out["not_recorded"] = stat.not_recorded
        print(json.dumps(out, indent=2))
    else:
        share = "no data" if stat.share is None else f"{pct1(stat.share)} ({interval_text(stat.ci_low, stat.ci_high)})"
        print(f"{k_of_n(stat.k, stat.n)}: {share}")
        if stat.ci_cluster_low is not None:
            deff = "" if stat.design_effect is None else f", design effect {stat.design_effect:.2f}"
            print(f"allowing for co-defendant groups: {interval_text(stat.ci_cluster_low, stat.ci_cluster_high)}"
                  f"{deff}")
        elif stat.share is not None:
            print(f"allowing for co-defendant groups: {stat.cluster_note}")
        print(f"population: {stat.population_used}")
        if stat.not_recorded:
            print(f"not recorded (left out of n): {stat.not_recorded:,}")
        print(stat.sentence)
    return 0


def cmd_build(args) -> int:  # noqa: ANN001
    """``confessions build [--force] [--skip-notebooks] [--snapshot ID] [--as-of DATE]``: the pipeline without
    ingest."""
    from analysis.pipeline import build

    build(force=args.force, skip_notebooks=args.skip_notebooks, snapshot=args.snapshot, as_of=args.as_of)
    return 0


def cmd_chart(args) -> int:  # noqa: ANN001
    """``confessions chart [SLUG]``: write one chart bundle (no slug: list the slugs)."""
    from analysis.pipeline import outputs as out
    from analysis.settings import paths

    charts = out.chart_functions()
    if not args.slug:
        print("\n".join(sorted(charts)))
        return 0
    if args.slug not in charts:
        raise UserError(f"unknown chart {args.slug!r}; available: {', '.join(sorted(charts))}")
    where = paths()
    if not where.canonical_parquet.is_file():
        raise UserError("no processed table yet: run `confessions process` first")
    with project_lock():
        if not where.tables.joinpath("history.csv").is_file():
            out.analyse(where)
        out.chart(where, args.slug)
    print(f"wrote {(where.figures / args.slug).relative_to(where.root)}/")
    return 0


def cmd_states(args) -> int:  # noqa: ANN001
    """``confessions states``: every state fact sheet and the states index, from the processed table."""
    from analysis.narrate.states import build_states
    from analysis.settings import paths

    where = paths()
    if not where.canonical_parquet.is_file():
        raise UserError("no processed table yet: run `confessions process` first")
    with project_lock():
        index, written = build_states(where)
    print(f"wrote {len(written)} fact sheet(s) and {index.relative_to(where.root)}")
    return 0


def cmd_all(args) -> int:  # noqa: ANN001
    """``confessions all [--from PATH_OR_URL] [--force]``."""
    from analysis.pipeline import build

    build(force=args.force, skip_notebooks=args.skip_notebooks, from_=args.from_, snapshot=args.snapshot,
          as_of=args.as_of)
    return 0


def cmd_diff(args) -> int:  # noqa: ANN001
    """``confessions diff OLD NEW [--write]``."""
    from analysis.compare import run

    if getattr(args, "write", False):
        with project_lock():
            return run(args)
    return run(args)


def cmd_demo(args) -> int:  # noqa: ANN001
    """``confessions demo [--rows N] [--seed S] [--out PATH]``: write the synthetic demo export."""
    from analysis.ingest.demo import run

    return run(args)


HANDLERS = {"ingest": cmd_ingest, "snapshots": cmd_snapshots, "process": cmd_process, "rate": cmd_rate,
            "build": cmd_build, "chart": cmd_chart, "states": cmd_states, "all": cmd_all, "diff": cmd_diff,
            "demo": cmd_demo}


def _show_warning(message, category, filename, lineno, file=None, line=None):  # noqa: ANN001
    print(f"warning: {terminal(message)}", file=sys.stderr)


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    warnings.showwarning = _show_warning
    try:
        code = int(HANDLERS[args.command](args) or 0)
        sys.stdout.flush()  # a closed pipe shows up here, inside the handler below
        return code
    except UserError as exc:
        print(f"error: {terminal(exc)}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("error: interrupted", file=sys.stderr)
        return 1
    except BrokenPipeError:
        # the reader went away (`confessions diff A B | head -1`): stop quietly, as other Unix tools do
        _silence_stdout()
        return 0
    except OSError as exc:
        if args.debug or os.environ.get("CONFESSIONS_DEBUG"):
            raise
        print(f"error: {terminal(environment_error(exc))}", file=sys.stderr)
        return 1
    except Exception as exc:  # noqa: BLE001 - the one place an unexpected failure becomes one line
        if args.debug or os.environ.get("CONFESSIONS_DEBUG"):
            raise
        print(f"internal error: {type(exc).__name__}: {terminal(exc)} (rerun with --debug for details)",
              file=sys.stderr)
        return 1


def environment_error(exc: OSError) -> str:
    """One line for a failure of the machine rather than the code: permissions, a full disk, a missing folder."""
    where = f" {exc.filename}:" if exc.filename else ""
    what = {errno.EACCES: "permission denied", errno.EPERM: "operation not permitted",
            errno.ENOSPC: "no space left on the device", errno.EROFS: "the file system is read-only",
            errno.ENOENT: "no such file or folder", errno.ENOTDIR: "a path component is not a folder",
            errno.EISDIR: "is a folder, not a file", errno.EDQUOT: "disk quota exceeded"}.get(
        exc.errno or -1, exc.strerror or str(exc))
    return f"cannot complete:{where} {what}"


def _silence_stdout() -> None:
    """Point stdout at /dev/null so the interpreter's final flush does not raise again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


if __name__ == "__main__":
    raise SystemExit(main())
