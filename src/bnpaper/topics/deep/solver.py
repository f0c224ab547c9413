"""Training the deep networks (chapter *Deep and non-linear networks*): a full-batch
Levenberg–Marquardt solver, compiled once with JAX for every network that fits in the padded
network of :mod:`bnpaper.topics.deep.padded`, vectorized over initializations and
architectures (:func:`train`, :func:`train_many`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, fields
from functools import cache
from typing import Any

import numpy as np

from bnpaper.core.autodiff import jax_x64
from bnpaper.core.data import LearningSet
from bnpaper.topics.deep import padded
from bnpaper.topics.deep.network import Architecture


@dataclass(frozen=True)
class Optimizer:
    """Full-batch, deterministic Levenberg–Marquardt and its settings: ``steps`` iterations of
    W ← W − (2JᵀJ + λI)⁻¹ ∇C(W), J the Jacobian of the outputs f(x̄⁽ᵐ⁾) with respect to W
    (2JᵀJ is the Gauss–Newton part of the Hessian of the sum of squares; the step is computed
    as 2Jᵀ(2JJᵀ + λI)⁻¹ r with r = f − ȳ, the same vector). A step is accepted only if the loss
    does not increase; λ starts at ``lam0``, shrinks 3× after a success (not below
    ``lam_min``) and grows 4× after a failure. Large λ: short gradient steps of length
    ≈ ‖∇C‖/λ; small λ: Gauss–Newton steps."""

    steps: int = 300
    lam0: float = 1.0
    tol: float = 1e-6
    """‖∇‖ below which an end point counts as stationary."""
    lam_min: float = 1e-15

    def __post_init__(self) -> None:
        numbers = (self.lam0, self.tol, self.lam_min)
        if (isinstance(self.steps, bool) or not isinstance(self.steps, int) or self.steps < 0
                or not all(math.isfinite(v) and v > 0 for v in numbers)
                or self.lam_min > self.lam0):
            raise ValueError(f"{self}: expected steps >= 0 (an integer) and finite "
                             "0 < lam_min <= lam0, tol > 0")

    def describe(self) -> str:
        """The settings in words (for the chapter's prose and tables)."""
        floor = "" if self.lam_min <= 1e-15 else f", λ ≥ {self.lam_min:g}"
        return f"Levenberg–Marquardt, {self.steps} steps, λ₀ = {self.lam0:g}{floor}"


@dataclass(frozen=True)
class TrainResult:
    """End points of training, one row per initialization."""

    w: np.ndarray
    """The final parameters, (n, P)."""
    loss: np.ndarray
    """The loss there, (n,)."""
    grad_norm: np.ndarray
    """‖∇loss‖ there, (n,): a stationary point if below the tolerance, nothing more."""
    start_grad_norm: np.ndarray
    """‖∇loss‖ at the initialization, (n,)."""


@cache
def _solver(big: Architecture) -> Any:
    """solve(W₀ (n, P_big), x, y, act, bn, depth, width, steps, λ₀, λ_min) → (W, loss, ‖∇‖ at W,
    ‖∇‖ at W₀), each row trained independently (vmap), jit-compiled once for all networks
    that fit in ``big`` (see :func:`bnpaper.topics.deep.padded.traced_stack`), BN on or off."""
    jax = jax_x64()
    jnp = jax.numpy
    loss, network = padded.traced_loss, padded.traced_network
    grad = jax.grad(loss)
    jac = jax.jacrev(network)  # M reverse passes: M < P here

    def solve(w0: Any, x: Any, y: Any, act: Any, bn: Any, depth: Any, width: Any,
              steps: Any, lam0: Any, lam_min: Any) -> Any:
        flags = (act, bn, depth, width)
        eye = jnp.eye(x.shape[0])

        def step(_: Any, state: Any) -> Any:
            w, lam, c = state
            j = jac(w, big, x, *flags)  # (M, P)
            r = network(w, big, x, *flags) - y  # ∇C = 2Jᵀr
            # (2JᵀJ + λI)⁻¹ 2Jᵀr = 2Jᵀ (2JJᵀ + λI)⁻¹ r: an M × M system instead of P × P
            trial = w - 2 * j.T @ jnp.linalg.solve(2 * j @ j.T + lam * eye, r)
            ct = loss(trial, big, x, y, *flags)
            ok = ct <= c  # False for NaN: a singular system is simply rejected
            lam = jnp.clip(jnp.where(ok, lam / 3, lam * 4), lam_min, 1e30)
            return jnp.where(ok, trial, w), lam, jnp.where(ok, ct, c)

        init = (w0, lam0, loss(w0, big, x, y, *flags))
        w = jax.lax.fori_loop(0, steps, step, init)[0]
        return (w, loss(w, big, x, y, *flags),
                jnp.linalg.norm(grad(w, big, x, y, *flags)),
                jnp.linalg.norm(grad(w0, big, x, y, *flags)))

    return jax.jit(jax.vmap(solve, in_axes=(0, None, None, 0, None, 0, 0, None, None, None)),
                   compiler_options=padded.COMPILE_OPTIONS)


def train(arch: Architecture, data: LearningSet, w0: Any, bn: bool = False,
          opt: Optimizer = Optimizer()) -> TrainResult:
    """Train the standard (``bn=False``) or BN network from each row of W₀ (n, P), all rows
    at once (vmap): each row's result does not depend on the others."""
    data = data.numeric()
    w0 = padded.check_points(arch, data, w0, "W0")
    parts = train_many([arch] * len(w0), data, list(w0), bn, opt)
    return TrainResult(*(np.concatenate([getattr(p, f.name) for p in parts])
                         for f in fields(TrainResult)))


def train_many(archs: list[Architecture], data: LearningSet, w0: list[Any], bn: bool = False,
               opt: Optimizer = Optimizer()) -> list[TrainResult]:
    """Train network i (architecture ``archs[i]``, from W₀ = ``w0[i]`` of shape (P_i,)) for
    every i in one compiled, vectorized call. Returns one :class:`TrainResult` (n = 1) per
    network; each result is what :func:`train` alone would give."""
    data = data.numeric()
    big, start = padded.stacked(archs, data, w0, "W0")
    flags = padded.arch_flags(archs)
    start, *flags = padded.pad_rows(start, *flags)
    res = _solver(big)(start, data.x, data.y, flags[0], bn, flags[1], flags[2], opt.steps,
                       opt.lam0, opt.lam_min)
    w, c, g, g0 = (np.asarray(r)[:len(archs)] for r in res)
    return [TrainResult(padded.extract(w[i:i + 1], a, big), c[i:i + 1], g[i:i + 1],
                        g0[i:i + 1])
            for i, a in enumerate(archs)]
