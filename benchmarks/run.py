"""Benchmarks: update docs/performance.md with the machine, versions, timings and memory.

Run with ``make benchmark`` (needs ../shared/data), or ``python benchmarks/run.py --only memory`` for some sections
(``formats``, ``scale``, ``profile``, ``pipeline``, ``memory``). Each section this script writes is replaced in
place under its own ``## heading``; every other section of the file (measured by hand, e.g. the embeds and fact
sheets) is kept where it is. Timings are wall-clock medians of a few runs; peak memory is the maximum resident set
size of a child process doing the work. Nothing here is asserted by the test suite.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
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


# peak memory from VmHWM: getrusage's ru_maxrss survives exec, so a child started by a big parent reports the
# parent's peak
HWM = """
def hwm():
    for line in open('/proc/self/status'):
        if line.startswith('VmHWM:'):
            return int(line.split()[1]) / 1024
"""

SCALE_CHILD = HWM + """
import sys, time, json, warnings
warnings.simplefilter('ignore')
from analysis.normalise import normalise_file
from analysis.analyse.stats import headline_stats
from analysis.analyse.tables import TABLES
t0 = time.perf_counter(); table = normalise_file(sys.argv[1]).table; t1 = time.perf_counter()
from analysis.snapshot import Snapshot, Source
headline_stats(Snapshot(Source('bench', sha256='x'), table))
[f(table) for f in TABLES.values()]; t2 = time.perf_counter()
print(json.dumps({'rows': len(table), 'process': t1 - t0, 'stats': t2 - t1,
                  'peak_mb': hwm()}))
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


MEMORY_CHILD = HWM + """
import sys, time, json, warnings
warnings.simplefilter('ignore')
from analysis.formats import read_export
from analysis.normalise import canonical_table
base = hwm()
t0 = time.perf_counter(); read = read_export(sys.argv[1]); t1 = time.perf_counter()
table = canonical_table(read); t2 = time.perf_counter()
print(json.dumps({'rows': read.rows, 'base_mb': base, 'read_s': t1 - t0, 'peak_mb': hwm(), 'normalise_s': t2 - t1}))
"""

REFUSE_CHILD = HWM + """
import sys, time, json
from analysis.errors import UserError
from analysis.ingest.store import file_sha256
t0 = time.perf_counter()
try:
    file_sha256(sys.argv[1])
    refused = None
except UserError as exc:
    refused = str(exc)
print(json.dumps({'seconds': time.perf_counter() - t0, 'refused': refused, 'peak_mb': hwm()}))
"""


def child(code: str, *args: str) -> dict:
    out = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def memory_section(tmp: Path) -> list[str]:
    """Peak memory of reading (and normalising) CSV exports of growing size, per MB of file, and what that means
    at the size cap; the refusal of a file over the cap."""
    from analysis.formats.sniff import DEFAULT_MAX_FILE_MB, MAX_FILE_ENV

    lines = ["Each row: a child process reads the 2026 export resampled ×N (`read_export`, then `canonical_table`); "
             "*extra* is the peak resident memory above the process after its imports. A file over "
             f"`{MAX_FILE_ENV}` (default {DEFAULT_MAX_FILE_MB:.0f} MB) is refused from its size on disk before "
             "any of it is read, so the extra memory per MB of file bounds what any read can take.", "",
             "| export | file MB | rows | read s | normalise s | imports MB | peak MB | extra MB | extra per file MB |",
             "|---|---|---|---|---|---|---|---|---|"]
    points = []
    for factor in (1, 10, 40):
        path = enlarged_export(factor, tmp / f"mem-x{factor}.csv") if factor > 1 else FULL
        size = path.stat().st_size / 2**20
        r = child(MEMORY_CHILD, str(path))
        extra = r["peak_mb"] - r["base_mb"]
        points.append((size, extra))
        lines.append(f"| 2026 × {factor} | {size:,.1f} | {r['rows']:,} | {r['read_s']:.2f} | {r['normalise_s']:.2f} "
                     f"| {r['base_mb']:.0f} | {r['peak_mb']:.0f} | {extra:,.0f} | {extra / size:.1f} |")
    sparse = tmp / "huge.csv"
    with sparse.open("wb") as fh:
        fh.write(b"Last Name,First Name\n")
        fh.truncate(2**30)
    refused = child(REFUSE_CHILD, str(sparse))
    (size_a, extra_a), (size_b, extra_b) = points[-2:]
    slope = (extra_b - extra_a) / (size_b - size_a)
    at_cap = extra_b + slope * (DEFAULT_MAX_FILE_MB - size_b)
    lines += ["", f"- Each further MB of CSV takes about {slope:.1f} MB (from the two largest rows), so a file at the "
              f"cap ({DEFAULT_MAX_FILE_MB:.0f} MB) would take about {at_cap / 1024:,.1f} GB above the imports: the "
              "bound on any one read. The registry's 2026 export is 2 MB.",
              f"- A 1 GiB file (sparse) over the cap: refused in {refused['seconds'] * 1000:.1f} ms, peak "
              f"{refused['peak_mb']:.0f} MB, nothing read: \"{refused['refused']}\""]
    return lines


def update_sections(text: str, header: list[str], sections: dict[str, list[str]]) -> str:
    """``text`` (a Markdown file) with its preamble replaced by ``header`` and each ``## heading`` of
    ``sections`` replaced in place by its new body; a section not there yet is added after the last generated
    one; every other section is kept as it is."""
    parts = re.split(r"(?m)^(?=## )", text)
    preamble, blocks = parts[0], parts[1:]
    titles = [b.splitlines()[0][3:].strip() for b in blocks]
    body = {title: "## " + title + "\n\n" + "\n".join(lines).strip("\n") + "\n\n"
            for title, lines in sections.items()}
    out = [block if title not in body else body.pop(title) for title, block in zip(titles, blocks, strict=True)]
    generated = [i for i, title in enumerate(titles) if title in sections]
    at = generated[-1] + 1 if generated else len(out)
    out[at:at] = list(body.values())
    del preamble  # rewritten from ``header``: the machine and versions
    return ("\n".join(header).rstrip("\n") + "\n\n" + "".join(out)).rstrip("\n") + "\n"


SECTIONS = ("formats", "scale", "profile", "pipeline", "memory")
TITLES = {
    "formats": "Read + normalise, per file (median of 3)",
    "scale": "Scale: process + stats (child process; peak RSS)",
    "profile": "Where the time goes (cProfile, 2026 × 10: process + stats; cumulative seconds, functions of the "
               "package, nested calls counted in their callers too)",
    "pipeline": "Whole pipeline (`confessions all --from nre-fullcsv-2026-06.csv`)",
    "memory": "Reading a large CSV: memory per MB of file, and the size cap",
    "targets": "Targets (issue: one command, fast)",
}


def measure(only: tuple[str, ...]) -> dict[str, list[str]]:
    """The body lines of each section in ``only`` (and the targets, when everything they need was measured)."""
    out: dict[str, list[str]] = {}
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        formats = per_format() if "formats" in only or "pipeline" in only else []
        if "formats" in only:
            out["formats"] = ["| file | format | rows | seconds |", "|---|---|---|---|"] + [
                f"| {name} | {fmt} | {rows:,} | {seconds:.2f} |" for name, fmt, rows, seconds in formats]
        scaled = {}
        if "scale" in only or "profile" in only:
            out["scale"] = ["| export | rows | process s | stats+tables s | peak MB |", "|---|---|---|---|---|"]
            for factor in (1, 10, 100) if "scale" in only else (10,):
                r = scaled[factor] = scale(factor, tmp)
                out["scale"].append(f"| 2026 × {factor} | {r['rows']:,} | {r['process']:.2f} | {r['stats']:.2f} | "
                                    f"{r['peak_mb']:.0f} |")
            if "scale" not in only:
                del out["scale"]
        if "profile" in only:
            out["profile"] = ["| seconds | function |", "|---|---|"] + [
                f"| {seconds:.2f} | `{where}` |" for seconds, where in profile(tmp / "x10.csv")]
        if "pipeline" in only:
            runs = pipeline_runs(tmp)
            out["pipeline"] = ["| run | seconds |", "|---|---|"] + [
                f"| {label} | {seconds:.2f} |" for label, seconds in runs.items() if label != "steps"]
        if "memory" in only:
            out["memory"] = memory_section(tmp)
        if {"formats", "scale", "pipeline"} <= set(only):
            full_normalise = next(sec for name, _, _, sec in formats if name == FULL.name)
            big = scaled[100]
            checks = [
                ("full cold `confessions all`, notebooks included", f"{runs['cold']:.1f} s", "≤ 30 s",
                 runs["cold"] <= 30),
                ("no-op re-run", f"{runs['no-op']:.1f} s", "≤ 2 s", runs["no-op"] <= 2),
                ("normalising the 2026 export", f"{full_normalise:.2f} s", "≤ 1 s", full_normalise <= 1),
                ("2026 × 100 process + stats", f"{big['process'] + big['stats']:.1f} s, {big['peak_mb']:.0f} MB",
                 "≤ 20 s, < 2 GB", big["process"] + big["stats"] <= 20 and big["peak_mb"] < 2048),
            ]
            out["targets"] = ["| what | measured | target | met |", "|---|---|---|---|"] + [
                f"| {what} | {got} | {target} | {'yes' if ok else '**no**'} |" for what, got, target, ok in checks]
    return out


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", nargs="+", choices=SECTIONS, default=list(SECTIONS),
                        help="measure these sections only (the others in docs/performance.md are kept)")
    only = tuple(parser.parse_args(argv).only)
    sys.path.insert(0, str(ROOT / "src"))
    import analysis

    header = ["# Performance", "", "Generated by `make benchmark` (benchmarks/run.py); numbers are from the machine "
              "below, not asserted by tests. Each generated section says when it was measured; sections measured "
              "by hand say so.", "",
              f"- machine: {platform.machine()}, {os.cpu_count()} cores, "
              f"{os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') / 2**30:.0f} GiB, {platform.platform()}",
              f"- Python {platform.python_version()}, pandas {pd.__version__}, numpy {np.__version__}, "
              f"analysis {analysis.__version__}"]
    when = f"Measured {time.strftime('%Y-%m-%d')}."
    sections = {TITLES[key]: [when, "", *lines] for key, lines in measure(only).items()}
    doc = ROOT / "docs" / "performance.md"
    text = update_sections(doc.read_text(encoding="utf-8") if doc.exists() else "", header, sections)
    doc.write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
