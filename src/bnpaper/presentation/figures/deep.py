"""The figure of the chapter *Deep and non-linear networks*: the raw BN gradient at W*
against the profile gradient, per configuration of the grid of runs."""

from __future__ import annotations

from typing import Any

import matplotlib.pyplot as plt

from bnpaper.core import model
from bnpaper.presentation.plots import OKABE_ITO
from bnpaper.topics.deep.experiment import NOISE_BOUND, GridCell

_MARKERS = {"identity": "o", "relu": "s", "tanh": "^"}


def profile_figure(cs: list[GridCell]) -> Any:
    """Raw ‖∇Ĉ(W*)‖ (filled) and profile ‖∇_θ P̂(θ*)‖ (open) per depth and activation: one
    panel per learning set and width; markers at the median over usable runs, bars from min
    to max. Profile gradients below :data:`~bnpaper.topics.deep.experiment.NOISE_BOUND` are
    drawn on the dotted line."""
    colours = dict(zip(model.ACTIVATIONS, (OKABE_ITO["blue"], OKABE_ITO["vermillion"],
                                           OKABE_ITO["green"]), strict=True))
    panels = list(dict.fromkeys((c.data, c.width) for c in cs))
    fig, axes = plt.subplots(1, len(panels), figsize=(3.4 * len(panels), 4.4), sharey=True,
                             squeeze=False, layout="constrained")
    floor = NOISE_BOUND / 10
    for ax, (data, width) in zip(axes[0], panels, strict=True):
        for c in (c for c in cs if (c.data, c.width) == (data, width) and c.raw):
            x = c.depth + 0.22 * (model.ACTIVATIONS.index(c.activation) - 1)
            col, mk = colours[c.activation], _MARKERS[c.activation]
            for stats, fill, dx in ((c.raw, col, -0.05), (c.profile, "white", 0.05)):
                med, lo, hi = (max(v, floor) for v in stats)
                ax.plot([x + dx] * 2, [lo, hi], color=col, lw=1.2)
                ax.plot(x + dx, med, mk, color=col, mfc=fill, ms=7)
        ax.axhline(NOISE_BOUND, color="grey", ls=":", lw=1)
        ax.set(yscale="log", xticks=[1, 2, 3], xlim=(0.5, 3.5), xlabel="hidden layers $L$",
               title=f"{data} set, width {width}")
    axes[0, 0].set_ylabel(r"gradient norm at $W^*$")
    axes[0, 0].text(0.55, NOISE_BOUND * 2, f"rounding noise (< {NOISE_BOUND:.0e})",
                    color="grey", fontsize=8)
    for act in model.ACTIVATIONS:
        axes[0, -1].plot([], [], _MARKERS[act], color=colours[act], label=act)
    axes[0, -1].plot([], [], "o", color="grey", label=r"raw $\|\nabla\hat C(W^*)\|$")
    axes[0, -1].plot([], [], "o", color="grey", mfc="white",
                     label=r"profile $\|\nabla_\theta \hat P(\theta^*)\|$")
    axes[0, -1].legend(loc="center right", fontsize=8)
    fig.suptitle(r"Raw BN gradient at $W^*$ against the profile gradient (output layer refitted)")
    return fig
