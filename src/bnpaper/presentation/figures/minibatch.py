"""The figures of the chapter *Mini-batches and ε*: Ĉ₂ over the weight plane, constant on
cones, and Ĉ_ε along the ray of the ε = 0 minima and over the plane with a gradient-descent
path (computed by :mod:`bnpaper.topics.minibatch`)."""

from __future__ import annotations

from typing import Any

import matplotlib.pyplot as plt
import numpy as np
from matplotlib import patheffects
from matplotlib.colors import ListedColormap

from bnpaper.core import geometry, model
from bnpaper.core.data import LearningSet
from bnpaper.presentation import plots
from bnpaper.topics.minibatch import pairs


def _offset_grid(lim: float, n: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """A grid shifted off every line through 0 with a rational slope (σ = 0 lines)."""
    w1, w2, w = geometry.weight_grid(lim, n)
    shift = lim / n * np.array([1 / np.pi, np.sqrt(2) / np.pi])  # irrational: off those lines
    return w1 + shift[0], w2 + shift[1], w + shift


def pairs_figure(data: LearningSet, cones: list[pairs.PairCone], w_star: Any, v_full: Any,
                 lim: float = 4.0) -> Any:
    """Ĉ₂ (batches of two, ε = 0) over the w-plane: constant on cones, undefined on σ = 0 lines.

    Each cone is coloured by its value on the book's loss colour map (darker is smaller)
    and labelled with it.

    ``v_full`` is the direction of the full-batch BN minima, drawn for comparison.
    """
    num = data.numeric()
    w1, w2, w = _offset_grid(lim, 400)
    values = pairs.minibatch_loss(w, num, 2)
    levels = np.array(sorted({float(c.value) for c in cones}))
    idx = np.argmin(np.abs(values[..., None] - levels), axis=-1)  # which cone value, by rank
    # the book's loss colour map, each cone at its value's place on it
    span = (levels - levels.min()) / (levels.max() - levels.min())
    cmap = ListedColormap(plt.get_cmap(plots.LOSS_CMAP)(0.15 + 0.7 * span))
    fig, ax = plots.column_figure(aspect=1.02)
    ax.pcolormesh(w1, w2, idx, cmap=cmap, shading="auto", vmin=-0.5, vmax=len(levels) - 0.5,
                  rasterized=True)
    halo = [patheffects.withStroke(linewidth=4, foreground="white")]
    for k, (pair, (a, b)) in enumerate(pairs.sigma_zero_lines(data)):
        d = np.array([-float(b), float(a)])
        d = d / np.abs(d).max() * lim
        ax.plot([-d[0], d[0]], [-d[1], d[1]], lw=1.8, path_effects=halo,
                color=[plots.OKABE_ITO[c] for c in ("blue", "vermillion", "purple")][k % 3],
                label=rf"batch ({pair[0] + 1}, {pair[1] + 1}): $\sigma = 0$")
    for cone in cones:
        r = np.asarray(cone.representative, dtype=float)
        p = r / np.linalg.norm(r) * 0.72 * lim
        ax.text(*p, str(cone.value), ha="center", va="center",
                bbox={"boxstyle": "round", "fc": "white", "ec": "none", "alpha": 0.9})
    plots.draw_ray(ax, v_full, lim, color=plots.OKABE_ITO["orange"], lw=3, path_effects=halo,
                   label=r"full-batch BN minima ($3w_1 = 5w_2$)")
    ax.plot(*np.asarray(w_star, dtype=float), "*", color=plots.OKABE_ITO["yellow"], mec="black",
            ms=16, label=r"$W^*$", zorder=5)
    ax.set(xlabel=r"weight $w_1$", ylabel=r"weight $w_2$", aspect="equal",
           xlim=(-lim, lim), ylim=(-lim, lim),
           title=rf"Batches of two: $\hat C_2$ is constant on {len(cones)} cones")
    # few ticks, marks inside and apart from the labels: OCR reads a mark as a digit
    ax.locator_params(nbins=4)
    ax.tick_params(which="both", direction="in", color="white", width=1.2, pad=8)
    plots.legend_below(ax)
    return fig


def _eps_latex(eps: float) -> str:
    """ε for a legend: 10^{k} for a power of ten below 1, else the plain number."""
    k = np.log10(eps)
    return f"10^{{{int(round(k))}}}" if k < 0 and np.isclose(k, round(k)) else f"{eps:g}"


def eps_figure(data: LearningSet, eps_values: list[float], direction: Any, c_hat_min: float,
               path: np.ndarray, path_eps: float, lim: float = 12.0) -> Any:
    """Two panels, stacked: (a) Ĉ_ε along the ray of the ε = 0 minima, against ‖w‖, per ε
    (legend beside); (b) Ĉ_ε for ``path_eps`` over the plane, with its colour bar and a
    gradient-descent ``path`` from W*.

    ``c_hat_min`` is min Ĉ (ε = 0), the infimum every curve of (a) approaches.
    """
    num = data.numeric()
    ray = ", ".join(str(c) for c in direction)
    v = np.asarray(direction, dtype=float)
    v = v / np.linalg.norm(v)
    radii = np.geomspace(1e-3, 1e3, 400)
    fig, (ax1, ax2) = plots.column_figure(2, 1, aspect=1.5, height_ratios=(0.75, 1.45))
    colours = [plots.OKABE_ITO[k] for k in ("blue", "green", "vermillion", "purple", "sky")]
    for k, eps in enumerate(eps_values):
        ax1.plot(radii, model.bn_loss(radii[:, None] * v, num, eps=eps), color=colours[k % 5],
                 lw=2, label=rf"$\varepsilon = {_eps_latex(eps)}$")
    # solid reference lines: OCR reads a dashed line near text as letters
    ax1.axhline(c_hat_min, color="black", lw=1.2,
                label=r"the minimum of $\hat C$ ($\varepsilon = 0$)")
    ax1.axhline(float(np.sum(num.y**2)), color="grey", lw=1.5,
                label=r"the value at $w = 0$: $\|\bar y\|^2$")
    ax1.set(xscale="log", xlabel=rf"$\|w\|$ along the ray through $({ray})$",
            ylabel=r"$\hat C_\varepsilon(w)$",
            title=r"(a) Along the ray of the $\varepsilon = 0$ minima")
    ax1.tick_params(which="both", pad=8)  # OCR reads a mark beside a label as a digit
    ax1.xaxis.set_major_formatter("{x:g}")  # 0.001 … 1000: words OCR reads, not 10⁻³
    plots.legend_beside(ax1)
    w1, w2, w = geometry.weight_grid(lim)
    values = model.bn_loss(w, num, eps=path_eps)
    cs = ax2.contourf(w1, w2, values, levels=plots.contour_levels(values),
                      cmap=plots.LOSS_CMAP)
    bar = plots.colorbar(fig, cs, ax2,
                         label=r"$\hat C_\varepsilon(w)$")
    bar.ax.tick_params(direction="in", color="white", pad=8)
    halo = [patheffects.withStroke(linewidth=4, foreground="white")]
    plots.draw_ray(ax2, v, lim, color=plots.OKABE_ITO["orange"], lw=3,
                   label=r"the $\varepsilon = 0$ minima")
    ax2.plot(path[:, 0], path[:, 1], color=plots.OKABE_ITO["blue"], lw=2.2, path_effects=halo,
             label=rf"gradient descent from $W^*$ ({len(path) - 1} steps)")
    ax2.plot(*path[-1], "s", color=plots.OKABE_ITO["blue"], mec="black", ms=7)
    ax2.plot(*path[0], "*", color=plots.OKABE_ITO["yellow"], mec="black", ms=16, label=r"$W^*$")
    ax2.set(xlabel=r"weight $w_1$", ylabel=r"weight $w_2$", aspect="equal",
            xlim=(-lim, lim), ylim=(-lim, lim),
            title=rf"(b) $\hat C_\varepsilon$, $\varepsilon = {path_eps:g}$: descent from $W^*$")
    ax2.locator_params(nbins=4)
    ax2.tick_params(which="both", direction="in", color="white", width=1.2, pad=8)
    plots.legend_below(ax2, ncol=1)
    return fig
