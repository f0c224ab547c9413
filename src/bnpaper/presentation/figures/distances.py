"""The figure of the chapter *What is true instead*: where Lemma 4.5 holds or fails at each
W₀ (the angle criterion), and where the closest BN optimum is nearer than W*
(:mod:`bnpaper.topics.distances`)."""

from __future__ import annotations

from typing import Any

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.colors import ListedColormap
from matplotlib.patches import Patch

from bnpaper.core import geometry
from bnpaper.paper import lemma
from bnpaper.presentation import plots
from bnpaper.topics import distances

REGION_COLOURS = ("#DDDDDD", plots.OKABE_ITO["blue"], plots.OKABE_ITO["vermillion"])
"""Colours of :data:`bnpaper.paper.lemma.LEMMA_REGIONS`: not covered, holds, fails."""


def lemma_regions_figure(w_star: Any, v_hat: Any, lim: float = 4.0) -> Any:
    """Left: where Lemma 4.5 holds or fails (by the angle criterion). Right: where the
    closest BN optimum is nearer to W₀ than W* is (true distances)."""
    ws, vh = np.asarray(w_star, dtype=float), np.asarray(v_hat, dtype=float)
    w1, w2, grid = geometry.weight_grid(lim, 400)
    fig, (left, right) = plt.subplots(1, 2, figsize=(10.5, 5.4))
    left.pcolormesh(w1, w2, lemma.lemma_region(grid, ws, vh),
                    cmap=ListedColormap(REGION_COLOURS), vmin=-0.5, vmax=2.5, shading="auto")
    closer = distances.bn_optimum_closer(grid, ws, vh).astype(int)
    colours = (plots.OKABE_ITO["purple"], plots.OKABE_ITO["sky"])
    right.pcolormesh(w1, w2, closer, cmap=ListedColormap(colours), vmin=-0.5, vmax=1.5,
                     shading="auto", alpha=0.8)
    u = ws / np.linalg.norm(ws)
    bisector = np.array([-(vh / np.linalg.norm(vh) - u)[1], (vh / np.linalg.norm(vh) - u)[0]])
    for ax in (left, right):
        plots.draw_ray(ax, vh, lim, color=plots.OKABE_ITO["orange"], lw=3,
                       label=r"BN minima $t\hat v$, $t > 0$")
        ax.plot(*ws, "*", ms=16, color=plots.OKABE_ITO["yellow"], mec="black", label="$W^*$")
        ax.set(xlabel=r"$w_1$ of $W_0$", ylabel=r"$w_2$ of $W_0$", aspect="equal",
               xlim=(-lim, lim), ylim=(-lim, lim))
    for sign in (1, -1):
        plots.draw_ray(left, sign * ws, lim, color="black", ls="--", lw=1.2,
                       label=r"line $\mathbb{R}W^*$" if sign == 1 else None)
        plots.draw_ray(left, sign * bisector, lim, color="black", ls=":", lw=1.5,
                       label=r"$\langle W_0, v - u\rangle = 0$" if sign == 1 else None)
    patches = [Patch(color=c, label=f"lemma {name}" if name != "not covered" else
                     r"not covered ($\langle W_0, W^*\rangle \leq 0$)")
               for c, name in zip(REGION_COLOURS, lemma.LEMMA_REGIONS, strict=True)]
    left.legend(handles=[*patches, *left.get_legend_handles_labels()[0]], loc="upper center",
                bbox_to_anchor=(0.5, -0.12), ncol=2, fontsize=8)
    left.set_title("Lemma 4.5 at each initialization $W_0$")
    right.legend(handles=[Patch(color=colours[1], alpha=0.8,
                                label=r"closest BN optimum nearer than $W^*$"),
                          Patch(color=colours[0], alpha=0.8, label=r"$W^*$ at least as near"),
                          *right.get_legend_handles_labels()[0]],
                 loc="upper center", bbox_to_anchor=(0.5, -0.12), ncol=2, fontsize=8)
    right.set_title(r"True distances: $\|W_0 - \hat W^*\|$ vs $\|W_0 - W^*\|$")
    return fig
