"""Geometry of the weight plane and of weight space: angles, unit vectors, directions on the
circle, grids of weights (used by every chapter that draws or scans directions)."""

from __future__ import annotations

from typing import Any

import numpy as np
import sympy as sp

from bnpaper.core import checks
from bnpaper.core.namespace import is_exact, to_exact


def angle(a: Any, b: Any) -> np.ndarray:
    """The angle ∠(a, b) ∈ [0, π] between vectors of shape (..., d), in radians."""
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    na, nb = np.linalg.norm(a, axis=-1), np.linalg.norm(b, axis=-1)
    if np.any(na == 0) or np.any(nb == 0):
        raise ValueError("the angle to a zero vector is undefined")
    # atan2 of |a × b| and ⟨a, b⟩ is accurate near 0 and π, where arccos is not
    cross = np.sqrt(np.maximum(na**2 * nb**2 - np.sum(a * b, -1) ** 2, 0.0))
    return np.arctan2(cross, np.sum(a * b, axis=-1))


def weight_grid(lim: float = 4.0, n: int = 200, center: tuple[float, float] = (0.0, 0.0)
                ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """A square grid of weights w = (w₁, w₂) around ``center``, half-width ``lim``.

    n must be even so the grid never contains w = 0 itself (where σ(w) = 0 and Ĉ is
    undefined). Returns (w1, w2, w) with w of shape (n, n, 2).
    """
    if n % 2:
        raise ValueError(f"n = {n} is odd; an even n keeps w = 0 off the grid")
    w1, w2 = np.meshgrid(np.linspace(center[0] - lim, center[0] + lim, n),
                         np.linspace(center[1] - lim, center[1] + lim, n))
    return w1, w2, np.stack([w1, w2], axis=-1)


def unit_vectors(theta: Any, radius: Any = 1.0) -> np.ndarray:
    """w = r·(cos θ, sin θ) for each angle θ. theta: (...,) → (..., 2)."""
    theta = checks.finite_array(theta, "theta")
    radius = checks.finite_array(radius, "radius")
    if np.any(radius <= 0):
        raise ValueError(f"radius must be > 0 (w = 0 is where Ĉ is undefined); got {radius}")
    return radius[..., None] * np.stack([np.cos(theta), np.sin(theta)], axis=-1)


def unit_directions(n: int = 721) -> tuple[np.ndarray, np.ndarray]:
    """Angles θ ∈ [−π, π] and the unit weights w = (cos θ, sin θ), shape (n, 2)."""
    theta = np.linspace(-np.pi, np.pi, n)
    return theta, unit_vectors(theta)


def polar_angle(w: Any) -> Any:
    """The angle θ ∈ (−π, π] of w = (w₁, w₂): exact ``atan2`` for sympy input, else float.

    w: (2,) exact, or (..., 2) numeric → (...). Raises for w = 0, which has no angle.
    """
    checks.check_weights_shape(w, 2)
    if is_exact(w):
        w1, w2 = to_exact(w)
        if w1 == 0 and w2 == 0:
            raise ValueError("w = 0 has no angle; expected a non-zero weight vector")
        return sp.atan2(w2, w1)
    w = checks.finite_array(w, "w")
    if np.any(np.all(w == 0, axis=-1)):
        raise ValueError("w = 0 has no angle; expected a non-zero weight vector")
    return np.arctan2(w[..., 1], w[..., 0])


def _plane_vector(a: Any, name: str) -> np.ndarray:
    """``a`` as a non-zero vector of shape (2,): exact object array or float64."""
    checks.check_weights_shape(a, 2, name)
    if np.ndim(a) != 1:
        raise ValueError(f"{name} has shape {np.shape(a)}; expected one vector of shape (2,)")
    if is_exact(a):
        out = to_exact(a)
        if not all(getattr(c, "is_number", False) and c.is_real for c in out):
            raise ValueError(f"{name} = {tuple(out)}: expected real numbers, not symbols")
    else:
        out = checks.finite_array(a, name)
    if out[0] == 0 and out[1] == 0:
        raise ValueError(f"{name} is the zero vector; expected a direction ≠ 0")
    return out


def plane_pair(w_star: Any, v: Any) -> tuple[np.ndarray, np.ndarray, bool]:
    """W* and v checked; both exact if either is, else both float."""
    exact_input = is_exact(w_star) or is_exact(v)
    ws, vv = _plane_vector(w_star, "W*"), _plane_vector(v, "v")
    if exact_input:
        ws, vv = to_exact(ws), to_exact(vv)
    return ws, vv, exact_input


def atan2(y: Any, x: Any, exact_input: bool) -> Any:
    return sp.atan2(y, x) if exact_input else float(np.arctan2(y, x))


def pi_of(exact_input: bool) -> Any:
    return sp.pi if exact_input else np.pi


def plane_angle(w_star: Any, v: Any) -> Any:
    """α = ∠(W*, v) ∈ [0, π] in the plane, as ``atan2(|W* × v|, ⟨W*, v⟩)``: exact for sympy
    input (one vector each, shape (2,)); :func:`angle` is the float, stacked, any-d form."""
    ws, vv, exact_input = plane_pair(w_star, v)
    cross = ws[0] * vv[1] - ws[1] * vv[0]
    return atan2(abs(cross), ws @ vv, exact_input)


def unit(a: Any, name: str = "a") -> np.ndarray:
    """a/‖a‖, shape (d,): exact (radicals simplified) for exact input, else float64.

    Raises ValueError for the zero vector, which has no direction (``name`` says which).
    """
    if is_exact(a):
        a = to_exact(a)
        if all(c == 0 for c in a):
            raise ValueError(f"{name} is the zero vector; expected a direction ≠ 0")
        norm = sp.sqrt(a @ a)
        return np.array([sp.radsimp(c / norm) for c in a], dtype=object)
    a = checks.finite_array(a, name)
    if not np.any(a):
        raise ValueError(f"{name} is the zero vector; expected a direction ≠ 0")
    return a / np.linalg.norm(a)
