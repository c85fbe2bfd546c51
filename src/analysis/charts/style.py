"""The house style for every chart: palette, type, sizes, light and dark themes, and the title/source frame.

* Colour: one accent (Okabe–Ito vermillion) marks false confessions; everything else is grey. A sequential ramp
  of the same hue (light → dark) is used where colour encodes a share (the state tile map). The Okabe–Ito
  palette is designed to stay distinguishable with the common colour-vision deficiencies; a single-hue ramp
  varies in lightness, which survives greyscale too.
* Type: DejaVu Sans, which ships inside matplotlib (no font download). Sizes are chosen so that the web PNG
  (1,200 px wide) is readable when a phone shows it about 375 px wide (body text ≈ 10 px there).
* Sizes: ``web`` 6 in × 200 dpi = 1,200 px wide; ``social`` 5.4 in square × 200 dpi = 1,080 × 1,080 px;
  ``print`` 7 in wide at 300 dpi.
* Legibility: every colour that draws data (bars, interval whiskers and bands, map bins) has a WCAG 2.x contrast
  ratio of at least 3:1 against its theme's background (:data:`DATA_INK_MIN`, :func:`contrast_ratio`); text at
  least 4.5:1.
* Editable SVG: text stays text (``svg.fonttype: none``, ``font-family: 'DejaVu Sans', sans-serif``), and the root
  ``<svg>`` opens with a ``<title>`` (the chart's title) and a ``<desc>`` (its alt text).
* Deterministic files: a fixed ``svg.hashsalt``, no dates or software versions in SVG/PNG metadata; rendering the
  same data twice gives identical bytes.

Charts build figures with :func:`new_figure` inside :func:`use_style` and finish them with :func:`frame_chart`.
"""

from __future__ import annotations

import contextlib
import contextvars
import io
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape

import matplotlib as mpl
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import LinearSegmentedColormap, to_rgb
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties

from analysis.analyse.definitions import SOURCE_NAME, SYNTHETIC_LABEL
from analysis.snapshot import Snapshot, Source

__all__ = [
    "DATA_INK_MIN", "FONT", "OKABE_ITO", "SIZES", "TEXT_MIN", "THEMES", "Size", "Theme", "contrast_ratio",
    "current_size", "current_theme", "frame_chart", "new_figure", "png_bytes", "relative_luminance", "save_png",
    "save_svg", "source_line", "svg_bytes", "use_style",
]

FONT = "DejaVu Sans"
OKABE_ITO = {
    "orange": "#E69F00", "sky_blue": "#56B4E9", "bluish_green": "#009E73", "yellow": "#F0E442",
    "blue": "#0072B2", "vermillion": "#D55E00", "reddish_purple": "#CC79A7", "black": "#000000",
}
SVG_CREATOR = "false-confessions analysis (matplotlib)"
HASH_SALT = "false-confessions-charts"

DATA_INK_MIN = 3.0
"""Least WCAG contrast ratio of a colour that draws data against its background (WCAG 2.x 1.4.11, non-text)."""
TEXT_MIN = 4.5
"""Least WCAG contrast ratio of text against its background (WCAG 2.x 1.4.3)."""

# Type sizes in points.
TITLE_PT, SUBTITLE_PT, BODY_PT, LABEL_PT, SMALL_PT, FOOTER_PT = 15.5, 10.5, 10.5, 10.0, 8.5, 8.5


@dataclass(frozen=True)
class Theme:
    """Colours of one theme. ``accent`` is for false confessions; ``grey*`` for everything else."""

    name: str
    background: str
    text: str  # titles, labels
    muted: str  # subtitles, footers, secondary labels
    grid: str
    axis: str
    accent: str  # false confessions
    accent_light: str  # the accent's light tint (other bars, the edges of interval bands)
    grey: str  # the "other" series
    grey_light: str  # de-emphasised series, missing data
    reference: str  # reference lines (averages, the 32% line)
    ramp: tuple[str, ...]  # sequential ramp of the accent hue, low share → high share (the map's classes)
    band: str  # the pale fill between an interval band's edges (the edges, in accent_light, carry the contrast)

    def cmap(self) -> LinearSegmentedColormap:
        """A continuous colormap along ``ramp``."""
        return LinearSegmentedColormap.from_list(f"accent_{self.name}", list(self.ramp))

    def ink_on(self, colour: str) -> str:
        """Text colour readable on a fill of ``colour``: of near-black and white, the one of higher contrast."""
        return max(("#111111", "#FFFFFF"), key=lambda ink: contrast_ratio(ink, colour))

    def data_ink(self) -> dict[str, str]:
        """Every colour that draws data, by role (``ramp0`` … for the map bins): each must reach
        :data:`DATA_INK_MIN` against ``background``."""
        roles = {role: getattr(self, role) for role in ("accent", "accent_light", "grey", "grey_light", "reference")}
        return {**roles, **{f"ramp{i}": colour for i, colour in enumerate(self.ramp)}}


def relative_luminance(colour: str) -> float:
    """WCAG 2.x relative luminance of ``colour`` (any matplotlib colour): 0.2126 R + 0.7152 G + 0.0722 B of the
    linearised sRGB channels (c / 12.92 up to 0.04045, else ((c + 0.055) / 1.055) ** 2.4)."""
    def linear(c: float) -> float:
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(c) for c in to_rgb(colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(first: str, second: str) -> float:
    """WCAG 2.x contrast ratio (L1 + 0.05) / (L2 + 0.05) of two colours, L1 the lighter: from 1 to 21."""
    high, low = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (high + 0.05) / (low + 0.05)


THEMES: dict[str, Theme] = {
    "light": Theme(
        name="light", background="#FFFFFF", text="#1A1A1A", muted="#5C5C5C", grid="#E3E3E3", axis="#9A9A9A",
        accent=OKABE_ITO["vermillion"], accent_light="#CF7E58", grey="#696969", grey_light="#919191",
        reference="#333333", ramp=("#DD7828", "#C75700", "#9E4500", "#743200", "#502100"), band="#F8DCC8",
    ),
    "dark": Theme(
        name="dark", background="#16181D", text="#F0F0F0", muted="#B4B4B4", grid="#33363D", axis="#6C6F76",
        accent="#F07B32", accent_light="#985B3B", grey="#8C9096", grey_light="#66696F", reference="#E6E6E6",
        ramp=("#A15424", "#C7672B", "#F07B33", "#F6A36E", "#FDCAA7"), band="#4A2C1C",
    ),
}


@dataclass(frozen=True)
class Size:
    """Output size: width in inches, dots per inch, and whether the figure is square."""

    name: str
    width_in: float
    dpi: int
    square: bool = False

    def figsize(self, aspect: float) -> tuple[float, float]:
        """(width, height) in inches for ``aspect`` = height / width; the height is a whole number of pixels."""
        if self.square:
            return self.width_in, self.width_in
        height_px = round(self.width_in * aspect * self.dpi)
        return self.width_in, height_px / self.dpi

    @property
    def width_px(self) -> int:
        return round(self.width_in * self.dpi)


SIZES: dict[str, Size] = {
    "web": Size("web", 6.0, 200),
    "social": Size("social", 5.4, 200, square=True),
    "print": Size("print", 7.0, 300),
}

_current: contextvars.ContextVar[tuple[Theme, Size]] = contextvars.ContextVar(
    "chart_style", default=(THEMES["light"], SIZES["web"]))


def rc_params(theme: Theme) -> dict:
    """matplotlib settings for ``theme``."""
    return {
        "font.family": "sans-serif",
        "font.sans-serif": [FONT],
        "font.size": BODY_PT,
        "axes.titlesize": BODY_PT,
        "axes.labelsize": LABEL_PT,
        "axes.labelcolor": theme.muted,
        "axes.edgecolor": theme.axis,
        "axes.facecolor": theme.background,
        "axes.linewidth": 0.8,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "axes.grid": True,
        "axes.axisbelow": True,
        "axes.prop_cycle": mpl.cycler(color=[theme.accent, theme.grey, theme.grey_light, theme.reference]),
        "grid.color": theme.grid,
        "grid.linewidth": 0.8,
        "xtick.labelsize": LABEL_PT,
        "ytick.labelsize": LABEL_PT,
        "xtick.color": theme.muted,
        "ytick.color": theme.muted,
        "xtick.labelcolor": theme.text,
        "ytick.labelcolor": theme.text,
        "xtick.major.size": 0,
        "ytick.major.size": 0,
        "xtick.major.pad": 4,
        "ytick.major.pad": 4,
        "text.color": theme.text,
        "figure.facecolor": theme.background,
        "savefig.facecolor": theme.background,
        "savefig.edgecolor": theme.background,
        "legend.frameon": False,
        "legend.fontsize": SMALL_PT + 0.5,
        "lines.linewidth": 2.2,
        "lines.solid_capstyle": "round",
        "patch.linewidth": 0,
        "hatch.color": theme.grey,
        "svg.hashsalt": HASH_SALT,
        "svg.fonttype": "none",  # text stays text, in DejaVu Sans with a generic fallback
        "svg.image_inline": True,
        "path.simplify": True,
        "text.parse_math": False,  # a "$" in a name is text, never mathtext
    }


@contextlib.contextmanager
def use_style(theme: str = "light", size: str = "web") -> Iterator[Theme]:
    """Within the block, charts use the house style in ``theme`` ("light" or "dark") at ``size``
    ("web", "social" or "print"); yields the :class:`Theme`."""
    if theme not in THEMES:
        raise ValueError(f"theme must be one of {sorted(THEMES)}, not {theme!r}")
    if size not in SIZES:
        raise ValueError(f"size must be one of {sorted(SIZES)}, not {size!r}")
    token = _current.set((THEMES[theme], SIZES[size]))
    try:
        with mpl.rc_context(rc_params(THEMES[theme])):
            yield THEMES[theme]
    finally:
        _current.reset(token)


def current_theme() -> Theme:
    """The theme in force (light outside :func:`use_style`)."""
    return _current.get()[0]


def current_size() -> Size:
    """The size in force (web outside :func:`use_style`)."""
    return _current.get()[1]


def new_figure(aspect: float = 0.66) -> Figure:
    """An empty figure at the current size (``aspect`` = height / width; ignored for the square size).

    The figure is not registered with pyplot, so notebooks do not show it twice and batch builds do not leak.
    """
    size = current_size()
    fig = Figure(figsize=size.figsize(aspect), dpi=size.dpi, facecolor=current_theme().background)
    FigureCanvasAgg(fig)
    return fig


# --------------------------------------------------------------------------------------------------------
# Words on the chart
# --------------------------------------------------------------------------------------------------------


def source_line(source: Source | Snapshot | Mapping, *, snapshot: bool = True) -> str:
    """``Source: National Registry of Exonerations, snapshot 2026-06-26`` (undated: ``snapshot <id>``); for the
    demo export ``Source: Synthetic demo data — not real cases (confessions demo), snapshot …``.

    ``source``: the snapshot's :class:`~analysis.snapshot.Source`, the :class:`~analysis.snapshot.Snapshot` itself
    or its ``to_json()`` dict. Without ``snapshot``: the source's name only (``Source: National Registry of
    Exonerations``, as the alt text says it beside the data date)."""
    if isinstance(source, Snapshot):
        source = source.source
    elif isinstance(source, Mapping):
        source = Source.from_json(source)
    name = f"{SYNTHETIC_LABEL} (confessions demo)" if source.synthetic else SOURCE_NAME
    return f"Source: {name}, snapshot {source.iso or source.id}" if snapshot else f"Source: {name}"


def _wrap(text: str, fontsize: float, weight: str, width_px: float, renderer) -> str:  # noqa: ANN001
    """Greedy word wrap of ``text`` to ``width_px`` measured with the figure's renderer."""
    props = FontProperties(family=FONT, size=fontsize, weight=weight)
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line = ""
        for word in paragraph.split(" "):  # split on plain spaces only: no-break spaces hold
            if not word:
                continue
            trial = f"{line} {word}".strip()
            width, _, _ = renderer.get_text_width_height_descent(trial, props, ismath=False)
            if line and width > width_px:
                lines.append(line)
                line = word
            else:
                line = trial
        lines.append(line)
    return "\n".join(lines)


MARGIN_IN = 0.2  # left/right/top margin of the frame
GAP_IN = 0.08


def frame_chart(fig: Figure, title: str, subtitle: str, source: str, notes: Sequence[str] | str = (),
                as_of: str = "", *, tight: bool = True) -> tuple[float, float, float, float]:
    """Put the title (the finding), subtitle (the definition) and footer (notes, source, as-of date) on ``fig``.

    With ``tight`` the axes are laid out (``tight_layout``) in the space left between header and footer.
    Returns that space as ``(left, bottom, right, top)`` in figure fractions, for charts that place their own axes.
    """
    theme = current_theme()
    renderer = fig.canvas.get_renderer()
    w_in, h_in = fig.get_size_inches()
    dpi = fig.dpi
    usable_px = (w_in - 2 * MARGIN_IN) * dpi
    x = MARGIN_IN / w_in
    y = 1 - MARGIN_IN / h_in

    def height(artist) -> float:  # noqa: ANN001
        return artist.get_window_extent(renderer).height / dpi / h_in

    t = fig.text(x, y, _wrap(title, TITLE_PT, "bold", usable_px, renderer), ha="left", va="top",
                 fontsize=TITLE_PT, fontweight="bold", color=theme.text, linespacing=1.15)
    y -= height(t) + GAP_IN / h_in
    if subtitle:
        s = fig.text(x, y, _wrap(subtitle, SUBTITLE_PT, "normal", usable_px, renderer), ha="left", va="top",
                     fontsize=SUBTITLE_PT, color=theme.muted, linespacing=1.2)
        y -= height(s)
    top = y - 1.6 * GAP_IN / h_in

    note_list = [notes] if isinstance(notes, str) else list(notes)
    footer = [n for n in note_list if n]
    footer.append(". ".join(p for p in (source, as_of.replace(" ", "\u00a0")) if p) + ".")
    f = fig.text(x, MARGIN_IN * 0.75 / h_in, _wrap("\n".join(footer), FOOTER_PT, "normal", usable_px, renderer),
                 ha="left", va="bottom", fontsize=FOOTER_PT, color=theme.muted, linespacing=1.25)
    bottom = MARGIN_IN * 0.75 / h_in + height(f) + 1.6 * GAP_IN / h_in
    rect = (x * 0.5, bottom, 1 - x * 0.5, top)
    if tight and fig.axes:
        fig.tight_layout(rect=rect, pad=0.3, h_pad=0.8, w_pad=0.8)
    return rect


# --------------------------------------------------------------------------------------------------------
# Files (deterministic)
# --------------------------------------------------------------------------------------------------------


def save_png(fig: Figure, target: io.IOBase | str, dpi: int | None = None) -> None:
    """PNG without software/version metadata (same figure, same bytes)."""
    fig.savefig(target, format="png", dpi=dpi or fig.dpi, metadata={"Software": None},
                facecolor=fig.get_facecolor())


def with_title(svg: bytes, title: str, desc: str) -> bytes:
    """``svg`` with ``<title>`` and ``<desc>`` (XML-escaped) as the first children of its root ``<svg>`` (``svg``
    unchanged when both are empty)."""
    if not (title or desc):
        return svg
    start = svg.index(b"<svg")
    end = svg.index(b">", start) + 1
    extra = f"\n <title>{escape(title)}</title>\n <desc>{escape(desc)}</desc>".encode()
    return svg[:end] + extra + svg[end:]


def save_svg(fig: Figure, target: io.IOBase | str, title: str = "", desc: str = "") -> None:
    """SVG without a date, with fixed ids (``svg.hashsalt``), text as ``<text>`` in DejaVu Sans, and ``title`` /
    ``desc`` as the root's first children."""
    data = svg_bytes(fig, title, desc)
    if isinstance(target, str):
        with open(target, "wb") as handle:
            handle.write(data)
    else:
        target.write(data)


def png_bytes(fig: Figure, dpi: int | None = None) -> bytes:
    """The PNG as bytes."""
    buffer = io.BytesIO()
    save_png(fig, buffer, dpi)
    return buffer.getvalue()


def svg_bytes(fig: Figure, title: str = "", desc: str = "") -> bytes:
    """The SVG as bytes (see :func:`save_svg`)."""
    buffer = io.BytesIO()
    with mpl.rc_context({"svg.hashsalt": HASH_SALT, "svg.fonttype": "none"}):
        fig.savefig(buffer, format="svg", metadata={"Date": None, "Creator": SVG_CREATOR},
                    facecolor=fig.get_facecolor())
    return with_title(buffer.getvalue(), title, desc)
