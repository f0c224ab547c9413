"""The figure of the chapter *A general answer for one linear neuron*: Ĉ against the angle
of w, with v̂ (minima), −v̂ (maxima) and W*."""

from __future__ import annotations

from typing import Any

import matplotlib.pyplot as plt
import numpy as np

from bnpaper.core import geometry, model
from bnpaper.core.data import LearningSet
from bnpaper.core.least_squares import linear_fits
from bnpaper.presentation import plots
from bnpaper.topics.general import classify_w_star


def _degrees(v: Any) -> float:
    """The polar angle of a float vector in degrees."""
    return float(np.degrees(geometry.polar_angle(np.asarray(v, dtype=float))))


def loss_by_angle_figure(sets: dict[str, LearningSet]) -> Any:
    """Ĉ(w) against the angle of w (Ĉ depends on nothing else), one panel per d = 2 set
    (titled by its key and the verdict on W*), with v̂ (minima), −v̂ (maxima) and W*."""
    fig, axes = plt.subplots(1, len(sets), figsize=(3.6 * len(sets), 4.0), sharey=False)
    theta, circle = geometry.unit_directions(1441)
    for ax, (title, data) in zip(np.atleast_1d(axes), sets.items(), strict=True):
        num = data.numeric()
        fits = linear_fits(num)
        ax.plot(np.degrees(theta), model.bn_loss(circle, num), color="black", lw=1.5,
                label=r"$\hat C(\cos\theta, \sin\theta)$")
        ax.axvline(_degrees(fits.v_hat), color=plots.OKABE_ITO["orange"], lw=2.5,
                   label=r"$\hat v$: minima")
        ax.axvline(_degrees(-fits.v_hat), color=plots.OKABE_ITO["sky"], lw=2, ls=":",
                   label=r"$-\hat v$: maxima")
        ax.plot(_degrees(fits.w_star), model.bn_loss(fits.w_star, num), "o", ms=9,
                color=plots.OKABE_ITO["blue"], mec="black", label=r"$W^*$", zorder=5)
        kind = classify_w_star(data).kind
        verdict = "not a stationary point" if kind == "not stationary" else f"a {kind}"
        ax.set(xlabel=r"angle $\theta$ of $w$ (degrees)", xlim=(-180, 180),
               title=f"{title}\n$W^*$ is {verdict} of $\\hat C$",
               xticks=range(-180, 181, 90))
    np.atleast_1d(axes)[0].set_ylabel(r"$\hat C$")
    fig.legend(*np.atleast_1d(axes)[0].get_legend_handles_labels(), loc="outside lower center",
               ncol=4)
    return fig
