"""The figure of the chapter *What is true instead*: where Lemma 4.5 holds or fails at each
W₀ (the angle criterion), and where the closest BN optimum is nearer than W*
(:mod:`bnpaper.topics.distances`). Its colours of the lemma's verdict and its mark of W*
are also those of the chapter *Where the lemma fails* (:mod:`.failure`)."""

from __future__ import annotations

from typing import Any

import numpy as np
from matplotlib.colors import ListedColormap
from matplotlib.patches import Patch

from bnpaper.core import geometry
from bnpaper.paper import lemma
from bnpaper.presentation import plots
from bnpaper.topics import distances

REGION_COLOURS = ("#BBBBBB", plots.OKABE_ITO["blue"], plots.OKABE_ITO["vermillion"])
"""Colours of :data:`bnpaper.paper.lemma.LEMMA_REGIONS`: not covered, holds, fails."""

REGION_ALPHA = 0.5
"""Opacity of the coloured regions, so that the lines and marks drawn over them read."""


def mark_w_star(ax: Any, w_star: Any) -> Any:
    """W* as the book's yellow star; returns the marker's line (for a legend)."""
    (mark,) = ax.plot(*np.asarray(w_star, dtype=float), "*", ms=16,
                      color=plots.OKABE_ITO["yellow"], mec="black", label="$W^*$", zorder=5)
    return mark


def lemma_regions_figure(w_star: Any, v_hat: Any, lim: float = 4.0) -> Any:
    """Top: where Lemma 4.5 holds or fails (by the angle criterion). Bottom: where the
    closest BN optimum is nearer to W₀ than W* is (true distances). Each map has its
    legend beside it."""
    ws, vh = np.asarray(w_star, dtype=float), np.asarray(v_hat, dtype=float)
    w1, w2, grid = geometry.weight_grid(lim, 400)
    fig, (top, bottom) = plots.column_figure(2, 1, aspect=1.3)
    top.pcolormesh(w1, w2, lemma.lemma_region(grid, ws, vh), alpha=REGION_ALPHA,
                   cmap=ListedColormap(REGION_COLOURS), vmin=-0.5, vmax=2.5, shading="auto",
                   rasterized=True)
    closer = distances.bn_optimum_closer(grid, ws, vh).astype(int)
    colours = (plots.OKABE_ITO["purple"], plots.OKABE_ITO["sky"])
    bottom.pcolormesh(w1, w2, closer, cmap=ListedColormap(colours), vmin=-0.5, vmax=1.5,
                      shading="auto", alpha=0.8, rasterized=True)
    u = ws / np.linalg.norm(ws)
    bisector = np.array([-(vh / np.linalg.norm(vh) - u)[1], (vh / np.linalg.norm(vh) - u)[0]])
    for ax in (top, bottom):
        plots.draw_ray(ax, vh, lim, color=plots.OKABE_ITO["orange"], lw=3,
                       label=r"BN minima $t\hat v$, $t > 0$")
        mark_w_star(ax, ws)
        ax.set(xlabel=r"weight $w_1$ of $W_0$", ylabel=r"weight $w_2$ of $W_0$", aspect="equal",
               xlim=(-lim, lim), ylim=(-lim, lim))
        # few ticks, marks inside and apart from the labels: OCR reads a mark as a digit
        ax.locator_params(nbins=4)
        ax.tick_params(which="both", direction="in", color="white", width=1.2, pad=8)
    for sign in (1, -1):
        plots.draw_ray(top, sign * ws, lim, color="black", ls="--", lw=1.2,
                       label=r"line $\mathbb{R}W^*$" if sign == 1 else None)
        plots.draw_ray(top, sign * bisector, lim, color="black", ls="-.", lw=1.5,
                       label=r"$\langle W_0, v - u\rangle = 0$" if sign == 1 else None)
    patches = [Patch(color=c, alpha=REGION_ALPHA, label=f"lemma {name}"
                     if name != "not covered" else
                     "not covered:\n" r"$\langle W_0, W^*\rangle \leq 0$")
               for c, name in zip(REGION_COLOURS, lemma.LEMMA_REGIONS, strict=True)]
    plots.legend_beside(top, handles=[*patches, *top.get_legend_handles_labels()[0]])
    top.set_title("Lemma 4.5 at each initialization $W_0$")
    plots.legend_beside(bottom, handles=[
        Patch(color=colours[1], alpha=0.8, label="closest BN optimum\nnearer than $W^*$"),
        Patch(color=colours[0], alpha=0.8, label="$W^*$ at least as near"),
        *bottom.get_legend_handles_labels()[0]])
    bottom.set_title(r"True distances: $\|W_0 - \hat W^*\|$ vs $\|W_0 - W^*\|$")
    return fig
