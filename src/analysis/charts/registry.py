"""The chart registry: ``@chart(slug, kind=..., table=...)`` registers a drawing function in :data:`CHARTS`.

A chart function takes ``(snapshot, ctx)`` — a :class:`~analysis.snapshot.Snapshot` (its numbers come from
``snapshot.view``, the as-of view) and a :class:`ChartContext` — draws in the house style and returns a
:class:`Drawn`: the figure, the numbers exactly as plotted, a title that states the finding, a subtitle that states
the definition, notes, the full description of the numbers (``body``), a short summary of the key numbers and the
key numbers themselves. The registered :class:`Chart` does the rest the same way for every chart: the footer (source
line and as-of date from the snapshot, :mod:`analysis.charts.style`), the long description
``"<kind>. <title>. <body> <source line>. <as of>."``, the alt text (:func:`compose_alt`: at most :data:`ALT_MAX`
characters, the point and the key numbers) and the :class:`ChartSpec`. :func:`make_chart` draws one chart in a given
theme and size.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace

import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from analysis.analyse.definitions import SYNTHETIC_LABEL
from analysis.charts.draw import fit_axes
from analysis.charts.style import Theme, current_theme, frame_chart, png_bytes, source_line, use_style
from analysis.errors import UserError
from analysis.snapshot import Snapshot, parse_as_of

__all__ = ["ALT_MAX", "CHARTS", "SPECIAL_TABLES", "Chart", "ChartContext", "ChartSpec", "ChartUnavailable", "Drawn",
           "as_context", "chart", "compose_alt", "make_chart"]

ALT_MAX = 300
"""Most characters in a chart's alt text (the full data description is its ``long_description``)."""


class ChartUnavailable(UserError):
    """The chart cannot be drawn from what was given (for example no history across snapshots)."""


@dataclass(repr=False)
class ChartSpec:
    """A drawn chart with everything a writer needs to publish it."""

    slug: str
    fig: Figure
    data: pd.DataFrame  # exactly the numbers plotted
    title: str
    subtitle: str
    notes: list[str]
    alt_text: str  # at most ALT_MAX characters: the point and the key numbers
    source_line: str = ""
    as_of: str = ""
    long_description: str = ""
    """The full description of the data plotted (every plotted value with its label), for readers of the data."""
    key_numbers: list[str] = field(default_factory=list)  # formatted numbers the alt text must state
    render: Callable[..., ChartSpec] | None = field(default=None, repr=False, compare=False)
    """Redraw the same chart in another theme/size: ``render(theme="dark", size="social")`` (set by make_chart)."""
    snapshot: Snapshot | None = field(default=None, repr=False, compare=False)
    """The snapshot (and as-of date) the numbers come from."""
    table: str | None = None
    """The ``reports/tables/<table>.csv`` the numbers come from (see :data:`SPECIAL_TABLES`)."""

    def __repr__(self) -> str:
        return f"ChartSpec({self.slug!r}: {self.title!r}, {len(self.data)} rows of data)"

    def _repr_png_(self) -> bytes:
        """Notebooks show the chart itself."""
        return png_bytes(self.fig)


@dataclass(frozen=True)
class ChartContext:
    """Inputs beyond the snapshot: the history table across snapshots and the 32% reconciliation table.

    ``as_of`` is accepted for callers that hold a whole snapshot: :func:`make_chart` views the snapshot as of that
    date (``snapshot.at(as_of)``) before drawing, so chart functions only ever see ``snapshot.as_of``.
    """

    history: pd.DataFrame | None = None
    reconciliation: pd.DataFrame | None = None
    as_of: dt.date | None = None

    @property
    def theme(self) -> Theme:
        """The theme in force (:func:`analysis.charts.style.use_style`)."""
        return current_theme()


def as_context(ctx: ChartContext | Mapping | None) -> ChartContext:
    """``ctx`` as a :class:`ChartContext` (a dict with the same keys, or None, is accepted)."""
    if ctx is None:
        return ChartContext()
    if isinstance(ctx, ChartContext):
        return ctx
    return ChartContext(history=ctx.get("history"), reconciliation=ctx.get("reconciliation"),
                        as_of=parse_as_of(ctx.get("as_of")))


def in_context(snapshot: Snapshot, ctx: ChartContext | Mapping | None) -> tuple[Snapshot, ChartContext]:
    """The snapshot viewed as of ``ctx.as_of`` (when given) and the context without it."""
    ctx = as_context(ctx)
    if ctx.as_of is None:
        return snapshot, ctx
    if snapshot.as_of not in (None, ctx.as_of):
        raise UserError(f"two as-of dates: the snapshot's {snapshot.as_of} and the chart context's {ctx.as_of}")
    return snapshot.at(ctx.as_of), replace(ctx, as_of=None)


@dataclass
class Drawn:
    """What a chart function returns: the figure and the words about it (see the module docstring).

    ``fit``: axes the chart placed by hand; they are fitted between header and footer after framing (the figure is
    then not laid out with ``tight_layout``). ``body``: every plotted value with its label (the long description);
    ``summary``: the key numbers in a sentence or two for the alt text; ``alt_title``: a shorter statement of the
    title's finding, for the alt text when the title itself leaves no room (:func:`compose_alt`).
    """

    fig: Figure
    data: pd.DataFrame
    title: str
    subtitle: str
    notes: list[str]
    body: str
    key_numbers: list[str]
    fit: Axes | None = None
    summary: str = ""
    alt_title: str = ""


def _sentences(*parts: str) -> str:
    return " ".join(p if p.endswith((".", "!", "?")) else f"{p}." for p in parts if p)


def compose_alt(kind: str, title: str, summary: str, source: str, as_of: str, *, alt_title: str = "",
                keep_as_of: bool = False) -> str:
    """The alt text ``"<kind>. <title>. <summary> <source>. <as of>."`` in at most :data:`ALT_MAX` characters.

    When that is too long: without the data date (never without an as-of view's ``Records posted by …``, with
    ``keep_as_of``), then with ``alt_title`` for the title, then without the summary; a text still too long is
    cut at a word with "…" (no chart's words come near that)."""
    tails = (as_of,) if keep_as_of else (as_of, "")
    points = [title] + ([alt_title] if alt_title and alt_title != title else [])
    for point in points:
        for tail in tails:
            text = _sentences(kind, point, summary, source, tail)
            if len(text) <= ALT_MAX:
                return text
    text = _sentences(kind, points[-1], source, tails[-1])
    return text if len(text) <= ALT_MAX else text[:ALT_MAX - 1].rsplit(" ", 1)[0] + "…"


ChartFunction = Callable[[Snapshot, ChartContext], Drawn]
SPECIAL_TABLES = {
    "history": "reports/tables/history.csv: one row per stored snapshot (analysis.analyse.history.history_table)",
    "reconciliation": "reports/tables/reconciliation.csv: the readings of the 32% (analysis.analyse.reconcile)",
}
"""Chart tables that are not in ``analysis.analyse.tables.TABLES`` (they span snapshots), with where they are."""


@dataclass(frozen=True)
class Chart:
    """A registered chart: ``Chart(snapshot, ctx) -> ChartSpec``."""

    slug: str
    function: ChartFunction
    kind: str  # how the alt text names the chart ("Horizontal bar chart")
    table: str  # the reports/tables/<table>.csv its numbers come from

    def __call__(self, snapshot: Snapshot, ctx: ChartContext | Mapping | None = None) -> ChartSpec:
        snapshot, ctx = in_context(snapshot, ctx)
        drawn = self.function(snapshot, ctx)
        if snapshot.source.synthetic:  # the demo export: said first, under the title
            drawn.subtitle = f"{SYNTHETIC_LABEL}. {drawn.subtitle}"
        source, as_of = source_line(snapshot.source), snapshot.as_of_label
        frame_chart(drawn.fig, drawn.title, drawn.subtitle, source, drawn.notes, as_of, tight=drawn.fit is None)
        if drawn.fit is not None:
            fit_axes(drawn.fig, drawn.fit)
        alt = compose_alt(self.kind, drawn.title, drawn.summary, source_line(snapshot.source, snapshot=False),
                          as_of, alt_title=drawn.alt_title, keep_as_of=snapshot.as_of is not None)
        return ChartSpec(slug=self.slug, fig=drawn.fig, data=drawn.data.reset_index(drop=True), title=drawn.title,
                         subtitle=drawn.subtitle, notes=drawn.notes, alt_text=alt,
                         long_description=f"{self.kind}. {drawn.title}. {drawn.body} {source}. {as_of}.",
                         source_line=source, as_of=as_of, key_numbers=drawn.key_numbers, snapshot=snapshot,
                         table=self.table)


CHARTS: dict[str, Callable[..., ChartSpec]] = {}
"""Every chart by slug (the folder name under ``reports/figures/``), in registration order: a :class:`Chart`, or
any callable ``(snapshot, ctx) -> ChartSpec`` put in its place."""


def chart(slug: str, *, kind: str, table: str) -> Callable[[ChartFunction], ChartFunction]:
    """Register the decorated ``(snapshot, ctx) -> Drawn`` function as chart ``slug``: ``kind`` names the chart in
    its alt text (``"Horizontal bar chart"``), ``table`` is where its numbers come from (a name in
    ``analysis.analyse.tables.TABLES`` or :data:`SPECIAL_TABLES`). The function is returned unchanged."""
    def register(function: ChartFunction) -> ChartFunction:
        if slug in CHARTS:
            raise ValueError(f"chart {slug!r} is registered twice")
        CHARTS[slug] = Chart(slug, function, kind, table)
        return function
    return register


def make_chart(slug: str, snapshot: Snapshot, ctx: ChartContext | Mapping | None = None, *,
               theme: str = "light", size: str = "web") -> ChartSpec:
    """Draw chart ``slug`` of ``snapshot`` in ``theme`` at ``size``; the spec can redraw itself in other themes
    and sizes (``spec.render(theme="dark", size="social")``)."""
    if slug not in CHARTS:
        raise ChartUnavailable(f"unknown chart {slug!r}; known: {', '.join(CHARTS)}")
    snapshot, ctx = in_context(snapshot, ctx)
    with use_style(theme, size):
        spec = CHARTS[slug](snapshot, ctx)
    spec.render = functools.partial(make_chart, slug, snapshot, ctx)
    return spec
