"""The tables of the chapter *A general answer for one linear neuron*, as Markdown: the
proposition on W* and v̂ applied to the example sets
(:func:`bnpaper.topics.general.example_sets`), one row per set with the fits and the
verdict; and the neuron with a bias, one row per set."""

from __future__ import annotations

from typing import Any

import sympy as sp

from bnpaper.core.data import LearningSet
from bnpaper.core.least_squares import BNMinima, LinearFits, linear_fits
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


def bias_markdown(sets: dict[str, LearningSet],
                  results: dict[str, tuple[Any, LinearFits, BNMinima, Any]]) -> str:
    """One row per learning set with a bias input (its last column, constantly 1): W*, the
    fit with intercept (v̂, b̂) of the inputs without it, the residual y − X̃W*, the minima
    of Ĉ and ∇Ĉ(W*), exact values as maths. ``results[name]`` is (W*, the fits, the BN
    minima, ∇Ĉ(W*)) for ``sets[name]``."""
    lines = [r"| set | $W^*$ | $(\hat v, \hat b)$ | residual $y - \tilde X W^*$ "
             r"| minima of $\hat C$ | $\nabla\hat C(W^*)$ |", "|---" * 6 + "|"]
    for name, (w, fits, minima, grad) in results.items():
        data = sets[name]
        residual = tuple(sp.nsimplify(r) for r in data.y - data.x @ w)
        null = list(minima.null_space)
        coefficients = ["t", *(["s"] if len(null) == 1 else [f"s_{k + 1}" for k in
                                                               range(len(null))])]
        spans = " + ".join(f"{c}\\,{exact_maths(tuple(v)).strip('$')}"
                           for c, v in zip(coefficients, [minima.direction, *null], strict=True))
        lines.append(f"| {escape_markdown(name)} | {exact_maths(tuple(w))} | "
                     f"{exact_maths((*fits.v_hat, fits.intercept))} | {exact_maths(residual)} | "
                     f"{escape_markdown(minima.kind)}: ${spans}$ | {exact_maths(tuple(grad))} |")
    return "\n".join(lines)
