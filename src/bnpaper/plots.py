"""The book's figures: one named function per figure, so each can be rebuilt outside the book.

Shared style: Okabe–Ito colours (colour-blind safe), labelled axes, a title on every axes.
Chapter 1 (the result in one picture) and chapter 3 (the lemma's geometry) use this module.
"""

from __future__ import annotations

from typing import Any

import matplotlib

matplotlib.use("Agg")  # headless and deterministic; notebooks display figures inline anyway
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from . import model  # noqa: E402
from .data import LearningSet  # noqa: E402

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


def weight_grid(lim: float = 4.0, n: int = 200, center: tuple[float, float] = (0.0, 0.0)
                ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """A square grid of weights w = (w₁, w₂) around ``center``, half-width ``lim``.

    n must be even so the grid never contains w = 0 itself (where σ(w) = 0 and Ĉ is
    undefined). Returns (w1, w2, w) with w of shape (n, n, 2).
    """
    if n % 2:
        raise ValueError(f"n = {n} is odd; an even n keeps w = 0 off the grid")
    w1, w2 = np.meshgrid(np.linspace(center[0] - lim, center[0] + lim, n),
                         np.linspace(center[1] - lim, center[1] + lim, n))
    return w1, w2, np.stack([w1, w2], axis=-1)


def draw_ray(ax: Any, direction: Any, lim: float, **kwargs: Any) -> None:
    """Draw the ray t·v, t > 0, clipped to the square [−lim, lim]²."""
    v = np.asarray(direction, dtype=float)
    v = v / np.abs(v).max() * lim
    ax.plot([0, v[0]], [0, v[1]], **kwargs)


def counterexample_figure(data: LearningSet, w_star: Any, bn_direction: Any,
                          lim: float = 4.0) -> plt.Figure:
    """The result in one picture: contours of Ĉ, the ray of BN minima, W* and −∇Ĉ(W*).

    ``w_star`` and ``bn_direction`` are the derived W* and direction of the BN minima.
    """
    from .autodiff import gradient

    data = data.numeric()
    w1, w2, w = weight_grid(lim)
    fig, ax = plt.subplots(figsize=(5.2, 4.6))
    values = model.bn_loss(w, data)
    # Quantile levels: Ĉ depends only on the angle of w, and equal-area bands show its wedges.
    cs = ax.contourf(w1, w2, values, levels=np.quantile(values, np.linspace(0, 1, 21)),
                     cmap="cividis")
    fig.colorbar(cs, ax=ax, label=r"$\hat C(w)$")
    draw_ray(ax, bn_direction, lim, color=OKABE_ITO["orange"], lw=2.5,
             label=r"local minima of $\hat C$ ($3w_1 = 5w_2$)")
    ws = np.asarray(w_star, dtype=float)
    g = gradient(model.bn_loss, data)(ws)
    ax.quiver(*ws, *(-g / np.linalg.norm(g)), color=OKABE_ITO["vermillion"], angles="xy",
              scale_units="xy", scale=1, width=0.012, label=r"$-\nabla\hat C(W^*)$ (direction)")
    ax.plot(*ws, "o", color=OKABE_ITO["sky"], ms=9, mec="black",
            label=r"$W^*$, optimum of $C$")
    ax.set(xlabel=r"$w_1$", ylabel=r"$w_2$", aspect="equal",
           title=r"BN loss $\hat C$: $W^*$ is not a stationary point")
    ax.legend(loc="lower left", framealpha=0.9)
    return fig
