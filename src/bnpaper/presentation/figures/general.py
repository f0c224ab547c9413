"""The figure of the chapter *A general answer for one linear neuron*: Ĉ against the angle
of w, with v̂ (minima), −v̂ (maxima) and W*."""

from __future__ import annotations

from typing import Any

import numpy as np

from bnpaper.core import geometry, model
from bnpaper.core.data import LearningSet
from bnpaper.core.least_squares import linear_fits
from bnpaper.presentation import plots
from bnpaper.topics.general import classify_w_star


def loss_by_angle_figure(sets: dict[str, LearningSet]) -> Any:
    """Ĉ(w) against the angle of w in degrees (Ĉ depends on nothing else), one panel per
    d = 2 set (titled by its key and the verdict on W*), with v̂ (minima), −v̂ (maxima) and
    W*: two panels a row at the column's width, the legend in the free panel (or under the
    panels when there is none)."""
    rows = (len(sets) + 1) // 2
    fig, axes = plots.column_figure(rows, 2, aspect=0.55 * rows, squeeze=False)
    theta, circle = geometry.unit_directions(1441)
    panels = axes.ravel()
    for ax, (title, data) in zip(panels, sets.items(), strict=False):
        num = data.numeric()
        fits = linear_fits(num)
        ax.plot(np.degrees(theta), model.bn_loss(circle, num), color="black", lw=1.5,
                label=r"$\hat C(\cos\theta, \sin\theta)$")
        ax.axvline(plots.degrees(fits.v_hat), color=plots.OKABE_ITO["orange"], lw=2.5,
                   label=r"$\hat v$: minima")
        ax.axvline(plots.degrees(-fits.v_hat), color=plots.OKABE_ITO["sky"], lw=2, ls=":",
                   label=r"$-\hat v$: maxima")
        ax.plot(plots.degrees(fits.w_star), model.bn_loss(fits.w_star, num), "o", ms=9,
                color=plots.OKABE_ITO["blue"], mec="black", label=r"$W^*$", zorder=5)
        kind = classify_w_star(data).kind
        verdict = "not stationary" if kind == "not stationary" else f"a {kind}"
        plots.degree_axis(ax, label=r"angle $\theta$ of $w$")
        ax.set(ylabel=r"$\hat C$", title=f"{title}:\n$W^*$ is {verdict}")
    spare = panels[len(sets):]
    if len(spare):
        spare[0].axis("off")
        spare[0].legend(*panels[0].get_legend_handles_labels(), loc="center")
        for ax in spare[1:]:
            ax.axis("off")
    else:
        plots.legend_below(fig, ncol=2)
    return fig
