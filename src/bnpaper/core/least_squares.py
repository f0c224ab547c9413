"""The two least-squares fits of a learning set, and the minima of the BN loss Ĉ of one linear
neuron, in every case (chapters *The counterexample*, *A general answer for one linear
neuron* and the topics after it).

Notation (γ = 1, β = 0, the batch is the whole set): inputs X of shape (M, d), labels y of
shape (M,), means x̄ = Xᵀ1/M and ȳ, centred data Xc = X − 1x̄ᵀ and yc = y − ȳ1. W* minimizes
the standard loss C (the slope *without* intercept); v̂ = (XcᵀXc)⁻¹Xcᵀyc (the slope *with*
one) spans the minima of Ĉ. Exact (sympy) on exact data, float64 on numeric data.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import sympy as sp

from bnpaper.core import exact, model
from bnpaper.core.data import LearningSet
from bnpaper.core.namespace import to_exact


def _is_exact(a: Any) -> bool:
    return isinstance(a, np.ndarray) and a.dtype == object


def _t(a: np.ndarray) -> np.ndarray:
    return np.swapaxes(a, -1, -2)


def _solve(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """a⁻¹b for a: (..., d, d), b: (..., d); exact (sympy) for object arrays."""
    if _is_exact(a):
        sol = sp.Matrix(a.tolist()).LUsolve(sp.Matrix(list(b)))
        return np.array([sp.nsimplify(s) for s in sol], dtype=object)
    return np.linalg.solve(a, b[..., None])[..., 0]


def _rank(a: np.ndarray) -> np.ndarray | int:
    """The rank of a (..., M, d) matrix (exact for object arrays)."""
    return sp.Matrix(a.tolist()).rank() if _is_exact(a) else np.linalg.matrix_rank(a)


def learning_arrays(x: Any, y: Any) -> tuple[np.ndarray, np.ndarray]:
    """x: (..., M, d), y: (..., M) as float64 (or kept exact), with shapes checked."""
    xs, ys = np.asarray(x), np.asarray(y)
    if not (_is_exact(xs) or _is_exact(ys)):
        xs, ys = xs.astype(float), ys.astype(float)
    if xs.ndim < 2 or ys.shape != xs.shape[:-1]:
        raise ValueError(f"x has shape {xs.shape} and y has shape {ys.shape}; expected "
                         "(..., M, d) and (..., M): one label per sample")
    if xs.shape[-2] < 2:
        raise ValueError(f"M = {xs.shape[-2]}; batch normalization needs M >= 2 samples")
    return xs, ys


def centered(x: Any, y: Any) -> tuple[np.ndarray, np.ndarray]:
    """(Xc, yc) = (X − 1x̄ᵀ, y − ȳ1), over the sample axis. x: (..., M, d), y: (..., M)."""
    xs, ys = learning_arrays(x, y)
    m = xs.shape[-2]
    return xs - xs.sum(axis=-2, keepdims=True) / m, ys - ys.sum(axis=-1, keepdims=True) / m


def _check_full_rank(a: np.ndarray, name: str, meaning: str) -> None:
    rank = np.atleast_1d(_rank(a))
    d = a.shape[-1]
    if np.any(rank < d):
        i = int(np.argmax(rank < d))
        where = f" (set {i})" if a.ndim > 2 else ""
        raise ValueError(f"{name} has rank {int(rank[i])} < d = {d}{where}; {meaning}")


def slopes(x: Any, y: Any) -> tuple[np.ndarray, np.ndarray]:
    """(W*, v̂): least-squares slopes without and with an intercept. Shapes (..., d).

    W* = (XᵀX)⁻¹Xᵀy minimizes C; v̂ = (XcᵀXc)⁻¹Xcᵀyc (the OLS slope with intercept) spans
    the BN minima. Stacked over leading axes on float data; exact on object arrays.
    Raises ValueError when X or Xc is rank-deficient (M ≤ d, a constant input, ...).
    """
    xs, ys = learning_arrays(x, y)
    xc, yc = centered(xs, ys)
    _check_full_rank(xs, "X", "W* is not unique")
    _check_full_rank(xc, "Xc", "the BN minima are not a ray (use bn_minima); this needs "
                     "M ≥ d + 1 and no input that is constant over the batch")
    w_star = _solve(_t(xs) @ xs, (_t(xs) @ ys[..., None])[..., 0])
    v_hat = _solve(_t(xc) @ xc, (_t(xc) @ yc[..., None])[..., 0])
    return w_star, v_hat


@dataclass(frozen=True)
class LinearFits:
    """The two least-squares fits of one learning set, and the quantities relating them."""

    w_star: np.ndarray
    """W* = (XᵀX)⁻¹Xᵀy, the slope without intercept (the optimum of C)."""
    v_hat: np.ndarray
    """v̂ = (XcᵀXc)⁻¹Xcᵀyc, the slope with intercept (direction of the BN minima)."""
    intercept: Any
    """b̂ = ȳ − ⟨x̄, v̂⟩, the intercept of the fit with intercept."""
    mean_residual: Any
    """r̄ = ȳ − ⟨x̄, W*⟩, the mean residual of the fit without intercept."""
    x_bar: np.ndarray
    """x̄, the mean input."""
    covariance: np.ndarray
    """Xcᵀyc (M times the input–label covariances)."""
    shift: np.ndarray
    """M r̄ (XcᵀXc)⁻¹x̄, which equals W* − v̂ (the proposition)."""


def linear_fits(data: LearningSet) -> LinearFits:
    """Both fits of ``data`` (exact for exact data), with the relation's ingredients."""
    x, y = np.asarray(data.x), np.asarray(data.y)
    w_star, v_hat = slopes(x, y)
    xc, yc = data.centered()
    x_bar, y_bar = x.sum(axis=0) / data.M, y.sum() / data.M
    r_bar = y_bar - np.dot(x_bar, w_star)
    return LinearFits(w_star, v_hat, y_bar - np.dot(x_bar, v_hat), r_bar, x_bar, yc @ xc,
                      data.M * r_bar * _solve(xc.T @ xc, x_bar))


@dataclass(frozen=True)
class BNMinima:
    """The set of minima of Ĉ on {σ(w) > 0}, for any learning set.

    ``kind`` is "ray" (t·v̂, t > 0), "ray plus null space" ({t·v̂ + n : t > 0, Xc n = 0}),
    "half-space" (rank Xc = 1: Ĉ takes two values) or "constant" (Xcᵀyc = 0: Ĉ is constant).
    """

    kind: str
    direction: np.ndarray
    """v̂ = Xc⁺yc, the minimum-norm least-squares slope with intercept (shape (d,))."""
    null_space: np.ndarray
    """A basis of ker Xc, where σ(w) = 0 (shape (k, d))."""
    rank: int
    """rank Xc."""
    value: Any
    """min Ĉ = ‖y‖² + M − 2√M‖P yc‖."""


def bn_minima(data: LearningSet) -> BNMinima:
    """The minima of Ĉ, exact on exact data; raises if Xc = 0 (σ(w) = 0 for every w)."""
    xc, yc = data.centered()
    y = np.asarray(data.y)
    if _is_exact(xc) or _is_exact(yc):
        xm, ym = sp.Matrix(to_exact(xc).tolist()), sp.Matrix(list(to_exact(yc)))
        direction = np.array(list(xm.pinv() * ym), dtype=object)
        null = np.array([list(n) for n in xm.nullspace()], dtype=object).reshape(-1, data.d)
        rank, cov_zero = xm.rank(), all(c == 0 for c in xm.T * ym)
        proj_sq = sp.nsimplify(sp.expand((ym.T * xm * sp.Matrix(list(direction)))[0]))
        value = sp.radsimp(np.sum(to_exact(y) ** 2) + data.M - 2 * sp.sqrt(data.M * proj_sq))
    else:
        direction = np.linalg.lstsq(xc, yc, rcond=None)[0]
        _, s, vt = np.linalg.svd(xc)
        rank = int(np.sum(s > s[0] * max(xc.shape) * np.finfo(float).eps)) if s[0] > 0 else 0
        null = vt[rank:]
        cov = yc @ xc
        cov_zero = bool(np.linalg.norm(cov) <= 1e-12 * np.linalg.norm(xc) * np.linalg.norm(yc))
        value = float(y @ y + data.M - 2 * np.sqrt(data.M * max(yc @ xc @ direction, 0.0)))
    if rank == 0:
        raise ValueError("Xc = 0: every input is the same, so σ(w) = 0 for every w and Ĉ is "
                         "undefined everywhere")
    if cov_zero:
        kind = "constant"
    elif rank == 1:
        kind = "half-space"
    else:
        kind = "ray" if rank == data.d else "ray plus null space"
    return BNMinima(kind, direction, null, int(rank), value)


def standard_optimum(data: LearningSet) -> tuple[sp.Expr, ...]:
    """W*, the unique solution of ∇C(w) = 0 (C is a convex quadratic), solved exactly from
    :func:`bnpaper.core.model.standard_loss`. Raises ValueError when it is not unique (X not
    of full column rank, e.g. M ≤ d): then use :func:`least_norm_standard_optimum`."""
    symbols = list(exact.weight_symbols(data.d))
    sol = sp.solve(exact.gradient(exact.loss_expr(model.standard_loss, data), data.d), symbols,
                   dict=True)
    if len(sol) != 1 or len(sol[0]) != data.d:
        raise ValueError(f"∇C(w) = 0 has no unique solution: {sol}")
    return tuple(sol[0][s] for s in symbols)


def sympy_matrix(a: Any) -> sp.Matrix:
    """An exact vector (shape (n,)) or matrix (shape (n, k)) as a sympy Matrix."""
    a = np.asarray(a, dtype=object)
    return sp.Matrix(a.tolist()) if a.ndim == 2 else sp.Matrix(list(a))


def least_norm_standard_optimum(data: LearningSet) -> np.ndarray:
    """W* = X⁺y, the minimizer of C of least norm (the only one if X has full column rank).

    Exact (sympy). When X has rank M ≤ d every w with Xw = y minimizes C: X⁺y is the one
    of least norm, and W* + n (Xn = 0) are the others.
    """
    x, y = sympy_matrix(to_exact(data.x)), sympy_matrix(to_exact(data.y))
    return np.array([sp.nsimplify(c) for c in x.pinv() * y], dtype=object)
