"""The text outputs of the chapter *A general answer for one linear neuron*: one line per
example set (:func:`bnpaper.topics.general.example_sets`) with the fits and the verdict."""

from __future__ import annotations

from bnpaper.core.data import LearningSet
from bnpaper.core.least_squares import linear_fits
from bnpaper.core.text import fmt_exact
from bnpaper.topics.general import classify_w_star


def example_rows(sets: dict[str, LearningSet]) -> list[str]:
    """One text line per learning set: x̄, Xcᵀyc, r̄, W*, v̂, W* − v̂, M r̄ (XcᵀXc)⁻¹x̄, verdict."""
    rows = []
    for name, data in sets.items():
        f, verdict = linear_fits(data), classify_w_star(data)
        lam = "" if verdict.multiple is None else f", λ = {fmt_exact(verdict.multiple)}"
        rows.append(f"{name}: y = {fmt_exact(data.y)}\n"
                    f"  x̄ = {fmt_exact(f.x_bar)}, Xcᵀyc = {fmt_exact(f.covariance)}, "
                    f"r̄ = {fmt_exact(f.mean_residual)}\n"
                    f"  W* = {fmt_exact(f.w_star)}, v̂ = {fmt_exact(f.v_hat)}, W* − v̂ = "
                    f"{fmt_exact(f.w_star - f.v_hat)}, M r̄ (XcᵀXc)⁻¹x̄ = {fmt_exact(f.shift)}\n"
                    f"  W* is {'' if verdict.multiple is None else 'a '}{verdict.kind}{lam}")
    return rows
