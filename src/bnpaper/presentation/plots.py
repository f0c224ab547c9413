"""The book's plotting style, shared by every figure module (:mod:`bnpaper.presentation.figures`).

Every figure is drawn for the width it is shown at: the content column of the site at
1280 px, where a figure's image is :data:`COLUMN_PX` CSS pixels wide (the article's 688 px
less the figure's padding). One figure inch is :data:`SCREEN_DPI` CSS pixels; the PNG is
saved at :data:`SAVE_DPI`, two device pixels per CSS pixel (crisp on phones, and a larger
image where a tap opens it full size). The rules every figure follows:

- :func:`column_figure` for the figure (exactly the column wide, fonts of :data:`STYLE`,
  read by OCR as displayed); panels side by side only while each is at least
  :data:`MIN_PANEL_PX` wide, otherwise stacked in rows; a panel with a colour bar gets
  the whole width.
- One colour map per quantity: a loss (C, Ĉ, Ĉ_ε, ...) :data:`LOSS_CMAP`; a signed
  quantity :data:`SIGNED_CMAP`, centred on 0; regions or verdicts: :data:`OKABE_ITO`.
- Angles in degrees (:func:`degrees`, :func:`degree_axis`), radians nowhere.
- :func:`colorbar` for a colour bar: exactly as tall as its plot, evenly spaced ticks;
  :func:`contour_levels` for contour bands at round values (no equal-area bands).
- :func:`legend_below` (or beside): a legend never over the data.
"""

from __future__ import annotations

import io
from typing import Any

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
from IPython import get_ipython
from IPython.core.pylabtools import select_figure_formats
from matplotlib.colors import BoundaryNorm, CenteredNorm, LogNorm, Normalize
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, LogLocator, MaxNLocator, MultipleLocator
from matplotlib.transforms import ScaledTranslation
from PIL import Image

from bnpaper.core import geometry

OKABE_ITO = {
    "black": "#000000", "orange": "#E69F00", "sky": "#56B4E9", "green": "#009E73",
    "yellow": "#F0E442", "blue": "#0072B2", "vermillion": "#D55E00", "purple": "#CC79A7",
}
"""Okabe & Ito's colour-blind-safe palette."""

COLUMN_PX = 672
"""Width in CSS px at which a figure is shown: the article column at 1280 px (688 px)
less the 8 px padding of ``<figure>`` on each side."""

SCREEN_DPI = 100
"""``figure.dpi``: one figure inch is this many CSS pixels as displayed."""

SAVE_DPI = 2 * SCREEN_DPI
"""The PNG's resolution: two device pixels per CSS pixel."""

MIN_PANEL_PX = 330
"""Narrowest panel (CSS px) placed beside another; narrower panels are stacked."""

LOSS_CMAP = "cividis"
"""The colour map of every loss (C, Ĉ, Ĉ_ε, a profile loss): sequential, colour-blind safe."""

SIGNED_CMAP = "RdBu_r"
"""The colour map of every signed quantity (a difference, a component), centred on 0."""

STYLE = {
    "figure.dpi": SCREEN_DPI, "savefig.dpi": SAVE_DPI, "figure.constrained_layout.use": True,
    "font.size": 11.5, "axes.titlesize": 12.5, "axes.labelsize": 12,
    "xtick.labelsize": 11, "ytick.labelsize": 11, "legend.fontsize": 11,
    "figure.titlesize": 12.5, "axes.grid": False, "lines.linewidth": 1.8,
    # tick marks inside the plot: outside, next to its label, OCR reads a mark as a digit
    "xtick.direction": "in", "ytick.direction": "in",
    "mathtext.fontset": "dejavusans", "legend.frameon": False,
    "axes.prop_cycle": matplotlib.cycler(color=list(OKABE_ITO.values())[1:]),
}
"""rcParams of every figure. Font sizes in points: at :data:`SCREEN_DPI`, 11 pt is
15.3 CSS px (the body text is 16 px), a size tesseract still reads as displayed
(tests/site/test_figures.py)."""


PNG_COLOURS = 256
"""Colours of a figure's PNG: a palette image is about a third of the size of a full-colour
one (the site's weight), and a plot's flat colours and anti-aliased edges fit in it."""


def figure_png(fig: Figure) -> bytes:
    """The figure as the book stores it: its whole canvas (no tight crop: exactly the width
    :func:`column_figure` gave it) at :data:`SAVE_DPI`, as a PNG of :data:`PNG_COLOURS`
    colours on white."""
    drawn = io.BytesIO()
    fig.savefig(drawn, format="png", dpi=SAVE_DPI, facecolor="white", bbox_inches=None)
    image = Image.open(drawn).convert("RGB").quantize(PNG_COLOURS)
    stored = io.BytesIO()
    image.save(stored, format="png", optimize=True)
    return stored.getvalue()


def use_style() -> None:
    """Apply the book's plotting style (call once at the top of a chapter).

    In a notebook a figure's PNG is then :func:`figure_png`'s.
    """
    plt.rcParams.update(STYLE)
    shell = get_ipython()
    if shell is not None:
        # load the notebook's (inline) backend now: loading it later, at the first figure,
        # would reset the formats set here
        plt.switch_backend(matplotlib.get_backend())
        select_figure_formats(shell, {"png"})
        shell.display_formatter.formatters["image/png"].for_type(Figure, figure_png)


def figure_size(aspect: float = 0.75, width_px: int = COLUMN_PX) -> tuple[float, float]:
    """``figsize`` (inches) of a figure ``width_px`` CSS px wide and ``aspect`` × as tall."""
    width = width_px / SCREEN_DPI
    return width, width * aspect


def column_figure(nrows: int = 1, ncols: int = 1, *, aspect: float | None = None,
                  **kwargs: Any) -> tuple[plt.Figure, Any]:
    """A figure exactly the column wide with ``nrows`` × ``ncols`` panels, as
    :func:`matplotlib.pyplot.subplots` (``kwargs`` go to it).

    ``aspect`` is the figure's height over its width (default: 0.75 per row of panels
    side by side, 0.7 × the column per stacked row). Raises if the panels side by side
    would be narrower than :data:`MIN_PANEL_PX`: stack them (``nrows``) instead.
    """
    if COLUMN_PX / ncols < MIN_PANEL_PX:
        raise ValueError(f"{ncols} panels side by side would each be {COLUMN_PX // ncols} px"
                         f" wide (< {MIN_PANEL_PX}): stack them in rows")
    if aspect is None:
        aspect = (0.75 if nrows == 1 else 0.7 * nrows) / (1 if ncols == 1 else 1.4)
    return plt.subplots(nrows, ncols, figsize=figure_size(aspect), **kwargs)


def degrees(v: Any) -> float:
    """The polar angle θ of the plane vector v = ‖v‖(cos θ, sin θ), in degrees (−180, 180]."""
    return float(np.degrees(geometry.polar_angle(np.asarray(v, dtype=float))))


def degree_axis(ax: Any, which: str = "x", lim: tuple[float, float] = (-180, 180),
                step: float = 90, label: str | None = r"angle $\theta$ of $w$") -> None:
    """An axis of angles in degrees: limits ``lim``, a tick every ``step`` degrees labelled
    with ° (and a true minus sign), and ``label`` if given."""
    axis = ax.xaxis if which == "x" else ax.yaxis
    (ax.set_xlim if which == "x" else ax.set_ylim)(*lim)
    axis.set_major_locator(MultipleLocator(step))
    axis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:g}°".replace("-", "\u2212")))
    if label is not None:
        axis.set_label_text(label)


def contour_levels(values: Any, n: int = 12, log: bool = False) -> np.ndarray:
    """About ``n`` contour levels at round values spanning ``values`` (MaxNLocator's
    1–2–2.5–5 × 10^k steps), or for ``log``, 1, 2, 5 × 10^k (use with :func:`log_norm`)."""
    lo, hi = float(np.nanmin(values)), float(np.nanmax(values))
    if not log:
        levels = MaxNLocator(n).tick_values(lo, hi)
        first, last = levels[levels <= lo].max(), levels[levels >= hi].min()
        return levels[(levels >= first) & (levels <= last)]
    decades = np.arange(np.floor(np.log10(lo)), np.ceil(np.log10(hi)) + 1)
    steps = (1, 2, 5) if n > 2 * len(decades) else (1,)
    levels = np.array([m * 10.0 ** k for k in decades for m in steps])
    first = levels[levels <= lo].max()
    last = levels[levels >= hi].min()
    return levels[(levels >= first) & (levels <= last)]


def graded_levels(values: Any, fine_step: float, fine_span: float, n: int = 12
                  ) -> np.ndarray:
    """Contour levels at round values, finer near the minimum: every ``fine_step`` from
    the minimum (rounded down) to ``fine_span`` above it, then :func:`contour_levels`'s.
    Drawn with ``norm=band_norm(levels)`` and ``colorbar(..., ticks=levels)``: labelled
    bands, each its own colour and of equal length on the bar (a loss whose interesting
    part is a shallow valley, e.g. Ĉ near its minima)."""
    lo = float(np.nanmin(values))
    start = np.floor(lo / fine_step) * fine_step
    fine = np.arange(start, lo + fine_span + fine_step / 2, fine_step)
    coarse = contour_levels(values, n)
    return np.concatenate([fine, coarse[coarse > fine[-1]]])


def band_norm(levels: Any) -> BoundaryNorm:
    """Colours for labelled bands: each band between two levels its own step of the map
    (not colours proportional to the value, which would merge the fine bands)."""
    return BoundaryNorm(np.asarray(levels, dtype=float), 256)


def log_norm(levels: Any) -> LogNorm:
    """The logarithmic colour scale over ``levels`` (a loss spanning orders of magnitude)."""
    return LogNorm(float(np.min(levels)), float(np.max(levels)))


def signed_norm(values: Any) -> Normalize:
    """The colour scale of a signed quantity: symmetric about 0 (with :data:`SIGNED_CMAP`)."""
    return CenteredNorm(0.0, float(np.nanmax(np.abs(values))) or 1.0)


def colorbar(fig: plt.Figure, mappable: Any, ax: Any, label: str | None = None,
             nbins: int = 6, width: float = 0.045, pad: float = 0.03, **kwargs: Any) -> Any:
    """A colour bar to the right of ``ax``, exactly as tall as the plot (also for an
    ``aspect="equal"`` plot), with about ``nbins`` evenly spaced ticks (decades on a log
    scale), or a label at each of ``ticks`` if given (e.g. the levels of
    :func:`graded_levels`). Returns the :class:`~matplotlib.colorbar.Colorbar`."""
    cax = ax.inset_axes([1 + pad, 0.0, width, 1.0])
    bar = fig.colorbar(mappable, cax=cax, label=label, **kwargs)
    if "ticks" in kwargs:  # labelled bands: a label at each boundary, no tick marks
        bar.formatter = FuncFormatter(lambda v, _: f"{v:g}".replace("-", "\u2212"))
        bar.ax.tick_params(length=0)
    elif isinstance(mappable.norm, LogNorm):
        decades = np.log10(mappable.norm.vmax / mappable.norm.vmin)
        bar.locator = LogLocator(subs=(1.0, 2.0, 5.0) if decades <= 3 else (1.0,))
        bar.formatter = FuncFormatter(lambda v, _: f"{v:g}")
        bar.ax.yaxis.set_minor_locator(matplotlib.ticker.NullLocator())
    else:
        bar.locator = MaxNLocator(nbins)
    bar.update_ticks()
    return bar


def legend_below(where: Any, ncol: int = 2, **kwargs: Any) -> Any:
    """A legend below the data: under an Axes' x label, or for a Figure (a legend shared
    by its panels), under all of them. ``kwargs`` go to ``legend``."""
    if isinstance(where, plt.Figure):
        handles, labels = [], []
        for ax in where.axes:
            for h, lab in zip(*ax.get_legend_handles_labels(), strict=True):
                if lab not in labels:
                    handles.append(h)
                    labels.append(lab)
        return where.legend(handles, labels, loc="outside lower center", ncol=ncol, **kwargs)
    ax = where
    # below the tick labels and the x label: their heights in points, from the rcParams
    tick = plt.rcParams["xtick.labelsize"]
    tick = matplotlib.font_manager.FontProperties(size=tick).get_size_in_points()
    drop = 1.2 * tick + plt.rcParams["xtick.major.size"] + plt.rcParams["xtick.major.pad"]
    if ax.get_xlabel():
        label = matplotlib.font_manager.FontProperties(size=plt.rcParams["axes.labelsize"])
        drop += 1.2 * label.get_size_in_points() + plt.rcParams["axes.labelpad"]
    offset = ScaledTranslation(0, -drop / 72, ax.figure.dpi_scale_trans)
    return ax.legend(loc="upper center", bbox_to_anchor=(0.5, 0), ncol=ncol,
                     bbox_transform=ax.transAxes + offset, **kwargs)


def legend_beside(ax: Any, **kwargs: Any) -> Any:
    """A legend to the right of the plot, outside the data."""
    return ax.legend(loc="upper left", bbox_to_anchor=(1.02, 1.0), borderaxespad=0, **kwargs)


def draw_ray(ax: Any, direction: Any, lim: float, **kwargs: Any) -> None:
    """Draw the ray t·v, t > 0, clipped to the square [−lim, lim]²."""
    v = np.asarray(direction, dtype=float)
    v = v / np.abs(v).max() * lim
    ax.plot([0, v[0]], [0, v[1]], **kwargs)
