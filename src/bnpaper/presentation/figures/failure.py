"""The figure of the chapter *Where the lemma fails, over all initializations*: the plane of
initializations W₀ coloured by the verdict of Lemma 4.5, and lhs − rhs on the unit circle
(computed by :mod:`bnpaper.topics.failure`)."""

from __future__ import annotations

from typing import Any

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.colors import ListedColormap

from bnpaper.core import geometry
from bnpaper.presentation import plots
from bnpaper.presentation.figures.distances import REGION_ALPHA, REGION_COLOURS, mark_w_star
from bnpaper.topics import failure


def failure_figure(w_star: Any, v: Any, lim: float = 4.0, n: int = 400) -> Any:
    """Where Lemma 4.5 fails: the plane coloured by verdict, and lhs − rhs on the unit circle.

    Top: every W₀ on a grid over [−lim, lim]², coloured not admissible (⟨W₀, W*⟩ ≤ 0) /
    holds / fails (the colours of :data:`~bnpaper.presentation.figures.distances.REGION_COLOURS`),
    with the closed-form wedge edges, W* and the ray of BN minima; the legend beside it.
    Bottom: lhs − rhs at W₀ = (cos θ, sin θ) against θ in degrees, the closed-form wedge
    shaded.
    """
    ws, vv = np.asarray(w_star, dtype=float), np.asarray(v, dtype=float)
    wedge = failure.failure_wedge(ws, vv)
    w1, w2, w = geometry.weight_grid(lim, n)
    s = failure.lemma_sweep(w, ws, vv)
    verdict = np.where(~s.admissible, 0, np.where(s.fails, 2, 1))
    fig, (ax, bx) = plots.column_figure(2, 1, aspect=1.22, height_ratios=(1.45, 1))
    ax.pcolormesh(w1, w2, verdict, cmap=ListedColormap(REGION_COLOURS), vmin=-0.5, vmax=2.5,
                  alpha=REGION_ALPHA, shading="auto", rasterized=True)
    handles = [plt.Rectangle((0, 0), 1, 1, color=c, alpha=REGION_ALPHA) for c in REGION_COLOURS]
    names = ["not admissible:\n" r"$\langle W_0, W^*\rangle \leq 0$", "lemma holds",
             "lemma fails"]
    for edge in (wedge.start, wedge.end):
        (line,) = ax.plot([0, 2 * lim * np.cos(edge)], [0, 2 * lim * np.sin(edge)],
                          color="black", ls="--", lw=1.5)
    handles.append(line)
    names.append("wedge edges\n(closed form)")
    plots.draw_ray(ax, vv, lim, color=plots.OKABE_ITO["orange"], lw=3)
    handles.append(ax.lines[-1])
    names.append(r"BN minima $t\,v$")
    handles.append(mark_w_star(ax, ws))
    names.append(r"$W^*$")
    ax.set(xlabel=r"weight $w_1$ of $W_0$", ylabel=r"weight $w_2$ of $W_0$", aspect="equal",
           xlim=(-lim, lim), ylim=(-lim, lim), title="Lemma 4.5 at every $W_0$")
    # few ticks, marks inside and apart from the labels: OCR reads a mark as a digit
    ax.locator_params(nbins=4)
    ax.tick_params(which="both", direction="in", color="white", width=1.2, pad=8)
    plots.legend_beside(ax, handles=handles, labels=names)

    theta = np.linspace(-np.pi, np.pi, 2001)
    deg = np.degrees(theta)
    unit = geometry.unit_vectors(theta)
    c = failure.lemma_sweep(unit, ws, vv)
    margin = np.where(c.admissible, c.lhs - c.rhs, np.nan)
    bx.axhline(0, color="black", lw=0.8)
    # masks over θ rather than spans, so that intervals wrapping round ±180° need no care
    band = {"transform": bx.get_xaxis_transform(), "lw": 0}
    bx.fill_between(deg, 0, 1, where=~c.admissible, color=REGION_COLOURS[0],
                    alpha=REGION_ALPHA, label="not admissible", **band)
    bx.fill_between(deg, 0, 1, where=failure.fails_closed_form(unit, ws, vv),
                    color=REGION_COLOURS[2], alpha=REGION_ALPHA,
                    label="closed-form wedge (fails)", **band)
    bx.plot(deg, margin, color=plots.OKABE_ITO["blue"], lw=2, label=r"lhs $-$ rhs")
    bx.axvline(plots.degrees(ws), color="black", lw=1.5, ls="-.", label=r"angle of $W^*$")
    plots.degree_axis(bx, label=r"angle $\theta$ of $W_0 = (\cos\theta, \sin\theta)$")
    bx.set(ylabel=r"lhs $-$ rhs", title="The verdict depends on the angle of $W_0$ only")
    bx.tick_params(which="both", pad=8)
    plots.legend_below(bx)
    return fig
