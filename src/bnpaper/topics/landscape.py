"""The two loss landscapes C and Ĉ over the weight plane (chapter *The two loss landscapes*).

Gradient fields of both losses (the exact sympy gradient of :mod:`bnpaper.core.model`'s
loss, lambdified to numpy, so there is no second hand-written formula), Ĉ along circles,
its radial derivative, and the exact facts about directions the chapter glues. The
chapter's figures are in :mod:`bnpaper.presentation.figures.landscape`, its claims in
:mod:`bnpaper.claims.landscape`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import sympy as sp

from bnpaper.core import exact, geometry, least_squares, model
from bnpaper.core.data import LearningSet
from bnpaper.paper import counterexample

Loss = Callable[..., Any]
BNGradient = Callable[[LearningSet, tuple], Sequence[sp.Expr]]
"""(data, w) ↦ the exact ∇Ĉ(w)."""


def gradient_field(loss: Loss, data: LearningSet, **kwargs: Any) -> Callable[[Any], np.ndarray]:
    """w ↦ ∇_w loss(w), vectorized over w of shape (..., d), returning shape (..., d).

    ``loss`` is :func:`bnpaper.core.model.standard_loss` (C) or
    :func:`bnpaper.core.model.bn_loss` (Ĉ), with ``kwargs`` passed on. The gradient is
    derived once in exact arithmetic and turned into a numpy function; each call first
    evaluates ``loss`` itself, so invalid weights (wrong shape, non-finite, or σ(w) = 0 such
    as w = 0) raise the model's ValueError instead of returning NaN.
    """
    symbols = list(exact.weight_symbols(data.d))
    grad = exact.gradient(exact.loss_expr(loss, data, **kwargs), data.d)
    fn = sp.lambdify(symbols, grad, modules="numpy")
    numeric = data.numeric()

    def field(w: Any) -> np.ndarray:
        loss(w, numeric, **kwargs)  # validates w (raises where Ĉ is undefined)
        w = np.asarray(w, dtype=float)
        parts = fn(*np.moveaxis(w, -1, 0))
        return np.stack([np.broadcast_to(p, w.shape[:-1]) for p in parts], axis=-1)

    return field


def bn_loss_on_circle(data: LearningSet, theta: Any, radius: float = 1.0, **kwargs: Any
                      ) -> np.ndarray:
    """Ĉ(r cos θ, r sin θ) for each θ (shape of ``theta``): Ĉ on the circle of radius r."""
    if data.d != 2:
        raise ValueError(f"Ĉ on a circle needs d = 2 weights; the data have d = {data.d}")
    return model.bn_loss(geometry.unit_vectors(theta, radius), data.numeric(), **kwargs)


def radial_derivative(data: LearningSet, loss: Loss = model.bn_loss, **kwargs: Any) -> sp.Expr:
    """∂/∂r L(r cos θ, r sin θ) for r > 0 and L = ``loss`` (default Ĉ), simplified exactly.

    It is 0 iff L depends on the angle θ of w only (d = 2).
    """
    if data.d != 2:
        raise ValueError(f"polar coordinates need d = 2 weights; the data have d = {data.d}")
    w1, w2 = exact.weight_symbols(2)
    r, theta = sp.symbols("r theta", positive=True)
    polar = exact.loss_expr(loss, data, **kwargs).subs(
        {w1: r * sp.cos(theta), w2: r * sp.sin(theta)})
    return sp.simplify(sp.diff(polar, r))


def _cross(a: Sequence[Any], b: Sequence[Any]) -> Any:
    """a₁b₂ − a₂b₁: positive iff b lies counter-clockwise from a (within a half-turn)."""
    return a[0] * b[1] - a[1] * b[0]


@dataclass(frozen=True)
class LandscapeFacts:
    """Exact facts about Ĉ by direction, for d = 2 (angles in radians, in (−π, π])."""

    w_star: tuple[sp.Expr, sp.Expr]
    """W*, the optimum of C."""
    theta_w_star: sp.Expr
    """Angle of W*."""
    theta_min: sp.Expr
    """Angle of the ray of local minima of Ĉ."""
    theta_max: sp.Expr
    """Angle of the ray of local maxima of Ĉ."""
    c_hat_min: sp.Expr
    """Ĉ on the ray of minima."""
    c_hat_max: sp.Expr
    """Ĉ on the ray of maxima."""
    c_hat_w_star: sp.Expr
    """Ĉ(W*)."""
    descent: tuple[sp.Expr, sp.Expr]
    """−∇Ĉ(W*)."""
    theta_descent: sp.Expr | None
    """Angle of −∇Ĉ(W*); None when ∇Ĉ(W*) = 0 (W* on a stationary ray: no direction)."""
    descent_dot_w_star: sp.Expr
    """⟨−∇Ĉ(W*), W*⟩ (0: the descent direction is perpendicular to W*)."""
    slope_at_w_star: sp.Expr
    """dĈ/dθ at the angle of W*, = ⟨∇Ĉ(W*), J W*⟩ with J the rotation by +π/2."""
    turn_to_minima: sp.Expr
    """Signed angle from W* to the ray of minima (negative: clockwise)."""

    @property
    def descent_turn(self) -> str:
        """Which way a small step along −∇Ĉ(W*) rotates W*."""
        cross = _cross(self.w_star, self.descent)
        return "clockwise" if cross < 0 else "counter-clockwise" if cross > 0 else "not at all"

    @property
    def descent_turns_towards_minima(self) -> bool:
        """Whether −∇Ĉ(W*) rotates W* the short way round towards the ray of minima (False
        when it does not rotate W* at all)."""
        turn = sp.sign(_cross(self.w_star, self.descent))
        return bool(turn != 0 and turn == sp.sign(self.turn_to_minima))


def landscape_facts(data: LearningSet, bn_gradient: BNGradient = counterexample.bn_gradient_at
                    ) -> LandscapeFacts:
    """Derive the :class:`LandscapeFacts` of ``data`` exactly (d = 2).

    ``bn_gradient(data, w)`` is the exact ∇Ĉ(w) (default
    :func:`bnpaper.paper.counterexample.bn_gradient_at`); the descent direction, its angle,
    its product with W* and the slope along the circle come from it.
    """
    rays = {r.kind: r for r in counterexample.bn_stationary_rays(data)}
    w_star = tuple(least_squares.standard_optimum(data))
    grad = bn_gradient(data, w_star)
    descent = tuple(sp.radsimp(-g) for g in grad)
    c_hat = exact.loss_expr(model.bn_loss, data)
    v_min = rays["minimum"].direction
    return LandscapeFacts(
        w_star=w_star,
        theta_w_star=geometry.polar_angle(w_star),
        theta_min=geometry.polar_angle(v_min),
        theta_max=geometry.polar_angle(rays["maximum"].direction),
        c_hat_min=rays["minimum"].value,
        c_hat_max=rays["maximum"].value,
        c_hat_w_star=exact.at(c_hat, w_star),
        descent=descent,
        theta_descent=None if all(d == 0 for d in descent) else geometry.polar_angle(descent),
        descent_dot_w_star=sp.simplify(sum(d * w for d, w in zip(descent, w_star, strict=True))),
        # chain rule: d/dθ Ĉ(r cos θ, r sin θ) = ⟨∇Ĉ(w), (−w₂, w₁)⟩
        slope_at_w_star=sp.radsimp(grad[0] * -w_star[1] + grad[1] * w_star[0]),
        turn_to_minima=sp.atan2(_cross(w_star, v_min),
                                sum(a * b for a, b in zip(w_star, v_min, strict=True))),
    )
