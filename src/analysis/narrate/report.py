"""``reports/index.html``: headline numbers, charts, the 32% question, tables, method, provenance, changelog.

One self-contained page: CSS inline, no scripts, no CDN; images and downloads are relative links to files under
``reports/``. Every piece of text that comes from data (names, titles, sentences, table cells, the changelog)
goes through :func:`html.escape`, so a value such as ``<script>alert(1)</script>`` shows as text.

:func:`write_report` takes the pieces; :func:`build_report` reads them from what the earlier stages wrote.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import math
import os
import re
import string
from collections.abc import Mapping, Sequence
from importlib import resources
from pathlib import Path

import pandas as pd

from analysis import __version__
from analysis.analyse.definitions import SOURCE_NAME, day_text
from analysis.files import write_text
from analysis.settings import Paths

__all__ = ["METHOD_NOTES", "build_report", "markdown_to_html", "render_report", "write_report"]

TITLE = "False confessions in US exonerations"
METHOD_NOTES = (
    ("The registry is not a random sample.", "The National Registry of Exonerations lists known exonerations: "
     "wrongful convictions that were overturned and came to the registry's attention. Shares describe those "
     "cases, not all wrongful convictions, and not all convictions. Intervals (95%, Wilson) describe the "
     "uncertainty of a share as if the cases were a sample; they do not correct for how cases reach the registry."),
    ("Definitions differ between sources.", "\"False confession\" here is the registry's FC factor: the "
     "exoneree's own false confession or admission. A co-defendant's confession and a guilty plea are separate "
     "tags. The Innocence Project counts its own DNA cases and uses a broader definition, so its figures need "
     "not match the registry's."),
    ("Blank means not coded.", "The registry codes a contributing factor only when present, so a blank cell counts "
     "as \"no\". Details that an export does not carry at all (for example misconduct types before 2021) are "
     "missing, not \"no\"."),
    ("Exonerations before 1989 are left out by default.", "The registry's headline counts cover exonerations since "
     "1989; the newest export also lists earlier ones, which are excluded unless a statistic names them."),
    ("Snapshots change.", "The registry adds and revises records. Every number states the snapshot it comes from; "
     "the data changelog lists what changed between snapshots."),
)


def _e(value: object) -> str:
    """HTML-escaped text of ``value`` (quotes too, so it is safe in attributes)."""
    return html.escape("" if value is None else str(value), quote=True)


def _pct(value: object, digits: int = 1) -> str:
    try:
        x = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return "–"
    return "–" if math.isnan(x) else f"{x * 100:.{digits}f}%"


def _href(where: Paths, target: Path) -> str | None:
    """A relative link from ``reports/index.html`` to ``target``, or None when the file does not exist."""
    target = Path(target)
    if not target.is_absolute():
        target = where.reports / target
    if not target.exists():
        return None
    return Path(os.path.relpath(target, where.reports)).as_posix()


def _link(where: Paths, target: Path, text: str, **attrs: str) -> str:
    href = _href(where, target)
    if href is None:
        return ""
    extra = "".join(f' {k}="{_e(v)}"' for k, v in attrs.items())
    return f'<a href="{_e(href)}"{extra}>{_e(text)}</a>'


# --------------------------------------------------------------------------------------------------------
# Sections
# --------------------------------------------------------------------------------------------------------


def _headlines(stats: Sequence[Mapping]) -> str:
    cards = []
    for s in stats:
        k, n = s.get("k"), s.get("n")
        kofn = f"{int(k):,} of {int(n):,}" if k is not None and n is not None else ""
        ci = (f"95% CI {_pct(s.get('ci_low'))}–{_pct(s.get('ci_high'))}" if s.get("ci_low") is not None else "")
        as_of = f" · as of {_e(s['as_of'])}" if s.get("as_of") else ""
        cards.append(
            f'<article class="stat" id="stat-{_e(s.get("id"))}">\n'
            f'<div class="number">{_e(_pct(s.get("share")))}</div>\n'
            f'<div class="kofn">{_e(kofn)}{" · " + _e(ci) if ci else ""}{as_of}</div>\n'
            f'<p>{_e(s.get("sentence"))}</p>\n'
            f'<p class="definition">{_e(s.get("definition"))} <code>{_e(s.get("id"))}</code></p>\n'
            "</article>")
    return '<div class="headlines">\n' + "\n".join(cards) + "\n</div>\n" if cards else "<p>No statistics.</p>\n"


FILE_LABELS = {"web": "PNG (web)", "social": "PNG (social, square)", "print": "PNG (print, 300 dpi)",
               "vector": "SVG", "web-dark": "PNG (dark)"}


def _chart(where: Paths, meta: Mapping) -> str:
    slug = str(meta.get("slug", ""))
    folder = where.figures / slug
    files = {f.get("role"): f for f in meta.get("files", [])}
    web = files.get("web")
    if not web or _href(where, folder / web["file"]) is None:
        return ""
    src = _href(where, folder / web["file"])
    size = f' width="{int(web["width_px"])}" height="{int(web["height_px"])}"' if web.get("width_px") else ""
    dark = files.get("web-dark")
    dark_src = _href(where, folder / dark["file"]) if dark else None
    source = (f'<source srcset="{_e(dark_src)}" media="(prefers-color-scheme: dark)">\n' if dark_src else "")
    downloads = [_link(where, folder / f["file"], FILE_LABELS.get(str(role), str(f["file"])), download="")
                 for role, f in files.items()]
    downloads.append(_link(where, folder / "data.csv", "Data (CSV)", download=""))
    downloads.append(_link(where, folder / "meta.json", "Metadata (JSON)"))
    notes = "".join(f'<p class="alt">{_e(n)}</p>\n' for n in meta.get("notes", []))
    return (
        f'<figure class="chart" id="chart-{_e(slug)}">\n<picture>\n{source}'
        f'<img src="{_e(src)}" alt="{_e(meta.get("alt_text"))}"{size} loading="lazy">\n</picture>\n'
        f'<figcaption>\n<h3>{_e(meta.get("title"))}</h3>\n'
        f'<p class="downloads">Download: {" ".join(d for d in downloads if d)}</p>\n'
        f'<details><summary>Definition, notes and alt text</summary>\n<p class="alt">{_e(meta.get("subtitle"))}</p>\n'
        f'{notes}<p class="alt">{_e(meta.get("source_line"))}. {_e(meta.get("as_of"))}.</p>\n'
        f'<p class="alt"><strong>Alt text:</strong> {_e(meta.get("alt_text"))}</p>\n</details>\n'
        "</figcaption>\n</figure>\n")


def _cell(value: object, column: str) -> tuple[str, bool]:
    """Display text of a table cell and whether it is numeric."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return "", False
    if isinstance(value, bool):
        return ("yes" if value else "no"), False
    if isinstance(value, int | float) and not isinstance(value, bool):
        if column in ("share", "ci_low", "ci_high", "distance_from_32") or column.startswith(("share_", "ci_")):
            return _pct(value), True
        if float(value).is_integer():
            return f"{int(value):,}" if column not in ("group",) else str(int(value)), True
        return f"{value:,.2f}", True
    return str(value), False


def _table(frame: pd.DataFrame, max_rows: int = 80) -> str:
    head = "".join(f"<th>{_e(c)}</th>" for c in frame.columns)
    rows = []
    for record in frame.head(max_rows).itertuples(index=False):
        cells = []
        for column, value in zip(frame.columns, record, strict=True):
            text, numeric = _cell(value.item() if hasattr(value, "item") else value, str(column))
            cells.append(f'<td class="num">{_e(text)}</td>' if numeric else f"<td>{_e(text)}</td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    more = (f"<p>First {max_rows} of {len(frame):,} rows; the CSV has them all.</p>" if len(frame) > max_rows
            else "")
    return (f'<div class="table-wrap"><table>\n<thead><tr>{head}</tr></thead>\n<tbody>\n' + "\n".join(rows)
            + f"\n</tbody></table></div>\n{more}")


def _tables(where: Paths, tables: Mapping[str, pd.DataFrame | Path | str]) -> str:
    parts = []
    for name, value in tables.items():
        frame = value if isinstance(value, pd.DataFrame) else pd.read_csv(value)
        frame = frame.drop(columns=[c for c in ("snapshot_id", "snapshot_date") if c in frame.columns])
        link = _link(where, where.tables / f"{name}.csv", f"{name}.csv", download="")
        parts.append(f"<details><summary>{_e(name.replace('_', ' ').capitalize())} ({len(frame):,} rows)</summary>\n"
                     f"{_table(frame)}" + (f"<p>Download: {link}</p>\n" if link else "") + "</details>\n")
    return "".join(parts) or "<p>No tables.</p>\n"


def _method() -> str:
    items = "".join(f"<li><strong>{_e(head)}</strong> {_e(text)}</li>\n" for head, text in METHOD_NOTES)
    return f"<ul>\n{items}</ul>\n"


def _provenance(provenance: Mapping) -> str:
    rows = []
    for key, value in provenance.items():
        if isinstance(value, Mapping):
            value = ", ".join(f"{k}: {v}" for k, v in value.items())
        elif isinstance(value, list | tuple):
            value = "; ".join(map(str, value)) or "none"
        rows.append(f"<dt>{_e(str(key).replace('_', ' ').capitalize())}</dt><dd>{_e(value)}</dd>")
    return '<dl class="provenance">\n' + "\n".join(rows) + "\n</dl>\n"


_INLINE = [
    (re.compile(r"`([^`]+)`"), r"<code>\1</code>"),
    (re.compile(r"\*\*([^*]+)\*\*"), r"<strong>\1</strong>"),
]


def _inline(text: str) -> str:
    out = _e(text)
    for pattern, replacement in _INLINE:
        out = pattern.sub(replacement, out)
    return out


def markdown_to_html(text: str) -> str:
    """A small, safe subset of Markdown (headings, lists, paragraphs, ``code`` and **bold**); everything is
    escaped first, so no HTML in the input survives as markup."""
    out: list[str] = []
    paragraph: list[str] = []
    in_list = False

    def flush() -> None:
        nonlocal paragraph
        if paragraph:
            out.append(f"<p>{_inline(' '.join(paragraph))}</p>")
            paragraph = []

    for line in text.splitlines():
        stripped = line.strip()
        heading = re.match(r"^(#{1,6})\s+(.*)$", stripped)
        bullet = re.match(r"^[-*+]\s+(.*)$", stripped)
        if heading or bullet or not stripped:
            flush()
        if in_list and not bullet and (stripped or heading):
            out.append("</ul>")
            in_list = False
        if heading:
            level = min(len(heading.group(1)) + 2, 6)
            out.append(f"<h{level}>{_inline(heading.group(2))}</h{level}>")
        elif bullet:
            if not in_list:
                out.append("<ul>")
                in_list = True
            out.append(f"<li>{_inline(bullet.group(1))}</li>")
        elif stripped:
            paragraph.append(stripped)
    flush()
    if in_list:
        out.append("</ul>")
    return "\n".join(out) + "\n"


def _notebook_title(path: Path) -> str:
    stem = re.sub(r"^\d+[-_]", "", Path(path).stem)
    return stem.replace("-", " ").replace("_", " ").capitalize()


def _notebooks(where: Paths, notebooks: Sequence[Path | str | Mapping]) -> str:
    items = []
    for nb in notebooks:
        if isinstance(nb, Mapping):
            path, title = Path(nb["html"]), str(nb.get("title") or _notebook_title(Path(nb["html"])))
        else:
            path, title = Path(nb), _notebook_title(Path(nb))
        html_link = _link(where, path, title)
        ipynb_link = _link(where, path.with_suffix(".ipynb"), "notebook file", download="")
        if html_link:
            items.append(f"<li>{html_link}" + (f" ({ipynb_link})" if ipynb_link else "") + "</li>")
    if not items:
        return "<p>The notebooks have not been executed for this build.</p>\n"
    return "<ul>\n" + "\n".join(items) + "\n</ul>\n"


# --------------------------------------------------------------------------------------------------------
# The page
# --------------------------------------------------------------------------------------------------------


def _resource(name: str) -> str:
    return resources.files("analysis.narrate").joinpath(name).read_text(encoding="utf-8")


def render_report(where: Paths, stats: Sequence[Mapping], charts_meta: Sequence[Mapping],
                  tables: Mapping[str, pd.DataFrame | Path | str], reconciliation_paragraph: str,
                  provenance: Mapping, changes_md: str | None, notebooks: Sequence[Path | str | Mapping]) -> str:
    """The HTML of the report (see :func:`write_report`)."""
    snapshot_date = provenance.get("snapshot_date")
    when = day_text(dt.date.fromisoformat(str(snapshot_date)[:10])) if snapshot_date else "an undated snapshot"
    lede = (f"What the {_e(SOURCE_NAME)} says about false confessions, from its export of {_e(when)} "
            f"(snapshot <code>{_e(provenance.get('snapshot_id'))}</code>). Every number comes with its "
            "denominator, a 95% interval and its source.")
    sections = [
        ("headlines", "Headline numbers", _headlines(stats)),
        ("charts", "Charts", "".join(_chart(where, m) for m in charts_meta) or "<p>No charts were built.</p>\n"),
        ("the-32-percent-question", "The 32% question",
         f"<p>{_e(reconciliation_paragraph)}</p>\n" if reconciliation_paragraph else "<p>Not computed.</p>\n"),
        ("tables", "Tables", _tables(where, tables)),
        ("method", "Method and caveats", _method()),
        ("provenance", "Provenance", _provenance(provenance)),
    ]
    if changes_md:
        sections.append(("changes", "Data changelog", f'<div class="changes">\n{markdown_to_html(changes_md)}</div>\n'))
    sections.append(("notebooks", "Notebooks", _notebooks(where, notebooks)))
    toc = " ".join(f'<a href="#{key}">{_e(title)}</a>' for key, title, _ in sections)
    body = "".join(f'<section id="{key}">\n<h2>{_e(title)}</h2>\n{content}</section>\n'
                   for key, title, content in sections)
    footer = (f"Built by the <code>analysis</code> package {_e(__version__)} from snapshot "
              f"<code>{_e(provenance.get('snapshot_id'))}</code> (sha256 <code>{_e(provenance.get('sha256'))}</code>). "
              f"Source: {_e(SOURCE_NAME)}.")
    return string.Template(_resource("report.html")).substitute(
        title=_e(TITLE), css=_resource("report.css"), lede=lede, toc=toc, body=body, footer=footer,
        generator=_e(f"analysis {__version__}"))


def write_report(where: Paths, stats: Sequence[Mapping], charts_meta: Sequence[Mapping],
                 tables: Mapping[str, pd.DataFrame | Path | str], reconciliation_paragraph: str,
                 provenance: Mapping, changes_md: str | None, notebooks: Sequence[Path | str | Mapping]) -> Path:
    """Write ``reports/index.html`` (atomically) and return its path.

    ``stats``: dicts from ``analyse.stats.headline_stats``; ``charts_meta``: the ``meta.json`` of each chart
    bundle; ``tables``: name → frame (or CSV path); ``provenance``: snapshot id, date, sha256 and anything else
    worth stating; ``changes_md``: the data changelog (Markdown) or None; ``notebooks``: executed notebook HTML
    files (paths, or dicts with ``html`` and ``title``). Links are written only to files that exist.
    """
    target = where.reports / "index.html"
    write_text(target, render_report(where, stats, charts_meta, tables, reconciliation_paragraph, provenance,
                                     changes_md, notebooks))
    return target


def build_report(where: Paths) -> Path:
    """Read what the earlier stages wrote under ``reports/`` and ``data/processed/`` and write the report."""
    from analysis.analyse.tables import TABLES
    from analysis.charts.bundle import code_version, read_bundle_metas

    stats_payload = json.loads(where.stats_json.read_text(encoding="utf-8")) if where.stats_json.exists() else {}
    stats = stats_payload.get("stats", []) if isinstance(stats_payload, dict) else list(stats_payload)
    meta = json.loads(where.processed_meta.read_text(encoding="utf-8")) if where.processed_meta.exists() else {}
    names = [n for n in (*TABLES, "history", "reconciliation") if (where.tables / f"{n}.csv").exists()]
    tables = {n: where.tables / f"{n}.csv" for n in names}
    paragraph_file = where.reports / "reconciliation.md"
    paragraph = paragraph_file.read_text(encoding="utf-8").strip() if paragraph_file.exists() else ""
    changes_file = where.reports / "CHANGES.md"
    changes = changes_file.read_text(encoding="utf-8") if changes_file.exists() else None
    provenance = {
        "snapshot_id": meta.get("snapshot_id"), "snapshot_date": meta.get("snapshot_date"),
        "sha256": meta.get("sha256"), "format": meta.get("format"), "rows": meta.get("rows"),
        "code_version": code_version(),
    }
    notebooks = sorted(where.notebooks_out.glob("*.html")) if where.notebooks_out.exists() else []
    return write_report(where, stats, read_bundle_metas(where.figures), tables, paragraph, provenance, changes,
                        notebooks)
