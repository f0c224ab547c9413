"""Learned γ and β: the BN neuron with a trainable affine output (chapter *Learned γ and β*),
computation only.

The loss is the paper's Ĉ with γ and β free,

    Ĉ(w, γ, β) = Σₘ (γ (z_m − μ(w))/σ(w) + β − ȳ⁽ᵐ⁾)²,   z_m = ⟨w, x̄⁽ᵐ⁾⟩,

always evaluated by :func:`bnpaper.core.model.bn_loss` (γ and β may be numbers, arrays, sympy
symbols or JAX tracers). This module derives the best γ and β for a given w, the *profile
loss* min over (γ, β), its stationary lines, the gradient in w at W*, and trains
(w, γ, β) by gradient descent with JAX.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any

import numpy as np
import sympy as sp

from bnpaper.core import exact, model
from bnpaper.core.autodiff import jax_x64
from bnpaper.core.data import LearningSet
from bnpaper.core.namespace import convert, namespace_of, to_exact

GAMMA, BETA = sp.symbols("gamma beta", real=True)
"""The symbols γ and β of the exact derivations."""


# --------------------------------------------------------------------------- best γ, β


def optimal_gamma_beta(w: Any, data: LearningSet) -> tuple[Any, Any]:
    """(γ*(w), β*(w)) minimizing Ĉ(w, γ, β) for fixed w: γ* = ⟨ẑ, ȳ⟩/M, β* = mean(ȳ).

    ẑ = (z − μ)/σ is the normalized output (γ = 1, β = 0). Because Σₘ ẑ_m = 0 and
    Σₘ ẑ_m² = M, the normal equations of the least-squares fit ȳ ≈ γ ẑ + β decouple.
    w: (..., d) → γ* of shape (...); β* is a scalar. Generic over numpy, sympy and JAX.
    """
    xp = namespace_of(w)
    y = convert(data.y, xp)
    z_hat = model.bn_output(w, data)
    gamma = xp.sum(z_hat * y, axis=-1) / data.M
    beta = xp.sum(y, axis=-1) / data.M
    return _scalar(gamma), _scalar(beta)


def _scalar(v: Any) -> Any:
    # np.sum over a 1-d object array gives a bare sympy expression or a 0-d object array
    return v.item() if isinstance(v, np.ndarray) and v.dtype == object and v.ndim == 0 else v


def _batch_axis(v: Any) -> Any:
    """A per-w value of shape (...) as shape (..., 1), to broadcast over the batch axis."""
    return v[..., None] if getattr(v, "ndim", 0) else v


def profile_loss(w: Any, data: LearningSet) -> Any:
    """min over (γ, β) of Ĉ(w, γ, β) = Ĉ(w, γ*(w), β*(w)). w: (..., d) → (...)."""
    gamma, beta = optimal_gamma_beta(w, data)
    return model.bn_loss(w, data, gamma=_batch_axis(gamma), beta=beta)


def solve_gamma_beta(data: LearningSet) -> tuple[sp.Expr, sp.Expr]:
    """The exact solution (γ, β) of ∂Ĉ/∂γ = ∂Ĉ/∂β = 0, as expressions in w₁, …, w_d.

    Derived from :func:`bnpaper.core.model.bn_loss` with symbolic γ and β (the loss is a convex
    quadratic in (γ, β), so this stationary point is its minimum). Raises if not unique.
    """
    loss = exact.loss_expr(model.bn_loss, data, gamma=GAMMA, beta=BETA)
    sol = sp.solve([sp.diff(loss, GAMMA), sp.diff(loss, BETA)], [GAMMA, BETA], dict=True)
    if len(sol) != 1 or set(sol[0]) != {GAMMA, BETA}:
        raise ValueError(f"∂Ĉ/∂γ = ∂Ĉ/∂β = 0 has no unique solution: {sol}")
    return sp.simplify(sol[0][GAMMA]), sp.simplify(sol[0][BETA])


def _key(data: LearningSet) -> tuple[tuple, tuple]:
    """A hashable, exact copy of the learning set (LearningSet holds unhashable arrays)."""
    ex = data.exact()
    return tuple(map(tuple, ex.x.tolist())), tuple(ex.y.tolist())


def profile_expr(data: LearningSet) -> sp.Expr:
    """The exact profile loss min_(γ,β) Ĉ(w, γ, β) in w₁, …, w_d, factored."""
    return _profile_expr(*_key(data))


@cache  # derived once per learning set: the chapter, its claims and the tests reuse it
def _profile_expr(x: tuple, y: tuple) -> sp.Expr:
    data = LearningSet(to_exact(x), to_exact(y))
    gamma, beta = solve_gamma_beta(data)
    loss = exact.loss_expr(model.bn_loss, data, gamma=GAMMA, beta=BETA)
    return sp.factor(sp.simplify(loss.subs({GAMMA: gamma, BETA: beta})))


def profile_closed_form(data: LearningSet) -> sp.Expr:
    """The derived closed form ‖y_c‖² − ⟨X_c w, y_c⟩² / ‖X_c w‖² of the profile loss.

    X_c, y_c are the centred inputs and labels (subtract the column means). It is the
    residual of regressing y_c on the single feature X_c w: a function of the line ℝw only.
    """
    ex = data.exact()
    x = sp.Matrix(ex.x.tolist())
    y = sp.Matrix(ex.y.tolist())
    ones = sp.ones(data.M, 1)
    xc = x - ones * (ones.T * x) / data.M
    yc = y - ones * (ones.T * y) / data.M
    xw = xc * sp.Matrix(list(exact.weight_symbols(data.d)))
    return (yc.T * yc)[0] - (xw.T * yc)[0] ** 2 / (xw.T * xw)[0]


def gradient_identity_defect(data: LearningSet) -> list[sp.Expr]:
    """∇_w Ĉ(w, γ, β) − γ ∇Ĉ(w), simplified, for symbolic γ, β (Ĉ(w) has γ = 1, β = 0).

    Zero because Σₘ ∇ẑ_m = 0 and Σₘ ẑ_m ∇ẑ_m = ½ ∇ Σₘ ẑ_m² = 0: β and the γ² term drop out.
    """
    joint = exact.gradient(exact.loss_expr(model.bn_loss, data, gamma=GAMMA, beta=BETA), data.d)
    fixed = exact.gradient(exact.loss_expr(model.bn_loss, data), data.d)
    return [sp.simplify(a - GAMMA * b) for a, b in zip(joint, fixed, strict=True)]


# --------------------------------------------------------------------------- stationary set


@dataclass(frozen=True)
class StationaryLine:
    """A line ℝv (without 0) on which the profile loss is stationary, and its kind."""

    normal: tuple[sp.Expr, sp.Expr]
    """(a, b) of the line a·w₁ + b·w₂ = 0."""
    direction: tuple[sp.Expr, sp.Expr]
    """v = (−b, a), a point of the line."""
    kind: str
    """"minimum" or "maximum" of the profile loss."""
    value: sp.Expr
    """The profile loss on the line."""
    gamma: sp.Expr
    """γ*(v) at the point v (it is −γ*(v) at −v)."""


def profile_stationary_lines(data: LearningSet) -> list[StationaryLine]:
    """All stationary points of the profile loss for d = 2, as lines through 0, exact.

    The numerators of the two partial derivatives share a polynomial factor whose linear
    factors are the stationary lines; the second derivative across a line classifies it.
    """
    if data.d != 2:
        raise ValueError(f"profile_stationary_lines handles d = 2; the data have d = {data.d}")
    return list(_stationary_lines(*_key(data)))


@cache  # derived once per learning set (the chapter, its claims and the tests reuse it)
def _stationary_lines(x: tuple, y: tuple) -> tuple[StationaryLine, ...]:
    data = LearningSet(to_exact(x), to_exact(y))
    prof = profile_expr(data)
    lines = []
    for a, b in exact.stationary_lines(prof):
        v = (-b, a)
        curvature = exact.curvature_across(prof, v)
        gamma = exact.at(optimal_gamma_beta(to_exact(v), data.exact())[0], v)
        lines.append(StationaryLine((a, b), v, "minimum" if curvature > 0 else "maximum",
                                    exact.at(prof, v), gamma))
    return tuple(lines)


def minima_line(data: LearningSet) -> StationaryLine:
    """The (unique) line of minima of the profile loss, for d = 2."""
    lines = [li for li in profile_stationary_lines(data) if li.kind == "minimum"]
    if len(lines) != 1:
        raise ValueError(f"expected one line of minima, found {len(lines)}")
    return lines[0]


@dataclass(frozen=True)
class GradientAt:
    """Exact gradients in w at a point w₀, with γ, β at their best values for w₀."""

    gamma: sp.Expr
    """γ*(w₀)."""
    beta: sp.Expr
    """β*(w₀)."""
    joint: list[sp.Expr]
    """∇_w Ĉ(w, γ*(w₀), β*(w₀)) at w = w₀ (γ, β held fixed)."""
    profile: list[sp.Expr]
    """∇ of the profile loss at w₀ (equal to ``joint``: envelope theorem)."""
    fixed: list[sp.Expr]
    """∇Ĉ(w₀) with the paper's γ = 1, β = 0."""


def gradient_at(data: LearningSet, w0: tuple,
                profile: Callable[[LearningSet], sp.Expr] = profile_expr,
                loss: Callable[..., Any] = model.bn_loss) -> GradientAt:
    """The three exact gradients of :class:`GradientAt` at w₀, of ``loss`` (the BN loss Ĉ
    of :func:`bnpaper.core.model.bn_loss`) and of the ``profile`` loss (the derived one)."""
    ex = data.exact()
    gamma, beta = (exact.at(v, w0) for v in optimal_gamma_beta(to_exact(w0), ex))
    joint = exact.loss_expr(loss, ex, gamma=gamma, beta=beta)
    return GradientAt(gamma, beta, exact.at(exact.gradient(joint, data.d), w0),
                      exact.at(exact.gradient(profile(ex), data.d), w0),
                      exact.at(exact.gradient(exact.loss_expr(loss, ex), data.d), w0))


# --------------------------------------------------------------------------- training


@dataclass(frozen=True)
class Trajectories:
    """Gradient-descent runs on θ = (w₁, …, w_d, γ, β), one per initialization."""

    params: np.ndarray
    """θ after each step, shape (runs, steps + 1, d + 2); index 0 is the initialization."""
    loss: np.ndarray
    """Ĉ(w, γ, β) along each run, shape (runs, steps + 1)."""
    lr: float
    """The step size η of θ ← θ − η ∇Ĉ(θ)."""

    @property
    def final(self) -> np.ndarray:
        """θ at the last step, shape (runs, d + 2)."""
        return self.params[:, -1]

    @property
    def final_ratio(self) -> np.ndarray:
        """w₂/w₁ at the last step (d = 2): 3/5 on the line 3w₁ = 5w₂."""
        return self.final[:, 1] / self.final[:, 0]


def _check_training(inits: np.ndarray, d: int, steps: int, lr: float) -> np.ndarray:
    inits = np.asarray(inits, dtype=float)
    if inits.ndim != 2 or inits.shape[1] != d + 2:
        raise ValueError(f"inits has shape {inits.shape}; expected (runs, d + 2) = (runs, {d + 2})"
                         " rows (w₁, …, w_d, γ, β)")
    if not np.all(np.isfinite(inits)):
        raise ValueError("inits has a non-finite entry; expected finite numbers")
    if isinstance(steps, bool) or not isinstance(steps, (int, np.integer)) or steps < 1:
        raise ValueError(f"steps = {steps!r}; expected a positive integer")
    if not (np.isfinite(lr) and lr > 0):
        raise ValueError(f"lr = {lr!r}; expected a finite step size > 0")
    return inits


def gradient_descent(data: LearningSet, inits: Any, steps: int = 250, lr: float = 0.05,
                     learn_affine: bool = True) -> Trajectories:
    """Plain gradient descent θ ← θ − η ∇Ĉ(θ), θ = (w, γ, β), from each row of ``inits``.

    JAX (float64, CPU), jit-compiled, vectorized over the runs: deterministic. With
    ``learn_affine=False`` γ and β stay at their initial values (the paper's setting).
    inits: (runs, d + 2) → :class:`Trajectories`.
    """
    data = data.numeric()
    inits = _check_training(inits, data.d, steps, lr)
    jax = jax_x64()
    jnp = jax.numpy
    d = data.d

    def loss(theta: Any) -> Any:
        return model.bn_loss(theta[:d], data, gamma=theta[d], beta=theta[d + 1])

    mask = jnp.asarray([1.0] * d + [1.0 if learn_affine else 0.0] * 2)
    grad = jax.grad(loss)

    def run(theta0: Any) -> tuple[Any, Any]:
        def step(theta: Any, _: Any) -> tuple[Any, Any]:
            theta = theta - lr * mask * grad(theta)
            return theta, (theta, loss(theta))

        _, (path, losses) = jax.lax.scan(step, theta0, None, length=steps)
        return (jnp.concatenate([theta0[None], path]),
                jnp.concatenate([loss(theta0)[None], losses]))

    params, losses = jax.jit(jax.vmap(run))(jnp.asarray(inits))
    return Trajectories(np.asarray(params), np.asarray(losses), float(lr))
