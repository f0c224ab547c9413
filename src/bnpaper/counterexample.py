"""The counterexample of Dannemann & Junike (2025), derived exactly (chapter 4).

From the published inputs and facts (:mod:`bnpaper.paper`) this module recovers the labels,
then derives W*, ∇Ĉ(W*), the stationary lines of Ĉ and both sides of Lemma 4.5 at W₀ = W*,
all in exact arithmetic.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import numpy as np
import sympy as sp

from . import exact, lemma, model, paper
from .data import LearningSet, counterexample_set
from .namespace import to_exact


@cache
def recover_labels() -> np.ndarray:
    """The labels ȳ for which the published facts hold, solved exactly.

    Unknowns ȳ₁, …, ȳ_M. Conditions: ∇C(W*) = 0 at the published W* (d equations, linear in
    ȳ) and ∇Ĉ(v) = 0 at a point v of the published line of BN minima (linear in ȳ too; one
    equation is redundant since ⟨∇Ĉ(v), v⟩ = 0). Raises if the solution is not unique.
    """
    x = to_exact(paper.INPUTS)
    labels = sp.symbols(f"y1:{len(x) + 1}", real=True)
    data = LearningSet(x, np.array(labels, dtype=object))
    a, b = paper.BN_MINIMA_LINE
    on_line = (-b, a)  # a·w₁ + b·w₂ = 0 holds at (−b, a), which has w₁ > 0 for the paper's line
    equations = exact.at(exact.gradient(exact.loss_expr(model.standard_loss, data)), paper.W_STAR)
    equations += exact.at(exact.gradient(exact.loss_expr(model.bn_loss, data)), on_line)
    solutions = sp.solve(equations, labels, dict=True)
    if len(solutions) != 1 or len(solutions[0]) != len(labels):
        raise ValueError(f"the published facts do not determine the labels uniquely: {solutions}")
    return np.array([solutions[0][s] for s in labels], dtype=object)


def standard_optimum(data: LearningSet) -> tuple[sp.Expr, ...]:
    """W*, the unique solution of ∇C(w) = 0 (C is a convex quadratic)."""
    symbols = list(exact.weight_symbols(data.d))
    sol = sp.solve(exact.gradient(exact.loss_expr(model.standard_loss, data), data.d), symbols,
                   dict=True)
    if len(sol) != 1 or len(sol[0]) != data.d:
        raise ValueError(f"∇C(w) = 0 has no unique solution: {sol}")
    return tuple(sol[0][s] for s in symbols)


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

    ``center=False`` studies BN without its mean subtraction (chapter 5).

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


def lemma_at_optimum(data: LearningSet) -> lemma.LemmaCheck:
    """Both sides of Lemma 4.5 at W₀ = W*, exact, with Ŵ* closest on the ray of BN minima."""
    w_star = standard_optimum(data)
    w0 = to_exact(w_star)
    check = lemma.check_lemma(w0, to_exact(w_star), to_exact(bn_minima_direction(data)))
    return lemma.LemmaCheck(sp.simplify(check.lhs), sp.simplify(check.rhs))


def minima_curvature(data: LearningSet) -> sp.Expr:
    """tᵀ H(v) t across the published ray of BN minima v = (−b, a) (exact, second order).

    The labels were solved from first-order conditions only (∇C(W*) = 0, ∇Ĉ(v) = 0); that the
    ray holds minima (> 0) and not maxima (< 0) is information the reconstruction did not use.
    """
    a, b = paper.BN_MINIMA_LINE
    return exact.curvature_across(exact.loss_expr(model.bn_loss, data), (-b, a))


def claims() -> list:
    """The paper's four statements about the counterexample, re-derived exactly, and what
    confirms the reconstructed labels independently (``book-recon-1``; ``paper-2`` is the other).

    ``paper-1`` and ``paper-3`` are the facts the labels were solved from (evidence
    BUILT_FROM): they hold by construction and confirm nothing.
    """
    from .claims import Claim, Evidence

    data = counterexample_set()
    w_star = standard_optimum(data)
    grad = exact.to_floats(bn_gradient_at(data, w_star))
    rounded = tuple(round(g, paper.GRADIENT_DECIMALS) for g in grad)
    v = bn_minima_direction(data)
    a, b = paper.BN_MINIMA_LINE
    curvature = minima_curvature(data)
    check = lemma_at_optimum(data)
    return [
        Claim("paper-1", "W* = (1, 3) is the optimum of the standard loss C", "paper, Example 3.2",
              str(paper.W_STAR), str(tuple(w_star)), "exact: solve ∇C(w) = 0 (sympy)",
              tuple(w_star) == paper.W_STAR, Evidence.BUILT_FROM),
        Claim("paper-2", "∇Ĉ(W*) ≠ 0, so W* is not a local optimum of Ĉ", "paper, Example 3.2",
              str(paper.GRADIENT_AT_W_STAR), f"({grad[0]:.6f}, {grad[1]:.6f})",
              "exact gradient (sympy), rounded to the printed digits: the labels were not "
              "solved from them",
              rounded == paper.GRADIENT_AT_W_STAR and any(g != 0 for g in grad),
              Evidence.DERIVED),
        Claim("paper-3", "the local minima of Ĉ are the line 3w₁ = 5w₂, w₁ > 0",
              "paper, Example 3.2", "3w₁ = 5w₂", f"ray t·{tuple(v)}, t > 0",
              "exact stationary set and curvature (sympy)",
              a * v[0] + b * v[1] == 0 and v[0] > 0, Evidence.BUILT_FROM),
        Claim("book-recon-1", "the ray 3w₁ = 5w₂, w₁ > 0 holds minima of Ĉ, not maxima (second "
              "order; the labels were solved from first-order conditions only)",
              "book, The counterexample", "—",
              f"curvature across the ray = {curvature}",
              "exact Hessian across the ray (sympy)", bool(curvature > 0), Evidence.DERIVED),
        Claim("paper-4", "Lemma 4.5 fails at W₀ = W*: ‖W₀ − Ŵ*‖² > 0 = rhs", "paper, Example 3.2",
              "lhs > 0 = rhs", f"lhs = {check.lhs}, rhs = {check.rhs}",
              "exact distance to the ray of BN minima (sympy)",
              bool(check.lhs > 0) and check.rhs == 0, Evidence.DERIVED),
    ]
