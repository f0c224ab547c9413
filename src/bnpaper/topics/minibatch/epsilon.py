"""BN with ε > 0 (chapter *Mini-batches and ε*): the shrink factor, where Ĉ_ε has a
minimum (and the proposition's γ̄), and the independent check that it has none on the
paper's set (Ĉ_ε along the ray of the ε = 0 minima, and polar grids of discs); gradient
descent on Ĉ_ε and Ĉ_{b,ε}."""

from __future__ import annotations

import numbers
from dataclasses import dataclass
from typing import Any

import numpy as np
import sympy as sp

from bnpaper.core import exact, geometry, least_squares, model
from bnpaper.core.autodiff import jax_x64
from bnpaper.core.data import LearningSet
from bnpaper.core.namespace import SYMPY, convert, namespace_of, to_exact
from bnpaper.paper import counterexample
from bnpaper.topics.minibatch.pairs import batches, check_batch_size, minibatch_loss

PYTORCH_EPS = sp.Rational(1, 10**5)
"""torch.nn.BatchNorm1d's default ε = 10⁻⁵, exact."""


def shrink_factor(w: Any, data: LearningSet, eps: Any) -> Any:
    """t(w) = σ(w)/√(σ(w)² + ε) ∈ (0, 1), with BN_ε = t(w)·BN. w: (..., d) → (...); σ(w) > 0."""
    xp = namespace_of(w)
    z = model.pre_activations(convert(w, xp), convert(data.x, xp))
    t = model.batch_std(z, xp) / model.batch_std(z, xp, eps=eps)
    return t[..., 0].item() if xp is SYMPY and t.ndim == 1 else t[..., 0]


def scale_defect(data: LearningSet) -> sp.Expr:
    """Ĉ_ε(c·w) − Ĉ_{ε/c²}(w) for symbols c, ε > 0, simplified: zero (so Ĉ_ε(cw) → Ĉ(w))."""
    c, e = sp.symbols("c epsilon", positive=True)
    loss = exact.loss_expr(model.bn_loss, data, eps=e)
    w = exact.weight_symbols(data.d)
    scaled = loss.subs({s: c * s for s in w}, simultaneous=True)
    return sp.simplify(scaled - loss.subs(e, e / c**2))


def best_gamma(data: LearningSet) -> sp.Expr:
    """γ̄ = max_w γ*(w), the largest best-fitting γ of any direction, exact.

    γ*(w) = ⟨ẑ(w), ȳ⟩/M (the chapter *Learned γ and β*) is ⟨X_c w, y_c⟩/(√M ‖X_c w‖), so by
    Cauchy–Schwarz it is largest at w = v̂ = (X_cᵀX_c)⁻¹X_cᵀy_c, the slope with intercept,
    which spans the ε = 0 minima (there Ĉ = M + ‖ȳ‖² − 2Mγ* is smallest).
    """
    ex = data.exact()
    v_hat = least_squares.linear_fits(ex).v_hat
    return sp.radsimp(sum(model.bn_output(v_hat, ex) * ex.y) / ex.M)


@dataclass(frozen=True)
class EpsMinimum:
    """Where Ĉ_ε (batch = the whole set, ε > 0, γ = 1, β = 0) attains its infimum, if at all."""

    gamma_bar: sp.Expr
    """γ̄ = max_w γ*(w)."""
    exists: bool
    """True iff γ̄ < 1: then Ĉ_ε has exactly one minimizer (a point, not a ray)."""
    point: tuple | None
    """The minimizer, exact, or None."""
    infimum: sp.Expr
    """inf Ĉ_ε: ‖ȳ‖² − M γ̄² if γ̄ < 1, else min Ĉ (ε = 0), approached as ‖w‖ → ∞."""


def eps_minimum(data: LearningSet, eps: Any) -> EpsMinimum:
    """The minimizer of Ĉ_ε, derived from Ĉ_ε(w) = M t² − 2M t γ*(w) + ‖ȳ‖², t = t(w) < 1.

    On a ray the loss is a parabola in t with vertex t = γ*; a stationary point needs
    ∂γ*/∂(direction) = 0 (the direction v of the profile minima) and t = γ̄ < 1.
    The proposition's hypotheses are checked (ValueError otherwise): d = 2, X_c of full
    column rank (σ(u) > 0 in every direction u) and X_cᵀȳ ≠ 0.
    """
    ex = data.exact()
    eps = sp.nsimplify(eps)
    if not eps > 0:
        raise ValueError(f"eps = {eps}; expected eps > 0 (for eps = 0 see "
                         "bnpaper.paper.counterexample)")
    xc = sp.Matrix((ex.x - ex.x.sum(axis=0) / ex.M).tolist())
    if xc.rank() < ex.d:
        raise ValueError(f"the centred inputs X_c have rank {xc.rank()} < d = {ex.d}: σ(w) = 0 "
                         "for some direction w ≠ 0, outside the proposition's hypotheses")
    if all(c == 0 for c in xc.T * sp.Matrix(list(ex.y))):
        raise ValueError("X_cᵀȳ = 0: γ*(w) = 0 for every w, there is no ray of ε = 0 minima")
    v = least_squares.linear_fits(ex).v_hat  # γ* > 0 is largest on the ray t·v̂, t > 0
    gamma_bar = best_gamma(ex)
    y_sq = sum(ex.y * ex.y)
    if gamma_bar >= 1:
        return EpsMinimum(gamma_bar, False, None, sp.nsimplify(y_sq + ex.M - 2 * ex.M * gamma_bar))
    sigma_v = model.batch_std(ex.x @ np.array(v, dtype=object), SYMPY)[0]
    sigma = sp.sqrt(eps * gamma_bar**2 / (1 - gamma_bar**2))  # t = σ/√(σ² + ε) = γ̄
    point = tuple(sp.radsimp(sp.simplify(c * sigma / sigma_v)) for c in v)
    return EpsMinimum(gamma_bar, True, point, sp.nsimplify(y_sq - ex.M * gamma_bar**2))


@dataclass(frozen=True)
class RayDescent:
    """Ĉ_ε along the ray r·v̂ of the ε = 0 minima (r > 0), derived from model.bn_loss.

    An independent test of "no minimum": it uses neither γ̄ nor :func:`eps_minimum`.
    """

    direction: tuple
    """v̂, the direction of the ε = 0 minima
    (:func:`bnpaper.paper.counterexample.bn_minima_direction`)."""
    stationary_radii: tuple
    """The roots r > 0 of dĈ_ε(r v̂)/dr, exact (none: no stationary point on the ray)."""
    slope_at_one: sp.Expr
    """dĈ_ε(r v̂)/dr at r = 1/‖v̂‖ (the unit vector), exact."""
    limit: sp.Expr
    """lim_{r→∞} Ĉ_ε(r v̂), exact."""

    @property
    def strictly_decreasing(self) -> bool:
        """No stationary radius and a negative slope: Ĉ_ε(r v̂) falls for every r > 0."""
        return not self.stationary_radii and bool(self.slope_at_one < 0)


def ray_descent(data: LearningSet, eps: Any, direction: Any = None) -> RayDescent:
    """Ĉ_ε(r v̂) as an exact function of r > 0: its stationary radii, slope and limit.

    ``direction`` is v̂ (default: the ε = 0 minima's,
    :func:`bnpaper.paper.counterexample.bn_minima_direction`).
    """
    ex = data.exact()
    eps = sp.nsimplify(eps)
    if not eps > 0:
        raise ValueError(f"eps = {eps}; expected eps > 0")
    v = to_exact(counterexample.bn_minima_direction(ex) if direction is None else direction)
    unit = v / sp.sqrt(sum(c * c for c in v))
    r = sp.Symbol("r", positive=True)
    f = sp.simplify(model.bn_loss(np.array([r * c for c in unit], dtype=object), ex, eps=eps))
    slope = sp.simplify(sp.diff(f, r))
    roots = tuple(sp.solve(sp.numer(sp.together(slope)), r))  # sympy squares out the roots
    return RayDescent(tuple(v), roots, sp.radsimp(slope.subs(r, 1)), sp.limit(f, r, sp.oo))


def disc_minima(data: LearningSet, eps: float, radii: tuple[float, ...] = (1.0, 10.0, 100.0),
                n_angles: int = 1440, n_radii: int = 200) -> list[tuple[float, float]]:
    """For each R: (‖w‖ at the smallest Ĉ_ε on a polar grid of the closed disc ‖w‖ ≤ R,
    that smallest value). A minimum of Ĉ_ε inside a disc would show as ‖w‖ < R.

    The grid: ``n_angles`` directions times ``n_radii`` radii from R·10⁻⁶ to R
    (geometric), and w = 0, float64.
    """
    if not (np.isfinite(eps) and eps > 0):
        raise ValueError(f"eps = {eps}; expected a finite eps > 0")
    if not radii or not all(np.isfinite(r) and r > 0 for r in radii):
        raise ValueError(f"radii = {radii}; expected finite radii R > 0")
    if n_angles < 4 or n_radii < 2:
        raise ValueError(f"n_angles = {n_angles}, n_radii = {n_radii}; expected at least 4 "
                         "angles and 2 radii")
    num = data.numeric()
    theta = np.linspace(-np.pi, np.pi, n_angles, endpoint=False)
    out = []
    for big_r in radii:
        rad = np.geomspace(big_r * 1e-6, big_r, n_radii)
        w = geometry.unit_vectors(theta[:, None], rad[None, :])
        values = model.bn_loss(w, num, eps=eps)
        k = np.unravel_index(np.argmin(values), values.shape)
        at_zero = float(np.sum(num.y**2))  # Ĉ_ε(0) = ‖ȳ‖²
        best = (float(rad[k[1]]), float(values[k])) if values[k] < at_zero else (0.0, at_zero)
        out.append(best)
    return out


def pairs_eps_gradient(data: LearningSet, w: Any, eps: Any) -> list[sp.Expr]:
    """∇Ĉ_{2,ε}(w), exact: the gradient of the mean of the pair losses with ε (sympy)."""
    ex = data.exact()
    eps = sp.nsimplify(eps)
    pairs = [exact.loss_expr(model.bn_loss, ex.subset(p), eps=eps) for p in batches(ex.M, 2)]
    return [sp.radsimp(g) for g in exact.at(exact.gradient(sum(pairs) / len(pairs), ex.d),
                                            to_exact(w))]


def scaled_labels(data: LearningSet, factor: Any) -> LearningSet:
    """The same inputs with labels ȳ·factor (exact): small labels make γ̄ < 1."""
    ex = data.exact()
    return LearningSet(ex.x, to_exact(ex.y * sp.nsimplify(factor)))


def descent(data: LearningSet, w0: Any, eps: float, steps: int = 2000, lr: float = 0.1,
            batch_size: int | None = None) -> np.ndarray:
    """Plain gradient descent w ← w − η ∇Ĉ_ε(w) (Ĉ_{b,ε} if ``batch_size``), JAX, float64.

    Returns the path, shape (steps + 1, d). Deterministic (no sampling: every batch, every step).
    """
    data = data.numeric()
    b = data.M if batch_size is None else check_batch_size(batch_size, data.M)
    w0 = np.asarray(w0, dtype=float)
    if w0.shape != (data.d,) or not np.all(np.isfinite(w0)):
        raise ValueError(f"w0 = {w0.tolist()}; expected {data.d} finite weights")
    if isinstance(steps, bool) or not isinstance(steps, numbers.Integral) or steps < 1:
        raise ValueError(f"steps = {steps!r}; expected a positive integer")
    jax = jax_x64()
    grad = jax.grad(lambda w: minibatch_loss(w, data, b, eps=eps))

    def step(w: Any, _: Any) -> tuple[Any, Any]:
        w = w - lr * grad(w)
        return w, w

    _, path = jax.jit(lambda w: jax.lax.scan(step, w, None, length=steps))(jax.numpy.asarray(w0))
    return np.concatenate([w0[None], np.asarray(path)])


DISC_RADII = (1.0, 10.0, 100.0)
"""The radii R of the discs ‖w‖ ≤ R that :func:`no_minimum_check` searches."""


@dataclass(frozen=True)
class NoMinimumCheck:
    """The independent test of "Ĉ_ε has no minimum" (:func:`no_minimum_check`)."""

    ray: RayDescent
    """Ĉ_ε along the ray of the ε = 0 minima."""
    discs: list[tuple[float, float]]
    """For each R of :data:`DISC_RADII`: (‖w‖ where the polar grid of the disc is smallest,
    that value)."""
    c_hat_min: sp.Expr
    """min Ĉ for ε = 0, from :func:`bnpaper.paper.counterexample.bn_stationary_rays`."""

    @property
    def on_boundary(self) -> bool:
        """Every disc's smallest grid value lies on its boundary circle, above min Ĉ."""
        return all(r == big_r and value > float(self.c_hat_min)
                   for (r, value), big_r in zip(self.discs, DISC_RADII, strict=True))

    @property
    def tends_to_minimum(self) -> bool:
        """Along the ray Ĉ_ε tends to min Ĉ (ε = 0), exactly."""
        return bool(sp.simplify(self.ray.limit - self.c_hat_min) == 0)

    @property
    def holds(self) -> bool:
        """No minimum: strictly falling along the ray towards min Ĉ, and no disc holds one."""
        return bool(self.ray.strictly_decreasing and self.tends_to_minimum and self.on_boundary)

    @property
    def summary(self) -> str:
        """What was found, for the claims table."""
        return (f"dĈ_ε(r·{self.ray.direction})/dr has {len(self.ray.stationary_radii)} roots "
                f"r > 0 and is {'< 0' if self.ray.slope_at_one < 0 else '>= 0'}; limit "
                f"{self.ray.limit}; disc minima at ‖w‖ = R: {self.on_boundary}")


def no_minimum_check(data: LearningSet, eps: Any, direction: Any = None) -> NoMinimumCheck:
    """Whether Ĉ_ε has no minimum, tested without γ̄ or :func:`eps_minimum`.

    Along the ray of the ε = 0 minima Ĉ_ε(r v̂) should have no stationary radius, fall for
    every r > 0 and tend to min Ĉ (ε = 0), so it is not attained there; and on a polar grid
    of each disc ‖w‖ ≤ R (:data:`DISC_RADII`) the smallest value should lie on the boundary
    and above min Ĉ, so that no disc holds a minimizer. ``direction``: as for
    :func:`ray_descent`.
    """
    c_hat_min = next(r.value for r in counterexample.bn_stationary_rays(data)
                     if r.kind == "minimum")
    return NoMinimumCheck(ray_descent(data, eps, direction),
                          disc_minima(data, float(eps), DISC_RADII), c_hat_min)
