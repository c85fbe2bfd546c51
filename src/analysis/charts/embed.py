"""Interactive embeds: ``embed.html`` and ``chart.vl.json`` of a chart bundle, drawn with altair (Vega-Lite).

The embed shows the bundle's own ``data.csv`` frame (the same neutralised values, nothing else but tooltip text
columns prefixed ``tip_``) as a Vega-Lite view, one small builder per chart shape (:mod:`analysis.charts.embed_shapes`:
by slug, else by the chart kind named at the start of the alt text). Tooltips give "k of n", the share and its 95%
interval, all worded by :mod:`analysis.analyse.wording`.

``embed.html`` is one self-contained page: the Vega, Vega-Lite and vega-embed JavaScript inlined from
``vl_convert.javascript_bundle`` (nothing fetched; a Content-Security-Policy forbids any network request), the
spec as JSON inside ``<script type="application/json">`` with ``<`` written ``\\u003c`` (text in the data can never
close the script), the title, subtitle, notes, source line, alt text and long description as escaped HTML
(``aria-label`` and a ``<figcaption>``, the long description in a ``<details>``), and a width that follows its
container. Data text reaches the page only as Vega text marks and tooltips (vega-tooltip escapes HTML), never as
markup. ``chart.vl.json`` is the spec on its own, with its title.
"""

from __future__ import annotations

import functools
import json
import os
import textwrap
from collections.abc import Mapping
from pathlib import Path

import altair as alt
import pandas as pd
from jinja2 import Environment
from markupsafe import Markup

from analysis.charts.embed_shapes import THEME, builder_for, records, roles, table
from analysis.charts.style import FONT

__all__ = ["embed_files", "embed_spec", "iframe_snippet", "script_json", "vega_javascript"]
CSP = ("default-src 'none'; script-src 'unsafe-inline' 'unsafe-eval'; style-src 'unsafe-inline'; "
       "img-src data:; font-src data:")


def _cache_dir() -> Path:
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "false-confessions"


@functools.cache
def vega_javascript() -> str:
    """Vega, Vega-Lite (the version altair writes) and vega-embed as one script (vl-convert's bundle, about
    0.9 MB). Building it takes seconds, so it is kept in ``~/.cache/false-confessions/`` (``$XDG_CACHE_HOME``),
    one file per vl-convert and Vega-Lite version; without a writable cache it is rebuilt once per process."""
    import vl_convert

    version = ".".join(alt.SCHEMA_VERSION.lstrip("v").split(".")[:2])
    cached = _cache_dir() / f"vega-bundle-vlc{vl_convert.__version__}-vl{version}.js"
    try:
        return cached.read_text(encoding="utf-8")
    except OSError:
        pass
    script = vl_convert.javascript_bundle(vl_version=version)
    script = script.replace("</script", "<\\/script").replace("</SCRIPT", "<\\/SCRIPT")
    try:
        cached.parent.mkdir(parents=True, exist_ok=True)
        tmp = cached.with_name(f".{cached.name}.{os.getpid()}.tmp")
        tmp.write_text(script, encoding="utf-8")
        os.replace(tmp, cached)
    except OSError:
        pass
    return script


def embed_spec(spec: object, data: pd.DataFrame) -> tuple[dict, int]:
    """(the Vega-Lite spec of ``spec``'s chart, as a dict with its title; its height in pixels). ``spec`` is a
    :class:`~analysis.charts.registry.ChartSpec` (slug, title, subtitle, alt_text, source_line, as_of, notes)."""
    r = roles(data)
    rows = records(data, r)
    try:
        layers, height = builder_for(spec.slug, spec.alt_text, r)(r, rows, spec)
    except (KeyError, TypeError, ValueError):  # a chart whose data changed shape: still an embed, as text lines
        rows = records(data, r)
        layers, height = table(r, rows, spec)
    chart = alt.layer(*layers, data=alt.InlineData(values=rows, name="bundle")).properties(
        width="container", height=height, description=spec.alt_text,
        title=alt.TitleParams(text=textwrap.wrap(spec.title, 70), subtitle=textwrap.wrap(spec.subtitle, 90),
                              anchor="start", fontSize=17, subtitleFontSize=12, subtitleColor=THEME.muted),
        usermeta={"slug": spec.slug, "source_line": spec.source_line, "as_of": spec.as_of,
                  "data": "data.csv: the same rows; tip_ columns are tooltip text"},
    ).configure(font=FONT).configure_view(stroke=None).configure_axis(
        labelColor=THEME.text, titleColor=THEME.muted, gridColor=THEME.grid, domainColor=THEME.axis)
    return chart.to_dict(validate=True), height


PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{{ csp }}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ title }}</title>
<style>
body { margin: 0; padding: 12px; background: #ffffff; color: #1a1a1a;
       font: 15px/1.45 "DejaVu Sans", Arial, sans-serif; }
figure { margin: 0; max-width: 60rem; }
h1 { font-size: 1.2rem; line-height: 1.25; margin: 0 0 .25rem; }
p { margin: .25rem 0; }
.sub, figcaption { color: #5c5c5c; font-size: .85rem; }
#vis { width: 100%; margin: .6rem 0; }
#vis .vega-embed { width: 100%; }
</style>
</head>
<body>
<figure role="figure" aria-label="{{ alt_text }}">
<h1>{{ title }}</h1>
<p class="sub">{{ subtitle }}</p>
<div id="vis"></div>
<figcaption>
{% for note in notes %}<p>{{ note }}</p>
{% endfor %}<p class="source">{{ source_line }}. {{ as_of }}.</p>
<p class="credit">{{ credit }}</p>
<p class="alt">{{ alt_text }}</p>
<details class="long"><summary>Data description</summary><p>{{ long_description }}</p></details>
</figcaption>
</figure>
<script type="application/json" id="spec">{{ spec_json }}</script>
<script>{{ javascript }}</script>
<script>
vegaEmbed("#vis", JSON.parse(document.getElementById("spec").textContent),
          {actions: false, renderer: "svg"}).catch(function (error) { console.error(error); });
</script>
</body>
</html>
"""


@functools.cache
def _page():  # noqa: ANN202 - jinja2.Template
    return Environment(autoescape=True, keep_trailing_newline=True).from_string(PAGE)


def script_json(value: object) -> Markup:
    """JSON safe inside a ``<script>`` element: ``<``, ``>`` and ``&`` as ``\\u`` escapes."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    # Markup: JSON with every character that could end the element escaped.
    return Markup(text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))


def iframe_snippet(spec: object, height: int) -> str:
    """The ``<iframe>`` a writer pastes into a page (``src`` relative: point it at where the bundle is hosted)."""
    from markupsafe import escape

    return (f'<iframe src="embed.html" title="{escape(spec.title)}" width="100%" height="{height + 260}" '
            f'style="border:0;max-width:100%" loading="lazy"></iframe>')


def embed_files(spec: object, data: pd.DataFrame, credit: str) -> tuple[bytes, bytes, dict]:
    """(``embed.html``, ``chart.vl.json``, the ``embed`` entry of ``meta.json``)."""
    vl, height = embed_spec(spec, data)
    page_spec = {key: value for key, value in vl.items() if key != "title"}  # the page states it as HTML text
    html = _page().render(
        csp=CSP, title=spec.title, subtitle=spec.subtitle, notes=list(spec.notes), source_line=spec.source_line,
        as_of=spec.as_of, credit=credit, alt_text=spec.alt_text,
        long_description=getattr(spec, "long_description", "") or spec.alt_text, spec_json=script_json(page_spec),
        # Markup: the vl-convert bundle (Vega's own code), with any "</script" broken up.
        javascript=Markup(vega_javascript()))
    vl_json = json.dumps(vl, indent=1, ensure_ascii=False, sort_keys=True) + "\n"
    meta: Mapping = {"file": "embed.html", "spec": "chart.vl.json", "iframe": iframe_snippet(spec, height),
                     "vega_lite": alt.SCHEMA_VERSION, "offline": True}
    return html.encode("utf-8"), vl_json.encode("utf-8"), dict(meta)
