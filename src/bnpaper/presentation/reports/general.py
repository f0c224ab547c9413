"""The table of the chapter *A general answer for one linear neuron* that applies the
proposition on W* and v̂ to the example sets (:func:`bnpaper.topics.general.example_sets`):
one row per set, with the fits and the verdict, as Markdown."""

from __future__ import annotations

from bnpaper.core.data import LearningSet
from bnpaper.core.least_squares import linear_fits
from bnpaper.core.text import escape_markdown, fmt_exact
from bnpaper.presentation.tables import exact_maths
from bnpaper.topics.general import classify_w_star


def example_markdown(sets: dict[str, LearningSet]) -> str:
    """One row per learning set (every header cell has text): its labels y, x̄, Xcᵀyc, r̄,
    W*, v̂, W* − v̂ and M r̄ (XcᵀXc)⁻¹x̄ (equal by the proposition), and what W* is for Ĉ
    (with λ where W* = λ v̂), exact values as maths."""
    lines = [r"| set: labels $y$ | $\bar x$ | $X_c^\top y_c$ | mean residual $\bar r$ "
             r"| $W^*$ | $\hat v$ | $W^* - \hat v$ | shift $M\bar r\,(X_c^\top X_c)^{-1}\bar x$ "
             r"| what $W^*$ is for $\hat C$ |", "|---" * 9 + "|"]
    for name, data in sets.items():
        f, verdict = linear_fits(data), classify_w_star(data)
        kind = verdict.kind if verdict.multiple is None else (
            f"a {verdict.kind}, λ = {fmt_exact(verdict.multiple)}")
        cells = [exact_maths(tuple(v)) for v in (f.x_bar, f.covariance)]
        cells.append(exact_maths(f.mean_residual))
        cells += [exact_maths(tuple(v)) for v in (f.w_star, f.v_hat, f.w_star - f.v_hat,
                                                  f.shift)]
        lines.append(f"| {escape_markdown(name)}: {exact_maths(tuple(data.y))} | "
                     + " | ".join(cells)
                     + f" | {escape_markdown(kind)} |")
    return "\n".join(lines)
