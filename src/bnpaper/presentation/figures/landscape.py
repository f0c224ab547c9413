"""The figures of the chapter *The two loss landscapes*: C and Ĉ over the weight plane with
their gradient fields, and Ĉ against the angle of w (computed by
:mod:`bnpaper.topics.landscape`), drawn for the book's column
(:mod:`bnpaper.presentation.plots`): panels stacked, legends below, angles in degrees."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import matplotlib.pyplot as plt
import numpy as np

from bnpaper.core import exact, geometry, model
from bnpaper.core.data import LearningSet
from bnpaper.presentation import plots
from bnpaper.topics import landscape


def _mark_common(ax: Any, w_star: np.ndarray) -> None:
    ax.plot(*w_star, "o", color=plots.OKABE_ITO["sky"], ms=9, mec="black", zorder=5,
            label=r"$W^*$, optimum of $C$")


def landscapes_figure(data: LearningSet, facts: landscape.LandscapeFacts, lim: float = 4.0,
                      n: int = 200, n_arrows: int = 16) -> Any:
    """C (top) and Ĉ (bottom) over [−lim, lim]², with normalized −∇ fields (unit arrows).

    Marks W*, the rays of BN minima and maxima, and w = 0 where Ĉ is undefined.
    """
    numeric = data.numeric()
    w1, w2, w = geometry.weight_grid(lim, n)
    a1, a2, wa = geometry.weight_grid(lim * (1 - 1 / n_arrows), n_arrows)
    w_star = np.array(exact.to_floats(facts.w_star))
    fig, axes = plots.column_figure(2, 1, aspect=1.6)
    panels = [(model.standard_loss, r"$C(w)$", "standard loss $C$: one minimum, $W^*$"),
              (model.bn_loss, r"$\hat C(w)$", r"BN loss $\hat C$: constant along rays")]
    for ax, (loss, label, title) in zip(axes, panels, strict=True):
        values = loss(w, numeric)
        # C spans orders of magnitude: a log scale, bands at 1, 2, 5 × 10^k; Ĉ: round
        # values, finer in its shallow valley (labelled bands, as in the counterexample)
        log = loss is model.standard_loss
        levels = (plots.contour_levels(values, 12, log=True) if log
                  else plots.graded_levels(values, 0.5, 2))
        cs = ax.contourf(w1, w2, values, levels=levels, cmap=plots.LOSS_CMAP, alpha=0.6,
                         norm=plots.log_norm(levels) if log else plots.band_norm(levels))
        plots.colorbar(fig, cs, ax, label=label, **({} if log else {"ticks": levels}))
        g = -landscape.gradient_field(loss, data)(wa)
        g /= np.linalg.norm(g, axis=-1, keepdims=True)
        # the colours are lightened (alpha) so that black arrows read on the whole map
        ax.quiver(a1, a2, g[..., 0], g[..., 1], color="black", angles="xy", pivot="mid",
                  scale=n_arrows * 1.6, width=0.004, label=r"$-\nabla$ (direction only)")
        _mark_common(ax, w_star)
        ax.set(xlabel=r"$w_1$", ylabel=r"$w_2$", title=title, aspect="equal",
               xlim=(-lim, lim), ylim=(-lim, lim))
    ax = axes[1]
    plots.draw_ray(ax, geometry.unit_vectors(float(facts.theta_min)), lim,
                   color=plots.OKABE_ITO["orange"], lw=3, label=r"minima of $\hat C$")
    plots.draw_ray(ax, geometry.unit_vectors(float(facts.theta_max)), lim,
                   color=plots.OKABE_ITO["vermillion"], lw=3, ls="--",
                   label=r"maxima of $\hat C$")
    ax.plot(0, 0, "o", ms=9, mfc="white", mec="black", mew=1.5, zorder=6,
            label=r"$w = 0$: $\hat C$ undefined")
    for ax in axes:
        plots.legend_below(ax, ncol=2 if ax is axes[0] else 3)
    return fig


def angle_profile_figure(data: LearningSet, facts: landscape.LandscapeFacts,
                         radii: Sequence[float] = (0.1, 1.0, 10.0), n: int = 721) -> Any:
    """Ĉ against the angle θ of w on circles of several radii, and a polar view.

    Top: Ĉ(r cos θ, r sin θ) for each r in ``radii`` (the curves coincide), with the angles
    of the maxima, the minima and W* marked. Bottom: the unit circle coloured by Ĉ(θ), with
    W*, the two rays and the direction of −∇Ĉ(W*).
    """
    theta = np.linspace(-np.pi, np.pi, n)
    fig = plt.figure(figsize=plots.figure_size(1.45))
    grid = fig.add_gridspec(2, 1, height_ratios=(1, 1.25))
    ax = fig.add_subplot(grid[0])
    styles = ("-", "--", ":")
    for i, r in enumerate(radii):
        ax.plot(np.degrees(theta), landscape.bn_loss_on_circle(data, theta, r),
                ls=styles[i % 3], lw=2.8 - 0.6 * i,
                color=plots.OKABE_ITO["blue" if i == 0 else "black"], label=f"$r = {r:g}$")
    marks = [(facts.theta_max, "vermillion", "maxima"), (facts.theta_min, "orange", "minima"),
             (facts.theta_w_star, "sky", "$W^*$")]
    for angle, colour, name in marks:
        ax.axvline(np.degrees(float(angle)), color=plots.OKABE_ITO[colour], lw=2,
                   label=rf"$\theta$ of {name}")
    plots.degree_axis(ax)
    ax.set(ylabel=r"$\hat C(r\cos\theta, r\sin\theta)$",
           title=r"$\hat C$ depends on the angle only")
    plots.legend_below(ax, ncol=3)

    pax = fig.add_subplot(grid[1], projection="polar")
    band = np.linspace(0.8, 1.0, 2)
    # one ring of cells, each coloured by Ĉ at its mid-angle
    values = landscape.bn_loss_on_circle(data, (theta[:-1] + theta[1:]) / 2)[None, :]
    mesh = pax.pcolormesh(theta, band, values, cmap=plots.LOSS_CMAP, shading="flat")
    plots.colorbar(fig, mesh, pax, label=r"$\hat C(\theta)$", pad=0.12)
    for angle, colour, ls in [(facts.theta_min, "orange", "-"),
                              (facts.theta_max, "vermillion", "--")]:
        pax.plot([float(angle)] * 2, [0, 1], color=plots.OKABE_ITO[colour], lw=3, ls=ls)
    t_star = float(facts.theta_w_star)
    pax.plot([t_star] * 2, [0, 0.9], color=plots.OKABE_ITO["sky"], lw=3)
    pax.plot(t_star, 0.9, "o", color=plots.OKABE_ITO["sky"], mec="black", ms=10)
    # −∇Ĉ(W*) ⟂ W*: along the circle, towards decreasing or increasing θ
    step = 0.35 if facts.descent_turn == "counter-clockwise" else -0.35
    pax.annotate("", xy=(t_star + step, 0.9), xytext=(t_star, 0.9),
                 arrowprops={"arrowstyle": "-|>", "color": plots.OKABE_ITO["vermillion"],
                             "lw": 3, "connectionstyle": f"arc3,rad={0.15 * np.sign(step)}"})
    pax.set_rticks([])
    # angles as on the axis above, −180° to 180°
    ticks = np.arange(-135, 181, 45)
    pax.set_thetagrids(ticks % 360, [f"{t}°".replace("-", "\u2212") for t in ticks])
    pax.set_ylim(0, 1)
    pax.set_title(rf"polar view: $-\nabla\hat C(W^*)$ (arrow) turns $W^*$ (dot)"
                  f" {facts.descent_turn}")
    return fig
