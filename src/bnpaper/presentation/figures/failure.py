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
from bnpaper.topics import failure


def failure_figure(w_star: Any, v: Any, lim: float = 4.0, n: int = 400) -> Any:
    """Where Lemma 4.5 fails: the plane coloured by verdict, and lhs − rhs on the unit circle.

    Left: every W₀ on a grid over [−lim, lim]², coloured fails / holds / not admissible
    (⟨W₀, W*⟩ ≤ 0), with the closed-form wedge edges, W* and the ray of BN minima.
    Right: lhs − rhs at W₀ = (cos θ, sin θ) against θ, the closed-form wedge shaded.
    """
    ws, vv = np.asarray(w_star, dtype=float), np.asarray(v, dtype=float)
    wedge = failure.failure_wedge(ws, vv)
    w1, w2, w = geometry.weight_grid(lim, n)
    s = failure.lemma_sweep(w, ws, vv)
    verdict = np.where(~s.admissible, 0, np.where(s.fails, 2, 1))
    fig, (ax, bx) = plt.subplots(1, 2, figsize=(10.5, 4.6), width_ratios=(1, 1.15))
    colours = [plots.OKABE_ITO[c] for c in ("black", "sky", "vermillion")]
    ax.pcolormesh(w1, w2, verdict, cmap=ListedColormap(colours), vmin=-0.5, vmax=2.5,
                  alpha=0.45, shading="auto", rasterized=True)
    handles = [plt.Rectangle((0, 0), 1, 1, color=c, alpha=0.45) for c in colours]
    names = [r"not admissible: $\langle W_0, W^*\rangle \leq 0$", "lemma holds", "lemma fails"]
    for edge in (wedge.start, wedge.end):
        (line,) = ax.plot([0, 2 * lim * np.cos(edge)], [0, 2 * lim * np.sin(edge)],
                          color="black", ls="--", lw=1.5)
    handles.append(line)
    names.append("wedge edges (closed form)")
    plots.draw_ray(ax, vv, lim, color=plots.OKABE_ITO["orange"], lw=2.5)
    handles.append(ax.lines[-1])
    names.append(r"BN minima $t\,v$")
    handles.append(ax.plot(*ws, "o", color=plots.OKABE_ITO["sky"], ms=9, mec="black")[0])
    names.append(r"$W^*$")
    ax.set(xlabel=r"$w_1$ of $W_0$", ylabel=r"$w_2$ of $W_0$", aspect="equal",
           xlim=(-lim, lim), ylim=(-lim, lim), title="Lemma 4.5 at every initialization $W_0$")
    ax.legend(handles, names, loc="lower left", framealpha=0.95, fontsize=8)

    theta = np.linspace(-np.pi, np.pi, 2001)
    unit = geometry.unit_vectors(theta)
    c = failure.lemma_sweep(unit, ws, vv)
    margin = np.where(c.admissible, c.lhs - c.rhs, np.nan)
    bx.axhline(0, color="black", lw=0.8)
    # masks over θ rather than spans, so that intervals wrapping round ±π need no care
    band = {"transform": bx.get_xaxis_transform(), "lw": 0}
    bx.fill_between(theta, 0, 1, where=~c.admissible, color="black", alpha=0.2,
                    label="not admissible", **band)
    bx.fill_between(theta, 0, 1, where=failure.fails_closed_form(unit, ws, vv),
                    color=plots.OKABE_ITO["vermillion"], alpha=0.25,
                    label="closed-form wedge (fails)", **band)
    bx.plot(theta, margin, color=plots.OKABE_ITO["blue"], lw=2,
            label=r"lhs $-$ rhs (admissible $\theta$)")
    bx.axvline(np.arctan2(ws[1], ws[0]), color=plots.OKABE_ITO["sky"], lw=2,
               label=r"$\theta$ of $W^*$")
    bx.set(xlabel=r"angle $\theta$ of $W_0 = (\cos\theta, \sin\theta)$",
           ylabel=r"lhs $-$ rhs of Lemma 4.5", xlim=(-np.pi, np.pi),
           title=r"the sign depends on the angle of $W_0$ only")
    bx.legend(loc="lower left", framealpha=0.95, fontsize=8)
    return fig
