"""The tables of the chapter *Deep and non-linear networks*, as Markdown: the grid of runs
per configuration (:func:`format_cells`) and BN training from W₀ = W* (:func:`format_moves`)."""

from __future__ import annotations

import numpy as np

from bnpaper.core.text import escape_markdown
from bnpaper.topics.deep.experiment import NOISE_BOUND, GridCell, Move


def _g(v: float) -> str:
    # two significant digits; rounding noise as a bound
    return f"<{NOISE_BOUND:.0e}" if v < NOISE_BOUND else f"{v:.2g}"


def _range(stats: tuple[float, float, float] | None) -> str:
    """median [min, max], two significant digits; ``–`` without usable runs."""
    return "–" if not stats else f"{_g(stats[0])} [{_g(stats[1])}, {_g(stats[2])}]"


def format_cells(cs: list[GridCell]) -> str:
    """The per-configuration table as Markdown (every header cell has text), fixed formats,
    two significant digits: usable runs (and degenerate ones), the raw gradient and its
    share from b, the profile gradient and how many runs exceed 1e-6, C(W*) over the usable
    runs (median [min, max], below 1e-8 as a bound) and how many lie above the best affine
    fit."""
    lines = [r"| set, width $n$, depth $L$ | activation $g$ | usable (degenerate) "
             r"| raw $\lVert\nabla\hat C(W^*)\rVert$: median [min, max] | share of $b$ "
             r"| profile $\lVert\nabla\hat P(\theta^*)\rVert$: median [min, max] "
             r"| profile above $10^{-6}$ | $C(W^*)$: median [min, max] | above affine |",
             "|---|---|---|---|---|---|---|---|---|"]
    for c in cs:
        share = f"{c.raw_b_share:.2f}" if c.raw_b_share is not None else "–"
        lines.append(
            f"| {c.data}, {c.width}, {c.depth} | {c.activation} | {c.n_usable}/{c.n} "
            f"({c.n_degenerate}) | {_range(c.raw)} | {share} | {_range(c.profile)} | "
            f"{c.n_profile_nonzero if c.profile else '–'} | {_range(c.c_star)} | "
            f"{c.n_above_affine if c.c_star else '–'} |")
    return "\n".join(lines)


def format_moves(moves: list[Move]) -> str:
    """A Markdown table, one row per optimizer setting: the end points that are stationary,
    and the relative move ‖Ŵ − W*‖/‖W*‖ over them (median [min, max], two significant
    digits)."""
    lines = [r"| BN training from $W_0 = W^*$ | stationary end points "
             r"| $\lVert\hat W - W^*\rVert / \lVert W^*\rVert$: median [min, max] |",
             "|---|---|---|"]
    for m in moves:
        s = m.moves[m.stationary]
        lines.append(f"| {escape_markdown(m.setting)} | {int(m.stationary.sum())} of "
                     f"{len(m.moves)} | {np.median(s):.2g} [{np.min(s):.2g}, "
                     f"{np.max(s):.2g}] |")
    return "\n".join(lines)
