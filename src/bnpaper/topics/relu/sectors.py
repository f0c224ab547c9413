"""Sectors of the weight plane on which every ReLU is on or off (chapter *ReLU*).

For d = 2 the lines where a ReLU argument (z_i = ⟨w, x̄⁽ⁱ⁾⟩, or ẑ_i for BN) is 0 pass through
w = 0 and cut the plane into cones, the *sectors*. On a sector each ReLU is the identity or
the zero map, so a loss built with ``activation="relu"`` is one smooth formula there
(:func:`relu_piece`). Exact signs of algebraic numbers are decided at :data:`PRECISION`
digits. Used by :mod:`bnpaper.topics.relu.standard` and :mod:`.critical`.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from math import lcm
from typing import Any

import mpmath
import numpy as np
import sympy as sp

from bnpaper.core import exact, geometry, model
from bnpaper.core.data import LearningSet

PRECISION = 50
"""Digits used to decide signs of exact algebraic numbers (roots of polynomials)."""

ZERO_TOL = sp.Float(10) ** (-30)
"""|value| below this, at PRECISION digits, counts as exactly 0."""

SIGMA = sp.Symbol("s", positive=True)
"""Stands for σ(w) = √(σ²(w)) in the sector formulas of Ĉ, which are rational in (w, s)."""


# --- Sectors: where each ReLU is on or off ------------------------------------------------

@dataclass(frozen=True)
class Sector:
    """An open cone between two consecutive kink rays (counter-clockwise from ``start``).

    ``active[i]`` says whether sample i passes the ReLU (its pre-activation is > 0) inside.
    """

    start: tuple[sp.Expr, sp.Expr]
    end: tuple[sp.Expr, sp.Expr]
    inside: tuple[sp.Expr, sp.Expr]
    active: tuple[bool, ...]


def weight_pair() -> tuple[sp.Symbol, sp.Symbol]:
    """The symbols (w₁, w₂) of :func:`bnpaper.core.exact.weight_symbols` for d = 2."""
    w1, w2 = exact.weight_symbols(2)
    return w1, w2


def require_plane(data: LearningSet) -> None:
    """Raise unless the learning set has d = 2 features (the sector analysis is planar)."""
    if data.d != 2:
        raise ValueError(f"the sector analysis handles d = 2; the data have d = {data.d}")


def sigma_base(expr: sp.Expr) -> sp.Expr | None:
    """The polynomial σ(w)² under the square roots of ``expr`` (None if it has none)."""
    bases = {p.base for p in expr.atoms(sp.Pow)
             if p.exp.is_Rational and p.exp.q == 2 and p.base.free_symbols}
    if len(bases) > 1:
        raise ValueError(f"expected one square root σ(w), found {len(bases)}: {bases}")
    return bases.pop() if bases else None


def with_sigma(expr: sp.Expr, base: sp.Expr, s: sp.Symbol = SIGMA) -> sp.Expr:
    """``expr`` with every power base**k written as s**(2k), s standing for σ(w)."""
    return expr.replace(lambda e: e.is_Pow and e.base == base, lambda e: s ** (2 * e.exp))


def sign_of(value: Any) -> int:
    """The sign of an exact number, decided at PRECISION digits (0 if |value| < ZERO_TOL)."""
    v = sp.N(value, PRECISION)
    if not v.is_real:
        raise ValueError(f"expected a real number, got {v}")
    return 0 if abs(v) < ZERO_TOL else (1 if v > 0 else -1)


@cache
def _mp_function(expr: sp.Expr) -> Any:
    return sp.lambdify([*weight_pair(), SIGMA], expr, modules="mpmath")


def sign_at(expr: sp.Expr, point: tuple[Any, Any], base: sp.Expr | None = None) -> int:
    """The sign of ``expr`` (in w and s = √base) at an exact ``point``, with mpmath at
    PRECISION digits.

    The point's coordinates (possibly roots of polynomials) are evaluated once, to
    PRECISION + 10 digits, so the expression is never re-evaluated symbolically.
    """
    with mpmath.workdps(PRECISION + 10):
        w = [mpmath.mpf(str(sp.N(c, PRECISION + 10))) for c in point]
        sigma = mpmath.sqrt(sp.lambdify(weight_pair(), base, "mpmath")(*w)) if base else 1
        v = _mp_function(expr)(*w, sigma)
        if isinstance(v, mpmath.mpc) or not mpmath.isfinite(v):
            raise ValueError(f"{expr} is not a finite real number at {point}")
        return 0 if abs(v) < mpmath.mpf(str(ZERO_TOL)) else (1 if v > 0 else -1)


def relu_arguments(data: LearningSet, bn: bool) -> list[sp.Expr]:
    """The argument of each sample's ReLU as an expression in w, in sample order:
    z_i = ⟨w, x̄⁽ⁱ⁾⟩ (standard neuron) or ẑ_i(w) = BN(z)_i (``bn=True``, γ = 1, β = 0)."""
    w = exact.weight_symbols(data.d)
    if bn:
        return list(model.bn_output(w, data.exact(), activation="identity"))
    return list(model.standard_output(w, data.exact(), activation="identity"))


def kink_normals(arguments: list[sp.Expr]) -> list[tuple[sp.Expr, sp.Expr]]:
    """For each ReLU argument, the normal n of its kink line ⟨w, n⟩ = 0 (sample order).

    An argument is ⟨w, n⟩ (standard neuron: n = x̄⁽ⁱ⁾) or ⟨w, n⟩/σ(w) (BN: n = x̄⁽ⁱ⁾ − mean);
    σ > 0 does not change the sign, so it is set to 1. n = (0, 0) if the argument is 0.
    """
    w1, w2 = weight_pair()
    normals = []
    for e in arguments:
        base = sigma_base(e)
        linear = sp.expand(with_sigma(e, base).subs(SIGMA, 1) if base is not None else e)
        poly = sp.Poly(linear, w1, w2)
        if not poly.is_zero and (not poly.is_homogeneous or poly.total_degree() != 1):
            raise ValueError(f"ReLU argument {e} is not linear in w over σ(w)")
        normals.append((poly.coeff_monomial(w1), poly.coeff_monomial(w2)))
    return normals


def primitive(v: tuple[sp.Expr, sp.Expr]) -> tuple[sp.Expr, sp.Expr]:
    """A rational direction as the shortest integer vector with the same direction."""
    if not all(isinstance(c, sp.Rational) for c in v):
        return v
    scale = lcm(*(int(sp.fraction(c)[1]) for c in v))
    ints = [int(c * scale) for c in v]
    g = np.gcd(*ints)
    return tuple(sp.Integer(i // g) for i in ints)


def plane_sectors(normals: list[tuple[sp.Expr, sp.Expr]]) -> list[Sector]:
    """The open cones between consecutive kink rays ±(−n₂, n₁), counter-clockwise.

    Needs at least two different kink lines, so that every sector is narrower than π and
    a positive combination of its boundary rays lies strictly inside it.
    """
    rays: list[tuple[sp.Expr, sp.Expr]] = []
    for n in normals:
        if n == (0, 0):
            continue  # this ReLU argument is identically 0: it never switches
        for sign in (1, -1):
            u = primitive((-sign * n[1], sign * n[0]))
            if u not in rays:
                rays.append(u)
    if len(rays) < 4:
        raise ValueError(f"the kink lines {normals} give {len(rays)} rays; the sector analysis "
                         "needs at least two different lines (inputs spanning the plane)")
    rays.sort(key=lambda u: float(geometry.polar_angle(u)))
    out = []
    for a, b in zip(rays, rays[1:] + rays[:1], strict=True):
        inside = tuple(a[i] / (abs(a[0]) + abs(a[1])) + b[i] / (abs(b[0]) + abs(b[1]))
                       for i in range(2))
        active = tuple(sign_of(n[0] * inside[0] + n[1] * inside[1]) > 0 for n in normals)
        out.append(Sector(a, b, inside, active))
    return out


def relu_piece(expr: sp.Expr, point: tuple[Any, Any]) -> sp.Expr:
    """``expr`` with each Max(0, e) replaced by e or 0, as the sign of e at ``point`` says.

    The result is the smooth formula of the loss on the sector containing ``point``.
    """
    subs = dict(zip(weight_pair(), point, strict=True))

    def branch(m: sp.Max) -> sp.Expr:
        e = next(a for a in m.args if a != 0)
        sign = sign_of(e.subs(subs))
        if sign == 0:
            raise ValueError(f"the point {point} lies on a kink (ReLU argument {e} = 0)")
        return e if sign > 0 else sp.Integer(0)

    return expr.replace(lambda e: isinstance(e, sp.Max), branch)


def at_point(expr: sp.Expr, point: tuple[Any, Any]) -> sp.Expr:
    """``expr`` with (w₁, w₂) = ``point`` substituted, unsimplified (exact)."""
    return expr.subs(dict(zip(weight_pair(), point, strict=True)))


def strictly_inside(u: tuple[Any, Any], sector: Sector, normals: list) -> bool:
    """Whether the direction u lies in the open sector (every ReLU argument has its sign)."""
    signs = [sign_of(n[0] * u[0] + n[1] * u[1]) for n in normals]
    return all(s == (1 if a else -1) for s, a, n in zip(signs, sector.active, normals,
                                                        strict=True) if n != (0, 0))
