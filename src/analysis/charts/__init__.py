"""Charts for articles: one house style, one file per chart, and a bundle of files per chart.

Each chart module registers one function ``(snapshot, ctx) -> Drawn`` with ``@chart(slug, kind=..., table=...)``
(:mod:`analysis.charts.registry`); importing this package imports every chart module in :data:`CHART_MODULES`, so
``CHARTS`` holds them all. :func:`make_chart` draws one in a given theme and size; :func:`build_chart` /
:func:`build_all_charts` write ``reports/figures/<slug>/`` (:mod:`analysis.charts.bundle`).

Every number in a chart's words is said through :mod:`analysis.analyse.wording`. Shared by every chart:
``registry`` (registration, footer, alt text, the spec), ``style`` (the house style),
``draw`` (bars, axes, the subject of a share title) and ``bundle`` (the files). A chart's pipeline step depends on its
own module and these, not on the other charts' modules.
"""

# isort: off
# The chart modules, imported in the order their charts register: the order of CHARTS, of build_all_charts and of
# the charts in the report.
from analysis.charts import fc_by_crime, fc_by_age, dna_fc_share_history, reconciliation_32, fc_by_exoneration_year
from analysis.charts import years_lost, co_occurring_factors, state_tile_map, race_fc_vs_all, juvenile_share_over_time
from analysis.charts import fc_model_forest, time_to_exoneration, years_lost_distribution
# isort: on
from analysis.charts.bundle import build_all_charts, build_chart, read_bundle_metas, write_bundle
from analysis.charts.registry import (
    CHARTS,
    SPECIAL_TABLES,
    Chart,
    ChartContext,
    ChartSpec,
    ChartUnavailable,
    Drawn,
    as_context,
    chart,
    make_chart,
)
from analysis.charts.style import THEMES, use_style

CHART_MODULES = (fc_by_crime, fc_by_age, dna_fc_share_history, reconciliation_32, fc_by_exoneration_year, years_lost,
                 co_occurring_factors, state_tile_map, race_fc_vs_all, juvenile_share_over_time, fc_model_forest,
                 time_to_exoneration, years_lost_distribution)
"""The chart modules, one chart each, in the order of ``CHARTS``."""

__all__ = [
    "CHARTS", "CHART_MODULES", "SPECIAL_TABLES", "THEMES", "Chart", "ChartContext", "ChartSpec", "ChartUnavailable",
    "Drawn", "as_context", "build_all_charts", "build_chart", "chart", "make_chart", "read_bundle_metas",
    "use_style", "write_bundle",
]
