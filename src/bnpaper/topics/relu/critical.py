"""The BN-ReLU neuron: the exact critical rays of Ĉ, its gradient, and Lemma 4.5's
distance to its minima (chapter *ReLU*).

Ĉ(w) = Σᵢ (ReLU(ẑᵢ(w)) − ȳ⁽ⁱ⁾)² depends only on the direction of w: its critical directions
are the roots of dĈ/dθ on each open sector of :mod:`bnpaper.topics.relu.sectors`, made
polynomial by squaring out σ(w), plus the kinks between sectors where dĈ/dθ changes sign
(:func:`bn_relu_critical_rays`). Exact (sympy; roots as CRootOf) for d = 2, γ = 1, β = 0.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sympy as sp

from bnpaper.core import exact, geometry, model
from bnpaper.core.data import LearningSet
from bnpaper.core.namespace import to_exact
from bnpaper.paper import lemma
from bnpaper.topics.relu.sectors import (
    PRECISION,
    SIGMA,
    Sector,
    at_point,
    kink_normals,
    plane_sectors,
    primitive,
    relu_arguments,
    relu_piece,
    require_plane,
    sigma_base,
    sign_at,
    strictly_inside,
    weight_pair,
    with_sigma,
)


def bn_relu_outputs_at(data: LearningSet, w: Any) -> list[sp.Expr]:
    """The exact BN-ReLU outputs φ̂_w(x̄⁽ⁱ⁾) = ReLU(ẑᵢ(w)) of every sample."""
    return [sp.radsimp(v) for v in model.bn_output(to_exact(w), data.exact(), activation="relu")]


@dataclass(frozen=True)
class CriticalRay:
    """A ray t·v, t > 0, of local minima or maxima of Ĉ (constant along the ray)."""

    direction: tuple[sp.Expr, sp.Expr]
    kind: str  # "minimum" or "maximum"
    value: sp.Expr
    kink: bool
    """True if Ĉ has a kink there (some ẑ_i = 0), False at a smooth stationary point."""
    active: tuple[bool, ...]
    """Which samples have ẑ_i > 0 on the ray (for a kink: on its counter-clockwise side)."""

    @property
    def angle(self) -> float:
        """The polar angle of the direction in radians, in (−π, π]."""
        return float(geometry.polar_angle(self.direction))


def angular_derivative(expr: sp.Expr, base: sp.Expr | None = None) -> sp.Expr:
    """dL/dθ = w₁ ∂L/∂w₂ − w₂ ∂L/∂w₁, the derivative along the circle through w.

    For a scale-invariant L, ⟨∇L, w⟩ = 0, so ∇L(w) = 0 if and only if dL/dθ = 0. With
    ``base`` = σ², ``expr`` is a function of w and s = σ(w) (:data:`SIGMA`), and the chain
    rule adds ∂L/∂s · dσ/dθ, dσ/dθ = (w₁ ∂σ²/∂w₂ − w₂ ∂σ²/∂w₁)/(2s).
    """
    w1, w2 = weight_pair()

    def along(f: sp.Expr) -> sp.Expr:
        return w1 * sp.diff(f, w2) - w2 * sp.diff(f, w1)

    if base is None:
        return along(expr)
    return along(expr) + sp.diff(expr, SIGMA) * along(base) / (2 * SIGMA)


def _stationary_polynomial(deriv: sp.Expr, base: sp.Expr) -> sp.Poly:
    """A homogeneous polynomial in (w₁, w₂) vanishing wherever ``deriv`` does.

    ``deriv`` is rational in w and s = σ(w); its numerator, reduced with s² = σ², is
    A(w) + B(w)·s, and A = −Bσ implies A² − σ²B² = 0 (squaring may add roots: callers
    check each root in ``deriv`` itself).
    """
    w1, w2 = weight_pair()
    numerator = sp.expand(sp.numer(sp.together(deriv)))
    rest = sp.Poly(sp.rem(numerator, SIGMA**2 - base, SIGMA), SIGMA)
    a, b = rest.coeff_monomial(1), rest.coeff_monomial(SIGMA)
    return sp.Poly(sp.expand(a**2 - base * b**2), w1, w2)


def _root_directions(poly: sp.Poly) -> list[tuple[sp.Expr, sp.Expr]]:
    """Both rays of every real root line of a homogeneous polynomial (exact; CRootOf)."""
    w1, w2 = weight_pair()
    t = sp.Symbol("t")
    h = sp.Poly(poly.as_expr().subs({w1: 1, w2: t}), t)
    dirs = [(1, r) for r in sorted(set(sp.real_roots(h)), key=lambda r: sp.N(r, 30))]
    if h.degree() < poly.total_degree():  # w₁ divides: the line w₁ = 0 is a root too
        dirs.append((0, 1))
    return [tuple(sp.sympify(c) * sign for c in d) for d in dirs for sign in (1, -1)]


@dataclass(frozen=True)
class _Piece:
    """Ĉ on one sector: its formula in w, and dĈ/dθ, d²Ĉ/dθ² in w and s = σ(w)."""

    sector: Sector
    loss: sp.Expr
    base: sp.Expr
    deriv: sp.Expr
    second: sp.Expr

    @classmethod
    def of(cls, expr: sp.Expr, sector: Sector) -> _Piece:
        loss = relu_piece(expr, sector.inside)
        base = sigma_base(expr)
        if base is None:
            raise ValueError("expected Ĉ to contain σ(w)")
        deriv = sp.together(angular_derivative(with_sigma(loss, base, SIGMA), base))
        return cls(sector, loss, base, deriv, sp.together(angular_derivative(deriv, base)))

    def sign(self, expr: sp.Expr, u: tuple[Any, Any]) -> int:
        return sign_at(expr, u, self.base)


def _smooth_critical_rays(piece: _Piece, normals: list) -> list[CriticalRay]:
    poly = _stationary_polynomial(piece.deriv, piece.base)
    if poly.is_zero:
        raise ValueError(f"Ĉ is constant on the sector {piece.sector}: a flat set of optima")
    out = []
    for u in _root_directions(poly):
        if not strictly_inside(u, piece.sector, normals) or piece.sign(piece.deriv, u) != 0:
            continue  # outside this sector, or a root added by squaring
        curvature = piece.sign(piece.second, u)
        if curvature == 0:
            raise ValueError(f"degenerate critical direction {u}: d²Ĉ/dθ² = 0")
        value = at_point(piece.loss, u)
        if all(isinstance(c, sp.Rational) for c in u):
            value = sp.radsimp(sp.expand(value))  # e.g. 200 − 26√2, not 29 + (√2 − 13)²
        out.append(CriticalRay(primitive(u), "minimum" if curvature > 0 else "maximum",
                               value, False, piece.sector.active))
    return out


def _kink_critical_rays(expr: sp.Expr, pieces: list[_Piece]) -> list[CriticalRay]:
    """Kinks (a ẑ_i = 0) that are local extrema: dĈ/dθ changes sign across the kink ray."""
    out = []
    for before, after in zip(pieces[-1:] + pieces[:-1], pieces, strict=True):
        u = after.sector.start
        left, right = before.sign(before.deriv, u), after.sign(after.deriv, u)
        if 0 in (left, right):
            raise ValueError(f"degenerate kink at {u}: a one-sided derivative of Ĉ is 0")
        if left != right:
            kind = "minimum" if left < 0 else "maximum"
            out.append(CriticalRay(u, kind, exact.at(expr, u), True, after.sector.active))
    return out


def bn_relu_critical_rays(data: LearningSet) -> list[CriticalRay]:
    """Every local minimum and maximum of Ĉ(w) = Σᵢ (ReLU(ẑᵢ(w)) − ȳ⁽ⁱ⁾)², exactly, d = 2
    (γ = 1, β = 0).

    Ĉ is scale invariant, so its extrema are rays; they are the roots of dĈ/dθ strictly
    inside a sector (classified by d²Ĉ/dθ²) and the kinks where dĈ/dθ changes sign.
    Sorted by angle.
    """
    require_plane(data)
    expr = exact.loss_expr(model.bn_loss, data, activation="relu")
    normals = kink_normals(relu_arguments(data, bn=True))
    pieces = [_Piece.of(expr, sec) for sec in plane_sectors(normals)]
    rays = [r for piece in pieces for r in _smooth_critical_rays(piece, normals)]
    return sorted(rays + _kink_critical_rays(expr, pieces), key=lambda r: r.angle)


def bn_relu_minima(data: LearningSet) -> list[CriticalRay]:
    """The rays of local minima of Ĉ, lowest value first."""
    minima = [r for r in bn_relu_critical_rays(data) if r.kind == "minimum"]
    return sorted(minima, key=lambda r: sp.N(r.value, PRECISION))


def slope_polynomial(direction: tuple[Any, Any]) -> tuple[sp.Expr, float]:
    """The slope r = w₂/w₁ of a direction as the root of an integer polynomial p(r) (its
    minimal polynomial, in the symbol r) and as a float."""
    if direction[0] == 0:
        raise ValueError(f"the direction {direction} is vertical: its slope is undefined")
    slope = sp.sympify(direction[1]) / direction[0]
    r = sp.Symbol("r")
    return sp.minimal_polynomial(slope, r), float(sp.N(slope, 30))


def bn_relu_gradient_at(data: LearningSet, w: tuple[Any, Any]) -> list[sp.Expr]:
    """∇Ĉ(w) exactly; Ĉ must be differentiable at w (no ẑ_i(w) = 0, else ValueError)."""
    require_plane(data)
    expr = exact.loss_expr(model.bn_loss, data, activation="relu")
    piece = relu_piece(expr, tuple(to_exact(w)))  # raises on a kink
    return exact.at(exact.gradient(piece), w)


def lemma_lhs(w0: Any, directions: list[tuple[Any, Any]]) -> Any:
    """‖W₀ − Ŵ*‖², Ŵ* the closest point of the given rays of optima (w = 0 excluded)."""
    if not directions:
        raise ValueError("no rays of optima given")
    w0 = to_exact(w0)
    dists = [lemma.distance_sq_to_ray(w0, to_exact(v)) for v in directions]
    return min(dists, key=lambda v: sp.N(v, PRECISION))

