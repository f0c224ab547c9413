"""The figure of the chapter *Deep and non-linear networks*: the raw BN gradient at W*
against the profile gradient, per configuration of the grid of runs."""

from __future__ import annotations

from typing import Any

from matplotlib.lines import Line2D

from bnpaper.core import model
from bnpaper.presentation import plots
from bnpaper.presentation.plots import OKABE_ITO
from bnpaper.topics.deep.experiment import NOISE_BOUND, GridCell

_MARKERS = {"identity": "o", "relu": "s", "tanh": "^"}


def profile_figure(cs: list[GridCell]) -> Any:
    """Raw ‖∇Ĉ(W*)‖ (filled) and profile ‖∇_θ P̂(θ*)‖ (open) per depth and activation: one
    panel per learning set and width, two a row at the column's width, one legend under
    them; markers at the median over usable runs, bars from min to max. Profile gradients
    below :data:`~bnpaper.topics.deep.experiment.NOISE_BOUND` are drawn on the dotted
    line."""
    colours = dict(zip(model.ACTIVATIONS, (OKABE_ITO["blue"], OKABE_ITO["vermillion"],
                                           OKABE_ITO["green"]), strict=True))
    panels = list(dict.fromkeys((c.data, c.width) for c in cs))
    rows = (len(panels) + 1) // 2
    fig, axes = plots.column_figure(rows, 2, aspect=0.5 * rows + 0.12, sharey=True,
                                    squeeze=False)
    floor = NOISE_BOUND / 10
    for ax, (data, width) in zip(axes.ravel(), panels, strict=False):
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
    for ax in axes.ravel()[len(panels):]:
        ax.axis("off")
    for ax in axes[:, 0]:
        ax.set_ylabel(r"gradient norm at $W^*$")
    handles = [Line2D([], [], ls="", marker=_MARKERS[act], color=colours[act], label=act)
               for act in model.ACTIVATIONS]
    handles += [Line2D([], [], ls="", marker="o", color="grey",
                       label=r"raw $\|\nabla\hat C(W^*)\|$"),
                Line2D([], [], ls="", marker="o", color="grey", mfc="white",
                       label=r"profile $\|\nabla_\theta \hat P(\theta^*)\|$"),
                Line2D([], [], ls=":", color="grey", lw=1,
                       label=f"rounding noise (< {NOISE_BOUND:.0e})")]
    fig.legend(handles=handles, loc="outside lower center", ncol=3)
    return fig
