"""Lemma 4.5 of Santurkar et al. (2018): both sides of its inequality, and distances to sets
of optima (chapters *The claim: Lemma 4.5*, *The counterexample* and the follow-up chapters).

    ‖W₀ − Ŵ*‖² ≤ ‖W₀ − W*‖² − (‖W*‖² − ⟨W*, W₀⟩)² / ‖W*‖²,   for ⟨W₀, W*⟩ > 0.

All functions are generic over the namespace of their arguments (exact or numeric) and take
points of shape (..., d).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import sympy as sp

from bnpaper.core import checks, geometry
from bnpaper.core.namespace import SYMPY, convert, namespace_of


def _dot(a: Any, b: Any, xp: Any) -> Any:
    return xp.sum(a * b, axis=-1)


def _scalar(v: Any) -> Any:
    """``v``, a numeric result checked finite (float64 overflow raises, naming the points)."""
    if isinstance(v, (np.ndarray, np.floating)) and np.asarray(v).dtype.kind == "f":
        checks.finite_result(v, "the result", "points (W0, W*, direction)")
    return v


def _prepare(*points: Any, names: tuple[str, str] = ("W0", "direction")
             ) -> tuple[Any, list[Any]]:
    for name, p in zip(names, points, strict=True):
        checks.check_array_like(p, name, "a point of shape (..., d)")
        if namespace_of(p) is np:
            checks.real_array(p, name)
    xp = next((namespace_of(p) for p in points if namespace_of(p) is not np), np)
    if np.ndim(points[0]) == 0:
        raise ValueError("W0 is a scalar; expected a point of shape (..., d)")
    d = np.shape(points[0])[-1]
    out = []
    for name, p in zip(names, points, strict=True):
        if xp is np:
            checks.real_array(p, name)
        checks.check_weights_shape(p, d, name)
        if xp is np:
            checks.finite_array(p, name)
        out.append(convert(p, xp))
    return xp, out


def _check_nonzero(v: Any, xp: Any, name: str) -> None:
    if xp in (np, SYMPY) and np.any(np.asarray(_dot(v, v, xp)) == 0):
        raise ValueError(f"{name} is the zero vector; a ray or line needs a direction ≠ 0")


def lemma_rhs(w0: Any, w_star: Any) -> Any:
    """‖W₀ − W*‖² − (‖W*‖² − ⟨W*, W₀⟩)²/‖W*‖², the right-hand side of Lemma 4.5.

    It equals the squared distance from W₀ to the line ℝ·W* (chapter *The claim: Lemma 4.5*).
    """
    with checks.quiet_overflow():  # an overflow raises in _scalar, not a warning
        xp, (w0, ws) = _prepare(w0, w_star, names=("W0", "W*"))
        _check_nonzero(ws, xp, "W*")
        diff = w0 - ws
        nsq = _dot(ws, ws, xp)
        return _scalar(_dot(diff, diff, xp) - (nsq - _dot(ws, w0, xp)) ** 2 / nsq)


def distance_sq_to_line(p: Any, direction: Any) -> Any:
    """inf over t ∈ ℝ of ‖p − t·u‖² = ‖p‖² − ⟨p, u⟩²/‖u‖² (u = ``direction``)."""
    with checks.quiet_overflow():  # an overflow raises in _scalar, not a warning
        xp, (p, u) = _prepare(p, direction)
        _check_nonzero(u, xp, "direction")
        return _scalar(_dot(p, p, xp) - _dot(p, u, xp) ** 2 / _dot(u, u, xp))


def distance_sq_to_ray(p: Any, direction: Any) -> Any:
    """inf over t > 0 of ‖p − t·u‖²: the projection if ⟨p, u⟩ > 0, else ‖p‖².

    Where ⟨p, u⟩ ≤ 0 the infimum is approached as t → 0 and not attained; for a ray of BN
    optima (w = 0 excluded, since σ(0) = 0) this is the most favourable reading for the lemma.
    """
    with checks.quiet_overflow():  # an overflow raises in _scalar, not a warning
        xp, (p, u) = _prepare(p, direction)
        _check_nonzero(u, xp, "direction")
        proj = xp.maximum(_dot(p, u, xp), 0)
        return _scalar(_dot(p, p, xp) - proj**2 / _dot(u, u, xp))


@dataclass(frozen=True)
class LemmaCheck:
    """Both sides of Lemma 4.5 at one W₀, with Ŵ* the closest point of the BN optima."""

    lhs: Any
    """‖W₀ − Ŵ*‖², the squared distance from W₀ to the BN optima."""
    rhs: Any
    """‖W₀ − W*‖² − (‖W*‖² − ⟨W*, W₀⟩)²/‖W*‖²."""

    @property
    def holds(self) -> Any:
        """Whether lhs ≤ rhs: a bool, or a bool array for a grid of W₀."""
        if isinstance(self.lhs, np.ndarray) and self.lhs.dtype != object:
            return self.lhs <= self.rhs
        return bool(self.lhs <= self.rhs)


def check_lemma(w0: Any, w_star: Any, bn_minima_direction: Any) -> LemmaCheck:
    """Both sides of Lemma 4.5 at W₀ when the BN optima are the ray t·v, t > 0 (v given)."""
    return LemmaCheck(distance_sq_to_ray(w0, bn_minima_direction), lemma_rhs(w0, w_star))


def lemma_gap(w0: Any, w_star: Any, v_hat: Any) -> Any:
    """LHS − RHS of Lemma 4.5 = ⟨W₀, u⟩² − max(⟨W₀, v⟩, 0)², u, v the unit W*, v̂.

    LHS = ‖W₀ − Ŵ*‖² (distance to the ray t·v̂), RHS the lemma's bound. w0: (..., d).
    """
    xp = namespace_of(w0)
    w0, ws, vh = (convert(a, xp) for a in (w0, w_star, v_hat))
    for name, a in (("W*", ws), ("v̂", vh)):
        if np.all(np.asarray(a) == 0):
            raise ValueError(f"{name} is the zero vector; expected a direction ≠ 0")
    pu, pv = xp.sum(w0 * ws, axis=-1), xp.sum(w0 * vh, axis=-1)
    return pu**2 / xp.sum(ws * ws) - xp.maximum(pv, 0) ** 2 / xp.sum(vh * vh)


LEMMA_REGIONS = ("not covered", "holds", "fails")
"""Codes of :func:`lemma_region`: ⟨W₀, W*⟩ ≤ 0, the inequality holds, it fails."""


def lemma_region(w0: Any, w_star: Any, v_hat: Any) -> np.ndarray:
    """0, 1, 2 = not covered / holds / fails, by the angle criterion of the proposition.

    Among ⟨W₀, W*⟩ > 0 the lemma holds iff ⟨W₀, v − u⟩ ≥ 0, i.e. W₀ is at least as close
    in angle to the BN minima as to W*. w0: (..., d) float → int array (...).
    """
    w0 = np.asarray(w0, dtype=float)
    u = geometry.unit(np.asarray(w_star, dtype=float), "W*")
    v = geometry.unit(np.asarray(v_hat, dtype=float), "v̂")
    covered = w0 @ u > 0
    return np.where(covered, np.where(w0 @ (v - u) >= 0, 1, 2), 0)


LEMMA_TOL = 1e-9
"""On floats, a W₀ counts as violating the lemma when lhs − rhs > LEMMA_TOL·‖W₀‖²: a margin
for rounding, relative to the size of the terms (lhs and rhs scale as ‖W₀‖²)."""

Among = Literal["all", "admissible"]
"""Which initializations a share counts: all W₀, or the admissible ones (⟨W₀, W*⟩ > 0)."""


def fraction_from_angle(alpha: Any, among: Among = "all") -> Any:
    """The failing fraction from α = ∠(W*, v) alone: the one closed form of the book.

    ``among="all"``: (π + α)/(4π); ``"admissible"`` (⟨W₀, W*⟩ > 0): (π + α)/(2π); both 0
    at α = 0. Valid for rotation-invariant W₀ in any dimension d ≥ 2 (the chapter *How
    often, on random data* uses it for d > 2). Exact (simplified) for a sympy α; otherwise
    vectorized over an array of angles, returning an array of the same shape.
    """
    if among not in ("all", "admissible"):
        raise ValueError(f"among = {among!r}; expected 'all' or 'admissible'")
    per_pi = 4 if among == "all" else 2
    if isinstance(alpha, sp.Basic):
        if not (alpha.is_number and 0 <= alpha <= sp.pi):
            raise ValueError(f"α = {alpha} is an angle between vectors; expected 0 ≤ α ≤ π")
        return sp.Integer(0) if alpha == 0 else sp.simplify((sp.pi + alpha) / (per_pi * sp.pi))
    alpha = np.asarray(alpha, dtype=float)
    if np.any((alpha < 0) | (alpha > np.pi)):
        raise ValueError("α is an angle between vectors; expected 0 ≤ α ≤ π")
    return np.where(alpha > 0, (np.pi + alpha) / (per_pi * np.pi), 0.0)
