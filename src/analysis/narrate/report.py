"""``reports/index.html``: headline numbers, charts, the 32% question, tables, method, provenance, changelog.

One self-contained page: CSS inline, no scripts, no CDN, the chart images inlined as ``data:`` URIs (while they
total at most :data:`MAX_INLINE_BYTES`; above that they are relative links and the page says to open it from its
folder); downloads are relative links to files under ``reports/``. The page is the Jinja2 template
``report.html.j2`` rendered with autoescaping, so every piece of text that comes from data (names, titles,
sentences, table cells) shows as text: ``<script>alert(1)</script>`` stays inert; before escaping, every text
value loses its control and format characters (:func:`finalize`: a U+202E cannot
reverse the names after it), and the stylesheet wraps long words. The changelog is Markdown rendered by
markdown-it-py with raw HTML off.

This module only gathers data (statistics, chart metadata, tables, the changelog, notebooks, links to files that
exist, the values normalisation quarantined, the Innocence Project roster match) and hands it to the template;
:func:`write_report` takes the pieces, :func:`build_report` reads them from what the earlier stages wrote.
"""

from __future__ import annotations

import ast
import base64
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
from analysis.analyse import ip_match
from analysis.analyse.definitions import REGISTRY, SOURCE_NAME, SYNTHETIC_LABEL
from analysis.analyse.ip_match import stored_roster
from analysis.analyse.wording import count_noun, interval_text, pct1
from analysis.compare.changelog import without_placeholder
from analysis.credit import PERMITTED_USES, PUBLICATION_NOTE, TERMS, credit_line
from analysis.files import write_text
from analysis.inert import display
from analysis.settings import Paths
from analysis.snapshot import Snapshot, Source

__all__ = ["MAX_INLINE_BYTES", "METHOD_NOTES", "ROSTER_DEFINITION", "ROSTER_NOT_STORED", "build_report", "finalize",
           "markdown_source", "markdown_to_html", "quarantine_rows", "render_report", "roster_match", "roster_sentence",
           "roster_summary", "stored_roster", "write_report"]

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
MAX_INLINE_BYTES = 8 * 1024 * 1024
"""Chart images are inlined as ``data:`` URIs while these total at most this many bytes (base64: 4/3 of the files;
one chart's web and dark PNGs are about 0.5 MB, so the 13 charts of a full build fit)."""
IMAGE_TYPES = {".png": "image/png", ".svg": "image/svg+xml", ".jpg": "image/jpeg", ".jpeg": "image/jpeg"}
QUARANTINE_SHOWN = 5
"""How many quarantined values the provenance section lists (the count is always given)."""


# --------------------------------------------------------------------------------------------------------
# Formatting (the finalize hook of every page template, filters and globals); the fact sheets
# (analysis.narrate.states) use the same hook
# --------------------------------------------------------------------------------------------------------


def finalize(value: object) -> object:
    """What a template shows for ``value``: ``""`` for None, Markup unchanged, text through
    :func:`analysis.inert.display`, anything else (numbers) as it is."""
    if value is None:
        return ""
    if isinstance(value, Markup):
        return value
    if isinstance(value, str):
        return display(value)
    return value


def markdown_source(text: str) -> str:
    """Markdown from the data (``CHANGES.md``) with every line through :func:`analysis.inert.display`: the line
    breaks that make the Markdown are kept, control and format characters inside lines are removed."""
    return "\n".join(display(line) for line in text.split("\n"))


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
    """What the page shows of one chart bundle, or None when its web image is missing. ``src`` and ``dark_src``
    are relative links here; :func:`_inline_images` makes them ``data:`` URIs when the images are small enough."""
    slug = str(meta.get("slug", ""))
    folder = where.figures / slug
    files = {f.get("role"): f for f in meta.get("files", [])}
    web = files.get("web")
    src = _href(where, folder / web["file"]) if web else None
    if src is None:
        return None
    dark = files.get("web-dark")
    dark_src = _href(where, folder / dark["file"]) if dark else None
    downloads = [_link(where, folder / f["file"], FILE_LABELS.get(str(role), str(f["file"])), download=True)
                 for role, f in files.items()]
    downloads += [_link(where, folder / "data.csv", "Data (CSV)", download=True),
                  _link(where, folder / "meta.json", "Metadata (JSON)")]
    return {"slug": slug, "src": src, "dark_src": dark_src,
            "images": {"src": folder / web["file"], **({"dark_src": folder / dark["file"]} if dark_src else {})},
            "width": int(web["width_px"]) if web.get("width_px") else None,
            "height": int(web["height_px"]) if web.get("width_px") else None,
            "downloads": [d for d in downloads if d], "notes": list(meta.get("notes", [])),
            **{key: meta.get(key) for key in ("title", "subtitle", "source_line", "as_of", "alt_text",
                                               "long_description")}}


def data_uri(path: Path) -> Markup:
    """The image at ``path`` as a ``data:`` URI (base64). Markup: only base64 characters and the MIME type."""
    mime = IMAGE_TYPES.get(path.suffix.lower(), "application/octet-stream")
    return Markup(f"data:{mime};base64,{base64.b64encode(path.read_bytes()).decode('ascii')}")


def _inline_images(charts: list[dict], limit: int) -> bool:
    """Replace every chart's image links by ``data:`` URIs when these total at most ``limit`` bytes (base64 of the
    files); returns whether they were inlined (False: they stay relative links, and the page says to open it from
    its folder)."""
    images = [path for c in charts for path in c["images"].values()]
    if sum(-(-path.stat().st_size // 3) * 4 for path in images) > limit:
        return False
    for c in charts:
        for key, path in c["images"].items():
            c[key] = data_uri(path)
    return True


_QUARANTINED = re.compile(r"^row (?P<row>\d+), column (?P<column>'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"): "
                          r"(?P<value>'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\") (?P<why>.*?)(?:; set to missing)?$",
                          re.DOTALL)


def quarantine_rows(items: Sequence[str], shown: int = QUARANTINE_SHOWN) -> dict:
    """The values normalisation quarantined (the ``quarantined`` list of the processed metadata, as
    :class:`analysis.formats.cells.Problems` words them: ``row 12, column 'Age': '1e1' not an integer; set to
    missing``) for the page: ``count`` and ``text`` (the count in words), the first ``shown`` as ``row, column,
    value, why`` (an item in another wording whole in ``why``) and how many ``more``."""
    rows = []
    for item in list(items)[:shown]:
        m = _QUARANTINED.match(str(item))
        if m is None:
            rows.append({"row": "", "column": "", "value": "", "why": str(item)})
            continue
        rows.append({"row": int(m["row"]), "column": ast.literal_eval(m["column"]),
                     "value": ast.literal_eval(m["value"]), "why": m["why"]})
    n = len(items)
    text = (f"{count_noun(n, 'value')} could not be read and {'was' if n == 1 else 'were'} set to missing"
            if n else "none: every value of the export was read")
    return {"count": n, "text": text, "rows": rows, "more": max(n - shown, 0)}


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
# The Innocence Project roster matched to the registry (the match itself: analysis.analyse.ip_match): the
# inputs (the analyse step's match table, or the newest stored roster matched afresh against a notebook's
# snapshot) and the result in one sentence through analysis.analyse.wording, with its denominator and
# ROSTER_DEFINITION; shown by the report and notebook 04
# --------------------------------------------------------------------------------------------------------


ROSTER_DEFINITION = ("Each case on the Innocence Project's roster is matched to at most one registry record: same name "
              "(first and last), state and exoneration year within one year; else same name and state; else same "
              "last name, first initial and state (analysis.analyse.ip_match). The share counts the distinct matched "
              "records that carry the registry's false-confession (FC) factor: the roster itself records no "
              "contributing factors, so its own definition of a false confession cannot be applied.")
ROSTER_NOT_STORED = ("No Innocence Project roster is stored (`confessions ingest ip`), so its cases are not matched to "
              "the registry.")


def roster_summary(matches: pd.DataFrame, table: pd.DataFrame) -> dict:
    """:func:`analysis.analyse.ip_match.match_summary` of ``matches`` (a match table, e.g. read back from
    ``reports/tables/ip_match.csv``) against the canonical ``table``; record ids compared as text."""
    matches = matches.assign(record_id=matches["record_id"].astype("string"))
    table = table.assign(record_id=table["record_id"].astype("string"))
    return ip_match.match_summary(matches, table)


def roster_sentence(summary: Mapping, snapshot: Snapshot) -> str:
    """The match in words: roster cases, how many matched a registry record, and k of the n distinct matched
    records (share, 95% Wilson interval) with the registry's false-confession factor. Every record of the
    snapshot is a candidate, so its date is the snapshot's (an as-of date does not apply)."""
    rate = summary["fc_share"]
    source = "the synthetic demo data" if snapshot.source.synthetic else REGISTRY
    cases = count_noun(summary["entries"], "case")
    if rate.no_data:
        return (f"None of the {cases} on the Innocence Project's roster matched a record in {source} "
                f"{snapshot.at(None).when}, so there is no share to report.")
    records = count_noun(rate.n, "matched record")
    return (f"Of the {cases} on the Innocence Project's roster, {summary['matched']:,} matched a record in {source} "
            f"{snapshot.at(None).when}; {rate.k:,} of the {records} ({pct1(rate.share)}; "
            f"{interval_text(rate.ci_low, rate.ci_high)}) carry the registry's false-confession factor.")


def roster_match(snapshot: Snapshot, matches_csv: Path | None = None) -> dict | None:
    """What the report and notebook 04 show: ``sentence``, ``definition``, ``summary`` and ``unmatched`` names.

    ``matches_csv``: the analyse step's ``reports/tables/ip_match.csv`` (made against this snapshot's table);
    without it the newest stored roster is matched against ``snapshot``'s records afresh. None when there is
    neither."""
    table = snapshot.table  # every record is a candidate, as in the analyse step (an as-of date does not apply)
    if matches_csv is not None and Path(matches_csv).is_file():
        matches = pd.read_csv(matches_csv, dtype={"record_id": "string", "name": "string"})
    else:
        roster = stored_roster()
        if roster is None:
            return None
        matches = ip_match.match_roster(roster, table)
    summary = roster_summary(matches, table)
    return {"sentence": roster_sentence(summary, snapshot), "definition": ROSTER_DEFINITION, "summary": summary,
            "unmatched": list(summary["unmatched_names"])}


# --------------------------------------------------------------------------------------------------------
# The page
# --------------------------------------------------------------------------------------------------------


@functools.cache
def _environment() -> Environment:
    env = Environment(loader=PackageLoader("analysis", "narrate"), autoescape=True, undefined=StrictUndefined,
                      keep_trailing_newline=True, trim_blocks=True, lstrip_blocks=True, finalize=finalize)
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
                  provenance: Mapping, changes_md: str | None, notebooks: Sequence[Path | str | Mapping], *,
                  quarantined: Sequence[str] = (), roster: Mapping | None = None,
                  inline_limit: int = MAX_INLINE_BYTES) -> str:
    """The HTML of the report (see :func:`write_report`)."""
    source = Source.from_json(dict(provenance))
    # Markup: markdown-it's output, with raw HTML in the changelog escaped (``html: False``) and its text lines
    # cleaned of control and format characters first
    changes = (Markup(markdown_to_html(markdown_source(without_placeholder(changes_md)), drop_title=True))
               if changes_md else None)
    charts = [c for c in (_chart(where, m) for m in charts_meta) if c]
    inlined = _inline_images(charts, inline_limit)
    return _environment().get_template("report.html.j2").render(
        title=TITLE, version=__version__, source_name=SOURCE_NAME, css=_css(),
        credit=credit_line(source.synthetic), terms=TERMS, permitted_uses=PERMITTED_USES,
        publication_note=PUBLICATION_NOTE, states_index=_href(where, where.reports / "states" / "index.html"),
        synthetic=SYNTHETIC_LABEL if source.synthetic else None,
        snapshot_id=provenance.get("snapshot_id"), sha256=provenance.get("sha256"),
        when=source.date_text or "an undated snapshot",
        stats=[_stat(s) for s in stats],
        charts=charts, images_linked=bool(charts) and not inlined,
        reconciliation_paragraph=reconciliation_paragraph, roster=roster,
        tables=[_table(where, name, value) for name, value in tables.items()], max_rows=MAX_TABLE_ROWS,
        method_notes=METHOD_NOTES, provenance=provenance, quarantined=quarantine_rows(quarantined),
        changes=changes, notebooks=[n for n in (_notebook(where, nb) for nb in notebooks) if n])


def write_report(where: Paths, stats: Sequence[Mapping], charts_meta: Sequence[Mapping],
                 tables: Mapping[str, pd.DataFrame | Path | str], reconciliation_paragraph: str,
                 provenance: Mapping, changes_md: str | None, notebooks: Sequence[Path | str | Mapping], *,
                 quarantined: Sequence[str] = (), roster: Mapping | None = None,
                 inline_limit: int = MAX_INLINE_BYTES) -> Path:
    """Write ``reports/index.html`` (atomically) and return its path.

    ``stats``: dicts from ``analyse.stats.headline_stats``; ``charts_meta``: the ``meta.json`` of each chart
    bundle; ``tables``: name → frame (or CSV path); ``provenance``: snapshot id, date, sha256 and anything else
    worth stating; ``changes_md``: the data changelog (Markdown) or None; ``notebooks``: executed notebook HTML
    files (paths, or dicts with ``html`` and ``title``); ``quarantined``: the values normalisation set to missing
    (the processed metadata's list); ``roster``: the Innocence Project match
    (:func:`roster_match`) or None; ``inline_limit``: see :data:`MAX_INLINE_BYTES`.
    Links are written only to files that exist.
    """
    target = where.reports / "index.html"
    write_text(target, render_report(where, stats, charts_meta, tables, reconciliation_paragraph, provenance,
                                     changes_md, notebooks, quarantined=quarantined, roster=roster,
                                     inline_limit=inline_limit))
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
    quarantined = meta.get("quarantined") if isinstance(meta.get("quarantined"), list) else []
    return write_report(where, stats, read_bundle_metas(where.figures), tables, paragraph, provenance, changes,
                        notebooks, quarantined=quarantined, roster=_roster(where))


def _roster(where: Paths) -> dict | None:
    """The Innocence Project match the analyse step wrote (``reports/tables/ip_match.csv``) against the processed
    table, or None when there is none."""
    from analysis.normalise.load import load_processed

    matches = where.tables / "ip_match.csv"
    if not matches.is_file() or not where.canonical_parquet.is_file():
        return None
    return roster_match(load_processed(where), matches)
