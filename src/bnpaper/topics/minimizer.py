"""An independent numerical minimizer of Ĉ (chapter *A general answer for one linear neuron*).

It minimizes :func:`bnpaper.core.model.bn_loss` with JAX autodiff gradients and Hessians and
a line search, and knows nothing of the closed forms of :mod:`bnpaper.core.bn_closed_form`;
comparing its end points with the ray t·v̂ is the numerical check of the chapter's
proposition (the table: :func:`bnpaper.presentation.reports.minimizer.agreement_table`).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

import numpy as np

from bnpaper.core import model
from bnpaper.core.autodiff import jax_x64
from bnpaper.core.data import LearningSet
from bnpaper.core.geometry import angle
from bnpaper.core.least_squares import bn_minima, learning_arrays, slopes

LADDER = 2.0 ** -np.arange(50)
"""Trial step lengths of the line search (radians on the unit sphere, halving)."""
ARMIJO = 1e-4
"""Sufficient-decrease constant of the line search."""


@cache
def _newton_runs(steps: int) -> Any:
    """A jit-compiled map (W, X, Y) ↦ (end points, Ĉ, ‖∇Ĉ‖), vectorized over learning sets.

    Each run minimizes :func:`bnpaper.core.model.bn_loss` (JAX autodiff gradient and Hessian, no
    closed form) on the unit sphere, which loses nothing since Ĉ(cw) = Ĉ(w): per step it
    tries a Newton step (tangent Hessian shifted to be positive definite) and −∇Ĉ, with
    backtracking, and keeps the lowest loss that passes the Armijo test.
    """
    jax = jax_x64()
    jnp = jax.numpy
    ladder = jnp.asarray(LADDER)

    def loss(w: Any, x: Any, y: Any) -> Any:
        return model.bn_loss(w, LearningSet(x, y))

    grad = jax.vmap(jax.grad(loss), in_axes=(0, None, None))
    hess = jax.vmap(jax.hessian(loss), in_axes=(0, None, None))

    def step(w: Any, x: Any, y: Any) -> Any:  # w: (n, d) unit vectors
        n, d = w.shape
        g, ww = grad(w, x, y), w[:, :, None] * w[:, None, :]
        proj = jnp.eye(d) - ww
        a = proj @ hess(w, x, y) @ proj + ww
        lam = jnp.linalg.eigvalsh(a)
        shift = jnp.maximum(0.0, 1e-6 * jnp.abs(lam).max(-1) - lam[:, 0])
        newton = -jnp.linalg.solve(a + shift[:, None, None] * jnp.eye(d), g[..., None])[..., 0]
        dirs = jnp.stack([newton, -g], axis=1)
        dirs = dirs / jnp.maximum(1.0, jnp.linalg.norm(dirs, axis=-1, keepdims=True))
        slope = jnp.sum(dirs * g[:, None, :], axis=-1)
        cand = w[:, None, None, :] + ladder[:, None] * dirs[:, :, None, :]
        cand = cand / jnp.linalg.norm(cand, axis=-1, keepdims=True)
        f = loss(cand, x, y)
        ok = f <= loss(w, x, y)[:, None, None] + ARMIJO * ladder * slope[:, :, None]
        f = jnp.where(ok, f, jnp.inf).reshape(n, -1)
        best = cand.reshape(n, -1, d)[jnp.arange(n), jnp.argmin(f, axis=1)]
        return jnp.where(jnp.isfinite(f.min(axis=1))[:, None], best, w)

    def run(w: Any, x: Any, y: Any) -> tuple[Any, Any, Any]:
        w = jax.lax.fori_loop(0, steps, lambda _, v: step(v, x, y), w)
        return w, loss(w, x, y), jnp.linalg.norm(grad(w, x, y), axis=-1)

    return jax.jit(jax.vmap(run))


@dataclass(frozen=True)
class NumericalMinima:
    """End points of numerical minimization of Ĉ, one row per (set, start)."""

    w: np.ndarray
    """End points on the unit sphere, shape (S, n, d)."""
    loss: np.ndarray
    """Ĉ at the end points (model.bn_loss under JAX), shape (S, n)."""
    grad_norm: np.ndarray
    """‖∇Ĉ‖ at the end points (JAX autodiff), shape (S, n)."""


def minimize_bn_loss(x: Any, y: Any, starts: Any, steps: int = 60) -> NumericalMinima:
    """Minimize Ĉ = model.bn_loss numerically from each start, for S learning sets at once.

    x: (S, M, d), y: (S, M), starts: (S, n, d) nonzero. Independent of the closed forms of
    this module: only the model, JAX autodiff and a line search.
    """
    xs, ys = learning_arrays(x, y)
    for a, b in zip(xs, ys, strict=True):
        LearningSet(a, b)  # checks shapes and finiteness, which JAX cannot do while tracing
    w0 = np.asarray(starts, dtype=float)
    if w0.ndim != 3 or w0.shape[0] != xs.shape[0] or w0.shape[2] != xs.shape[2]:
        raise ValueError(f"starts has shape {w0.shape}; expected (S, n, d) = "
                         f"({xs.shape[0]}, n, {xs.shape[2]})")
    norms = np.linalg.norm(w0, axis=-1, keepdims=True)
    if np.any(norms == 0):
        raise ValueError("a start is w = 0, where σ(w) = 0 and Ĉ is undefined")
    jax_x64()  # float64 before any array exists
    w, loss, grad_norm = (np.asarray(a) for a in _newton_runs(int(steps))(w0 / norms, xs, ys))
    return NumericalMinima(w, loss, grad_norm)


@dataclass(frozen=True)
class MinimaAgreement:
    """How closely numerical minima of Ĉ match the closed form, over S sets × n starts."""

    runs: int
    max_angle_deg: float
    """Largest ∠(end point, v̂) in degrees."""
    max_loss_gap: float
    """Largest Ĉ(end point) − min Ĉ (closed form), relative to min Ĉ."""
    max_grad: float
    """Largest ‖∇Ĉ‖ at an end point (autodiff)."""

    def verdicts(self) -> tuple[bool, bool, bool]:
        """(angle < ANGLE_TOL_DEG, relative gap < LOSS_GAP_TOL, ‖∇Ĉ‖ < GRAD_TOL)."""
        return (self.max_angle_deg < ANGLE_TOL_DEG, self.max_loss_gap < LOSS_GAP_TOL,
                self.max_grad < GRAD_TOL)


ANGLE_TOL_DEG = 1e-4
"""Largest ∠(end point, v̂) accepted, in degrees."""
LOSS_GAP_TOL = 1e-12
"""Largest relative gap Ĉ(end point) − min Ĉ accepted: float64 rounding of the losses."""
GRAD_TOL = 1e-4
"""Largest ‖∇Ĉ‖ accepted at an end point."""


def minima_agreement(x: Any, y: Any, starts: Any, steps: int = 60) -> MinimaAgreement:
    """Minimize Ĉ numerically (:func:`minimize_bn_loss`) and compare with v̂ and min Ĉ."""
    found = minimize_bn_loss(x, y, starts, steps)
    xs, ys = learning_arrays(x, y)
    _, v_hat = slopes(xs, ys)
    best = np.array([bn_minima(LearningSet(a, b)).value for a, b in zip(xs, ys, strict=True)])
    return MinimaAgreement(int(found.loss.size),
                           float(np.degrees(angle(found.w, v_hat[:, None, :])).max()),
                           float(np.max((found.loss - best[:, None]) / np.abs(best[:, None]))),
                           float(found.grad_norm.max()))
