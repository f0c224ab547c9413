"""The figures of the chapter *ReLU*: C and Ĉ of the ReLU neurons over the weight plane, and
Ĉ along the unit circle with its extrema and kinks (computed by :mod:`bnpaper.topics.relu`)."""

from __future__ import annotations

from typing import Any

import matplotlib.pyplot as plt
import numpy as np
import sympy as sp

from bnpaper.core import exact, geometry, model
from bnpaper.core.data import LearningSet
from bnpaper.presentation import plots
from bnpaper.topics.relu import critical, numeric, sectors


def _angle(v: Any) -> float:
    """The polar angle of the direction v in radians, as a float (for the axes)."""
    return float(geometry.polar_angle(v))


def _kink_lines(ax: Any, normals: list, lim: float, label: str) -> None:
    for i, n in enumerate(n for n in normals if n != (0, 0)):
        u = np.array([-float(n[1]), float(n[0])])
        u = u / np.abs(u).max() * lim
        ax.plot([-u[0], u[0]], [-u[1], u[1]], ls=":", lw=1, color=plots.OKABE_ITO["black"],
                label=label if i == 0 else None)


def relu_landscape_figure(data: LearningSet, w_star: Any, minima: list[critical.CriticalRay],
                          lim: float = 4.0) -> plt.Figure:
    """C and Ĉ of the ReLU neurons side by side: W*, the rays of BN-ReLU minima, the kinks."""
    num = data.numeric()
    w1, w2, w = geometry.weight_grid(lim)
    ws = np.asarray(w_star, dtype=float)
    fig, axes = plt.subplots(1, 2, figsize=(10, 4.8))
    panels = [(model.standard_loss, "$C(w)$", "Standard ReLU neuron: $C$"),
              (model.bn_loss, r"$\hat C(w)$", r"BN-ReLU neuron: $\hat C$")]
    for ax, (loss, label, title) in zip(axes, panels, strict=True):
        values = loss(w, num, activation="relu")
        # Quantile levels: equal-area bands, readable for C (which grows like ‖w‖²) and Ĉ;
        # unique, because C is constant (= Σ ȳ²) on the sector where every ReLU is off.
        levels = np.unique(np.quantile(values, np.linspace(0, 1, 21)))
        cs = ax.contourf(w1, w2, values, levels=levels, cmap="cividis")
        fig.colorbar(cs, ax=ax, label=label, format="%.0f")
        ax.set(xlabel=r"$w_1$", ylabel=r"$w_2$", aspect="equal", title=title,
               xlim=(-lim, lim), ylim=(-lim, lim))
    _kink_lines(axes[0], sectors.kink_normals(sectors.relu_arguments(data, bn=False)), lim,
                r"kinks $\langle w,\bar x^{(i)}\rangle=0$")
    _kink_lines(axes[1], sectors.kink_normals(sectors.relu_arguments(data, bn=True)), lim,
                r"kinks $\hat z_i = 0$")
    styles = [dict(color=plots.OKABE_ITO["orange"], lw=3)] + [
        dict(color=plots.OKABE_ITO["vermillion"], lw=1.5, ls="--")] * (len(minima) - 1)
    labels = [r"global minima of $\hat C$"] + [r"other local minima of $\hat C$"] + [None] * 9
    for ray, style, lab in zip(minima, styles, labels, strict=False):
        plots.draw_ray(axes[1], exact.to_floats(ray.direction), lim, label=lab, **style)
    for ax in axes:
        ax.plot(*ws, "o", color=plots.OKABE_ITO["sky"], ms=9, mec="black",
                label=r"$W^*$, optimum of $C$")
        ax.legend(loc="lower left", framealpha=0.9)
    return fig


def _mark_extrema(ax: Any, rays: list[critical.CriticalRay], **kwargs: Any) -> None:
    for kind, marker, colour in (("minimum", "o", "orange"), ("maximum", "v", "purple")):
        pts = [(np.degrees(r.angle), float(sp.N(r.value, 20))) for r in rays if r.kind == kind]
        ax.plot(*np.array(pts).T, marker, ms=7, mec="black", ls="none",
                color=plots.OKABE_ITO[colour], **kwargs.get(kind, {}))


def relu_angle_figure(data: LearningSet, rays: list[critical.CriticalRay], w_star: Any,
                      bn_linear_direction: Any, zoom: tuple[float, float] = (161.4, 163.0)
                      ) -> plt.Figure:
    """Ĉ along the unit circle, ReLU and identity activation, with extrema and kinks marked.

    An inset magnifies the angles ``zoom`` (degrees), where a shallow minimum sits next to
    a kink.
    """
    theta, relu_values = numeric.angular_profile(data, 7200)
    _, lin_values = numeric.angular_profile(data, 7200, activation="identity")
    deg = np.degrees(theta)
    fig, ax = plt.subplots(figsize=(8, 5))
    normals = sectors.kink_normals(sectors.relu_arguments(data, bn=True))
    normals = [n for n in normals if n != (0, 0)]
    for n in normals:
        for sign in (1, -1):
            ax.axvline(np.degrees(_angle((-sign * n[1], sign * n[0]))),
                       color=plots.OKABE_ITO["black"], lw=0.6, ls=":")
    ax.plot(deg, relu_values, color=plots.OKABE_ITO["blue"], lw=2,
            label=r"$\hat C$, BN then ReLU")
    ax.plot(deg, lin_values, color=plots.OKABE_ITO["green"], lw=1.5, ls="--",
            label=r"$\hat C$, BN, identity (the paper)")
    _mark_extrema(ax, rays, minimum={"label": r"local minima of ReLU $\hat C$"},
                  maximum={"label": r"local maxima of ReLU $\hat C$"})
    for angle, lab, ls in ((_angle(tuple(w_star)), r"direction of $W^*$", "-"),
                           (_angle(tuple(bn_linear_direction)),
                            r"minima of identity $\hat C$", "-.")):
        ax.axvline(np.degrees(angle), color=plots.OKABE_ITO["black"], lw=1.2, ls=ls, label=lab)
    ax.set(xlabel=r"angle $\theta$ of $w = (\cos\theta, \sin\theta)$ (degrees); dotted: "
           r"kinks $\hat z_i = 0$", ylabel=r"$\hat C$", xlim=(-180, 180),
           xticks=np.arange(-180, 181, 45), ylim=(150, 235),
           title=r"The BN losses along the unit circle (they depend on the angle only)")
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.15), ncol=3, fontsize=8)
    inset = ax.inset_axes([0.09, 0.05, 0.3, 0.32])
    zdeg = np.linspace(*zoom, 400)
    inset.plot(zdeg, model.bn_loss(geometry.unit_vectors(np.radians(zdeg)), data.numeric(),
                                   activation="relu"), color=plots.OKABE_ITO["blue"], lw=1.5)
    _mark_extrema(inset, [r for r in rays if zoom[0] <= np.degrees(r.angle) <= zoom[1]])
    for n in normals:
        for sign in (1, -1):
            k = np.degrees(_angle((-sign * n[1], sign * n[0])))
            if zoom[0] <= k <= zoom[1]:
                inset.axvline(k, color=plots.OKABE_ITO["black"], lw=0.6, ls=":")
    inset.set_title(f"zoom: {zoom[0]:.1f}° to {zoom[1]:.1f}°", fontsize=8)
    inset.tick_params(labelsize=7)
    inset.ticklabel_format(useOffset=False)
    inset.yaxis.set_major_formatter("{x:.2f}")
    inset.set_xticks(np.linspace(*zoom, 3))
    inset.xaxis.set_major_formatter("{x:.1f}°")
    return fig

