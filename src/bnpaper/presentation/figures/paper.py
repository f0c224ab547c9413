"""The figures of the paper's chapters: the result in one picture (*Batch normalization does
not improve initialization* and *The counterexample*), BN as a weight-dependent transform
(*Definitions*), the lemma's right-hand side (*The claim: Lemma 4.5*) and what the mean
subtraction moves (*Where the original proof fails*).

Each is drawn for the book's column in its style (:mod:`bnpaper.presentation.plots`):
column width, panels stacked, legends outside the data, angles in degrees."""

from __future__ import annotations

from typing import Any

import matplotlib.pyplot as plt
import numpy as np

from bnpaper.core import model
from bnpaper.core.data import LearningSet
from bnpaper.core.geometry import unit_directions, weight_grid
from bnpaper.presentation import plots
from bnpaper.presentation.plots import OKABE_ITO, draw_ray


def counterexample_figure(data: LearningSet, w_star: Any, bn_direction: Any, grad: Any,
                          lim: float = 4.0) -> plt.Figure:
    """The result in one picture: contours of Ĉ, the ray of BN minima, W* and −∇Ĉ(W*).

    ``w_star``, ``bn_direction`` and ``grad`` are the derived W*, direction of the BN minima
    and ∇Ĉ(W*) (exact values are fine).
    """
    data = data.numeric()
    w1, w2, w = weight_grid(lim)
    fig, ax = plots.column_figure(aspect=1.0)
    values = model.bn_loss(w, data)
    # Ĉ depends only on the angle of w: its bands are wedges, at round values of Ĉ, finer
    # in its shallow valley (which holds both W* and the minima)
    levels = plots.graded_levels(values, 0.5, 2)
    cs = ax.contourf(w1, w2, values, levels=levels, cmap=plots.LOSS_CMAP,
                     norm=plots.band_norm(levels))
    plots.colorbar(fig, cs, ax, label=r"$\hat C(w)$", ticks=levels)
    draw_ray(ax, bn_direction, lim, color=OKABE_ITO["orange"], lw=3,
             label=r"local minima of $\hat C$ ($3w_1 = 5w_2$)")
    ws = np.asarray(w_star, dtype=float)
    g = np.asarray([float(v) for v in grad])
    ax.quiver(*ws, *(-g / np.linalg.norm(g)), color=OKABE_ITO["vermillion"], angles="xy",
              scale_units="xy", scale=1, width=0.012, label=r"$-\nabla\hat C(W^*)$ (direction)")
    ax.plot(*ws, "o", color=OKABE_ITO["sky"], ms=10, mec="black",
            label=r"$W^*$, optimum of $C$")
    ax.set(xlabel=r"$w_1$", ylabel=r"$w_2$", aspect="equal",
           title=r"BN loss $\hat C$: $W^*$ is not stationary")
    plots.legend_below(ax, ncol=2)
    return fig


def _mark_angle(ax: Any, w: Any, label: str, color: str, ls: str = "--") -> None:
    ax.axvline(plots.degrees(w), color=color, ls=ls, lw=2, label=label)


def bn_outputs_figure(data: LearningSet, w_star: Any) -> plt.Figure:
    """BN is a weight-dependent transform: ẑ₁, ẑ₂, ẑ₃ against the angle θ of w = r(cos θ, sin θ).

    Top: the raw pre-activations z_m for ‖w‖ = 1 and their mean μ(w) and deviation σ(w).
    Bottom: the normalized ẑ_m, which depend on θ only.
    """
    data = data.numeric()
    theta, w = unit_directions()
    z = model.pre_activations(w, data.x)
    zhat = model.bn_output(w, data)
    deg = np.degrees(theta)
    fig, (ax1, ax2) = plots.column_figure(2, 1, aspect=1.05, sharex=True)
    for m in range(data.M):
        ax1.plot(deg, z[:, m], label=rf"$z_{m + 1}$")
        ax2.plot(deg, zhat[:, m], label=rf"$\hat z_{m + 1}$")
    ax1.plot(deg, model.batch_mean(z, np)[:, 0], "k--", label=r"$\mu(w)$")
    ax1.plot(deg, model.batch_std(z, np)[:, 0], "k:", label=r"$\sigma(w)$")
    for ax in (ax1, ax2):
        _mark_angle(ax, w_star, r"angle of $W^*$", OKABE_ITO["sky"], ls="-.")
        plots.degree_axis(ax)
        plots.legend_beside(ax)
    ax1.set(ylabel="pre-activation", title=r"$z_m = \langle w, \bar x^{(m)}\rangle$, $\|w\| = 1$")
    ax2.set(ylabel="BN output", title=r"$\hat z_m = (z_m - \mu(w))/\sigma(w)$")
    return fig


def lemma_geometry_figure(w_star: Any, w0: Any, lim: float = 4.0) -> plt.Figure:
    """The right-hand side of Lemma 4.5 is the squared distance from W₀ to the line ℝ·W*."""
    ws, p = np.asarray(w_star, dtype=float), np.asarray(w0, dtype=float)
    proj = ws * (p @ ws) / (ws @ ws)
    fig, ax = plots.column_figure(aspect=0.72)
    t = np.array([-lim, lim]) / np.abs(ws).max()
    ax.plot(t * ws[0], t * ws[1], color=OKABE_ITO["sky"], lw=2.5, label=r"line $\mathbb{R}W^*$")
    ax.plot([p[0], proj[0]], [p[1], proj[1]], color=OKABE_ITO["vermillion"], lw=2.5,
            label="distance:\n" r"$\sqrt{\mathrm{RHS}}$")
    ax.plot([p[0], ws[0]], [p[1], ws[1]], color=OKABE_ITO["black"], ls=":", lw=2,
            label=r"$\|W_0 - W^*\|$")
    # each name beside its point, clear of the lines through it
    for point, name, color, offset in (
            (ws, r"$W^*$", OKABE_ITO["blue"], (-10, 2)), (p, r"$W_0$", "black", (8, -14)),
            (proj, "projection", OKABE_ITO["vermillion"], (-10, 2))):
        ax.plot(*point, "o", color=color, ms=8)
        ax.annotate(name, point, textcoords="offset points", xytext=offset,
                    ha="right" if offset[0] < 0 else "left")
    ax.set(xlim=(-1, lim), ylim=(-1, lim), aspect="equal", xlabel=r"$w_1$", ylabel=r"$w_2$",
           title="The right-hand side of Lemma 4.5")
    plots.legend_beside(ax)
    return fig


def centering_figure(data: LearningSet, w_star: Any, v_centered: Any, v_uncentered: Any
                     ) -> plt.Figure:
    """Ĉ against the angle of w, with and without BN's mean subtraction.

    Without it the minimum sits at the direction of W*; with it, at the BN minima direction.
    """
    data = data.numeric()
    theta, w = unit_directions(1441)
    deg = np.degrees(theta)
    fig, ax = plots.column_figure(aspect=0.72)
    # Both curves are flat near their minima; log(loss − min) makes each minimum a sharp dip.
    for center, color, label in ((True, "orange", r"$\hat C$ with mean subtraction (BN)"),
                                 (False, "blue", r"without ($\hat z = z/\sqrt{\overline{z^2}}$)")):
        loss = model.bn_loss(w, data, center=center)
        ax.semilogy(deg, loss - loss.min() + 1e-6, color=OKABE_ITO[color], label=label)
    _mark_angle(ax, w_star, r"direction of $W^*$", OKABE_ITO["sky"], ls="-.")
    _mark_angle(ax, v_centered, "minimum with mean subtraction", OKABE_ITO["orange"], ls=":")
    _mark_angle(ax, v_uncentered, "minimum without", OKABE_ITO["blue"], ls=":")
    plots.degree_axis(ax, lim=(-90, 150), step=30)
    ax.set(ylabel=r"$\hat C(w) - \min\,\hat C$ (log scale)",
           title="What the mean subtraction moves")
    plots.legend_below(ax, ncol=2)
    return fig
