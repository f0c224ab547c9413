"""The two loss landscapes C and Ĉ over the weight plane (chapter *The two loss landscapes*).

Gradient fields of both losses (the exact sympy gradient of :mod:`bnpaper.model`'s loss,
lambdified to numpy, so there is no second hand-written formula), angles of weight vectors,
Ĉ along circles, the exact facts about directions the chapter glues, and its two figures.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import sympy as sp

from bnpaper.core import exact, geometry, least_squares, model
from bnpaper.core.data import LearningSet
from bnpaper.core.geometry import unit_vectors
from bnpaper.paper import counterexample
from bnpaper.presentation import plots

Loss = Callable[..., Any]


def gradient_function(loss: Loss, data: LearningSet, **kwargs: Any
                      ) -> Callable[[Any], np.ndarray]:
    """w ↦ ∇_w loss(w), vectorized over w of shape (..., d), returning shape (..., d).

    ``loss`` is :func:`bnpaper.model.standard_loss` (C) or :func:`bnpaper.model.bn_loss` (Ĉ),
    with ``kwargs`` passed on. The gradient is derived once in exact arithmetic and turned
    into a numpy function; each call first evaluates ``loss`` itself, so invalid weights
    (wrong shape, non-finite, or σ(w) = 0 such as w = 0) raise the model's ValueError instead
    of returning NaN.
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
    return model.bn_loss(unit_vectors(theta, radius), data.numeric(), **kwargs)


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


def landscape_facts(data: LearningSet) -> LandscapeFacts:
    """Derive the :class:`LandscapeFacts` of ``data`` exactly (d = 2)."""
    rays = {r.kind: r for r in counterexample.bn_stationary_rays(data)}
    w_star = tuple(least_squares.standard_optimum(data))
    grad = counterexample.bn_gradient_at(data, w_star)
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


def _mark_common(ax: Any, w_star: np.ndarray) -> None:
    ax.plot(*w_star, "o", color=plots.OKABE_ITO["sky"], ms=9, mec="black", zorder=5,
            label=r"$W^*$, optimum of $C$")


def landscapes_figure(data: LearningSet, facts: LandscapeFacts, lim: float = 4.0,
                      n: int = 200, n_arrows: int = 16) -> Any:
    """C and Ĉ side by side over [−lim, lim]², with normalized −∇ fields (unit arrows).

    Marks W*, the rays of BN minima and maxima, and w = 0 where Ĉ is undefined.
    """
    import matplotlib.pyplot as plt

    numeric = data.numeric()
    w1, w2, w = geometry.weight_grid(lim, n)
    a1, a2, wa = geometry.weight_grid(lim * (1 - 1 / n_arrows), n_arrows)
    w_star = np.array(exact.to_floats(facts.w_star))
    fig, axes = plt.subplots(1, 2, figsize=(10, 4.8), sharey=True)
    panels = [(model.standard_loss, r"$C(w)$", "standard loss $C$: one minimum, $W^*$"),
              (model.bn_loss, r"$\hat C(w)$", r"BN loss $\hat C$: constant along rays")]
    for ax, (loss, label, title) in zip(axes, panels, strict=True):
        values = loss(w, numeric)
        # C spans orders of magnitude: bands of equal area (quantiles); Ĉ is bounded: linear.
        levels = (np.quantile(values, np.linspace(0, 1, 16)) if loss is model.standard_loss
                  else np.linspace(values.min(), values.max(), 16))
        cs = ax.contourf(w1, w2, values, levels=levels, cmap="cividis", alpha=0.6)
        fig.colorbar(cs, ax=ax, label=label, format="%.0f", shrink=0.85)
        g = -gradient_function(loss, data)(wa)
        g /= np.linalg.norm(g, axis=-1, keepdims=True)
        # the colours are lightened (alpha) so that black arrows read on the whole map
        ax.quiver(a1, a2, g[..., 0], g[..., 1], color="black", angles="xy", pivot="mid",
                  scale=n_arrows * 1.6, width=0.004, label=r"$-\nabla$ (direction only)")
        _mark_common(ax, w_star)
        ax.set(xlabel=r"$w_1$", title=title, aspect="equal", xlim=(-lim, lim), ylim=(-lim, lim))
    ax = axes[1]
    plots.draw_ray(ax, exact.to_floats(_direction(facts.theta_min)), lim,
                   color=plots.OKABE_ITO["orange"], lw=2.5, label=r"minima of $\hat C$")
    plots.draw_ray(ax, exact.to_floats(_direction(facts.theta_max)), lim,
                   color=plots.OKABE_ITO["vermillion"], lw=2.5, ls="--",
                   label=r"maxima of $\hat C$")
    ax.plot(0, 0, "o", ms=9, mfc="white", mec="black", mew=1.5, zorder=6,
            label=r"$w = 0$: $\hat C$ undefined")
    axes[0].set_ylabel(r"$w_2$")
    for ax in axes:
        ax.legend(loc="lower right", framealpha=0.9)
    return fig


def _direction(theta: sp.Expr) -> tuple[sp.Expr, sp.Expr]:
    return sp.cos(theta), sp.sin(theta)


def angle_profile_figure(data: LearningSet, facts: LandscapeFacts,
                         radii: Sequence[float] = (0.1, 1.0, 10.0), n: int = 721) -> Any:
    """Ĉ against the angle θ of w on circles of several radii, and a polar view.

    Left: Ĉ(r cos θ, r sin θ) for each r in ``radii`` (the curves coincide), with the angles of
    the maxima, the minima and W* marked. Right: the unit circle coloured by Ĉ(θ), with W*,
    the two rays and the direction of −∇Ĉ(W*).
    """
    import matplotlib.pyplot as plt

    theta = np.linspace(-np.pi, np.pi, n)
    fig = plt.figure(figsize=(10, 4.2))
    ax = fig.add_subplot(1, 2, 1)
    styles = ("-", "--", ":")
    for i, r in enumerate(radii):
        ax.plot(theta, bn_loss_on_circle(data, theta, r), ls=styles[i % 3], lw=2.5 - 0.6 * i,
                color=plots.OKABE_ITO["blue" if i == 0 else "black"], label=f"$r = {r:g}$")
    marks = [(facts.theta_max, "vermillion", "maxima"), (facts.theta_min, "orange", "minima"),
             (facts.theta_w_star, "sky", "$W^*$")]
    for angle, colour, name in marks:
        ax.axvline(float(angle), color=plots.OKABE_ITO[colour], lw=2,
                   label=rf"$\theta$ of {name}")
    ax.set(xlabel=r"angle $\theta$ of $w$ (radians)", ylabel=r"$\hat C(r\cos\theta, r\sin\theta)$",
           title=r"$\hat C$ depends on the angle only", xlim=(-np.pi, np.pi))
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.16), ncol=3, frameon=False)

    pax = fig.add_subplot(1, 2, 2, projection="polar")
    band = np.linspace(0.8, 1.0, 2)
    # one ring of cells, each coloured by Ĉ at its mid-angle
    values = bn_loss_on_circle(data, (theta[:-1] + theta[1:]) / 2)[None, :]
    mesh = pax.pcolormesh(theta, band, values, cmap="cividis", shading="flat")
    fig.colorbar(mesh, ax=pax, label=r"$\hat C(\theta)$", format="%.0f", shrink=0.8, pad=0.1)
    for angle, colour, ls in [(facts.theta_min, "orange", "-"),
                              (facts.theta_max, "vermillion", "--")]:
        pax.plot([float(angle)] * 2, [0, 1], color=plots.OKABE_ITO[colour], lw=2.5, ls=ls)
    t_star = float(facts.theta_w_star)
    pax.plot([t_star] * 2, [0, 0.9], color=plots.OKABE_ITO["sky"], lw=2.5)
    pax.plot(t_star, 0.9, "o", color=plots.OKABE_ITO["sky"], mec="black", ms=9)
    # −∇Ĉ(W*) ⟂ W*: along the circle, towards decreasing or increasing θ
    step = 0.35 if facts.descent_turn == "counter-clockwise" else -0.35
    pax.annotate("", xy=(t_star + step, 0.9), xytext=(t_star, 0.9),
                 arrowprops={"arrowstyle": "-|>", "color": plots.OKABE_ITO["vermillion"],
                             "lw": 2.5, "connectionstyle": f"arc3,rad={0.15 * np.sign(step)}"})
    pax.set_rticks([])
    pax.set_ylim(0, 1)
    pax.set_title(rf"polar view: $-\nabla\hat C(W^*)$ (arrow) turns $W^*$ (dot)"
                  f" {facts.descent_turn}")
    return fig


def claims() -> list:
    """The chapter's claims about the two landscapes, derived exactly."""
    from bnpaper.claims import Claim, Evidence
    from bnpaper.paper.counterexample import counterexample_set

    data = counterexample_set()
    facts = landscape_facts(data)
    d_dr = radial_derivative(data)
    source = "book, The two loss landscapes"
    return [
        Claim("landscape-angle-only", "Ĉ depends only on the direction of w: ∂Ĉ/∂r = 0",
              source, "—", f"∂Ĉ/∂r = {d_dr}", "exact: Ĉ in polar coordinates (sympy)",
              d_dr == 0, Evidence.DERIVED),
        Claim("landscape-descent-perpendicular",
              "−∇Ĉ(W*) is perpendicular to W* and rotates W* towards the ray of minima",
              source, "—",
              f"⟨−∇Ĉ(W*), W*⟩ = {facts.descent_dot_w_star}; θ(−∇Ĉ(W*)) = "
              f"{facts.theta_descent}; turns {facts.descent_turn}",
              "exact gradient and angles (sympy)",
              facts.descent_dot_w_star == 0 and facts.descent_turns_towards_minima,
              Evidence.DERIVED),
        Claim("landscape-values", "min Ĉ < Ĉ(W*) < max Ĉ: W* is neither a minimum nor a maximum",
              source, "—",
              f"{facts.c_hat_min} < {facts.c_hat_w_star} < {facts.c_hat_max}",
              "exact values on the stationary rays and at W* (sympy)",
              bool(facts.c_hat_min < facts.c_hat_w_star < facts.c_hat_max), Evidence.DERIVED),
    ]
