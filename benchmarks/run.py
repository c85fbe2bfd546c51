"""Benchmarks: writes docs/performance.md with the machine, versions and timings.

Run with ``make benchmark`` (needs ../shared/data). Timings are wall-clock medians of a few runs; peak memory is the
maximum resident set size of a child process doing the work. Nothing here is asserted by the test suite.
"""

from __future__ import annotations

import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("CONFESSIONS_SHARED_DATA", ROOT.parent / "shared" / "data"))
NRE = SHARED / "nre"
FULL = NRE / "nre-fullcsv-2026-06.csv"
BIN = Path(sys.executable).parent


def timed(fn, repeat: int = 3) -> float:  # noqa: ANN001
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def per_format() -> list[tuple[str, str, int, float]]:
    from analysis.formats import read_export
    from analysis.normalise import canonical_table

    rows = []
    for path in sorted(NRE.iterdir()):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            read = read_export(path)
            seconds = timed(lambda p=path: canonical_table(read_export(p)))
        rows.append((path.name, read.format, read.rows, seconds))
    return rows


def enlarged_export(factor: int, out: Path) -> Path:
    """The 2026 export with rows resampled ``factor`` times and new ids."""
    frame = pd.read_csv(FULL, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    rng = np.random.default_rng(0)
    big = frame.iloc[rng.integers(0, len(frame), len(frame) * factor)].reset_index(drop=True)
    big["ID"] = [str(i + 1) for i in range(len(big))]
    big.to_csv(out, index=False)
    return out


SCALE_CHILD = """
import sys, time, json, resource, warnings
warnings.simplefilter('ignore')
from analysis.normalise import normalise_file
from analysis.analyse.stats import headline_stats
from analysis.analyse.tables import TABLES
t0 = time.perf_counter(); table = normalise_file(sys.argv[1]).table; t1 = time.perf_counter()
from analysis.snapshot import Snapshot, Source
headline_stats(Snapshot(Source('bench', sha256='x'), table))
[f(table) for f in TABLES.values()]; t2 = time.perf_counter()
print(json.dumps({'rows': len(table), 'process': t1 - t0, 'stats': t2 - t1,
                  'peak_mb': resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def scale(factor: int, tmp: Path) -> dict:
    path = enlarged_export(factor, tmp / f"x{factor}.csv") if factor > 1 else FULL
    out = subprocess.run([sys.executable, "-c", SCALE_CHILD, str(path)], capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


PROFILE_CHILD = """
import cProfile, pstats, io, sys, warnings
warnings.simplefilter('ignore')
from analysis.normalise import normalise_file
from analysis.analyse.stats import headline_stats
from analysis.analyse.tables import TABLES
profile = cProfile.Profile()
profile.enable()
table = normalise_file(sys.argv[1]).table
from analysis.snapshot import Snapshot, Source
headline_stats(Snapshot(Source('bench', sha256='x'), table))
[f(table) for f in TABLES.values()]
profile.disable()
stats = pstats.Stats(profile)
total = sum(v[3] for k, v in stats.stats.items() if k[2] == '<module>') or 1
rows = []
for (file, line, name), (cc, nc, tt, ct, callers) in stats.stats.items():
    if '/analysis/' in file and not name.startswith('<'):
        rows.append((ct, file.split('/analysis/')[-1] + ':' + name))
for ct, where in sorted(rows, reverse=True)[:12]:
    print(f'{ct:.2f}\t{where}')
"""


def profile(path: Path) -> list[tuple[float, str]]:
    out = subprocess.run([sys.executable, "-c", PROFILE_CHILD, str(path)], capture_output=True, text=True, check=True)
    return [(float(a), b) for a, b in (line.split("\t") for line in out.stdout.strip().splitlines())]


def pipeline_runs(tmp: Path) -> dict:
    home = tmp / "project"
    home.mkdir()
    shutil.copytree(ROOT / "notebooks", home / "notebooks")
    env = {**os.environ, "CONFESSIONS_HOME": str(home)}
    cmd = [str(BIN / "confessions"), "all", "--from", str(FULL)]
    results = {}
    for label in ("cold", "no-op"):
        start = time.perf_counter()
        subprocess.run(cmd, env=env, check=True, capture_output=True)
        results[label] = time.perf_counter() - start
    for slug_step in ("chart",):
        charts = subprocess.run([str(BIN / "confessions"), "chart"], env=env, capture_output=True, text=True,
                                check=True).stdout.split()
        start = time.perf_counter()
        subprocess.run([str(BIN / "confessions"), slug_step, charts[0]], env=env, check=True, capture_output=True)
        results["one chart"] = time.perf_counter() - start
    start = time.perf_counter()
    subprocess.run([str(BIN / "confessions"), "build", "--force"], env=env, check=True, capture_output=True)
    results["build --force (tables, stats, all charts, notebooks, report)"] = time.perf_counter() - start
    state = json.loads((home / "reports" / ".build-state.json").read_text())
    results["steps"] = len(state)
    return results


def main() -> None:
    sys.path.insert(0, str(ROOT / "src"))
    import analysis

    lines = ["# Performance", "", "Generated by `make benchmark` (benchmarks/run.py); numbers are from the machine "
             "below, not asserted by tests.", ""]
    lines += [f"- machine: {platform.machine()}, {os.cpu_count()} cores, "
              f"{os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') / 2**30:.0f} GiB, {platform.platform()}",
              f"- Python {platform.python_version()}, pandas {pd.__version__}, numpy {np.__version__}, "
              f"analysis {analysis.__version__}", f"- date: {time.strftime('%Y-%m-%d')}", ""]
    lines += ["## Read + normalise, per file (median of 3)", "", "| file | format | rows | seconds |",
              "|---|---|---|---|"]
    for name, fmt, rows, seconds in per_format():
        lines.append(f"| {name} | {fmt} | {rows:,} | {seconds:.2f} |")
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        lines += ["", "## Scale: process + stats (child process; peak RSS)", "",
                  "| export | rows | process s | stats+tables s | peak MB |", "|---|---|---|---|---|"]
        scaled = {}
        for factor in (1, 10, 100):
            r = scaled[factor] = scale(factor, tmp)
            lines.append(f"| 2026 × {factor} | {r['rows']:,} | {r['process']:.2f} | {r['stats']:.2f} | "
                         f"{r['peak_mb']:.0f} |")
        lines += ["", "## Where the time goes (cProfile, 2026 × 10: process + stats; cumulative seconds, "
                  "functions of the package, nested calls counted in their callers too)", "",
                  "| seconds | function |", "|---|---|"]
        for seconds, where in profile(tmp / "x10.csv"):
            lines.append(f"| {seconds:.2f} | `{where}` |")
        runs = pipeline_runs(tmp)
        lines += ["", "## Whole pipeline (`confessions all --from nre-fullcsv-2026-06.csv`)", "",
                  "| run | seconds |", "|---|---|"]
        for label, seconds in runs.items():
            if label != "steps":
                lines.append(f"| {label} | {seconds:.2f} |")
        full_normalise = next(sec for name, _, _, sec in per_format() if name == FULL.name)
        big = scaled[100]
        checks = [
            ("full cold `confessions all`, notebooks included", f"{runs['cold']:.1f} s", "≤ 30 s", runs["cold"] <= 30),
            ("no-op re-run", f"{runs['no-op']:.1f} s", "≤ 2 s", runs["no-op"] <= 2),
            ("normalising the 2026 export", f"{full_normalise:.2f} s", "≤ 1 s", full_normalise <= 1),
            ("2026 × 100 process + stats", f"{big['process'] + big['stats']:.1f} s, {big['peak_mb']:.0f} MB",
             "≤ 20 s, < 2 GB", big["process"] + big["stats"] <= 20 and big["peak_mb"] < 2048),
        ]
        lines += ["", "## Targets (issue: one command, fast)", "", "| what | measured | target | met |",
                  "|---|---|---|---|"]
        lines += [f"| {what} | {got} | {target} | {'yes' if ok else '**no**'} |" for what, got, target, ok in checks]
    lines.append("")
    (ROOT / "docs" / "performance.md").write_text("\n".join(lines))
    print("\n".join(lines))


if __name__ == "__main__":
    main()
