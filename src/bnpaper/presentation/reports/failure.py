"""The tables of the chapter *Where the lemma fails*, as Markdown: the failing wedge in
closed form (exact and in degrees), and the Monte Carlo shares with their intervals."""

from __future__ import annotations

from typing import Any

import sympy as sp

from bnpaper.topics.failure import FailureWedge, MonteCarloEstimate


def wedge_markdown(wedge: FailureWedge, share_all: Any, share_admissible: Any) -> str:
    """The wedge's angles (exact, and in degrees to 0.1°) and the exact shares of all and of
    admissible directions in it (exact, and to 4 decimals)."""
    rows = [(r"angle $\alpha$ of $W^*$ and $v$", wedge.alpha, True),
            ("wedge: from the bisector", wedge.start, True),
            (r"wedge: to the normal of $W^*$", wedge.end, True),
            ("wedge: opening", wedge.opening, True),
            ("share of all directions", share_all, False),
            ("share of admissible directions", share_admissible, False)]
    return "\n".join(
        ["| quantity | exact | decimal |", "| :-- | :-: | --: |"]
        + [f"| {name} | ${sp.latex(x)}$ | "
           + (f"{float(sp.deg(x)):.1f}°" if angle else f"{float(x):.4f}") + " |"
           for name, x, angle in rows])


def monte_carlo_markdown(estimates: dict[str, MonteCarloEstimate],
                         exact: dict[str, float]) -> str:
    """One row per population of draws ("all", "admissible"): failures of trials, the share
    and its Wilson interval (6 decimals), and the exact share it estimates."""
    level = {round(100 * e.level) for e in estimates.values()}
    if len(level) != 1:
        raise ValueError(f"the estimates have different confidence levels: {sorted(level)} %")
    rows = [f"| {among} | {e.failures} of {e.trials} |"
            f" {e.estimate:.6f} | [{e.low:.6f}, {e.high:.6f}] | {exact[among]:.6f} |"
            for among, e in estimates.items()]
    return "\n".join([f"| draws | failures | share | {level.pop()}% interval | exact |",
                      "| :-- | --: | --: | :-: | --: |", *rows])
