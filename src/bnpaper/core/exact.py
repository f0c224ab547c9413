"""Exact calculus with sympy: weight symbols, losses as expressions, gradients, Hessians.

The expressions come from the *same* functions as the numerics (:mod:`bnpaper.core.model`),
evaluated on object arrays of sympy numbers. Used by the chapters *Definitions*, *The
counterexample* and *Where the original proof fails*.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import sympy as sp

from bnpaper.core.data import LearningSet


def weight_symbols(d: int = 2) -> np.ndarray:
    """The real symbols w₁, …, w_d as an object array of shape (d,)."""
    if isinstance(d, bool) or not isinstance(d, (int, np.integer)):
        raise TypeError(f"d has type {type(d).__name__}; expected a positive int")
    if d < 1:
        raise ValueError(f"d = {d}; expected d >= 1 weights")
    return np.array(sp.symbols(f"w1:{d + 1}", real=True), dtype=object)


def loss_expr(loss: Callable[..., Any], data: LearningSet, **kwargs: Any) -> sp.Expr:
    """``loss`` (e.g. :func:`bnpaper.core.model.bn_loss`) as a sympy expression in w₁, …, w_d."""
    return sp.sympify(loss(weight_symbols(data.d), data.exact(), **kwargs))


def gradient(expr: sp.Expr, d: int = 2) -> list[sp.Expr]:
    """∇ expr with respect to w₁, …, w_d."""
    return [sp.diff(expr, s) for s in weight_symbols(d)]


def at(expr: Any, point: Sequence[Any]) -> Any:
    """``expr`` (or a list of them) at w = ``point``, simplified to a canonical radical form.

    Raises ValueError for a non-finite coordinate of ``point``.
    """
    values = [sp.nsimplify(p) for p in point]
    if any(v.has(sp.nan, sp.zoo, sp.oo, -sp.oo) for v in values):
        raise ValueError(f"point = {tuple(point)} has a non-finite coordinate")
    subs = dict(zip(weight_symbols(len(point)), values, strict=True))
    if isinstance(expr, (list, tuple)):
        return [at(e, point) for e in expr]
    return sp.radsimp(sp.simplify(sp.sympify(expr).subs(subs)))


def hessian(expr: sp.Expr, d: int = 2) -> sp.Matrix:
    """The Hessian matrix of ``expr`` in w₁, …, w_d."""
    return sp.hessian(expr, list(weight_symbols(d)))


def polynomial_part(expr: sp.Expr, d: int = 2) -> sp.Expr:
    """The product of the non-constant polynomial factors of the numerator of ``expr``, up to
    a constant factor (its zero set is what counts).

    For a derivative of Ĉ the other factors are powers of σ(w) > 0, which never vanish.
    (Putting ``expr`` over one denominator and factoring suffices; ``simplify`` first gave
    the same product up to a constant, four times slower.)
    """
    symbols = list(weight_symbols(d))
    factors = sp.Mul.make_args(sp.factor(sp.numer(sp.together(expr))))
    return sp.Mul(*(f for f in factors if f.free_symbols and f.is_polynomial(*symbols)))


def to_floats(values: Sequence[Any]) -> tuple[float, ...]:
    """Exact values as Python floats (glue wants ``float``, not numpy or sympy scalars)."""
    return tuple(float(sp.N(v, 30)) for v in values)


def rescaling_defect(expr: sp.Expr, d: int = 2) -> sp.Expr:
    """expr(c·w) − expr(w) for a symbol c > 0, simplified: 0 iff expr is scale invariant."""
    c = sp.Symbol("c", positive=True)
    w = weight_symbols(d)
    return sp.simplify(expr.subs({s: c * s for s in w}) - expr)  # c·w_i has no other w_j


def euler_defect(expr: sp.Expr, d: int = 2) -> sp.Expr:
    """⟨∇expr(w), w⟩, simplified: 0 for a function that is invariant to rescaling w."""
    return sp.simplify(sp.Matrix(gradient(expr, d)).dot(sp.Matrix(weight_symbols(d))))


def is_stationary(expr: sp.Expr, point: Sequence[Any]) -> bool:
    """Whether ∇expr vanishes exactly at ``point`` (the first-order condition for an optimum)."""
    return all(g == 0 for g in at(gradient(expr, len(point)), point))


def stationary_lines(expr: sp.Expr) -> list[tuple[sp.Expr, sp.Expr]]:
    """The lines a·w₁ + b·w₂ = 0 on which ∇expr vanishes, for a scale-invariant expr in d = 2.

    ∇expr = 0 iff both partial derivatives vanish; the polynomial parts of their numerators
    have a greatest common divisor whose linear factors are the lines. Returns the (a, b).
    """
    common = sp.gcd(*(polynomial_part(g) for g in gradient(expr)))
    w1, w2 = weight_symbols(2)
    lines = []
    for factor, _ in sp.factor_list(common)[1]:
        poly = sp.Poly(factor, w1, w2)
        if poly.total_degree() != 1:
            raise ValueError(f"unexpected non-linear stationary set {factor} = 0")
        lines.append((poly.coeff_monomial(w1), poly.coeff_monomial(w2)))
    return lines


def curvature_across(expr: sp.Expr, v: Sequence[Any]) -> sp.Expr:
    """tᵀ H(v) t with t = (−v₂, v₁): the second derivative of expr across the ray through v.

    Along the ray a scale-invariant expr is constant, so its sign says minimum or maximum;
    raises ValueError where it is 0 (degenerate, undecided at second order).
    """
    tangent = sp.Matrix([-v[1], v[0]])
    curvature = at((tangent.T * hessian(expr) * tangent)[0], v)
    if curvature == 0:
        raise ValueError(f"degenerate stationary ray {tuple(v)}: zero curvature across it")
    return curvature
