"""The figure of the chapter *Learned γ and β*: gradient-descent paths on (w, γ, β) over the
profile loss, with its stationary lines (computed by :mod:`bnpaper.topics.affine`)."""

from __future__ import annotations

from typing import Any

import numpy as np
from matplotlib import patheffects

from bnpaper.core import geometry
from bnpaper.core.data import LearningSet
from bnpaper.presentation import plots
from bnpaper.topics import affine


def trajectory_figure(data: LearningSet, runs: affine.Trajectories, w_star: Any,
                      lines: list[affine.StationaryLine],
                      fixed: affine.Trajectories | None = None,
                      lim: float = 4.0) -> Any:
    """Gradient-descent paths in the w-plane over the profile loss, with its stationary lines.

    ``lines`` are the derived stationary lines
    (:func:`bnpaper.topics.affine.profile_stationary_lines`); ``fixed`` optionally adds runs
    with γ = 1, β = 0 frozen (dashed), the paper's setting.
    """
    num = data.numeric()
    w1, w2, w = geometry.weight_grid(lim)
    values = affine.profile_loss(w, num)
    fig, ax = plots.column_figure(aspect=1.06)
    cs = ax.contourf(w1, w2, values, levels=plots.contour_levels(values),
                     cmap=plots.LOSS_CMAP)
    # P(w) = min over γ, β of Ĉ(w, γ, β): a short label (OCR misreads long rotated text)
    bar = plots.colorbar(fig, cs, ax, label=r"profile loss $P(w)$")
    # tick marks inside the bar, apart from the labels: OCR reads a mark as a digit
    bar.ax.tick_params(direction="in", color="white", pad=8)
    for line in lines:
        v = np.asarray(line.direction, dtype=float)
        style = ({"color": plots.OKABE_ITO["orange"], "lw": 3, "ls": "-"}
                 if line.kind == "minimum" else {"color": "black", "lw": 2, "ls": ":"})
        label = ("optima, on both sides of 0" if line.kind == "minimum"
                 else r"profile maxima ($\gamma^* = 0$)")
        for sign in (1, -1):
            plots.draw_ray(ax, sign * v, lim, label=label if sign == 1 else None, **style)
    # white under every path, so that each colour reads over the whole colour map
    halo = [patheffects.withStroke(linewidth=4, foreground="white")]
    colours = [plots.OKABE_ITO[k] for k in ("blue", "vermillion", "green", "purple", "sky")]
    for i, path in enumerate(runs.params):
        c = colours[i % len(colours)]
        ax.plot(path[:, 0], path[:, 1], color=c, lw=2, path_effects=halo)
        ax.plot(*path[0, :2], "o", color=c, mec="black", ms=7)
        ax.plot(*path[-1, :2], "s", color=c, mec="black", ms=7)
    if fixed is not None:
        for i, path in enumerate(fixed.params):
            ax.plot(path[:, 0], path[:, 1], "--", color="black", lw=1.8, path_effects=halo,
                    label=r"$\gamma = 1$, $\beta = 0$ frozen" if i == 0 else None)
    ax.plot(*np.asarray(w_star, dtype=float), "*", color=plots.OKABE_ITO["yellow"], mec="black",
            ms=16, label=r"$W^*$", zorder=5)
    ax.plot([], [], "o", color="grey", mec="black", label="start of each run")
    ax.plot([], [], "s", color="grey", mec="black", label="end of each run")
    ax.set(xlabel=r"weight $w_1$", ylabel=r"weight $w_2$", aspect="equal",
           xlim=(-lim, lim), ylim=(-lim, lim),
           title="Every run ends on the line of optima")
    ax.tick_params(which="both", direction="in", color="white", width=1.2, pad=8)
    plots.legend_below(ax)
    return fig
