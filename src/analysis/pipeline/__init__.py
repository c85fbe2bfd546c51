"""``confessions all`` / ``confessions build``: one command from a registry export to an updated report.

Steps, top to bottom (each reads only what the one above wrote; see ``analysis.pipeline.runner`` for skipping):

1. ingest      (only with ``--from``) store the export as a snapshot; the same bytes again is a no-op. With no
               ``--from`` and nothing stored, the synthetic demo export (``analysis.ingest.demo``), as source
               ``demo``: it stands in for the registry until a registry export is stored, and every output says so
2. process     newest snapshot → data/processed/exonerations.parquet
3. analyse     processed table + every stored snapshot → reports/tables/*.csv, reports/stats.json
4. changelog   previous vs newest snapshot → reports/CHANGES.md
5. chart:SLUG  one step per chart → reports/figures/SLUG/ (with the interactive embed, ``embed.html``)
6. states:N    state fact sheets in shards, and states:index → reports/states/ (``analysis.narrate.states``)
7. notebooks   executed notebooks → reports/notebooks/*.ipynb + .html
8. report      → reports/index.html

A no-op re-run only hashes files. Changing one chart's code rebuilds that chart and the report, not the notebooks:
the notebooks are re-executed when the data, the notebooks or the analysis code change (``--force`` re-runs them
after a chart-only change, to refresh the charts they show).
"""

from __future__ import annotations

import inspect
import os
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from rich.console import Console

from analysis.files import sha256_file
from analysis.pipeline.lock import exclusive_run
from analysis.pipeline.runner import StateFile, Step, StepResult, run_parallel, run_step
from analysis.pipeline.sweep import sweep_temporaries
from analysis.settings import Paths, paths
from analysis.stages import PACKAGE_DIR, stage_code


@dataclass
class RunSummary:
    results: list[StepResult] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def rebuilt(self) -> list[str]:
        return [r.name for r in self.results if r.status == "rebuilt"]

    @property
    def reused(self) -> list[str]:
        return [r.name for r in self.results if r.status == "reused"]


def chart_code(functions: Mapping[str, Callable]) -> dict[str, tuple[list[Path], dict]]:
    """Per chart slug: the code files its step depends on, and extra step params.

    A chart's code is its own file (the file ``inspect.getsourcefile`` gives for its function), the shared chart
    files (registry, style, draw, bundle, embed, ``__init__``) and the earlier stages: the other chart modules are
    left out, so editing one chart's file changes only that chart's key and editing a shared file changes them all.
    A chart function defined outside the package (a test's stand-in) is hashed by its own file through the params,
    since step code is named relative to the package.
    """
    from analysis.charts import CHART_MODULES

    chart_files = {Path(module.__file__).resolve() for module in CHART_MODULES}
    out = {}
    for slug, function in functions.items():
        found = inspect.getsourcefile(inspect.unwrap(function))
        if found is None:
            raise ValueError(f"chart {slug}: no source file for {function!r}, so its code cannot be hashed")
        own = Path(found).resolve()
        code = stage_code("charts", exclude=tuple(chart_files - {own}))
        outside = not own.is_relative_to(PACKAGE_DIR)
        out[slug] = (code, {"chart_file": str(own), "sha256": sha256_file(own)} if outside else {})
    return out


def plan(where: Paths, *, skip_notebooks: bool = False, snapshot: str | None = None,
         as_of: str | None = None) -> list[Step]:
    """The steps of a build, in order: from ``snapshot`` (an id or unique prefix; default the newest) as of
    ``as_of`` (records posted by then; default all), both part of the process step's key, so changing either
    rebuilds everything downstream."""
    from analysis.ingest.store import get_snapshot, list_snapshots, newest_snapshot, snapshot_file
    from analysis.pipeline import outputs as out
    from analysis.snapshot import parse_as_of

    newest = get_snapshot(snapshot, source="nre") if snapshot else newest_snapshot("nre")
    as_of_day = parse_as_of(as_of)
    as_of = as_of_day.isoformat() if as_of_day else None
    nre_files = lambda: [snapshot_file(m) for m in list_snapshots("nre")]  # noqa: E731
    ip_files = lambda: [snapshot_file(m) for m in list_snapshots("ip")]  # noqa: E731
    processed = [where.canonical_parquet, where.processed_meta]
    steps = [
        # every stored export is an input: older ones supply columns the newest dropped (compare.carry)
        Step("process", lambda: [snapshot_file(newest), *nre_files()],
             stage_code("compare"),
             lambda: [where.canonical_parquet, where.canonical_csv, where.processed_meta],
             lambda: out.process_newest(where, newest.snapshot_id, as_of),
             params={"snapshot": newest.snapshot_id, "as_of": as_of}),
        Step("analyse", lambda: processed + nre_files() + ip_files(), stage_code("analyse"),
             lambda: [where.stats_json, where.tables / "history.csv", where.tables / "reconciliation.csv"],
             lambda: out.analyse(where)),
        Step("changelog", nre_files, stage_code("compare"), lambda: [where.reports / "CHANGES.md"],
             lambda: out.changelog(where)),
    ]
    for slug, (code, params) in chart_code(out.chart_functions()).items():
        steps.append(Step(
            f"chart:{slug}", lambda: processed + [where.tables / "history.csv", where.tables / "reconciliation.csv"],
            code, lambda slug=slug: out.chart_outputs(where, slug),
            lambda slug=slug: out.chart(where, slug), params=params,
            job=(out.chart_job, (str(where.root), slug))))
    from analysis.charts import CHART_MODULES
    from analysis.narrate.states import SHARDS

    # the fact sheets use the shared chart code (bundle, embed, style), not any registered chart's module
    states_code = stage_code("narrate", exclude=tuple(Path(m.__file__) for m in CHART_MODULES))
    for shard in range(SHARDS):
        steps.append(Step(
            f"states:{shard}", lambda: list(processed), states_code,
            lambda shard=shard: out.states_shard_outputs(where, shard),
            lambda shard=shard: out.states_shard(where, shard), job=(out.states_job, (str(where.root), shard))))
    steps.append(Step("states:index", lambda: list(processed), states_code,
                      lambda: [where.reports / "states" / "index.html"], lambda: out.states_index(where),
                      job=(out.states_index_job, (str(where.root),))))
    if not skip_notebooks:
        notebook_code = stage_code("narrate")
        for source in sorted(where.notebooks_src.glob("*.py")):
            steps.append(Step(
                f"notebook:{source.stem}", lambda source=source: processed + [where.stats_json, source] + nre_files(),
                notebook_code, lambda source=source: [where.notebooks_out / f"{source.stem}.html"],
                lambda source=source: out.notebooks(where, [source.stem]),
                job=(out.notebook_job, (str(where.root), source.stem))))
    steps.append(Step(
        "report",
        lambda: ([where.stats_json, *sorted(where.tables.glob("*.csv")),
                  *sorted(p for p in where.figures.glob("*/*") if not p.parent.name.startswith(".")),
                  *sorted(where.notebooks_out.glob("*.html"))]
                 + ([where.reports / "CHANGES.md"] if (where.reports / "CHANGES.md").exists() else [])
                 + ([where.reports / "states" / "index.html"]
                    if (where.reports / "states" / "index.html").exists() else [])),
        stage_code("narrate"), lambda: [where.reports / "index.html"], lambda: out.report(where)))
    return steps


def build(where: Paths | None = None, *, force: bool = False, skip_notebooks: bool = False,
          from_: str | None = None, console: Console | None = None, workers: int | None = None,
          snapshot: str | None = None, as_of: str | None = None) -> RunSummary:
    """Run the pipeline (ingest first when ``from_`` is given) under the project lock. Charts and notebooks
    run in ``workers`` processes (default: the number of cores, at most 4)."""
    workers = workers or min(4, os.cpu_count() or 1)
    where = where or paths()
    console = console or Console(stderr=True, highlight=False, soft_wrap=True)
    summary = RunSummary()
    start = time.perf_counter()
    with exclusive_run(where.root / "data" / ".confessions.lock"):
        swept = sweep_temporaries(where)
        if swept:
            console.print(f"[dim]removed {swept} temporary file(s) left by an interrupted run[/dim]")
        state = StateFile(where.reports / ".build-state.json")  # a damaged one is said first, before any work
        if from_:
            from analysis.ingest import ingest

            t0 = time.perf_counter()
            manifest, created = ingest("nre", from_)
            status = "rebuilt" if created else "reused"
            summary.results.append(StepResult("ingest", status, time.perf_counter() - t0, manifest.snapshot_id))
            _show(console, summary.results[-1])
        else:
            _ingest_demo_when_nothing_is_stored(summary, console)
        steps = plan(where, skip_notebooks=skip_notebooks, snapshot=snapshot, as_of=as_of)
        parallel = [s for s in steps if s.job is not None]
        serial_before = [s for s in steps if s.job is None and s.name != "report"]
        report = [s for s in steps if s.name == "report"]

        def done(result: StepResult) -> None:
            summary.results.append(result)
            _show(console, result)

        for step in serial_before:
            if console.is_terminal:
                console.print(f"[dim]… {step.name}[/dim]", end="\r")
            done(run_step(step, state, force=force))
        run_parallel(parallel, state, force=force, workers=workers, on_done=done)
        for step in report:
            done(run_step(step, state, force=force))
    summary.seconds = time.perf_counter() - start
    _summarise(console, summary, where)
    if _built_from_demo():
        console.print(REAL_DATA_HINT)
    return summary


REAL_DATA_HINT = ("Built from the synthetic demo export (invented records, not real cases). For the real numbers, "
                  "request the registry's spreadsheet and run `make all FROM=path/to/export` (README: \"Using the "
                  "real registry data\").")


def _ingest_demo_when_nothing_is_stored(summary: RunSummary, console: Console) -> None:
    """No ``--from``, no registry snapshot and no demo snapshot stored: store the synthetic demo export (as source
    ``demo``), so that a fresh clone builds everything."""
    from analysis.ingest.demo import ingest_demo
    from analysis.ingest.store import list_snapshots

    if list_snapshots("nre"):  # a registry snapshot, or (while there is none) a demo one
        return
    t0 = time.perf_counter()
    manifest, created = ingest_demo()
    summary.results.append(StepResult("ingest", "rebuilt" if created else "reused", time.perf_counter() - t0,
                                      f"{manifest.snapshot_id} (synthetic demo export, no registry export stored)"))
    _show(console, summary.results[-1])


def _built_from_demo() -> bool:
    from analysis.ingest.store import list_snapshots

    snapshots = list_snapshots("nre")
    return bool(snapshots) and snapshots[0].source == "demo"


def _show(console: Console, result: StepResult) -> None:
    mark = "[green]✓ rebuilt[/green]" if result.status == "rebuilt" else "[blue]= reused [/blue]"
    detail = f"  {result.detail}" if result.detail else ""
    console.print(f"{mark} {result.name:<32} {result.seconds:6.2f} s{detail}")


def _summarise(console: Console, summary: RunSummary, where: Paths) -> None:
    console.print(f"\n{len(summary.rebuilt)} step(s) rebuilt, {len(summary.reused)} reused, "
                  f"{summary.seconds:.1f} s in all.")
    for label, path in (("processed table", where.canonical_parquet), ("statistics", where.stats_json),
                        ("tables", where.tables), ("charts", where.figures),
                        ("fact sheets", where.reports / "states" / "index.html"), ("notebooks", where.notebooks_out),
                        ("report", where.reports / "index.html"), ("changelog", where.reports / "CHANGES.md")):
        if path.exists():
            console.print(f"  {label:<16} {path.relative_to(where.root)}")

