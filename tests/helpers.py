"""Independent numerics for the tests: a hand-written BN, finite differences, random points."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np


def reference_bn_loss(w: np.ndarray, x: np.ndarray, y: np.ndarray) -> float:
    """Ĉ(w) written out with np.std (population deviation, ddof=0): not bnpaper's code."""
    z = x @ w
    return float(np.sum(((z - z.mean()) / np.std(z) - y) ** 2))


def central_difference(f: Callable[[np.ndarray], float], w: np.ndarray,
                       h: float = 1e-5) -> np.ndarray:
    """∇f(w) by central differences, error O(h²)."""
    w = np.asarray(w, dtype=float)
    grad = np.empty_like(w)
    for i in range(w.size):
        e = np.zeros_like(w)
        e[i] = h
        grad[i] = (f(w + e) - f(w - e)) / (2 * h)
    return grad


def random_weights(n: int, d: int = 2, seed: int = 0) -> np.ndarray:
    """n Gaussian weight vectors, away from 0 (where Ĉ is undefined)."""
    w = np.random.default_rng(seed).normal(size=(n, d))
    return w[np.linalg.norm(w, axis=1) > 0.1]
