"""``reports/index.html``: headline numbers, charts, the 32% question, tables, method, provenance, changelog.

One self-contained page: CSS inline, no scripts, no CDN; images and downloads are relative links to files under
``reports/``. The page is the Jinja2 template ``report.html.j2`` rendered with autoescaping, so every piece of
text that comes from data (names, titles, sentences, table cells) shows as text: ``<script>alert(1)</script>``
stays inert. The changelog is Markdown rendered by markdown-it-py with raw HTML off.

This module only gathers data (statistics, chart metadata, tables, the changelog, notebooks, links to files that
exist) and hands it to the template; :func:`write_report` takes the pieces, :func:`build_report` reads them from
what the earlier stages wrote.
"""

from __future__ import annotations

import functools
import json
import math
import os
import re
from collections.abc import Mapping, Sequence
from importlib import resources
from pathlib import Path

import pandas as pd
from jinja2 import Environment, PackageLoader, StrictUndefined
from markdown_it import MarkdownIt
from markdown_it.renderer import RendererHTML
from markdown_it.token import Token
from markupsafe import Markup, escape

from analysis import __version__
from analysis.analyse.definitions import SOURCE_NAME, SYNTHETIC_LABEL
from analysis.credit import PERMITTED_USES, PUBLICATION_NOTE, TERMS, credit_line
from analysis.files import write_text
from analysis.settings import Paths
from analysis.snapshot import Source

__all__ = ["METHOD_NOTES", "build_report", "markdown_to_html", "render_report", "write_report"]

TITLE = "False confessions in US exonerations"
METHOD_NOTES = (
    ("The registry is not a random sample.", "The National Registry of Exonerations lists known exonerations: "
     "wrongful convictions that were overturned and came to the registry's attention. Shares describe those "
     "cases, not all wrongful convictions, and not all convictions. Intervals (95%, Wilson) describe the "
     "uncertainty of a share as if the cases were a sample; they do not correct for how cases reach the registry."),
    ("Two intervals: Wilson, and one allowing for co-defendant groups.", "Each share has a 95% Wilson interval, "
     "which treats every exoneration as an independent record. Exonerated co-defendants share the facts of one "
     "case, and often a false confession, so where the export records co-defendant groups (the 2026 export on) "
     "each share also has a wider interval that allows for them: the cluster (ratio-estimator) variance over the "
     "groups, its ratio to the independent-records variance (the design effect: 1.1 to 1.8 for the headline "
     "shares on the 2026 export), and a Wilson interval on the sample size divided by that design effect; a "
     "seeded bootstrap of whole groups agrees with it. Headline sentences quote this interval (\"allowing for "
     "co-defendant groups\"). Older exports do not record groups, so only the Wilson interval is given for them."),
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
FILE_LABELS = {"web": "PNG (web)", "social": "PNG (social, square)", "print": "PNG (print, 300 dpi)",
               "vector": "SVG", "web-dark": "PNG (dark)", "embed": "Interactive (HTML)",
               "vega-lite": "Vega-Lite spec (JSON)"}
MAX_TABLE_ROWS = 80
PERCENT_COLUMNS = ("share", "ci_low", "ci_high", "distance_from_32")


# --------------------------------------------------------------------------------------------------------
# Formatting (template filters and globals)
# --------------------------------------------------------------------------------------------------------


def pct(value: object, digits: int = 1) -> str:
    """``0.127`` → ``12.7%``; missing or not a number → ``–``."""
    try:
        x = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return "–"
    return "–" if math.isnan(x) else f"{x * 100:.{digits}f}%"


def count(value: object) -> str:
    """``3835`` → ``3,835``."""
    return f"{int(value):,}"  # type: ignore[call-overload]


def label(name: object) -> str:
    """``snapshot_id`` → ``Snapshot id``."""
    return str(name).replace("_", " ").capitalize()


def cell(value: object, column: object) -> tuple[str, bool]:
    """Display text of a table cell and whether it is numeric (shares as percentages, counts with commas)."""
    if hasattr(value, "item"):  # a numpy scalar
        value = value.item()
    column = str(column)
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return "", False
    if isinstance(value, bool):
        return ("yes" if value else "no"), False
    if isinstance(value, int | float):
        if column in PERCENT_COLUMNS or column.startswith(("share_", "ci_")):
            return pct(value), True
        if float(value).is_integer():
            return (f"{int(value):,}" if column != "group" else str(int(value))), True
        return f"{value:,.2f}", True
    return str(value), False


def provenance_value(value: object) -> object:
    """A provenance entry as one line: a mapping as ``k: v, …``, a list as ``a; b`` (``none`` when empty)."""
    if isinstance(value, Mapping):
        return ", ".join(f"{k}: {v}" for k, v in value.items())
    if isinstance(value, list | tuple):
        return "; ".join(map(str, value)) or "none"
    return value


# --------------------------------------------------------------------------------------------------------
# The changelog: Markdown → HTML
# --------------------------------------------------------------------------------------------------------


def _render_table_open(self: RendererHTML, tokens: Sequence[Token], idx: int, options: object, env: dict) -> str:
    return '<div class="table-wrap">\n' + self.renderToken(tokens, idx, options, env)


def _render_table_close(self: RendererHTML, tokens: Sequence[Token], idx: int, options: object, env: dict) -> str:
    return self.renderToken(tokens, idx, options, env) + "</div>\n"


def _render_image(self: RendererHTML, tokens: Sequence[Token], idx: int, options: object, env: dict) -> str:
    # an image would be fetched when the page opens (perhaps from the network): show its alt text instead
    return str(escape(self.renderInlineAsText(tokens[idx].children or [], options, env)))


@functools.cache
def _markdown() -> MarkdownIt:
    """CommonMark plus pipe tables; raw HTML is shown as text, and markdown-it's link check leaves
    ``javascript:``, ``vbscript:``, ``file:`` and ``data:`` links as plain text."""
    md = MarkdownIt("commonmark", {"html": False}).enable("table")
    md.add_render_rule("table_open", _render_table_open)
    md.add_render_rule("table_close", _render_table_close)
    md.add_render_rule("image", _render_image)
    return md


def markdown_to_html(text: str, *, drop_title: bool = False) -> str:
    """Markdown as HTML to sit under one of the page's ``<h2>`` sections: headings move down two levels
    (``#`` → ``<h3>``), or, with ``drop_title``, a leading ``#`` title is left out (the section heading says it)
    and the rest move down one level (``##`` → ``<h3>``). Tables are wrapped in ``<div class="table-wrap">``.
    Raw HTML in the input is escaped, never passed through."""
    md = _markdown()
    tokens = md.parse(text)
    shift = 2
    if drop_title and len(tokens) >= 3 and tokens[0].type == "heading_open" and tokens[0].tag == "h1":
        tokens, shift = tokens[3:], 1  # heading_open, inline, heading_close
    for token in tokens:
        if token.type in ("heading_open", "heading_close"):
            token.tag = f"h{min(max(int(token.tag[1]) + shift, 3), 6)}"
    return md.renderer.render(tokens, md.options, {})


# --------------------------------------------------------------------------------------------------------
# Gathering the pieces
# --------------------------------------------------------------------------------------------------------


def _href(where: Paths, target: Path | str) -> str | None:
    """A relative link from ``reports/index.html`` to ``target``, or None when the file does not exist."""
    target = Path(target)
    if not target.is_absolute():
        target = where.reports / target
    if not target.exists():
        return None
    return Path(os.path.relpath(target, where.reports)).as_posix()


def _link(where: Paths, target: Path, text: str, download: bool = False) -> dict | None:
    href = _href(where, target)
    return {"href": href, "text": text, "download": download} if href else None


def _stat(s: Mapping) -> dict:
    keys = ("id", "share", "k", "n", "ci_low", "ci_high", "as_of", "sentence", "definition")
    return {key: s.get(key) for key in keys}


def _chart(where: Paths, meta: Mapping) -> dict | None:
    """What the page shows of one chart bundle, or None when its web image is missing."""
    slug = str(meta.get("slug", ""))
    folder = where.figures / slug
    files = {f.get("role"): f for f in meta.get("files", [])}
    web = files.get("web")
    src = _href(where, folder / web["file"]) if web else None
    if src is None:
        return None
    dark = files.get("web-dark")
    downloads = [_link(where, folder / f["file"], FILE_LABELS.get(str(role), str(f["file"])), download=True)
                 for role, f in files.items()]
    downloads += [_link(where, folder / "data.csv", "Data (CSV)", download=True),
                  _link(where, folder / "meta.json", "Metadata (JSON)")]
    return {"slug": slug, "src": src, "dark_src": _href(where, folder / dark["file"]) if dark else None,
            "width": int(web["width_px"]) if web.get("width_px") else None,
            "height": int(web["height_px"]) if web.get("width_px") else None,
            "downloads": [d for d in downloads if d], "notes": list(meta.get("notes", [])),
            **{key: meta.get(key) for key in ("title", "subtitle", "source_line", "as_of", "alt_text")}}


def _table(where: Paths, name: str, value: pd.DataFrame | Path | str) -> dict:
    frame = value if isinstance(value, pd.DataFrame) else pd.read_csv(value)
    frame = frame.drop(columns=[c for c in ("snapshot_id", "snapshot_date") if c in frame.columns])
    return {"name": name, "columns": [str(c) for c in frame.columns], "total": len(frame),
            "rows": list(frame.head(MAX_TABLE_ROWS).itertuples(index=False, name=None)),
            "download": _link(where, where.tables / f"{name}.csv", f"{name}.csv", download=True)}


def _notebook_title(path: Path) -> str:
    stem = re.sub(r"^\d+[-_]", "", Path(path).stem)
    return stem.replace("-", " ").replace("_", " ").capitalize()


def _notebook(where: Paths, nb: Path | str | Mapping) -> dict | None:
    if isinstance(nb, Mapping):
        path, title = Path(nb["html"]), str(nb.get("title") or _notebook_title(Path(nb["html"])))
    else:
        path, title = Path(nb), _notebook_title(Path(nb))
    page = _link(where, path, title)
    if page is None:
        return None
    return {"page": page, "ipynb": _link(where, path.with_suffix(".ipynb"), "notebook file", download=True)}


# --------------------------------------------------------------------------------------------------------
# The page
# --------------------------------------------------------------------------------------------------------


@functools.cache
def _environment() -> Environment:
    env = Environment(loader=PackageLoader("analysis", "narrate"), autoescape=True, undefined=StrictUndefined,
                      keep_trailing_newline=True, trim_blocks=True, lstrip_blocks=True,
                      finalize=lambda value: "" if value is None else value)
    env.filters.update(pct=pct, count=count, label=label, provenance_value=provenance_value)
    env.globals.update(cell=cell)
    return env


def _css() -> Markup:
    css = resources.files("analysis.narrate").joinpath("report.css").read_text(encoding="utf-8")
    if "</style" in css.lower():
        raise ValueError("report.css must not contain '</style' (it is inlined in a <style> element)")
    # Markup: the package's own stylesheet, inlined as is; it contains no data.
    return Markup(css)


def render_report(where: Paths, stats: Sequence[Mapping], charts_meta: Sequence[Mapping],
                  tables: Mapping[str, pd.DataFrame | Path | str], reconciliation_paragraph: str,
                  provenance: Mapping, changes_md: str | None, notebooks: Sequence[Path | str | Mapping]) -> str:
    """The HTML of the report (see :func:`write_report`)."""
    source = Source.from_json(dict(provenance))
    # Markup: markdown-it's output, with raw HTML in the changelog escaped (``html: False``).
    changes = Markup(markdown_to_html(changes_md, drop_title=True)) if changes_md else None
    return _environment().get_template("report.html.j2").render(
        title=TITLE, version=__version__, source_name=SOURCE_NAME, css=_css(),
        credit=credit_line(source.synthetic), terms=TERMS, permitted_uses=PERMITTED_USES,
        publication_note=PUBLICATION_NOTE, states_index=_href(where, where.reports / "states" / "index.html"),
        synthetic=SYNTHETIC_LABEL if source.synthetic else None,
        snapshot_id=provenance.get("snapshot_id"), sha256=provenance.get("sha256"),
        when=source.date_text or "an undated snapshot",
        stats=[_stat(s) for s in stats],
        charts=[c for c in (_chart(where, m) for m in charts_meta) if c],
        reconciliation_paragraph=reconciliation_paragraph,
        tables=[_table(where, name, value) for name, value in tables.items()], max_rows=MAX_TABLE_ROWS,
        method_notes=METHOD_NOTES, provenance=provenance, changes=changes,
        notebooks=[n for n in (_notebook(where, nb) for nb in notebooks) if n])


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
    source = Source.from_json(meta)
    names = [n for n in (*TABLES, "history", "reconciliation") if (where.tables / f"{n}.csv").exists()]
    tables = {n: where.tables / f"{n}.csv" for n in names}
    paragraph_file = where.reports / "reconciliation.md"
    paragraph = paragraph_file.read_text(encoding="utf-8").strip() if paragraph_file.exists() else ""
    changes_file = where.reports / "CHANGES.md"
    changes = changes_file.read_text(encoding="utf-8") if changes_file.exists() else None
    provenance = {"snapshot_id": meta.get("snapshot_id"), "snapshot_date": source.iso, "sha256": source.sha256,
                  "format": source.format, "rows": meta.get("rows"), "code_version": code_version()}
    if source.synthetic:  # the demo export: the page opens with a banner saying so
        provenance["synthetic"] = True
    notebooks = sorted(where.notebooks_out.glob("*.html")) if where.notebooks_out.exists() else []
    return write_report(where, stats, read_bundle_metas(where.figures), tables, paragraph, provenance, changes,
                        notebooks)
