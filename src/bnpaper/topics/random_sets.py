"""Monte Carlo over random learning sets (chapter *How often, on random data*; the random
sets with a bias input of the chapter *A general answer for one linear neuron*).

For many random learning sets of a given size (M samples, d inputs) this module computes
W* and v̂ (:func:`bnpaper.core.least_squares.slopes`, stacked), the angle α = ∠(W*, v̂), the
gradient of Ĉ at W*, and the fraction of random initializations W₀ for which Lemma 4.5
fails, both by Monte Carlo (:func:`bnpaper.paper.lemma.check_lemma`, vectorized) and by the
closed form (π + α)/(2π). With M ≤ d (more weights than samples) W* interpolates and the
conclusion reverses: there W* is taken as the minimizer of C closest to each W₀, the BN
minima are a ray plus the null space of Xc, and the lemma holds (closed form: share 0).
Everything is seeded and vectorized. The chapter's table is
:mod:`bnpaper.presentation.reports.random_sets`, its figures
:mod:`bnpaper.presentation.figures.random_sets`.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from bnpaper.core import geometry, least_squares
from bnpaper.core.bn_closed_form import bn_gradient_arrays
from bnpaper.core.statistics import CONFIDENCE, wilson_interval, z_value
from bnpaper.paper import lemma


@dataclass(frozen=True)
class SetDistribution:
    """How a random learning set is drawn (all draws independent).

    Inputs x̄⁽ᵐ⁾ ~ N(input_mean·1, I_d); a true slope b ~ N(0, slope_std² I_d) per set;
    labels ȳ⁽ᵐ⁾ = ⟨b, x̄⁽ᵐ⁾⟩ + offset + noise·εₘ with εₘ ~ N(0, 1).
    """

    input_mean: float = 1.0
    slope_std: float = 1.0
    offset: float = 1.0
    noise: float = 0.5

    def describe(self) -> str:
        """The distribution in the paper's notation, for the chapter's text."""
        return (rf"$\bar x^{{(m)}} \sim \mathcal N({self.input_mean:g}\cdot\mathbf 1, I_d)$, "
                rf"$\bar y^{{(m)}} = \langle b, \bar x^{{(m)}}\rangle + {self.offset:g} + "
                rf"{self.noise:g}\,\varepsilon_m$ with $b \sim \mathcal N(0, "
                rf"{self.slope_std:g}^2 I_d)$ drawn once per set and "
                r"$\varepsilon_m \sim \mathcal N(0, 1)$")


def _check_sizes(n_sets: int, m: int, d: int) -> None:
    for name, value, low in (("n_sets", n_sets, 1), ("M", m, 2), ("d", d, 1)):
        if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < low:
            raise ValueError(f"{name} = {value!r}; expected an integer >= {low}")


def sample_sets(n_sets: int, m: int, d: int, seed: int,
                dist: SetDistribution = SetDistribution()) -> tuple[np.ndarray, np.ndarray]:
    """``n_sets`` learning sets drawn from ``dist``: x of shape (S, M, d), y of shape (S, M)."""
    _check_sizes(n_sets, m, d)
    rng = np.random.default_rng(seed)
    x = dist.input_mean + rng.normal(size=(n_sets, m, d))
    b = dist.slope_std * rng.normal(size=(n_sets, d))
    y = np.einsum("smd,sd->sm", x, b) + dist.offset + dist.noise * rng.normal(size=(n_sets, m))
    return x, y



def sample_angles(n_sets: int, m: int, d: int, seed: int,
                  dist: SetDistribution = SetDistribution()) -> np.ndarray:
    """α = ∠(W*, v̂) in radians on ``n_sets`` random sets of :func:`sample_sets`, shape (S,)."""
    w_star, v_hat = least_squares.slopes(*sample_sets(n_sets, m, d, seed, dist))
    return geometry.angle(w_star, v_hat)


def admissible_share(alpha: Any) -> np.ndarray:
    """(π + α)/(2π), 0 at α = 0: the failing share of admissible W₀, any d ≥ 2, vectorized
    (:func:`bnpaper.paper.lemma.fraction_from_angle` among the admissible W₀)."""
    return lemma.fraction_from_angle(np.asarray(alpha, dtype=float), "admissible")


def relative_gradient(w_star: Any, xc: Any, yc: Any) -> np.ndarray:
    """ρ = ‖W*‖·‖∇Ĉ(W*)‖ / (2√M‖yc‖): the gradient at W*, free of the scales of W* and y.

    ∇Ĉ(cw) = ∇Ĉ(w)/c, and Ĉ's gradient scales with 2√M‖yc‖ (lemma of the general chapter).
    Shapes (S, d), (S, M, d), (S, M) → (S,).
    """
    grad = bn_gradient_arrays(w_star, xc, yc)
    m = np.shape(xc)[-2]
    return (np.linalg.norm(w_star, axis=-1) * np.linalg.norm(grad, axis=-1)
            / (2 * np.sqrt(m) * np.linalg.norm(yc, axis=-1)))


def distance_sq_to_minima(w0: Any, xc: Any, yc: Any) -> np.ndarray:
    """dist²(W₀, {t v̂ + n : t > 0, Xc n = 0}) = ‖P_R W₀‖² − max(⟨W₀, v̂⟩, 0)²/‖v̂‖².

    v̂ = Xc⁺yc (least norm, in the row space R of Xc) and P_R = Xc⁺Xc; these are the minima
    of Ĉ when rank Xc ≥ 2. w0: (S, n, d), xc: (S, M, d), yc: (S, M) → (S, n).
    """
    pinv = np.linalg.pinv(xc)  # (S, d, M)
    v = (pinv @ yc[..., None])[..., 0]
    pw = w0 @ np.swapaxes(pinv @ xc, -1, -2)
    along = np.sum(w0 * v[:, None, :], axis=-1)
    return np.sum(pw * pw, axis=-1) - np.maximum(along, 0.0) ** 2 / np.sum(v * v, -1)[:, None]


@dataclass(frozen=True)
class Steps:
    """The steps of the Monte Carlo that a claim's inputs may replace (defaults: this
    module's own)."""

    sample_sets: Callable[..., tuple[np.ndarray, np.ndarray]] = sample_sets
    """Draws the learning sets: (n_sets, m, d, seed, dist) → (x, y)."""
    distance_sq: Callable[[Any, Any, Any], np.ndarray] = distance_sq_to_minima
    """dist²(W₀, BN minima) from (W₀, Xc, yc), as :func:`distance_sq_to_minima`."""
    relative_gradient: Callable[[Any, Any, Any], np.ndarray] = relative_gradient
    """ρ from (W*, Xc, yc), as :func:`relative_gradient`."""


@dataclass(frozen=True)
class SizeCell:
    """The Monte Carlo results for one size (d, M): one entry per random learning set."""

    d: int
    m: int
    alpha: np.ndarray
    """∠(W*, v̂) in radians, shape (S,); NaN when M ≤ d (the minima are not a ray)."""
    rho: np.ndarray
    """ρ = ‖W*‖‖∇Ĉ(W*)‖/(2√M‖yc‖) (:func:`relative_gradient`), shape (S,); for M ≤ d at
    the least-norm W*."""
    covered: np.ndarray
    """How many of the W₀ satisfy ⟨W₀, W*⟩ > 0, shape (S,)."""
    fails: np.ndarray
    """How many of those violate Lemma 4.5 (lhs > rhs), shape (S,)."""
    excess: np.ndarray
    """Mean of (lhs − rhs)/‖W₀‖² over the violating W₀, shape (S,)."""

    @property
    def fraction(self) -> np.ndarray:
        """Monte Carlo share of covered W₀ for which the lemma fails, shape (S,)."""
        return self.fails / self.covered

    @property
    def label(self) -> str:
        return f"d={self.d}, M={self.m}"

    @property
    def underdetermined(self) -> bool:
        """M ≤ d: W* interpolates and the lemma holds (the reversed regime)."""
        return self.m <= self.d


def analyse_cell(d: int, m: int, n_sets: int, n_init: int, seed: int,
                 dist: SetDistribution = SetDistribution(), steps: Steps = Steps()) -> SizeCell:
    """Draw ``n_sets`` learning sets and ``n_init`` Gaussian W₀ per set; evaluate everything.

    M ≥ d + 1: W* = (XᵀX)⁻¹Xᵀy, the BN minima the ray t v̂. M ≤ d: see
    :func:`analyse_underdetermined`.
    """
    if m <= d:
        return analyse_underdetermined(d, m, n_sets, n_init, seed, dist, steps)
    x, y = steps.sample_sets(n_sets, m, d, seed, dist)
    w_star, v_hat = least_squares.slopes(x, y)
    xc, yc = least_squares.centered(x, y)
    w0 = np.random.default_rng((seed, 1)).normal(size=(n_sets, n_init, d))
    check = lemma.check_lemma(w0, w_star[:, None, :], v_hat[:, None, :])
    covered = np.sum(w0 * w_star[:, None, :], axis=-1) > 0
    return _count(d, m, geometry.angle(w_star, v_hat), steps.relative_gradient(w_star, xc, yc),
                  w0, covered, check.lhs, check.rhs)


def analyse_underdetermined(d: int, m: int, n_sets: int, n_init: int, seed: int,
                            dist: SetDistribution = SetDistribution(),
                            steps: Steps = Steps()) -> SizeCell:
    """M ≤ d: for each W₀, W* = W₀ + X⁺(y − XW₀), the minimizer of C closest to W₀.

    The lemma's left-hand side is the distance to the BN minima t v̂ + ker Xc
    (:func:`distance_sq_to_minima`; needs rank Xc = M − 1 ≥ 2, i.e. M ≥ 3).
    """
    if m < 3:
        raise ValueError(f"M = {m}: with M ≤ d the minima of Ĉ are a ray plus a null space "
                         "only if rank Xc = M − 1 ≥ 2; choose M ≥ 3")
    x, y = steps.sample_sets(n_sets, m, d, seed, dist)
    xc, yc = least_squares.centered(x, y)
    pinv = np.linalg.pinv(x)  # (S, d, M)
    least_norm = (pinv @ y[..., None])[..., 0]
    w0 = np.random.default_rng((seed, 1)).normal(size=(n_sets, n_init, d))
    residual = y[:, None, :] - w0 @ np.swapaxes(x, -1, -2)  # (S, n, M)
    w_star = w0 + residual @ np.swapaxes(pinv, -1, -2)
    covered = np.sum(w0 * w_star, axis=-1) > 0
    lhs = steps.distance_sq(w0, xc, yc)
    rhs = lemma.lemma_rhs(w0, w_star)
    return _count(d, m, np.full(n_sets, np.nan), steps.relative_gradient(least_norm, xc, yc),
                  w0, covered, lhs, rhs)


def _count(d: int, m: int, alpha: np.ndarray, rho: np.ndarray, w0: np.ndarray,
           covered: np.ndarray, lhs: np.ndarray, rhs: np.ndarray) -> SizeCell:
    norm_sq = np.sum(w0 * w0, axis=-1)
    fail = covered & (lhs - rhs > lemma.LEMMA_TOL * norm_sq)
    gap = np.where(fail, (lhs - rhs) / norm_sq, 0.0)
    n_fail = fail.sum(axis=1)
    return SizeCell(d, m, alpha, rho, covered.sum(axis=1), n_fail,
                gap.sum(axis=1) / np.maximum(n_fail, 1))


def pooled_z(cell: SizeCell,
             share: Callable[[Any], np.ndarray] = admissible_share) -> float:
    """Σᵢ zᵢ/√S with zᵢ = (kᵢ − nᵢpᵢ)/√(nᵢpᵢ(1 − pᵢ)), pᵢ the closed form of set i.

    If the closed form is right, the failure counts kᵢ are Binomial(nᵢ, pᵢ) and this is
    approximately standard normal; a wrong formula drives it far from 0. M ≥ d + 1 only.
    ``share`` is the closed form tested (default :func:`admissible_share`).
    """
    if cell.underdetermined:
        raise ValueError(f"{cell.label}: M ≤ d has closed-form share 0; no z-score")
    p = share(cell.alpha)
    with np.errstate(invalid="ignore", divide="ignore"):  # p = 0 only on broken data: z NaN
        z = (cell.fails - cell.covered * p) / np.sqrt(cell.covered * p * (1 - p))
    return float(z.sum() / np.sqrt(z.size))


def split_grid(ds: tuple[int, ...], ms: tuple[int, ...]
               ) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """The (d, M) pairs with M ≥ d + 1 (W* off the BN minima) and with M ≤ d (reversed)."""
    pairs = [(d, m) for d in ds for m in ms]
    return [p for p in pairs if p[1] >= p[0] + 1], [p for p in pairs if p[1] <= p[0]]


def sweep(ds: tuple[int, ...] = (2, 3, 5), ms: tuple[int, ...] = (3, 5, 10, 50),
          n_sets: int = 300, n_init: int = 2000, seed: int = 0,
          dist: SetDistribution = SetDistribution(), steps: Steps = Steps()) -> list[SizeCell]:
    """:func:`analyse_cell` for every (d, M), M ≥ d + 1 first, then M ≤ d; each cell has
    its own seed (seed, d, M)."""
    over, under = split_grid(ds, ms)
    return [analyse_cell(d, m, n_sets, n_init, int(np.random.SeedSequence((seed, d, m))
                                                   .generate_state(1)[0]), dist, steps)
            for d, m in over + under]


# --------------------------------------------------------------------------- quantiles


QUANTILE = 0.05
"""The low quantile of ρ and α over the random sets that the chapter and its claim state."""


@dataclass(frozen=True)
class QuantileEstimate:
    """The q-quantile ξ_q of a continuous distribution, from n independent draws: the
    sample quantile and a distribution-free confidence interval by order statistics."""

    q: float
    n: int
    level: float
    estimate: float
    """The sample quantile x₍⌈nq⌉₎."""
    low: float
    """x₍l₎, or −∞ if no order statistic gives the level (n too small)."""
    high: float
    """x₍u₎, or +∞ likewise."""


def binomial_cdf(n: int, p: float) -> np.ndarray:
    """P(B ≤ k) for B ~ Binomial(n, p), k = 0, …, n, shape (n + 1,): the probabilities by
    the recurrence P(k + 1)/P(k) = (n − k)p/((k + 1)(1 − p)), summed in log space."""
    k = np.arange(n)
    logs = n * np.log1p(-p) + np.concatenate(
        [[0.0], np.cumsum(np.log((n - k) / (k + 1)) + np.log(p) - np.log1p(-p))])
    return np.minimum(np.cumsum(np.exp(logs)), 1.0)


def quantile_interval(sample: Any, q: float = QUANTILE,
                      level: float = CONFIDENCE) -> QuantileEstimate:
    """ξ_q with the order-statistic interval [x₍l₎, x₍u₎] (1-based), P(ξ_q ∈ it) ≥ ``level``.

    With B = #{i : xᵢ ≤ ξ_q} ~ Binomial(n, q) for any continuous law, x₍l₎ ≤ ξ_q < x₍u₎ iff
    l ≤ B ≤ u − 1. l is the largest index with P(B ≤ l − 1) ≤ (1 − level)/2 and u the
    smallest with P(B ≥ u) ≤ (1 − level)/2, so each tail misses with probability at most
    (1 − level)/2 and the interval covers with probability ≥ ``level``.
    """
    x = np.sort(np.asarray(sample, dtype=float).ravel())
    n = x.size
    if n < 1 or not 0 < q < 1 or not 0 < level < 1 or np.isnan(x).any():
        raise ValueError(f"expected n ≥ 1 draws without NaN, 0 < q < 1 and 0 < level < 1; "
                         f"got n = {n}, q = {q}, level = {level}")
    tail = (1 - level) / 2
    below = binomial_cdf(n, q)[:-1]  # P(B ≤ i − 1) for the indices i = 1, …, n
    lower = np.flatnonzero(below <= tail)  # l − 1 for the admissible l
    upper = np.flatnonzero(1 - below <= tail)  # u − 1 for the admissible u: P(B ≥ u) ≤ tail
    low = x[lower.max()] if lower.size else -np.inf
    high = x[upper.min()] if upper.size else np.inf
    return QuantileEstimate(q, n, level, float(x[max(math.ceil(n * q), 1) - 1]), float(low),
                            float(high))


# --------------------------------------------------------------------------- summaries


STATIONARY_TOL = 1e-7
"""W* counts as a stationary point of Ĉ when ρ < STATIONARY_TOL: rounding for these sets
(the chapter shows that every exact interpolant of its M ≤ d sets stays below it; on the
worst-conditioned of them ρ comes within a factor of about 5)."""


@dataclass(frozen=True)
class CellSummary:
    """One row of the chapter's table."""

    label: str
    n_sets: int
    n_stationary: int
    """Sets with ρ < :data:`STATIONARY_TOL`."""
    alpha_deg: tuple[float, float, float]
    """5 %, 50 %, 95 % quantiles of α over the sets, in degrees (NaN for M ≤ d)."""
    mean_fraction: tuple[float, float, float]
    """Mean Monte Carlo failure share over the sets, with its CI (mean ± z·sd/√S)."""
    mean_closed_form: float
    coverage: float
    """Share of sets whose Wilson interval contains the closed form (≈ CONFIDENCE)."""
    min_rho: float
    max_rho: float
    median_excess: float
    """Median over sets of the mean (lhs − rhs)/‖W₀‖² over the violating W₀."""
    fails: int
    """Violations over all sets."""
    covered: int
    """Admissible W₀ (⟨W₀, W*⟩ > 0) over all sets."""
    rho_quantile: QuantileEstimate | None = None
    """The :data:`QUANTILE` of ρ over the sets with its 95 % interval (M ≥ d + 1 only)."""
    alpha_quantile: QuantileEstimate | None = None
    """The :data:`QUANTILE` of α (degrees) over the sets with its interval (M ≥ d + 1)."""


def summarize(cell: SizeCell) -> CellSummary:
    """The table row of one cell."""
    frac = cell.fraction
    half = z_value(CONFIDENCE) * frac.std(ddof=1) / np.sqrt(frac.size)
    lo, hi = wilson_interval(cell.fails, cell.covered, CONFIDENCE)
    closed = np.zeros(frac.size) if cell.underdetermined else admissible_share(cell.alpha)
    q = (np.full(3, np.nan) if cell.underdetermined
         else np.degrees(np.quantile(cell.alpha, [0.05, 0.5, 0.95])))
    return CellSummary(cell.label, int(frac.size), int(np.sum(cell.rho < STATIONARY_TOL)),
                       tuple(float(v) for v in q),
                       (float(frac.mean()), float(frac.mean() - half), float(frac.mean() + half)),
                       float(closed.mean()),
                       float(np.mean(cell.fails == 0) if cell.underdetermined
                             else np.mean((lo <= closed) & (closed <= hi))),
                       float(cell.rho.min()), float(cell.rho.max()),
                       float(np.median(cell.excess)), int(cell.fails.sum()),
                       int(cell.covered.sum()),
                       None if cell.underdetermined else quantile_interval(cell.rho),
                       None if cell.underdetermined
                       else quantile_interval(np.degrees(cell.alpha)))


# --------------------------------------------------------------------------- with a bias input


@dataclass(frozen=True)
class RandomBiasCheck:
    """Random learning sets with and without a bias input (float64, seeded)."""

    n_sets: int
    max_rho: float
    """Largest ρ = ‖W*‖‖∇Ĉ(W*)‖/(2√M‖yc‖) with the bias input (0 up to rounding if W* ∈ Ŵ)."""
    fails: int
    """Violations of the lemma among the admissible W₀, over all sets, with the bias input."""
    covered: int
    """Admissible W₀ (⟨W₀, W*⟩ > 0) over all sets, with the bias input."""
    sets_failing_without_bias: int
    """Sets where the lemma is violated at some admissible W₀ when the bias input is dropped."""


def random_bias_check(x: Any, y: Any, n_init: int = 1000, seed: int = 0,
                      steps: Steps = Steps()) -> RandomBiasCheck:
    """The bias neuron (chapter *A general answer for one linear neuron*) on random sets
    x: (S, M, d), y: (S, M), e.g. of :func:`sample_sets`, with a constant input 1 appended
    (M ≥ d + 2): ρ at W*, and the lemma at ``n_init`` random W₀ per set (distances to the BN
    minima t·v̂ + ker Xc by ``steps.distance_sq``); the same without the bias input."""
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    n_sets, m, d = x.shape
    if m < d + 2:
        raise ValueError(f"M = {m}; the bias check wants more samples than weights, M ≥ d + 2")
    rng = np.random.default_rng((seed, 1))
    counts = []
    for inputs in (np.concatenate([x, np.ones((n_sets, m, 1))], axis=-1), x):
        w_star = (np.linalg.pinv(inputs) @ y[..., None])[..., 0]
        xc, yc = least_squares.centered(inputs, y)
        w0 = rng.normal(size=(n_sets, n_init, inputs.shape[-1]))
        covered = np.sum(w0 * w_star[:, None, :], axis=-1) > 0
        lhs = steps.distance_sq(w0, xc, yc)
        rhs = lemma.lemma_rhs(w0, w_star[:, None, :])
        fail = covered & (lhs - rhs > lemma.LEMMA_TOL * np.sum(w0 * w0, axis=-1))
        counts.append((float(steps.relative_gradient(w_star, xc, yc).max()), fail, covered))
    (rho, fail, covered), (_, fail_plain, _) = counts
    return RandomBiasCheck(n_sets, rho, int(fail.sum()), int(covered.sum()),
                           int(np.sum(fail_plain.any(axis=1))))
