"""Where Lemma 4.5 fails, over all initializations W₀ (chapter *Where the lemma fails, over
all initializations*).

In the plane, with u = W*/‖W*‖ and v the unit direction of the ray of BN minima, the lemma
(Ŵ* the closest point of the ray) fails at an admissible W₀ (⟨W₀, W*⟩ > 0) iff
⟨W₀, v − u⟩ < 0: an open wedge of angle (π + α)/2, α = ∠(u, v) > 0. This module gives the
wedge and the failing fraction in closed form (exact for sympy input), and the two numeric
checks the chapter uses: a fine angular grid and a seeded Monte Carlo estimate with a Wilson
interval, both evaluating the lemma's sides with :mod:`bnpaper.paper.lemma`, not the closed
form. The closed form in α itself, which the chapter *How often, on random data* also uses
for any dimension d, is :func:`bnpaper.paper.lemma.fraction_from_angle`.
The chapter's figure is in :mod:`bnpaper.presentation.figures.failure`, its claims in
:mod:`bnpaper.claims.failure`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import sympy as sp

from bnpaper.core import checks, geometry
from bnpaper.core.statistics import CONFIDENCE, wilson_interval
from bnpaper.paper import lemma
from bnpaper.paper.lemma import Among


@dataclass(frozen=True)
class FailureWedge:
    """The open wedge of directions θ ∈ (start, end) (counter-clockwise) where the lemma fails.

    Angles in radians; ``opening`` = end − start = (π + α)/2 for α > 0, and 0 (no failures)
    when the BN minima lie on the ray of W* (α = 0).
    """

    alpha: Any
    """α = ∠(W*, v) ∈ [0, π]."""
    start: Any
    """The clockwise edge of the wedge."""
    end: Any
    """The counter-clockwise edge of the wedge."""
    opening: Any
    """end − start."""


def failure_wedge(w_star: Any, v: Any) -> FailureWedge:
    """The wedge of initializations where Lemma 4.5 fails, in closed form.

    W*: the optimum of C, shape (2,); v: direction of the ray of BN minima t·v, t > 0, shape
    (2,). Exact (sympy) if either is given as sympy numbers. With θ_u the angle of W*:
    if v is clockwise from W*, the wedge runs from the bisector θ_u − α/2 to θ_u + π/2;
    if counter-clockwise, from θ_u − π/2 to θ_u + α/2 (the mirror image). At α = π there
    is no bisector: the wedge is the whole half-plane, θ_u − π/2 to θ_u + π/2 (opening π).
    """
    ws, vv, exact_input = geometry.plane_pair(w_star, v)
    pi = geometry.pi_of(exact_input)
    alpha = geometry.plane_angle(ws, vv)
    theta_u = geometry.atan2(ws[1], ws[0], exact_input)
    cross = ws[0] * vv[1] - ws[1] * vv[0]
    if cross < 0:
        start, end = theta_u - alpha / 2, theta_u + pi / 2
    elif cross > 0:
        start, end = theta_u - pi / 2, theta_u + alpha / 2
    elif ws @ vv > 0:  # α = 0: the lemma holds with equality on the whole half-plane
        start = end = theta_u
    else:  # α = π: every admissible W₀ fails
        start, end = theta_u - pi / 2, theta_u + pi / 2
    return FailureWedge(alpha, start, end, end - start)


def bisector(w_star: Any, v: Any) -> np.ndarray:
    """u + v̂, the bisector of W* and the ray of minima (u = W*/‖W*‖, v̂ = v/‖v‖).

    Exact for sympy input. Defined for 0 ≤ α < π; at α = π (v̂ = −u) it is the zero vector
    and there is no bisector: raises ValueError (the failing wedge is then the whole
    admissible half-plane, see :func:`failure_wedge`).
    """
    ws, vv, exact_input = geometry.plane_pair(w_star, v)
    cross = ws[0] * vv[1] - ws[1] * vv[0]
    if cross == 0 and ws @ vv < 0:
        raise ValueError("v points against W* (α = π): u + v̂ = 0, so the bisector of u and v̂ "
                         "is undefined; the lemma fails on the whole half-plane ⟨W₀, W*⟩ > 0")
    return geometry.unit(ws) + geometry.unit(vv)


def wedge_edges(w_star: Any, v: Any) -> tuple[np.ndarray, np.ndarray]:
    """Vectors along the wedge's clockwise and counter-clockwise edges, exact for sympy input.

    For 0 < α < π one edge is the bisector u + v̂ of W* and the ray of minima
    (u = W*/‖W*‖, v̂ = v/‖v‖), where ⟨W₀, v̂ − u⟩ = 0; the other is the normal ±J·u of W*
    (J = rotation by +π/2), where ⟨W₀, W*⟩ = 0. At α = π there is no bisector
    (:func:`bisector` raises): both edges are the normals −J·u and J·u, and the wedge is the
    open half-plane ⟨W₀, W*⟩ > 0. Raises when α = 0 (no wedge).
    """
    ws, vv, exact_input = geometry.plane_pair(w_star, v)
    u = geometry.unit(ws)
    normal = np.array([-u[1], u[0]], dtype=u.dtype)
    cross = ws[0] * vv[1] - ws[1] * vv[0]
    if cross < 0:
        return bisector(ws, vv), normal
    if cross > 0:
        return -normal, bisector(ws, vv)
    if ws @ vv > 0:
        raise ValueError("v points along W* (α = 0): the lemma never fails, there is no wedge")
    return -normal, normal  # α = π: no bisector, the wedge is the whole half-plane


def rhs_projection_identity() -> sp.Expr:
    """lemma_rhs(W₀, W*) − (‖W₀‖² − ⟨W₀, W*⟩²/‖W*‖²) for symbolic W₀, W* ∈ ℝ², simplified.

    It is 0: the right-hand side of Lemma 4.5 is ‖W₀‖² minus the squared projection of W₀ on
    the direction of W*, i.e. the squared distance from W₀ to the line ℝ·W*.
    """
    w0 = np.array(sp.symbols("a1 a2", real=True), dtype=object)
    ws = np.array(sp.symbols("s1 s2", real=True), dtype=object)
    projection = w0 @ w0 - (w0 @ ws) ** 2 / (ws @ ws)
    return sp.simplify(lemma.lemma_rhs(w0, ws) - projection)


def failure_fraction(w_star: Any, v: Any, among: Among = "all") -> Any:
    """The fraction of directions of W₀ for which Lemma 4.5 fails.

    ``among="all"``: of all directions, (π + α)/(4π); ``"admissible"``: of those with
    ⟨W₀, W*⟩ > 0, (π + α)/(2π); both 0 when α = 0 (the closed form
    :func:`bnpaper.paper.lemma.fraction_from_angle` at α = ∠(W*, v); the wedge of
    :func:`failure_wedge` has the matching opening). For any rotation-invariant random W₀
    (e.g. Gaussian) these are the probabilities of failure. Exact for sympy input.
    """
    share = lemma.fraction_from_angle(geometry.plane_angle(w_star, v), among)
    return share if isinstance(share, sp.Basic) else float(share)


def fails_closed_form(w0: Any, w_star: Any, v: Any) -> np.ndarray:
    """The closed-form test ⟨W₀, W*⟩ > 0 and ⟨W₀, v/‖v‖ − W*/‖W*‖⟩ < 0. w0: (..., 2) → (...).

    The angle criterion of :func:`bnpaper.paper.lemma.lemma_region` (any d), checked
    for d = 2.
    """
    ws, vv, _ = geometry.plane_pair(np.asarray(w_star, dtype=float), np.asarray(v, dtype=float))
    checks.check_weights_shape(w0, 2, "W0")
    w0 = checks.finite_array(w0, "W0")
    return lemma.lemma_region(w0, ws, vv) == lemma.LEMMA_REGIONS.index("fails")


@dataclass(frozen=True)
class LemmaSweep:
    """Both sides of Lemma 4.5 at many W₀ (arrays of the shape of the W₀ grid)."""

    lhs: np.ndarray
    """‖W₀ − Ŵ*‖², squared distance to the ray of BN minima."""
    rhs: np.ndarray
    """The lemma's right-hand side (squared distance to the line ℝW*)."""
    admissible: np.ndarray
    """⟨W₀, W*⟩ > 0: where the lemma makes a claim."""

    @property
    def fails(self) -> np.ndarray:
        """Admissible and lhs > rhs."""
        return self.admissible & (self.lhs > self.rhs)


def lemma_sweep(w0: Any, w_star: Any, v: Any) -> LemmaSweep:
    """Both sides of Lemma 4.5 for every W₀ of shape (..., 2), with
    :mod:`bnpaper.paper.lemma`."""
    ws, vv, _ = geometry.plane_pair(np.asarray(w_star, dtype=float), np.asarray(v, dtype=float))
    check = lemma.check_lemma(w0, ws, vv)
    return LemmaSweep(np.asarray(check.lhs), np.asarray(check.rhs),
                      np.asarray(np.asarray(w0, dtype=float) @ ws > 0))


def closed_form_mismatches(w0: Any, w_star: Any, v: Any, tol: float = 1e-9) -> tuple[int, int]:
    """(points compared, points where :func:`lemma_sweep` and :func:`fails_closed_form` disagree).

    Points within ``tol`` (relative to ‖W₀‖) of a wedge edge are skipped: there
    ⟨W₀, W*⟩ ≈ 0 or lhs ≈ rhs, and rounding alone decides the verdict.
    """
    ws, vv, _ = geometry.plane_pair(np.asarray(w_star, dtype=float), np.asarray(v, dtype=float))
    w0 = checks.finite_array(w0, "W0")
    u, vhat = ws / np.linalg.norm(ws), vv / np.linalg.norm(vv)
    norm = np.linalg.norm(w0, axis=-1)
    clear = (np.abs(w0 @ u) > tol * norm) & (np.abs(w0 @ (vhat - u)) > tol * norm)
    differ = lemma_sweep(w0, ws, vv).fails != fails_closed_form(w0, ws, vv)
    return int(clear.sum()), int((differ & clear).sum())


def grid_failure_fraction(w_star: Any, v: Any, n: int = 100_000, among: Among = "all"
                          ) -> float:
    """The failing fraction measured on n equally spaced directions (midpoint rule)."""
    if n < 1:
        raise ValueError(f"n = {n}; expected at least one direction")
    theta = -np.pi + (np.arange(n) + 0.5) * (2 * np.pi / n)
    s = lemma_sweep(geometry.unit_vectors(theta), w_star, v)
    return _share(s, among)


def _share(s: LemmaSweep, among: Among) -> float:
    if among == "all":
        return float(s.fails.mean())
    if among == "admissible":
        return float(s.fails.sum() / s.admissible.sum())
    raise ValueError(f"among = {among!r}; expected 'all' or 'admissible'")


@dataclass(frozen=True)
class MonteCarloEstimate:
    """A failing fraction estimated from random W₀, with its Wilson interval."""

    failures: int
    trials: int
    estimate: float
    low: float
    high: float
    level: float

    def contains(self, value: float) -> bool:
        """Whether ``value`` lies in the interval."""
        return self.low <= value <= self.high


def monte_carlo_failure(w_star: Any, v: Any, n: int = 1_000_000, seed: int = 0,
                        among: Among = "all", level: float = CONFIDENCE) -> MonteCarloEstimate:
    """Estimate the failing fraction from n Gaussian W₀ ~ N(0, I₂) (seeded).

    ``among="admissible"`` counts only the draws with ⟨W₀, W*⟩ > 0 as trials.
    """
    if n < 1:
        raise ValueError(f"n = {n}; expected at least one draw")
    w0 = np.random.default_rng(seed).standard_normal((n, 2))
    s = lemma_sweep(w0, w_star, v)
    if among not in ("all", "admissible"):
        raise ValueError(f"among = {among!r}; expected 'all' or 'admissible'")
    trials = n if among == "all" else int(s.admissible.sum())
    failures = int(s.fails.sum())
    low, high = wilson_interval(failures, trials, level)
    return MonteCarloEstimate(failures, trials, failures / trials, low, high, level)
