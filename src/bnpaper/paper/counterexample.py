"""The counterexample of Dannemann & Junike (2025), derived exactly (chapter *The counterexample*).

From the published inputs and facts (:mod:`bnpaper.paper`) this module recovers the labels,
then derives W*, ∇Ĉ(W*), the stationary lines of Ĉ and both sides of Lemma 4.5 at W₀ = W*,
all in exact arithmetic.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import numpy as np
import sympy as sp

from bnpaper.core import exact, model
from bnpaper.core.data import LearningSet
from bnpaper.core.least_squares import standard_optimum
from bnpaper.core.namespace import to_exact
from bnpaper.paper import facts, lemma


@cache
def recover_labels() -> np.ndarray:
    """The labels ȳ for which the published facts hold, solved exactly.

    Unknowns ȳ₁, …, ȳ_M. Conditions: ∇C(W*) = 0 at the published W* (d equations, linear in
    ȳ) and ∇Ĉ(v) = 0 at a point v of the published line of BN minima (linear in ȳ too; one
    equation is redundant since ⟨∇Ĉ(v), v⟩ = 0). Raises if the solution is not unique.
    """
    x = to_exact(facts.INPUTS)
    labels = sp.symbols(f"y1:{len(x) + 1}", real=True)
    data = LearningSet(x, np.array(labels, dtype=object))
    a, b = facts.BN_MINIMA_LINE
    on_line = (-b, a)  # a·w₁ + b·w₂ = 0 holds at (−b, a), which has w₁ > 0 for the paper's line
    equations = exact.at(exact.gradient(exact.loss_expr(model.standard_loss, data)), facts.W_STAR)
    equations += exact.at(exact.gradient(exact.loss_expr(model.bn_loss, data)), on_line)
    solutions = sp.solve(equations, labels, dict=True)
    if len(solutions) != 1 or len(solutions[0]) != len(labels):
        raise ValueError(f"the published facts do not determine the labels uniquely: {solutions}")
    return np.array([solutions[0][s] for s in labels], dtype=object)


@cache
def counterexample_set() -> LearningSet:
    """The paper's learning set, exact: the published inputs and the labels recovered from the
    published facts (chapter *The counterexample*). Use ``.numeric()`` for float arrays."""
    return LearningSet(to_exact(facts.INPUTS), recover_labels())


def bn_gradient_at(data: LearningSet, w: tuple) -> list[sp.Expr]:
    """∇Ĉ(w) in exact closed form (γ = 1, β = 0)."""
    return exact.at(exact.gradient(exact.loss_expr(model.bn_loss, data), data.d), w)


@dataclass(frozen=True)
class StationaryRay:
    """A ray t·v, t > 0, of stationary points of Ĉ, and what kind they are."""

    direction: tuple[sp.Expr, sp.Expr]
    kind: str  # "minimum" or "maximum"
    value: sp.Expr  # Ĉ on the ray


def bn_stationary_rays(data: LearningSet, center: bool = True) -> list[StationaryRay]:
    """All stationary points of Ĉ for d = 2, as rays, classified exactly.

    ``center=False`` studies BN without its mean subtraction (chapter *Where the original
    proof fails*).

    ∇Ĉ(w) = 0 iff both partial derivatives vanish; their numerators' polynomial parts have
    a greatest common divisor whose linear factors a·w₁ + b·w₂ are the stationary lines. Each
    line gives two rays ±(−b, a); the second derivative across the ray (along the tangent
    (−v₂, v₁), since Ĉ is constant along the ray) says minimum or maximum.
    """
    if data.d != 2:
        raise ValueError(f"bn_stationary_rays handles d = 2; the data have d = {data.d}")
    c_hat = exact.loss_expr(model.bn_loss, data, center=center)
    rays = []
    for a, b in exact.stationary_lines(c_hat):
        for sign in (1, -1):
            v = (sign * -b, sign * a)
            kind = "minimum" if exact.curvature_across(c_hat, v) > 0 else "maximum"
            rays.append(StationaryRay(v, kind, exact.at(c_hat, v)))
    return rays


def bn_minima_direction(data: LearningSet, center: bool = True) -> tuple[sp.Expr, sp.Expr]:
    """The direction v of the (unique) ray of local minima of Ĉ, for d = 2."""
    minima = [r for r in bn_stationary_rays(data, center) if r.kind == "minimum"]
    if len(minima) != 1:
        raise ValueError(f"expected one ray of BN minima, found {len(minima)}")
    return minima[0].direction


def lemma_at_optimum(data: LearningSet, w_star: tuple | None = None,
                     direction: tuple | None = None) -> lemma.LemmaCheck:
    """Both sides of Lemma 4.5 at W₀ = W*, exact, with Ŵ* closest on the ray of BN minima.

    ``w_star`` and ``direction`` (of the ray) default to those of ``data``
    (:func:`bnpaper.core.least_squares.standard_optimum`, :func:`bn_minima_direction`).
    """
    w_star = to_exact(standard_optimum(data) if w_star is None else w_star)
    v = to_exact(bn_minima_direction(data) if direction is None else direction)
    check = lemma.check_lemma(w_star, w_star, v)
    return lemma.LemmaCheck(sp.simplify(check.lhs), sp.simplify(check.rhs))


def minima_curvature(data: LearningSet) -> sp.Expr:
    """tᵀ H(v) t across the published ray of BN minima v = (−b, a) (exact, second order).

    The labels were solved from first-order conditions only (∇C(W*) = 0, ∇Ĉ(v) = 0); that the
    ray holds minima (> 0) and not maxima (< 0) is information the reconstruction did not use.
    """
    a, b = facts.BN_MINIMA_LINE
    return exact.curvature_across(exact.loss_expr(model.bn_loss, data), (-b, a))


