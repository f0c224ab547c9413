"""ReLU after BN against the plain ReLU neuron (chapter *ReLU*).

The standard ReLU neuron φ_w(x̄) = ReLU(⟨w, x̄⟩) has loss C(w), the BN-ReLU neuron
φ̂_w(x̄) = ReLU(BN(⟨w, x̄⟩)) has loss Ĉ(w); both come from :mod:`bnpaper.model` with
``activation="relu"``. For d = 2 the lines where a pre-activation is 0 cut the weight plane
into *sectors* (cones with apex 0, :mod:`bnpaper.sectors`). Inside a sector every ReLU is
either the identity or 0, so the loss is smooth there, and the optima are found exactly,
sector by sector:

- C is a convex quadratic on each closed sector: its minimum there is an interior stationary
  point or lies on a boundary ray (:func:`standard_relu_minimum`);
- Ĉ depends only on the direction of w: its critical directions are the roots of
  dĈ/dθ on each open sector, made polynomial by squaring out σ(w), plus the kinks between
  sectors (:func:`bn_relu_critical_rays`).

:func:`numeric_local_minima` (a fine angular grid refined by golden-section search) and
grid search are the independent numeric checks.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

import numpy as np
import sympy as sp

from bnpaper.core import exact, geometry, model
from bnpaper.core.data import LearningSet
from bnpaper.core.namespace import to_exact
from bnpaper.paper import lemma
from bnpaper.paper.counterexample import counterexample_set
from bnpaper.presentation import plots
from bnpaper.topics.sectors import (
    PRECISION,
    SIGMA,
    Sector,
    at_point,
    kink_normals,
    plane_sectors,
    polar_angle,
    primitive,
    relu_arguments,
    relu_piece,
    require_plane,
    sigma_base,
    sign_at,
    sign_of,
    strictly_inside,
    weight_pair,
    with_sigma,
)

if TYPE_CHECKING:
    from matplotlib.figure import Figure

# --- The standard ReLU neuron: exact global minimum of C ----------------------------------

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


def bn_relu_outputs_at(data: LearningSet, w: Any) -> list[sp.Expr]:
    """The exact BN-ReLU outputs φ̂_w(x̄⁽ⁱ⁾) = ReLU(ẑᵢ(w)) of every sample."""
    return [sp.radsimp(v) for v in model.bn_output(to_exact(w), data.exact(), activation="relu")]


def bn_relu_output_range(data: LearningSet, n: int = 36_000) -> tuple[float, int]:
    """Over n directions on the unit circle: the largest BN-ReLU output, and the fewest
    samples whose output is 0 (numeric check of the bounds √(M − 1) and ≥ 1)."""
    theta = np.linspace(-np.pi, np.pi, n, endpoint=False)
    out = model.bn_output(unit_directions(theta), data.numeric(), activation="relu")
    return float(out.max()), int((out == 0).sum(axis=-1).min())


# --- The BN-ReLU neuron: exact critical directions of Ĉ -----------------------------------

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
        return polar_angle(self.direction)


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


AUTODIFF_TOL = 1e-12
"""Largest entrywise gap accepted between the exact ∇Ĉ and JAX autodiff's, in float64."""


def autodiff_agrees(data: LearningSet, w: tuple[Any, Any], gradient: Any,
                    tol: float = AUTODIFF_TOL) -> bool:
    """Whether JAX autodiff's ∇Ĉ (BN, then ReLU) at w is within ``tol`` of ``gradient``
    (the exact one, :func:`bn_relu_gradient_at`) in every entry: an independent check."""
    from bnpaper.core.autodiff import gradient as autodiff_gradient

    numeric = autodiff_gradient(model.bn_loss, data.numeric(), activation="relu")(
        np.array(exact.to_floats(w)))
    return bool(np.allclose(exact.to_floats(gradient), numeric, rtol=0, atol=tol))


# --- Independent numerics: a fine angular grid, refined -----------------------------------

def unit_directions(theta: np.ndarray) -> np.ndarray:
    """(cos θ, sin θ) for every angle: shape (..., 2) (:func:`bnpaper.geometry.unit_vectors`)."""
    return geometry.unit_vectors(theta)


def angular_profile(data: LearningSet, n: int = 3600, activation: str = "relu"
                    ) -> tuple[np.ndarray, np.ndarray]:
    """θ on a grid of n angles in [−π, π) and Ĉ(cos θ, sin θ) there."""
    if n < 8:
        raise ValueError(f"n = {n} angles; expected n >= 8")
    theta = np.linspace(-np.pi, np.pi, n, endpoint=False)
    return theta, model.bn_loss(unit_directions(theta), data.numeric(), activation=activation)


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
        return model.bn_loss(unit_directions(t), num, activation=activation)

    best = _golden_section(f, theta[k] - step, theta[k] + step, iters)
    best = np.angle(np.exp(1j * best))  # back into (−π, π]
    vals = f(best)
    order = np.argsort(vals)
    return best[order], vals[order]


def angle_between(a: Any, b: Any) -> float:
    """The angle in radians, in [0, π], between two nonzero directions a and b (exact input
    is fine); :func:`bnpaper.geometry.angle`, which stays accurate for tiny angles."""
    u, v = (np.array(exact.to_floats(tuple(p))) for p in (a, b))
    return float(geometry.angle(u, v))


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


# --- Lemma 4.5 with the BN-ReLU optima -------------------------------------------------------

def lemma_lhs(w0: Any, directions: list[tuple[Any, Any]]) -> Any:
    """‖W₀ − Ŵ*‖², Ŵ* the closest point of the given rays of optima (w = 0 excluded)."""
    if not directions:
        raise ValueError("no rays of optima given")
    w0 = to_exact(w0)
    dists = [lemma.distance_sq_to_ray(w0, to_exact(v)) for v in directions]
    return min(dists, key=lambda v: sp.N(v, PRECISION))


def numeric_lemma_lhs(w0: Any, angles: np.ndarray) -> float:
    """‖W₀ − Ŵ*‖² in float64, Ŵ* the closest point of the rays at the given angles.

    The distance to the ray t·u (‖u‖ = 1, t > 0) is ‖W₀‖² − ⟨W₀, u⟩² if ⟨W₀, u⟩ > 0, else
    ‖W₀‖² (the infimum at t → 0). Independent of :func:`lemma_lhs` and of the exact rays.
    """
    w0 = np.asarray(w0, dtype=float)
    if w0.shape != (2,) or not np.all(np.isfinite(w0)):
        raise ValueError(f"W0 = {w0.tolist()}; expected two finite weights")
    if np.size(angles) == 0:
        raise ValueError("no rays of optima given (angles is empty)")
    inner = unit_directions(np.asarray(angles, dtype=float)) @ w0
    return float(np.min(w0 @ w0 - np.maximum(inner, 0.0) ** 2))


# --- A small teacher set the chapter makes itself ------------------------------------------

def teacher_set(seed: int = 0, m: int = 6, teacher: tuple[int, int] = (1, -2),
                low: int = -3, high: int = 3) -> LearningSet:
    """M = m integer inputs drawn with ``np.random.default_rng(seed)`` and labels a BN-ReLU
    neuron fits exactly: ȳ⁽ⁱ⁾ = ReLU(BN(⟨v, x̄⁽ⁱ⁾⟩)), v = ``teacher``. Exact entries."""
    if m < 3:
        raise ValueError(f"m = {m}; expected m >= 3 samples")
    if low >= high:
        raise ValueError(f"low = {low} >= high = {high}; expected an interval of integers")
    x = np.random.default_rng(seed).integers(low, high + 1, size=(m, 2))
    if np.linalg.matrix_rank(x - x.mean(axis=0)) < 2:
        raise ValueError(f"seed {seed}: the centred inputs do not span the plane; pick another")
    inputs = LearningSet(to_exact(x), to_exact(np.zeros(m, dtype=int)))
    labels = model.bn_output(to_exact(teacher), inputs, activation="relu")
    return LearningSet(inputs.x, np.array([sp.radsimp(v) for v in labels], dtype=object))


# --- Figures ---------------------------------------------------------------------------------

def _kink_lines(ax: Any, normals: list, lim: float, label: str) -> None:
    for i, n in enumerate(n for n in normals if n != (0, 0)):
        u = np.array([-float(n[1]), float(n[0])])
        u = u / np.abs(u).max() * lim
        ax.plot([-u[0], u[0]], [-u[1], u[1]], ls=":", lw=1, color=plots.OKABE_ITO["black"],
                label=label if i == 0 else None)


def landscape_figure(data: LearningSet, w_star: Any, minima: list[CriticalRay],
                     lim: float = 4.0) -> Figure:
    """C and Ĉ of the ReLU neurons side by side: W*, the rays of BN-ReLU minima, the kinks."""
    import matplotlib.pyplot as plt  # after bnpaper.plots has chosen the backend

    num = data.numeric()
    w1, w2, w = geometry.weight_grid(lim)
    ws = np.asarray(w_star, dtype=float)
    fig, axes = plt.subplots(1, 2, figsize=(10, 4.8))
    panels = [(model.standard_loss, "$C(w)$", "Standard ReLU neuron: $C$"),
              (model.bn_loss, r"$\hat C(w)$", r"BN-ReLU neuron: $\hat C$")]
    for ax, (loss, label, title) in zip(axes, panels, strict=True):
        values = loss(w, num, activation="relu")
        # Quantile levels: equal-area bands, readable for C (which grows like ‖w‖²) and Ĉ;
        # unique, because C is constant (= Σ ȳ²) on the sector where every ReLU is off.
        levels = np.unique(np.quantile(values, np.linspace(0, 1, 21)))
        cs = ax.contourf(w1, w2, values, levels=levels, cmap="cividis")
        fig.colorbar(cs, ax=ax, label=label, format="%.0f")
        ax.set(xlabel=r"$w_1$", ylabel=r"$w_2$", aspect="equal", title=title,
               xlim=(-lim, lim), ylim=(-lim, lim))
    _kink_lines(axes[0], kink_normals(relu_arguments(data, bn=False)), lim,
                r"kinks $\langle w,\bar x^{(i)}\rangle=0$")
    _kink_lines(axes[1], kink_normals(relu_arguments(data, bn=True)), lim,
                r"kinks $\hat z_i = 0$")
    styles = [dict(color=plots.OKABE_ITO["orange"], lw=3)] + [
        dict(color=plots.OKABE_ITO["vermillion"], lw=1.5, ls="--")] * (len(minima) - 1)
    labels = [r"global minima of $\hat C$"] + [r"other local minima of $\hat C$"] + [None] * 9
    for ray, style, lab in zip(minima, styles, labels, strict=False):
        plots.draw_ray(axes[1], exact.to_floats(ray.direction), lim, label=lab, **style)
    for ax in axes:
        ax.plot(*ws, "o", color=plots.OKABE_ITO["sky"], ms=9, mec="black",
                label=r"$W^*$, optimum of $C$")
        ax.legend(loc="lower left", framealpha=0.9)
    return fig


def _mark_extrema(ax: Any, rays: list[CriticalRay], **kwargs: Any) -> None:
    for kind, marker, colour in (("minimum", "o", "orange"), ("maximum", "v", "purple")):
        pts = [(np.degrees(r.angle), float(sp.N(r.value, 20))) for r in rays if r.kind == kind]
        ax.plot(*np.array(pts).T, marker, ms=7, mec="black", ls="none",
                color=plots.OKABE_ITO[colour], **kwargs.get(kind, {}))


def angle_figure(data: LearningSet, rays: list[CriticalRay], w_star: Any,
                 bn_linear_direction: Any, zoom: tuple[float, float] = (161.4, 163.0)
                 ) -> Figure:
    """Ĉ along the unit circle, ReLU and identity activation, with extrema and kinks marked.

    An inset magnifies the angles ``zoom`` (degrees), where a shallow minimum sits next to
    a kink.
    """
    import matplotlib.pyplot as plt  # after bnpaper.plots has chosen the backend

    theta, relu_values = angular_profile(data, 7200)
    _, lin_values = angular_profile(data, 7200, activation="identity")
    deg = np.degrees(theta)
    fig, ax = plt.subplots(figsize=(8, 5))
    normals = kink_normals(relu_arguments(data, bn=True))
    normals = [n for n in normals if n != (0, 0)]
    for n in normals:
        for sign in (1, -1):
            ax.axvline(np.degrees(polar_angle((-sign * n[1], sign * n[0]))),
                       color=plots.OKABE_ITO["black"], lw=0.6, ls=":")
    ax.plot(deg, relu_values, color=plots.OKABE_ITO["blue"], lw=2,
            label=r"$\hat C$, BN then ReLU")
    ax.plot(deg, lin_values, color=plots.OKABE_ITO["green"], lw=1.5, ls="--",
            label=r"$\hat C$, BN, identity (the paper)")
    _mark_extrema(ax, rays, minimum={"label": r"local minima of ReLU $\hat C$"},
                  maximum={"label": r"local maxima of ReLU $\hat C$"})
    for angle, lab, ls in ((polar_angle(tuple(w_star)), r"direction of $W^*$", "-"),
                           (polar_angle(tuple(bn_linear_direction)),
                            r"minima of identity $\hat C$", "-.")):
        ax.axvline(np.degrees(angle), color=plots.OKABE_ITO["black"], lw=1.2, ls=ls, label=lab)
    ax.set(xlabel=r"angle $\theta$ of $w = (\cos\theta, \sin\theta)$ (degrees); dotted: "
           r"kinks $\hat z_i = 0$", ylabel=r"$\hat C$", xlim=(-180, 180),
           xticks=np.arange(-180, 181, 45), ylim=(150, 235),
           title=r"The BN losses along the unit circle (they depend on the angle only)")
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.15), ncol=3, fontsize=8)
    inset = ax.inset_axes([0.09, 0.05, 0.3, 0.32])
    zdeg = np.linspace(*zoom, 400)
    inset.plot(zdeg, model.bn_loss(unit_directions(np.radians(zdeg)), data.numeric(),
                                   activation="relu"), color=plots.OKABE_ITO["blue"], lw=1.5)
    _mark_extrema(inset, [r for r in rays if zoom[0] <= np.degrees(r.angle) <= zoom[1]])
    for n in normals:
        for sign in (1, -1):
            k = np.degrees(polar_angle((-sign * n[1], sign * n[0])))
            if zoom[0] <= k <= zoom[1]:
                inset.axvline(k, color=plots.OKABE_ITO["black"], lw=0.6, ls=":")
    inset.set_title(f"zoom: {zoom[0]:.1f}° to {zoom[1]:.1f}°", fontsize=8)
    inset.tick_params(labelsize=7)
    inset.ticklabel_format(useOffset=False)
    inset.yaxis.set_major_formatter("{x:.2f}")
    inset.set_xticks(np.linspace(*zoom, 3))
    inset.xaxis.set_major_formatter("{x:.1f}°")
    return fig


# --- Claims ------------------------------------------------------------------------------------

@cache
def paper_set_analysis() -> dict[str, Any]:
    """The chapter's exact results on the paper's learning set (cached: used by claims)."""
    data = counterexample_set()
    from bnpaper.core.least_squares import standard_optimum

    w_star = standard_optimum(data)
    minima = bn_relu_minima(data)
    angles, _ = numeric_local_minima(data)
    return {
        "numeric_lhs": numeric_lemma_lhs(exact.to_floats(w_star), angles),
        "w_star": w_star,
        "standard": standard_relu_minimum(data),
        "gradient": bn_relu_gradient_at(data, w_star),
        "minima": minima,
        "lhs": lemma_lhs(w_star, [r.direction for r in minima]),
        "rhs": lemma.lemma_rhs(to_exact(w_star), to_exact(w_star)),
    }


def claims() -> list:
    """The chapter's main results on the paper's learning set, re-derived exactly."""
    from bnpaper.claims import Claim, Evidence

    a = paper_set_analysis()
    std, grad, best = a["standard"], exact.to_floats(a["gradient"]), a["minima"][0]
    src = "book, ReLU"
    return [
        Claim("relu-1", "W* = (1, 3) is still the unique global minimum of the standard ReLU "
              "loss C", src, "—", f"{tuple(std.minimizers)}, C = {std.value}",
              "exact minimum over each sector of constant ReLU pattern (sympy)",
              std.minimizers == (a["w_star"],), Evidence.DERIVED),
        Claim("relu-2", "∇Ĉ(W*) ≠ 0 for BN-ReLU: W* is not a stationary point", src, "—",
              f"({grad[0]:.6f}, {grad[1]:.6f})", "exact gradient of the smooth piece (sympy)",
              any(g != 0 for g in grad), Evidence.DERIVED),
        Claim("relu-3", "the global minima of the BN-ReLU loss Ĉ are the ray t·(1, 0), t > 0",
              src, "—", f"ray t·{best.direction}, Ĉ = {best.value}",
              "exact critical directions per sector and at kinks (sympy)",
              best.direction == (1, 0) and sign_of(a["minima"][1].value - best.value) > 0,
              Evidence.DERIVED),
        Claim("relu-4", "Lemma 4.5 fails at W₀ = W* for BN-ReLU: the distance lhs from W* to"
              " the closest ray of BN-ReLU local minima is > 0 (the rhs is 0 at W₀ = W* by"
              " construction)", src, "—",
              f"lhs = {a['lhs']} (numeric rays: {a['numeric_lhs']:.4f}), rhs = {a['rhs']}",
              "exact distance to the closest ray of BN-ReLU local minima (sympy); the same"
              " distance to the rays found numerically (golden-section search)",
              sign_of(a["lhs"]) > 0 and a["numeric_lhs"] > 0
              and abs(a["numeric_lhs"] - float(a["lhs"])) < 1e-6 * float(a["lhs"]),
              Evidence.DERIVED),
    ]
