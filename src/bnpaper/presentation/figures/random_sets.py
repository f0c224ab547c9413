"""The figures of the chapter *How often, on random data*: the angle α = ∠(W*, v̂) per size,
and the failure share against α and per size (:mod:`bnpaper.topics.random_sets`)."""

from __future__ import annotations

from typing import Any

import numpy as np
from matplotlib.patches import Patch
from matplotlib.ticker import FuncFormatter

from bnpaper.core.statistics import CONFIDENCE, wilson_interval
from bnpaper.presentation import plots
from bnpaper.topics.random_sets import SizeCell, admissible_share, summarize


def _colour(d: int) -> str:
    return {2: plots.OKABE_ITO["blue"], 3: plots.OKABE_ITO["orange"],
            5: plots.OKABE_ITO["green"]}.get(d, plots.OKABE_ITO["purple"])


def angle_figure(cells: list[SizeCell]) -> Any:
    """Box plots of α = ∠(W*, v̂) per (d, M), M ≥ d + 1: how far W* is from the BN minima."""
    cells = [c for c in cells if not c.underdetermined]

    fig, ax = plots.column_figure(aspect=0.8)
    box = ax.boxplot([np.degrees(c.alpha) for c in cells], whis=(5, 95), showfliers=False,
                     patch_artist=True, medianprops={"color": "black"})
    for patch, c in zip(box["boxes"], cells, strict=True):
        patch.set(facecolor=_colour(c.d), alpha=0.75)
    ax.plot(range(1, len(cells) + 1), [np.degrees(c.alpha.min()) for c in cells], "v",
            color="black", label="smallest α of all sets")
    ax.set_xticks(range(1, len(cells) + 1), [f"({c.d}, {c.m})" for c in cells])
    ax.set_yscale("log")
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:g}°"))
    ax.set(xlabel="$(d, M)$: inputs, samples", ylabel=r"$\alpha = \angle(W^*, \hat v)$",
           title=r"Angle between $W^*$ and the BN minima")
    handles = [Patch(color=_colour(d), alpha=0.75, label=f"d = {d}")
               for d in sorted({c.d for c in cells})]
    plots.legend_below(ax, ncol=2, handles=[*handles, *ax.get_legend_handles_labels()[0]],
                       title="boxes: quartiles, whiskers: 5–95 %")
    return fig


def fraction_figure(cells: list[SizeCell]) -> Any:
    """Left: failure share vs α for M ≥ d + 1, Monte Carlo (95 % Wilson bars) and the closed
    form. Right: mean share per (d, M) with 95 % confidence intervals, M ≤ d included."""
    fig, (left, right) = plots.column_figure(2, 1, aspect=1.75)
    for c in (c for c in cells if not c.underdetermined):
        lo, hi = wilson_interval(c.fails, c.covered, CONFIDENCE)
        sel = slice(None, None, 5)  # every fifth set keeps the scatter readable
        deg, frac = np.degrees(c.alpha[sel]), c.fraction[sel]
        left.errorbar(deg, frac, yerr=[frac - lo[sel], hi[sel] - frac], fmt="o", ms=3,
                      color=_colour(c.d), alpha=0.35, elinewidth=0.6, label=None)
    grid = np.radians(np.geomspace(1e-3, 180, 400))
    left.plot(np.degrees(grid), admissible_share(grid), color="black", lw=2,
              label=r"closed form $(\pi + \alpha)/(2\pi)$")
    for d in sorted({c.d for c in cells}):
        left.plot([], [], "o", color=_colour(d), label=f"Monte Carlo, d = {d}")
    left.set(xscale="log", xlabel=r"$\alpha = \angle(W^*, \hat v)$",
             ylabel="failure share of admissible $W_0$",
             title="$M \\geq d + 1$: the lemma fails for more than half")
    left.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:g}°"))
    plots.legend_below(left, ncol=2)
    for i, c in enumerate(cells):
        s = summarize(c)
        mean, lo, hi = s.mean_fraction
        right.errorbar(i, mean, yerr=[[mean - lo], [hi - mean]], fmt="o", capsize=4,
                       color=_colour(c.d))
        right.plot(i, s.mean_closed_form, "_", color="black", ms=16)
    right.plot([], [], "_", color="black", ms=16, label="mean of the closed form")
    right.errorbar([], [], yerr=[], fmt="o", color="grey", capsize=4,
                   label="Monte Carlo mean, 95 % CI")
    right.axhline(0.5, color="0.8", lw=1)
    right.set_xticks(range(len(cells)), [f"({c.d}, {c.m})" for c in cells], rotation=45)
    right.set(xlabel="$(d, M)$", ylabel="mean failure share",
              title="Per size: $M \\leq d$ (right) never fails")
    right.legend(loc="upper center", bbox_to_anchor=(0.5, -0.25), ncol=2)  # below the
    # rotated tick labels and the x label
    return fig
