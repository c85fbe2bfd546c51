"""Charts for articles: one house style, one function per chart, and a bundle of files per chart.

``CHARTS`` maps each slug to its function ``(table, meta, ctx) -> ChartSpec``; :func:`make_chart` draws one in a
given theme and size; :func:`build_chart` / :func:`build_all_charts` write ``reports/figures/<slug>/``.
"""

from analysis.charts.bundle import build_all_charts, build_chart, make_chart, read_bundle_metas, write_bundle
from analysis.charts.catalogue import CHARTS, ChartContext, ChartSpec, ChartUnavailable, as_context
from analysis.charts.style import THEMES, use_style

__all__ = [
    "CHARTS", "THEMES", "ChartContext", "ChartSpec", "ChartUnavailable", "as_context", "build_all_charts",
    "build_chart", "make_chart", "read_bundle_metas", "use_style", "write_bundle",
]
