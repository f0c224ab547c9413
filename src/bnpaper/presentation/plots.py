"""The book's plotting style, shared by every figure module (:mod:`bnpaper.presentation.figures`):
Okabe–Ito colours (colour-blind safe), the rcParams every chapter applies, and a ray drawn
to the edge of a square plot."""

from __future__ import annotations

from typing import Any

import matplotlib
import matplotlib.pyplot as plt
import numpy as np

OKABE_ITO = {
    "black": "#000000", "orange": "#E69F00", "sky": "#56B4E9", "green": "#009E73",
    "yellow": "#F0E442", "blue": "#0072B2", "vermillion": "#D55E00", "purple": "#CC79A7",
}
"""Okabe & Ito's colour-blind-safe palette."""

STYLE = {
    "figure.dpi": 100, "savefig.dpi": 100, "font.size": 10, "axes.titlesize": 11,
    "axes.grid": False, "legend.fontsize": 9, "figure.constrained_layout.use": True,
    "axes.prop_cycle": matplotlib.cycler(color=list(OKABE_ITO.values())[1:]),
}


def use_style() -> None:
    """Apply the book's plotting style (call once at the top of a chapter)."""
    plt.rcParams.update(STYLE)


def draw_ray(ax: Any, direction: Any, lim: float, **kwargs: Any) -> None:
    """Draw the ray t·v, t > 0, clipped to the square [−lim, lim]²."""
    v = np.asarray(direction, dtype=float)
    v = v / np.abs(v).max() * lim
    ax.plot([0, v[0]], [0, v[1]], **kwargs)
