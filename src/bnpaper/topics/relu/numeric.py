"""Independent numeric checks of the ReLU chapter's exact results (chapter *ReLU*).

A fine angular grid of Ĉ(cos θ, sin θ) refined by golden-section search, a brute-force grid
search, the BN-ReLU output range, JAX autodiff's gradient, and Lemma 4.5's distance in
float64: none of them uses the exact sector analysis of :mod:`bnpaper.topics.relu.critical`.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from bnpaper.core import exact, geometry, model
from bnpaper.core.autodiff import gradient_of
from bnpaper.core.data import LearningSet


def bn_relu_output_range(data: LearningSet, n: int = 36_000) -> tuple[float, int]:
    """Over n directions on the unit circle: the largest BN-ReLU output, and the fewest
    samples whose output is 0 (numeric check of the bounds √(M − 1) and ≥ 1)."""
    theta = np.linspace(-np.pi, np.pi, n, endpoint=False)
    out = model.bn_output(geometry.unit_vectors(theta), data.numeric(), activation="relu")
    return float(out.max()), int((out == 0).sum(axis=-1).min())


AUTODIFF_TOL = 1e-12
"""Largest entrywise gap accepted between the exact ∇Ĉ and JAX autodiff's, in float64."""


def autodiff_agrees(data: LearningSet, w: tuple[Any, Any], gradient: Any,
                    tol: float = AUTODIFF_TOL) -> bool:
    """Whether JAX autodiff's ∇Ĉ (BN, then ReLU) at w is within ``tol`` of ``gradient``
    (the exact one, :func:`.critical.bn_relu_gradient_at`) in every entry: an independent check."""
    numeric = gradient_of(model.bn_loss, data.numeric(), activation="relu")(
        np.array(exact.to_floats(w)))
    return bool(np.allclose(exact.to_floats(gradient), numeric, rtol=0, atol=tol))


def angular_profile(data: LearningSet, n: int = 3600, activation: str = "relu"
                    ) -> tuple[np.ndarray, np.ndarray]:
    """θ on a grid of n angles in [−π, π) and Ĉ(cos θ, sin θ) there."""
    if n < 8:
        raise ValueError(f"n = {n} angles; expected n >= 8")
    theta = np.linspace(-np.pi, np.pi, n, endpoint=False)
    return theta, model.bn_loss(geometry.unit_vectors(theta), data.numeric(), activation=activation)


def _golden_section(f: Any, a: np.ndarray, b: np.ndarray, iters: int) -> np.ndarray:
    """Minimizers of f on each bracket [a, b] (vectorized), f unimodal there."""
    r = (np.sqrt(5) - 1) / 2
    c, d = b - r * (b - a), a + r * (b - a)
    fc, fd = f(c), f(d)
    for _ in range(iters):
        left = fc < fd  # the minimum is in [a, d]
        a, b = np.where(left, a, c), np.where(left, d, b)
        c, d = np.where(left, b - r * (b - a), d), np.where(left, c, a + r * (b - a))
        fc, fd = np.where(left, f(c), fd), np.where(left, fc, f(d))
    return (a + b) / 2


def numeric_local_minima(data: LearningSet, n: int = 36_000, iters: int = 80,
                         activation: str = "relu") -> tuple[np.ndarray, np.ndarray]:
    """Local minima of θ ↦ Ĉ(cos θ, sin θ): grid minima refined by golden-section search.

    Returns (angles in (−π, π], values), sorted by value. Independent of the exact analysis.
    """
    theta, values = angular_profile(data, n, activation)
    k = np.flatnonzero((values < np.roll(values, 1)) & (values <= np.roll(values, -1)))
    step = 2 * np.pi / n
    num = data.numeric()

    def f(t: np.ndarray) -> np.ndarray:
        return model.bn_loss(geometry.unit_vectors(t), num, activation=activation)

    best = _golden_section(f, theta[k] - step, theta[k] + step, iters)
    best = np.angle(np.exp(1j * best))  # back into (−π, π]
    vals = f(best)
    order = np.argsort(vals)
    return best[order], vals[order]


def grid_minimum(loss: Any, data: LearningSet, lim: float = 10.0, n: int = 2001,
                 **kwargs: Any) -> tuple[np.ndarray, float]:
    """Brute-force minimum of ``loss`` over the square grid [−lim, lim]², n points a side."""
    if n < 2 or lim <= 0:
        raise ValueError(f"grid needs n >= 2 and lim > 0; got n = {n}, lim = {lim}")
    g = np.linspace(-lim, lim, n)
    w = np.stack(np.meshgrid(g, g), axis=-1)
    values = loss(w, data.numeric(), **kwargs)
    k = np.unravel_index(np.argmin(values), values.shape)
    return w[k], float(values[k])


def numeric_lemma_lhs(w0: Any, angles: np.ndarray) -> float:
    """‖W₀ − Ŵ*‖² in float64, Ŵ* the closest point of the rays at the given angles.

    The distance to the ray t·u (‖u‖ = 1, t > 0) is ‖W₀‖² − ⟨W₀, u⟩² if ⟨W₀, u⟩ > 0, else
    ‖W₀‖² (the infimum at t → 0). Independent of :func:`.critical.lemma_lhs` and of the
    exact rays.
    """
    w0 = np.asarray(w0, dtype=float)
    if w0.shape != (2,) or not np.all(np.isfinite(w0)):
        raise ValueError(f"W0 = {w0.tolist()}; expected two finite weights")
    if np.size(angles) == 0:
        raise ValueError("no rays of optima given (angles is empty)")
    inner = geometry.unit_vectors(np.asarray(angles, dtype=float)) @ w0
    return float(np.min(w0 @ w0 - np.maximum(inner, 0.0) ** 2))

