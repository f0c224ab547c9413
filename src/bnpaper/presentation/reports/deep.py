"""The text tables of the chapter *Deep and non-linear networks*: the grid of runs per
configuration (:func:`format_cells`) and BN training from W₀ = W* (:func:`format_moves`)."""

from __future__ import annotations

import numpy as np

from bnpaper.topics.deep.experiment import NOISE_BOUND, GridCell, Move


def _g(v: float) -> str:
    # two significant digits; rounding noise as a bound
    return f"<{NOISE_BOUND:.0e}" if v < NOISE_BOUND else f"{v:.2g}"


def format_cells(cs: list[GridCell]) -> str:
    """The per-configuration table, fixed formats, two significant digits; the last
    columns are C(W*) over the usable runs (median [min, max], below 1e-8 as a bound) and
    how many of them lie above the best affine fit."""
    head = (f"{'set':<10} {'n':>1} {'L':>1} {'g':<8} | {'ok':>5} {'deg':>3} | "
            f"{'raw |dC^(W*)| med [min, max]':<28} {'b-share':>7} | "
            f"{'profile med [min, max]':<28} {'>1e-6':>5} | "
            f"{'C(W*) med [min, max]':<28} {'>aff':>4}")
    lines = [head, "-" * len(head)]
    for c in cs:
        ok = f"{c.n_usable}/{c.n}"
        raw = (f"{_g(c.raw[0])} [{_g(c.raw[1])}, {_g(c.raw[2])}]" if c.raw else "-")
        share = f"{c.raw_b_share:.2f}" if c.raw_b_share is not None else "-"
        prof = (f"{_g(c.profile[0])} [{_g(c.profile[1])}, {_g(c.profile[2])}]"
                if c.profile else "-")
        loss = (f"{_g(c.c_star[0])} [{_g(c.c_star[1])}, {_g(c.c_star[2])}]"
                if c.c_star else "-")
        lines.append(f"{c.data:<10} {c.width:>1} {c.depth:>1} {c.activation:<8} | {ok:>5} "
                     f"{c.n_degenerate:>3} | {raw:<28} {share:>7} | {prof:<28} "
                     f"{c.n_profile_nonzero if c.profile else '-':>5} | {loss:<28} "
                     f"{c.n_above_affine if c.c_star else '-':>4}")
    return "\n".join(lines)


def format_moves(moves: list[Move]) -> str:
    """One line per optimizer setting: runs, stationary end points, relative move
    (median [min, max], two significant digits)."""
    lines = []
    for m in moves:
        s = m.moves[m.stationary]
        lines.append(f"{m.setting}: {int(m.stationary.sum())} of {len(m.moves)} end points "
                     f"stationary; |W^-W*|/|W*| median {np.median(s):.2g} "
                     f"[{np.min(s):.2g}, {np.max(s):.2g}]")
    return "\n".join(lines)
