"""Distances from an initialization W₀ to the optima of a BN linear neuron (chapter *What is
true instead*).

With the BN optima the ray Ŵ = {t·v̂ : t > 0} (:mod:`bnpaper.topics.general`), u = W*/‖W*‖
and v = v̂/‖v̂‖: dist(W₀, Ŵ)² = ‖W₀‖² − max(⟨W₀, v⟩, 0)²
(:func:`bnpaper.paper.lemma.distance_sq_to_ray`), Lemma 4.5 holds exactly where
⟨W₀, v − u⟩ ≥ 0, and dist(W₀, Ŵ) ≤ ‖W₀ − W*‖ + dist(W*, Ŵ). This module evaluates these
statements and checks them against brute force and direct evaluation of the lemma (the
chapter's figure: :mod:`bnpaper.presentation.figures.distances`; its table of verdicts:
:mod:`bnpaper.presentation.reports.distances`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from bnpaper.core import geometry
from bnpaper.paper import lemma


def distance_w_star_to_bn_minima(w_star: Any, v_hat: Any) -> Any:
    """δ = dist(W*, Ŵ) = ‖W*‖ sin α if α ≤ π/2, else ‖W*‖ (α = ∠(W*, v̂))."""
    return np.sqrt(lemma.distance_sq_to_ray(np.asarray(w_star, dtype=float),
                                            np.asarray(v_hat, dtype=float)))


def bn_optimum_closer(w0: Any, w_star: Any, v_hat: Any) -> np.ndarray:
    """Whether dist(W₀, Ŵ) < ‖W₀ − W*‖: max(⟨W₀, v⟩, 0)² > 2⟨W₀, W*⟩ − ‖W*‖²."""
    w0 = np.asarray(w0, dtype=float)
    ws, v = np.asarray(w_star, dtype=float), geometry.unit(np.asarray(v_hat, dtype=float), "v̂")
    return np.maximum(w0 @ v, 0) ** 2 > 2 * (w0 @ ws) - ws @ ws


def brute_force_distance_sq(w0: Any, v_hat: Any, t_max: float = 50.0,
                            n: int = 100_001) -> np.ndarray:
    """min over a grid 0 ≤ t ≤ t_max of ‖W₀ − t v̂/‖v̂‖‖²: the distance by search, not formula.

    t = 0 is included because the distance to the ray t > 0 is an infimum, approached as
    t → 0 when ⟨W₀, v̂⟩ ≤ 0. w0: (k, d) → (k,). Accurate to about (t_max/n)² when the
    closest point has t ≤ t_max.
    """
    w0 = np.atleast_2d(np.asarray(w0, dtype=float))
    v = geometry.unit(np.asarray(v_hat, dtype=float), "v̂")
    ray = np.linspace(0.0, t_max, n)[:, None] * v  # (n, d) points of the closed ray
    return np.array([np.min(np.sum((p - ray) ** 2, axis=-1)) for p in w0])


BRUTE_TOL = 1e-5
"""Largest |formula − brute force| accepted for a squared distance: the brute-force search
walks the ray on a grid, so it is only that accurate."""
ROUND_TOL = 1e-9
"""Largest difference accepted between two float64 computations of the same quantity."""

VERDICT_NAMES = ("1: brute", "2: equal", "3: agree", "4: bound", "4: sharp", "4: closer")
"""The columns of :meth:`DistanceChecks.verdicts`: the proposition's parts 1–4."""


@dataclass(frozen=True)
class DistanceChecks:
    """Independent numerical checks of the chapter's proposition at random W₀."""

    n: int
    """Number of random W₀ (Gaussian, scale ‖W*‖)."""
    distance_error: float
    """max |formula − brute-force search| of the squared distance to Ŵ (first n_brute W₀)."""
    corrected_error: float
    """max |lemma_rhs(W₀, V) − dist²(W₀, Ŵ)| for random V = t v̂, over ⟨W₀, V⟩ > 0."""
    criterion_mismatches: int
    """W₀ where the angle criterion disagrees with evaluating both sides of the lemma."""
    bound_slack: float
    """min over W₀ of ‖W₀ − W*‖ + δ − dist(W₀, Ŵ) (≥ 0 if the bound holds)."""
    sharp_error: float
    """max |dist − (‖W₀ − W*‖ + δ)| on the half-line W* + s(W* − ΠW*), s ≥ 0."""
    closer_mismatches: int
    """W₀ where :func:`bn_optimum_closer` disagrees with comparing the two distances."""

    def verdicts(self) -> tuple[bool, ...]:
        """Whether each check passed, in the order of :data:`VERDICT_NAMES`."""
        return (self.distance_error < BRUTE_TOL, self.corrected_error < ROUND_TOL,
                self.criterion_mismatches == 0, self.bound_slack >= 0,
                self.sharp_error < ROUND_TOL, self.closer_mismatches == 0)


def check_distance_facts(w_star: Any, v_hat: Any, n: int = 20_000, n_brute: int = 100,
                         seed: int = 0, *,
                         region: Callable[[Any, Any, Any], Any] = lemma.lemma_region,
                         delta_of: Callable[[Any, Any], Any] = distance_w_star_to_bn_minima
                         ) -> DistanceChecks:
    """Check each part of the proposition of *What is true instead* at random W₀.

    ``region`` (the angle criterion) and ``delta_of`` (δ = dist(W*, Ŵ)) are the statements
    under test (a claim's inputs may replace them)."""
    ws, vh = np.asarray(w_star, dtype=float), np.asarray(v_hat, dtype=float)
    rng = np.random.default_rng(seed)
    w0 = np.linalg.norm(ws) * rng.normal(size=(n, ws.size))
    dist_sq = lemma.distance_sq_to_ray(w0, vh)
    brute = brute_force_distance_sq(w0[:n_brute], vh, t_max=10 * np.linalg.norm(w0[:n_brute],
                                                                                 axis=1).max())
    big_v = rng.uniform(0.1, 10.0, size=(n, 1)) * vh  # random points of the ray of minima
    positive = np.sum(w0 * big_v, axis=-1) > 0
    check = lemma.check_lemma(w0, ws, vh)
    direct = np.where(w0 @ ws > 0, np.where(check.lhs <= check.rhs, 1, 2), 0)
    delta = delta_of(ws, vh)
    to_w_star = np.linalg.norm(w0 - ws, axis=-1)
    closest = max(float(ws @ vh), 0.0) * vh / (vh @ vh)  # ΠW*, the closest point of the ray
    line = ws + np.linspace(0, 20, 201)[:, None] * (ws - closest)
    sharp = np.sqrt(lemma.distance_sq_to_ray(line, vh)) - np.linalg.norm(line - ws, axis=-1)
    return DistanceChecks(
        n, float(np.max(np.abs(dist_sq[:n_brute] - brute))),
        float(np.max(np.abs(lemma.lemma_rhs(w0, big_v) - dist_sq)[positive])),
        int(np.sum(region(w0, ws, vh) != direct)),
        float(np.min(to_w_star + delta - np.sqrt(dist_sq))),
        float(np.max(np.abs(sharp - delta))),
        int(np.sum(bn_optimum_closer(w0, ws, vh) != (dist_sq < to_w_star**2))))


def closer_share(w_star: Any, v_hat: Any, scales: Any, n: int = 200_000,
                 seed: int = 0) -> np.ndarray:
    """Share of W₀ ~ N(0, (s‖W*‖)² I) with dist(W₀, Ŵ) < ‖W₀ − W*‖, for each scale s."""
    ws, vh = np.asarray(w_star, dtype=float), np.asarray(v_hat, dtype=float)
    base = np.random.default_rng(seed).normal(size=(n, ws.size)) * np.linalg.norm(ws)
    return np.array([np.mean(bn_optimum_closer(s * base, ws, vh)) for s in np.ravel(scales)])
