"""The figures of the chapter *ReLU*: C and Ĉ of the ReLU neurons over the weight plane, and
Ĉ along the unit circle with its extrema and kinks (computed by :mod:`bnpaper.topics.relu`)."""

from __future__ import annotations

from typing import Any

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import sympy as sp
from matplotlib import patheffects

from bnpaper.core import exact, geometry, model
from bnpaper.core.data import LearningSet
from bnpaper.presentation import plots
from bnpaper.topics.relu import critical, numeric, sectors


def _kink_lines(ax: Any, normals: list, lim: float, label: str, ls: Any = ":") -> None:
    """The lines ⟨w, n⟩ = 0 through the square [−lim, lim]², black on white so that they
    read over the whole colour map."""
    halo = [patheffects.withStroke(linewidth=3.5, foreground="white")]
    for i, n in enumerate(n for n in normals if n != (0, 0)):
        u = np.array([-float(n[1]), float(n[0])])
        u = u / np.abs(u).max() * lim
        ax.plot([-u[0], u[0]], [-u[1], u[1]], ls=ls, lw=1.5, color="black", path_effects=halo,
                label=label if i == 0 else None)


def relu_landscape_figure(data: LearningSet, w_star: Any, minima: list[critical.CriticalRay],
                          lim: float = 4.0) -> plt.Figure:
    """C and Ĉ of the ReLU neurons, stacked (top C, bottom Ĉ), each with its colour bar:
    W*, the rays of BN-ReLU minima, the kinks; one legend below both.

    Bands at round values (:func:`bnpaper.presentation.plots.contour_levels`), each loss on
    its own scale.
    """
    num = data.numeric()
    w1, w2, w = geometry.weight_grid(lim)
    ws = np.asarray(w_star, dtype=float)
    fig, axes = plots.column_figure(2, 1, aspect=1.68)
    panels = [(model.standard_loss, "$C(w)$", "Standard ReLU neuron: $C$"),
              (model.bn_loss, r"$\hat C(w)$", r"BN-ReLU neuron: $\hat C$")]
    for ax, (loss, label, title) in zip(axes, panels, strict=True):
        values = loss(w, num, activation="relu")
        cs = ax.contourf(w1, w2, values, levels=plots.contour_levels(values, n=14),
                         cmap=plots.LOSS_CMAP)
        bar = plots.colorbar(fig, cs, ax, label=label)
        bar.ax.tick_params(direction="in", color="white", pad=8)
        ax.set(xlabel=r"weight $w_1$", ylabel=r"weight $w_2$", aspect="equal", title=title,
               xlim=(-lim, lim), ylim=(-lim, lim))
        # few ticks, marks inside and apart from the labels: OCR reads a mark as a digit
        ax.locator_params(nbins=4)
        ax.tick_params(which="both", direction="in", color="white", width=1.2, pad=8)
    _kink_lines(axes[0], sectors.kink_normals(sectors.relu_arguments(data, bn=False)), lim,
                r"kinks of $C$: $\langle w,\bar x^{(i)}\rangle=0$")
    _kink_lines(axes[1], sectors.kink_normals(sectors.relu_arguments(data, bn=True)), lim,
                r"kinks of $\hat C$: $\hat z_i = 0$", ls="-")
    styles = [dict(color=plots.OKABE_ITO["orange"], lw=3.5)] + [
        dict(color=plots.OKABE_ITO["vermillion"], lw=2.5, ls=(0, (4, 2)))] * (len(minima) - 1)
    labels = [r"global minima of $\hat C$"] + [r"other local minima of $\hat C$"] + [None] * 9
    for ray, style, lab in zip(minima, styles, labels, strict=False):
        plots.draw_ray(axes[1], exact.to_floats(ray.direction), lim, label=lab, **style)
    for ax in axes:
        ax.plot(*ws, "*", color=plots.OKABE_ITO["yellow"], ms=16, mec="black",
                label=r"$W^*$, optimum of $C$", zorder=5)
    plots.legend_below(fig)
    return fig


def _mark_extrema(ax: Any, rays: list[critical.CriticalRay], **kwargs: Any) -> None:
    for kind, marker, colour in (("minimum", "o", "orange"), ("maximum", "v", "purple")):
        pts = [(np.degrees(r.angle), float(sp.N(r.value, 20))) for r in rays if r.kind == kind]
        ax.plot(*np.array(pts).T, marker, ms=7, mec="black", ls="none",
                color=plots.OKABE_ITO[colour], **kwargs.get(kind, {}))


def relu_angle_figure(data: LearningSet, rays: list[critical.CriticalRay], w_star: Any,
                      bn_linear_direction: Any, zoom: tuple[float, float] = (161.4, 163.0)
                      ) -> plt.Figure:
    """Ĉ along the unit circle, ReLU and identity activation, with extrema and kinks marked
    (angles in degrees); below it, the angles ``zoom`` magnified, where a shallow minimum
    sits next to a kink. One legend below both panels.
    """
    theta, relu_values = numeric.angular_profile(data, 7200)
    _, lin_values = numeric.angular_profile(data, 7200, activation="identity")
    deg = np.degrees(theta)
    fig, (ax, zx) = plots.column_figure(2, 1, aspect=1.2, height_ratios=(1.6, 1))
    normals = [n for n in sectors.kink_normals(sectors.relu_arguments(data, bn=True))
               if n != (0, 0)]
    kinks = [plots.degrees((-sign * float(n[1]), sign * float(n[0])))
             for n in normals for sign in (1, -1)]
    for i, k in enumerate(kinks):
        ax.axvline(k, color=plots.OKABE_ITO["black"], lw=0.8, ls=":",
                   label=r"kinks $\hat z_i = 0$" if i == 0 else None)
    ax.plot(deg, relu_values, color=plots.OKABE_ITO["blue"], lw=2,
            label=r"$\hat C$, BN then ReLU")
    ax.plot(deg, lin_values, color=plots.OKABE_ITO["green"], lw=1.8, ls="--",
            label=r"$\hat C$, BN, identity (the paper)")
    _mark_extrema(ax, rays, minimum={"label": r"local minima of ReLU $\hat C$"},
                  maximum={"label": r"local maxima of ReLU $\hat C$"})
    for direction, lab, ls in ((w_star, r"direction of $W^*$", "-"),
                               (bn_linear_direction, r"minima of identity $\hat C$", "-.")):
        ax.axvline(plots.degrees(exact.to_floats(direction)), color=plots.OKABE_ITO["black"],
                   lw=1.4, ls=ls, label=lab)
    ax.axvspan(*zoom, color=plots.OKABE_ITO["sky"], alpha=0.4, lw=0)
    plots.degree_axis(ax, label=r"angle $\theta$ of $w = (\cos\theta, \sin\theta)$")
    ax.set(ylabel=r"$\hat C$", ylim=(150, 235), title="The BN losses along the unit circle")
    zdeg = np.linspace(*zoom, 400)
    zx.plot(zdeg, model.bn_loss(geometry.unit_vectors(np.radians(zdeg)), data.numeric(),
                                activation="relu"), color=plots.OKABE_ITO["blue"], lw=2)
    _mark_extrema(zx, [r for r in rays if zoom[0] <= np.degrees(r.angle) <= zoom[1]])
    for k in kinks:
        if zoom[0] <= k <= zoom[1]:
            zx.axvline(k, color=plots.OKABE_ITO["black"], lw=0.8, ls=":")
    zx.set_facecolor((*matplotlib.colors.to_rgb(plots.OKABE_ITO["sky"]), 0.15))
    plots.degree_axis(zx, lim=zoom, step=0.4, label=r"angle $\theta$ (the shaded band above)")
    zx.xaxis.set_major_formatter("{x:.1f}°")
    zx.yaxis.set_major_formatter("{x:.2f}")
    zx.set(ylabel=r"$\hat C$", title="Magnified: a shallow minimum next to a kink")
    for a in (ax, zx):
        a.tick_params(which="both", pad=8)  # apart from its mark: OCR reads a mark as a digit
    plots.legend_below(fig)
    return fig
