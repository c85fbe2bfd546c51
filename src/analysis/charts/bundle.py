"""Chart bundles: ``reports/figures/<slug>/`` with every file a writer needs, written atomically.

A bundle holds

* ``<slug>.png`` (web, 1,200 px wide), ``<slug>-social.png`` (1,080 × 1,080), ``<slug>-print.png`` (7 in wide at
  300 dpi), ``<slug>-dark.png`` (web, dark theme) and ``<slug>.svg`` (web, light theme);
* ``data.csv``: exactly the numbers plotted, in the order drawn (top to bottom, left to right; formula-like text
  neutralised, :mod:`analysis.files`);
* ``embed.html``: the same chart as an interactive, self-contained Vega-Lite view, and ``chart.vl.json``, its spec
  on its own (:mod:`analysis.charts.embed`);
* ``meta.json``: title, subtitle, source line, the registry's credit line (``credit``, :mod:`analysis.credit`),
  notes, alt text (short: the point and the key numbers), the long description (every plotted value), data as-of
  date, the snapshot (id, date, sha256, format, as-of date), code version, the embed
  (file, spec, an ``<iframe>`` snippet), the variants left out and why (``skipped``, e.g. a state
  bundle's print, dark and social PNGs) and every file with its pixel size (read back with Pillow).

Everything is written to a temporary folder beside the bundle and renamed into place, so a reader never sees a
half-written bundle. Files are byte-for-byte reproducible from the same data and code.
"""

from __future__ import annotations

import functools
import hashlib
import io
import json
import os
import shutil
import subprocess
import tempfile
import warnings
from collections.abc import Callable, Collection, Mapping, Sequence
from pathlib import Path

import pandas as pd
from PIL import Image, UnidentifiedImageError

from analysis import __version__
from analysis.charts.registry import CHARTS, ChartContext, ChartSpec, ChartUnavailable, make_chart
from analysis.charts.style import SIZES, png_bytes, svg_bytes, use_style
from analysis.credit import credit_line
from analysis.files import to_safe_csv
from analysis.snapshot import Snapshot

__all__ = ["CHARTS", "build_all_charts", "build_chart", "bundle_meta", "code_version", "make_chart", "png_size",
           "read_bundle_metas", "write_bundle"]

# (file suffix, theme, size, format): the files of a bundle, all drawn from the same data.
VARIANTS: tuple[tuple[str, str, str, str], ...] = (
    ("", "light", "web", "png"),
    ("", "light", "web", "svg"),
    ("-dark", "dark", "web", "png"),
    ("-social", "light", "social", "png"),
    ("-print", "light", "print", "png"),
)
ROLES = {("", "png"): "web", ("", "svg"): "vector", ("-dark", "png"): "web-dark", ("-social", "png"): "social",
         ("-print", "png"): "print"}
SKIPPED_WHY = "drawn once, in the light theme at web size (a hand-made spec cannot redraw itself)"
"""Why a hand-made spec's bundle (a state fact sheet's chart) has no dark or social PNG."""


def png_size(data: bytes) -> tuple[int, int, float | None]:
    """(width, height, dpi or None) of a PNG, read with Pillow (dpi to one decimal; None when not stated)."""
    try:
        with Image.open(io.BytesIO(data)) as image:
            if image.format != "PNG":
                raise ValueError(f"not a PNG but {image.format}")
            (width, height), dpi = image.size, image.info.get("dpi")
    except (UnidentifiedImageError, OSError, SyntaxError) as exc:
        raise ValueError(f"not a PNG: {exc}") from exc
    return width, height, round(float(dpi[0]), 1) if dpi else None


@functools.lru_cache(maxsize=1)
def code_version() -> dict:
    """``analysis.__version__`` and the git commit of the source tree ("unknown" outside a git checkout)."""
    here = Path(__file__).resolve().parent
    commit, dirty = "unknown", None
    try:
        out = subprocess.run(["git", "-C", str(here), "rev-parse", "HEAD"], capture_output=True, text=True,
                             timeout=10, check=False)
        if out.returncode == 0 and out.stdout.strip():
            commit = out.stdout.strip()
            status = subprocess.run(["git", "-C", str(here), "status", "--porcelain", "--", str(here.parent)],
                                    capture_output=True, text=True, timeout=10, check=False)
            dirty = bool(status.stdout.strip()) if status.returncode == 0 else None
    except (OSError, subprocess.SubprocessError):
        pass
    return {"analysis": __version__, "git_commit": commit, "git_dirty": dirty}


def _render_files(spec: ChartSpec, skip: Collection[str] = ()) -> dict[str, tuple[str, bytes]]:
    """file name → (role, bytes) for every variant the spec can produce, but the roles in ``skip``."""
    render: Callable[..., ChartSpec] | None = spec.render
    files: dict[str, tuple[str, bytes]] = {}
    drawn: dict[tuple[str, str], ChartSpec] = {("light", "web"): spec}
    for suffix, theme, size, fmt in VARIANTS:
        if ROLES[(suffix, fmt)] in skip:
            continue
        key = (theme, size)
        if key not in drawn:
            if render is None:
                continue
            drawn[key] = render(theme=theme, size=size)
        variant = drawn[key]
        with use_style(theme, size):
            payload = (svg_bytes(variant.fig, variant.title, variant.alt_text) if fmt == "svg"
                       else png_bytes(variant.fig, SIZES[size].dpi))
        files[f"{spec.slug}{suffix}.{fmt}"] = (ROLES[(suffix, fmt)], payload)
    if render is None and "print" not in skip:  # a hand-made spec: print resolution from the web figure
        with use_style("light", "web"):
            dpi = round(SIZES["print"].width_px / spec.fig.get_size_inches()[0])
            files[f"{spec.slug}-print.png"] = ("print", png_bytes(spec.fig, dpi))
    return files


def _csv_bytes(frame: pd.DataFrame) -> bytes:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "data.csv"
        to_safe_csv(frame, path)
        return path.read_bytes()


def _snapshot_meta(snapshot: Snapshot | None) -> dict:
    """``snapshot``'s id, date, sha256, format and as-of date (from ``Snapshot.to_json``)."""
    known = snapshot.to_json() if snapshot is not None else {}
    return {"id": known.get("snapshot_id"), "date": known.get("snapshot_date"), "sha256": known.get("sha256"),
            "format": known.get("format"), "as_of": known.get("as_of")}


def bundle_meta(spec: ChartSpec, files: dict[str, tuple[str, bytes]], data_csv: bytes,
                snapshot: Snapshot | None = None, embed: dict | None = None,
                skip: Mapping[str, str] | None = None) -> dict:
    """The ``meta.json`` content of a bundle (``snapshot``: default ``spec.snapshot``; ``embed``: the embed entry
    from :func:`analysis.charts.embed.embed_files`)."""
    snapshot = snapshot or spec.snapshot
    synthetic = bool(snapshot is not None and snapshot.source.synthetic)
    roles = {role for role, _ in files.values()}
    skipped = {role: (skip or {}).get(role, SKIPPED_WHY) for role in ROLES.values() if role not in roles}
    listed = []
    for name, (role, payload) in files.items():
        entry: dict = {"file": name, "role": role, "format": name.rsplit(".", 1)[1], "bytes": len(payload),
                       "sha256": hashlib.sha256(payload).hexdigest()}
        if name.endswith(".png"):
            width, height, dpi = png_size(payload)
            entry.update(width_px=width, height_px=height, dpi=dpi)
        listed.append(entry)
    return {
        "slug": spec.slug,
        "title": spec.title,
        "subtitle": spec.subtitle,
        "source_line": spec.source_line,
        "credit": credit_line(synthetic),
        "notes": list(spec.notes),
        "alt_text": spec.alt_text,
        "long_description": spec.long_description or spec.alt_text,
        "key_numbers": list(spec.key_numbers),
        "as_of": spec.as_of,
        "data_as_of": snapshot.date.isoformat() if snapshot is not None and snapshot.date else None,
        "synthetic": synthetic,  # the demo export: not real cases
        "snapshot": _snapshot_meta(snapshot),
        "code_version": code_version(),
        "table": spec.table,
        "data": {"file": "data.csv", "rows": len(spec.data), "columns": [str(c) for c in spec.data.columns],
                 "bytes": len(data_csv), "sha256": hashlib.sha256(data_csv).hexdigest()},
        "embed": embed,
        "skipped": skipped,
        "files": listed,
    }


def _swap_in(tmp: Path, target: Path) -> None:
    """Rename ``tmp`` onto ``target`` (a folder), replacing any previous bundle."""
    old = None
    if target.exists():
        old = Path(tempfile.mkdtemp(prefix=f".old-{target.name}-", dir=target.parent))
        os.replace(target, old / target.name)
    os.replace(tmp, target)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def write_bundle(spec: ChartSpec, out_dir: Path, snapshot: Snapshot | None = None,
                 skip: Mapping[str, str] | None = None) -> dict:
    """Write the bundle of ``spec`` to ``out_dir/<slug>/`` (``out_dir`` is ``reports/figures``); returns the
    content of its ``meta.json``. ``snapshot``: where the numbers come from, for a spec made by hand (a
    registered chart's spec carries it). ``skip``: variants left out (role → why, e.g. ``{"print": "..."}``),
    listed with their reason under ``skipped`` in ``meta.json``."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    files = _render_files(spec, tuple(skip or ()))
    data_csv = _csv_bytes(spec.data)
    known = snapshot or spec.snapshot
    # imported here: altair (through jsonschema's format checks) takes about 6 s to import, which a run that
    # draws no chart, such as a no-op build, should not pay
    from analysis.charts.embed import embed_files

    html, vl_json, embed = embed_files(spec, spec.data, credit_line(bool(known and known.source.synthetic)))
    files.update({"embed.html": ("embed", html), "chart.vl.json": ("vega-lite", vl_json)})
    info = bundle_meta(spec, files, data_csv, snapshot, embed, skip)
    for stale in [*out_dir.glob(f".tmp-{spec.slug}-*"), *out_dir.glob(f".old-{spec.slug}-*")]:
        shutil.rmtree(stale, ignore_errors=True)  # left by a run that was killed (builds hold a lock)
    tmp = Path(tempfile.mkdtemp(prefix=f".tmp-{spec.slug}-", dir=out_dir))
    try:
        for name, (_, payload) in files.items():
            (tmp / name).write_bytes(payload)
        (tmp / "data.csv").write_bytes(data_csv)
        (tmp / "meta.json").write_text(json.dumps(info, indent=2, ensure_ascii=False, default=str) + "\n",
                                       encoding="utf-8")
        tmp.chmod(0o755)
        _swap_in(tmp, out_dir / spec.slug)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)
    return info


def build_chart(slug: str, snapshot: Snapshot, ctx: ChartContext | Mapping | None, out_root: Path) -> dict:
    """Draw chart ``slug`` of ``snapshot`` and write its bundle under ``out_root`` (``reports/figures``); returns
    its meta.

    Raises :class:`ChartUnavailable` when the inputs cannot support the chart (e.g. no history given).
    """
    spec = make_chart(slug, snapshot, ctx)
    try:
        return write_bundle(spec, out_root)
    finally:
        spec.fig.clear()


def build_all_charts(snapshot: Snapshot, ctx: ChartContext | Mapping | None, out_root: Path,
                     slugs: Sequence[str] | None = None) -> list[dict]:
    """Build every chart (or ``slugs``); a chart its inputs cannot support is skipped with a warning.

    Returns the meta of each bundle written, in ``CHARTS`` order.
    """
    written = []
    for slug in slugs or list(CHARTS):
        try:
            written.append(build_chart(slug, snapshot, ctx, out_root))
        except ChartUnavailable as exc:
            warnings.warn(f"chart {slug} skipped: {exc}", stacklevel=2)
    return written


def read_bundle_metas(out_root: Path) -> list[dict]:
    """The ``meta.json`` of every bundle under ``out_root``, in ``CHARTS`` order (others after, by slug)."""
    metas = {}
    for path in sorted(Path(out_root).glob("*/meta.json")):
        if not path.parent.name.startswith("."):
            metas[path.parent.name] = json.loads(path.read_text(encoding="utf-8"))
    order = [s for s in CHARTS if s in metas] + sorted(s for s in metas if s not in CHARTS)
    return [metas[s] for s in order]
