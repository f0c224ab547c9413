"""The standard ReLU neuron: the exact global minimum of C (chapter *ReLU*).

C(w) = Σᵢ (ReLU(⟨w, x̄⁽ⁱ⁾⟩) − ȳ⁽ⁱ⁾)² is a convex quadratic on each closed sector of
:mod:`bnpaper.topics.relu.sectors`; its minimum there is an interior stationary point or lies
on a boundary ray, and the least of them is the global minimum (d = 2).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sympy as sp

from bnpaper.core import exact, model
from bnpaper.core.data import LearningSet
from bnpaper.core.namespace import to_exact
from bnpaper.topics.relu.sectors import (
    PRECISION,
    at_point,
    kink_normals,
    plane_sectors,
    relu_arguments,
    relu_piece,
    require_plane,
    sign_of,
    strictly_inside,
    weight_pair,
)


@dataclass(frozen=True)
class SectorMinimum:
    """The minimum of C over one closed sector: value, a minimizer, which samples pass."""

    active: tuple[bool, ...]
    value: sp.Expr
    point: tuple[sp.Expr, sp.Expr]
    interior: bool
    """True if attained at a stationary point strictly inside the sector."""


def _ray_minimum(expr: sp.Expr, u: tuple[sp.Expr, sp.Expr]) -> tuple[sp.Expr, tuple]:
    """min over t ≥ 0 of C(t·u): C is a quadratic in t along a ray (t = 0 included)."""
    t = sp.Symbol("t", positive=True)
    f = sp.expand(at_point(expr, (t * u[0], t * u[1])))  # Max(0, t·k) resolves since t > 0
    best = [sp.Integer(0)] + [r for r in sp.solve(sp.diff(f, t), t) if sign_of(r) > 0]
    values = [sp.nsimplify(f.subs(t, r)) if r == 0 else sp.radsimp(f.subs(t, r)) for r in best]
    k = min(range(len(best)), key=lambda i: sp.N(values[i], PRECISION))
    return values[k], (best[k] * u[0], best[k] * u[1])


def standard_relu_sector_minima(data: LearningSet) -> list[SectorMinimum]:
    """The exact minimum of the standard ReLU loss C over each closed sector (d = 2).

    On a sector C is a convex quadratic. Its minimum over the closed cone is attained at a
    stationary point inside, or on a boundary ray: if C is flat along some direction there, the
    line of minimizers leaves the (pointed) cone, so a boundary ray attains it too.
    """
    require_plane(data)
    expr = exact.loss_expr(model.standard_loss, data, activation="relu")
    normals = kink_normals(relu_arguments(data, bn=False))
    rays = {}
    out = []
    for sec in plane_sectors(normals):
        piece = relu_piece(expr, sec.inside)
        candidates = []
        for u in (sec.start, sec.end):
            rays.setdefault(u, _ray_minimum(expr, u))
            candidates.append((*rays[u], False))
        sol = sp.solve(exact.gradient(piece), list(weight_pair()), dict=True)
        if len(sol) == 1 and len(sol[0]) == 2:
            w = tuple(sol[0][s] for s in weight_pair())
            if strictly_inside(w, sec, normals):
                candidates.append((sp.radsimp(at_point(piece, w)), w, True))
        value, point, interior = min(candidates, key=lambda c: sp.N(c[0], PRECISION))
        out.append(SectorMinimum(sec.active, value, point, interior))
    return out


@dataclass(frozen=True)
class ReluMinimum:
    """The global minimum of a loss and every point attaining it."""

    value: sp.Expr
    minimizers: tuple[tuple[sp.Expr, sp.Expr], ...]


def standard_relu_minimum(data: LearningSet) -> ReluMinimum:
    """The exact global minimum of C(w) = Σᵢ (ReLU(⟨w, x̄⁽ⁱ⁾⟩) − ȳ⁽ⁱ⁾)² over w ∈ ℝ²."""
    minima = standard_relu_sector_minima(data)
    best = min(minima, key=lambda m: sp.N(m.value, PRECISION))
    points = []
    for m in minima:
        if sign_of(m.value - best.value) == 0 and m.point not in points:
            points.append(m.point)
    return ReluMinimum(best.value, tuple(points))


def linear_region_radius(w: Any, data: LearningSet) -> sp.Expr:
    """The radius of the largest ball around w on which every pre-activation stays > 0.

    On that ball the ReLU is the identity for every sample, so C_ReLU = C (the linear loss).
    It is minᵢ ⟨w, x̄⁽ⁱ⁾⟩/‖x̄⁽ⁱ⁾‖, the distance to the nearest kink line. Raises ValueError
    unless all pre-activations at w are > 0.
    """
    w = to_exact(w)
    z = model.standard_output(w, data.exact())
    if any(sign_of(v) <= 0 for v in z):
        raise ValueError(f"pre-activations {list(z)} at w = {list(w)}: expected all > 0")
    norms = [sp.sqrt(sum(c**2 for c in row)) for row in data.exact().x]
    return min((sp.radsimp(v / n) for v, n in zip(z, norms, strict=True)),
               key=lambda v: sp.N(v, PRECISION))

